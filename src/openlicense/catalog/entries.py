"""The catalog's records: a license, its terms, the names that point at it, and the flags.

Frozen values only: building them from the data files is ``openlicense.catalog.load``, asking
questions of the whole set is ``openlicense.catalog.index.Catalog``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from openlicense.model import FREEDOMS
from openlicense.model import FreedomGrant as FreedomStatus

__all__ = [
    "FREEDOMS",
    "FlagClause",
    "FlagInfo",
    "FreedomStatus",
    "HfMapping",
    "LicenseEntry",
    "NameTarget",
    "Namespace",
    "Terms",
]

Namespace = Literal["spdx", "scancode", "openlicense", "user"]


@dataclass(frozen=True, slots=True)
class FlagInfo:
    """One openwashing flag of the vocabulary (``data/flags.toml``)."""

    name: str
    code: str
    severity: str
    scope: str  # "license-term" or "release"
    restricts: tuple[str, ...]
    summary: str


@dataclass(frozen=True, slots=True)
class FlagClause:
    """A flag a license triggers, with the clause that triggers it."""

    flag: str
    section: str
    quote: str
    verified: bool = True  # False: quoted from a published text openlicense has no copy of


@dataclass(frozen=True, slots=True)
class Terms:
    """What a license allows: the four OSAID freedoms and the flags its clauses raise."""

    freedoms: tuple[tuple[str, FreedomStatus], ...]
    flags: tuple[FlagClause, ...] = ()
    osaid_conformant: bool | None = None
    reason: str = ""
    basis: str = "catalog"  # catalog | osi-approved | fsf-libre | unknown

    def freedom(self, name: str) -> FreedomStatus:
        return dict(self.freedoms)[name]

    @classmethod
    def uniform(cls, status: FreedomStatus, **kwargs: Any) -> Terms:
        return cls(freedoms=tuple((f, status) for f in FREEDOMS), **kwargs)


_UNKNOWN_TERMS = Terms.uniform(
    "unknown", basis="unknown", reason="openlicense has no record of this license's terms"
)
# The terms of every uncurated OSI-approved, and FSF-libre, license: one value each, not one
# per question (normalization asks for them of every license it reads).
_OSI_TERMS = Terms.uniform(
    "granted",
    osaid_conformant=True,
    basis="osi-approved",
    reason="OSI-approved license (SPDX License List)",
)
_FSF_TERMS = Terms.uniform(
    "granted",
    osaid_conformant=True,
    basis="fsf-libre",
    reason="FSF free software license (SPDX License List)",
)


@dataclass(frozen=True, slots=True)
class LicenseEntry:
    """A license the catalog knows, under its canonical identifier."""

    id: str
    name: str
    namespace: Namespace
    kind: str = "license"
    osi_approved: bool = False
    fsf_libre: bool = False
    deprecated: bool = False
    scancode_key: str | None = None
    scancode_category: str = ""
    generic: bool = False  # ScanCode's catch-alls ("unknown", "warranty-disclaimer", ...)
    identify_by: tuple[str, ...] = ()  # verbatim phrases that together identify the text
    family: str | None = None
    version: str | None = None
    released: str | None = None
    aliases: tuple[str, ...] = ()
    hf_ids: tuple[str, ...] = ()
    incorporates: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    text: str | None = None  # where openlicense finds the text: scancode:<key> | spdx:<id> | none
    # The development-corpus file (``corpus/<path>``) the curated quotes were checked against,
    # for a text openlicense has no copy of: provenance for tests, never read by the stages.
    corpus_text: str | None = None
    sources: tuple[str, ...] = ()
    notes: str = ""
    curated_terms: Terms | None = None
    origin: str = ""  # the data file the entry's curated facts come from

    @property
    def terms(self) -> Terms:
        """Curated terms, else terms derived from OSI/FSF status, else unknown."""
        if self.curated_terms is not None:
            return self.curated_terms
        if self.osi_approved:
            return _OSI_TERMS
        if self.fsf_libre:
            return _FSF_TERMS
        return _UNKNOWN_TERMS


@dataclass(frozen=True, slots=True)
class NameTarget:
    """What a name means: an expression, a family (ambiguous), or a status word."""

    expression: str | None = None
    candidates: tuple[str, ...] = ()
    status: str | None = None  # none | unknown | proprietary | not-a-license
    how: str = "alias"  # alias | name | spdx-id | scancode-key | hf-id | placeholder | family
    alternatives: tuple[str, ...] = ()  # equally right readings (GPL without only/or-later)


@dataclass(frozen=True, slots=True)
class HfMapping:
    id: str
    name: str
    target: NameTarget
    note: str = ""

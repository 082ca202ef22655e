"""The values the provision reader produces: frozen, slotted, importing nothing of the reader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FLAGS",
    "FREEDOMS",
    "Definition",
    "FreedomReading",
    "Hit",
    "Method",
    "Modality",
    "Provision",
    "ProvisionReading",
    "Status",
]

#: The ten license-term flags of the vocabulary (section 4) the reader detects.
FLAGS: tuple[str, ...] = (
    "field-of-use-restriction",
    "user-threshold",
    "revenue-threshold",
    "non-commercial",
    "no-derivatives",
    "output-restriction",
    "brand-requirement",
    "terms-changeable",
    "geographic-restriction",
    "licensor-control",
)
FREEDOMS: tuple[str, ...] = ("use", "study", "modify", "share")

Modality = Literal[
    "grant", "condition", "limitation", "prohibition", "obligation", "licensor-power", "statement"
]
Method = Literal["pattern", "classifier", "definition", "appendix"]
Status = Literal["granted", "restricted", "unknown"]


@dataclass(frozen=True, slots=True)
class Provision:
    """One sentence or list item, with the structure it sits in.

    ``start``/``end`` are offsets in the text and ``quote`` is ``text[start:end]`` (trimmed to
    :data:`openlicense.provisions.structure.MAX_QUOTE`); ``line`` is 1-based.
    ``heading`` is the nearest heading above it, ``lead_in`` the index of the provision that
    introduces it (a sentence ending in a colon), ``section`` the appendix, schedule or
    attachment it belongs to (``"schedule 2"``), ``referenced_by`` the index of a provision
    elsewhere that makes that section part of its terms.
    """

    index: int
    line: int
    start: int
    end: int
    quote: str
    depth: int = 0
    is_item: bool = False
    is_heading: bool = False
    heading: str = ""
    lead_in: int | None = None
    section: str = ""
    referenced_by: int | None = None


@dataclass(frozen=True, slots=True)
class Definition:
    """A defined term ("Outputs" means ...) and the concepts its definition denotes."""

    term: str
    line: int
    quote: str
    concepts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Hit:
    """A provision that raises a flag, quoted verbatim, with how it was found."""

    flag: str
    line: int
    quote: str
    method: Method
    confidence: float
    rule: str  # the lexicon rule id, or "classifier"
    modality: Modality
    provision: int  # index into ProvisionReading.provisions


@dataclass(frozen=True, slots=True)
class FreedomReading:
    """One OSAID freedom as the text decides it, with the clause that decides it."""

    freedom: str
    status: Status
    line: int | None
    quote: str
    reason: str


@dataclass(frozen=True, slots=True)
class ProvisionReading:
    """What a license or policy text grants and takes away, provision by provision."""

    provisions: tuple[Provision, ...]
    modalities: tuple[Modality, ...]  # one per provision
    definitions: tuple[Definition, ...]
    hits: tuple[Hit, ...]
    freedoms: tuple[FreedomReading, ...]
    osaid_conformant: bool
    #: The freedoms as the grant alone decides them, before any hit restricts them: what a
    #: caller that keeps only some hits (identification, by confidence) starts from.
    grants: tuple[FreedomReading, ...] = ()

    @property
    def flags(self) -> tuple[str, ...]:
        """The flags raised, in the vocabulary's order."""
        raised = {h.flag for h in self.hits}
        return tuple(f for f in FLAGS if f in raised)

    def freedom(self, name: str) -> FreedomReading:
        """The reading of one freedom (``use``, ``study``, ``modify`` or ``share``)."""
        for reading in self.freedoms:
            if reading.freedom == name:
                return reading
        raise KeyError(name)

"""The values that flow between the stages: what a release is, what a text was found to be, and
the flags raised on them.

A release is more than one license: weights, code, data, documentation, a model card that may
claim "open source", a base model whose license it inherits, a gate before download. Readers
(:mod:`openlicense.release`) turn real formats (a Hugging Face model repository, a Model
Openness Tool YAML file, a license file, a plain expression) into a :class:`Release`; the rule
engine (:mod:`openlicense.judge.rules`) judges it. Every fact carries the sources it came from.

This module imports nothing of the stages: it is the vocabulary they share (the severities,
the four freedoms, the verdicts, the kinds of text), so every stage may import it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Literal

from openlicense.expression import CanonicalExpression, Expression

__all__ = [
    "COMPONENTS",
    "FREEDOMS",
    "MAX_QUOTE_LENGTH",
    "BaseModel",
    "CanonicalExpression",
    "Claim",
    "Component",
    "ComponentKind",
    "Evidence",
    "FindingKind",
    "Flag",
    "Freedom",
    "FreedomGrant",
    "Identification",
    "IdentificationKind",
    "Match",
    "NormalizationStatus",
    "Normalized",
    "Release",
    "Severity",
    "Source",
    "TextFinding",
    "TextFreedom",
    "Verdict",
]

#: An SPDX expression in canonical form (a fixed point of packaging's canonicalization).

#: The four freedoms of the Open Source AI Definition, in the order reports list them.
FREEDOMS: tuple[str, ...] = ("use", "study", "modify", "share")
Freedom = Literal["use", "study", "modify", "share"]
#: What a license (or a text) does to one freedom.
FreedomGrant = Literal["granted", "restricted", "unknown"]
#: The OSAID verdict of a release (vocabulary section 3).
Verdict = Literal["open-source-ai", "not-open-source-ai", "insufficient-information"]
#: What a text is (vocabulary section 5).
IdentificationKind = Literal[
    "license", "acceptable-use-policy", "terms-of-service", "notice", "not-a-license", "exception"
]
NormalizationStatus = Literal[
    "ok", "ambiguous", "none", "unknown", "proprietary", "not-a-license", "invalid"
]
#: Longest quote a finding carries: a clause, not a page.
MAX_QUOTE_LENGTH = 300


class Severity(enum.StrEnum):
    """How serious a flag is; ordered: ``info < warning < error`` (compare with :attr:`rank`).

    A ``str`` enum, so reports write ``"error"`` exactly as before.
    """

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def at_least(self, other: str) -> bool:
        """Is this severity ``other`` or worse?"""
        return self.rank >= Severity(other).rank


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}

#: The components of an AI release (vocabulary section 2).
COMPONENTS: tuple[str, ...] = (
    "parameters",
    "code",
    "data-information",
    "datasets",
    "documentation",
)
ComponentKind = Literal["parameters", "code", "data-information", "datasets", "documentation"]


# --------------------------------------------------------------------------------------------
# findings


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a finding comes from: a quoted line of a file, or a metadata field."""

    path: str | None = None
    line: int | None = None
    quote: str | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "line": self.line, "quote": self.quote}
        if self.field is not None:
            data["field"] = self.field
        return data


@dataclass(frozen=True, slots=True)
class Flag:
    """One openwashing flag raised on a license text or a release."""

    name: str
    code: str
    severity: Severity | str
    message: str
    evidence: Evidence
    source: str = ""  # "catalog:<id>", "clause:<pattern>", "diff:<id>", "metadata", ...
    fix: str = ""  # how to fix it (from the rule's documentation)
    # The further places that raise the same flag in one report (another sentence, another
    # license file), in order after ``evidence``: a report lists each flag once.
    more_evidence: tuple[Evidence, ...] = ()
    # The component a rule raised the flag on when it raises one per component (each withheld
    # code component, each unlicensed parameters component); None when the flag concerns a
    # freedom or the release as a whole. Flags are merged per name, severity and component.
    component: str | None = None

    @property
    def all_evidence(self) -> tuple[Evidence, ...]:
        """Every place that raises the flag, ``evidence`` first."""
        return (self.evidence, *self.more_evidence)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "evidence": self.evidence.to_dict(),
            "source": self.source,
        }
        if self.more_evidence:
            data["more_evidence"] = [e.to_dict() for e in self.more_evidence]
        if self.fix:
            data["fix"] = self.fix
        return data


#: How identification came to a finding: a clause the catalog records for the license, a
#: clause the scanner read in the text, or a difference from the standard text.
FindingKind = Literal["catalog-clause", "clause", "diff-added", "diff-changed", "diff-removed"]


@dataclass(frozen=True, slots=True)
class TextFinding:
    """What identification found in a text that bears on one flag; the rules make it a flag.

    ``subject`` is the catalogued license's name (``catalog-clause``) or the standard license
    the text departs from (``diff-*``); ``detail`` is what the standard text says where a
    clause was removed.
    """

    flag: str
    kind: FindingKind
    evidence: Evidence
    source: str  # "catalog:<id>", "clause:<pattern>", "provision:<rule>", "diff:<id>"
    subject: str = ""
    detail: str = ""
    #: How a ``clause`` finding was read: ``pattern`` (the clause scanner's phrase list),
    #: ``provision-pattern``, ``provision-definition``, ``provision-appendix`` or
    #: ``provision-classifier`` (the provision reader, by what it relied on), or
    #: ``pattern+provision`` when both agree on the clause. Empty for other kinds.
    method: str = ""
    #: How sure the reading is (0-1): the lexicon rule's or the classifier's confidence,
    #: :data:`openlicense.identification.findings.SCANNER_CONFIDENCE` for the scanner alone.
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class TextFreedom:
    """One freedom as an uncatalogued text's own grant decides it, with the granting clause
    (or, for study, the clause that bans studying). Restrictions come from the findings."""

    freedom: str
    status: FreedomGrant
    evidence: Evidence
    reason: str = ""


# --------------------------------------------------------------------------------------------
# what a license string and a license text are


@dataclass(frozen=True, slots=True)
class Normalized:
    """The result of normalizing one license string (JSON shape ``openlicense/normalized/v1``)."""

    input: str
    status: NormalizationStatus
    expression: CanonicalExpression | None = None
    candidates: tuple[str, ...] = ()
    matched_by: str | None = None
    osaid_conformant: bool | None = None
    error: str | None = None
    deprecated: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    #: The syntax tree of ``expression``, as normalization built it: later stages read the
    #: tree rather than parsing the string again. Not part of the JSON (the string is).
    tree: Expression | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "openlicense/normalized/v1",
            "input": self.input,
            "status": self.status,
            "expression": self.expression,
            "candidates": list(self.candidates),
            "matched_by": self.matched_by,
            "osaid_conformant": self.osaid_conformant,
            "error": self.error,
            "deprecated": list(self.deprecated),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True, slots=True)
class Match:
    """A license found in the text, and how."""

    expression: str | None  # canonical SPDX form; None when ScanCode's keys are unknown
    method: str
    coverage: float | None
    start_line: int | None = None
    end_line: int | None = None
    detail: str = ""  # the ScanCode rule, the fingerprint, ...

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "method": self.method,
            "coverage": self.coverage,
            "lines": [self.start_line, self.end_line] if self.start_line else None,
            "detail": self.detail,
        }


_UNKNOWN_FREEDOMS: tuple[tuple[str, FreedomGrant], ...] = tuple((f, "unknown") for f in FREEDOMS)


@dataclass(frozen=True, slots=True)
class Identification:
    """What a license file is (JSON shape ``openlicense/identification/v1``).

    The identification stage fills what the text *is* (kind, expression, matches) and what it
    *says* (``findings``); the judge turns the findings into ``flags``, ``freedoms`` and
    ``osaid_conformant`` (:func:`openlicense.identify` returns both).
    """

    path: str | None
    kind: IdentificationKind | None = None
    expression: str | None = None
    variant_of: str | None = None
    coverage: float | None = None
    method: str | None = None
    freedoms: tuple[tuple[str, FreedomGrant], ...] = _UNKNOWN_FREEDOMS
    osaid_conformant: bool | None = None
    flags: tuple[Flag, ...] = ()
    error: str | None = None
    error_type: str | None = None
    title: str | None = None
    matches: tuple[Match, ...] = ()
    warnings: tuple[str, ...] = ()
    findings: tuple[TextFinding, ...] = ()  # not in the JSON: the flags say the same, judged
    #: What the text's own grant says of each freedom (uncatalogued texts only; not in the JSON).
    text_freedoms: tuple[TextFreedom, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    def freedom(self, name: str) -> FreedomGrant:
        return dict(self.freedoms)[name]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "openlicense/identification/v1",
            "path": self.path,
            "kind": self.kind,
            "expression": self.expression,
            "variant_of": self.variant_of,
            "coverage": self.coverage,
            "method": self.method,
            "freedoms": dict(self.freedoms),
            "osaid_conformant": self.osaid_conformant,
            "flags": [f.to_dict() for f in self.flags],
            "error": self.error,
            "error_type": self.error_type,
            "title": self.title,
            "matches": [m.to_dict() for m in self.matches],
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------------------------
# the release


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact was read: a file and line, and the metadata field if any."""

    path: str | None
    line: int | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "field": self.field}


@dataclass(frozen=True, slots=True)
class Component:
    """One released (or withheld) part of a model, with its license.

    ``kind`` is the vocabulary's component; ``name`` the finer part it is ("Model parameters
    (Final)", "Training code", "Data card", ...), as the Model Openness Framework names them.
    ``available`` says whether the part is published at all (``None``: not known).
    ``license`` is the normalization of what was declared (``None`` when nothing was).
    """

    kind: ComponentKind
    name: str
    available: bool | None = None
    license: Normalized | None = None
    sources: tuple[Source, ...] = ()
    identification: Identification | None = None  # when the license comes from a license file
    mof_id: int | None = None  # the Model Openness Framework component id

    @property
    def expression(self) -> str | None:
        return self.license.expression if self.license is not None else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.kind,
            "name": self.name,
            "available": self.available,
            "expression": self.expression,
            "license_status": self.license.status if self.license is not None else None,
            "declared": self.license.input if self.license is not None else None,
            "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(frozen=True, slots=True)
class Claim:
    """A statement the release makes about its own openness ("fully open source")."""

    text: str
    source: Source
    kind: Literal["open-source", "open", "open-weights", "open-science"] = "open"


@dataclass(frozen=True, slots=True)
class BaseModel:
    """A model this release derives from (fine-tune, quantization, merge, adapter)."""

    name: str
    license: Normalized | None = None  # known when the base is in the corpus or its license given
    source: Source | None = None
    relation: str = "base"  # base | finetune | quantized | merge | adapter


@dataclass(frozen=True, slots=True)
class Release:
    """An AI model release as read from one place (a folder, a MOT file, a license file)."""

    name: str
    path: str | None
    format: Literal["hf-repo", "model-card", "mot", "license-file", "expression"]
    components: tuple[Component, ...] = ()
    declared: Normalized | None = None  # the release-wide (global) license as declared
    declared_source: Source | None = None
    gated: bool | None = None
    gated_source: Source | None = None
    base_models: tuple[BaseModel, ...] = ()
    datasets: tuple[str, ...] = ()
    claims: tuple[Claim, ...] = ()
    files: tuple[Identification, ...] = ()  # license, policy and notice files identified
    weight_formats: tuple[str, ...] = ()  # file formats of the published weights
    documentation: tuple[str, ...] = ()  # what the docs cover: "risks", "limitations", "data", ...
    metadata: dict[str, Any] = field(default_factory=dict)  # raw declared fields, for reports
    errors: tuple[str, ...] = ()  # problems reading the release (malformed front matter, ...)
    # Licenses the card states in its text ("**License:** CC-BY-NC-ND"), besides its metadata.
    license_statements: tuple[tuple[Normalized, Source], ...] = ()

    def component(self, kind: str) -> list[Component]:
        return [c for c in self.components if c.kind == kind]

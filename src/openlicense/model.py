"""The release model: what an AI model release consists of and what it declares.

A release is more than one license: weights, code, data, documentation, a model card that may
claim "open source", a base model whose license it inherits, a gate before download. Readers
(:mod:`openlicense.release`) turn real formats (a Hugging Face model repository, a Model
Openness Tool YAML file, a license file, a plain expression) into a :class:`Release`; the rule
engine (:mod:`openlicense.judge.rules`) judges it. Every fact carries the sources it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from openlicense.identification import Identification
from openlicense.normalization import Normalized

__all__ = [
    "COMPONENTS",
    "BaseModel",
    "Claim",
    "Component",
    "ComponentKind",
    "Release",
    "Source",
]

#: The components of an AI release (vocabulary section 2).
COMPONENTS: tuple[str, ...] = (
    "parameters",
    "code",
    "data-information",
    "datasets",
    "documentation",
)
ComponentKind = Literal["parameters", "code", "data-information", "datasets", "documentation"]


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

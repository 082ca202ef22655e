"""The result of normalizing one license string, and the limits of what is read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from openlicense import expression as ex

__all__ = [
    "MAX_CANDIDATES",
    "MAX_INPUT_LENGTH",
    "STRICTNESS_LEVELS",
    "Normalized",
    "Status",
    "Strictness",
]

Status = Literal["ok", "ambiguous", "none", "unknown", "proprietary", "not-a-license", "invalid"]
Strictness = Literal["lenient", "spdx", "strict"]
STRICTNESS_LEVELS: tuple[Strictness, ...] = ("lenient", "spdx", "strict")

#: Longest input accepted. A license string is a name or an expression; anything longer is
#: reported as invalid straight away instead of being scanned.
MAX_INPUT_LENGTH = 4_096
#: Most candidate expressions listed for an ambiguous compound.
MAX_CANDIDATES = 24


@dataclass(frozen=True, slots=True)
class Normalized:
    """The result of normalizing one license string (JSON shape ``openlicense/normalized/v1``)."""

    input: str
    status: Status
    expression: ex.CanonicalExpression | None = None
    candidates: tuple[str, ...] = ()
    matched_by: str | None = None
    osaid_conformant: bool | None = None
    error: str | None = None
    deprecated: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

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

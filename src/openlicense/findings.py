"""Findings: the flags openlicense raises, each with the evidence that triggered it.

A finding is a value. It names the flag of the vocabulary (``data/flags.toml``) and says where
it comes from: the file, the line and the quoted text, or the metadata field, and which catalog
entry, clause pattern or comparison produced it, so that every finding can be traced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openlicense.catalog import get_catalog

__all__ = ["Evidence", "Flag", "make_flag"]


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
    severity: str
    message: str
    evidence: Evidence
    source: str = ""  # "catalog:<id>", "clause:<pattern>", "diff:<id>", "metadata", ...
    fix: str = ""  # how to fix it (from the rule's documentation)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "evidence": self.evidence.to_dict(),
            "source": self.source,
        }
        if self.fix:
            data["fix"] = self.fix
        return data


def make_flag(name: str, message: str, evidence: Evidence, source: str = "", fix: str = "") -> Flag:
    """A flag with the code and default severity the vocabulary gives it."""
    info = get_catalog().flag(name)
    return Flag(
        name=name,
        code=info.code,
        severity=info.severity,
        message=message,
        evidence=evidence,
        source=source,
        fix=fix,
    )

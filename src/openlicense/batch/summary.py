"""Counts over a scan's results, kept as they stream by, and the exit status they give."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from openlicense.batch.output import Row, row_of
from openlicense.exitcodes import EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK
from openlicense.model import Severity

__all__ = ["ScanSummary"]

_SUMMARY_SCHEMA = "openlicense/scan-summary/v1"


@dataclass(slots=True)
class ScanSummary:
    """Counts over a scan's results, kept as they stream by (so it is not frozen)."""

    fail_on: str = "error"
    items: int = 0
    previous: int = 0  # results read from the output file of an earlier run (--resume)
    errors: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    mof_classes: Counter[str] = field(default_factory=Counter)
    flags: Counter[str] = field(default_factory=Counter)  # items raising each flag
    error_types: Counter[str] = field(default_factory=Counter)
    failing: int = 0  # items with a flag at or above fail_on
    interrupted: bool = False
    started: float = field(default_factory=time.monotonic)

    def add(self, report: dict[str, Any]) -> None:
        self._count(row_of(report))

    def _count(self, row: Row) -> None:
        self.items += 1
        if row.error:
            self.errors += 1
            self.error_types[row.error_type or "error"] += 1
            return
        self.verdicts[row.verdict or "none"] += 1
        self.mof_classes[row.mof_class or "none"] += 1
        self.flags.update(row.flags)
        if (
            self.fail_on != "never"
            and row.severity
            and Severity(row.severity).at_least(self.fail_on)
        ):
            self.failing += 1

    @property
    def exit_status(self) -> int:
        """2 if an item could not be analyzed, else 1 if one has a flag at --fail-on, else 0."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if self.failing else EXIT_OK

    def to_dict(self) -> dict[str, Any]:
        elapsed = time.monotonic() - self.started
        analyzed_now = self.items - self.previous
        return {
            "schema": _SUMMARY_SCHEMA,
            "items": self.items,
            "previous": self.previous,
            "analyzed": self.items - self.errors,
            "errors": self.errors,
            "verdicts": dict(sorted(self.verdicts.items())),
            "mof_classes": dict(sorted(self.mof_classes.items())),
            "flags": dict(sorted(self.flags.items())),
            "error_types": dict(sorted(self.error_types.items())),
            "fail_on": self.fail_on,
            "failing": self.failing,
            "exit_status": self.exit_status,
            "interrupted": self.interrupted,
            "seconds": round(elapsed, 3),
            "items_per_second": round(analyzed_now / elapsed, 2) if elapsed > 0 else None,
        }

    def format_text(self) -> str:
        data = self.to_dict()

        def counts(values: dict[str, int]) -> str:
            ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
            return ", ".join(f"{k} {v}" for k, v in ordered) or "none"

        rate = data["items_per_second"]
        head = f"scanned {self.items} items"
        if self.previous:
            head += f" ({self.previous} from the earlier run)"
        head += f" in {data['seconds']:.1f} s"
        if rate is not None and self.items > self.previous:
            head += f" ({rate:g} items/s)"
        head += f": {data['analyzed']} analyzed, {self.errors} errors"
        lines = [head + (" (INTERRUPTED: rerun with --resume)" if self.interrupted else "")]
        lines.append(f"  verdicts:    {counts(data['verdicts'])}")
        lines.append(f"  MOF classes: {counts(data['mof_classes'])}")
        lines.append(f"  flags:       {counts(data['flags'])}")
        if self.errors:
            lines.append(f"  errors:      {counts(data['error_types'])}")
        return "\n".join(lines) + "\n"

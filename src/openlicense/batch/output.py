"""The scan's writers, each a pure function of one report: a JSON line, a CSV row, a line of
text. Every one writes exactly one line, whatever the report holds, which ``--resume`` and
``wc -l`` rely on.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openlicense.model import Severity
from openlicense.terminal import paint

__all__ = ["CSV_HEADER", "Row", "csv_line", "csv_row", "jsonl_line", "row_of",
           "text_line"]  # fmt: skip

#: The CSV columns: those of the brief first, then the kind of item, the highest flag
#: severity (what --fail-on compares) and the error's type.
CSV_HEADER: tuple[str, ...] = (
    "path", "name", "format", "verdict", "mof_class", "weights", "flags", "error",
    "kind", "severity", "error_type",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Row:
    """What the CSV, the text lines and the summary need of a report."""

    path: str
    name: str
    format: str
    verdict: str
    mof_class: str
    weights: str
    flags: tuple[str, ...]
    error: str
    kind: str
    severity: str
    error_type: str

    def fields(self) -> list[str]:
        return [
            self.path, self.name, self.format, self.verdict, self.mof_class, self.weights,
            ";".join(self.flags), self.error, self.kind, self.severity, self.error_type,
        ]  # fmt: skip


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _rank(severity: str) -> int:
    """A severity's rank, -1 for none (a report read back may hold anything)."""
    try:
        return Severity(severity).rank
    except ValueError:
        return -1


def row_of(report: dict[str, Any]) -> Row:
    subject = report.get("subject") or {}
    item = report.get("item") or {}
    flags: list[str] = []
    severity = ""
    for flag in report.get("flags") or ():
        if flag.get("name") not in flags:
            flags.append(str(flag.get("name")))
        level = str(flag.get("severity", ""))
        if _rank(level) > _rank(severity):
            severity = level
    # The weights' license: the first parameters component that names one (Final before
    # Intermediate, as readers list them).
    weights = next(
        (
            c["expression"]
            for c in report.get("components") or ()
            if c.get("component") == "parameters" and c.get("expression")
        ),
        None,
    )
    return Row(
        path=_text(item.get("path") or subject.get("path")),
        name=_text(subject.get("name")),
        format=_text(subject.get("format")),
        verdict=_text(report.get("verdict")),
        mof_class=_text(report.get("mof_class")),
        weights=_text(weights),
        flags=tuple(flags),
        error=_text(report.get("error")),
        kind=_text(item.get("kind")),
        severity=severity,
        error_type=_text(report.get("error_type")) if report.get("error") else "",
    )


def _printable(text: str) -> str:
    # Paths that are not valid UTF-8 reach Python as lone surrogates, which no stream can
    # encode; write them as \udcXX escapes (which JSON reads back as the same path).
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def jsonl_line(report: dict[str, Any]) -> str:
    """One compact JSON object and a newline."""
    line = json.dumps(report, ensure_ascii=False, separators=(",", ":"), default=str)
    return _printable(line) + "\n"


def csv_row(report: dict[str, Any]) -> str:
    """One CSV row (columns :data:`CSV_HEADER`) and a newline. A newline inside a field is
    written as ``\\n``, so that every row is one line (which --resume and ``wc -l`` rely on)."""
    return csv_line(row_of(report).fields())


def csv_line(fields: Sequence[str]) -> str:
    buffer = io.StringIO()
    clean = [re.sub(r"\r\n|\r|\n", r"\\n", f) for f in fields]
    csv.writer(buffer, lineterminator="\n").writerow(clean)
    return _printable(buffer.getvalue())


_VERDICT_COLOR = {"open-source-ai": "32", "not-open-source-ai": "31"}


def text_line(report: dict[str, Any], *, color: bool = False) -> str:
    """One line a person can read: path, verdict, MOF class, weights' license and flags."""
    row = row_of(report)
    if row.error:
        message = row.error.replace("\n", " ")
        return _printable(f"{row.path}: {paint('error', '31', color)} ({row.error_type}) "
                          f"{message}\n")  # fmt: skip
    verdict = paint(row.verdict or "?", _VERDICT_COLOR.get(row.verdict, "33"), color)
    line = f"{row.path}: {verdict}  MOF {row.mof_class or '-'}  weights {row.weights or '-'}"
    if row.flags:
        line += "  flags: " + ", ".join(row.flags)
    return _printable(line + "\n")

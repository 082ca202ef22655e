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
from openlicense.terminal import paint, visible

__all__ = ["CSV_HEADER", "Row", "csv_field", "csv_line", "csv_row", "jsonl_line", "row_of",
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
    """One CSV row (columns :data:`CSV_HEADER`) and a newline.

    Every row is one line of valid UTF-8 (which --resume and ``wc -l`` rely on), and every
    field reads back exactly (:func:`csv_field`): a backslash is written ``\\\\``, a newline
    ``\\n``, a carriage return ``\\r``, and a byte of a file name that is not UTF-8 (a lone
    surrogate, as ``os.fsdecode`` gives it) ``\\udcXX``, as in the JSON output."""
    return csv_line(row_of(report).fields())


_CSV_SPECIAL = re.compile(r"[\\\r\n]")
_CSV_ESCAPE = {"\\": "\\\\", "\n": "\\n", "\r": "\\r"}
_CSV_ESCAPED = re.compile(r"\\(\\|n|r|ud[89a-f][0-9a-f]{2})")


def csv_line(fields: Sequence[str]) -> str:
    buffer = io.StringIO()
    clean = [_CSV_SPECIAL.sub(lambda m: _CSV_ESCAPE[m.group()], f) for f in fields]
    csv.writer(buffer, lineterminator="\n").writerow(clean)
    return _printable(buffer.getvalue())


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code == "\\":
        return "\\"
    if code in ("n", "r"):
        return "\n" if code == "n" else "\r"
    return chr(int(code[1:], 16))


def csv_field(text: str) -> str:
    """A field of a scan CSV as it was before :func:`csv_row` escaped it."""
    return _CSV_ESCAPED.sub(_unescape, text)


_VERDICT_COLOR = {"open-source-ai": "32", "not-open-source-ai": "31"}


def text_line(report: dict[str, Any], *, color: bool = False) -> str:
    """One line a person can read: path, verdict, MOF class, weights' license and flags."""
    row = row_of(report)
    path = visible(row.path)  # a file name may hold terminal commands: shown, not run
    if row.error:
        message = visible(row.error.replace("\n", " "))
        return f"{path}: {paint('error', '31', color)} ({visible(row.error_type)}) {message}\n"
    verdict = paint(row.verdict or "?", _VERDICT_COLOR.get(row.verdict, "33"), color)
    line = f"{path}: {verdict}  MOF {row.mof_class or '-'}  weights {visible(row.weights) or '-'}"
    if row.flags:
        line += "  flags: " + ", ".join(visible(f) for f in row.flags)
    return line + "\n"

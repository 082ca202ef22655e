"""Resuming a scan: what an earlier run's output file already holds.

A run that is killed leaves at most one partial line, at the end (each result is one append of
one line); ``--resume`` keeps the complete lines, cuts the partial one, and analyzes only the
items without a result.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from openlicense.batch.output import CSV_HEADER, csv_field
from openlicense.batch.result import REPORT_SCHEMA
from openlicense.read.discover import ScanError

__all__ = ["Previous", "read_previous"]


@dataclass(frozen=True, slots=True)
class Previous:
    """What an earlier run's output file holds: the paths with a complete result, and how many
    bytes of the file are complete lines (a run that was killed may have left half a line)."""

    done: frozenset[str]
    complete_bytes: int
    format: Literal["jsonl", "csv"] | None


def read_previous(
    path: str | os.PathLike[str],
    *,
    fmt: Literal["jsonl", "csv"] | None = None,
    on_report: Callable[[dict[str, Any]], None] | None = None,
) -> Previous:
    """Read an output file of ``scan --format jsonl|csv``; the format is detected if not given.

    A last line without its newline is the trace of an interrupted write: it is not counted
    (and ``complete_bytes`` ends before it). Any other line that is not a result raises
    :class:`ScanError`: appending to a file we cannot read would not give one result per item.
    ``on_report`` is called with each result (for CSV, a partial report from its columns).
    """
    name = os.fspath(path)
    try:
        fh = open(name, "rb")  # noqa: SIM115 (closed below; a with-block would nest the loop)
    except FileNotFoundError:
        return Previous(frozenset(), 0, fmt)
    except OSError as exc:
        raise ScanError(f"{name}: cannot read the earlier output: {exc.strerror}") from exc
    done: set[str] = set()
    complete = 0
    header_seen = False
    with fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.endswith(b"\n"):
                break  # the truncated last line of an interrupted run
            text = raw.decode("utf-8", "surrogateescape").rstrip("\r\n")
            if fmt is None and text.strip():
                fmt = "jsonl" if text.lstrip().startswith("{") else "csv"
            if not text.strip():
                complete += len(raw)
                continue
            if fmt == "csv" and not header_seen:
                if tuple(next(csv.reader([text]))) != CSV_HEADER:
                    raise ScanError(f"{name}: line {number}: not the header of a scan CSV")
                header_seen = True
                complete += len(raw)
                continue
            report = _parse_line(text, fmt, name, number)
            item = report.get("item") or {}
            done.add(str(item.get("path") or (report.get("subject") or {}).get("path")))
            if on_report is not None:
                on_report(report)
            complete += len(raw)
    return Previous(frozenset(done), complete, fmt)


def _parse_line(text: str, fmt: str | None, name: str, number: int) -> dict[str, Any]:
    if fmt == "jsonl":
        try:
            report = json.loads(text)
        except ValueError:
            report = None
        if not isinstance(report, dict) or report.get("schema") != REPORT_SCHEMA:
            raise ScanError(f"{name}: line {number}: not a scan result; cannot resume safely")
        return report
    values = next(csv.reader([text]), [])
    if len(values) != len(CSV_HEADER):
        raise ScanError(f"{name}: line {number}: not a scan CSV row; cannot resume safely")
    row = dict(zip(CSV_HEADER, map(csv_field, values), strict=True))
    # Enough of a report for the summary and the exit status.
    flags = [f for f in row["flags"].split(";") if f]
    severity = row["severity"] or "info"
    return {
        "schema": REPORT_SCHEMA,
        "item": {"path": row["path"], "kind": row["kind"]},
        "subject": {"name": row["name"], "path": row["path"], "format": row["format"] or None},
        "verdict": row["verdict"] or None,
        "mof_class": row["mof_class"] or None,
        # Each flag carries the row's highest severity: what --fail-on compares.
        "flags": [{"name": f, "severity": severity} for f in flags],
        "error": row["error"] or None,
        "error_type": row["error_type"] or None,
    }

"""One result of a scan, and the results of items that could not be analyzed.

A result's ``report`` is :meth:`openlicense.report.Report.to_dict` with an ``item`` entry (the
path as found and how it was recognized). An item that could not be read, or whose analysis
raised, gets the same shape, made from an empty :class:`~openlicense.report.Report` with the
error filled in, so that a reader of the output never meets a second schema.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass
from typing import Any

from openlicense.read.discover import Item, ItemKind, item_for_path

__all__ = ["REPORT_SCHEMA", "ScanResult", "crash_report", "error_report", "with_item"]

#: What every result says it is (the schema of :meth:`openlicense.report.Report.to_dict`).
REPORT_SCHEMA = "openlicense/report/v1"


@dataclass(frozen=True, slots=True)
class ScanResult:
    """The report on one item: ``report`` is :meth:`openlicense.report.Report.to_dict` with an
    ``item`` entry (the path as found and how it was recognized) added."""

    index: int  # the item's position among the items this scan analyzes
    item: Item
    report: dict[str, Any]

    @property
    def path(self) -> str:
        return self.item.path

    @property
    def error(self) -> str | None:
        error = self.report.get("error")
        return str(error) if error is not None else None

    @property
    def ok(self) -> bool:
        return self.error is None


def error_report(
    path: str, message: str, error_type: str, *, kind: ItemKind | None = None
) -> dict[str, Any]:
    """A report for an item that could not be analyzed, with the keys of every report."""
    # Imported here: the coordinator of a scan needs the analysis stack only for an error.
    from openlicense.report import failed_report

    name = os.path.basename(path.rstrip(os.sep)) or path
    failed = failed_report(path, message, error_type, name=name)
    return with_item(failed.to_dict(), Item(path, kind or item_for_path(path).kind))


def with_item(report: dict[str, Any], item: Item) -> dict[str, Any]:
    """``report`` with the ``item`` entry after its ``schema``."""
    # The subject's path is what the analysis read (a repository's README.md); the item's is
    # what the scan found, which is what --resume matches and the CSV's path column shows.
    out: dict[str, Any] = {"schema": report.get("schema", REPORT_SCHEMA)}
    out["item"] = {"path": item.path, "kind": item.kind}
    out.update((k, v) for k, v in report.items() if k not in out)
    return out


def crash_report(path: str, exc: BaseException, *, bug: bool = True) -> dict[str, Any]:
    """An error result for an item whose analysis raised (``bug``: in the analysis itself,
    rather than in the machinery around it, such as a Dask worker that was lost)."""
    where = ""
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    if frames:
        last = frames[-1]
        where = f" (at {os.path.basename(last.filename)}:{last.lineno})"
    message = f"{path}: the analysis failed with {type(exc).__name__}: {exc}{where}"
    if bug:
        message += "; this is a bug in openlicense, please report it"
    return error_report(path, message, type(exc).__name__)

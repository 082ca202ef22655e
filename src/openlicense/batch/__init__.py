"""``openlicense scan``: analyze every release in a folder tree, in parallel, as a stream.

Flow: :func:`iter_items` walks the tree and yields what there is to analyze (model
repositories, flat model cards, Model Openness Tool files, standalone license files) in the
order of their paths, as :func:`find_items` lists them, while the walk goes on → :func:`scan`
runs :func:`openlicense.report.analyze` on each item in a pool of worker processes (or
threads, or a Dask cluster) and yields one :class:`ScanResult` per item *in the order of the
items*, whatever order the workers finish in → the writers turn each result into a JSON line, a
CSV row or a line of text, and :class:`ScanSummary` counts them.

Guarantees, and why they hold:

- Nothing is lost: N items give N results. An item that cannot be read, or whose analysis
  raises (a bug, a ``MemoryError``), or whose worker process dies, gives a result with
  ``error`` set; the scan goes on (a broken process pool is replaced).
- Memory stays flat: the items stream in from the walk, at most ``4 x jobs`` are in flight in
  the workers, and at most 512 finished results wait in the reorder buffer for an earlier,
  slower item, so a scan never holds all items, results nor futures, however many there are;
  and a derivative's base model in the same corpus is looked up by the worker where the corpus
  keeps it (:mod:`~openlicense.batch.corpus`), not in a map of the whole corpus.
- The order is deterministic: the same tree gives the same lines in the same order with any
  executor and any number of jobs.

The package imports neither the analysis stack nor Dask: workers import what they need, and the
``dask`` executor imports ``distributed`` when asked for. Its rooms: what an item is is
:mod:`openlicense.read.discover` (shared with ``check``), the streaming walk
:mod:`~openlicense.batch.walk`, the base models of the corpus
:mod:`~openlicense.batch.corpus`, the engines :mod:`~openlicense.batch.engines`, the run
:mod:`~openlicense.batch.run`, results :mod:`~openlicense.batch.result`, the writers
:mod:`~openlicense.batch.output`, the counts :mod:`~openlicense.batch.summary` and resuming
:mod:`~openlicense.batch.resume`. The command itself is :mod:`openlicense.cli.scan`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openlicense.lazy import lazy_attribute

if TYPE_CHECKING:
    from openlicense.batch.corpus import CorpusBases, corpus_base_licenses
    from openlicense.batch.options import EXECUTORS
    from openlicense.batch.output import CSV_HEADER, csv_row, jsonl_line, text_line
    from openlicense.batch.result import ScanResult, error_report
    from openlicense.batch.resume import Previous, read_previous
    from openlicense.batch.run import scan
    from openlicense.batch.summary import ScanSummary
    from openlicense.batch.walk import Corpus, iter_items
    from openlicense.read.discover import Item, ItemKind, ScanError, find_items, item_for_path

# Where each name lives. The package imports them on first use (PEP 562), so that the command
# line can build `scan`'s options without the batch machinery, and `identify` starts faster.
_HOMES = {
    "CorpusBases": "openlicense.batch.corpus",
    "corpus_base_licenses": "openlicense.batch.corpus",
    "EXECUTORS": "openlicense.batch.options",
    "CSV_HEADER": "openlicense.batch.output",
    "csv_row": "openlicense.batch.output",
    "jsonl_line": "openlicense.batch.output",
    "text_line": "openlicense.batch.output",
    "ScanResult": "openlicense.batch.result",
    "error_report": "openlicense.batch.result",
    "Previous": "openlicense.batch.resume",
    "read_previous": "openlicense.batch.resume",
    "scan": "openlicense.batch.run",
    "ScanSummary": "openlicense.batch.summary",
    "Corpus": "openlicense.batch.walk",
    "iter_items": "openlicense.batch.walk",
    "Item": "openlicense.read.discover",
    "ItemKind": "openlicense.read.discover",
    "ScanError": "openlicense.read.discover",
    "find_items": "openlicense.read.discover",
    "item_for_path": "openlicense.read.discover",
}

__all__ = [
    "CSV_HEADER",
    "EXECUTORS",
    "Corpus",
    "CorpusBases",
    "Item",
    "ItemKind",
    "Previous",
    "ScanError",
    "ScanResult",
    "ScanSummary",
    "corpus_base_licenses",
    "csv_row",
    "error_report",
    "find_items",
    "item_for_path",
    "iter_items",
    "jsonl_line",
    "read_previous",
    "scan",
    "text_line",
]


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _HOMES, name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])

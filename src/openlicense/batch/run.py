"""``scan``: analyze items in a window of workers and yield their results in the items' order.

The items stream in: a folder is walked by :func:`openlicense.batch.walk.iter_items` as the
window asks for more, so the first items are analyzed (and their results written) while the
rest of the tree is still unlisted. At most ``4 x jobs`` items are in the workers, and at most
512 finished results wait in the reorder buffer for an earlier, slower item: a scan never holds
all items, results nor futures, however many there are, and the same items give the same
results in the same order with any engine and any number of jobs.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import contextvars
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from typing import Any

from openlicense.batch.corpus import CorpusBases
from openlicense.batch.engines import (
    DEFAULT_TIMEOUT,
    MAX_BATCH,
    MAX_DASK_BATCH,
    DaskEngine,
    Engine,
    FuturesEngine,
    ItemTimeout,
    Outcome,
    ProcessEngine,
    SerialEngine,
    WorkerDied,
    dask_client,
)
from openlicense.batch.options import EXECUTORS, Executor
from openlicense.batch.result import ScanResult, crash_report, error_report, with_item
from openlicense.batch.resume import read_previous
from openlicense.batch.walk import Corpus, iter_items
from openlicense.read.discover import Item, ScanError, item_for_path

__all__ = ["EXECUTORS", "Executor", "scan"]


#: Items submitted and not yet done, per job: enough to keep every worker busy while the
#: coordinator writes, without handing a worker a long queue it may die with.
_WINDOW_PER_JOB = 4
#: Most results held done but not yet written, waiting for an earlier item. Items differ in cost
#: by 100x and more (an exact license text takes a millisecond, one that needs ScanCode's
#: matcher most of a second, the first one also the index's load): a buffer this deep lets the
#: other workers go on past a slow item instead of idling, and still bounds memory (a report is
#: a few kilobytes) whatever the size of the corpus.
_REORDER_LIMIT = 512


#: The base models of the corpus, for the item being analyzed in this thread (set by
#: :class:`_CorpusAnalyzer`, so that :func:`_analyze_to_dict` stays the one per-item function,
#: which tests and instrumentation replace).
_corpus_bases: contextvars.ContextVar[CorpusBases | None] = contextvars.ContextVar(
    "openlicense_corpus_bases", default=None
)


def _analyze_to_dict(path: str) -> dict[str, Any]:
    from openlicense.report import analyze

    return analyze(path, corpus_licenses=_corpus_bases.get()).to_dict()


def scan(
    folder_or_items: str | os.PathLike[str] | Iterable[Item | str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    executor: Executor | str = "process",
    scheduler: Any = None,
    resume_from: str | os.PathLike[str] | Set[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    analyzer: Callable[[str], dict[str, Any]] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    idle: Callable[[], None] | None = None,
) -> Generator[ScanResult, None, None]:
    """Analyze every item and yield one :class:`ScanResult` per item, in the items' order.

    ``folder_or_items`` is a folder (walked as the scan goes, in the order of
    :func:`find_items`), one file, a :class:`~openlicense.batch.walk.Corpus` of several, or the
    items (or paths) themselves, taken from the iterable only as the window has room (a
    generator is never read ahead). Base models are looked for under the folders (for a list of
    items, under the folder that holds them all; for another iterable, not at all). ``jobs`` is
    the number of workers (default: the number of CPUs).
    ``executor``: ``process`` (default; a worker process per job, forked with the license
    catalog loaded, each loading ScanCode's index once if a text needs it), ``thread``,
    ``serial`` (in the calling thread), or ``dask`` (tasks on the Dask cluster at
    ``scheduler``, an address or a ``distributed.Client``; without one, a local cluster of
    ``jobs`` worker processes).
    ``resume_from`` skips items already done: the paths themselves, or an earlier output file
    (JSON lines or CSV) whose complete results are read with :func:`read_previous`.
    ``progress(done, total)`` is called after each result, ``total`` being the number of items
    found so far (the walk runs ahead of the results, and ends before the last of them).
    ``idle()`` is called each time the scan is about to wait for its workers, with every result
    it has so far yielded: a writer that buffers lines flushes them there.
    ``analyzer(path) -> dict`` replaces ``analyze(path).to_dict()`` (for process and Dask
    executors it must be a module-level function, so that it can be pickled). ``timeout``:
    seconds one item may take with the process executor (default
    :data:`~openlicense.batch.engines.DEFAULT_TIMEOUT`; ``None`` or 0 for none); an item over
    it gets an ``ItemTimeout`` error result, its worker is replaced and the scan goes on. The
    thread, serial and Dask executors cannot stop an item and keep no deadline.

    Results are yielded as soon as they and every earlier item are done; stop iterating (or
    close the iterator) to cancel the rest. Raises :class:`ScanError` for an unusable folder,
    executor or resume file; a bad item never raises.
    """
    if executor not in EXECUTORS:
        raise ScanError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    if jobs is not None and jobs < 1:
        raise ScanError(f"jobs must be at least 1, not {jobs}")
    if timeout is not None and not timeout >= 0:
        raise ScanError(f"timeout must be a number of seconds, not {timeout}")
    if analyzer is not None and executor in ("process", "dask"):
        import pickle

        try:
            pickle.dumps(analyzer)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            # Caught here, once, rather than as the same error result for every item.
            raise ScanError(
                f"the {executor} executor needs a module-level analyzer function: {exc}"
            ) from exc
    items, roots = _items_of(folder_or_items)
    done: Set[str] = frozenset()
    if isinstance(resume_from, str | os.PathLike):
        done = read_previous(resume_from).done
    elif resume_from is not None:
        done = resume_from
    todo = (item for item in items if item.path not in done) if done else items
    if analyzer is None:
        # A derivative's base model may be in the same corpus: the worker analyzing it looks
        # the base up under the scanned folders (openlicense.batch.corpus), so nothing about
        # the corpus is read before the first item.
        analyzer = _CorpusAnalyzer(roots) if roots else _analyze_to_dict
    return _scan(
        todo,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        progress=progress,
        analyzer=analyzer,
        timeout=timeout,
        idle=idle,
    )


@dataclass(frozen=True)
class _CorpusAnalyzer:
    """``analyze(path)`` that finds the base models kept under the scanned folders.

    It is pickled with every task, so it carries only the folders' paths."""

    roots: tuple[str, ...]

    def __call__(self, path: str) -> dict[str, Any]:
        token = _corpus_bases.set(CorpusBases(self.roots, path))
        try:
            return _analyze_to_dict(path)
        finally:
            _corpus_bases.reset(token)


def _items_of(
    source: str | os.PathLike[str] | Iterable[Item | str | os.PathLike[str]],
) -> tuple[Iterator[Item], tuple[str, ...]]:
    """The items, lazily, and the folders under which base models are looked for."""
    if isinstance(source, str | os.PathLike):
        items = iter_items(source)  # raises ScanError now for a missing folder
        return items, (os.path.normpath(os.fspath(source)),)
    if isinstance(source, Corpus):
        return iter(source), source.roots
    if isinstance(source, Sequence):
        # A list of items: the corpus is the folder that holds them all.
        listed = [s if isinstance(s, Item) else item_for_path(s) for s in source]
        try:
            common = os.path.commonpath([os.path.dirname(i.path) or "." for i in listed])
        except ValueError:  # absolute and relative paths mixed, or nothing listed
            return iter(listed), ()
        return iter(listed), (common,)
    return (s if isinstance(s, Item) else item_for_path(s) for s in source), ()


def _scan(
    todo: Iterator[Item],
    *,
    jobs: int | None,
    executor: str,
    scheduler: Any,
    progress: Callable[[int, int], None] | None,
    analyzer: Callable[[str], dict[str, Any]],
    timeout: float | None = DEFAULT_TIMEOUT,
    idle: Callable[[], None] | None = None,
) -> Generator[ScanResult, None, None]:
    first = next(todo, None)
    if first is None:
        return  # no pool, no cluster for nothing
    workers = jobs or os.cpu_count() or 1
    engine: Engine
    if executor == "serial":
        engine, flight = SerialEngine(analyzer), 1
    elif executor == "thread":
        engine = FuturesEngine(cf.ThreadPoolExecutor(max_workers=workers), analyzer)
        flight = _WINDOW_PER_JOB * workers
    elif executor == "process":
        # Worker processes start on demand: a scan of one item starts one.
        engine = ProcessEngine(workers, analyzer, timeout=timeout)
        # room for each worker's batches (engines._Batches grows them to MAX_BATCH items
        # when items are quick)
        flight = _WINDOW_PER_JOB * workers * MAX_BATCH
    else:
        client, owned = dask_client(scheduler, jobs)
        if jobs is None:
            with contextlib.suppress(Exception):
                workers = max(1, sum(client.nthreads().values()))
        engine = DaskEngine(client, analyzer, owned)
        flight = _WINDOW_PER_JOB * workers * MAX_DASK_BATCH

    # At most `flight` items in the workers, and at most `pending` taken from the stream but not
    # yet yielded (in flight, or done and waiting in `ready` for an earlier item). `found` is
    # how many items the stream has given so far: the total once it is exhausted.
    pending = 1 if executor == "serial" else max(flight, _REORDER_LIMIT)
    ready: dict[int, dict[str, Any]] = {}  # the reorder buffer: done, waiting for earlier items
    taken: dict[int, Item] = {0: first}  # items taken and not yet yielded
    source: Iterator[Item] | None = todo
    found, in_flight, next_submit, next_emit = 1, 0, 0, 0
    finished = False
    try:
        while True:
            while in_flight < flight and in_flight + len(ready) < pending:
                if next_submit == found:
                    item = next(source, None) if source is not None else None
                    if item is None:
                        source = None
                        break
                    taken[found] = item
                    found += 1
                item = taken[next_submit]
                if item.error is not None:
                    ready[next_submit] = error_report(
                        item.path, item.error, item.error_type or "InputError", kind=item.kind
                    )
                else:
                    engine.submit(next_submit, item.path)
                    in_flight += 1
                next_submit += 1
            if next_emit in ready:
                yield ScanResult(next_emit, taken.pop(next_emit), ready.pop(next_emit))
                next_emit += 1
                if progress is not None:
                    progress(next_emit, found)
                continue
            if source is None and next_emit == found:
                break
            if idle is not None:
                idle()
            for key, outcome in engine.wait():
                in_flight -= 1
                ready[key] = _report_of(taken[key], outcome)
        finished = True
    finally:
        engine.close(cancel=not finished)


def _report_of(item: Item, outcome: Outcome) -> dict[str, Any]:
    if isinstance(outcome, KeyboardInterrupt):
        raise outcome
    if isinstance(outcome, BaseException):
        if isinstance(outcome, WorkerDied | ItemTimeout):
            return error_report(item.path, str(outcome), type(outcome).__name__, kind=item.kind)
        return with_item(crash_report(item.path, outcome, bug=False), item)
    path, report = outcome
    if not isinstance(report, dict) or path != item.path:
        return error_report(
            item.path,
            f"{item.path}: the analysis returned {type(report).__name__}, not a report",
            "InternalError",
            kind=item.kind,
        )
    return with_item(report, item)

"""``openlicense scan``: analyze every release in a folder tree, in parallel, as a stream.

Flow: :func:`find_items` walks the tree once and lists what there is to analyze (model
repositories, flat model cards, Model Openness Tool files, standalone license files), sorted by
path → :func:`scan` runs :func:`openlicense.report.analyze` on each item in a pool of worker
processes (or threads, or a Dask cluster) and yields one :class:`ScanResult` per item *in the
order of the items*, whatever order the workers finish in → the writers turn each result into a
JSON line, a CSV row or a line of text, and :class:`ScanSummary` counts them.

Guarantees, and why they hold:

- Nothing is lost: N items give N results. An item that cannot be read, or whose analysis
  raises (a bug, a ``MemoryError``), or whose worker process dies, gives a result with
  ``error`` set; the scan goes on (a broken process pool is replaced).
- Memory stays flat: at most ``4 x jobs`` items are in flight in the workers, and at most 512
  finished results wait in the reorder buffer for an earlier, slower item, so a scan never
  holds all results nor all futures, however many items there are.
- The order is deterministic: the same tree gives the same lines in the same order with any
  executor and any number of jobs.

The module imports neither the analysis stack nor Dask: workers import what they need, and the
``dask`` executor imports ``distributed`` when asked for.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import csv
import importlib
import io
import json
import os
import re
import signal
import sys
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Sequence, Set
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TextIO

from openlicense.errors import OpenLicenseError

__all__ = [
    "CSV_HEADER",
    "EXECUTORS",
    "Item",
    "ItemKind",
    "Previous",
    "ScanError",
    "ScanResult",
    "ScanSummary",
    "add_scan_parser",
    "csv_row",
    "error_report",
    "find_items",
    "item_for_path",
    "jsonl_line",
    "main",
    "read_previous",
    "scan",
    "scan_command",
    "text_line",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # as the shell reports a command ended by Ctrl-C

#: How an item was found, named as :class:`openlicense.model.Release` names its ``format``;
#: ``folder`` is a folder that could not be listed (always with ``error`` set).
ItemKind = Literal["hf-repo", "model-card", "mot", "license-file", "folder"]
Executor = Literal["process", "thread", "serial", "dask"]
EXECUTORS: tuple[str, ...] = ("process", "thread", "serial", "dask")

#: Items submitted and not yet done, per job: enough to keep every worker busy while the
#: coordinator writes, without handing a worker a long queue it may die with.
_WINDOW_PER_JOB = 4
#: Most results held done but not yet written, waiting for an earlier item. Items differ in cost
#: by 100x and more (an exact license text takes a millisecond, one that needs ScanCode's
#: matcher most of a second, the first one also the index's load): a buffer this deep lets the
#: other workers go on past a slow item instead of idling, and still bounds memory (a report is
#: a few kilobytes) whatever the size of the corpus.
_REORDER_LIMIT = 512

# The OSAID freedoms (vocabulary section 3), as every report lists them. Written out rather than
# imported from the catalog so that importing this module stays cheap; a test keeps them equal.
_FREEDOMS = ("use", "study", "modify", "share")
_SCHEMA = "openlicense/report/v1"
_SUMMARY_SCHEMA = "openlicense/scan-summary/v1"
_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class ScanError(OpenLicenseError, ValueError):
    """A scan cannot start: a missing folder, an executor that is not installed, an output file
    that cannot be resumed. (Bad *items* never raise: they become results with ``error``.)"""


# --------------------------------------------------------------------------------------------
# discovery


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to analyze: a path and how it was recognized.

    An item with ``error`` set was found but cannot be analyzed (a folder that cannot be
    listed); :func:`scan` turns it into an error result without sending it to a worker.
    """

    path: str
    kind: ItemKind
    error: str | None = None
    error_type: str | None = None


_README_NAMES = frozenset({"readme.md", "readme.markdown"})
_FLAT_CARD = re.compile(r"^(?P<prefix>.+__.+?\.)readme\.md$", re.IGNORECASE)
_LICENSE_PREFIX = re.compile(r"^licen[cs]e", re.IGNORECASE)
_LICENSE_NAME = re.compile(r"^(?:licen[cs]e|copying|use[_\-]?policy|notice)", re.IGNORECASE)
_LICENSES_FOLDER = frozenset({"licenses", "licences"})
_YAML_SUFFIXES = (".yml", ".yaml")
# Files whose name says "license" but which are code, data, images or weights, not texts
# (license_check.py, license.json, LICENSE.png): a license folder's index is not a license.
_NOT_A_TEXT = frozenset(
    {
        ".py", ".js", ".ts", ".ipynb", ".sh", ".json", ".jsonl", ".toml", ".cfg", ".ini",
        ".lock", ".csv", ".tsv", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp",
        ".safetensors", ".gguf", ".onnx", ".bin", ".pt", ".pth", ".ckpt", ".pkl", ".h5",
        ".msgpack", ".zip", ".gz", ".tar", ".pyc",
    }
)  # fmt: skip
#: How much of a YAML file is searched for a top-level ``release:`` key: Model Openness Tool
#: files put it within the first lines, and a big YAML file is data, not a release manifest.
_MOT_PROBE_BYTES = 64 * 1024
_MOT_RELEASE_KEY = re.compile(rb"^[\"']?release[\"']?[ \t]*:", re.MULTILINE)
_FRONT_MATTER_PROBE_BYTES = 64


def item_for_path(path: str | os.PathLike[str]) -> Item:
    """The item for a path named explicitly, recognized by what it is, as ``analyze`` does."""
    p = os.fspath(path)
    name = os.path.basename(p.rstrip(os.sep)).lower()
    if os.path.isdir(p):
        return Item(p, "hf-repo")
    if name.endswith(_YAML_SUFFIXES):
        return Item(p, "mot")
    if name.endswith("readme.md") or name == "readme":
        return Item(p, "model-card")
    return Item(p, "license-file")


def find_items(folder: str | os.PathLike[str]) -> list[Item]:
    """Every release under ``folder``, sorted by path.

    - a **model repository** (``hf-repo``): a folder whose ``README.md`` opens with YAML front
      matter, or any folder with a ``README.md`` and a ``LICENSE*`` file. The repository owns
      the license files beneath it (its reader reads them); repositories, flat model cards and
      Model Openness Tool files beneath it are still items of their own;
    - a **flat model card** (``model-card``): ``owner__repo.README.md``; the files sharing its
      ``owner__repo.`` prefix are its companions, not items;
    - a **Model Openness Tool file** (``mot``): ``*.yml``/``*.yaml`` with a top-level
      ``release:`` key (found by reading the first lines, not by parsing);
    - a **standalone license file** (``license-file``): ``LICENSE*``, ``LICENCE*``,
      ``COPYING*``, ``USE_POLICY*``, ``NOTICE*``, ``*.license`` (also after an ``owner__repo.``
      prefix), and any text file in a folder named ``licenses``, outside every repository.

    Hidden files and folders are skipped. Symbolic links are never followed out of the tree,
    and linked folders are not descended (the real folder is walked where it is). A folder that
    cannot be listed becomes an item with ``error`` set. A path that is a file gives one item.
    """
    root = os.path.normpath(os.fspath(folder))
    if not os.path.lexists(root):
        raise ScanError(f"{root}: no such file or folder")
    if not os.path.isdir(root):
        return [item_for_path(root)]
    root_real = os.path.realpath(root)
    items: list[Item] = []
    stack: list[tuple[str, bool]] = [(root, False)]
    while stack:
        current, in_repo = stack.pop()
        listing = _list_folder(current, root_real)
        if isinstance(listing, Item):
            items.append(listing)
            continue
        files, folders = listing
        here_repo = _is_repository(current, files)
        if here_repo:
            items.append(Item(current, "hf-repo"))
        owned = in_repo or here_repo
        licenses_folder = os.path.basename(current).lower() in _LICENSES_FOLDER
        prefixes: list[str] = []
        for name in files:
            flat = _FLAT_CARD.match(name)
            if flat:
                prefixes.append(flat.group("prefix"))
                items.append(Item(os.path.join(current, name), "model-card"))
        for name in files:
            if _FLAT_CARD.match(name) or any(name.startswith(p) for p in prefixes):
                continue  # a flat card, or one of its companions (read with the card)
            path = os.path.join(current, name)
            if name.lower().endswith(_YAML_SUFFIXES):
                if _looks_like_mot(path):
                    items.append(Item(path, "mot"))
            elif not owned and _is_license_file(name, licenses_folder):
                items.append(Item(path, "license-file"))
        stack.extend((os.path.join(current, d), owned) for d in reversed(folders))
    items.sort(key=lambda item: item.path)
    return items


def _list_folder(folder: str, root_real: str) -> tuple[list[str], list[str]] | Item:
    """The visible files and real sub-folders of ``folder``, or an error item."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        error_type = (
            "MissingInputError" if isinstance(exc, FileNotFoundError) else "UnreadableInputError"
        )
        reason = exc.strerror or str(exc)
        return Item(folder, "folder", f"{folder}: cannot list the folder: {reason}", error_type)
    files: list[str] = []
    folders: list[str] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                inside = target == root_real or target.startswith(root_real + os.sep)
                # A linked folder inside the tree is walked where it really is; descending the
                # link too would report it twice (or loop forever on a cycle).
                if inside and os.path.isfile(target):
                    files.append(entry.name)
            elif entry.is_dir(follow_symlinks=False):
                folders.append(entry.name)
            elif entry.is_file(follow_symlinks=False):
                files.append(entry.name)
        except OSError:
            continue  # vanished while listing, or a link we cannot resolve: nothing to read
    return files, folders


def _is_repository(folder: str, files: Sequence[str]) -> bool:
    readme = next((f for f in files if f.lower() in _README_NAMES), None)
    if readme is None:
        return False
    if any(_LICENSE_PREFIX.match(f) for f in files):
        return True
    return _has_front_matter(os.path.join(folder, readme))


def _has_front_matter(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(_FRONT_MATTER_PROBE_BYTES)
    except OSError:
        # An unreadable card still marks a repository, so that analyze() reports why it cannot
        # be read instead of the folder silently not being scanned.
        return True
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"---")


def _looks_like_mot(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(_MOT_PROBE_BYTES)
    except OSError:
        return True  # cannot tell: let analyze() report what is wrong with the file
    return _MOT_RELEASE_KEY.search(head) is not None


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _is_license_file(name: str, in_licenses_folder: bool) -> bool:
    if in_licenses_folder:
        return _suffix(name) not in _NOT_A_TEXT
    return _is_license_name(name)


def _is_license_name(name: str) -> bool:
    if _suffix(name) in _NOT_A_TEXT:
        return False
    if name.lower().endswith(".license") or _LICENSE_NAME.match(name):
        return True
    head, dot, rest = name.partition(".")
    return bool(dot) and "__" in head and _LICENSE_NAME.match(rest) is not None


# --------------------------------------------------------------------------------------------
# results


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
    report: dict[str, Any] = {
        "schema": _SCHEMA,
        "subject": {"name": os.path.basename(path.rstrip(os.sep)) or path, "path": path,
                    "format": None},
        "components": [],
        "verdict": None,
        "reasons": [],
        "freedoms": {f: {"status": "unknown", "reasons": []} for f in _FREEDOMS},
        "mof_class": None,
        "mof": {},
        "openness": {},
        "flags": [],
        "files": [],
        "errors": [],
        "error": message,
        "error_type": error_type,
    }  # fmt: skip
    return _with_item(report, Item(path, kind or item_for_path(path).kind))


def _with_item(report: dict[str, Any], item: Item) -> dict[str, Any]:
    # The subject's path is what the analysis read (a repository's README.md); the item's is
    # what the scan found, which is what --resume matches and the CSV's path column shows.
    out: dict[str, Any] = {"schema": report.get("schema", _SCHEMA)}
    out["item"] = {"path": item.path, "kind": item.kind}
    out.update((k, v) for k, v in report.items() if k not in out)
    return out


def _analyze_to_dict(path: str) -> dict[str, Any]:
    from openlicense.report import analyze

    return analyze(path).to_dict()


def _crash_report(path: str, exc: BaseException, *, bug: bool = True) -> dict[str, Any]:
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


def _run_one(analyzer: Callable[[str], dict[str, Any]], path: str) -> tuple[str, dict[str, Any]]:
    """The per-item task every executor runs: never raises for the item's sake."""
    try:
        report = analyzer(path)
    except (Exception, SystemExit) as exc:  # a bug in one item must not end the batch
        report = _crash_report(path, exc)
    return path, report


def _init_process_worker() -> None:
    # Ctrl-C reaches the whole process group. Only the coordinator handles it (it stops the
    # scan and flushes what is done); a worker that raised KeyboardInterrupt would instead turn
    # the item it was analyzing into an error result that --resume would then skip.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# --------------------------------------------------------------------------------------------
# executors: submit(key, path), then wait() for at least one (key, outcome)

_Outcome = tuple[str, dict[str, Any]] | BaseException


class _Engine(Protocol):
    def submit(self, key: int, path: str) -> None: ...
    def wait(self) -> list[tuple[int, _Outcome]]: ...
    def close(self, *, cancel: bool) -> None: ...


class _SerialEngine:
    """Runs each item in the calling thread, when its result is waited for."""

    def __init__(self, analyzer: Callable[[str], dict[str, Any]]) -> None:
        self._analyzer = analyzer
        self._queue: deque[tuple[int, str]] = deque()

    def submit(self, key: int, path: str) -> None:
        self._queue.append((key, path))

    def wait(self) -> list[tuple[int, _Outcome]]:
        key, path = self._queue.popleft()
        return [(key, _run_one(self._analyzer, path))]

    def close(self, *, cancel: bool) -> None:
        self._queue.clear()


class _FuturesEngine:
    """A ``concurrent.futures`` thread pool."""

    def __init__(self, pool: cf.Executor, analyzer: Callable[[str], dict[str, Any]]) -> None:
        self._pool = pool
        self._analyzer = analyzer
        self._futures: dict[cf.Future[tuple[str, dict[str, Any]]], int] = {}

    def submit(self, key: int, path: str) -> None:
        self._futures[self._pool.submit(_run_one, self._analyzer, path)] = key

    def wait(self) -> list[tuple[int, _Outcome]]:
        done, _ = cf.wait(self._futures, return_when=cf.FIRST_COMPLETED)
        return [(self._futures.pop(f), _outcome(f)) for f in done]

    def close(self, *, cancel: bool) -> None:
        self._pool.shutdown(wait=not cancel, cancel_futures=True)


def _exception(future: cf.Future[tuple[str, dict[str, Any]]]) -> BaseException | None:
    return None if future.cancelled() else future.exception()


def _outcome(future: cf.Future[tuple[str, dict[str, Any]]]) -> _Outcome:
    if future.cancelled():
        return cf.CancelledError("the task was cancelled")
    exc = future.exception()
    return exc if exc is not None else future.result()


class _WorkerDied(RuntimeError):
    """The worker process analyzing an item died (killed, out of memory, a crash in C code)."""


def _process_context() -> Any:
    import multiprocessing

    # forkserver, not fork: the coordinator may have threads (a Dask client, the caller's), and
    # forking a threaded process can deadlock the child. The server preloads the analysis
    # modules once, so each worker starts with them imported.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["openlicense.report", "openlicense.batch"])
        return ctx
    return multiprocessing.get_context("spawn")


class _ProcessEngine:
    """A process pool that survives its workers dying.

    When a worker dies, every item in flight fails with ``BrokenProcessPool`` and nobody knows
    which item killed it. The pool is replaced and those items are run again *one at a time*:
    an item that breaks the pool while it is alone in flight is the culprit and gets an error
    result; the others get their real results. Then the scan goes back to running in parallel.
    """

    def __init__(self, jobs: int, analyzer: Callable[[str], dict[str, Any]]) -> None:
        self._jobs = jobs
        self._analyzer = analyzer
        self._ctx = _process_context()
        self._pool = self._new_pool()
        self._futures: dict[cf.Future[tuple[str, dict[str, Any]]], tuple[int, str]] = {}
        self._suspects: deque[tuple[int, str]] = deque()  # to rerun alone after a breakage
        self._held: deque[tuple[int, str]] = deque()  # submitted while suspects were rerun

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(
            max_workers=self._jobs, mp_context=self._ctx, initializer=_init_process_worker
        )

    def submit(self, key: int, path: str) -> None:
        if self._suspects:
            self._held.append((key, path))
        else:
            self._start(key, path)

    def _start(self, key: int, path: str) -> None:
        from concurrent.futures.process import BrokenProcessPool

        try:
            future = self._pool.submit(_run_one, self._analyzer, path)
        except BrokenProcessPool:
            self._restart()
            future = self._pool.submit(_run_one, self._analyzer, path)
        self._futures[future] = (key, path)

    def _restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()

    def _feed(self) -> None:
        if self._futures:
            return
        if self._suspects:
            self._start(*self._suspects.popleft())
        else:
            while self._held:
                self._start(*self._held.popleft())

    def wait(self) -> list[tuple[int, _Outcome]]:
        from concurrent.futures.process import BrokenProcessPool

        while True:
            self._feed()
            alone = len(self._futures) == 1
            done, _ = cf.wait(self._futures, return_when=cf.FIRST_COMPLETED)
            if not any(isinstance(_exception(f), BrokenProcessPool) for f in done):
                return [(self._futures.pop(f)[0], _outcome(f)) for f in done]
            # The pool is broken: every future still in it fails too. Keep what finished.
            out: list[tuple[int, _Outcome]] = []
            broken: list[tuple[int, str]] = []
            for future, (key, path) in self._futures.items():
                if future.done() and not isinstance(_exception(future), BrokenProcessPool):
                    out.append((key, _outcome(future)))
                else:
                    broken.append((key, path))
            self._futures.clear()
            self._restart()
            if alone:
                key, path = broken[0]
                out.append(
                    (key, _WorkerDied(f"{path}: the worker process analyzing it died; rerun "
                                      "it alone with 'openlicense check' to see why"))
                )  # fmt: skip
            else:
                self._suspects.extendleft(sorted(broken, reverse=True))
            if out:
                return out

    def close(self, *, cancel: bool) -> None:
        if cancel:
            # Workers ignore Ctrl-C (see _init_process_worker); end them so that an interrupted
            # scan returns at once rather than after the items they are analyzing.
            processes = getattr(self._pool, "_processes", None) or {}
            for process in list(processes.values()):
                with contextlib.suppress(Exception):
                    process.terminate()
        self._pool.shutdown(wait=not cancel, cancel_futures=True)


class _DaskEngine:
    """Items as tasks on a Dask distributed cluster, with the same bounded window."""

    def __init__(
        self, client: Any, analyzer: Callable[[str], dict[str, Any]], owned: list[Any]
    ) -> None:
        import uuid

        distributed = importlib.import_module("distributed")
        self._client = client
        self._analyzer = analyzer
        self._owned = owned  # the client and cluster this scan started, closed at the end
        self._completed = distributed.as_completed()
        self._futures: dict[str, tuple[int, Any]] = {}
        self._token = uuid.uuid4().hex  # keys unique across scans sharing a cluster

    def submit(self, key: int, path: str) -> None:
        # pure=False and a unique key: Dask would otherwise merge two tasks with equal
        # arguments, and a rerun scan must not reuse a cached (possibly failed) result.
        future = self._client.submit(
            _run_one, self._analyzer, path, key=f"openlicense-scan-{self._token}-{key}",
            pure=False, retries=0,
        )  # fmt: skip
        self._futures[future.key] = (key, future)
        self._completed.add(future)

    def wait(self) -> list[tuple[int, _Outcome]]:
        out: list[tuple[int, _Outcome]] = []
        for future in self._completed.next_batch(block=True):
            key, _ = self._futures.pop(future.key)
            outcome: _Outcome
            try:
                outcome = future.result()
            except Exception as exc:  # KilledWorker, a lost connection, a cancelled task...
                outcome = exc
            future.release()
            out.append((key, outcome))
        return out

    def close(self, *, cancel: bool) -> None:
        futures = [f for _, f in self._futures.values()]
        if futures:
            with contextlib.suppress(Exception):
                self._client.cancel(futures)
        self._futures.clear()
        for thing in self._owned:
            with contextlib.suppress(Exception):
                thing.close()


def _dask_client(scheduler: Any, jobs: int | None) -> tuple[Any, list[Any]]:
    try:
        distributed = importlib.import_module("distributed")
    except ImportError as exc:
        raise ScanError(
            "the dask executor needs Dask distributed: pip install 'openlicense[dask]'"
        ) from exc
    if scheduler is not None and not isinstance(scheduler, str | os.PathLike):
        return scheduler, []  # a Client the caller made and will close
    import logging

    if scheduler is not None:
        client = distributed.Client(os.fspath(scheduler))
        return client, [client]
    cluster = distributed.LocalCluster(
        n_workers=jobs or os.cpu_count() or 1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        # Closing workers that hold ScanCode's index takes the nanny a few seconds, which it
        # reports as a warning; nothing is wrong, so only errors are shown.
        silence_logs=logging.ERROR,
    )
    client = distributed.Client(cluster)
    return client, [client, cluster]


# --------------------------------------------------------------------------------------------
# scan


def scan(
    folder_or_items: str | os.PathLike[str] | Iterable[Item | str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    executor: Executor | str = "process",
    scheduler: Any = None,
    resume_from: str | os.PathLike[str] | Set[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    analyzer: Callable[[str], dict[str, Any]] | None = None,
) -> Generator[ScanResult, None, None]:
    """Analyze every item and yield one :class:`ScanResult` per item, in the items' order.

    ``folder_or_items`` is a folder (walked with :func:`find_items`), one file, or the items
    (or paths) themselves. ``jobs`` is the number of workers (default: the number of CPUs).
    ``executor``: ``process`` (default; a worker process per job, each loading the license
    catalog and ScanCode's index once), ``thread``, ``serial`` (in the calling thread), or
    ``dask`` (tasks on the Dask cluster at ``scheduler``, an address or a
    ``distributed.Client``; without one, a local cluster of ``jobs`` worker processes).
    ``resume_from`` skips items already done: the paths themselves, or an earlier output file
    (JSON lines or CSV) whose complete results are read with :func:`read_previous`.
    ``progress(done, total)`` is called after each result. ``analyzer(path) -> dict`` replaces
    ``analyze(path).to_dict()`` (for process and Dask executors it must be a module-level
    function, so that it can be pickled).

    Results are yielded as soon as they and every earlier item are done; stop iterating (or
    close the iterator) to cancel the rest. Raises :class:`ScanError` for an unusable folder,
    executor or resume file; a bad item never raises.
    """
    if executor not in EXECUTORS:
        raise ScanError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    if jobs is not None and jobs < 1:
        raise ScanError(f"jobs must be at least 1, not {jobs}")
    if analyzer is not None and executor in ("process", "dask"):
        import pickle

        try:
            pickle.dumps(analyzer)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            # Caught here, once, rather than as the same error result for every item.
            raise ScanError(
                f"the {executor} executor needs a module-level analyzer function: {exc}"
            ) from exc
    items = _items_of(folder_or_items)
    done: Set[str] = frozenset()
    if isinstance(resume_from, str | os.PathLike):
        done = read_previous(resume_from).done
    elif resume_from is not None:
        done = resume_from
    todo = [item for item in items if item.path not in done] if done else items
    if analyzer is None:
        # A derivative's base model may be in the same corpus: read the declared licenses of
        # the corpus's repositories once, and give the workers the ones some item builds on.
        bases = corpus_base_licenses(items)
        analyzer = _CorpusAnalyzer(bases) if bases else _analyze_to_dict
    return _scan(
        todo,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        progress=progress,
        analyzer=analyzer,
    )


@dataclass(frozen=True)
class _CorpusAnalyzer:
    """``analyze(path)`` knowing the licenses of the base models found in the same corpus.

    It is pickled with every task, so it carries only the models some item derives from."""

    bases: dict[str, str]

    def __call__(self, path: str) -> dict[str, Any]:
        from openlicense.report import analyze

        return analyze(path, corpus_licenses=self.bases).to_dict()


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S)


def _card_facts(item: Item) -> tuple[str, str | None, list[str]] | None:
    """(model id, declared license, base model ids) of a repository or model card item."""
    import yaml

    path = item.path
    if os.path.isdir(path):
        card = os.path.join(path, "README.md")
        name = "/".join(os.path.normpath(path).split(os.sep)[-2:])
    elif path.endswith(".README.md") and "__" in os.path.basename(path):
        card = path
        name = os.path.basename(path).removesuffix(".README.md").replace("__", "/", 1)
    else:
        return None
    try:
        with open(card, encoding="utf-8") as handle:
            head = handle.read(65_536)
        m = _FRONT_MATTER.match(head)
        data = yaml.safe_load(m.group(1)) if m else None
    except Exception:  # RecursionError on deep nesting, too
        # The worker reads the card again and reports what is wrong with it as that item's
        # error; this pre-pass must never end the scan before it starts.
        return None
    if not isinstance(data, dict):
        return None
    declared = data.get("license_name") if data.get("license") == "other" else data.get("license")
    base = data.get("base_model") or []
    bases = [str(b) for b in (base if isinstance(base, list) else [base]) if b]
    return name, str(declared) if declared else None, bases


def corpus_base_licenses(items: Sequence[Item]) -> dict[str, str]:
    """Model id → declared license expression, for the corpus models other items build on."""
    from openlicense.normalization import normalize

    facts = [f for f in (_card_facts(i) for i in items) if f is not None]
    wanted = {b.lower() for _, _, bases in facts for b in bases}
    out: dict[str, str] = {}
    for name, declared, _ in facts:
        if declared and name.lower() in wanted:
            result = normalize(declared)
            if result.expression:
                out[name] = result.expression
                out[name.lower()] = result.expression
    return out


def _items_of(
    source: str | os.PathLike[str] | Iterable[Item | str | os.PathLike[str]],
) -> list[Item]:
    if isinstance(source, str | os.PathLike):
        return find_items(source)
    return [s if isinstance(s, Item) else item_for_path(s) for s in source]


def _scan(
    todo: list[Item],
    *,
    jobs: int | None,
    executor: str,
    scheduler: Any,
    progress: Callable[[int, int], None] | None,
    analyzer: Callable[[str], dict[str, Any]],
) -> Generator[ScanResult, None, None]:
    total = len(todo)
    if total == 0:
        return
    workers = min(jobs or os.cpu_count() or 1, total)
    engine: _Engine
    if executor == "serial":
        engine, flight = _SerialEngine(analyzer), 1
    elif executor == "thread":
        engine = _FuturesEngine(cf.ThreadPoolExecutor(max_workers=workers), analyzer)
        flight = _WINDOW_PER_JOB * workers
    elif executor == "process":
        engine, flight = _ProcessEngine(workers, analyzer), _WINDOW_PER_JOB * workers
    else:
        client, owned = _dask_client(scheduler, jobs)
        if jobs is None:
            with contextlib.suppress(Exception):
                workers = max(1, sum(client.nthreads().values()))
        engine, flight = _DaskEngine(client, analyzer, owned), _WINDOW_PER_JOB * workers

    # At most `flight` items in the workers, and at most `pending` submitted but not yet yielded
    # (in flight, or done and waiting in `ready` for an earlier item).
    pending = 1 if executor == "serial" else max(flight, _REORDER_LIMIT)
    ready: dict[int, dict[str, Any]] = {}  # the reorder buffer: done, waiting for earlier items
    in_flight = next_submit = next_emit = 0
    finished = False
    try:
        while next_emit < total:
            while next_submit < total and in_flight < flight and in_flight + len(ready) < pending:
                item = todo[next_submit]
                if item.error is not None:
                    ready[next_submit] = error_report(
                        item.path, item.error, item.error_type or "InputError", kind=item.kind
                    )
                else:
                    engine.submit(next_submit, item.path)
                    in_flight += 1
                next_submit += 1
            if next_emit in ready:
                yield ScanResult(next_emit, todo[next_emit], ready.pop(next_emit))
                next_emit += 1
                if progress is not None:
                    progress(next_emit, total)
                continue
            for key, outcome in engine.wait():
                in_flight -= 1
                ready[key] = _report_of(todo[key], outcome)
        finished = True
    finally:
        engine.close(cancel=not finished)


def _report_of(item: Item, outcome: _Outcome) -> dict[str, Any]:
    if isinstance(outcome, KeyboardInterrupt):
        raise outcome
    if isinstance(outcome, BaseException):
        if isinstance(outcome, _WorkerDied):
            return error_report(item.path, str(outcome), "WorkerDied", kind=item.kind)
        return _with_item(_crash_report(item.path, outcome, bug=False), item)
    path, report = outcome
    if not isinstance(report, dict) or path != item.path:
        return error_report(
            item.path,
            f"{item.path}: the analysis returned {type(report).__name__}, not a report",
            "InternalError",
            kind=item.kind,
        )
    return _with_item(report, item)


# --------------------------------------------------------------------------------------------
# writers: each a pure function of one report

#: The CSV columns: those of the brief first, then the kind of item, the highest flag
#: severity (what --fail-on compares) and the error's type.
CSV_HEADER: tuple[str, ...] = (
    "path", "name", "format", "verdict", "mof_class", "weights", "flags", "error",
    "kind", "severity", "error_type",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Row:
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


def _row(report: dict[str, Any]) -> _Row:
    subject = report.get("subject") or {}
    item = report.get("item") or {}
    flags: list[str] = []
    severity = ""
    for flag in report.get("flags") or ():
        if flag.get("name") not in flags:
            flags.append(str(flag.get("name")))
        level = str(flag.get("severity", ""))
        if _SEVERITY_RANK.get(level, -1) > _SEVERITY_RANK.get(severity, -1):
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
    return _Row(
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
    return _csv_line(_row(report).fields())


def _csv_line(fields: Sequence[str]) -> str:
    buffer = io.StringIO()
    clean = [re.sub(r"\r\n|\r|\n", r"\\n", f) for f in fields]
    csv.writer(buffer, lineterminator="\n").writerow(clean)
    return _printable(buffer.getvalue())


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


_VERDICT_COLOR = {"open-source-ai": "32", "not-open-source-ai": "31"}


def text_line(report: dict[str, Any], *, color: bool = False) -> str:
    """One line a person can read: path, verdict, MOF class, weights' license and flags."""
    row = _row(report)
    if row.error:
        message = row.error.replace("\n", " ")
        return _printable(f"{row.path}: {_paint('error', '31', color)} ({row.error_type}) "
                          f"{message}\n")  # fmt: skip
    verdict = _paint(row.verdict or "?", _VERDICT_COLOR.get(row.verdict, "33"), color)
    line = f"{row.path}: {verdict}  MOF {row.mof_class or '-'}  weights {row.weights or '-'}"
    if row.flags:
        line += "  flags: " + ", ".join(row.flags)
    return _printable(line + "\n")


# --------------------------------------------------------------------------------------------
# summary


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
        self._count(_row(report))

    def _count(self, row: _Row) -> None:
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
            and (_SEVERITY_RANK[row.severity] >= _SEVERITY_RANK[self.fail_on])
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


# --------------------------------------------------------------------------------------------
# resuming


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
        if not isinstance(report, dict) or report.get("schema") != _SCHEMA:
            raise ScanError(f"{name}: line {number}: not a scan result; cannot resume safely")
        return report
    values = next(csv.reader([text]), [])
    if len(values) != len(CSV_HEADER):
        raise ScanError(f"{name}: line {number}: not a scan CSV row; cannot resume safely")
    row = dict(zip(CSV_HEADER, values, strict=True))
    # Enough of a report for the summary and the exit status.
    flags = [f for f in row["flags"].split(";") if f]
    severity = row["severity"] or "info"
    return {
        "schema": _SCHEMA,
        "item": {"path": row["path"], "kind": row["kind"]},
        "subject": {"name": row["name"], "path": row["path"], "format": row["format"] or None},
        "verdict": row["verdict"] or None,
        "mof_class": row["mof_class"] or None,
        # Each flag carries the row's highest severity: what --fail-on compares.
        "flags": [{"name": f, "severity": severity} for f in flags],
        "error": row["error"] or None,
        "error_type": row["error_type"] or None,
    }


# --------------------------------------------------------------------------------------------
# the command


class _LineSink:
    """Where result lines go: a stream (flushed per line) or a file (one append per line)."""

    def __init__(self, stream: TextIO | None = None, fd: int | None = None) -> None:
        self._stream = stream
        self._fd = fd

    def write(self, line: str) -> None:
        if self._fd is not None:
            # One write of a whole line to a file opened with O_APPEND: a run that is killed
            # leaves at most one partial line, at the end, which --resume drops.
            data = line.encode("utf-8", "surrogateescape")
            while data:
                data = data[os.write(self._fd, data) :]
        elif self._stream is not None:
            self._stream.write(line)
            self._stream.flush()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class _Progress:
    """``count/total  rate  ETA`` on one terminal line, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._last = 0.0
        self._first: tuple[float, int] | None = None
        self._shown = False

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self._first is None:
            # The rate is counted from the first result: the seconds before it are start-up
            # (workers starting, indexes loading), which would make the first ETAs absurd.
            self._first = (now, done)
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        since, base = self._first
        rate = (done - base) / (now - since) if now > since and done > base else 0.0
        eta = time.strftime("%H:%M:%S", time.gmtime((total - done) / rate)) if rate else "?"
        percent = 100 * done // total if total else 100
        self._stream.write(
            f"\r{done}/{total} items ({percent}%)  {rate:.1f} items/s  ETA {eta}\x1b[K"
        )
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return _isatty(stream)


def add_scan_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``scan`` subcommand (its handler is :func:`scan_command`, as ``args.func``)."""
    p = subparsers.add_parser(
        "scan",
        help="analyze every model repository, model card, MOT file and license file in folders",
        description="Find every model repository, flat model card, Model Openness Tool file and "
        "standalone license file under the folders and analyze each as 'openlicense check' "
        "does, in parallel, printing one result per item in a deterministic order. Exits 0 "
        "when no flag reaches --fail-on, 1 when one does, 2 when an item could not be read "
        "(or on a usage error), 130 when interrupted (rerun with --resume).",
    )
    p.add_argument("paths", nargs="+", metavar="FOLDER", help="folders (or files) to scan")
    p.add_argument("--format", choices=("text", "jsonl", "csv"), default="text")
    p.add_argument("-o", "--output", metavar="FILE", help="write results to FILE, not stdout")
    p.add_argument(
        "--resume",
        action="store_true",
        help="with --output: keep the results already in FILE and analyze only the rest",
    )
    p.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="workers (default: the number of CPUs)"
    )
    p.add_argument(
        "--executor",
        choices=EXECUTORS,
        help="where items are analyzed (default: process; dask with --scheduler)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address (tcp://host:8786); implies --executor dask",
    )
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "info", "never"),
        default="error",
        help="lowest flag severity that makes the exit status 1 (default: error)",
    )
    p.add_argument("--summary-json", metavar="FILE", help="also write the summary as JSON")
    p.add_argument(
        "--no-progress", action="store_true", help="no progress line, even on a terminal"
    )
    p.set_defaults(func=scan_command)


def _usage_error(message: str) -> int:
    print(f"openlicense scan: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def scan_command(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``openlicense scan`` with parsed ``args``, writing results to ``out`` (or
    ``--output``); returns the exit status."""
    err = sys.stderr
    fmt: str = args.format
    executor = args.executor or ("dask" if args.scheduler else "process")
    if args.scheduler and executor != "dask":
        return _usage_error("--scheduler needs --executor dask")
    if args.resume and not args.output:
        return _usage_error("--resume needs --output FILE")
    if args.resume and fmt == "text":
        return _usage_error("--resume needs --format jsonl or csv")
    if args.jobs is not None and args.jobs < 1:
        return _usage_error("--jobs must be at least 1")

    try:
        items: list[Item] = []
        for path in args.paths:
            items.extend(find_items(path))
    except ScanError as exc:
        return _usage_error(str(exc))
    if len(args.paths) > 1:  # overlapping arguments must not analyze (and print) a path twice
        items = list({item.path: item for item in items}.values())  # first-seen order

    summary = ScanSummary(fail_on=args.fail_on)
    done: frozenset[str] = frozenset()
    sink: _LineSink
    if args.output:
        try:
            if args.resume:
                previous = read_previous(
                    args.output, fmt="csv" if fmt == "csv" else "jsonl", on_report=summary.add
                )
                done = previous.done
                summary.previous = summary.items
                if os.path.exists(args.output):
                    os.truncate(args.output, previous.complete_bytes)
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if args.resume else os.O_TRUNC)
            fd = os.open(args.output, flags, 0o644)
            fresh = os.fstat(fd).st_size == 0
            sink = _LineSink(fd=fd)
        except ScanError as exc:
            return _usage_error(str(exc))
        except OSError as exc:
            return _usage_error(f"{args.output}: {exc.strerror}")
    else:
        sink, fresh = _LineSink(stream=out), True
    if fmt == "csv" and fresh:
        sink.write(_csv_line(CSV_HEADER))
    if done:
        left = sum(1 for item in items if item.path not in done)
        print(f"resuming: {len(items) - left} items done earlier, {left} to go", file=err)

    to_terminal = args.output is None and _isatty(out)
    progress = _Progress(err) if _isatty(err) and not args.no_progress and not to_terminal else None
    color = args.output is None and _color(out)
    if fmt == "jsonl":
        write: Callable[[dict[str, Any]], str] = jsonl_line
    elif fmt == "csv":
        write = csv_row
    else:

        def write(report: dict[str, Any]) -> str:
            return text_line(report, color=color)

    try:
        results = scan(
            items,
            jobs=args.jobs,
            executor=executor,
            scheduler=args.scheduler,
            resume_from=done or None,
            progress=progress.update if progress else None,
        )
        with contextlib.closing(results):
            for result in results:
                sink.write(write(result.report))
                summary.add(result.report)
    except KeyboardInterrupt:
        summary.interrupted = True
    except ScanError as exc:
        return _usage_error(str(exc))
    finally:
        if progress is not None:
            progress.close()
        sink.close()

    (out if fmt == "text" else err).write(summary.format_text())
    if not items:
        print("openlicense scan: no items found", file=err)
    if args.summary_json:
        try:
            with open(args.summary_json, "w", encoding="utf-8") as fh:
                json.dump(summary.to_dict(), fh, ensure_ascii=False, indent=2)
                fh.write("\n")
        except OSError as exc:
            return _usage_error(f"{args.summary_json}: {exc.strerror}")
    return summary.exit_status


def main(argv: Sequence[str] | None = None) -> int:
    """``openlicense scan ARGS``, until the subcommand is wired into :mod:`openlicense.cli`."""
    parser = argparse.ArgumentParser(prog="openlicense")
    add_scan_parser(parser.add_subparsers(dest="command"))
    try:
        args = parser.parse_args(["scan", *(sys.argv[1:] if argv is None else argv)])
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code) if isinstance(exc.code, int) else EXIT_ERROR
    try:
        return scan_command(args, sys.stdout)
    except KeyboardInterrupt:  # while listing the folders, before the scan could catch it
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Output piped into a command that stopped reading (head): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK

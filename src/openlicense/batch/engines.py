"""Where a scan's items are analyzed: four engines behind one small interface.

Each engine takes ``submit(key, path)`` and gives back, from ``wait()``, at least one
``(key, outcome)``: the ``(path, report)`` the per-item task returned, or the exception that
stopped it. ``close(cancel=...)`` ends it. :func:`openlicense.batch.scan` keeps the window of
items in flight and the order of the results; the engines only run tasks.

- :class:`SerialEngine`: in the calling thread, when the result is waited for;
- :class:`FuturesEngine`: a ``concurrent.futures`` thread pool;
- :class:`ProcessEngine`: a process pool that survives its workers dying, keeps a deadline
  per item (an item over it is an :class:`ItemTimeout` result and its worker is replaced), and
  whose workers die with the coordinator (no orphans when it is killed);
- :class:`DaskEngine`: tasks on a Dask distributed cluster (``distributed`` is imported only
  when asked for).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import importlib
import os
import signal
import statistics
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, Final, Protocol

from openlicense.batch.options import DEFAULT_TIMEOUT
from openlicense.batch.result import crash_report
from openlicense.errors import OpenLicenseError
from openlicense.read.discover import ScanError

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_BATCH",
    "DaskEngine",
    "Engine",
    "FuturesEngine",
    "ItemTimeout",
    "Outcome",
    "ProcessEngine",
    "SerialEngine",
    "WorkerDied",
    "dask_client",
]


def _run_one(analyzer: Callable[[str], dict[str, Any]], path: str) -> tuple[str, dict[str, Any]]:
    """The per-item task every executor runs: never raises for the item's sake."""
    try:
        report = analyzer(path)
    except (Exception, SystemExit) as exc:  # a bug in one item must not end the batch
        report = crash_report(path, exc)
    return path, report


#: In a worker: where it tells the coordinator which item it starts (set by the initializer).
_WORKER: dict[str, Any] = {}
#: How often a worker checks that the coordinator is still there, in seconds.
_WATCHDOG_PERIOD: Final = 1.0
_PR_SET_PDEATHSIG: Final = 1


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (best effort, Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists
        return True
    return True


def _watch_coordinator(coordinator: int, parent: int) -> None:
    """The portable fallback for PDEATHSIG: exit once the coordinator (or our parent) is gone."""
    while True:
        time.sleep(_WATCHDOG_PERIOD)
        if os.getppid() != parent or not _alive(coordinator):
            os._exit(1)


def _init_process_worker(coordinator: int = 0, starts: Any = None) -> None:
    # Ctrl-C reaches the whole process group. Only the coordinator handles it (it stops the
    # scan and flushes what is done); a worker that raised KeyboardInterrupt would instead turn
    # the item it was analyzing into an error result that --resume would then skip.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["starts"] = starts
    if coordinator:
        # A coordinator killed with SIGKILL (the OOM killer, a CI timeout) runs no cleanup:
        # its workers must end by themselves. The worker's parent is the forkserver (which
        # exits when the coordinator does) or the coordinator itself.
        parent = os.getppid()
        _die_with_parent()
        if os.getppid() != parent or not _alive(coordinator):  # died before prctl took hold
            os._exit(1)
        threading.Thread(target=_watch_coordinator, args=(coordinator, parent), daemon=True).start()


#: The most items one task of the process executor holds.
MAX_BATCH: Final = 16
#: The wall time a task of the process executor aims at: long beside the pool's own cost per
#: task (pickling, its queues, its manager thread: about half a millisecond of the
#: coordinator's CPU), short enough that results still stream out.
_BATCH_SECONDS: Final = 0.05

#: The most items one Dask task holds, and the wall time it aims at: a Dask task costs the
#: client and scheduler milliseconds (about 17 ms of CPU in all on the development machine).
MAX_DASK_BATCH: Final = 256
_DASK_BATCH_SECONDS: Final = 0.5
#: How many of the latest items' times the batch size is taken from.
_TIMINGS_KEPT: Final = 32

#: key, (path, report), seconds (None for a worker's first item, which loads the analysis)
_Done = tuple[int, tuple[str, dict[str, Any]], float | None]


def _run_batch_in_worker(
    analyzer: Callable[[str], dict[str, Any]], batch: list[tuple[int, str]]
) -> list[_Done]:
    """The process executor's task: each item in turn, saying which starts (for its deadline)."""
    starts = _WORKER.get("starts")
    out: list[_Done] = []
    for key, path in batch:
        if starts is not None:
            starts.put((key, os.getpid()))
        start = time.perf_counter()
        result = _run_one(analyzer, path)
        seconds = time.perf_counter() - start if _WORKER.get("warm") else None
        _WORKER["warm"] = True
        out.append((key, result, seconds))
    return out


class _Batches:
    """The items an engine has been given and not yet sent, and how many go in one task.

    One item per task until items have been timed (a worker's first item, which loads the
    analysis, is not), then as many as take ``seconds`` at the median time of the latest
    items, at most ``most``: the executor's own cost per task (pickling, queues, scheduling)
    is then shared by the items of a quick corpus, while a slow item still travels alone.
    """

    def __init__(self, jobs: int, most: int, seconds: float) -> None:
        self._jobs = jobs
        self._most = most
        self._seconds = seconds
        self.queued: list[tuple[int, str]] = []
        self._timings: deque[float] = deque(maxlen=_TIMINGS_KEPT)

    def size(self) -> int:
        """How many items the next task takes."""
        if not self._timings:
            return 1
        seconds = statistics.median(self._timings)
        return max(1, min(self._most, int(self._seconds / max(seconds, 1e-6))))

    def record(self, done: Iterable[_Done]) -> None:
        self._timings.extend(seconds for _, _, seconds in done if seconds is not None)

    def ready(self, tasks: int) -> list[list[tuple[int, str]]]:
        """The batches to send now, ``tasks`` being in flight: until items are timed, single
        items while a worker would lack a second task; then full batches, and whatever is
        queued when the workers are running out of tasks."""
        out: list[list[tuple[int, str]]] = []
        size = self.size()
        starving = tasks < 2 * self._jobs
        while self.queued:
            if not self._timings:
                if tasks + len(out) >= 2 * self._jobs:
                    break
            elif len(self.queued) < size and not starving:
                break
            out.append(self.queued[:size])
            del self.queued[:size]
        return out


# --------------------------------------------------------------------------------------------
# executors: submit(key, path), then wait() for at least one (key, outcome)

Outcome = tuple[str, dict[str, Any]] | BaseException


class Engine(Protocol):
    def submit(self, key: int, path: str) -> None: ...
    def wait(self) -> list[tuple[int, Outcome]]: ...
    def close(self, *, cancel: bool) -> None: ...


class SerialEngine:
    """Runs each item in the calling thread, when its result is waited for."""

    def __init__(self, analyzer: Callable[[str], dict[str, Any]]) -> None:
        self._analyzer = analyzer
        self._queue: deque[tuple[int, str]] = deque()

    def submit(self, key: int, path: str) -> None:
        self._queue.append((key, path))

    def wait(self) -> list[tuple[int, Outcome]]:
        key, path = self._queue.popleft()
        return [(key, _run_one(self._analyzer, path))]

    def close(self, *, cancel: bool) -> None:
        self._queue.clear()


class FuturesEngine:
    """A ``concurrent.futures`` thread pool."""

    def __init__(self, pool: cf.Executor, analyzer: Callable[[str], dict[str, Any]]) -> None:
        self._pool = pool
        self._analyzer = analyzer
        self._futures: dict[cf.Future[tuple[str, dict[str, Any]]], int] = {}

    def submit(self, key: int, path: str) -> None:
        self._futures[self._pool.submit(_run_one, self._analyzer, path)] = key

    def wait(self) -> list[tuple[int, Outcome]]:
        done, _ = cf.wait(self._futures, return_when=cf.FIRST_COMPLETED)
        return [(self._futures.pop(f), _outcome(f)) for f in done]

    def close(self, *, cancel: bool) -> None:
        self._pool.shutdown(wait=not cancel, cancel_futures=True)


def _exception(future: cf.Future[Any]) -> BaseException | None:
    return None if future.cancelled() else future.exception()


def _outcome(future: cf.Future[tuple[str, dict[str, Any]]]) -> Outcome:
    if future.cancelled():
        return cf.CancelledError("the task was cancelled")
    exc = future.exception()
    return exc if exc is not None else future.result()


class WorkerDied(RuntimeError):
    """The worker process analyzing an item died (killed, out of memory, a crash in C code)."""


class ItemTimeout(OpenLicenseError, TimeoutError):
    """An item took longer than the scan's per-item deadline; its worker was stopped."""


def _process_context() -> Any:
    import multiprocessing

    # forkserver, not fork: the coordinator may have threads (a Dask client, the caller's), and
    # forking a threaded process can deadlock the child. The server preloads the analysis
    # modules once, and the catalog and exact-text index (openlicense.batch.preload), so each
    # worker starts with them loaded.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(
            ["openlicense.report", "openlicense.batch", "openlicense.batch.preload"]
        )
        return ctx
    return multiprocessing.get_context("spawn")


class ProcessEngine:
    """A process pool that survives its workers dying, in tasks of several items.

    Items are sent in batches: one at a time at first, then as many as take about
    :data:`_BATCH_SECONDS` at the rate items have been taking (at most :data:`MAX_BATCH`), so
    that the pool's cost per task, which is the coordinator's, is shared by the items of a
    quick corpus, and a slow item still travels alone.

    When a worker dies, every item in flight fails with ``BrokenProcessPool`` and nobody knows
    which item killed it. The pool is replaced and those items are run again *one at a time*:
    an item that breaks the pool while it is alone in flight is the culprit and gets an error
    result; the others get their real results. Then the scan goes back to running in parallel.

    With a ``timeout``, each worker says which item it starts; an item still running
    ``timeout`` seconds after that gets an :class:`ItemTimeout` result, and the pool is
    replaced (its workers killed) with the other unfinished items submitted again (those of the
    timed-out item's batch too, which are analyzed again).
    """

    def __init__(
        self,
        jobs: int,
        analyzer: Callable[[str], dict[str, Any]],
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        self._jobs = jobs
        self._analyzer = analyzer
        self._timeout = timeout if timeout else None
        self._ctx = _process_context()
        self._starts: Any = None
        self._started: dict[int, tuple[float, int]] = {}  # key -> (seen starting, worker pid)
        self._pool = self._new_pool()
        self._futures: dict[cf.Future[list[_Done]], list[tuple[int, str]]] = {}
        self._batches = _Batches(jobs, MAX_BATCH, _BATCH_SECONDS)
        self._suspects: deque[tuple[int, str]] = deque()  # to rerun alone after a breakage
        self._held: deque[tuple[int, str]] = deque()  # submitted while suspects were rerun

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        # A new queue per pool: a worker killed while writing to one could leave it locked.
        self._starts = self._ctx.SimpleQueue() if self._timeout else None
        self._started.clear()
        return cf.ProcessPoolExecutor(
            max_workers=self._jobs,
            mp_context=self._ctx,
            initializer=_init_process_worker,
            initargs=(os.getpid(), self._starts),
        )

    def submit(self, key: int, path: str) -> None:
        if self._suspects:
            self._held.append((key, path))
            return
        self._batches.queued.append((key, path))
        self._send()

    def _send(self) -> None:
        for batch in self._batches.ready(len(self._futures)):
            self._start(batch)

    def _start(self, batch: list[tuple[int, str]]) -> None:
        from concurrent.futures.process import BrokenProcessPool

        for key, _ in batch:
            self._started.pop(key, None)
        try:
            future = self._pool.submit(_run_batch_in_worker, self._analyzer, batch)
        except BrokenProcessPool:
            self._restart()
            future = self._pool.submit(_run_batch_in_worker, self._analyzer, batch)
        self._futures[future] = batch

    def _restart(self, *, kill: bool = False) -> None:
        if kill:
            self._kill_workers()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()

    def _kill_workers(self) -> None:
        processes = getattr(self._pool, "_processes", None) or {}
        for process in list(processes.values()):
            with contextlib.suppress(Exception):
                process.kill()

    def _expired(self) -> set[int]:
        """The keys of items running past the deadline (reads the workers' start notes)."""
        if self._timeout is None or self._starts is None:
            return set()
        now = time.monotonic()
        with contextlib.suppress(OSError, EOFError):
            while not self._starts.empty():
                key, pid = self._starts.get()
                self._started[key] = (now, pid)
        # A worker runs its batch in order: of a batch not done, the running item is the last
        # one that has said it started (those before it are finished).
        running: set[int] = set()
        for future, batch in self._futures.items():
            if not future.done():
                begun = [key for key, _ in batch if key in self._started]
                if begun:
                    running.add(begun[-1])
        return {key for key in running if now - self._started[key][0] > self._timeout}

    def _results(self, future: cf.Future[list[_Done]]) -> list[tuple[int, Outcome]]:
        """What a finished task says of each of its items (and how long they took)."""
        batch = self._futures[future]
        exc = _exception(future)
        if exc is not None or future.cancelled():
            failure = exc if exc is not None else cf.CancelledError("the task was cancelled")
            return [(key, failure) for key, _ in batch]
        done = future.result()
        self._batches.record(done)
        return [(key, result) for key, result, _ in done]

    def _time_out(self, expired: set[int]) -> list[tuple[int, Outcome]]:
        """Results for the expired items; a new pool for the rest (the old one is killed)."""
        from concurrent.futures.process import BrokenProcessPool

        out: list[tuple[int, Outcome]] = []
        again: list[tuple[int, str]] = []
        for future, batch in self._futures.items():
            if any(key in expired for key, _ in batch):
                for key, path in batch:
                    if key in expired:
                        message = (
                            f"{path}: the analysis took longer than {self._timeout:g} s and "
                            "was stopped (scan --timeout); rerun it alone with 'openlicense check'"
                        )
                        out.append((key, ItemTimeout(message)))
                    else:
                        again.append((key, path))
            elif future.done() and not isinstance(_exception(future), BrokenProcessPool):
                out.extend(self._results(future))
            else:
                again.extend(batch)
        self._futures.clear()
        self._restart(kill=True)
        self._batches.queued[:0] = again
        self._send()
        return out

    def _feed(self) -> None:
        if self._futures:
            if not self._suspects:
                self._send()  # what the workers, running out of tasks, should have now
            return
        if self._suspects:
            self._start([self._suspects.popleft()])
        else:
            while self._held:
                self._batches.queued.append(self._held.popleft())
            self._send()

    def wait(self) -> list[tuple[int, Outcome]]:
        from concurrent.futures.process import BrokenProcessPool

        while True:
            self._feed()
            if not self._futures:
                return []
            alone = len(self._futures) == 1 and len(next(iter(self._futures.values()))) == 1
            poll = None if self._timeout is None else min(0.25, self._timeout / 4)
            done, _ = cf.wait(self._futures, timeout=poll, return_when=cf.FIRST_COMPLETED)
            if not done:
                expired = self._expired()
                if expired:
                    return self._time_out(expired)
                continue
            if not any(isinstance(_exception(f), BrokenProcessPool) for f in done):
                out = [pair for f in done for pair in self._results(f)]
                for f in done:
                    del self._futures[f]
                return out
            # The pool is broken: every future still in it fails too. Keep what finished.
            out = []
            broken: list[tuple[int, str]] = []
            for future, batch in self._futures.items():
                if future.done() and not isinstance(_exception(future), BrokenProcessPool):
                    out.extend(self._results(future))
                else:
                    broken.extend(batch)
            self._futures.clear()
            self._restart()
            if alone:
                key, path = broken[0]
                out.append(
                    (key, WorkerDied(f"{path}: the worker process analyzing it died; rerun "
                                      "it alone with 'openlicense check' to see why"))
                )  # fmt: skip
            else:
                self._suspects.extendleft(sorted(broken, reverse=True))
            if out:
                return out

    def close(self, *, cancel: bool) -> None:
        self._batches.queued.clear()
        if cancel:
            # Workers ignore Ctrl-C (see _init_process_worker); end them so that an interrupted
            # scan returns at once rather than after the items they are analyzing.
            processes = getattr(self._pool, "_processes", None) or {}
            for process in list(processes.values()):
                with contextlib.suppress(Exception):
                    process.terminate()
        self._pool.shutdown(wait=not cancel, cancel_futures=True)


class DaskEngine:
    """Items as tasks on a Dask distributed cluster, with the same bounded window, in batches
    (see :class:`_Batches`): a Dask task costs milliseconds of the client's and scheduler's
    time, so quick items go up to :data:`MAX_DASK_BATCH` to a task."""

    def __init__(
        self, client: Any, analyzer: Callable[[str], dict[str, Any]], owned: list[Any]
    ) -> None:
        import uuid

        distributed = importlib.import_module("distributed")
        self._client = client
        self._analyzer = analyzer
        self._owned = owned  # the client and cluster this scan started, closed at the end
        self._completed = distributed.as_completed()
        self._futures: dict[str, tuple[list[tuple[int, str]], Any]] = {}
        self._token = uuid.uuid4().hex  # keys unique across scans sharing a cluster
        self._tasks = 0
        try:
            workers = max(1, sum(client.nthreads().values()))
        except Exception:  # a client that cannot say: batches still work, sized for one
            workers = 1
        self._batches = _Batches(workers, MAX_DASK_BATCH, _DASK_BATCH_SECONDS)

    def submit(self, key: int, path: str) -> None:
        self._batches.queued.append((key, path))
        self._send()

    def _send(self) -> None:
        for batch in self._batches.ready(len(self._futures)):
            # pure=False and a unique key: Dask would otherwise merge two tasks with equal
            # arguments, and a rerun scan must not reuse a cached (possibly failed) result.
            self._tasks += 1
            future = self._client.submit(
                _run_batch_in_worker, self._analyzer, batch,
                key=f"openlicense-scan-{self._token}-{self._tasks}", pure=False, retries=0,
            )  # fmt: skip
            self._futures[future.key] = (batch, future)
            self._completed.add(future)

    def wait(self) -> list[tuple[int, Outcome]]:
        self._send()
        if not self._futures:
            return []
        out: list[tuple[int, Outcome]] = []
        for future in self._completed.next_batch(block=True):
            batch, _ = self._futures.pop(future.key)
            try:
                done = future.result()
            except Exception as exc:  # KilledWorker, a lost connection, a cancelled task...
                out.extend((key, exc) for key, _ in batch)
            else:
                self._batches.record(done)
                out.extend((key, result) for key, result, _ in done)
            future.release()
        return out

    def close(self, *, cancel: bool) -> None:
        self._batches.queued.clear()
        futures = [f for _, f in self._futures.values()]
        if futures:
            with contextlib.suppress(Exception):
                self._client.cancel(futures)
        self._futures.clear()
        for thing in self._owned:
            with contextlib.suppress(Exception):
                thing.close()


def dask_client(scheduler: Any, jobs: int | None) -> tuple[Any, list[Any]]:
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

"""``openlicense scan``: the command over :func:`openlicense.batch.scan`.

It writes one line per item as results arrive (to standard output, or with ``--output`` as
appends of whole lines, gathered for a tenth of a second at most and written whenever the scan
waits, so that a run that is killed leaves at most one partial line, which ``--resume`` drops),
draws a progress line on a terminal, and ends with the summary.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from openlicense.batch.options import DEFAULT_TIMEOUT, EXECUTORS
from openlicense.cli.common import EXIT_ERROR
from openlicense.terminal import isatty, wants_color

if TYPE_CHECKING:
    from openlicense.read.discover import Item

__all__ = ["add_scan_parser", "scan_command"]


class _LineSink:
    """Where result lines go: a stream or a file opened with ``O_APPEND``, written in whole
    lines. Lines are gathered and written together (a write per line was a third of the
    coordinator's time): when 64 KB are waiting, when the last write is 0.1 s old, and
    whenever the scan waits for its workers (:meth:`flush`), so a line is never held back
    while nothing else is happening."""

    _BYTES = 65_536
    _SECONDS = 0.1

    def __init__(self, stream: TextIO | None = None, fd: int | None = None) -> None:
        self._stream = stream
        self._fd = fd
        self._lines: list[str] = []
        self._size = 0
        self._last = time.monotonic()

    def write(self, line: str) -> None:
        self._lines.append(line)
        self._size += len(line)
        if self._size >= self._BYTES or time.monotonic() - self._last >= self._SECONDS:
            self.flush()

    def flush(self) -> None:
        self._last = time.monotonic()
        if not self._lines:
            return
        text = "".join(self._lines)
        self._lines.clear()
        self._size = 0
        if self._fd is not None:
            # Whole lines in one write to a file opened with O_APPEND: a run that is killed
            # leaves at most one partial line, at the end, which --resume drops (and lines not
            # yet written are items --resume analyzes again).
            data = text.encode("utf-8", "surrogateescape")
            while data:
                data = data[os.write(self._fd, data) :]
        elif self._stream is not None:
            self._stream.write(text)
            self._stream.flush()

    def close(self) -> None:
        self.flush()
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
    p.add_argument(
        "paths",
        nargs="*",
        metavar="FOLDER",
        help="folders (or files) to scan; hf:ORG/NAME[@REVISION] names a Hugging Face Hub "
        "repository (needs 'openlicense[hub]')",
    )
    p.add_argument(
        "--hf-ids",
        metavar="FILE",
        help="also scan the Hugging Face Hub repositories FILE lists, one ORG/NAME[@REVISION] "
        "a line ('hf:' optional, '#' comments)",
    )
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
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="most seconds one item may take; an item over it is recorded as an ItemTimeout "
        f"error and the scan goes on (default: {DEFAULT_TIMEOUT:g}; 0: none; process "
        "executor only)",
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


def _hub_items(path: str) -> list[Item]:
    """The Hub repositories a list file names, one an item."""
    from openlicense.read.discover import Item, ScanError

    try:
        with open(path, encoding="utf-8") as fh:
            lines = [line.split("#", 1)[0].strip() for line in fh]
    except (OSError, UnicodeDecodeError) as exc:
        raise ScanError(f"{path}: cannot read the list of Hub ids: {exc}") from exc
    ids = [line if line.startswith("hf:") else f"hf:{line}" for line in lines if line]
    return [Item(i, "hf-repo") for i in ids]


def _usage_error(message: str) -> int:
    print(f"openlicense scan: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def scan_command(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``openlicense scan`` with parsed ``args``, writing results to ``out`` (or
    ``--output``); returns the exit status."""
    # the batch machinery is imported when a scan runs, not when the command line is built
    from openlicense.batch import (
        CSV_HEADER,
        Corpus,
        Item,
        ScanError,
        ScanSummary,
        csv_row,
        jsonl_line,
        read_previous,
        scan,
        text_line,
    )
    from openlicense.batch.output import csv_line

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
    if not args.timeout >= 0:  # also refuses nan
        return _usage_error("--timeout must be a number of seconds, 0 for none")

    if not args.paths and not args.hf_ids:
        return _usage_error("give a FOLDER, an hf:ORG/NAME or --hf-ids FILE")
    try:  # walked as the scan goes; a path that two arguments reach is analyzed once
        # A Hub repository is one item, read by the same analysis (report.read_release).
        hub = [Item(path, "hf-repo") for path in args.paths if path.startswith("hf:")]
        hub += _hub_items(args.hf_ids) if args.hf_ids else []
        folders = [path for path in args.paths if not path.startswith("hf:")]
        items = Corpus(folders, listed=list({i.path: i for i in hub}.values()))
    except ScanError as exc:
        return _usage_error(str(exc))

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
        sink.write(csv_line(CSV_HEADER))
    if done:
        print(f"resuming: {len(done)} items done earlier", file=err)

    to_terminal = args.output is None and isatty(out)
    progress = _Progress(err) if isatty(err) and not args.no_progress and not to_terminal else None
    color = args.output is None and wants_color(out)
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
            timeout=args.timeout or None,
            idle=sink.flush,
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
    if summary.items == 0:
        print("openlicense scan: no items found", file=err)
    if args.summary_json:
        try:
            with open(args.summary_json, "w", encoding="utf-8") as fh:
                json.dump(summary.to_dict(), fh, ensure_ascii=False, indent=2)
                fh.write("\n")
        except OSError as exc:
            return _usage_error(f"{args.summary_json}: {exc.strerror}")
    return summary.exit_status

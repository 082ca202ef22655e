"""The ``openlicense`` command: one module per command, and :func:`main`.

Exit status, as in ruff and reuse (the table is :mod:`openlicense.exitcodes`): 0 when every
input is fine, 1 when some input has a finding (a string that does not normalize to an
expression, a release that fails), 2 on a usage or input error, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence

from openlicense import __version__
from openlicense.cli import check, evaluate, identify, normalize, rules
from openlicense.cli.check import cmd_check
from openlicense.cli.common import EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK
from openlicense.cli.evaluate import cmd_evaluate
from openlicense.cli.identify import cmd_identify
from openlicense.cli.normalize import cmd_normalize
from openlicense.cli.rules import cmd_explain, cmd_rules

__all__ = [
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "build_parser",
    "cmd_check",
    "cmd_evaluate",
    "cmd_explain",
    "cmd_identify",
    "cmd_normalize",
    "cmd_rules",
    "main",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="openlicense",
        description="How open is this AI model, really? SPDX normalization, OSAID checks and "
        "openwashing flags.",
    )
    parser.add_argument("--version", action="version", version=f"openlicense {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    normalize.add_parser(sub)
    identify.add_parser(sub)
    check.add_parser(sub)

    from openlicense.cli.scan import add_scan_parser

    add_scan_parser(sub)
    rules.add_parsers(sub)
    evaluate.add_parser(sub)
    no_cache = "neither read nor write the cache of prepared data (OPENLICENSE_NO_CACHE=1)"
    parser.add_argument("--no-cache", action="store_true", help=no_cache)
    for command in sub.choices.values():
        # also after the command; SUPPRESS keeps an absent option from undoing the one before
        command.add_argument(
            "--no-cache", action="store_true", default=argparse.SUPPRESS, help=no_cache
        )
    return parser


@contextlib.contextmanager
def _cache_switch(off: bool) -> Iterator[None]:
    """``--no-cache`` for this command: in this process, and through the environment in the
    worker processes it starts; both put back afterwards (``main`` may be called in-process)."""
    if not off:
        yield
        return
    from openlicense.catalog.cache import use_disk_cache

    before = os.environ.get("OPENLICENSE_NO_CACHE")
    os.environ["OPENLICENSE_NO_CACHE"] = "1"
    use_disk_cache(False)
    try:
        yield
    finally:
        use_disk_cache(None)
        if before is None:
            del os.environ["OPENLICENSE_NO_CACHE"]
        else:
            os.environ["OPENLICENSE_NO_CACHE"] = before


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code) if isinstance(exc.code, int) else EXIT_ERROR
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        with _cache_switch(args.no_cache):
            return int(args.func(args, sys.stdout))
    except BrokenPipeError:
        # Output piped into a command that stopped reading (head): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

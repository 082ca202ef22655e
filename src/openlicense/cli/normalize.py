"""``openlicense normalize``: license strings to SPDX expressions."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from openlicense.cli.common import EXIT_FINDINGS, EXIT_OK, dump_json
from openlicense.terminal import paint, wants_color

__all__ = ["add_parser", "cmd_normalize"]

_STATUS_COLOR = {
    "ok": "32",
    "ambiguous": "33",
    "unknown": "33",
    "none": "33",
    "proprietary": "31",
    "not-a-license": "33",
    "invalid": "31",
}


def _read_inputs(values: Sequence[str], stdin: TextIO) -> list[str]:
    if not values or list(values) == ["-"]:
        return [line.rstrip("\r\n") for line in stdin if line.strip()]
    return list(values)


def cmd_normalize(args: argparse.Namespace, out: TextIO) -> int:
    from openlicense.normalization import normalize

    texts = _read_inputs(args.text, sys.stdin)
    results = [
        normalize(t, strictness=args.strictness, upgrade_deprecated=not args.keep_deprecated)
        for t in texts
    ]
    if args.format == "json":
        dump_json([r.to_dict() for r in results], out)
    else:
        color = wants_color(out)
        for r in results:
            status = paint(r.status, _STATUS_COLOR.get(r.status, "0"), color)
            if r.expression:
                line = f"{r.input!r} -> {r.expression}"
            elif r.candidates:
                line = f"{r.input!r} -> one of: {' | '.join(r.candidates)}"
            else:
                line = f"{r.input!r} -> (no expression)"
            details = [status]
            if r.matched_by:
                details.append(f"by {r.matched_by}")
            if r.osaid_conformant is not None:
                details.append("OSAID-conformant" if r.osaid_conformant else "not OSAID-conformant")
            out.write(f"{line}  [{', '.join(details)}]\n")
            if r.status == "ok" and r.candidates:
                out.write(f"    also possible: {' | '.join(r.candidates)}\n")
            if r.error:
                out.write("    error: " + r.error.replace("\n", "\n    ") + "\n")
            for w in r.warnings:
                out.write(f"    note: {w}\n")
    return EXIT_OK if all(r.status == "ok" for r in results) else EXIT_FINDINGS


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "normalize",
        help="normalize license strings to SPDX expressions",
        description="Normalize license strings (SPDX expressions, Hugging Face ids, ScanCode "
        "keys, free-text names) to canonical SPDX expressions. With no TEXT, reads one string "
        "per line from standard input. Exits 1 if any input does not normalize to an expression.",
    )
    p.add_argument("text", nargs="*", metavar="TEXT")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--strictness",
        choices=("lenient", "spdx", "strict"),
        default="lenient",
        help="lenient: any form people write (default); spdx: SPDX expressions only; "
        "strict: SPDX expressions with current (non-deprecated) ids only",
    )
    p.add_argument(
        "--keep-deprecated",
        action="store_true",
        help="keep deprecated SPDX ids as written instead of upgrading them",
    )
    p.set_defaults(func=cmd_normalize)

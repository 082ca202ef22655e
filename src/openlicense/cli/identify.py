"""``openlicense identify``: which license each file is, and what it restricts."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from openlicense.cli.common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, dump_json
from openlicense.terminal import paint, visible, wants_color

__all__ = ["add_parser", "cmd_identify"]

_SEVERITY_COLOR = {"error": "31", "warning": "33", "info": "36"}


def _format_identification(result: Any, color: bool) -> list[str]:
    head = f"{visible(str(result.path))}: "
    if result.error:
        return [head + paint(f"error: {visible(result.error)}", "31", color)]
    if result.expression and not result.variant_of:
        name = result.expression
    elif result.variant_of:
        name = f"a variant of {result.variant_of}"
        if result.expression:
            name = f"{result.expression} ({name})"
    else:
        name = "no known license"
    details = [result.kind or "?", result.method or "none"]
    if result.coverage is not None:
        details.append(f"{result.coverage:g}% coverage")
    lines = [head + paint(name, "1", color) + f"  [{', '.join(details)}]"]
    freedoms = ", ".join(f"{k} {v}" for k, v in result.freedoms)
    verdict = {
        True: "OSAID-conformant",
        False: "not OSAID-conformant",
        None: "OSAID conformance unknown",
    }
    lines.append(f"  freedoms: {freedoms}; {verdict[result.osaid_conformant]}")
    for flag in result.flags:
        where = f"line {flag.evidence.line}" if flag.evidence.line else "catalog"
        quote = (flag.evidence.quote or "").replace("\n", " ")
        if len(quote) > 140:
            quote = quote[:137] + "..."
        label = paint(
            f"{flag.name} ({flag.code}, {flag.severity})",
            _SEVERITY_COLOR.get(flag.severity, "0"),
            color,
        )
        lines.append(f'  {label} {where}: "{visible(quote)}"')
    lines += [f"  note: {visible(w)}" for w in result.warnings]
    return lines


def cmd_identify(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    from openlicense.identification import Engine
    from openlicense.report.identify import identify

    engine: Engine = "openlicense" if args.no_scancode else args.engine
    results = [identify(Path(p), engine=engine) for p in args.files]
    if args.format == "json":
        dump_json([r.to_dict() for r in results], out)
    else:
        color = wants_color(out)
        for r in results:
            out.write("\n".join(_format_identification(r, color)) + "\n")
    if any(r.error for r in results):
        return EXIT_ERROR
    if any(f.severity == "error" for r in results for f in r.flags):
        return EXIT_FINDINGS
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "identify",
        help="identify license texts in files",
        description="Say which license each file is, whether it was modified, and what it "
        "restricts, clause by clause. Exits 0 when no file restricts an OSAID freedom, 1 when "
        "one does (a flag of severity error), 2 when a file cannot be read.",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--engine",
        choices=("openlicense", "scancode"),
        default="openlicense",
        help="the matcher for texts that are not exact copies: openlicense's aligner "
        "(default; never loads ScanCode) or ScanCode's (slow, 1.4 GB; for parity checks)",
    )
    p.add_argument(
        "--no-scancode",
        action="store_true",
        help="never load ScanCode (the default engine already does not; kept for scripts)",
    )
    p.set_defaults(func=cmd_identify)

"""The ``openlicense`` command.

Exit status, as in ruff and reuse: 0 when every input is fine, 1 when some input has a finding
(a string that does not normalize to an expression, a release that fails), 2 on a usage or
input error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from openlicense import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def _color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _paint(text: str, code: str, enabled: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if enabled else text


_STATUS_COLOR = {
    "ok": "32",
    "ambiguous": "33",
    "unknown": "33",
    "none": "33",
    "proprietary": "31",
    "not-a-license": "33",
    "invalid": "31",
}


def _dump_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


# --------------------------------------------------------------------------------------------
# normalize


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
        _dump_json([r.to_dict() for r in results], out)
    else:
        color = _color(out)
        for r in results:
            status = _paint(r.status, _STATUS_COLOR.get(r.status, "0"), color)
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


# --------------------------------------------------------------------------------------------
# identify

_SEVERITY_COLOR = {"error": "31", "warning": "33", "info": "36"}


def _format_identification(result: Any, color: bool) -> list[str]:
    head = f"{result.path}: "
    if result.error:
        return [head + _paint(f"error: {result.error}", "31", color)]
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
    lines = [head + _paint(name, "1", color) + f"  [{', '.join(details)}]"]
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
        label = _paint(
            f"{flag.name} ({flag.code}, {flag.severity})",
            _SEVERITY_COLOR.get(flag.severity, "0"),
            color,
        )
        lines.append(f'  {label} {where}: "{quote}"')
    lines += [f"  note: {w}" for w in result.warnings]
    return lines


def cmd_identify(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    from openlicense.report.identify import identify

    results = [identify(Path(p), scancode=not args.no_scancode) for p in args.files]
    if args.format == "json":
        _dump_json([r.to_dict() for r in results], out)
    else:
        color = _color(out)
        for r in results:
            out.write("\n".join(_format_identification(r, color)) + "\n")
    if any(r.error for r in results):
        return EXIT_ERROR
    if any(f.severity == "error" for r in results for f in r.flags):
        return EXIT_FINDINGS
    return EXIT_OK


# --------------------------------------------------------------------------------------------
# check, rules, explain

_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


_DOCUMENT_FORMATS = ("sarif", "spdx", "spdx-json", "spdx-tagvalue", "spdx3", "html")


def _render_document(report: Any, fmt: str) -> str:
    """A report in one of the document formats (each a pure function of the report)."""
    if fmt == "sarif":
        from openlicense.report.sarif import to_sarif

        text = to_sarif(report)
    elif fmt in {"spdx", "spdx-json"}:
        from openlicense.report.spdx import to_spdx_json

        text = to_spdx_json(report)
    elif fmt == "spdx-tagvalue":
        from openlicense.report.spdx import to_spdx_tagvalue

        text = to_spdx_tagvalue(report)
    elif fmt == "spdx3":
        from openlicense.report.spdx3 import to_spdx3_jsonld

        text = to_spdx3_jsonld(report)
    else:
        from openlicense.report.html import to_html

        text = to_html(report)
    return text if text.endswith("\n") else text + "\n"


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    import dataclasses

    from openlicense.judge.policy import Policy, PolicyError, find_policy
    from openlicense.report import analyze, format_text

    try:
        policy = Policy.load(args.policy) if args.policy else find_policy(args.path)
    except PolicyError as exc:
        print(f"openlicense check: {exc}", file=sys.stderr)
        return EXIT_ERROR
    policy = policy or Policy()
    if args.fail_on:
        policy = dataclasses.replace(policy, fail_on=args.fail_on)
    report = analyze(args.path)
    decision = policy.decide(report.flags, report.verdict)
    if args.format in _DOCUMENT_FORMATS:
        out.write(_render_document(report, args.format))
    elif args.format == "json":
        data = report.to_dict()
        data["policy"] = {**decision.to_dict(), "source": policy.source}
        _dump_json(data, out)
    else:
        out.write(format_text(report, color=_color(out)) + "\n")
        if not report.error:
            for flag, reason in decision.accepted:
                out.write(f"  accepted by policy: {flag.code} {flag.name}: {reason}\n")
            status = "passes" if decision.passed else "FAILS"
            where = f" ({policy.source})" if policy.source else ""
            out.write(f"  policy{where}: the release {status}\n")
    if report.error:
        return EXIT_ERROR
    return EXIT_OK if decision.passed else EXIT_FINDINGS


def cmd_rules(args: argparse.Namespace, out: TextIO) -> int:
    from openlicense.judge.rules import RULES

    rules = list(RULES.values())
    if args.format == "json":
        _dump_json([r.to_dict() for r in rules], out)
    else:
        for r in rules:
            out.write(f"{r.code}  {r.name:26} {r.severity:8} {r.concerns:17} {r.summary}\n")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    from openlicense.judge.rules import get_rule

    r = get_rule(args.rule)
    if r is None:
        print(
            f"openlicense explain: no rule {args.rule!r} (see 'openlicense rules')", file=sys.stderr
        )
        return EXIT_ERROR
    out.write(f"{r.code} {r.name} ({r.severity}, concerns {r.concerns})\n\n{r.doc}\n")
    return EXIT_OK


# --------------------------------------------------------------------------------------------
# evaluate


def _default_corpus() -> str:
    return os.environ.get("OPENLICENSE_CORPUS", os.path.join("..", "shared", "corpus"))


def cmd_evaluate(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    from openlicense.evaluation import run

    corpus = Path(args.corpus)
    if not (corpus / "gold").is_dir():
        print(f"openlicense evaluate: no gold/ labels under {corpus}", file=sys.stderr)
        return EXIT_ERROR
    report, _numbers = run(corpus, tasks=args.task or ("strings", "texts", "cards", "mot", "eosai"))
    out.write(report + "\n")
    return EXIT_OK


# --------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="openlicense",
        description="How open is this AI model, really? SPDX normalization, OSAID checks and "
        "openwashing flags.",
    )
    parser.add_argument("--version", action="version", version=f"openlicense {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

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
        "--no-scancode",
        action="store_true",
        help="use only the fast path (exact texts, fingerprints, titles); never load ScanCode",
    )
    p.set_defaults(func=cmd_identify)

    p = sub.add_parser(
        "check",
        help="judge a model release against the Open Source AI Definition",
        description="Analyze a model repository folder, a model card, a Model Openness Tool "
        "YAML file or a license file: OSAID verdict, the four freedoms, MOF class, openness "
        "profile and openwashing flags with evidence. Exits 0 when no flag reaches --fail-on, "
        "1 when one does, 2 when the input cannot be read.",
    )
    p.add_argument("path", metavar="PATH")
    p.add_argument(
        "--format",
        choices=("text", "json", *_DOCUMENT_FORMATS),
        default="text",
        help="text (default), json (openlicense/report/v1), sarif (SARIF 2.1.0), spdx or "
        "spdx-json / spdx-tagvalue (SPDX 2.3), spdx3 (SPDX 3.0.1 JSON-LD), html (one page)",
    )
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "info", "never"),
        default=None,
        help="lowest flag severity that fails the check (default: the policy's, else error)",
    )
    p.add_argument(
        "--policy",
        metavar="FILE",
        help="policy file (TOML); default: [tool.openlicense] of the nearest pyproject.toml",
    )
    p.set_defaults(func=cmd_check)

    from openlicense.batch import add_scan_parser

    add_scan_parser(sub)

    p = sub.add_parser("rules", help="list the rules", description="List every rule.")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser(
        "explain", help="show a rule's documentation", description="Show a rule's documentation."
    )
    p.add_argument("rule", metavar="RULE", help="a rule name or code (OL101)")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser(
        "evaluate",
        help="print accuracy against a labelled corpus",
        description="Run openlicense over a corpus with hand-written labels (gold/) and print "
        "its accuracy and every disagreement.",
    )
    p.add_argument(
        "--corpus",
        default=_default_corpus(),
        help="corpus folder with gold/ (default: $OPENLICENSE_CORPUS or ../shared/corpus)",
    )
    p.add_argument(
        "--task",
        action="append",
        choices=("strings", "texts", "cards", "mot", "eosai"),
        help="which evaluation to run (repeatable; default: all)",
    )
    p.set_defaults(func=cmd_evaluate)
    return parser


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
        return int(args.func(args, sys.stdout))
    except BrokenPipeError:
        # Output piped into a command that stopped reading (head): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

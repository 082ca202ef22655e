"""``openlicense check``: judge one release and say whether it passes the policy."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, TextIO

from openlicense.cli.common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, dump_json
from openlicense.terminal import wants_color

__all__ = ["DOCUMENT_FORMATS", "add_parser", "cmd_check"]

#: The document formats ``--format`` offers, as it lists them; each is looked up in the one
#: registry, :data:`openlicense.report.formats.FORMATS` (``spdx`` and ``spdx3`` are aliases).
DOCUMENT_FORMATS = ("sarif", "spdx", "spdx-json", "spdx-tagvalue", "spdx3", "html")


def _render_document(report: Any, fmt: str) -> str:
    """A report in one of the document formats (each a pure function of the report)."""
    # Imported here: the registry imports every writer (spdx-tools among them), which text and
    # JSON output do not need.
    from openlicense.report.formats import get_format

    text = get_format(fmt)(report)
    return text if text.endswith("\n") else text + "\n"


def _nearest_policy(path: str) -> Any:
    from openlicense.judge.policy import find_policy

    try:
        return find_policy(path)
    except (RuntimeError, OSError):
        # A path that cannot be resolved (a symlink loop): look from the folder holding it;
        # the analysis then reports the path itself as unreadable.
        return find_policy(os.path.dirname(os.path.abspath(path)))


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    import dataclasses

    from openlicense.judge.policy import Policy, PolicyError
    from openlicense.report import analyze, format_text

    try:
        policy = Policy.load(args.policy) if args.policy else _nearest_policy(args.path)
    except PolicyError as exc:
        print(f"openlicense check: {exc}", file=sys.stderr)
        return EXIT_ERROR
    policy = policy or Policy()
    if args.fail_on:
        policy = dataclasses.replace(policy, fail_on=args.fail_on)
    from openlicense.identification import use_engine

    with use_engine(args.engine):
        report = analyze(args.path)
    decision = policy.decide(report.flags, report.verdict, report.unknown)
    if args.format in DOCUMENT_FORMATS:
        out.write(_render_document(report, args.format))
    elif args.format == "json":
        data = report.to_dict()
        data["policy"] = {**decision.to_dict(), "source": policy.source}
        dump_json(data, out)
    else:
        out.write(format_text(report, color=wants_color(out)) + "\n")
        if not report.error:
            for flag, accept in decision.accepted:
                by = accept.where(policy.source)
                out.write(f"  accepted by {by}: {flag.code} {flag.name}: {accept.reason}\n")
            where = f" ({policy.source})" if policy.source else ""
            if decision.passed:
                out.write(f"  policy{where}: the release passes\n")
            else:
                out.write(f"  policy{where}: the release FAILS\n")
                for why in decision.reasons():
                    out.write(f"    - {why}\n")
    if report.error:
        return EXIT_ERROR
    return EXIT_OK if decision.passed else EXIT_FINDINGS


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check",
        help="judge a model release against the Open Source AI Definition",
        description="Analyze a model repository folder, a model card, a Model Openness Tool "
        "YAML file, a license file or, as hf:ORG/NAME[@REVISION], a repository on the Hugging "
        "Face Hub (its card and license files only, never its weights; needs "
        "'openlicense[hub]'): OSAID verdict, the four freedoms, MOF class, openness "
        "profile and openwashing flags with evidence. Exits 0 when the release passes the "
        "policy, 1 when it fails (by default: a verdict other than open-source-ai, or a flag at "
        "--fail-on), 2 when the input cannot be read (or the Hub cannot be reached).",
    )
    p.add_argument("path", metavar="PATH")
    p.add_argument(
        "--format",
        choices=("text", "json", *DOCUMENT_FORMATS),
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
    p.add_argument(
        "--engine",
        choices=("openlicense", "scancode"),
        default="openlicense",
        help="the matcher for license texts that are not exact copies: openlicense's aligner "
        "(default) or ScanCode's (for parity checks)",
    )
    p.set_defaults(func=cmd_check)

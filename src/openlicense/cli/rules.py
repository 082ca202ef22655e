"""``openlicense rules`` and ``openlicense explain``: the rule registry, listed and explained."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from openlicense.cli.common import EXIT_ERROR, EXIT_OK, dump_json

__all__ = ["add_parsers", "cmd_explain", "cmd_rules"]


def cmd_rules(args: argparse.Namespace, out: TextIO) -> int:
    from openlicense.judge.rules import RULES

    rules = list(RULES.values())
    if args.format == "json":
        dump_json([r.to_dict() for r in rules], out)
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


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rules", help="list the rules", description="List every rule.")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser(
        "explain", help="show a rule's documentation", description="Show a rule's documentation."
    )
    p.add_argument("rule", metavar="RULE", help="a rule name or code (OL101)")
    p.set_defaults(func=cmd_explain)

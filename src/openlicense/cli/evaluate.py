"""``openlicense evaluate``: accuracy against a labelled corpus."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from openlicense.cli.common import EXIT_ERROR, EXIT_OK

__all__ = ["add_parser", "cmd_evaluate"]

_TASKS = ("strings", "texts", "cards", "mot", "eosai", "provisions")


def _default_corpus() -> str:
    return os.environ.get("OPENLICENSE_CORPUS", os.path.join("..", "shared", "corpus"))


def cmd_evaluate(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    from openlicense.evaluation import run

    corpus = Path(args.corpus)
    if not (corpus / "gold").is_dir():
        print(f"openlicense evaluate: no gold/ labels under {corpus}", file=sys.stderr)
        return EXIT_ERROR
    report, _numbers = run(corpus, tasks=args.task or _TASKS, cv=args.cv)
    out.write(report + "\n")
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
        choices=_TASKS,
        help="which evaluation to run (repeatable; default: all)",
    )
    p.add_argument(
        "--cv",
        action="store_true",
        help="also cross-validate the provision reader by license family (retrains its "
        "classifier once per family: minutes)",
    )
    p.set_defaults(func=cmd_evaluate)

"""Model cards scored against ``gold/cards.jsonl``: each labelled card is analyzed as a release,
and the weights' expression (or status) is compared with the label, and the flags that are
facts of a release (:data:`RELEASE_FLAGS`) with the labelled ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openlicense.evaluation.labels import STATUS_LABELS, expression_matches

#: The flags gold/cards.jsonl labels: facts of a release, not terms of its licenses.
RELEASE_FLAGS = frozenset(
    {
        "withheld-training-data",
        "withheld-training-code",
        "gated-access",
        "open-claim-mismatch",
        "license-conflict",
        "missing-license",
        "modified-standard-license",
    }
)


@dataclass(slots=True)
class CardsScore:
    cards: int = 0
    both_ok: int = 0
    expression_ok: int = 0
    flags_ok: int = 0
    misses: list[str] = field(default_factory=list)


def _weights_reading(report: Any) -> tuple[str | None, str]:
    """(expression, status) of the weights' license in a report."""
    release = report.release
    params = [c for c in (release.components if release else ()) if c.kind == "parameters"]
    if not params:
        return None, "none"
    comp = params[0]
    if comp.expression:
        return comp.expression, "ok"
    ident = comp.identification
    if ident is not None and (ident.expression or ident.variant_of):
        return ident.expression, "ok"
    return None, comp.license.status if comp.license else "none"


def evaluate_cards(corpus: Path) -> CardsScore:
    """Analyze every model card of gold/cards.jsonl: weights expression and release flags."""
    import json

    from openlicense.report import analyze

    score = CardsScore()
    with (corpus / "gold" / "cards.jsonl").open(encoding="utf-8") as handle:
        labels = [json.loads(line) for line in handle if line.strip()]
    for label in labels:
        report = analyze(corpus / "modelcards" / label["file"])
        score.cards += 1
        expected = label["expected_expression"]
        alternatives = [str(a) for a in label.get("acceptable_alternatives") or []]
        expression, status = _weights_reading(report)
        if expected in STATUS_LABELS:
            expr_ok = status == STATUS_LABELS[expected]
            got = status
        else:
            got = expression or status
            expr_ok = bool(expression) and expression_matches(
                expression or "", expected, alternatives
            )
        raised = {f.name for f in report.flags} & RELEASE_FLAGS
        wanted = set(label["flags"]) & RELEASE_FLAGS
        flags_ok = raised == wanted
        score.expression_ok += expr_ok
        score.flags_ok += flags_ok
        score.both_ok += expr_ok and flags_ok
        if not expr_ok:
            score.misses.append(f"expression {label['file']}: expected {expected}, got {got}")
        if not flags_ok:
            extra, missing = sorted(raised - wanted), sorted(wanted - raised)
            score.misses.append(f"flags {label['file']}: extra {extra}, missing {missing}")
    return score


def format_cards_score(score: CardsScore) -> str:
    n = score.cards or 1
    lines = [
        f"model cards (gold/cards.jsonl, {score.cards} cards):",
        f"  expression and flags {score.both_ok}/{score.cards} = {score.both_ok / n:.1%}",
        f"  expression           {score.expression_ok}/{score.cards} = "
        f"{score.expression_ok / n:.1%}",
        f"  release flags        {score.flags_ok}/{score.cards} = {score.flags_ok / n:.1%}",
    ]
    if score.misses:
        lines.append("  disagreements:")
        lines += [f"    {m}" for m in score.misses]
    return "\n".join(lines)

"""Normalization scored against ``gold/strings.tsv``, one license string and one label a row:
:func:`evaluate_strings` normalizes every labelled string, :func:`score_string` judges one
reading and :func:`format_strings_score` prints the accuracy by source with the disagreements.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from openlicense.evaluation.labels import STATUS_LABELS, expression_matches
from openlicense.normalization import Normalized, normalize


@dataclass(frozen=True, slots=True)
class Miss:
    source: str
    raw: str
    expected: str
    got: str


@dataclass(slots=True)
class StringsScore:
    total: int = 0
    correct: int = 0
    skipped: int = 0
    by_source: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_label: Counter[str] = field(default_factory=Counter)
    misses: list[Miss] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def _describe(result: Normalized) -> str:
    if result.expression:
        return result.expression
    if result.candidates:
        return f"{result.status}: {' | '.join(result.candidates[:4])}"
    return result.status + (f" ({result.error})" if result.error else "")


def score_string(result: Normalized, expected: str, candidates: list[str]) -> bool:
    """Is one normalization right by the rules of gold/README.md?"""
    if expected in STATUS_LABELS:
        return result.status == STATUS_LABELS[expected]
    if result.status != "ok" or not result.expression:
        return False
    return expression_matches(result.expression, expected, candidates)


def evaluate_strings(corpus: Path) -> StringsScore:
    """Normalize every string of ``gold/strings.tsv`` and score it against its label."""
    path = corpus / "gold" / "strings.tsv"
    score = StringsScore()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        expected = row["expected"]
        if expected == "SKIP":
            score.skipped += 1
            continue
        raw = row["raw"]
        candidates = [c for c in (row.get("candidates") or "").split("|") if c]
        result = normalize(raw)
        ok = score_string(result, expected, candidates)
        score.total += 1
        score.correct += ok
        bucket = score.by_source[row["source"]]
        bucket[0] += ok
        bucket[1] += 1
        label = expected if expected in STATUS_LABELS else "EXPRESSION"
        score.by_label[f"{label}:{'ok' if ok else 'miss'}"] += 1
        if not ok:
            score.misses.append(Miss(row["source"], raw, expected, _describe(result)))
    return score


def format_strings_score(score: StringsScore) -> str:
    lines = [
        f"normalization (gold/strings.tsv): {score.correct}/{score.total} = "
        f"{score.accuracy:.1%} exact ({score.skipped} skipped)"
    ]
    for source, (ok, n) in sorted(score.by_source.items()):
        lines.append(f"  {source:6} {ok}/{n} = {ok / n:.1%}")
    if score.misses:
        lines.append("  disagreements:")
        for m in score.misses:
            lines.append(f"    [{m.source}] {m.raw!r}: expected {m.expected}, got {m.got}")
    return "\n".join(lines)

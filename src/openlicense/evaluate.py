"""Accuracy of openlicense against hand-written labels (the ``gold/`` folder of a corpus).

``openlicense evaluate --corpus ../shared/corpus`` prints, for each labelled task the corpus
has, how often openlicense agrees with the labels, and lists the disagreements. The scoring
rules are those of ``gold/README.md``.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openlicense import expression as ex
from openlicense.normalize import Normalized, normalize

__all__ = ["Miss", "StringsScore", "evaluate_strings", "expression_matches"]

_STATUS_LABELS = {
    "NONE": "none",
    "UNKNOWN": "unknown",
    "PROPRIETARY": "proprietary",
    "NOT-A-LICENSE": "not-a-license",
    "AMBIGUOUS": "ambiguous",
}
_WILDCARD = "LicenseRef-openlicense-?"


def _shape(node: ex.Expression) -> Any:
    """A comparable form of an expression: AND/OR operands as sets, own ids as a wildcard."""
    if isinstance(node, ex.License):
        return node.id + ("+" if node.or_later else "")
    if isinstance(node, ex.LicenseRef):
        if node.id.startswith("LicenseRef-openlicense-"):
            return _WILDCARD
        return node.text
    if isinstance(node, ex.With):
        return ("WITH", _shape(node.license), node.exception)
    return (type(node).__name__, frozenset(_shape(a) for a in node.args))


def _parse_label(text: str) -> Any:
    # "LicenseRef-openlicense-?" is not an idstring; swap in a parseable stand-in.
    return _shape(ex.simplify(ex.parse(text.replace(_WILDCARD, "LicenseRef-openlicense-x"))))


def expression_matches(produced: str, expected: str, alternatives: Iterable[str] = ()) -> bool:
    """Does ``produced`` mean the labelled expression (or one of its accepted alternatives)?"""
    got = _parse_label(produced)
    return any(got == _parse_label(e) for e in (expected, *alternatives) if e)


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
    if expected in _STATUS_LABELS:
        return result.status == _STATUS_LABELS[expected]
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
        label = expected if expected in _STATUS_LABELS else "EXPRESSION"
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


def run(corpus: Path, tasks: Iterable[str] = ("strings",)) -> tuple[str, dict[str, float]]:
    """Run the evaluations whose labels exist under ``corpus``; return a report and the numbers."""
    out: list[str] = []
    numbers: dict[str, float] = {}
    if "strings" in tasks and (corpus / "gold" / "strings.tsv").exists():
        s = evaluate_strings(corpus)
        out.append(format_strings_score(s))
        numbers["normalization"] = s.accuracy
    if not out:
        out.append(f"no labels found under {corpus / 'gold'}")
    return "\n\n".join(out), numbers

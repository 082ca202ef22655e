"""Accuracy on the development corpus, and the scoring rules themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from openlicense.evaluation import evaluate_strings, expression_matches, score_string
from openlicense.normalization import Normalized


@pytest.mark.parametrize(
    ("produced", "expected", "alternatives", "match"),
    [
        ("MIT AND Apache-2.0", "Apache-2.0 AND MIT", [], True),
        ("MIT OR Apache-2.0", "Apache-2.0 AND MIT", [], False),
        (
            "Apache-2.0 AND LicenseRef-openlicense-telechat",
            "Apache-2.0 AND LicenseRef-openlicense-?",
            [],
            True,
        ),
        (
            "Apache-2.0 AND LicenseRef-scancode-qwen-2024",
            "Apache-2.0 AND LicenseRef-openlicense-?",
            [],
            False,
        ),
        ("GPL-3.0-or-later", "GPL-3.0-only", ["GPL-3.0-only", "GPL-3.0-or-later"], True),
        ("GPL-2.0-only", "GPL-3.0-only", ["GPL-3.0-only", "GPL-3.0-or-later"], False),
    ],
)
def test_expression_matching_rules(
    produced: str, expected: str, alternatives: list[str], match: bool
) -> None:
    assert expression_matches(produced, expected, alternatives) is match


def test_status_labels_score_on_status() -> None:
    assert score_string(Normalized(input="x", status="unknown"), "UNKNOWN", [])
    assert not score_string(Normalized(input="x", status="none"), "UNKNOWN", [])
    assert not score_string(Normalized(input="x", status="ok", expression="MIT"), "AMBIGUOUS", [])


@pytest.mark.slow
def test_normalization_accuracy_on_development_strings(corpus: Path) -> None:
    score = evaluate_strings(corpus)
    print(f"\nnormalization accuracy: {score.correct}/{score.total} = {score.accuracy:.1%}")
    for miss in score.misses:
        print(f"  miss [{miss.source}] {miss.raw!r}: expected {miss.expected}, got {miss.got}")
    assert score.total > 100
    assert score.accuracy >= 0.97

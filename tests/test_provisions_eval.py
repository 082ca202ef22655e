"""The evaluation is computed on every set; held-out figures are reported, not asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from openlicense.provisions import FLAGS, read_provisions
from openlicense.provisions.evaluate import Case, Scores, corpus_cases, fixture_cases, score

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "provisions"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.mark.parametrize("half", ["tune", "heldout"])
def test_each_half_is_labelled_and_balanced(half: str) -> None:
    cases = fixture_cases(FIXTURES / half)
    assert len(cases) >= 22
    assert any(c.expected for c in cases)
    assert any(not c.expected for c in cases)
    assert all(c.expected <= set(FLAGS) for c in cases)


def test_held_out_figures_are_computed() -> None:
    scores = score("held-out", fixture_cases(FIXTURES / "heldout"), read_provisions)
    assert scores.texts == len(fixture_cases(FIXTURES / "heldout"))
    assert scores.tp + scores.fn == sum(
        len(c.expected) for c in fixture_cases(FIXTURES / "heldout")
    )
    for figure in (scores.precision, scores.recall, scores.f1, scores.osaid_accuracy):
        assert 0.0 <= figure <= 1.0
    assert "held-out" in scores.row()


def test_counts_by_flag_name_per_text() -> None:
    case = Case("t", "You may not use the Model for weapons.\n", frozenset({"no-derivatives"}),
                frozenset(FLAGS), osaid_conformant=False)  # fmt: skip
    scores = Scores("x")
    scores.add(case, read_provisions(case.text))
    assert (scores.tp, scores.fp, scores.fn) == (0, 1, 1)
    assert scores.osaid_right == 1


def test_unjudged_flags_are_not_counted() -> None:
    case = Case("t", "You may not use the Model for weapons.\n", frozenset(), frozenset(),
                osaid_conformant=False)  # fmt: skip
    scores = Scores("x")
    scores.add(case, read_provisions(case.text))
    assert (scores.tp, scores.fp, scores.fn) == (0, 0, 0)


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPUS / "gold" / "texts.jsonl").is_file(), reason="no corpus")
def test_corpus_cases_carry_their_family() -> None:
    cases = corpus_cases(CORPUS)
    assert len(cases) > 40
    families = {c.family for c in cases}
    assert len(families) < len(cases)  # near duplicates share a family


def test_osi_approved_texts_are_a_benign_set_scored_by_false_alarms() -> None:
    from openlicense.evaluation.provisions import osi_cases

    cases = osi_cases()
    names = {c.name for c in cases}
    assert {"MIT", "Apache-2.0", "GPL-3.0-only"} <= names
    assert all(not c.expected and c.osaid_conformant for c in cases)
    scores = score("OSI", cases[:5], read_provisions)
    assert "no flag expected" in scores.row()
    assert scores.texts == 5

"""Measure the provision reader: flag precision, recall and F1, OSAID-conformance accuracy.

A flag is scored by name per text: a true positive when the text's labels list it and the
reader raises it, a false positive when the reader raises a flag the labels say is absent, a
false negative when it misses a labelled one. For the development corpus, a flag that the
labels neither list nor check absent (``absent_flags_checked``) is unjudged and not scored.

Sets: the fixtures' ``tune`` and ``heldout`` halves (``labels.jsonl``), and the development
corpus (``gold/texts.jsonl``), read whole or by near-duplicate family (``SOURCES.tsv``) for
cross-validation, where the classifier is retrained without the family being tested.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from openlicense.provisions.classifier import Classifier
from openlicense.provisions.model import FLAGS, ProvisionReading

if TYPE_CHECKING:
    from openlicense.provisions.training import Row

__all__ = [
    "Case",
    "Scores",
    "corpus_cases",
    "cross_validate",
    "families",
    "fixture_cases",
    "score",
]


@dataclass(frozen=True, slots=True)
class Case:
    """A labelled text: which flags it raises, which it must not, its OSAID conformance."""

    name: str
    text: str
    expected: frozenset[str]
    judged: frozenset[str]  # flags whose presence or absence is labelled
    osaid_conformant: bool
    family: str = ""


@dataclass(slots=True)
class Scores:
    """Counts and the figures derived from them, with the errors listed for reading."""

    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    osaid_right: int = 0
    texts: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def osaid_accuracy(self) -> float:
        return self.osaid_right / self.texts if self.texts else 1.0

    def add(self, case: Case, reading: ProvisionReading) -> None:
        """Count one text as the provision reader read it."""
        raised: dict[str, str] = {}
        for hit in reading.hits:
            raised.setdefault(
                hit.flag, f"line {hit.line} [{hit.method}/{hit.rule}] {hit.quote[:120]!r}"
            )
        self.add_raised(case, raised, reading.osaid_conformant)

    def add_raised(
        self, case: Case, raised: Mapping[str, str], osaid_conformant: bool | None
    ) -> None:
        """Count one text by the flags raised on it (flag -> where, for the error list)."""
        judged = set(raised) & case.judged
        self.texts += 1
        self.tp += len(judged & case.expected)
        for flag in sorted(judged - case.expected):
            self.fp += 1
            self.errors.append(f"FP {case.name}: {flag} {raised[flag]}")
        for flag in sorted(case.expected - judged):
            self.fn += 1
            self.errors.append(f"FN {case.name}: {flag}")
        if osaid_conformant == case.osaid_conformant:
            self.osaid_right += 1
        else:
            self.errors.append(
                f"OSAID {case.name}: read {osaid_conformant}, labelled {case.osaid_conformant}"
            )

    def row(self) -> str:
        if self.tp + self.fn == 0:
            # a set of texts that must raise nothing: only false alarms can be counted
            return (
                f"{self.label:<46} texts {self.texts:>3}  no flag expected: {self.fp} raised"
                f"  OSAID {self.osaid_accuracy:.2f}"
            )
        return (
            f"{self.label:<46} texts {self.texts:>3}  P {self.precision:.2f}  R {self.recall:.2f}"
            f"  F1 {self.f1:.2f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})"
            f"  OSAID {self.osaid_accuracy:.2f}"
        )


def fixture_cases(folder: Path) -> list[Case]:
    """The labelled texts of one half of ``fixtures/provisions``."""
    cases = []
    with (folder / "labels.jsonl").open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            text = (folder / row["file"]).read_text(encoding="utf-8")
            cases.append(
                Case(
                    row["file"],
                    text,
                    frozenset(row["flags"]),
                    frozenset(FLAGS),
                    bool(row["osaid_conformant"]),
                    row["file"],
                )
            )
    return cases


def corpus_cases(corpus: Path) -> list[Case]:
    """The development corpus's license texts with their labels and near-duplicate family."""
    families: dict[str, str] = {}
    sources = corpus / "licenses" / "SOURCES.tsv"
    if sources.is_file():
        with sources.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                families[row["name"]] = row.get("family") or row["name"]
    cases = []
    with (corpus / "gold" / "texts.jsonl").open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            path = corpus / "licenses" / row["file"]
            if not path.is_file():
                continue
            expected = frozenset(row.get("flags", {})) & frozenset(FLAGS)
            judged = (expected | frozenset(row.get("absent_flags_checked", ()))) & frozenset(FLAGS)
            stem = row["file"].removesuffix(".txt")
            cases.append(
                Case(
                    row["file"],
                    path.read_text(encoding="utf-8", errors="replace"),
                    expected,
                    judged,
                    bool(row["osaid_terms_ok"]),
                    families.get(stem, stem),
                )
            )
    return cases


def score(label: str, cases: Iterable[Case], read: Callable[[str], ProvisionReading]) -> Scores:
    """Read every case and count."""
    scores = Scores(label)
    for case in cases:
        scores.add(case, read(case.text))
    return scores


def families(cases: Sequence[Case]) -> dict[str, list[Case]]:
    """The cases grouped by near-duplicate family, in a stable order."""
    out: dict[str, list[Case]] = {}
    for case in sorted(cases, key=lambda c: (c.family, c.name)):
        out.setdefault(case.family, []).append(case)
    return out


def cross_validate(
    label: str,
    cases: Sequence[Case],
    rows: Sequence[Row],
    train: Callable[[Sequence[Row]], Classifier],
) -> Scores:
    """Family-wise cross-validation: for each near-duplicate family, retrain the classifier
    without every row taken from the family's texts (a quote found in them, a ScanCode text
    sharing a third of its shingles with them), then read the family's texts with it."""
    from openlicense.provisions.reader import read_provisions
    from openlicense.provisions.training import near_duplicate

    scores = Scores(label)
    for members in families(cases).values():
        excluded = near_duplicate(rows, [c.text for c in members])
        model = train([r for r in rows if r.source not in excluded])
        for case in members:
            scores.add(case, read_provisions(case.text, model=model))
    return scores

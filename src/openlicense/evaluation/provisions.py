"""The provision reader's license-term flags scored on texts never catalogued:
:func:`evaluate_provisions` scores the reader alone and ``identify`` (clause scanner and
provision reader combined) on the labelled fixtures (``fixtures/provisions``) and on the
corpus, with family-wise cross-validation on request, and :func:`format_provisions_score`
prints the tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: The provision reader's own labelled texts (fixtures/provisions/{tune,heldout}) in a checkout.
PROVISION_FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "provisions"


def osi_cases() -> list[Any]:
    """Every OSI-approved license of the catalog whose text ScanCode's data holds (exceptions
    and deprecated ids aside), as a case that must raise no license-term flag and read as
    OSAID-conformant: the benign look-alikes written by the licenses' own authors. The
    sentence classifier was trained with these texts as negatives, so its share of the figure
    is memory; the rules were not written from them."""
    from openlicense.catalog import get_catalog
    from openlicense.catalog.texts import reference_text
    from openlicense.provisions.evaluate import Case
    from openlicense.provisions.model import FLAGS

    cases = []
    for entry in get_catalog():
        if not entry.osi_approved or entry.deprecated or entry.kind != "license":
            continue
        if entry.namespace != "spdx":
            continue
        text = reference_text(entry.text)
        if text is None or len(text) < 200:
            continue
        cases.append(Case(entry.id, text, frozenset(), frozenset(FLAGS), osaid_conformant=True))
    return cases


def evaluate_provisions(
    corpus: Path, *, cv: bool = False, fixtures: Path = PROVISION_FIXTURES
) -> list[Any]:
    """The license-term flags read from texts never catalogued, set by set, each labelled with
    what it is worth (see docs/provisions.md): the provision reader alone, and ``identify``
    (clause scanner and provision reader combined) on the fixtures, which it treats as
    uncatalogued texts. Family-wise cross-validation retrains the classifier once per family
    of the corpus (minutes): only with ``cv``."""
    from openlicense.provisions import read_provisions
    from openlicense.provisions.evaluate import (
        Scores,
        corpus_cases,
        cross_validate,
        fixture_cases,
        score,
    )
    from openlicense.provisions.model import FLAGS
    from openlicense.report.identify import identify_text

    def identified(label: str, cases: Iterable[Any]) -> Scores:
        scores = Scores(label)
        for case in cases:
            # Without ScanCode: a rider on a standard text is still found by the exact
            # matcher (exact+diff), and the evaluation stays quick enough to run every time.
            result = identify_text(case.text, name=case.name, scancode=False)
            raised: dict[str, str] = {}
            for f in result.flags:
                if f.name in FLAGS:
                    quote = (f.evidence.quote or "")[:120]
                    raised.setdefault(f.name, f"line {f.evidence.line} [{f.source}] {quote!r}")
            scores.add_raised(case, raised, result.osaid_conformant)
        return scores

    tables: list[Any] = []
    if (fixtures / "tune" / "labels.jsonl").is_file():
        tune, heldout = fixture_cases(fixtures / "tune"), fixture_cases(fixtures / "heldout")
        tables += [
            score("reader, tune (tuned on)", tune, read_provisions),
            score("reader, held-out (never tuned on)", heldout, read_provisions),
            identified("identify, tune (tuned on)", tune),
            identified("identify, held-out (never tuned on)", heldout),
        ]
    osi = osi_cases()
    if osi:
        tables.append(score("reader, OSI-approved texts (benign)", osi, read_provisions))
        # The same texts through identify: exact copies of ScanCode's texts, so the catalog's
        # judgement of the license decides (memory of the license data, not of the reader).
        tables.append(identified("identify, OSI-approved texts (exact copies)", osi))
    if (corpus / "gold" / "texts.jsonl").is_file():
        cases = corpus_cases(corpus)
        tables.append(score("reader, development (memory)", cases, read_provisions))
        if cv:
            import licensedcode

            from openlicense.provisions.training import rows_from_sources, train

            scancode = Path(licensedcode.__file__).parent / "data" / "licenses"
            rows = rows_from_sources(scancode, fixtures / "tune")
            tables.append(cross_validate("reader, cross-validated by family", cases, rows, train))
    return tables


def format_provisions_score(tables: list[Any], *, cv: bool) -> str:
    lines = [
        "license-term flags of uncatalogued texts (by flag name per text; OSAID = conformance"
        " accuracy):"
    ]
    lines += [f"  {t.row()}" for t in tables]
    if not cv:
        lines.append(
            "  (family-wise cross-validation on the corpus: --cv; last measured figure in "
            "docs/provisions.md)"
        )
    for t in tables:
        # Only the errors of the sets tuned on: the others are read to report, not to tune
        # (tools/eval_provisions.py --errors lists them all).
        if ", tune " in t.label:
            lines += [f"    {t.label}: {e}" for e in t.errors]
    return "\n".join(lines)

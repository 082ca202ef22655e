"""Print how well the provision reader reads, on data it was and was not built from.

    PYTHONPATH=src python tools/eval_provisions.py [--corpus DIR] [--errors] [--no-cv]
    PYTHONPATH=src python tools/eval_provisions.py --threshold

``--threshold`` sweeps the confidence from which ``identify`` accepts a provision-reader hit the
clause scanner does not confirm (``identification.findings.PROVISION_THRESHOLD``), on the tune
half only, and prints identify's figures there for each value: the highest value that keeps
the tune half's recall is the one to ship.

Tables, each labelled with what the figure is worth:

- development: the development corpus read with the shipped classifier. The catalog quotes the
  classifier learnt from come from these texts, so this measures memory more than reading.
- tune: fixtures/provisions/tune, which the lexicon and the classifier were built on.
- held-out: fixtures/provisions/heldout, never used to build anything.
- cross-validated: the development corpus by near-duplicate family; for each family the
  classifier is retrained without any row taken from the family's texts. The lexicon is hand
  written and not refitted per fold (it was written from the tune half, not from the corpus).
- OSI-approved texts: every OSI-approved license text of ScanCode's data the catalog lists,
  which must raise nothing and read as conformant. The classifier learnt them as negatives
  (memory for it); the rules were not written from them.
- rules only: the same texts with the classifier switched off, to show what it adds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    import licensedcode

    from openlicense.evaluation.provisions import osi_cases
    from openlicense.provisions import read_provisions
    from openlicense.provisions.classifier import Classifier
    from openlicense.provisions.evaluate import (
        corpus_cases,
        cross_validate,
        fixture_cases,
        score,
    )
    from openlicense.provisions.training import rows_from_sources, train

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument(
        "--errors",
        action="store_true",
        help="list every miss and false alarm, except the held-out half's (kept unseen)",
    )
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation (slow)")
    parser.add_argument(
        "--threshold", action="store_true", help="sweep identify's acceptance threshold on tune"
    )
    args = parser.parse_args(argv)
    if args.threshold:
        return _sweep(ROOT / "fixtures" / "provisions" / "tune")

    def off(text: str):  # type: ignore[no-untyped-def]
        return read_provisions(text, model=Classifier({}, {}, {}))

    fixtures = ROOT / "fixtures" / "provisions"
    tables = [
        score("tune (built on it)", fixture_cases(fixtures / "tune"), read_provisions),
        score("held-out", fixture_cases(fixtures / "heldout"), read_provisions),
        score("held-out, rules only", fixture_cases(fixtures / "heldout"), off),
    ]
    osi = osi_cases()
    tables.append(score("OSI-approved texts (benign)", osi, read_provisions))
    tables.append(score("OSI-approved texts, rules only", osi, off))
    if (args.corpus / "gold" / "texts.jsonl").is_file():
        cases = corpus_cases(args.corpus)
        tables.append(score("development (memory)", cases, read_provisions))
        tables.append(score("development, rules only", cases, off))
        if not args.no_cv:
            scancode = Path(licensedcode.__file__).parent / "data" / "licenses"
            rows = rows_from_sources(scancode, fixtures / "tune")
            tables.append(cross_validate("cross-validated by family", cases, rows, train))
    else:
        print(f"(no development corpus at {args.corpus}: development and cross-validated skipped)")
    print("license-term flags by name per text; OSAID = conformance accuracy")
    for table in tables:
        print(table.row())
    if args.errors:
        for table in tables:
            if table.label.startswith("held-out"):
                # The held-out half stays unseen: its figures are reported, its errors never.
                continue
            if table.errors:
                print(f"\n## {table.label}")
                print("\n".join(table.errors))
    return 0


def _sweep(folder: Path) -> int:
    from openlicense import identification
    from openlicense.identification import findings
    from openlicense.provisions.evaluate import Scores, fixture_cases
    from openlicense.provisions.model import FLAGS
    from openlicense.report.identify import identify_text

    cases = fixture_cases(folder)
    print("identify on the tune half, by acceptance threshold of unconfirmed reader hits")
    for threshold in (0.0, 0.7, 0.75, 0.8, 0.85, 0.9, 1.01):
        findings.PROVISION_THRESHOLD = threshold
        identification._SEEN.clear()  # identical texts are identified once per process
        scores = Scores(f"threshold {threshold:.2f}")
        for case in cases:
            result = identify_text(case.text, name=case.name, scancode=False)
            raised = {f.name: f.source for f in result.flags if f.name in FLAGS}
            scores.add_raised(case, raised, result.osaid_conformant)
        print(scores.row())
    return 0


if __name__ == "__main__":
    sys.exit(main())

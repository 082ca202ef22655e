"""Running every evaluation whose labels a corpus has: :func:`run`, what ``openlicense evaluate``
calls, picks the tasks asked for and present under the corpus, runs each, joins their printed
reports and collects the headline numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openlicense.evaluation.cards import evaluate_cards, format_cards_score
from openlicense.evaluation.classes import evaluate_eosai, evaluate_mot, format_confusion
from openlicense.evaluation.provisions import evaluate_provisions, format_provisions_score
from openlicense.evaluation.strings import evaluate_strings, format_strings_score
from openlicense.evaluation.texts import evaluate_texts, format_texts_score


def run(
    corpus: Path,
    tasks: Iterable[str] = ("strings", "texts", "cards", "mot", "eosai", "provisions"),
    *,
    cv: bool = False,
) -> tuple[str, dict[str, float]]:
    """Run the evaluations whose labels exist under ``corpus``; return a report and the numbers."""
    out: list[str] = []
    numbers: dict[str, float] = {}
    if "strings" in tasks and (corpus / "gold" / "strings.tsv").exists():
        s = evaluate_strings(corpus)
        out.append(format_strings_score(s))
        numbers["normalization"] = s.accuracy
    if "texts" in tasks and (corpus / "gold" / "texts.jsonl").exists():
        t = evaluate_texts(corpus)
        out.append(format_texts_score(t))
        numbers["identity"] = t.identity_ok / max(1, t.files)
        numbers["osaid"] = t.osaid_ok / max(1, t.files)
        numbers["flag_precision"] = t.precision
        numbers["flag_recall"] = t.recall
    if "cards" in tasks and (corpus / "gold" / "cards.jsonl").exists():
        c = evaluate_cards(corpus)
        out.append(format_cards_score(c))
        numbers["cards"] = c.both_ok / max(1, c.cards)
    if "mot" in tasks and (corpus / "mot" / "models").is_dir():
        agree, total, test_ok, test_total, misses = evaluate_mot(corpus)
        block = [
            "MOF class (mot/):",
            f"  models: openlicense = MOT algorithm on {agree}/{total} = "
            f"{agree / max(1, total):.1%}",
            f"  Test_Data: {test_ok}/{test_total} = {test_ok / max(1, test_total):.1%}",
        ]
        block += [f"    {m}" for m in misses]
        out.append("\n".join(block))
        numbers["mof_models"] = agree / max(1, total)
        numbers["mof_test_data"] = test_ok / max(1, test_total)
    if "eosai" in tasks and (corpus / "eosai" / "models").is_dir():
        matrix, n = evaluate_eosai(corpus)
        out.append(format_confusion(matrix, n))
        numbers["eosai_license_agreement"] = sum(
            matrix.get((g, g), 0) for g in ("open", "partial", "closed")
        ) / max(1, n)

    if "provisions" in tasks:
        tables = evaluate_provisions(corpus, cv=cv)
        if tables:
            out.append(format_provisions_score(tables, cv=cv))
        for t in tables:
            key = "provisions_" + t.label.split(" (")[0].replace(", ", "_").replace(" ", "_")
            numbers[f"{key}_precision"] = t.precision
            numbers[f"{key}_recall"] = t.recall
            numbers[f"{key}_osaid"] = t.osaid_accuracy

    if not out:
        out.append(f"no labels found under {corpus / 'gold'}")
    return "\n\n".join(out), numbers

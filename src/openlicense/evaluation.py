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
from openlicense.normalization import Normalized, normalize

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
    """:func:`expression.shape`, with every own id as the labels' wildcard (gold/README.md:
    any LicenseRef-openlicense-* id is right where the label says LicenseRef-openlicense-?)."""

    def wildcard(leaf: ex.License | ex.LicenseRef | ex.With) -> ex.Expression:
        if isinstance(leaf, ex.LicenseRef) and leaf.id.startswith("LicenseRef-openlicense-"):
            return ex.LicenseRef(_WILDCARD)
        return leaf

    return ex.shape(ex.map_leaves(node, wildcard))


def _parse_label(text: str) -> Any:
    # "LicenseRef-openlicense-?" is not an idstring; swap in a parseable stand-in.
    return _shape(ex.parse(text.replace(_WILDCARD, "LicenseRef-openlicense-x")))


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


# --------------------------------------------------------------------------------------------
# texts


@dataclass(slots=True)
class TextsScore:
    files: int = 0
    identity_ok: int = 0
    wrong_version: list[str] = field(default_factory=list)
    osaid_ok: int = 0
    kind_ok: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    quotes: int = 0
    quotes_found: int = 0
    per_flag: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def identity_matches(
    gold: str, expression: str | None, variant_of: str | None
) -> tuple[bool, bool]:
    """(right, wrong-version claim) for one text, by the rules of gold/README.md."""
    if gold.startswith("NOT-IN-SCANCODE:"):
        own = bool(expression and expression.startswith("LicenseRef-openlicense-"))
        claimed_known = bool(expression) and not own
        return (own or (expression is None and variant_of is not None)), claimed_known
    options = gold.split("|")
    if expression is None or variant_of is not None:
        return False, False
    right = any(expression_matches(expression, o) for o in options)
    return right, not right


def evaluate_texts(corpus: Path, *, scancode: bool = True) -> TextsScore:
    """Identify every labelled text of ``licenses/`` and score it against gold/texts.jsonl."""
    import json

    from openlicense.report.identify import identify

    score = TextsScore()
    with (corpus / "gold" / "texts.jsonl").open(encoding="utf-8") as handle:
        labels = [json.loads(line) for line in handle if line.strip()]
    for label in labels:
        path = corpus / "licenses" / label["file"]
        result = identify(path, scancode=scancode)
        score.files += 1
        right, wrong = identity_matches(label["identity"], result.expression, result.variant_of)
        score.identity_ok += right
        got = result.expression or (
            f"variant of {result.variant_of}" if result.variant_of else None
        )
        if wrong:
            score.wrong_version.append(f"{label['file']}: {label['identity']} -> {got}")
        if not right:
            score.misses.append(
                f"identity {label['file']}: expected {label['identity']}, got {got}"
            )
        if result.osaid_conformant == label["osaid_terms_ok"]:
            score.osaid_ok += 1
        else:
            score.misses.append(
                f"osaid {label['file']}: expected {label['osaid_terms_ok']}, "
                f"got {result.osaid_conformant}"
            )
        score.kind_ok += result.kind == label["kind"]
        raised = {f.name for f in result.flags}
        for name in label["flags"]:
            ok = name in raised
            score.tp += ok
            score.fn += not ok
            score.per_flag[name][0 if ok else 2] += 1
            if not ok:
                score.misses.append(f"missed {name} in {label['file']}")
        for name in label.get("absent_flags_checked", []):
            if name in raised:
                score.fp += 1
                score.per_flag[name][1] += 1
                score.misses.append(f"false {name} in {label['file']}")
        text = path.read_text(encoding="utf-8", errors="replace")
        for f in result.flags:
            if f.evidence.quote:
                score.quotes += 1
                score.quotes_found += f.evidence.quote.removesuffix("...") in text
    return score


def format_texts_score(score: TextsScore) -> str:
    n = score.files or 1
    lines = [
        f"identification (gold/texts.jsonl, {score.files} texts):",
        f"  identity         {score.identity_ok}/{score.files} = {score.identity_ok / n:.1%}"
        f"  (wrong-version claims: {len(score.wrong_version)})",
        f"  OSAID conformance {score.osaid_ok}/{score.files} = {score.osaid_ok / n:.1%}",
        f"  kind             {score.kind_ok}/{score.files} = {score.kind_ok / n:.1%}",
        f"  flags            precision {score.precision:.3f}  recall {score.recall:.3f}"
        f"  (tp {score.tp}, fp {score.fp}, fn {score.fn})",
        f"  quotes in file   {score.quotes_found}/{score.quotes}",
    ]
    for name, (tp, fp, fn) in sorted(score.per_flag.items()):
        lines.append(f"    {name:26} tp {tp:3} fp {fp:3} fn {fn:3}")
    for w in score.wrong_version:
        lines.append(f"  WRONG VERSION: {w}")
    if score.misses:
        lines.append("  disagreements:")
        lines += [f"    {m}" for m in score.misses]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# model cards, MOT and EOSAI

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
        if expected in _STATUS_LABELS:
            expr_ok = status == _STATUS_LABELS[expected]
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


def evaluate_mot(corpus: Path) -> tuple[int, int, int, int, list[str]]:
    """MOF class: openlicense (normalized licenses) against MOT's own algorithm on mot/models,
    and against the expected classes encoded in the names of mot/Test_Data."""
    import re

    from openlicense.judge.mof import mof_class, mot_reference
    from openlicense.release.mot import read_mot

    misses: list[str] = []
    agree = total = 0
    for path in sorted((corpus / "mot" / "models").glob("*.yml")):
        total += 1
        ours = mof_class(read_mot(path)).mof_class
        theirs = mot_reference(path).mof_class
        agree += ours == theirs
        if ours != theirs:
            misses.append(f"{path.name}: openlicense {ours}, MOT {theirs}")
    test_ok = test_total = 0
    for path in sorted((corpus / "mot" / "Test_Data").glob("*.yml")):
        m = re.search(r"_C1_(\d+)%-C2_(\d+)%-C3_(\d+)%", path.name)
        if not m:
            continue
        test_total += 1
        p1, p2, p3 = (int(x) for x in m.groups())
        expected = (
            "I" if p1 == 100 else "II" if p2 == 100 else "III" if p3 == 100 else "unclassified"
        )
        got = mof_class(read_mot(path)).mof_class
        test_ok += got == expected
        if got != expected:
            misses.append(f"Test_Data {path.name}: expected {expected}, got {got}")
    return agree, total, test_ok, test_total, misses


def evaluate_eosai(corpus: Path) -> tuple[dict[tuple[str, str], int], int]:
    """Confusion matrix: EOSAI experts' `licenses` grade against openlicense's license grade."""
    import yaml

    from openlicense.judge.verdict import license_grade
    from openlicense.normalization import normalize

    matrix: Counter[tuple[str, str]] = Counter()
    n = 0
    for path in sorted((corpus / "eosai" / "models").glob("*.y*ml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue
        if not isinstance(data, dict):
            continue
        expert = str((data.get("licenses") or {}).get("class") or "").strip().lower()
        declared = str((data.get("system") or {}).get("endmodellicense") or "")
        if expert not in {"open", "partial", "closed"}:
            continue
        result = normalize(declared)
        grade, _ = license_grade(result.expression)
        matrix[(expert, grade)] += 1
        n += 1
    return dict(matrix), n


def format_confusion(matrix: dict[tuple[str, str], int], n: int) -> str:
    grades = ("open", "partial", "closed")
    agree = sum(matrix.get((g, g), 0) for g in grades)
    lines = [
        f"EOSAI licenses grade (rows: experts) vs openlicense license grade (columns), {n} models:",
        "            " + "".join(f"{g:>9}" for g in grades),
    ]
    for row in grades:
        lines.append(f"  {row:9} " + "".join(f"{matrix.get((row, col), 0):>9}" for col in grades))
    lines.append(f"  agreement {agree}/{n} = {agree / max(1, n):.1%}")
    return "\n".join(lines)


#: The provision reader's own labelled texts (fixtures/provisions/{tune,heldout}) in a checkout.
PROVISION_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "provisions"


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

"""Identification of license texts scored against ``gold/texts.jsonl``: for every labelled file
of the corpus's ``licenses/``, the identity (and wrong-version claims), OSAID conformance, the
kind of text, the flags raised (precision and recall, per flag) and whether each flag's quote
is found in the file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from openlicense.evaluation.labels import expression_matches


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

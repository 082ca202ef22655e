"""SPDX conformance of the matcher: every SPDX license and exception text in the installed
ScanCode data is identified as itself, and so are variants made of it under the SPDX Matching
Guidelines; a clause added, removed or changed makes it a variant, with the span quoted.

These figures are measured on the reference texts the index is built from, so they show the
matcher is consistent with its own data, not that it is accurate on unseen texts: for that see
the corpus texts in test_matching_corpus.py (SPDX's own texts, not ScanCode's).
"""

from __future__ import annotations

import random
import re
import textwrap
from collections.abc import Callable

import pytest

from openlicense.matching.match import match_text
from openlicense.matching.normalize import tokenize
from openlicense.matching.references import Reference, iter_references
from openlicense.matching.results import MatchResult

SEED = 9
VARIANT_SAMPLE = 80
CLAUSE_SAMPLE = 40


def _spdx_references() -> list[tuple[Reference, str]]:
    return [
        (ref, text)
        for ref, text in iter_references()
        if not ref.is_rule and not ref.spdx_id.startswith("LicenseRef-")
    ]


@pytest.fixture(scope="module")
def spdx_texts() -> list[tuple[Reference, str]]:
    return _spdx_references()


@pytest.fixture(scope="module")
def same_words(spdx_texts: list[tuple[Reference, str]]) -> dict[str, set[str]]:
    """Ids whose texts fold to the same words (no matcher can tell them apart)."""
    groups: dict[tuple[int, ...], set[str]] = {}
    for ref, text in spdx_texts:
        groups.setdefault(tokenize(text).ids, set()).add(ref.spdx_id)
    return {i: group for group in groups.values() for i in group}


def _found(result: MatchResult, ref: Reference) -> tuple[str | None, str | None]:
    """(the id found, its relation) for a text expected to hold exactly ``ref``."""
    if len(result.matches) != 1:
        return None, None
    match = result.matches[0]
    return match.spdx_id, result.relation


# --- guideline variants ------------------------------------------------------------------------

_NOTICE = re.compile(
    r"^\s*(copyright\s*(\(c\)|©|\d)|\(c\)\s*\d|©|all rights reserved)", re.IGNORECASE
)


def _fill(lines: list[str]) -> str:
    return textwrap.fill(" ".join(lines), 50, break_long_words=False, break_on_hyphens=False)


def rewrapped(text: str) -> str:
    """Paragraphs joined and wrapped again at 50 columns.

    A copyright notice is left as it is: a notice wrapped over several lines ("Copyright ...
    Consortium, (Massachusetts Institute of\nTechnology, ...") is not a notice any more once its
    lines are joined with the text, for any matcher.
    """
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = block.splitlines()
        if lines and _NOTICE.match(lines[0]):
            out.extend([block, ""])
            continue
        current: list[str] = []
        for line in lines:
            if _NOTICE.match(line):
                if current:
                    out.append(_fill(current))
                    current = []
                out.append(line.strip())
            else:
                current.append(line.strip())
        if current:
            out.append(_fill(current))
        out.append("")
    return "\n".join(out)


def retitled(text: str) -> str:
    lines = text.strip("\n").splitlines()
    first = lines[0].strip() if lines else ""
    title = "The Nightjar Project License"
    if first and len(first.split()) <= 8 and not first.endswith((".", ",", ";", ":")):
        return "\n".join([title, *lines[1:]]) + "\n"
    return f"{title}\n\n{text}"


def rebulleted(text: str) -> str:
    text = re.sub(r"(?m)^(\s*)(\d{1,2})\.(\s)", r"\1(\2)\3", text)
    text = re.sub(r"(?m)^(\s*)\(([a-h])\)(\s)", r"\1\2.\3", text)
    return re.sub(r"(?m)^(\s*)[*\-](\s)", r"\1•\2", text)


def recopyrighted(text: str) -> str:
    kept = [line for line in text.splitlines() if not _NOTICE.match(line)]
    notice = "Copyright (c) 2031 Nightjar Foundation and others. All rights reserved."
    return "\n".join([notice, "", *kept]) + "\n"


def _british_pairs() -> list[tuple[str, str]]:
    from importlib import resources

    source = resources.files("openlicense.matching").joinpath("data/equivalentwords.txt")
    pairs = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "," not in line:
            continue
        us, uk = (w.strip() for w in line.split(",", 1))
        if " " not in us + uk and "-" not in us + uk:
            pairs.append((us, uk))
    return pairs


def british(text: str) -> str:
    for us, uk in _british_pairs():
        for a, b in ((us, uk), (us.capitalize(), uk.capitalize()), (us.upper(), uk.upper())):
            text = re.sub(rf"\b{a}\b", b, text)
    return text


def https(text: str) -> str:
    return text.replace("http://", "https://")


VARIANTS: dict[str, Callable[[str], str]] = {
    "rewrapped": rewrapped,
    "retitled": retitled,
    "rebulleted": rebulleted,
    "recopyrighted": recopyrighted,
    "british": british,
    "https": https,
}


def test_every_spdx_text_is_identified_as_itself(
    spdx_texts: list[tuple[Reference, str]], same_words: dict[str, set[str]]
) -> None:
    wrong = []
    for ref, text in spdx_texts:
        found, relation = _found(match_text(text), ref)
        if found not in same_words[ref.spdx_id] or relation != "is":
            wrong.append((ref.spdx_id, found, relation))
    share = 1 - len(wrong) / len(spdx_texts)
    print(f"\nSPDX texts identified as themselves: {share:.2%} of {len(spdx_texts)}")
    assert wrong == []


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_guideline_variants_are_identified_as_the_license(
    variant: str, spdx_texts: list[tuple[Reference, str]], same_words: dict[str, set[str]]
) -> None:
    sample = random.Random(SEED).sample(spdx_texts, VARIANT_SAMPLE)
    make = VARIANTS[variant]
    wrong = []
    changed = 0
    for ref, text in sample:
        varied = make(text)
        changed += varied != text
        found, relation = _found(match_text(varied), ref)
        if found not in same_words[ref.spdx_id] or relation != "is":
            wrong.append((ref.spdx_id, found, relation))
    share = 1 - len(wrong) / len(sample)
    print(f"\n{variant}: {share:.2%} of {len(sample)} identified ({changed} texts changed)")
    assert share >= 0.95, wrong


# --- modified texts -----------------------------------------------------------------------------

_ADDED = (
    "The licensee shall also send the licensor a written report of every product that "
    "includes the work, within thirty days of its first sale."
)


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if len(p.split()) >= 12]


def _clause_sample(spdx_texts: list[tuple[Reference, str]]) -> list[tuple[Reference, str]]:
    long_enough = [
        (ref, text)
        for ref, text in spdx_texts
        if ref.kind == "license" and len(_paragraphs(text)) >= 4 and len(tokenize(text)) >= 150
    ]
    return random.Random(SEED).sample(long_enough, CLAUSE_SAMPLE)


def _modified(text: str, how: str) -> tuple[str, str]:
    """The text with its middle paragraph's clause added/removed/changed, and that clause."""
    paragraphs = _paragraphs(text)
    target = paragraphs[len(paragraphs) // 2]
    if how == "added":
        return text.replace(target, f"{target}\n\n{_ADDED}", 1), _ADDED
    if how == "removed":
        return text.replace(target, "", 1), target
    changed = "The licensor grants no right at all under this paragraph to anyone."
    return text.replace(target, changed, 1), changed


@pytest.mark.parametrize("how", ["added", "removed", "changed"])
def test_a_clause_added_removed_or_changed_makes_a_variant(
    how: str, spdx_texts: list[tuple[Reference, str]], same_words: dict[str, set[str]]
) -> None:
    wrong = []
    became: list[tuple[str, str]] = []
    sample = _clause_sample(spdx_texts)
    for ref, text in sample:
        modified, clause = _modified(text, how)
        result = match_text(modified)
        main = max(result.matches, key=lambda m: m.file_coverage, default=None)
        words = set(tokenize(clause).words)
        side = "reference_text" if how == "removed" else "text"
        spans = main.spans if main is not None else ()
        # the span holds the clause, give or take a word the diff aligned with its neighbours
        quoted = any(
            len(words & set(tokenize(getattr(s, side)).words)) >= 0.8 * len(words) for s in spans
        )
        line = modified[: modified.find(clause)].count("\n") + 1
        line_ok = how == "removed" or any(s.start_line <= line <= s.end_line for s in spans)
        if how == "removed" and result.relation == "is" and main is not None:
            # without the clause the text is another license (BSD-4-Clause less its
            # advertising clause is BSD-3-Clause): identified as that one, rightly
            became.append((ref.spdx_id, main.spdx_id))
            continue
        if (
            main is None
            or main.spdx_id not in same_words[ref.spdx_id]
            or result.relation != "variant_of"
            or not quoted
            or not line_ok
        ):
            wrong.append((ref.spdx_id, main and main.spdx_id, result.relation, quoted, line_ok))
    share = 1 - len(wrong) / (len(sample) - len(became))
    print(
        f"\nclause {how}: {share:.2%} of {len(sample) - len(became)} are variants with the span"
        f" quoted; {len(became)} became another license: {became}"
    )
    # A change to the one clause that tells two licenses apart leaves a text as close to one
    # as to the other (BSD-4-Clause with its advertising clause changed): those may be named
    # as a variant of the neighbour.
    assert share >= 0.9, wrong

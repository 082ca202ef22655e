"""The alignment matcher, openlicense's own (the default in place of ScanCode's), and the
helpers that turn what :mod:`openlicense.matching` aligned into this stage's terms: the
catalog's ids and expression for the references found, a stated license when no text matches,
and the residue and differing spans as :class:`~openlicense.identification.exact.Change`
values (character offsets, and whether a difference is of clause size).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from openlicense import expression as ex
from openlicense.catalog import Catalog
from openlicense.identification.exact import Change
from openlicense.identification.matchers import _all_of, _rider_clauses
from openlicense.identification.study import (
    _LEGAL,
    _MAX_FRAME_WORDS,
    _MIN_CHANGE_WORDS,
    _SUBSTANTIVE_WORDS,
    TextStudy,
    _is_generic,
    _is_notice_file,
)
from openlicense.model import Match


def alignment(work: TextStudy) -> bool:
    """openlicense's own matcher (:mod:`openlicense.matching`): word alignment against every
    reference text ScanCode's data holds, without ScanCode's index.

    ``is`` is the license; ``contains`` is the license with text around it, which is a
    modified license when that text speaks as a license does (a rider: the clause scanner
    reads it); ``variant_of`` is a variant of the reference that explains most of the file,
    unless every difference is below clause size and none speaks as a license does.
    """
    from openlicense.matching.match import match_text

    result = match_text(work.text)
    found: list[tuple[Any, str]] = []
    exceptions: list[tuple[Any, str]] = []
    for m in result.matches:
        spdx = _aligned_id(m, work.catalog)
        work.matches.append(
            Match(
                spdx,
                "alignment",
                round(100.0 * m.license_coverage, 2),
                m.start_line,
                m.end_line,
                f"{m.relation} {m.reference}" + (" (exception)" if m.kind == "exception" else ""),
            )
        )
        if spdx is None:
            continue
        if m.kind == "exception":
            exceptions.append((m, spdx))
        elif not _is_generic(spdx, work.catalog):
            found.append((m, spdx))
    if not found:
        if exceptions:
            # An exception alone has no expression of its own (it modifies a license): name it
            # in the match and say so, rather than dropping a full match.
            names = ", ".join(dict.fromkeys(e for _, e in exceptions))
            work.method, work.coverage = (
                "alignment",
                100.0 * min(m.license_coverage for m, _ in exceptions),
            )
            work.coverage = round(work.coverage, 2)
            work.warnings.append(
                f"the text of the license exception {names}: it applies as "
                f"`<license> WITH {names.split(', ')[0]}`"
            )
            return True
        if result.notices and result.expression:
            return _stated(work, result)
        work.method = "no-match"
        return False
    expression = _aligned_expression(found, exceptions, work.catalog)
    if expression is None:
        return False
    best, best_id = max(found, key=lambda p: (p[0].file_coverage, p[0].license_coverage))
    variants = [(m, e) for m, e in found if m.relation == "variant_of"]
    if not variants:
        work.changes = [_residue_change(work, s) for s in result.residue]
        work.changes = [c for c in work.changes if c.words >= _MIN_CHANGE_WORDS]
        legal = any(_LEGAL.search(work.text[c.start : c.end]) for c in work.changes)
        if _is_notice_file(work.doc.path):
            legal, work.changes = False, []
        if work.changes and (legal or _rider_clauses(work)):
            # The whole license is there, and text that changes its terms follows (a rider).
            work.variant_of, work.method = expression, "alignment"
            work.coverage = round(100.0 * result.file_coverage, 2)
            return True
        work.changes = []
        work.expression, work.method, work.coverage = expression, "alignment", 100.0
        outside = sum(s.words for s in result.residue)
        if outside > _MAX_FRAME_WORDS:
            work.warnings.append("a license text embedded in a larger document")
        return True
    best, best_id = max(variants, key=lambda p: (p[0].file_coverage, p[0].license_coverage))
    work.changes = [
        c
        for s in best.spans
        if (c := _span_change(work, s)) is not None and _clause_size(c, s, best.end_line)
    ]
    work.coverage = round(100.0 * best.license_coverage, 2)
    legal = any(
        _LEGAL.search(work.text[c.start : c.end]) for c in work.changes if c.kind != "removed"
    )
    if not work.changes and not legal:
        # Below the reference only by words that are not clauses (a name filled into the
        # template, "Agreement" for "License"): the same license.
        work.changes = []
        work.expression, work.method = expression, "alignment"
        work.warnings.append(f"differs from the {best_id} text only in words below clause level")
        return True
    work.variant_of, work.method = best_id, "alignment"
    return True


_URL = re.compile(r"(?<!\S)\S*(?:://|www\.|\.(?:org|com|net|io)\b)\S*", re.I)
_WORD = re.compile(r"[^\W\d_]+|\d+")
_TERMS = frozenset(
    re.findall(
        r"\w+",
        "must shall may will can cannot not no permitted permission granted grant grants "
        "prohibited required agree warranty warranties liable liability provided condition "
        "conditions retain reproduce redistribute redistribution use endorse promote",
    )
)
#: An insertion this short whose words are all capitalized is a name filled in ("CreativeML
#: Open RAIL++-M" where the reference says "License"), not a clause.
_NAME_WORDS = 8


def _clause_size(change: Change, span: Any, last_line: int) -> bool:
    """Is this difference a clause, rather than what the SPDX guidelines let differ?

    Not a clause: fewer than :data:`_MIN_CHANGE_WORDS` words once links are set aside (a
    Markdown file writes each URL twice, "[url](url)"); a short capitalized name; a removal
    of fewer than :data:`_SUBSTANTIVE_WORDS` words on the last line (the closing notices
    SPDX marks optional) or that grants, forbids or conditions nothing (Creative Commons'
    "The text of the Creative Commons public licenses is dedicated to the public domain
    under the CC0 Public Domain Dedication.").
    """
    side = span.reference_text if change.kind == "removed" else span.text
    words = _WORD.findall(_URL.sub(" ", side))
    if len(words) < _MIN_CHANGE_WORDS:
        return False
    if change.kind == "removed":
        if len(words) >= _SUBSTANTIVE_WORDS:
            return True
        # a short removal that grants, forbids or conditions nothing is a statement about the
        # license (SPDX-optional), not one of its terms
        return span.start_line < last_line and not _TERMS.isdisjoint(w.casefold() for w in words)
    alpha = [w for w in words if w.isalpha()]
    return not (len(words) < _NAME_WORDS and alpha and all(w[0].isupper() for w in alpha))


def _aligned_id(m: Any, catalog: Catalog) -> str | None:
    """The catalog's canonical id for a reference the matcher found (never a ScanCode alias)."""
    if m.kind == "exception":
        return catalog.scancode_exception(m.key) or catalog.exception_id(m.spdx_id)
    canonical = catalog.scancode(m.key)
    if canonical is None and not m.spdx_id.startswith("LicenseRef-"):
        canonical = catalog.license_id(m.spdx_id)
    return canonical


def _aligned_expression(
    found: Sequence[tuple[Any, str]], exceptions: Sequence[tuple[Any, str]], catalog: Catalog
) -> str | None:
    """The licenses in file order joined with AND; each exception WITH the license before it
    (else the first)."""
    withs: dict[int, str] = {}
    for exc, exc_id in exceptions:
        before = [i for i, (m, _) in enumerate(found) if m.start_line <= exc.start_line]
        withs.setdefault(before[-1] if before else 0, exc_id)
    operands: list[str] = []
    for i, (_, spdx) in enumerate(found):
        if i in withs:
            node = catalog.expression(spdx)
            if isinstance(node, (ex.License, ex.LicenseRef)):
                operands.append(ex.render(ex.With(node, withs[i])))
                continue
        operands.append(spdx)
    try:
        return _all_of(operands, catalog)
    except ValueError:
        return None


def _stated(work: TextStudy, result: Any) -> bool:
    """No license text, but a notice or an SPDX tag states the license: the full expression."""
    from openlicense.normalization import normalize

    stated = normalize(result.expression)
    if stated.status != "ok" or not stated.expression:
        return False
    first = result.notices[0]
    work.expression, work.coverage = stated.expression, None
    work.method = "spdx-tag" if result.method == "spdx-tag" else "notice"
    work.matches.append(Match(stated.expression, work.method, None, first.line, detail=first.quote))
    return True


def _line_span(work: TextStudy, start_line: int, end_line: int) -> tuple[int, int]:
    """Character offsets of lines ``start_line``..``end_line`` (1-based, inclusive)."""
    text = work.text
    start = 0
    for _ in range(start_line - 1):
        nxt = text.find("\n", start)
        if nxt < 0:
            break
        start = nxt + 1
    end = start
    for _ in range(end_line - start_line + 1):
        nxt = text.find("\n", end)
        if nxt < 0:
            end = len(text)
            break
        end = nxt + 1
    return start, min(end, len(text))


def _located(work: TextStudy, start_line: int, end_line: int, quote: str) -> tuple[int, int]:
    """Offsets of ``quote`` in its lines (the lines themselves when it is not found as is)."""
    lo, hi = _line_span(work, start_line, end_line)
    head = quote.split()[:4]
    if head:
        pattern = r"\s+".join(re.escape(w) for w in head)
        m = re.compile(pattern).search(work.text, lo, hi)
        if m is not None:
            lo = m.start()
    return lo, min(hi, len(work.text))


def _residue_change(work: TextStudy, span: Any) -> Change:
    start, end = _located(work, span.start_line, span.end_line, span.text)
    return Change("added", start, end, span.words)


def _span_change(work: TextStudy, span: Any) -> Change | None:
    if span.kind == "removed":
        start, _ = _line_span(work, span.start_line, span.start_line)
        return Change("removed", start, start, span.words, span.reference_text)
    start, end = _located(work, span.start_line, span.end_line, span.text)
    return Change(span.kind, start, end, span.words, span.reference_text)

"""The matchers, cheapest first: an SPDX tag, the exact-match index, the catalog's
fingerprints, a contained license text, the alignment matcher (or ScanCode, on request), and
the title.

Each takes the :class:`~openlicense.identification.study.TextStudy` and returns whether it
decided what the text is; a text found to differ from a known license is recorded as
``variant_of`` with its changes, which :mod:`openlicense.identification.findings` reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from openlicense import expression as ex
from openlicense.catalog import Catalog, LicenseEntry
from openlicense.catalog.texts import fold, reference_text
from openlicense.identification.exact import Change, content_tokens, diff_words, exact_index, words
from openlicense.identification.study import (
    _COPYRIGHT,
    _LEGAL,
    _MAX_FRAME_WORDS,
    _MIN_CHANGE_WORDS,
    _MIN_VARIANT_COVERAGE,
    _SUBSTANTIVE_WORDS,
    TextStudy,
    _entry,
    _from_scancode_key,
    _is_generic,
    _is_notice_file,
    _title,
    spdx_tags,
)
from openlicense.model import Match


def spdx_tag(work: TextStudy) -> bool:
    from openlicense.normalization import normalize

    tags = spdx_tags(work.text)
    if not tags:
        return False
    rest = work.text
    for tag in tags:
        rest = rest.replace(tag.whole, " ")
    if len(content_tokens(rest)) > _MAX_FRAME_WORDS:
        work.warnings.append("the file has an SPDX-License-Identifier tag and more text")
        return False
    exprs = []
    for tag in tags:
        result = normalize(tag.expression, strictness="spdx")
        if result.expression:
            exprs.append(result.expression)
        else:
            work.warnings.append(f"line {work.doc.line_of(tag.start)}: {result.error}")
    if not exprs:
        return False
    work.expression = _all_of(exprs, work.catalog)
    work.method, work.coverage = "spdx-tag", 100.0
    work.matches.append(Match(work.expression, "spdx-tag", 100.0, work.doc.line_of(tags[0].start)))
    return True


def _all_of(expressions: Sequence[str], catalog: Catalog) -> str:
    """Canonical expressions joined with AND (each license of a file applies)."""
    nodes = tuple(catalog.expression(e) for e in expressions)
    return ex.render(ex.simplify(nodes[0] if len(nodes) == 1 else ex.And(nodes)))


def exact(work: TextStudy) -> bool:
    index = exact_index()
    key = index.exact(content_tokens(work.text))
    if key is None:
        return False
    expression = _from_scancode_key(key, work.catalog)
    if expression is None or _is_generic(expression, work.catalog):
        return False
    work.expression, work.method, work.coverage = expression, "exact", 100.0
    work.matches.append(Match(expression, "exact", 100.0, 1, work.doc.line_of(len(work.text))))
    return True


def fingerprint(work: TextStudy) -> bool:
    folded = work.folded.folded
    best: LicenseEntry | None = None
    for entry in work.catalog.fingerprinted():
        matched = all(fold(phrase) in folded for phrase in entry.identify_by)
        if matched and (best is None or len(entry.identify_by) > len(best.identify_by)):
            best = entry
    if best is None:
        return False
    work.expression, work.method = best.id, "fingerprint"
    work.matches.append(Match(best.id, "fingerprint", None, detail=" | ".join(best.identify_by)))
    return True


def contained(work: TextStudy) -> bool:
    ws = words(work.text)
    found = []
    for c in exact_index().contained(ws):
        expression = _from_scancode_key(c.key, work.catalog)
        if expression and not _is_generic(expression, work.catalog):
            found.append((c, expression))
    if not found:
        return False
    covered = sum(c.last - c.first for c, _ in found)
    outside = [
        w
        for i, w in enumerate(ws)
        if not w.copyright and not any(c.first <= i < c.last for c, _ in found)
    ]
    for c, expression in found:
        start, end = ws[c.first].start, ws[c.last - 1].end
        work.matches.append(
            Match(expression, "exact", 100.0, work.doc.line_of(start), work.doc.line_of(end))
        )
    combined = _all_of([e for _, e in found], work.catalog)
    # The license text is there whole, with more around it: a title and a copyright line, an
    # appended rider, or a README that embeds the license. A rider speaks as a license does.
    extra = _spans_outside(ws, [(c.first, c.last) for c, _ in found])
    work.changes = [Change("added", s, e, n) for s, e, n in extra if n >= _MIN_CHANGE_WORDS]
    legal = any(_LEGAL.search(work.text[c.start : c.end]) for c in work.changes)
    if _is_notice_file(work.doc.path):
        # A NOTICE or third-party file collects the licenses of what a release bundles; text
        # between them is headings and notices, not a rider.
        legal = False
        work.changes = []
    if work.changes and (_rider_clauses(work) or legal):
        work.coverage = round(100.0 * covered / max(1, covered + len(outside)), 2)
        work.variant_of, work.method = combined, "exact+diff"
        return True
    work.changes = []
    work.expression, work.coverage = combined, 100.0
    if len(outside) <= _MAX_FRAME_WORDS:
        work.method = "exact"
    else:
        work.method = "contained"
        work.warnings.append("a license text embedded in a larger document")
    return True


def _spans_outside(
    ws: Sequence[Any], inside: Sequence[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """Runs of words outside the ``inside`` ranges: (start offset, end offset, word count)."""
    runs: list[tuple[int, int, int]] = []
    run: list[Any] = []
    for i, w in enumerate(ws):
        if any(a <= i < b for a, b in inside) or w.copyright:
            if run:
                runs.append((run[0].start, run[-1].end, len(run)))
                run = []
            continue
        run.append(w)
    if run:
        runs.append((run[0].start, run[-1].end, len(run)))
    return runs


def _rider_clauses(work: TextStudy) -> list[str]:
    """The flags of the clauses in the added or changed parts of a known text."""
    from openlicense.identification.clauses import scan_clauses

    raised: list[str] = []
    for change in work.changes:
        if change.kind == "removed":
            continue
        # Scan whole lines around the change, so the clause is read as a sentence.
        lo = work.text.rfind("\n", 0, change.start) + 1
        hi = work.text.find("\n", change.end)
        hi = len(work.text) if hi < 0 else hi
        raised.extend(hit.flag for hit in scan_clauses(work.text[lo:hi]))
    return raised


def scancode(work: TextStudy) -> bool:
    from openlicense.identification.scancode import scancode_matches

    matches = scancode_matches(work.text)
    usable = []
    covered: set[int] = set()
    for m in matches:
        expression = _from_scancode_key(m.expression, work.catalog)
        work.matches.append(
            Match(expression, "scancode", round(m.coverage, 2), m.start_line, m.end_line, m.rule)
        )
        covered.update(range(m.start_line, m.end_line + 1))
        if expression and not _is_generic(expression, work.catalog):
            usable.append((m, expression))
    # A whole license text, or a match over most of the text; a mere reference ("licensed
    # under the MIT license") in a longer text does not say what the text itself is.
    total = max(1, len(content_tokens(work.text)))
    usable = [(m, e) for m, e in usable if m.is_license_text or m.matched_words >= 0.5 * total]
    # A match of a small part of a license text says little: a "variant" needs at least half
    # of the license matched (coverage) and a fair share of this text explained by it.
    usable = [
        (m, e)
        for m, e in usable
        if m.coverage >= _MIN_VARIANT_COVERAGE and m.matched_words >= 0.2 * total
    ]
    if not usable:
        return False
    best, expression = max(usable, key=lambda p: (p[0].matched_words, p[0].coverage))
    work.coverage = round(best.coverage, 2)
    if best.coverage >= 100.0:
        # The whole license text is there. What no match covers is either a frame (a title, a
        # copyright line, a README around the license) or a rider that changes the terms.
        work.changes = _unmatched(work, covered)
        legal = any(_LEGAL.search(work.text[c.start : c.end]) for c in work.changes)
        if not _rider_clauses(work) and not legal:
            work.changes = []
            work.expression, work.method = expression, "scancode"
            return True
    else:
        reference = _rule_text(best.rule)
        if reference is not None:
            work.changes = diff_words(work.text, reference, min_words=_MIN_CHANGE_WORDS)
            legal = any(_LEGAL.search(work.text[c.start : c.end]) for c in work.changes)
            if not work.changes and not legal:
                # Below ScanCode's 100 % only by words that are not clauses (a name filled
                # into the template, "Agreement" for "License"): the same license.
                work.expression, work.method = expression, "scancode+diff"
                work.warnings.append(
                    f"differs from the {expression} text only in words below clause level"
                )
                return True
    work.variant_of, work.method = expression, "scancode"
    return True


def _unmatched(work: TextStudy, covered_lines: set[int]) -> list[Change]:
    """Runs of text on lines no ScanCode match covers, as "added" changes."""
    changes: list[Change] = []
    offset = 0
    run_start: int | None = None
    run_end = 0
    for number, line in enumerate(work.text.split("\n"), start=1):
        end = offset + len(line)
        if number in covered_lines or _COPYRIGHT.match(line) or not line.strip():
            if run_start is not None and number in covered_lines:
                changes.append(_added(work, run_start, run_end))
                run_start = None
        else:
            if run_start is None:
                run_start = offset
            run_end = end
        offset = end + 1
    if run_start is not None:
        changes.append(_added(work, run_start, run_end))
    return [c for c in changes if c.words >= _MIN_CHANGE_WORDS]


def _added(work: TextStudy, start: int, end: int) -> Change:
    return Change("added", start, end, len(content_tokens(work.text[start:end])))


def _rule_text(rule: str) -> str | None:
    """The text of a ScanCode rule or license (``apache-2.0.LICENSE``, ``mit_12.RULE``)."""
    from openlicense.catalog.texts import scancode_license_dir, scancode_text

    if rule.endswith(".LICENSE"):
        return scancode_text(rule.removesuffix(".LICENSE"))
    folder = scancode_license_dir()
    if folder is None:
        return None
    path = folder.parent / "rules" / rule
    if not path.is_file():
        return None
    raw = path.read_text(encoding="utf-8", errors="replace")
    return raw.split("---", 2)[2] if raw.startswith("---") else raw


def _substantive(work: TextStudy) -> bool:
    added = sum(c.words for c in work.changes if c.kind != "removed")
    return added >= _SUBSTANTIVE_WORDS or bool(_rider_clauses(work))


def by_title(work: TextStudy) -> bool:
    """No matcher knows the text: read its title as a license name."""
    from openlicense.normalization import normalize

    title = _title(work.text)
    if not title:
        return False
    result = normalize(title)
    if result.status != "ok" or not result.expression:
        return False
    if work.variant_of and result.expression == work.variant_of:
        return False  # the title claims the license the text only resembles
    entry = _entry(work.catalog, result.expression)
    reference = reference_text(entry.text) if entry is not None and entry.text else None
    if reference is not None and work.variant_of is None:
        # The title names a license whose text we know, yet the text did not match it: it is
        # at most a variant of that license. Say how near, and what differs.
        from openlicense.identification.exact import compare

        near, changes = compare(work.text, reference, min_words=_MIN_CHANGE_WORDS, quick_floor=0.6)
        if near >= 0.6:
            work.variant_of, work.method = result.expression, "title+diff"
            work.coverage = round(100.0 * near, 2)
            work.changes = changes
        else:
            work.warnings.append(f"the title names {result.expression}, but the text is another")
        return True
    work.expression, work.method = result.expression, "title"
    if work.variant_of and entry is not None and entry.namespace != "openlicense":
        pass
    elif work.variant_of and not result.expression.startswith("LicenseRef-openlicense-unlisted-"):
        # A catalogued license ScanCode lacks, nearest to another one: it is that license.
        work.variant_of = None
    return True


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

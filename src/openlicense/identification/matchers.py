"""The matchers, cheapest first: an SPDX tag, the exact-match index, the catalog's
fingerprints, a contained license text, ScanCode (on request, in place of the alignment
matcher of :mod:`openlicense.identification.aligner`), and the title.

Each takes the :class:`~openlicense.identification.study.TextStudy` and returns whether it
decided what the text is; a text found to differ from a known license is recorded as
``variant_of`` with its changes, which :mod:`openlicense.identification.findings` reads.
"""

from __future__ import annotations

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


#: The least share of the titled license's words a text must have to be a variant of it.
_TITLE_FLOOR = 0.3
#: A text longer than this many times the titled license's text cannot reach _TITLE_FLOOR
#: (similarity is taken over the longer of the two), so it is not compared at all.
_TITLE_TEXT_SPAN = 5


def by_title(work: TextStudy) -> bool:
    """No matcher knows the text, or only as a variant of something: read its title as a
    license name.

    A title that names a license whose text we know decides what the file departs from when
    the file is near that text (60 % of its words, in order, or at least as near as the text
    of the license the matchers took it for): it is a variant of the license it names, with
    the differences from *that* text (a cut MIT text titled "MIT License" also aligns with
    ICU, which is MIT plus a notice). A title whose license text is farther is only a warning;
    what the matchers found stands.
    """
    from openlicense.normalization import UNLISTED_PREFIX, normalize

    title = _title(work.text)
    if not title:
        return False
    result = normalize(title)
    if result.status != "ok" or not result.expression:
        return False
    if work.variant_of and result.expression == work.variant_of:
        return False  # the title claims the license the text only resembles
    entry = _entry(work.catalog, result.expression)
    reference = reference_text(entry.text) if entry else None
    if reference is not None:
        from openlicense.identification.exact import Change, compare

        floor, near, changes = 0.6, 0.0, list[Change]()
        if len(work.text) <= _TITLE_TEXT_SPAN * len(reference):
            if work.variant_of:
                # the title's license need only be as near as the one the matchers found
                # (never less than _TITLE_FLOOR: the bound keeps a far text from being diffed)
                other = _entry(work.catalog, work.variant_of)
                other_text = reference_text(other.text) if other else None
                if other_text is not None:
                    other_near = compare(work.text, other_text, quick_floor=_TITLE_FLOOR)[0]
                    floor = max(_TITLE_FLOOR, min(floor, other_near))
            near, changes = compare(
                work.text, reference, min_words=_MIN_CHANGE_WORDS, quick_floor=floor
            )
        if near >= floor:
            work.variant_of, work.method = result.expression, "title+diff"
            work.coverage = round(100.0 * near, 2)
            work.changes = changes
        else:
            work.warnings.append(f"the title names {result.expression}, but the text is another")
        return True
    work.expression, work.method = result.expression, "title"
    if (
        work.variant_of
        and (entry is None or entry.namespace == "openlicense")
        and not result.expression.startswith(UNLISTED_PREFIX)
    ):
        # A catalogued license ScanCode lacks, nearest to another one: it is that license.
        work.variant_of = None
    return True

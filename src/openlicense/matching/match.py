"""Which reference texts a file holds, where, and how it differs from them.

The decisions (documented in docs/matching.md):

0. A file whose folded words are exactly a reference's (one digest lookup) is that reference,
   whole, without aligning it; only license texts that could tie with it are still aligned
   when that reference is a rule, since alignment names a license text over a rule on a tie.
1. Candidates come from the index: references whose sampled shingles are found in the file's
   words not yet explained, ranked by estimated words explained minus half the words missing.
2. The best few are aligned, each on a window of the file around its anchors, and the one with
   the highest *score* wins: file words it explains minus half the reference words it lacks. So
   the reference that explains the most of the file wins (BSD-3-Clause, not BSD-2-Clause, for a
   BSD-3-Clause text with a clause added) and, between near versions, the one that differs less.
3. The winner's lines are marked explained and the search repeats on the rest (greedy cover),
   so several licenses in one file are each found with their lines.
4. A match is ``is`` when its lines hold the reference up to the SPDX matching guidelines, else
   ``variant_of``. What no match explains is residue; a short run just before a match is its
   title, not residue.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from openlicense.matching.align import Alignment, align
from openlicense.matching.index import ReferenceIndex, default_index
from openlicense.matching.normalize import ReferenceWords, Tokens, tokenize
from openlicense.matching.notices import license_notices, spdx_tags
from openlicense.matching.references import Reference, preferred, reference_text
from openlicense.matching.results import FileRelation, Match, MatchResult, Method, Notice, Span
from openlicense.matching.shingles import SHINGLE, shingle_hashes

__all__ = ["match_text"]

#: Most licenses one file is searched for.
MAX_MATCHES = 16
#: References aligned per round.
CANDIDATES = 8
#: References wholly contained in the file aligned beside the ranked candidates.
CONTAINED_CANDIDATES = 3
#: Least share of a reference's sampled shingles found for it to be a candidate.
MIN_CONTAINMENT = 0.2
#: Least license coverage of an accepted match: short references must be nearly whole.
MIN_COVERAGE = 0.5
MIN_COVERAGE_SHORT = 0.9
SHORT_REFERENCE = 60
MIN_EQUAL_WORDS = 5
#: A run of unexplained words just before a match, this short, is the match's title.
TITLE_WORDS = 20
TITLE_LINES = 3
TITLE_LINE_WORDS = 12
#: Unexplained runs shorter than this are not reported as residue.
RESIDUE_WORDS = 5
#: A text with no reference in it, this short, may be a notice: "Licensed under the MIT
#: License". A longer one is a license of its own that happens to cite another.
NOTICE_WORDS = 300
_TITLE_WORDS = frozenset(
    ["license", "licence", "terms", "agreement", "conditions", "version", "policy", "eula"]
)


@functools.lru_cache(maxsize=48)
def _reference_tokens(path: str) -> Tokens:
    return tokenize(reference_text(path))


def _reference_words(index: ReferenceIndex, ref_i: int) -> Tokens | ReferenceWords:
    """The words of reference ``ref_i``: its ids from the index, the text only if needed."""
    path = index.references[ref_i].path
    ids = index.reference_ids(ref_i)
    if ids is None:
        return _reference_tokens(path)
    return ReferenceWords(ids, functools.partial(_reference_tokens, path))


#: Unchanged matches of a round tried against its changed best (:func:`_prefer_unchanged`).
UNCHANGED_TRIED = 3
#: How candidates of one round compare (score, found unchanged, a license text rather than a
#: rule, fewer allowances, the earlier reference): the larger wins.
_Key = tuple[float, bool, bool, int, int]


@dataclass(frozen=True, slots=True)
class _Found:
    ref: Reference
    ref_i: int
    words: int
    alignment: Alignment
    score: float


def _window(anchors: list[int], words: int, n: int, covered: bytearray) -> list[int]:
    """Unexplained file positions around the densest run of anchors for a reference."""
    width = int(words * 1.25) + 20
    best_i = best_j = 0
    i = 0
    for j in range(len(anchors)):
        while anchors[j] - anchors[i] > width:
            i += 1
        if j - i > best_j - best_i:
            best_i, best_j = i, j
    margin = words // 4 + 20
    lo = max(0, anchors[best_i] - margin)
    hi = min(n, anchors[best_j] + SHINGLE + margin)
    return [p for p in range(lo, hi) if not covered[p]]


def _cut(alignment: Alignment, window: list[int], n: int) -> bool:
    """Does the match reach an edge of its window that is not an edge of the file?"""
    return (alignment.first == window[0] > 0) or (alignment.last == window[-1] < n - 1)


def _end_windows(anchors: list[int], words: int, n: int, covered: bytearray) -> list[list[int]]:
    """Unexplained positions where a whole copy of the reference would start at its first
    anchor, or end at its last: windows just wider than the reference."""
    slack = words // 10 + SHINGLE
    spans = [
        (max(0, anchors[0] - slack), min(n, anchors[0] + words + slack)),
        (max(0, anchors[-1] + SHINGLE - words - slack), min(n, anchors[-1] + SHINGLE + slack)),
    ]
    return [[p for p in range(lo, hi) if not covered[p]] for lo, hi in dict.fromkeys(spans)]


@dataclass(slots=True)
class _Hits:
    """The file's shingles found in the index: hash -> positions, hash -> postings range."""

    positions: dict[int, list[int]]
    ranges: dict[int, tuple[int, int]]

    def live(self, covered: bytearray) -> list[int]:
        """Hashes with a position not yet explained."""
        return [h for h in self.ranges if any(not covered[p] for p in self.positions[h])]


#: Shingles of the file known to be in no reference, remembered so that a repeated one is not
#: looked up again; bounded, since a text of random words has as many as it has words.
_MISSES_KEPT = 65_536


def _hits(index: ReferenceIndex, hashes: Sequence[int]) -> _Hits:
    # Only shingles some reference has are kept: in prose that is a few, and keeping a list of
    # places for every shingle cost 150 MB on 10 MB of random words.
    positions: dict[int, list[int]] = {}
    ranges: dict[int, tuple[int, int]] = {}
    misses: set[int] = set()
    for p, h in enumerate(hashes):
        known = positions.get(h)
        if known is not None:
            known.append(p)
        elif h not in misses:
            lo, hi = index.postings_range(h)
            if hi > lo:
                positions[h] = [p]
                ranges[h] = (lo, hi)
            elif len(misses) < _MISSES_KEPT:
                misses.add(h)
    return _Hits(positions, ranges)


#: Anchors taken per shingle: its first unexplained places in the file. A shingle met more often
#: is a text repeated (a license pasted hundreds of times, or 10 MB of one phrase); the densest
#: window needs only the first copies, and taking every place made each round cost the size of
#: the file for every candidate (a 9.9 MB repetition of MIT: 22 s of matching).
ANCHORS_PER_SHINGLE = 8


def _first_unexplained(positions: list[int], covered: bytearray) -> list[int]:
    out: list[int] = []
    for p in positions:
        if not covered[p]:
            out.append(p)
            if len(out) == ANCHORS_PER_SHINGLE:
                break
    return out


def _anchors(
    index: ReferenceIndex, hits: _Hits, live: list[int], refs: set[int], covered: bytearray
) -> dict[int, list[int]]:
    """For each reference of ``refs``: unexplained file positions of its shingles, sorted."""
    out: dict[int, list[int]] = {r: [] for r in refs}
    postings = index.postings
    for h in live:
        lo, hi = hits.ranges[h]
        found = refs.intersection(postings[lo:hi])
        if found:
            positions = _first_unexplained(hits.positions[h], covered)
            for r in found:
                out[r].extend(positions)
    for positions in out.values():
        positions.sort()
    return out


def _identical(index: ReferenceIndex, ref_i: int, n: int) -> _Found:
    """The match of a file whose ``n`` words are exactly those of reference ``ref_i``: what
    aligning the two finds (one run of ``n`` equal words, nothing tolerated, nothing missing)."""
    region = tuple(range(n))
    alignment = Alignment(
        equal=n,
        tolerated_ref=0,
        tolerated_file=0,
        missing_ref=0,
        first=0,
        last=n - 1,
        region=region,
    )
    return _Found(index.references[ref_i], ref_i, n, alignment, float(n))


def _best(
    index: ReferenceIndex,
    tokens: Tokens,
    hits: _Hits,
    covered: bytearray,
    identical: int | None = None,
) -> tuple[_Found | None, list[_Found]]:
    """The best match among the candidates for the words not yet ``covered``, and the best few
    of those found unchanged, best first (for :func:`_prefer_unchanged`).

    ``identical`` is a rule whose words are exactly the file's (found by digest): it starts as
    the best, and only license texts, which win a tie with a rule, are aligned against it.
    """
    seed = _identical(index, identical, len(tokens)) if identical is not None else None
    live = hits.live(covered)
    if not live:
        return seed, [seed] if seed is not None else []
    counts: Counter[int] = Counter()
    postings = index.postings
    for h in live:
        lo, hi = hits.ranges[h]
        counts.update(postings[lo:hi])
    uncovered = len(covered) - sum(covered)
    ranked: list[tuple[float, int]] = []
    for ref_i, found in counts.items():
        sampled = index.sampled_counts[ref_i]
        # distinct shingles: a text repeated three times does not contain a reference thrice
        containment = min(found, sampled) / sampled
        if containment < MIN_CONTAINMENT:
            continue
        words = index.word_counts[ref_i]
        # a reference cannot explain more words than are left to explain
        present = min(containment * words, uncovered)
        estimate = present - 0.5 * (words - present)
        ranked.append((estimate, ref_i))
    if not ranked:
        return seed, [seed] if seed is not None else []
    ranked.sort(key=lambda r: (-r[0], r[1]))
    top = ranked[0][0]
    best: _Found | None = seed
    best_key: _Key | None = None
    # near-duplicate rules of one license can fill the list: the license text of each key
    # among the leaders is always tried too
    chosen = ranked[:CANDIDATES]
    tried = {r[1] for r in chosen}
    by_ref = {r[1]: r for r in ranked}
    for _, ref_i in list(chosen):
        text_i = index.license_text_of.get(index.references[ref_i].key)
        if text_i is not None and text_i not in tried and text_i in by_ref:
            chosen.append(by_ref[text_i])
            tried.add(text_i)
    # A reference whose every sampled shingle the file holds is tried too, the longest few:
    # the estimate favours longer references that share its words (BSD-3-Clause's rules rank
    # above BSD-2-Clause's text when another license follows it in the file).
    whole = sorted(
        (r for r in ranked if r[1] not in tried and counts[r[1]] >= index.sampled_counts[r[1]]),
        key=lambda r: (-index.word_counts[r[1]], r[1]),
    )
    for r in whole[:CONTAINED_CANDIDATES]:
        chosen.append(r)
        tried.add(r[1])
    # once a match explains every word left, exactly, with nothing tolerated, no rule can beat
    # it: a rule that tied would need the very same words, and those are indexed once
    rules_done = False
    if seed is not None:
        best_key = (seed.score, True, False, 0, -seed.ref_i)
        rules_done = True
    unchanged: list[tuple[_Key, _Found]] = (
        [(best_key, seed)] if seed is not None and best_key is not None else []
    )
    aligned = {r for _, r in chosen if not (rules_done and index.references[r].is_rule)}
    anchors_of = _anchors(index, hits, live, aligned, covered)
    for estimate, ref_i in chosen:
        if estimate < 0.5 * top and best is not None:
            continue
        ref = index.references[ref_i]
        if rules_done and ref.is_rule:
            continue
        ref_tokens = _reference_words(index, ref_i)
        words = len(ref_tokens)
        anchors = anchors_of[ref_i]
        if not anchors:
            continue
        window = _window(anchors, words, len(tokens), covered)
        # when the best so far explains every word left, only an exact match can still tie it
        # (any difference costs a word explained or missing): the others need not be quoted
        exact_only = best_key is not None and best_key[0] >= uncovered
        alignment = align(ref_tokens, tokens, window, exact_only=exact_only)
        if len(window) > words + 2 * SHINGLE and (
            alignment is None or not alignment.exact or _cut(alignment, window, len(tokens))
        ):
            # A window wider than the reference may hold the start of a second license that
            # shares its words (BSD-3-Clause then BSD-2-Clause): the alignment then stretches
            # over both, or the window, centred between them, cuts the first one's opening.
            # The reference may be whole at either end of its anchors.
            for tight in _end_windows(anchors, words, len(tokens), covered):
                other = align(ref_tokens, tokens, tight, exact_only=True)
                if (
                    other is not None
                    and other.exact
                    and (alignment is None or other.explained > alignment.explained)
                ):
                    alignment = other
                    break
        if alignment is None or alignment.equal < MIN_EQUAL_WORDS:
            continue
        need = MIN_COVERAGE_SHORT if words < SHORT_REFERENCE else MIN_COVERAGE
        if alignment.license_coverage(words) < need:
            continue
        score = alignment.explained - 0.5 * alignment.missing_ref
        # on a tie, the reference found unchanged rather than one with differences (MIT twice
        # in a file is MIT, not JSON's text stretched over both copies), then a license text
        # rather than a rule (rules are many, and a few are filed under the wrong key), then
        # the reference that needed fewer allowances
        key = (score, alignment.exact, not ref.is_rule, -alignment.tolerated_ref, -ref_i)
        candidate = _Found(ref, ref_i, words, alignment, score)
        if best_key is None or key > best_key:
            best, best_key = candidate, key
        if alignment.exact:
            unchanged.append((key, candidate))
        if alignment.exact and alignment.explained >= uncovered:
            # a license text that explains every word left, exactly, cannot be beaten: stop
            # aligning
            if not ref.is_rule:
                break
            rules_done = rules_done or alignment.tolerated_ref == 0
    unchanged.sort(key=lambda u: u[0], reverse=True)
    return best, [found for _, found in unchanged[:UNCHANGED_TRIED]]


def _prefer_unchanged(
    index: ReferenceIndex,
    tokens: Tokens,
    hits: _Hits,
    covered: bytearray,
    *,
    best: _Found,
    unchanged: Sequence[_Found],
) -> _Found:
    """The round's choice: ``best``, unless it is a changed match and an unchanged one with the
    best unchanged match of what it leaves explain more. One greedy round would otherwise take
    a reference that is itself two licenses (ScanCode's ``componentace-jcraft`` text, two
    BSD-style licenses) for a file that holds two of them, each unchanged."""
    if best.alignment.exact:
        return best
    # The unchanged matches best first: the best of them may leave a stretch that only a
    # changed match covers (Boost after BSD-3-Clause and BSD-2-Clause) where the next does not.
    for found in unchanged:
        if found is best:
            continue
        trial = bytearray(covered)
        for p in found.alignment.region:
            trial[p] = 1
        following, _ = _best(index, tokens, hits, trial)
        if (
            following is not None
            and following.alignment.exact
            and found.score + following.score > best.score
        ):
            return found
    return best


def _named(index: ReferenceIndex, found: _Found) -> Reference:
    """The reference a match names: the one found, or the one :func:`preferred` chooses among
    it and the texts with exactly its words (its twins in the index)."""
    twins = index.twins.get(found.ref_i)
    return preferred((found.ref, *twins)) if twins else found.ref


def _title_start(tokens: Tokens, start: int, end: int) -> int:
    """Where the title ends a run of unexplained words just before a match: its last few short
    lines (at most :data:`TITLE_LINES` lines of at most :data:`TITLE_LINE_WORDS` words,
    :data:`TITLE_WORDS` in all). ``end`` when there is none."""
    lines: list[tuple[int, int]] = []  # (line, first position on it)
    p = end - 1
    while p >= start:
        line = tokens.line_of(tokens.starts[p])
        first = p
        while first - 1 >= start and tokens.line_of(tokens.starts[first - 1]) == line:
            first -= 1
        if p - first + 1 > TITLE_LINE_WORDS or len(lines) == TITLE_LINES:
            break
        # a title does not end like a sentence ("MIT License", "Version 2.0, January 2004")
        line_text = tokens.text[tokens.starts[first] : tokens.ends[p] + 1].rstrip()
        if line_text.endswith((".", ",", ";", ":")):
            break
        if end - first > TITLE_WORDS:
            break
        lines.append((line, first))
        p = first - 1
    # the title starts at its first line that names a license ("## License", "Apache License"),
    # not at the short lines of prose before it ("pip install orbit-planner")
    while lines and not _names_license(tokens, lines[-1][0]):
        lines.pop()
    return lines[-1][1] if lines else end


def _names_license(tokens: Tokens, line: int) -> bool:
    start = tokens.line_starts[line - 1]
    end = tokens.line_starts[line] if line < len(tokens.line_starts) else len(tokens.text)
    return not _TITLE_WORDS.isdisjoint(tokens.text[start:end].casefold().split())


def _runs(covered: bytearray) -> list[tuple[int, int]]:
    """Maximal runs [start, end) of unexplained positions."""
    runs: list[tuple[int, int]] = []
    start = -1
    for p, c in enumerate(covered):
        if not c and start < 0:
            start = p
        elif c and start >= 0:
            runs.append((start, p))
            start = -1
    if start >= 0:
        runs.append((start, len(covered)))
    return runs


def _expression(matches: list[Match]) -> str | None:
    licenses = [m for m in matches if m.kind == "license"]
    if not licenses:
        return None
    withs: dict[int, str] = {}
    for exc in (m for m in matches if m.kind == "exception"):
        before = [i for i, m in enumerate(licenses) if m.start_line <= exc.start_line]
        target = before[-1] if before else 0
        withs.setdefault(target, exc.spdx_id)
    operands: list[str] = []
    for i, lic in enumerate(licenses):
        op = (
            f"{lic.spdx_id} WITH {withs[i]}"
            if i in withs and " " not in lic.spdx_id
            else lic.spdx_id
        )
        if " OR " in op or (" AND " in op and len(licenses) > 1):
            op = f"({op})"
        if op not in operands:
            operands.append(op)
    return " AND ".join(operands)


def _notice_expression(notices: tuple[Notice, ...]) -> str | None:
    stated: list[str] = []
    for n in notices:
        if n.expression not in stated:
            stated.append(n.expression)
    if not stated:
        return None
    if len(stated) == 1:
        return stated[0]
    return " AND ".join(f"({s})" if " " in s and "WITH" not in s.split() else s for s in stated)


def _span(tokens: Tokens, start: int, end: int) -> Span:
    a, b = start, end - 1
    return Span(
        "residue",
        tokens.line_of(tokens.starts[a]),
        tokens.line_of(tokens.ends[b] - 1),
        tokens.quote(a, b),
        "",
        end - start,
    )


def match_text(text: str, *, index: ReferenceIndex | None = None) -> MatchResult:
    """Find the license and exception texts in ``text`` (see the module docstring)."""
    notices = spdx_tags(text)
    tokens = tokenize(text)
    n = len(tokens)
    if n == 0:
        method: Method = "spdx-tag" if notices else "empty"
        return MatchResult((), (), notices, method, _notice_expression(notices), None, 0.0)
    index = index if index is not None else default_index()
    covered = bytearray(n)
    chosen: list[_Found] = []
    # a text too short for alignment to accept (MIN_EQUAL_WORDS) is not accepted whole either
    identical = index.whole(tokens.ids) if n >= MIN_EQUAL_WORDS else None
    if identical is not None and not index.references[identical].is_rule:
        # exactly a license text's words: the highest score there is, and a tie would need the
        # same words, indexed once; nothing else is looked up or aligned
        chosen.append(_identical(index, identical, n))
        covered[:] = b"\x01" * n
    else:
        hashes = shingle_hashes(tokens.ids) or [hash(tokens.ids) & 0xFFFFFFFF]
        hits = _hits(index, hashes)
        while len(chosen) < MAX_MATCHES:
            best, unchanged = _best(index, tokens, hits, covered, identical if not chosen else None)
            if best is None:
                break
            best = _prefer_unchanged(index, tokens, hits, covered, best=best, unchanged=unchanged)
            for p in best.alignment.region:
                covered[p] = 1
            chosen.append(best)
    chosen.sort(key=lambda f: f.alignment.first)
    firsts = {f.alignment.first: i for i, f in enumerate(chosen)}
    titles: dict[int, tuple[int, int]] = {}
    residue: list[Span] = []
    for start, end in _runs(covered):
        owner = firsts.get(end)
        unexplained_end = end
        if owner is not None:
            title_start = _title_start(tokens, start, end)
            if title_start < end:
                titles[owner] = (title_start, end)
                unexplained_end = title_start
        if unexplained_end - start >= RESIDUE_WORDS:
            residue.append(_span(tokens, start, unexplained_end))
    matches: list[Match] = []
    for i, f in enumerate(chosen):
        aln = f.alignment
        ref = _named(index, f)
        title = titles.get(i)
        first = title[0] if title else aln.first
        explained = aln.explained + (title[1] - title[0] if title else 0)
        matches.append(
            Match(
                spdx_id=ref.spdx_id,
                key=ref.key,
                kind="exception" if ref.kind == "exception" else "license",
                relation="is" if aln.exact else "variant_of",
                license_coverage=round(aln.license_coverage(f.words), 4),
                file_coverage=round(explained / n, 4),
                start_line=tokens.line_of(tokens.starts[first]),
                end_line=tokens.line_of(tokens.ends[aln.last] - 1),
                spans=aln.spans,
                reference=ref.path,
            )
        )
    file_coverage = round(min(1.0, sum(m.file_coverage for m in matches)), 4)
    if not matches:
        if not notices and n <= NOTICE_WORDS:
            notices = license_notices(text)
            method = "notice" if notices else "no-match"
        else:
            method = "spdx-tag" if notices else "no-match"
        expression = _notice_expression(notices)
        return MatchResult((), tuple(residue), notices, method, expression, None, 0.0)
    relation: FileRelation
    if any(m.relation == "variant_of" for m in matches):
        relation = "variant_of"
    elif residue:
        relation = "contains"
    else:
        relation = "is"
    expression = _expression(matches)
    return MatchResult(
        tuple(matches), tuple(residue), notices, "alignment", expression, relation, file_coverage
    )

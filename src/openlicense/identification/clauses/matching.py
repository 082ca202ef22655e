"""Matching the pattern table against the sentences of a text: the clause hits.

A pattern matches a sentence when one phrase of every ``all`` group starts within ``window``
tokens (a two-pointer sweep over the phrase matches) and no ``none`` phrase occurs in the
sentence.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

from openlicense.errors import OpenLicenseError
from openlicense.identification.clauses.sentences import (
    Lines,
    Sentence,
    lead_context,
    split_sentences,
)
from openlicense.identification.clauses.table import ClausePattern, Table, pattern_table
from openlicense.identification.clauses.tokens import Test, is_number, passes, tokenize
from openlicense.model import MAX_QUOTE_LENGTH

__all__ = [
    "LEAD_TOKENS",
    "MAX_QUOTE_LENGTH",
    "ClauseHit",
    "UnknownFlagError",
    "scan_clauses",
    "scan_with",
]

#: How many of a lead-in's last tokens its list items inherit (and ``sentences.LEAD_DEPTH``,
#: through how many nested lead-ins): bounded, so that a long list costs time linear in its length.
LEAD_TOKENS = 40


class UnknownFlagError(OpenLicenseError, ValueError):
    """``scan_clauses(flags=...)`` named a flag that no clause pattern detects."""


@dataclass(frozen=True, slots=True)
class ClauseHit:
    """A clause that raises a flag: which pattern, where, and the verbatim words."""

    flag: str
    pattern: str  # the ``id`` of the pattern that matched
    line: int  # 1-based line where the quote starts
    quote: str  # text[start:end], at most MAX_QUOTE_LENGTH characters
    start: int
    end: int


_Match = tuple[int, int, int]  # (phrase variant, first token, last token)


def _rest_ok(tests: tuple[Test, ...], words: Sequence[str], i: int, checked: int) -> bool:
    if i + len(tests) > len(words):
        return False
    for k in range(checked, len(tests)):
        kind, value = tests[k]
        word = words[i + k]
        if kind == "w":
            if word != value:
                return False
        elif not passes(tests[k], word):
            return False
    return True


def _phrase_matches(table: Table, words: Sequence[str], begin: int = 0) -> Iterator[_Match]:
    """Every phrase variant that starts at a token from ``begin`` on, in token order."""
    n = len(words)
    tests = table.tests
    for i in range(begin, n):
        word = words[i]
        if i + 1 < n:
            for idx in table.by_pair.get((word, words[i + 1]), ()):
                if _rest_ok(tests[idx], words, i, 2):
                    yield idx, i, i + len(tests[idx]) - 1
        for idx in table.by_word.get(word, ()):
            if _rest_ok(tests[idx], words, i, 1):
                yield idx, i, i + len(tests[idx]) - 1
        for prefix, idx in table.by_prefix.get(word[:3], ()):
            if word.startswith(prefix) and _rest_ok(tests[idx], words, i, 1):
                yield idx, i, i + len(tests[idx]) - 1
        others = table.by_number + table.by_any if is_number(word) else table.by_any
        for idx in others:
            if _rest_ok(tests[idx], words, i, 1):
                yield idx, i, i + len(tests[idx]) - 1


def _window(
    events: Sequence[tuple[int, int, int]], groups: int, width: int, own: int
) -> tuple[int, int]:
    """The first token span with a phrase of every group starting within ``width`` tokens.

    ``events`` are (first token, last token, group), sorted by first token; a two-pointer sweep
    keeps this linear in their number. Only a span that reaches the sentence's own tokens (from
    index ``own``; before it are inherited ones) counts. (-1, -1) when there is none.
    """
    counts = [0] * groups
    covered = 0
    left = 0
    for right, (first, last, group) in enumerate(events):
        if counts[group] == 0:
            covered += 1
        counts[group] += 1
        while events[left][0] < first - width:
            counts[events[left][2]] -= 1
            if counts[events[left][2]] == 0:
                covered -= 1
            left += 1
        if covered == groups and last >= own:
            while counts[events[left][2]] > 1:  # the tightest span
                counts[events[left][2]] -= 1
                left += 1
            return events[left][0], max(e[1] for e in events[left : right + 1])
    return -1, -1


def _trim(text: str, sentence: Sentence, first: int, last: int) -> tuple[int, int]:
    """The quote: the sentence, or MAX_QUOTE_LENGTH characters of it around [first, last)."""
    start, end = sentence.start, sentence.end
    if end - start <= MAX_QUOTE_LENGTH:
        return start, end
    if last - first >= MAX_QUOTE_LENGTH:
        lo, hi = first, first + MAX_QUOTE_LENGTH
    else:
        lo = max(start, first - (MAX_QUOTE_LENGTH - (last - first)) // 2)
        hi = min(end, lo + MAX_QUOTE_LENGTH)
        lo = max(start, hi - MAX_QUOTE_LENGTH)
    # cut between words: move inwards to the nearest space outside the matched words
    if lo > start and not text[lo - 1].isspace():
        cut = next((k for k in range(lo, first) if text[k].isspace()), None)
        lo = lo if cut is None else cut + 1
    if hi < end and not text[hi].isspace():
        cut = next((k for k in range(hi - 1, max(last, lo), -1) if text[k].isspace()), None)
        hi = hi if cut is None else cut
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo, hi


def _match_sentence(
    table: Table,
    matches: Iterable[_Match],
    inherited: int,
    lead: bool,
    wanted: Collection[int] | None,
) -> list[tuple[ClausePattern, int, int]]:
    """(pattern, first token, last token) for the first matching pattern of each flag.

    ``matches`` are the phrase matches of the sentence's tokens, the ``inherited`` first ones
    coming from its lead-ins, in token order.
    """
    events: dict[int, list[tuple[int, int, int]]] = {}
    vetoed: set[int] = set()
    for idx, first, last in matches:
        for use in table.uses[idx]:
            if wanted is not None and use.pattern not in wanted:
                continue
            if first < inherited and (use.group > 0 or not table.patterns[use.pattern].inherit):
                continue  # from the lead-in, only an inheriting pattern's first group counts
            if use.group < 0:
                vetoed.add(use.pattern)
            else:
                events.setdefault(use.pattern, []).append((first, last, use.group))
    flags_done: set[str] = set()
    found: list[tuple[ClausePattern, int, int]] = []
    for index in sorted(events):
        pattern = table.patterns[index]
        if index in vetoed or pattern.flag in flags_done or (pattern.lead_in and not lead):
            continue
        if len({group for _, _, group in events[index]}) < len(pattern.all):
            continue
        first, last = _window(events[index], len(pattern.all), pattern.window, inherited)
        if first >= 0:
            flags_done.add(pattern.flag)
            found.append((pattern, max(first, inherited), last))
    return found


def scan_with(text: str, table: Table, wanted: Collection[int] | None = None) -> list[ClauseHit]:
    lines = Lines(text)
    sentences = split_sentences(text, lines)
    tokens = [tokenize(text, s.start, s.end) for s in sentences]
    chains, introduces = lead_context(sentences)
    longest = max((len(t) for t in table.tests), default=1)
    # the phrases of a chain of lead-ins are found once for all the items of its list
    inherited: dict[tuple[int, ...], tuple[list[str], list[_Match]]] = {(): ([], [])}
    hits: list[ClauseHit] = []
    for i, sentence in enumerate(sentences):
        chain = chains[i]
        if chain not in inherited:
            context = [w for lead in chain for w in tokens[lead].words[-LEAD_TOKENS:]]
            inherited[chain] = (context, list(_phrase_matches(table, context)))
        context, context_matches = inherited[chain]
        own = tokens[i]
        matches: Iterable[_Match]
        if not context:
            matches = _phrase_matches(table, own.words)
        else:
            # phrases that start in the lead-in and end in the item, then the item's own
            words = [*context, *own.words]
            across = (
                m
                for m in _phrase_matches(table, words, max(0, len(context) - longest + 1))
                if m[2] >= len(context)
            )
            matches = heapq.merge(context_matches, across, key=lambda m: m[1])
        for pattern, first, last in _match_sentence(
            table, matches, len(context), introduces[i], wanted
        ):
            begin = own.starts[first - len(context)]
            stop = own.ends[last - len(context)]
            lo, hi = _trim(text, sentence, begin, stop)
            hits.append(ClauseHit(pattern.flag, pattern.id, lines.number(lo), text[lo:hi], lo, hi))
    hits.sort(key=lambda h: (h.start, h.flag, h.end, h.pattern))
    return hits


def scan_clauses(text: str, *, flags: Collection[str] | None = None) -> list[ClauseHit]:
    """Every clause of ``text`` that raises one of ``flags`` (default: every flag detected).

    At most one hit per (flag, sentence), from the first pattern of the table that matches it;
    hits are sorted by (start, flag) and ``quote`` is always ``text[start:end]``. Raises
    :class:`UnknownFlagError` for a flag name that no pattern detects.
    """
    table = pattern_table()
    wanted: set[int] | None = None
    if flags is not None:
        names = {flags} if isinstance(flags, str) else set(flags)
        unknown = sorted(names - {p.flag for p in table.patterns})
        if unknown:
            raise UnknownFlagError(f"no clause pattern detects flag(s): {', '.join(unknown)}")
        wanted = {i for i, p in enumerate(table.patterns) if p.flag in names}
    return scan_with(text, table, wanted)

"""Matching the pattern table against the sentences of a text: the clause hits.

A pattern matches a sentence when one phrase of every ``all`` group starts within ``window``
tokens (a two-pointer sweep over the phrase matches) and no ``none`` phrase occurs in the
sentence.
"""

from __future__ import annotations

import functools
import heapq
import sys
from collections import deque
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
from openlicense.identification.clauses.tokens import TOKEN, Test, is_number, passes, words_of
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


#: How many distinct words' candidate phrases, and how many distinct sentences' matches, a
#: scan keeps: bounded, so that memory stays linear whatever the vocabulary.
_WORD_CACHE = 100_000
_SENTENCE_MEMO = 4096


class _Finder:
    """The phrase variants starting at each token, with each distinct word's candidates cached.

    A word's candidates are the variants whose first test it passes and which are not indexed
    by their first two words, in the order the index lists them (word, prefix, number, any).
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        self._cache: dict[str, tuple[int, ...]] = {}

    def _candidates(self, word: str) -> tuple[int, ...]:
        table = self.table
        found = [*table.by_word.get(word, ())]
        found += [
            idx for prefix, idx in table.by_prefix.get(word[:3], ()) if word.startswith(prefix)
        ]
        found += (table.by_number + table.by_any) if is_number(word) else table.by_any
        if len(self._cache) >= _WORD_CACHE:
            self._cache.clear()
        hit = self._cache[word] = tuple(found)
        return hit

    def matches(self, words: Sequence[str], begin: int = 0) -> Iterator[_Match]:
        """Every phrase variant that starts at a token from ``begin`` on, in token order."""
        n = len(words)
        tests = self.table.tests
        pairs, firsts = self.table.by_pair, self.table.pair_firsts
        cache = self._cache
        for i in range(begin, n):
            word = words[i]
            if word in firsts and i + 1 < n:
                for idx in pairs.get((word, words[i + 1]), ()):
                    if _rest_ok(tests[idx], words, i, 2):
                        yield idx, i, i + len(tests[idx]) - 1
            candidates = cache.get(word)
            if candidates is None:
                candidates = self._candidates(word)
            for idx in candidates:
                if _rest_ok(tests[idx], words, i, 1):
                    yield idx, i, i + len(tests[idx]) - 1


class _Sweep:
    """The first token span with a phrase of every group starting within ``width`` tokens.

    Fed the events of one pattern (first token, last token, group) in token order, one at a
    time: a two-pointer sweep that keeps only the events inside the window and stops at the
    first span, so a sentence of a million matching words costs memory for one window. Only a
    span that reaches the sentence's own tokens (from index ``own``; before it are inherited
    ones) counts. ``found`` is (first, last) once there is one.
    """

    __slots__ = ("counts", "covered", "events", "found", "groups", "own", "width")

    def __init__(self, groups: int, width: int, own: int) -> None:
        self.counts = [0] * groups
        self.groups = groups
        self.width = width
        self.own = own
        self.covered = 0
        self.events: deque[tuple[int, int, int]] = deque()
        self.found: tuple[int, int] | None = None

    def add(self, first: int, last: int, group: int) -> None:
        counts, events = self.counts, self.events
        if counts[group] == 0:
            self.covered += 1
        counts[group] += 1
        events.append((first, last, group))
        while events[0][0] < first - self.width:
            dropped = events.popleft()[2]
            counts[dropped] -= 1
            if counts[dropped] == 0:
                self.covered -= 1
        if self.covered == self.groups and last >= self.own:
            while counts[events[0][2]] > 1:  # the tightest span
                counts[events.popleft()[2]] -= 1
            self.found = (events[0][0], max(e[1] for e in events))
            events.clear()


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
    sweeps: dict[int, _Sweep] = {}
    vetoed: set[int] = set()
    for idx, first, last in matches:
        for use in table.uses[idx]:
            if wanted is not None and use.pattern not in wanted:
                continue
            if first < inherited and (use.group > 0 or not table.patterns[use.pattern].inherit):
                continue  # from the lead-in, only an inheriting pattern's first group counts
            if use.group < 0:
                vetoed.add(use.pattern)
                continue
            sweep = sweeps.get(use.pattern)
            if sweep is None:
                pattern = table.patterns[use.pattern]
                sweep = sweeps[use.pattern] = _Sweep(len(pattern.all), pattern.window, inherited)
            if sweep.found is None and use.pattern not in vetoed:
                sweep.add(first, last, use.group)
    flags_done: set[str] = set()
    found: list[tuple[ClausePattern, int, int]] = []
    for index in sorted(sweeps):
        pattern = table.patterns[index]
        if index in vetoed or pattern.flag in flags_done or (pattern.lead_in and not lead):
            continue
        span = sweeps[index].found
        if span is not None:
            flags_done.add(pattern.flag)
            found.append((pattern, max(span[0], inherited), span[1]))
    return found


_Found = tuple[tuple[ClausePattern, int, int], ...]  # pattern, quote start and end in a sentence


class _Scan:
    """One scan of a text: the phrase matches of each lead-in context, and a memo of sentences.

    A sentence is read from its own text, the words it inherits and whether it introduces a
    list; the memo keeps what that reading found, with offsets relative to the sentence, so a
    sentence repeated in the text is read once and each of its hits gets its own offsets.
    """

    def __init__(self, table: Table, wanted: Collection[int] | None) -> None:
        self.table = table
        self.wanted = wanted
        self.finder = _Finder(table)
        self.longest = max((len(t) for t in table.tests), default=1)
        self.contexts: dict[tuple[str, ...], list[_Match]] = {}
        self.read = functools.lru_cache(maxsize=_SENTENCE_MEMO)(self._read)

    def _context_matches(self, context: tuple[str, ...]) -> list[_Match]:
        """The phrase matches of a lead-in context, found once for all the items of its list."""
        known = self.contexts.get(context)
        if known is None:
            if len(self.contexts) >= _SENTENCE_MEMO:
                self.contexts.clear()
            known = self.contexts[context] = list(self.finder.matches(context))
        return known

    def _read(self, sentence: str, context: tuple[str, ...], lead: bool) -> _Found:
        own = list(map(sys.intern, words_of(sentence)))  # equal words, one string
        matches: Iterable[_Match]
        if not context:
            matches = self.finder.matches(own)
        else:
            # phrases that start in the lead-in and end in the item, then the item's own
            words = [*context, *own]
            begin = max(0, len(context) - self.longest + 1)
            across = [m for m in self.finder.matches(words, begin) if m[2] >= len(context)]
            matches = heapq.merge(self._context_matches(context), across, key=lambda m: m[1])
        found = _match_sentence(self.table, matches, len(context), lead, self.wanted)
        if not found:
            return ()
        spans = [m.span() for m in TOKEN.finditer(sentence)]
        return tuple(
            (pattern, spans[first - len(context)][0], spans[last - len(context)][1])
            for pattern, first, last in found
        )


def _contexts(
    text: str, sentences: Sequence[Sentence], chains: Iterable[tuple[int, ...]]
) -> Iterator[tuple[str, ...]]:
    """The words each sentence inherits: the last words of each lead-in of its chain."""
    known: dict[tuple[int, ...], tuple[str, ...]] = {(): ()}
    tails: dict[int, tuple[str, ...]] = {}  # lead-in -> its last words
    for chain in chains:
        context = known.get(chain)
        if context is None:
            if len(known) >= _SENTENCE_MEMO:
                known, tails = {(): ()}, {}
            context = ()
            for lead in chain:
                tail = tails.get(lead)
                if tail is None:
                    tail = tails[lead] = _tail(text, sentences[lead])
                context += tail
            known[chain] = context
        yield context


def _tail(text: str, sentence: Sentence) -> tuple[str, ...]:
    return tuple(words_of(text, sentence.start, sentence.end)[-LEAD_TOKENS:])


def scan_with(text: str, table: Table, wanted: Collection[int] | None = None) -> list[ClauseHit]:
    lines = Lines(text)
    sentences = split_sentences(text, lines)
    chains, introduces = lead_context(sentences)
    scan = _Scan(table, wanted)
    hits: list[ClauseHit] = []
    for i, context in enumerate(_contexts(text, sentences, chains)):
        sentence = sentences[i]
        start = sentence.start
        for pattern, begin, stop in scan.read(text[start : sentence.end], context, introduces[i]):
            lo, hi = _trim(text, sentence, start + begin, start + stop)
            hits.append(ClauseHit(pattern.flag, pattern.id, lines.number(lo), text[lo:hi], lo, hi))
    scan.read.cache_clear()
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

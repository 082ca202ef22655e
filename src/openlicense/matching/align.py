"""Word-level alignment of a file window against one reference, and what differs.

The alignment is rapidfuzz's Levenshtein opcodes on word-id lists (bit-parallel, in C). The
caller restricts the file side to a window around the reference's shingle anchors, so the cost
is bounded by the reference's length times the window's, whatever the file's size.

Differences the SPDX matching guidelines allow are *tolerated*: they count as matched for the
coverages and do not make a match a variant:

- the reference's title: up to :data:`TITLE_WORDS` reference words missing before the first
  matched word (the file's own title is handled by the caller, outside the matched lines);
- an omittable ending: reference words missing after the last matched word when they start with
  "END OF TERMS AND CONDITIONS" or "How to apply" (the appendix SPDX marks optional), or are at
  most :data:`END_WORDS` words;
- replaceable text: a change whose reference side only names the copyright holder ("the
  copyright holder", "the regents of the university of california", "the authors") and whose
  file side is at most :data:`HOLDER_WORDS` words: the guidelines' ``var`` parts of the BSD,
  MIT and ISC families.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein, Opcode

from openlicense.matching.normalize import ReferenceWords, Tokens, word_id
from openlicense.matching.results import Span, SpanKind

__all__ = ["Alignment", "align"]

TITLE_WORDS = 30
END_WORDS = 5
HOLDER_WORDS = 12
EDGE_WORDS = 3
MERGE_WORDS = 8
_HOLDER = frozenset(
    [
        "the",
        "copyright",
        "holder",
        "holders",
        "owner",
        "owners",
        "author",
        "authors",
        "contributor",
        "contributors",
        "its",
        "regents",
        "university",
        "california",
        "berkeley",
        "of",
        "and",
        "or",
        "x",
        "consortium",
        "name",
        "names",
        "organization",
        "organisation",
        "company",
        "inc",
        "licensor",
    ]
)
_OPTIONAL_ENDINGS = (("end", "of", "terms", "and", "conditions"), ("how", "to", "apply"))
# The same as word ids (a reference's words may be known only by their ids, from the index):
# a 32-bit CRC, so another word could share one with a holder word, about one chance in ten
# thousand over a license vocabulary, and then be tolerated as a holder's name.
_HOLDER_IDS = frozenset(map(word_id, _HOLDER))
_OPTIONAL_ENDING_IDS = tuple(tuple(map(word_id, marker)) for marker in _OPTIONAL_ENDINGS)


@dataclass(frozen=True, slots=True)
class Alignment:
    """The outcome of aligning a window of the file with a reference.

    The differences are counted at once and quoted when :attr:`spans` is first read: a match
    compares several candidates, and only the one chosen is quoted (quoting a reference means
    reading and tokenizing its text, which the index's word ids otherwise spare)."""

    equal: int  # words matched exactly
    tolerated_ref: int  # reference words differing in ways the guidelines allow
    tolerated_file: int  # file words differing in ways the guidelines allow
    missing_ref: int  # reference words absent, not tolerated
    first: int  # file position of the first word of the matched lines
    last: int  # file position of the last
    region: tuple[int, ...]  # file positions from first to last (window order)
    # the substantive differences inside the region, each quoted on demand
    quoting: tuple[Callable[[], Span], ...] = ()
    _spans: list[tuple[Span, ...]] = field(default_factory=list, repr=False, compare=False)

    @property
    def spans(self) -> tuple[Span, ...]:
        """The substantive differences, quoted."""
        if not self._spans:
            self._spans.append(tuple(quote() for quote in self.quoting))
        return self._spans[0]

    def license_coverage(self, ref_words: int) -> float:
        return min(1.0, (self.equal + self.tolerated_ref) / ref_words) if ref_words else 0.0

    @property
    def explained(self) -> int:
        """File words this reference explains."""
        return self.equal + self.tolerated_file

    @property
    def exact(self) -> bool:
        return not self.quoting and self.missing_ref == 0


def _size(op: Opcode) -> int:
    return int(op.src_end - op.src_start)


def _hunks(ops: list[Opcode]) -> list[list[Opcode]]:
    """Differences separated by fewer than :data:`MERGE_WORDS` equal words, as one hunk each:
    a reworded clause is one change, not five."""
    hunks: list[list[Opcode]] = []
    current: list[Opcode] = []
    for op in ops:
        if op.tag == "equal" and _size(op) >= MERGE_WORDS:
            if current:
                hunks.append(current)
            current = []
        elif op.tag != "equal" or current:
            current.append(op)
    if current:
        hunks.append(current)
    # a hunk ends with a difference, not with the few equal words that followed it
    for hunk in hunks:
        while hunk[-1].tag == "equal":
            hunk.pop()
    return hunks


def _slide(
    tokens: Tokens | ReferenceWords, positions: list[int], ids: Sequence[int], lo: int, hi: int
) -> tuple[int, int]:
    """An insertion or deletion ``[lo, hi)`` moved to where it starts a line, if it can be.

    A diff may place a block one word off ("Software ... service. The" instead of "The Software
    ... service.") when the block's first word repeats after it; every shift that keeps the
    same words is equivalent, and the one that starts a line quotes what the author wrote.
    """

    def starts_line(i: int) -> bool:
        p = positions[i]
        return p == 0 or tokens.line_of(tokens.starts[p]) != tokens.line_of(tokens.starts[p - 1])

    if starts_line(lo):
        return lo, hi
    a, b = lo, hi
    while a > 0 and ids[a - 1] == ids[b - 1]:
        a, b = a - 1, b - 1
        if starts_line(a):
            return a, b
    a, b = lo, hi
    while b < len(ids) and ids[a] == ids[b]:
        a, b = a + 1, b + 1
        if starts_line(a):
            return a, b
    return lo, hi


def _optional_ending(ref: Tokens | ReferenceWords, start: int) -> bool:
    head = ref.ids[start : start + 12]
    for marker in _OPTIONAL_ENDING_IDS:
        for i in range(len(head) - len(marker) + 1):
            if head[i : i + len(marker)] == marker:
                return True
    return False


def align(
    ref: Tokens | ReferenceWords, file: Tokens, window: list[int], *, exact_only: bool = False
) -> Alignment | None:
    """Align ``ref`` with the file words at positions ``window``; None if nothing matches.

    With ``exact_only``, also None as soon as a difference the guidelines do not allow is found
    (before it is quoted): for a caller that can use nothing but an exact match.
    """
    if not window or not len(ref):
        return None
    file_ids = [file.ids[p] for p in window]
    ops = list(Levenshtein.opcodes(ref.ids, file_ids))
    equal_at = [i for i, op in enumerate(ops) if op.tag == "equal"]
    # stray one- or two-word agreements at the edges ("the", "license") in text around the
    # reference are not part of it
    if not equal_at:
        return None
    lo, hi = 0, len(equal_at) - 1
    while lo < hi and _size(ops[equal_at[lo]]) < EDGE_WORDS:
        lo += 1
    while hi > lo and _size(ops[equal_at[hi]]) < EDGE_WORDS:
        hi -= 1
    first_i, last_i = equal_at[lo], equal_at[hi]
    first_op, last_op = ops[first_i], ops[last_i]
    equal = sum(_size(ops[i]) for i in equal_at[lo : hi + 1])
    tolerated_ref = tolerated_file = missing = 0
    # A title or a closing line may be missing, but not a quarter or a tenth of a short
    # reference: a 19-word rule "... with or without modification, are not permitted by anyone
    # other" is not found in BSD-3-Clause's first line because its last 5 words are absent.
    lead = first_op.src_start
    if lead:
        if lead <= min(TITLE_WORDS, len(ref) // 4):
            tolerated_ref += lead
        else:
            missing += lead
    tail = len(ref) - last_op.src_end
    if tail:
        if tail <= min(END_WORDS, len(ref) // 10) or _optional_ending(ref, last_op.src_end):
            tolerated_ref += tail
        else:
            missing += tail
    if exact_only and missing:
        return None
    quoting: list[Callable[[], Span]] = []
    if lead and lead > TITLE_WORDS:
        quoting.append(functools.partial(_lead_span, ref, file, window[first_op.dest_start], lead))
    for hunk in _hunks(ops[first_i + 1 : last_i]):
        differing = [op for op in hunk if op.tag != "equal"]
        ref_n = sum(op.src_end - op.src_start for op in differing)
        file_n = sum(op.dest_end - op.dest_start for op in differing)
        ref_words = {w for op in differing for w in ref.ids[op.src_start : op.src_end]}
        if ref_n and file_n <= HOLDER_WORDS and ref_words <= _HOLDER_IDS:
            tolerated_ref += ref_n
            tolerated_file += file_n
            continue
        if exact_only:
            return None
        missing += ref_n
        # The few words that agree inside a changed clause are part of the change, not matched:
        # a longer reference aligned across two copies of a shorter one would otherwise count
        # its stray agreements ("the Software", "copyright holders") as words it explains.
        equal -= sum(_size(op) for op in hunk if op.tag == "equal")
        where = (hunk[0].src_start, hunk[-1].src_end, hunk[0].dest_start, hunk[-1].dest_end)
        quoting.append(
            functools.partial(
                _hunk_span, ref, file, window, file_ids, where, ref_n=ref_n, file_n=file_n
            )
        )
    if tail and tail > END_WORDS and not _optional_ending(ref, last_op.src_end):
        at = window[last_op.dest_end - 1]
        quoting.append(functools.partial(_tail_span, ref, file, at, last_op.src_end, tail))
    region = tuple(window[first_op.dest_start : last_op.dest_end])
    return Alignment(
        equal=equal,
        tolerated_ref=tolerated_ref,
        tolerated_file=tolerated_file,
        missing_ref=missing,
        first=region[0],
        last=region[-1],
        region=region,
        quoting=tuple(quoting),
    )


def _lead_span(ref: Tokens | ReferenceWords, file: Tokens, at: int, lead: int) -> Span:
    """The reference's opening words the file lacks, placed before file word ``at``."""
    line = file.line_of(file.starts[at])
    return Span("removed", line, line, "", ref.quote(0, lead - 1), lead)


def _tail_span(ref: Tokens | ReferenceWords, file: Tokens, at: int, start: int, tail: int) -> Span:
    """The reference's closing words from ``start`` on, which the file lacks after ``at``."""
    line = file.line_of(file.ends[at] - 1)
    return Span("removed", line, line, "", ref.quote(start, len(ref) - 1), tail)


def _hunk_span(
    ref: Tokens | ReferenceWords,
    file: Tokens,
    window: list[int],
    file_ids: list[int],
    where: tuple[int, int, int, int],
    *,
    ref_n: int,
    file_n: int,
) -> Span:
    """A difference inside the match: what the file has there and what the reference has."""
    r0, r1, f0, f1 = where
    if not ref_n:
        f0, f1 = _slide(file, window, file_ids, f0, f1)
    elif not file_n:
        r0, r1 = _slide(ref, list(range(len(ref))), ref.ids, r0, r1)
    ref_quote = ref.quote(r0, r1 - 1) if ref_n else ""
    if file_n:
        a, b = window[f0], window[f1 - 1]
        s_line, e_line = file.line_of(file.starts[a]), file.line_of(file.ends[b] - 1)
        quote = file.quote(a, b)
    else:
        nxt = window[min(f0, len(window) - 1)]
        s_line = e_line = file.line_of(file.starts[nxt])
        quote = ""
    kind: SpanKind = "changed" if ref_n and file_n else ("added" if file_n else "removed")
    return Span(kind, s_line, e_line, quote, ref_quote, max(ref_n, file_n))

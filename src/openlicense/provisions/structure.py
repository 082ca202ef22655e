"""Cut a text into provisions: sentences and list items, with the structure they sit in.

One pass over the lines, one pass over each line's characters, and only regular expressions
without nested quantifiers applied to a bounded window: the cost is linear in the length of the
text whatever its shape (one 10 MB line, a million short lines, lists nested a thousand deep).

- A *unit* is a heading line, a list item (a line that starts with a marker: ``-``, ``*``,
  ``1.``, ``2.3``, ``(a)``, ``iv)``, ``##``...) with its continuation lines, or a paragraph
  (lines up to a blank line, a heading or a marker).
- A unit is cut into sentences at ``. ! ?`` (and the Chinese full stop, exclamation and
  question marks and semicolon) followed by a space or the end; a fragment of fewer than
  three words ("Section 1.", "Article 2.") is a run-in label and stays with the sentence
  after it. A sentence longer than :data:`MAX_PROVISION` characters is cut
  at a space, so a text without punctuation still yields provisions of bounded size.
- A unit whose last sentence ends with a colon is a *lead-in*: the list items after it (deeper
  or at the indentation of its first item) point at it, so "You agree not to use the Model
  to:" applies to each of its items; lead-ins nest.
- A heading that names an appendix, schedule, attachment, exhibit or annex ("SCHEDULE 2 -
  RESTRICTIONS") opens a *section*; a provision elsewhere that names the section ("subject to
  the restrictions in Schedule 2") is recorded as the one that refers to it, so that the
  modality stage can read the section's items with the referring clause.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from openlicense.provisions.model import Provision

__all__ = ["MAX_PROVISION", "MAX_QUOTE", "split_provisions"]

#: Longest quote a provision carries (the rest of the sentence is still read).
MAX_QUOTE = 300
#: Longest provision: longer sentences are cut at a space near this length.
MAX_PROVISION = 2000
_MAX_INDENT = 64
_HEADING_MAX = 72
_MAX_LEADS = 64
# Units (paragraphs, items) of at most this many characters have their sentences remembered by
# their text, this many of them at a time: a text repeated is cut once.
_MEMO_UNIT = 4000
_MEMO_SIZE = 4096

# The start of a line: its indentation, a list marker if any, and the spaces after it; one
# match per line, on a window of the line only.
_LINE_HEAD = re.compile(
    r"([ \t\u3000]{0,64})"
    r"(?:("
    r"#{1,6}|[-*\u2022\u25e6\u25aa\u00b7\u2013]"
    r"|\(?\d{1,3}(?:\.\d{1,3}){0,3}[.)]?"
    r"|\(?[a-zA-Z][.)]|\([a-zA-Z]\)"
    r"|\(?[ivxIVX]{1,6}[.)]|\([ivxIVX]{1,6}\)"
    r"|[一二三四五六七八九十]{1,3}[.]|第[一二三四五六七八九十百\d]{1,4}[条章節节]"
    r"|[\uff08(][一二三四五六七八九十\d]{1,3}[\uff09)]"
    r")(?=[ \t\u3000]|$)"
    r"|([一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十百\d]{1,4}[条章节]))?"
    r"[ \t\u3000]{0,16}"
)
_SECTION = re.compile(
    r"\b(schedule|appendix|attachment|exhibit|annex|annexure|addendum|anhang|anlage|annexe)"
    r"[ \t]{1,3}([A-Z]{1,2}\b|\d{1,3}\b|[IVX]{1,5}\b)",
    re.IGNORECASE,
)
_SECTION_WORDS = (
    "schedul", "appendi", "attachm", "exhibit", "annex", "addend", "anhang", "anlage",
    "附件", "附录", "附表",
)  # fmt: skip
_SECTION_WORD = re.compile("|".join(_SECTION_WORDS))
_CJK_SECTION = re.compile(r"(附件|附录|附表)([一二三四五六七八九十\dA-Z]{1,3})")
# CJK characters count one word each (a Chinese sentence has no spaces).
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]|[^\W_\u3400-\u4dbf\u4e00-\u9fff]+")
_END_CANDIDATE = re.compile(r"[.!?\u3002\uff01\uff1f\uff1b]")
_SPACE = re.compile(r"\s")
_ALNUM = re.compile(r"[^\W_]")  # what str.isalnum accepts
_LETTER = re.compile(r"[^\W\d_]")
_ENDS = frozenset(".!?。\uff01\uff1f\uff1b")
_CLOSERS = frozenset("\"'\u201d\u2019)]\uff09」』")
_ABBREVIATIONS = frozenset(
    {
        "e.g",
        "i.e",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "nos",
        "vs",
        "v",
        "u.s",
        "u.k",
        "st",
        "mr",
        "ms",
        "dr",
        "sec",
        "art",
        "para",
        "cf",
        "approx",
        "incl",
        "llc",
        "fig",
        "jr",
        "sr",
        "pp",
        "a.k.a",
        "e.u",
        "u.s.a",
        "gmbh",
        "sas",
        "s.a",
        "ag",
        "bzw",
        "z.b",
    }
)


@dataclass(slots=True)
class _Line:
    start: int  # offset of the first character of the line
    end: int  # offset after the last character (before the newline)
    indent: int
    body: int  # offset of the first character after the marker (or indentation)
    marker: str
    number: int  # 1-based line number


@dataclass(slots=True)
class _Unit:
    first: _Line  # its first and last lines: a paragraph of a million lines keeps two
    last: _Line
    is_item: bool
    is_heading: bool
    indent: int


def _lines(text: str) -> Iterator[_Line]:
    pos, number, size = 0, 1, len(text)
    head = _LINE_HEAD.match
    while pos <= size:
        nl = text.find("\n", pos)
        end = size if nl < 0 else nl
        stop = end - 1 if end > pos and text[end - 1] == "\r" else end
        m = head(text, pos, min(stop, pos + 96))
        assert m is not None  # every part of the pattern is optional
        spaces = m.group(1)
        indent = len(spaces) + 3 * spaces.count("\t") if spaces else 0
        marker = m.group(2) or m.group(3) or ""
        body = m.end()
        if body - pos >= 96:  # a run of spaces longer than the window
            while body < stop and text[body] in " \t\u3000":
                body += 1
        yield _Line(pos, stop, min(indent, _MAX_INDENT), body, marker, number)
        if nl < 0:
            break
        pos, number = nl + 1, number + 1


_SMALL_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "or",
        "of",
        "the",
        "for",
        "to",
        "in",
        "on",
        "by",
        "with",
        "de",
        "du",
        "la",
        "le",
        "des",
        "et",
        "und",
        "der",
        "die",
        "das",
        "für",
        "von",
        "at",
        "as",
    }
)


def _title_like(chunk: str) -> bool:
    """Most words capitalised ("Rules for Everyone", "1. Definitions"), or a short CJK line."""
    words = [w for w in _WORD.findall(chunk) if not w.isdigit()]
    if not words:
        return True
    if not chunk.isascii() and not any(c.isascii() and c.isalpha() for c in chunk):
        return len(chunk) <= 24
    big = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not big:
        return False
    upper = sum(1 for w in big if w[0].isupper() or w[0].isdigit())
    return upper * 4 >= len(big) * 3


def _is_heading_line(text: str, line: _Line, after_blank: bool, next_line: _Line | None) -> bool:
    if line.marker.startswith("#"):
        return True
    length = line.end - line.body
    if length == 0 or length > _HEADING_MAX or not after_blank:
        return False
    if text[line.end - 1] in ".,;:。\uff0c\uff1b\uff1a":
        return False
    chunk = text[line.body : line.end]
    first = chunk[0]
    if not (first.isupper() or first.isdigit() or not first.isascii()):
        return False
    alone = next_line is None or next_line.body >= next_line.end or bool(next_line.marker)
    # A wrapped paragraph's first line is short too: only a title-like line may be a heading
    # when text follows it directly.
    return _title_like(chunk) or (alone and length <= 40)


def _continues(text: str, current: _Unit, line: _Line) -> bool:
    """A bare number at the start of a wrapped line ("... on average over the quarter,\n2
    million people") continues the sentence above when that line ends mid-sentence (a word or
    a comma, not a full stop, colon or semicolon)."""
    if not line.marker.isdigit():
        return False
    last = current.last
    tail = text[max(last.body, last.end - 4) : last.end].rstrip()
    return bool(tail) and (tail[-1].isalnum() or tail[-1] == ",")


def _units(text: str) -> Iterator[_Unit]:
    current: _Unit | None = None
    after_blank = True
    lines = _lines(text)
    line = next(lines, None)
    while line is not None:
        following = next(lines, None)
        if line.body >= line.end and not line.marker:
            if current is not None:
                yield current
                current = None
            after_blank = True
            line = following
            continue
        starts_block = after_blank or current is None or current.is_heading
        if _is_heading_line(text, line, starts_block, following):
            if current is not None:
                yield current
            yield _Unit(line, line, False, True, line.indent)
            current = None
            after_blank = True
            line = following
            continue
        if line.marker and not (
            current is not None and not after_blank and _continues(text, current, line)
        ):
            if current is not None:
                yield current
            current = _Unit(line, line, True, False, line.indent)
        elif current is None:
            current = _Unit(line, line, False, False, line.indent)
        else:
            current.last = line
        after_blank = False
        line = following
    if current is not None:
        yield current


def _word_count(text: str, start: int, end: int, limit: int) -> int:
    count = 0
    for _ in _WORD.finditer(text, start, end):
        count += 1
        if count >= limit:
            break
    return count


def _abbreviation_before(text: str, dot: int, floor: int) -> bool:
    i = dot
    while i > floor and i > dot - 8 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot].lower()
    if not word:
        return False
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans in text[start:end], each trimmed of surrounding spaces.

    Every search is bounded by the longest provision, so a text without punctuation costs
    one pass too.
    """
    sentence = pos = start
    while pos < end:
        limit = min(end, sentence + MAX_PROVISION)
        m = _END_CANDIDATE.search(text, pos, limit)
        if m is None:
            if limit >= end:
                break
            space = _SPACE.search(text, limit, min(end, limit + 200))
            cut = space.start() if space else limit
            yield from _trimmed(text, sentence, cut)
            sentence = pos = cut
            continue
        i = m.start()
        j = i + 1
        while j < end and text[j] in _CLOSERS:
            j += 1
        ch = text[i]
        ends = ch in "\u3002\uff01\uff1f\uff1b" or j >= end or text[j].isspace()
        # A fragment of fewer than three words ("Section 1.") runs into the next sentence.
        if (
            ends
            and (ch != "." or not _abbreviation_before(text, i, sentence))
            and (_word_count(text, sentence, j, 3) >= 3 or not _has_letter(text, sentence, j))
        ):
            yield from _trimmed(text, sentence, j)
            sentence = j
        pos = j
    yield from _trimmed(text, sentence, end)


def _spans(unit: str) -> tuple[tuple[int, int], ...]:
    return tuple(_sentences(unit, 0, len(unit)))


def _unit_sentences(
    text: str, start: int, end: int, spans_of: Callable[[str], tuple[tuple[int, int], ...]]
) -> Iterator[tuple[int, int]]:
    """The sentence spans of a unit: those of a short unit's text found once per distinct text.

    Every test of :func:`_sentences` looks only inside ``text[start:end]``, so the spans of a
    unit are those of its text shifted; a long unit is cut as it is read, not remembered.
    """
    if end - start > _MEMO_UNIT:
        yield from _sentences(text, start, end)
        return
    for s, e in spans_of(text[start:end]):
        yield start + s, start + e


def _has_letter(text: str, start: int, end: int) -> bool:
    return _LETTER.search(text, start, end) is not None


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end and _ALNUM.search(text, start, min(end, start + 200)):
        yield start, end


class _LineNumbers:
    """The 1-based line of offsets asked in increasing order: each newline is counted once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.number = 1

    def of(self, offset: int) -> int:
        if offset < self.offset:
            self.offset, self.number = 0, 1
        self.number += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.number


def _quote(text: str, start: int, end: int) -> str:
    return text[start : min(end, start + MAX_QUOTE)]


def section_names(quote: str) -> list[str]:
    """The appendices, schedules, attachments... a provision names ("schedule 2")."""
    lowered = quote.lower()
    if not _SECTION_WORD.search(lowered):
        return []  # the common case, decided by one search for the words
    names = [f"{m.group(1).lower()} {m.group(2).lower()}" for m in _SECTION.finditer(quote)]
    names += [f"{m.group(1)} {m.group(2)}" for m in _CJK_SECTION.finditer(quote)]
    return names


@dataclass(slots=True)
class _LeadIn:
    indent: int
    item_indent: int  # indentation of its first item, -1 until one is seen
    index: int


def split_provisions(text: str) -> tuple[Provision, ...]:
    """The provisions of ``text`` in order, each with its line, quote and structure."""
    out: list[Provision] = []
    line_of = _LineNumbers(text).of
    spans_of = functools.lru_cache(maxsize=_MEMO_SIZE)(_spans)
    heading = ""
    section = ""
    leads: deque[_LeadIn] = deque(maxlen=_MAX_LEADS)  # deeper nesting says nothing more
    references: dict[str, int] = {}
    for unit in _units(text):
        first = unit.first
        start, end = first.body, unit.last.end
        if unit.is_heading:
            heading = text[start : min(end, start + 200)].strip().rstrip("#").strip()
            names = section_names(heading[:40])
            if names and heading.lower().startswith(names[0].split()[0]):
                section = names[0]
            leads.clear()
            out.append(
                Provision(
                    len(out),
                    first.number,
                    start,
                    end,
                    _quote(text, start, end),
                    is_heading=True,
                    heading=heading,
                    section=section,
                )
            )
            continue
        # Which lead-ins still apply to this unit.
        if unit.is_item:
            while leads:
                top = leads[-1]
                if top.item_indent < 0:
                    top.item_indent = unit.indent
                    break
                if unit.indent >= top.item_indent:
                    break
                leads.pop()
        else:
            while leads and unit.indent <= leads[-1].indent:
                leads.pop()
        lead = leads[-1].index if leads else None
        depth = len(leads)
        last: tuple[int, int] | None = None
        for k, (s, e) in enumerate(_unit_sentences(text, start, end, spans_of)):
            last = (s, e)
            p = Provision(
                len(out),
                line_of(s),
                s,
                e,
                _quote(text, s, e),
                depth=depth,
                is_item=unit.is_item and k == 0,
                heading=heading,
                lead_in=lead,
                section=section,
            )
            out.append(p)
            if not section:
                for name in section_names(text[s : min(e, s + MAX_PROVISION)]):
                    references.setdefault(name, p.index)
        if last is not None:
            s, e = last
            if text[e - 1] in ":\uff1a":
                leads.append(_LeadIn(unit.indent, -1, out[-1].index))
    if references:
        out = [
            replace(p, referenced_by=references[p.section])
            if p.section in references and not p.is_heading
            else p
            for p in out
        ]
    return tuple(out)

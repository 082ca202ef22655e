"""Cutting a text into sentences, and finding the lead-ins that introduce list items.

A text is cut into sentences at ``. ! ? ;`` followed by a space, at a colon that ends a line
(a list lead-in), at blank lines, and before list markers that start a line. A list item
inherits the last words of the lead-ins that introduce it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from openlicense.identification.clauses.tokens import TOKEN

__all__ = ["LEAD_DEPTH", "Lines", "Sentence", "lead_context", "split_sentences"]

#: Through how many nested lead-ins a list item inherits (and ``matching.LEAD_TOKENS``, how
#: many of each one's last tokens): bounded, so that a long list costs time linear in its length.
LEAD_DEPTH = 3

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Candidate sentence ends; each is confirmed by looking at a bounded number of neighbours.
_CANDIDATE = re.compile(r"[.!?;:\r\n]")
_CLOSERS = "\"'\u201d\u2019)]"
_TERMINALS = ".!?;" + _CLOSERS
_BULLETS = "-*\u2022\u25e6\u25aa\u00b7"
# A list marker that starts a line also starts a sentence ("1.", "2.3", "a)", "-", "##").
_LIST_MARKER = re.compile(
    rf"[ \t]*(?:[{_BULLETS}]|\d{{1,3}}(?:\.\d{{1,3}}){{0,3}}[.)]|\d{{1,3}}(?:\.\d{{1,3}}){{1,3}}"
    r"|[a-zA-Z][.)]|#{1,6})[ \t]"
)
# The marker at the start of a sentence, left out of its quote ("(iv)", "1.2.", "-").
_LEADING_MARKER = re.compile(
    rf"(?:[{_BULLETS}#]+|\(?(?:\d{{1,3}}(?:\.\d{{1,3}}){{0,3}}|[a-zA-Z]|[ivxIVX]{{1,5}})[.)]"
    r"|\d{1,3}(?:\.\d{1,3}){1,3})(?=[ \t])"
)
_MARKER_ONLY = re.compile(r"[ \t]*\(?[0-9a-zA-Z]{1,4}(?:\.[0-9a-zA-Z]{1,4}){0,3}\)?")
_ABBREVIATIONS = frozenset(
    {
        "e.g", "i.e", "etc", "inc", "ltd", "co", "corp", "no", "nos", "vs", "v", "u.s", "u.k",
        "st", "mr", "ms", "dr", "sec", "art", "para", "cf", "approx", "incl", "llc", "l.l.c",
        "fig", "jr", "sr", "pp", "a.k.a",
    }
)  # fmt: skip
_ABBREVIATION_TAIL = re.compile(r"(?:^|[^A-Za-z.])([A-Za-z](?:\.[A-Za-z])*|[A-Za-z]{2,6})$")
# Indentation deeper than this is not looked at: it only matters relative to a lead-in.
_MAX_INDENT = 64


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, five
# times slower, and a long text has a sentence every few words. Nothing changes one.
@dataclass(slots=True)
class Sentence:
    start: int  # first character of the content (list marker and indentation left out)
    end: int  # one past the last character, terminal punctuation included
    colon: bool  # ends with a colon at the end of a line: it introduces a list
    open_end: bool  # ends a paragraph without punctuation ("... or any third party to")
    starts_line: bool  # only indentation or a list marker before it on its line
    indent: int  # indentation of the line it starts on
    marker: bool  # that line starts with a list marker
    heading: bool  # that line is a Markdown heading ("## Prohibited Uses")


class Lines:
    """Line starts of a text, found once: a line break is "\\r\\n", "\\r" or "\\n"."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]

    def number(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def start(self, offset: int) -> int:
        return self.starts[self.number(offset) - 1]


def _is_abbreviation(text: str, pos: int) -> bool:
    """Is the period at ``pos`` the end of an abbreviation ("e.g.", "U.S.", "Inc.")?"""
    match = _ABBREVIATION_TAIL.search(text, max(0, pos - 8), pos)
    if match is None:
        return False
    word = match.group(1).lower()
    return len(word) == 1 or "." in word or word in _ABBREVIATIONS


def _boundaries(text: str, lines: Lines) -> Iterator[tuple[int, bool]]:
    """Offsets where a sentence ends, and whether it ends with a colon that ends a line."""
    n = len(text)
    starts = lines.starts
    for match in _CANDIDATE.finditer(text):
        pos = match.start()
        char = text[pos]
        if char in "\r\n":
            if text.startswith("\r\n", pos):
                continue  # the "\n" of this "\r\n" is the candidate
            nxt = pos + 1
            rest = nxt
            while rest < n and text[rest] in " \t":
                rest += 1
            # a blank line, or a list marker that starts the next line
            if rest >= n or text[rest] in "\r\n" or _LIST_MARKER.match(text, nxt):
                yield pos, False
            continue
        end = pos + 1
        if char == ":":
            while end < n and text[end] in " \t":
                end += 1
            if end >= n or text[end] in "\r\n":
                yield pos + 1, True
            continue
        while end < n and end - pos <= 3 and text[end] in _CLOSERS:
            end += 1
        if end < n and not text[end].isspace():
            continue
        if char == ".":
            line = starts[bisect.bisect_right(starts, pos) - 1]
            if pos - line <= 16 and _MARKER_ONLY.fullmatch(text, line, pos):
                continue  # "1." or "(a)." numbering a line, not ending a sentence
            if _is_abbreviation(text, pos):
                continue
        yield end, False


def split_sentences(text: str, lines: Lines) -> list[Sentence]:
    result: list[Sentence] = []
    # line start -> (indentation, list marker, heading)
    indents: dict[int, tuple[int, bool, bool]] = {}
    begin = 0
    starts = lines.starts
    for end, colon in [*_boundaries(text, lines), (len(text), False)]:
        if end <= begin:
            continue
        start = begin
        while start < end and text[start].isspace():
            start += 1
        line = starts[bisect.bisect_right(starts, start) - 1]
        if line not in indents:
            first = line
            while first < len(text) and first - line < _MAX_INDENT and text[first] in " \t":
                first += 1
            marked = _LEADING_MARKER.match(text, first) is not None
            indents[line] = (first - line, marked, text.startswith("#", first))
        indent, line_marker, heading = indents[line]
        # only indentation before the sentence (or its marker) on its line
        starts_line = start - line <= _MAX_INDENT and not text[line:start].strip()
        marker = _LEADING_MARKER.match(text, start, end)
        if marker is not None:
            start = marker.end()
            while start < end and text[start].isspace():
                start += 1
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start and TOKEN.search(text, start, stop):
            open_end = not colon and text[stop - 1] not in _TERMINALS
            result.append(
                Sentence(start, stop, colon, open_end, starts_line, indent, line_marker, heading)
            )
        begin = end
    return result


@dataclass(frozen=True, slots=True)
class _Lead:
    sentence: int
    indent: int
    marker: bool  # the lead-in's line has a list marker: its items must be indented deeper

    @classmethod
    def of(cls, index: int, sentence: Sentence) -> _Lead:
        # a Markdown heading governs the marked lines under it, like an unmarked lead-in
        return cls(index, sentence.indent, sentence.marker and not sentence.heading)

    def governs(self, sentence: Sentence) -> bool:
        """Is ``sentence``, which starts a line, one of the items this lead-in introduces?"""
        if sentence.heading:
            return False  # the next heading ends the section
        if sentence.indent > self.indent:
            return True
        return sentence.indent == self.indent and sentence.marker and not self.marker


def lead_context(
    sentences: Sequence[Sentence],
) -> tuple[list[tuple[int, ...]], list[bool]]:
    """The lead-ins each sentence inherits from (outermost first), and which are lead-ins.

    A lead-in ends with a colon, or ends a paragraph without punctuation ("You will not, and
    will not permit any third party to"). It governs the lines indented below it and, when it
    has no list marker of its own, the marked lines at its own level; the line right after a
    colon belongs to it whatever its indentation. A line back at its level ends the list.
    """
    chains: list[tuple[int, ...]] = []
    introduces = [s.colon for s in sentences]
    leads: list[_Lead] = []  # the lead-ins in effect, outermost first
    for i, sentence in enumerate(sentences):
        if i and sentence.starts_line:
            before = sentences[i - 1]
            if before.open_end and not introduces[i - 1]:
                candidate = _Lead.of(i - 1, before)
                if candidate.governs(sentence):
                    introduces[i - 1] = True
                    leads.append(candidate)
            fresh = bool(leads) and leads[-1].sentence == i - 1 and before.colon
            while leads and not (fresh or leads[-1].governs(sentence)):
                leads.pop()
        chains.append(tuple(lead.sentence for lead in leads[-LEAD_DEPTH:]))
        if sentence.colon:
            leads.append(_Lead.of(i, sentence))
    return chains, introduces

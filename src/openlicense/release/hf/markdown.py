"""The Markdown body of a model card as a reader sees it: headings, sections, and the units
(paragraphs, list items, table rows) that sentences are cut from.

Code blocks and HTML comments (template guidance) are blanked: they are not what the card says.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_HTML_HEADING = re.compile(r"^\s*<h([1-6])[^>]*>(.*?)</h\1>\s*$", re.I)
_BOLD_HEADING = re.compile(r"^\s*(?:\*\*|__)([^*_\n]{2,80}?)(?:\*\*|__)\s*:?\s*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
#: The underline of a Setext heading ("Licence" over "-------", "Title" over "====="); a line of
#: hyphens after a blank line is a thematic break, not an underline.
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# No pattern may cost more than linear time on one long line: a run that can begin a match is
# entered only at its start (a lookbehind), and a bracket never spans another opening one.
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_URL = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+", re.I)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TAG = re.compile(r"<[^<>\n]*>")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I)
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")
_PLACEHOLDER = re.compile(r"\[?(?:(?<!\s)\s+)?more information needed\s*\]?|\{\{[^{}]*\}\}", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。\uff01\uff1f])")


def _plain(line: str) -> str:
    """A Markdown/HTML line as the text a reader sees: link texts kept, addresses dropped."""
    line = _IMAGE.sub(" ", line)
    line = _LINK.sub(lambda m: m.group(1), line)
    line = _URL.sub(" ", line)
    line = _EMAIL.sub(" ", line)
    line = _TAG.sub(" ", line)
    line = _ENTITY.sub(" ", line)
    line = _EMPHASIS.sub("", line)
    return re.sub(r"\s+", " ", line).strip()


@dataclass(frozen=True, slots=True)
class _Heading:
    index: int  # index into _Body.lines
    level: int  # 1-6 for Markdown and HTML headings, 7 for a bold line standing alone
    title: str


@dataclass(frozen=True, slots=True)
class _Unit:
    """A paragraph, list item, heading or table row: the text sentences are cut from."""

    text: str
    starts: tuple[int, ...]  # offset in text where each line begins
    lines: tuple[int, ...]  # the file line of each of those lines
    kind: Literal["text", "heading", "table"]

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect.bisect_right(self.starts, offset) - 1)]

    def sentences(self) -> Iterator[tuple[int, str]]:
        """(offset, sentence) pairs."""
        start = 0
        for m in _SENTENCE_END.finditer(self.text):
            if m.start() > start:
                yield start, self.text[start : m.start()]
            start = m.end()
        if start < len(self.text):
            yield start, self.text[start:]


@dataclass(frozen=True, slots=True)
class _Body:
    raw: tuple[str, ...]  # body lines, code blocks and comments blanked
    first_line: int  # file line of raw[0]
    headings: tuple[_Heading, ...]
    units: tuple[_Unit, ...]
    plain: tuple[str, ...] = field(default=())  # _plain() of each raw line

    def line_no(self, index: int) -> int:
        return self.first_line + index

    @classmethod
    def parse(cls, text: str, start: int) -> _Body:
        lines = text.split("\n")[start:]
        raw: list[str] = []
        in_fence: str | None = None
        in_comment = False
        for line in lines:
            if in_fence is not None:
                if line.strip().startswith(in_fence):
                    in_fence = None
                raw.append("")
                continue
            fence = _FENCE.match(line)
            if fence and not in_comment:
                in_fence = fence.group(1)
                raw.append("")
                continue
            # HTML comments (template guidance in model cards) are not what the card says.
            out = []
            rest = line
            while rest:
                if in_comment:
                    end = rest.find("-->")
                    if end == -1:
                        rest = ""
                        break
                    rest = rest[end + 3 :]
                    in_comment = False
                else:
                    begin = rest.find("<!--")
                    if begin == -1:
                        out.append(rest)
                        break
                    out.append(rest[:begin])
                    rest = rest[begin + 4 :]
                    in_comment = True
            raw.append("".join(out))
        setext: dict[int, int] = {}  # the line of a Setext heading's text -> its level
        for i in range(1, len(raw)):
            above = raw[i - 1]
            if (
                _SETEXT.match(raw[i])
                and above.strip()
                and (i == 1 or not raw[i - 2].strip())
                and not (_TABLE_ROW.match(above) or _LIST_ITEM.match(above) or _ATX.match(above))
            ):
                setext[i - 1] = 1 if raw[i].strip()[0] == "=" else 2
                raw[i] = ""  # the underline says nothing
        plain = tuple(_plain(line) for line in raw)
        headings: list[_Heading] = []
        for i, line in enumerate(raw):
            if i in setext:
                headings.append(_Heading(i, setext[i], plain[i]))
                continue
            m = _ATX.match(line) or _HTML_HEADING.match(line)
            if m:
                headings.append(
                    _Heading(
                        i,
                        len(m.group(1)) if m.group(1)[0] == "#" else int(m.group(1)),
                        _plain(m.group(2)),
                    )
                )
            elif (b := _BOLD_HEADING.match(line)) and (i == 0 or not raw[i - 1].strip()):
                headings.append(_Heading(i, 7, _plain(b.group(1))))
        first = start + 1
        heading_at = {h.index for h in headings}
        units: list[_Unit] = []
        buf: list[tuple[int, str]] = []

        def flush() -> None:
            if buf:
                units.append(_make_unit(buf, first, "text"))
                buf.clear()

        for i, line in enumerate(raw):
            text_line = plain[i]
            if i in heading_at:
                flush()
                if text_line:
                    units.append(_make_unit([(i, text_line)], first, "heading"))
                continue
            if _TABLE_ROW.match(line):
                flush()
                row = " | ".join(c for c in _cells(line) if c)
                if row:
                    units.append(_make_unit([(i, row)], first, "table"))
                continue
            if not text_line:
                flush()
                continue
            if _LIST_ITEM.match(line):
                flush()
            buf.append((i, text_line))
        flush()
        return cls(tuple(raw), first, tuple(headings), tuple(units), plain)

    def section(self, heading: _Heading) -> tuple[int, int]:
        """The body lines under ``heading``: up to the next heading of its level or higher.

        A bold line standing alone ends at the next heading of any kind."""
        end = len(self.raw)
        for h in self.headings:
            if h.index > heading.index and (h.level <= heading.level or heading.level == 7):
                end = h.index
                break
        return heading.index + 1, end

    def section_words(self, heading: _Heading) -> int:
        """How many words the section says, not counting its subheadings and placeholders."""
        start, end = self.section(heading)
        headings = {h.index for h in self.headings}
        text = " ".join(self.plain[i] for i in range(start, end) if i not in headings)
        return len(re.findall(r"\w+", _PLACEHOLDER.sub(" ", text)))


def _make_unit(buf: Sequence[tuple[int, str]], first: int, kind: Any) -> _Unit:
    starts = []
    text = ""
    for _, line in buf:
        if text:
            text += " "
        starts.append(len(text))
        text += line
    return _Unit(text, tuple(starts), tuple(first + i for i, _ in buf), kind)


#: What the cells of the line under a table's header ("| --- | :---: |") are made of.
_SEPARATOR = frozenset(":- \t")


def _cells(line: str) -> list[str]:
    """The cells of a table row as a reader sees them (``_plain``), separator cells dropped."""
    cells = [_plain(c) for c in line.strip().strip("|").split("|")]
    return [c for c in cells if not (c and set(c) <= _SEPARATOR)]


def is_separator_row(line: str) -> bool:
    """The line under a table's header: "| --- | :---: |"."""
    inner = line.strip().strip("|")
    return "-" in inner and set(inner) <= _SEPARATOR | {"|"}


#: A cell of an HTML table row, bounded so that a line of unclosed cells stays linear.
_HTML_CELL = re.compile(r"<t[dh]\b[^<>]{0,200}>((?:[^<]|<(?!/?t[dhr]\b)){0,400})</t[dh]>", re.I)


def html_row(line: str) -> str | None:
    """An HTML table row on one line (``<tr><th>Initial weights</th><td>X</td></tr>``) as a
    Markdown row (``| Initial weights | X |``), else None."""
    if "<t" not in line and "<T" not in line:
        return None
    cells = [_plain(m.group(1)) for m in _HTML_CELL.finditer(line)]
    if len(cells) < 2:
        return None
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"


def _strip_marks(text: str) -> str:
    return re.sub(r"\*\*|__|`", "", text)

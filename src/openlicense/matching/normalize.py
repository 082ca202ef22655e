"""Words of a text as the SPDX Matching Guidelines compare them.

The guidelines (https://spdx.github.io/spdx-spec/v2.3/license-matching-guidelines-and-templates/)
make a text match a license despite differences of case, whitespace, punctuation, quotes and
dashes, bullets and list numbering, copyright notices, ``http`` against ``https`` and British
against American spelling. :func:`tokenize` folds all of those away at once and keeps, for every
word left, where it stands in the original, so that a difference found between folded words is
quoted verbatim with its line.

Each word becomes a 32-bit id (a CRC-32 of its folded spelling): alignment and shingling work on
ids, and an id means the same in every process, so the on-disk index can store them.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
import zlib
from dataclasses import dataclass
from importlib import resources

__all__ = ["Tokens", "equivalent_words", "tokenize"]

_WORD = re.compile(r"[^\W_]+")
# A copyright notice is not part of a license (guidelines: "copyright notice"). A line is one
# when it starts with "©", with "(c)" and a year, with "All rights reserved", with "Copyright" and a
# symbol, a year, a placeholder or a colon, or by a capitalized name. License texts wrap other
# lines onto a line start ("copyright holder, and you cure ...", "COPYRIGHT HOLDERS AND
# CONTRIBUTORS", "copyright on the Software"): those stay text.
_PREFIX = r"^[\s#*/;>|\-\"'`]*"
_COPYRIGHT_LINE = re.compile(
    _PREFIX + r"(?:(?:portions\s+)?copyright\s*(?:\(c\)|©|\d|[\[<{:])|\(c\)\s*(?:\d|copyright)|©"
    r"|all\s+rights\s+reserved)",
    re.IGNORECASE,
)
_COPYRIGHT_NAME = re.compile(
    _PREFIX + r"(?:Copyright|COPYRIGHT)\s+(?:by\s+)?"
    r"(?!(?:HOLDERS?|Holders?|NOTICES?|Notices?|OWNERS?|Owners?|LICEN[CS]E|Licen[cs]e|LAWS?|Laws?"
    r"|AND|And|OR|Or|OF|Of|IS|Is|IN|In|TO|To|THE|The|ON|On|Act|ACT)\b)[A-Z]"
)
_CONTINUED = re.compile(
    r"^\W*(?:(?:19|20)\d\d\b|(?:all\s+)?(?:rights\s+)?reserved\b)", re.IGNORECASE
)
# List markers ("1.", "2.1.", "(a)", "iv)", "b.") are not words (guidelines: "bullets and
# numbering"), wherever they stand: a rewrapped text moves them from a line start to its middle.
_MARKER = re.compile(
    r"(?:(?<=\s)|^)(?:\(?(?:\d{1,3}(?:\.\d{1,3}){0,3}|[A-Za-z]|[ivxIVX]{1,5})[.)])(?=\s|$)"
    r"|\((?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,5})\)"
)


@dataclass(frozen=True, slots=True)
class Tokens:
    """The folded words of a text: ids, the words, and their character offsets in the text."""

    text: str
    ids: tuple[int, ...]
    words: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    line_starts: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.ids)

    def line_of(self, offset: int) -> int:
        """The 1-based line of a character offset."""
        return bisect.bisect_right(self.line_starts, offset)

    def quote(self, first: int, last: int) -> str:
        """The original text from word ``first`` to word ``last`` (inclusive), with the
        punctuation attached to them, whitespace folded."""
        text = self.text
        start, end = self.starts[first], self.ends[last]
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        return " ".join(text[start:end].split())


@functools.cache
def equivalent_words() -> tuple[dict[str, str], dict[tuple[str, str], tuple[str, ...]]]:
    """The SPDX equivalent-words list as (one word -> word, two words -> words) maps."""
    parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def find(x: tuple[str, ...]) -> tuple[str, ...]:
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    source = resources.files("openlicense.matching").joinpath("data/equivalentwords.txt")
    for raw in source.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        forms = [tuple(_WORD.findall(part.casefold())) for part in line.split(",")]
        roots = [find(f) for f in forms]
        for root in roots[1:]:
            parent[root] = roots[0]
    classes: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for form in list(parent):
        classes.setdefault(find(form), []).append(form)
    single: dict[str, str] = {}
    double: dict[tuple[str, str], tuple[str, ...]] = {}
    for members in classes.values():
        # the canonical form is a one-word member when there is one ("noncommercial")
        canonical = min(members, key=lambda m: (len(m), m))
        for member in members:
            if member == canonical:
                continue
            if len(member) == 1 and len(canonical) == 1:
                single[member[0]] = canonical[0]
            elif len(member) == 2:
                double[(member[0], member[1])] = canonical
    single["https"] = "http"  # guidelines: http and https are equivalent
    # pairs are looked up after the one-word map has run ("sub licence" -> "sub license")
    folded = {
        (single.get(a, a), single.get(b, b)): tuple(single.get(w, w) for w in canonical)
        for (a, b), canonical in double.items()
    }
    return single, folded


@functools.lru_cache(maxsize=65536)
def _word_id(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def _fold(word: str) -> str:
    folded = word.casefold()
    if not folded.isascii():
        folded = "".join(
            c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
        )
    return folded


def tokenize(text: str) -> Tokens:
    """The words of ``text`` folded for matching, with their offsets in ``text``."""
    single, double = equivalent_words()
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    line_starts = [0]
    pos = 0
    in_notice = False
    for line in text.splitlines(keepends=True):
        if pos:
            line_starts.append(pos)
        notice = bool(_COPYRIGHT_LINE.match(line) or _COPYRIGHT_NAME.match(line))
        # a notice wrapped onto the next line ("1999, 2000, 2001 by Example, Inc.", "Reserved.")
        notice = notice or (in_notice and bool(_CONTINUED.match(line)))
        in_notice = notice
        if not notice:
            markers = [m.span() for m in _MARKER.finditer(line)]
            mi = 0
            for m in _WORD.finditer(line):
                s = m.start()
                while mi < len(markers) and markers[mi][1] <= s:
                    mi += 1
                if mi < len(markers) and markers[mi][0] <= s < markers[mi][1]:
                    continue
                w = _fold(m.group())
                w = single.get(w, w)
                if words and (words[-1], w) in double:
                    # a two-word variant ("sub license", "copyright owner")
                    replacement = double[(words[-1], w)]
                    first_start = starts.pop()
                    words.pop()
                    ends.pop()
                    for r in replacement:
                        words.append(r)
                        starts.append(first_start)
                        ends.append(pos + m.end())
                    continue
                words.append(w)
                starts.append(pos + s)
                ends.append(pos + m.end())
        pos += len(line)
    ids = tuple(_word_id(w) for w in words)
    return Tokens(text, ids, tuple(words), tuple(starts), tuple(ends), tuple(line_starts))

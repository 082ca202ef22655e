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
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources

__all__ = ["ReferenceWords", "Tokens", "equivalent_words", "tokenize", "word_id"]

_WORD = re.compile(r"[^\W_]+")
# A copyright notice is not part of a license (guidelines: "copyright notice"). A line is one
# when it starts with "©", with "(c)" and a year, with "All rights reserved", with "Copyright" and a
# symbol, a year, a placeholder or a colon, or by a capitalized name. License texts wrap other
# lines onto a line start ("copyright holder, and you cure ...", "COPYRIGHT HOLDERS AND
# CONTRIBUTORS", "copyright on the Software"): those stay text.
_PREFIX = r"^[ \t#*/;>|\-\"'`]*"
_COPYRIGHT_LINE = re.compile(
    _PREFIX + r"(?:(?:portions\s+)?copyright\s*(?:\(c\)|©|\d|[\[<{:])|\(c\)\s*(?:\d|copyright)|©"
    r"|all\s+rights\s+reserved)",
    re.IGNORECASE | re.MULTILINE,
)
_COPYRIGHT_NAME = re.compile(
    _PREFIX + r"(?:Copyright|COPYRIGHT)\s+(?:by\s+)?"
    r"(?!(?:HOLDERS?|Holders?|NOTICES?|Notices?|OWNERS?|Owners?|LICEN[CS]E|Licen[cs]e|LAWS?|Laws?"
    r"|AND|And|OR|Or|OF|Of|IS|Is|IN|In|TO|To|THE|The|ON|On|Act|ACT)\b)[A-Z]",
    re.MULTILINE,
)
_CONTINUED = re.compile(
    r"^[^\w\n]*(?:(?:19|20)\d\d\b|(?:all\s+)?(?:rights\s+)?reserved\b)",
    re.IGNORECASE | re.MULTILINE,
)
_NEWLINE = re.compile("\n")
_OTHER_BREAK = re.compile("[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_BREAKS = str.maketrans(dict.fromkeys("\r\v\f\x1c\x1d\x1e\x85\u2028\u2029", "\n"))
# List markers ("1.", "2.1.", "(a)", "iv)", "b.") are not words (guidelines: "bullets and
# numbering"), wherever they stand: a rewrapped text moves them from a line start to its middle.
_MARKER = re.compile(
    r"(?m:(?<=\s)|^)(?:\(?(?:\d{1,3}(?:\.\d{1,3}){0,3}|[A-Za-z]|[ivxIVX]{1,5})[.)])(?=\s|$)"
    r"|\((?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,5})\)"
)


@dataclass(frozen=True, slots=True)
class Tokens:
    """The folded words of a text: ids, the words, and their character offsets in the text.

    Offsets are computed on first use: matching needs only the ids, quoting needs offsets, and
    most reference texts are aligned without ever being quoted.
    """

    text: str
    ids: tuple[int, ...]
    words: tuple[str, ...]
    line_starts: tuple[int, ...]
    # the text with notices and list markers blanked, and for each word the raw words it folds
    # (None when each word is one raw word)
    _clean: str = field(repr=False, compare=False)
    _groups: tuple[tuple[int, int], ...] | None = field(repr=False, compare=False)
    _offsets: list[tuple[array[int], array[int]]] = field(
        default_factory=list, repr=False, compare=False
    )

    def _spans(self) -> tuple[array[int], array[int]]:
        # Compact arrays, not tuples of spans: 16 bytes a word instead of about 120, which is
        # most of the memory a 10 MB text costs.
        if not self._offsets:
            # two passes of the C matcher beat one Python loop over the matches
            raw_starts = array("q", map(re.Match.start, _WORD.finditer(self._clean)))
            raw_ends = array("q", map(re.Match.end, _WORD.finditer(self._clean)))
            if self._groups is None:
                starts, ends = raw_starts, raw_ends
            else:
                starts = array("q", [raw_starts[a] for a, _ in self._groups])
                ends = array("q", [raw_ends[b] for _, b in self._groups])
            self._offsets.append((starts, ends))
        return self._offsets[0]

    @property
    def starts(self) -> Sequence[int]:
        return self._spans()[0]

    @property
    def ends(self) -> Sequence[int]:
        return self._spans()[1]

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


class ReferenceWords:
    """A reference text's words as the index holds them (their ids), tokenized in full only
    when more than the ids is asked for (the offsets or quotes of a difference): an
    alignment that finds the text unchanged never reads the reference."""

    __slots__ = ("_full", "_load", "ids")

    def __init__(self, ids: tuple[int, ...], load: Callable[[], Tokens]) -> None:
        self.ids = ids
        self._load = load
        self._full: Tokens | None = None

    @property
    def full(self) -> Tokens:
        if self._full is None:
            self._full = self._load()
            if self._full.ids != self.ids:  # pragma: no cover - index of another tokenizer
                raise ValueError("the index's word ids are not the reference's")
        return self._full

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def starts(self) -> Sequence[int]:
        return self.full.starts

    def line_of(self, offset: int) -> int:
        return self.full.line_of(offset)

    def quote(self, first: int, last: int) -> str:
        return self.full.quote(first, last)


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
def word_id(word: str) -> int:
    """The id of a folded word: a CRC-32 of its UTF-8 spelling."""
    return zlib.crc32(word.encode("utf-8"))


@functools.lru_cache(maxsize=131072)
def _fold(word: str) -> str:
    """A word as it is compared: case and accents folded, the equivalent spelling chosen."""
    folded = word.casefold()
    if not folded.isascii():
        folded = "".join(
            c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
        )
    single = equivalent_words()[0]
    return single.get(folded, folded)


def _excluded(scan: str) -> list[tuple[int, int]]:
    """Character ranges that are not words of the license: notice lines and list markers."""
    spans: list[tuple[int, int]] = []
    for pattern in (_COPYRIGHT_LINE, _COPYRIGHT_NAME):
        for m in pattern.finditer(scan):
            start = m.start()
            while True:
                end = scan.find("\n", start)
                end = len(scan) if end < 0 else end
                spans.append((start, end))
                # a notice wrapped onto the next line ("1999, 2000 by Example, Inc.", "Reserved.")
                if end >= len(scan) or not _CONTINUED.match(scan, end + 1):
                    break
                start = end + 1
    spans.extend(m.span() for m in _MARKER.finditer(scan))
    spans.sort()
    return spans


def _blank(scan: str, spans: list[tuple[int, int]]) -> str:
    """``scan`` with the characters of ``spans`` replaced by spaces (offsets unchanged)."""
    if not spans:
        return scan
    parts: list[str] = []
    last = 0
    for start, end in spans:
        if end <= last:
            continue
        begin = max(start, last)
        parts.append(scan[last:begin])
        parts.append(" " * (end - begin))
        last = end
    parts.append(scan[last:])
    return "".join(parts)


def tokenize(text: str) -> Tokens:
    """The words of ``text`` folded for matching, with their offsets in ``text``."""
    double = equivalent_words()[1]
    # one line break character per line, offsets unchanged: "\r\n" -> " \n", "\r" -> "\n"
    scan = text.replace("\r\n", " \n").translate(_BREAKS) if _OTHER_BREAK.search(text) else text
    line_starts = [0]
    line_starts.extend(m.end() for m in _NEWLINE.finditer(scan))
    if len(line_starts) > 1 and line_starts[-1] == len(scan):
        line_starts.pop()
    clean = _blank(scan, _excluded(scan))
    # one raw word at a time: a list of every raw word of a 10 MB text is 100 MB
    words = list(map(_fold, map(re.Match.group, _WORD.finditer(clean))))
    groups: list[tuple[int, int]] | None = None
    firsts = _pair_firsts()
    hits = [i for i, w in enumerate(words[:-1]) if w in firsts and (w, words[i + 1]) in double]
    if hits:
        # two-word variants ("sub license", "copyright owner") become their canonical words
        merged: list[str] = []
        groups = []
        i = 0
        hit_set = set(hits)
        while i < len(words):
            if i in hit_set and i + 1 < len(words) and (words[i], words[i + 1]) in double:
                for w in double[(words[i], words[i + 1])]:
                    merged.append(w)
                    groups.append((i, i + 1))
                i += 2
            else:
                merged.append(words[i])
                groups.append((i, i))
                i += 1
        words = merged
    ids = tuple(map(word_id, words))
    return Tokens(
        text, ids, tuple(words), tuple(line_starts), clean, tuple(groups) if groups else None
    )


@functools.cache
def _pair_firsts() -> frozenset[str]:
    return frozenset(a for a, _ in equivalent_words()[1])

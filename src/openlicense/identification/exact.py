"""Fast license-text matching that needs no ScanCode index.

Three tools, all linear in the size of the text:

- :func:`words` folds a text into lower-case word tokens that remember where they stand in the
  original, so that anything found in the folded form can be quoted verbatim with its line;
- :class:`ExactIndex` knows the folded word sequence of every ScanCode license text by hash.
  It says whether a text *is* one of them (whitespace, case, punctuation, bullets and copyright
  lines aside) or *contains* one of them with something before or after (a title, a README
  around it, an appended rider). It is built once from the installed scancode-toolkit and cached
  on disk (never committed): loading it takes milliseconds;
- :func:`diff_words` compares a text with a reference text word by word and returns what was
  added, changed or removed, with verbatim quotes and lines.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openlicense.catalog.cache import (
    cache_dir,
    disk_cache_enabled,
    read_cache_file,
    write_cache_file,
)
from openlicense.catalog.keys import fold, map_folds
from openlicense.catalog.texts import scancode_license_dir

__all__ = [
    "Change",
    "Containment",
    "ExactIndex",
    "FoldedText",
    "Word",
    "cache_dir",
    "compare",
    "diff_words",
    "exact_index",
    "find_quote",
    "words",
]

_INDEX_FORMAT = 7  # bump when the folding or the file layout changes

#: The first words of each contained-length reference -> (key, content length, digest).
StartTable = dict[str, list[tuple[str, int, str]]]
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_COPYRIGHT_LINE = re.compile(
    r"^[\s#*/;>\-\"']*(?:copyright\b|\(c\)|©|all rights reserved\b|portions copyright\b)",
    re.IGNORECASE,
)
# List markers at the start of a line ("1.", "(a)", "iv)", "-", "*", "•"): editions of one
# license number their lists differently, so the markers are not words of the text.
_LIST_MARKER = re.compile(
    r"^[ \t>*#\u2022\u00b7\-\u2013\u2014]*"
    r"(?:(?:\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,6})[.)]|\((?:\d{1,3}|[a-z]|[ivxlc]{1,6})\))[ \t]+)+",
    re.IGNORECASE,
)
#: Shortest reference text (in words) that may be found *inside* a larger text; shorter ones
#: ("public domain") would be found everywhere.
MIN_CONTAINED_WORDS = 40
_SHINGLE = 6


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # folded
    start: int  # offsets in the original text
    end: int
    copyright: bool  # on a copyright line


def words(text: str) -> list[Word]:
    """The folded words of ``text`` with their offsets; words of copyright lines are marked."""
    out: list[Word] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        is_copyright = bool(_COPYRIGHT_LINE.match(line))
        marker = _LIST_MARKER.match(line)
        skip = marker.end() if marker else 0
        ascii_line = map_folds(line).isascii()
        for m in _WORD.finditer(line, skip):
            token = m.group()
            if ascii_line or token.isascii():
                folded = token.lower()
            else:
                folded = unicodedata.normalize("NFKC", token).casefold()
            out.append(Word(folded, pos + m.start(), pos + m.end(), is_copyright))
        pos += len(line)
    return out


def content_tokens(text: str) -> list[str]:
    """The folded words of ``text`` without copyright lines: the fast form for exact matching."""
    kept = [
        _LIST_MARKER.sub("", line) for line in text.splitlines() if not _COPYRIGHT_LINE.match(line)
    ]
    joined = "\n".join(kept)
    if joined.isascii():
        return _WORD.findall(joined.lower())
    return _WORD.findall(unicodedata.normalize("NFKC", joined).casefold())


def _digest(tokens: Sequence[str]) -> str:
    return hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=16).hexdigest()


def _content(ws: Sequence[Word]) -> list[str]:
    return [w.text for w in ws if not w.copyright]


@dataclass(frozen=True, slots=True)
class Containment:
    """A reference text found inside a larger text, at words ``first``..``last`` (exclusive)."""

    key: str
    first: int
    last: int
    length: int


class ExactIndex:
    """Folded-word hashes of every reference text, for exact and containment matching.

    ``by_start`` (the containment table, which only ScanCode's engine path asks for) may be
    given as a function that loads it on first use: the exact path never reads it."""

    def __init__(
        self,
        by_hash: dict[str, str],
        by_start: StartTable | Callable[[], StartTable],
    ) -> None:
        self.by_hash = by_hash
        self._by_start = by_start

    @property
    def by_start(self) -> StartTable:
        if callable(self._by_start):
            self._by_start = self._by_start()
        return self._by_start

    def exact(self, tokens: Sequence[str]) -> str | None:
        """The reference whose text these content tokens (:func:`content_tokens`) are."""
        return self.by_hash.get(_digest(tokens)) if tokens else None

    def contained(self, text_words: Sequence[Word]) -> list[Containment]:
        """References found inside the text, longest first, not overlapping."""
        content_idx = [i for i, w in enumerate(text_words) if not w.copyright]
        tokens = [text_words[i].text for i in content_idx]
        found: list[Containment] = []
        for i in range(max(0, len(tokens) - _SHINGLE + 1)):
            starts = self.by_start.get(" ".join(tokens[i : i + _SHINGLE]))
            if not starts:
                continue
            for key, length, digest in starts:
                if i + length <= len(tokens) and _digest(tokens[i : i + length]) == digest:
                    found.append(
                        Containment(key, content_idx[i], content_idx[i + length - 1] + 1, length)
                    )
        found.sort(key=lambda c: (-c.length, c.first))
        chosen: list[Containment] = []
        for c in found:
            if all(c.last <= o.first or c.first >= o.last for o in chosen):
                chosen.append(c)
        return sorted(chosen, key=lambda c: c.first)

    @classmethod
    def build(cls, texts: Iterator[tuple[str, str]]) -> ExactIndex:
        by_hash: dict[str, str] = {}
        by_start: StartTable = {}
        for key, text in texts:
            content = content_tokens(text)
            if not content:
                continue
            digest = _digest(content)
            by_hash.setdefault(digest, key)
            if len(content) >= MIN_CONTAINED_WORDS:
                start = " ".join(content[:_SHINGLE])
                by_start.setdefault(start, []).append((key, len(content), digest))
        return cls(by_hash, by_start)


def _scancode_texts() -> Iterator[tuple[str, str]]:
    """(ScanCode license expression, text) for every license text ScanCode ships: the texts of
    its licenses, then the rules that are whole license texts (other editions of the same
    licenses: the SPDX text of Apache-2.0, a GPL without its appendix, ...)."""
    from openlicense.catalog.texts import scancode_text

    folder = scancode_license_dir()
    if folder is None:
        return
    # Two keys can hold the same words: a text folds to the first key yielded, so SPDX-listed
    # licenses come first and retired keys last (CC-PDDC is not ScanCode's deprecated aop-pd,
    # HPND-sell-variant not historical-sell-variant); a retired key still comes before the
    # rules (ODC-By-1.0's text is ScanCode's retired odc-1.0, and also a rule filed as ppl).
    listed: list[tuple[str, str]] = []
    unlisted: list[tuple[str, str]] = []
    retired: list[tuple[str, str]] = []
    for path in sorted(folder.glob("*.LICENSE")):
        key = path.name.removesuffix(".LICENSE")
        raw = path.read_text(encoding="utf-8", errors="replace")
        head = raw.split("---", 2)[1] if raw.startswith("---") else ""
        text = scancode_text(key)
        if not text:
            continue
        spdx_key = re.search(r"^spdx_license_key:\s*(\S+)", head, re.MULTILINE)
        if "\nis_deprecated: yes" in head:
            retired.append((key, text))
        elif spdx_key is None or spdx_key.group(1).startswith("LicenseRef-"):
            unlisted.append((key, text))
        else:
            listed.append((key, text))
    yield from listed
    yield from unlisted
    yield from retired
    rules = folder.parent / "rules"
    for path in sorted(rules.glob("*.RULE")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        if not raw.startswith("---"):
            continue
        _, head, body = raw.split("---", 2)
        if "\nis_license_text: yes" not in head or "{{" in body:
            continue  # notices and references are not texts; {{...}} marks a template gap
        expression = re.search(r"^license_expression:\s*(.+)$", head, re.MULTILINE)
        if expression:
            yield expression.group(1).strip().strip("'\""), body


@functools.cache
def exact_index() -> ExactIndex:
    """The exact-match index of ScanCode's license texts, from the disk cache or built once.

    The cache files are the catalog's kind (:func:`openlicense.catalog.cache.read_cache_file`):
    JSON with a verified header, keyed by the index format, the ScanCode data version and this
    module's code, written atomically; anything else found under their names is rebuilt. The
    hashes and the containment table are two files, so that a whole-text lookup reads only
    the first (a third of the size).
    """
    from openlicense.matching.references import ReferenceDataError, data_version

    try:
        version = data_version()
    except ReferenceDataError:
        version = "none"
    code = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8).hexdigest()
    key = f"exact-index-{_INDEX_FORMAT}-scancode-{version}-{code}"
    stem = cache_dir() / f"exact-index-{_INDEX_FORMAT}-scancode-{version}"
    hashes, starts = stem.with_name(stem.name + ".json"), stem.with_name(stem.name + "-starts.json")
    if disk_cache_enabled():
        by_hash = _decode_hashes(read_cache_file(hashes, key))
        if by_hash is not None:
            return ExactIndex(by_hash, lambda: _cached_starts(starts, key))
    index = _built_index()
    if disk_cache_enabled():
        # A read-only home is no error: the index just lives in memory for this process.
        with contextlib.suppress(OSError):
            write_cache_file(starts, key, index.by_start)
            write_cache_file(hashes, key, index.by_hash)
            # indexes of other formats or ScanCode versions are never read again
            for stale in hashes.parent.glob("exact-index-*.json"):
                if stale not in (hashes, starts):
                    stale.unlink(missing_ok=True)
    return index


@functools.cache
def _built_index() -> ExactIndex:
    return ExactIndex.build(_scancode_texts())


def _cached_starts(path: Path, key: str) -> StartTable:
    """The containment table of the cache file, or the one built from ScanCode's data when the
    file is missing or not of the expected shape."""
    starts = _decode_starts(read_cache_file(path, key)) if disk_cache_enabled() else None
    if starts is None:
        starts = _built_index().by_start
        if disk_cache_enabled():
            with contextlib.suppress(OSError):
                write_cache_file(path, key, starts)
    return starts


def _decode_hashes(data: Any) -> dict[str, str] | None:
    """The hash table a cache file holds, or ``None`` when any part is not of the expected type."""
    if type(data) is not dict:
        return None
    if not all(type(k) is str and type(v) is str for k, v in data.items()):
        return None
    return data


def _decode_starts(data: Any) -> StartTable | None:
    """The containment table a cache file holds, or ``None`` when any part is not of the
    expected type."""
    if type(data) is not dict:
        return None
    starts: StartTable = {}
    for start, rows in data.items():
        if type(rows) is not list:
            return None
        out = []
        for row in rows:
            if (
                type(row) is not list
                or len(row) != 3
                or type(row[0]) is not str
                or type(row[1]) is not int
                or type(row[2]) is not str
            ):
                return None
            out.append((row[0], row[1], row[2]))
        starts[start] = out
    return starts


# --------------------------------------------------------------------------------------------
# quoting


_NONSPACE = re.compile(r"\S+")
_SPACE_RUN = re.compile(r"\s+")
_SHRINKING_RUN = re.compile(r"\s{2,}")


def _folds_in_place(text: str) -> bool:
    """Whether folding ``text`` token by token would change no character's place: it is in
    NFKC form already (Chinese, accented Latin as typed) and each of its characters case-folds
    to one character (not "ß" to "ss"). Then the whole text folds in two C-level passes."""
    return unicodedata.is_normalized("NFKC", text) and all(
        len(c.casefold()) == 1 and c.casefold().isspace() == c.isspace()
        for c in set(text)
        if not c.isascii()
    )


class FoldedText:
    """``fold(text)`` with a map back to the original offsets, built token by token.

    Most tokens fold to a string of the same length (case only), so each token keeps just its
    two start offsets; the rare token whose folding changes its length (``ß``, ligatures)
    keeps a per-character table. Building it is linear in the number of tokens.
    """

    def __init__(self, text: str) -> None:
        self._offsets: tuple[list[int], list[int]] | None = None
        self._in_place: str | None = None  # the text folded character for character
        # FOLD_MAP maps one character to one, so a text whose only non-ASCII characters are
        # curly quotes and dashes folds character for character too: offsets are unchanged.
        mapped = map_folds(text)
        if mapped.isascii() or _folds_in_place(mapped):
            # The folded text is two C-level passes; the map back to the original offsets
            # (a Python loop over every whitespace run) waits for the first find(): most texts
            # are searched for fingerprint phrases that are not there.
            self._in_place = mapped.lower() if mapped.isascii() else mapped.casefold()
            self.folded = _SPACE_RUN.sub(" ", self._in_place.strip())
            return
        pieces: list[str] = []
        self._folded_starts: list[int] = []
        self._orig_starts: list[int] = []
        self._tables: dict[int, list[int]] = {}
        pos = 0
        for m in _NONSPACE.finditer(text):
            token = m.group()
            if token.isascii():
                folded = map_folds(token).lower()
            else:
                folded = map_folds(unicodedata.normalize("NFKC", token)).casefold()
            if not folded.strip():
                continue
            if pieces:
                pos += 1  # the single space between tokens
            index = len(self._folded_starts)
            self._folded_starts.append(pos)
            self._orig_starts.append(m.start())
            if len(folded) != len(token):
                table: list[int] = []
                for i, ch in enumerate(token):
                    piece = map_folds(unicodedata.normalize("NFKC", ch)).casefold()
                    table.extend([m.start() + i] * len(piece))
                # Fold of the whole token and of its characters can differ in length (NFKC
                # composes); pad or trim the table to the token's folded length.
                table = (table + [m.end() - 1] * len(folded))[: len(folded)]
                self._tables[index] = table
            pieces.append(folded)
            pos += len(folded)
        self.folded = " ".join(pieces)

    def _offset_map(self, lowered: str) -> tuple[list[int], list[int]]:
        # The text folds character for character; only whitespace runs shrink (to one space).
        # Keep, for each run that does (two characters or more: a lone newline or tab becomes
        # a space of the same length), where its space stands in the folded text and how many
        # characters the original had dropped by then.
        stripped = lowered.lstrip()
        lead = len(lowered) - len(stripped)
        stripped = stripped.rstrip()
        spaces: list[int] = []
        dropped: list[int] = []
        total = lead
        for m in _SHRINKING_RUN.finditer(stripped):
            spaces.append(m.start() + lead - total)
            total += m.end() - m.start() - 1
            dropped.append(total)
        return [-1, *spaces], [lead, *dropped]

    def original(self, folded_offset: int) -> int:
        """The original offset of the character at ``folded_offset`` of :attr:`folded`."""
        import bisect

        if self._in_place is not None:
            if self._offsets is None:
                self._offsets = self._offset_map(self._in_place)
            spaces, dropped = self._offsets
            k = bisect.bisect_left(spaces, folded_offset) - 1
            return folded_offset + dropped[k]
        k = bisect.bisect_right(self._folded_starts, folded_offset) - 1
        delta = folded_offset - self._folded_starts[k]
        table = self._tables.get(k)
        if table is not None:
            return table[min(delta, len(table) - 1)]
        return self._orig_starts[k] + delta

    def find(self, quote: str) -> tuple[int, int] | None:
        """Where ``quote`` stands, comparing folded forms; offsets in the original text."""
        needle = fold(quote)
        if not needle:
            return None
        at = self.folded.find(needle)
        if at < 0:
            return None
        return self.original(at), self.original(at + len(needle) - 1) + 1


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text``, comparing folded forms; offsets in the original."""
    return FoldedText(text).find(quote)


# --------------------------------------------------------------------------------------------
# differences


@dataclass(frozen=True, slots=True)
class Change:
    """A run of words the text has that the reference does not (or the reverse)."""

    kind: str  # "added" (only in the text), "changed" (differs), "removed" (only in the reference)
    start: int  # offsets in the text (for "removed": where the removal happened)
    end: int
    words: int  # how many words of the text (or, for "removed", of the reference)
    reference_quote: str = ""  # what the reference says there, for "changed" and "removed"


def diff_words(text: str, reference: str, *, min_words: int = 3) -> list[Change]:
    """What ``text`` adds to, changes in or removes from ``reference``, word by word.

    Copyright lines are ignored on both sides; runs shorter than ``min_words`` words (a name
    filled into a template, a year) are ignored.
    """
    return compare(text, reference, min_words=min_words)[1]


def compare(
    text: str, reference: str, *, min_words: int = 3, quick_floor: float = 0.0
) -> tuple[float, list[Change]]:
    """:func:`similarity` and :func:`diff_words` of one comparison (the diff is the cost).

    With ``quick_floor``, texts whose quick upper bound of similarity is below it are not
    diffed: the bound comes back with no changes."""
    a = [w for w in words(text) if not w.copyright]
    b = [w for w in words(reference) if not w.copyright]
    if not a or not b:
        return 0.0, []
    lengths = min(len(a), len(b)) / max(len(a), len(b))
    if lengths < quick_floor:
        # The similarity is over the longer of the two: it cannot exceed the ratio of lengths.
        return lengths, []
    matcher = difflib.SequenceMatcher(
        None, [w.text for w in a], [w.text for w in b], autojunk=False
    )
    if matcher.quick_ratio() < quick_floor:
        # An upper bound on the similarity, in linear time: far apart, no diff worth the cost.
        return matcher.quick_ratio() * min(len(a), len(b)) / max(len(a), len(b)), []
    same = sum(block.size for block in matcher.get_matching_blocks())
    changes: list[Change] = []
    # The opcodes turn ``a`` (the text) into ``b`` (the reference): "delete" is a run of the
    # text's words the reference lacks (added), "insert" a run of the reference's words the
    # text lacks (removed), "replace" both (changed).
    for op, i1, i2, j1, j2 in _coalesce(matcher.get_opcodes()):
        if op == "equal":
            continue
        ref_quote = reference[b[j1].start : b[j2 - 1].end] if j2 > j1 else ""
        if op in {"delete", "replace"}:
            size = i2 - i1
            if size >= min_words or (op == "replace" and j2 - j1 >= min_words):
                kind = "added" if op == "delete" else "changed"
                changes.append(Change(kind, a[i1].start, a[i2 - 1].end, size, ref_quote))
        elif op == "insert" and j2 - j1 >= min_words:
            at = a[i1].start if i1 < len(a) else len(text)
            changes.append(Change("removed", at, at, j2 - j1, ref_quote))
    return same / max(len(a), len(b)), changes


def _coalesce(
    opcodes: Sequence[tuple[str, int, int, int, int]], gap: int = 2
) -> list[tuple[str, int, int, int, int]]:
    """Merge differences separated by at most ``gap`` equal words into one change, so that an
    inserted clause split by a word it shares with the reference reads as one clause."""
    out: list[tuple[str, int, int, int, int]] = []
    for op in opcodes:
        if (
            out
            and op[0] != "equal"
            and len(out) >= 2
            and out[-1][0] == "equal"
            and out[-1][2] - out[-1][1] <= gap
            and out[-2][0] != "equal"
        ):
            eq = out.pop()
            prev = out.pop()
            out.append(("replace", prev[1], op[2], prev[3], op[4]))
            del eq
            continue
        out.append(op)
    return out


def similarity(text: str, reference: str) -> float:
    """Share of words the text and the reference have in common, in order, over the longer of
    the two (0..1): 1.0 only when the texts are the same words."""
    return compare(text, reference)[0]

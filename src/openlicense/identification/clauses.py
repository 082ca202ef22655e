"""Find the clauses of a license or policy text that raise license-term flags.

The catalog knows the terms of well-known licenses; this module reads what an uncatalogued or
custom text *says*, so that it can be judged too. The wording it looks for is data
(``data/clauses.toml``, see ``docs/clauses.md``): each pattern names a flag, groups of plain
phrases that must all occur close together in one sentence, and phrases that veto it.

How a text is read, in time linear in its length and with no backtracking regular expressions:

1. The text is cut into sentences at ``. ! ? ;`` followed by a space, at a colon that ends a
   line (a list lead-in), at blank lines, and before list markers that start a line.
2. Each sentence is cut into word tokens of the *original* text, so every token keeps its
   offsets and quotes are verbatim; each token is folded (NFKC, case) on its own. Punctuation,
   curly quotes and dashes are never tokens, so they cannot make a phrase miss.
3. A phrase is a fixed sequence of token tests (a word, a ``prefix*``, ``{number}``,
   ``{any}``). Phrases are indexed by their first two words, so each token is compared with a
   bounded number of candidates, each for a bounded number of tokens.
4. A pattern matches a sentence when one phrase of every ``all`` group starts within
   ``window`` tokens (a two-pointer sweep over the phrase matches) and no ``none`` phrase
   occurs in the sentence.

A list item inherits the last words of the lead-ins that introduce it ("You agree not to use
the Model:" ... "3. For military purposes"; a Markdown heading "## Prohibited Uses" over a
bullet list): a pattern marked ``inherit`` may find its first group there, so the wording
written for the inline form also finds the listed one. The hit quotes the item itself.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import re
import tomllib
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from openlicense.errors import CatalogError, OpenLicenseError
from openlicense.model import MAX_QUOTE_LENGTH

__all__ = [
    "MAX_QUOTE_LENGTH",
    "ClauseHit",
    "ClausePattern",
    "UnknownFlagError",
    "patterns",
    "scan_clauses",
]

#: Longest quote a hit carries; longer sentences are trimmed around the matched words.
#: Default span, in tokens, within which one phrase of every ``all`` group must start.
DEFAULT_WINDOW = 30
#: Largest ``window`` a pattern may ask for: wider windows stop meaning "one clause".
MAX_WINDOW = 120
#: How many of a lead-in's last tokens its list items inherit, and through how many nested
#: lead-ins: bounded, so that a long list costs time linear in its length.
LEAD_TOKENS = 40
LEAD_DEPTH = 3

_DATA_FILE = "clauses.toml"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PLACEHOLDERS = frozenset({"{number}", "{any}"})
_NUMBER_WORDS = frozenset(
    {
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "fifteen", "twenty", "thirty", "fifty",
        "hundred", "thousand", "million", "billion",
    }
)  # fmt: skip
_KEYS = frozenset(
    {"id", "flag", "description", "example", "all", "none", "window", "lead_in", "inherit"}
)

# CJK characters are one token each, so a phrase in Chinese, Japanese or Korean matches a
# character sequence the way an English phrase matches a word sequence.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"\d+(?:[.,]\d+)*|[$€£¥]|[{_CJK}]|[^\W\d_{_CJK}]+")
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


class UnknownFlagError(OpenLicenseError, ValueError):
    """``scan_clauses(flags=...)`` named a flag that no clause pattern detects."""


@dataclass(frozen=True, slots=True)
class ClausePattern:
    """One ``[[pattern]]`` of ``data/clauses.toml``: wording that raises a flag."""

    id: str
    flag: str
    description: str
    example: str
    all: tuple[tuple[str, ...], ...]
    none: tuple[str, ...] = ()
    window: int = DEFAULT_WINDOW
    lead_in: bool = False  # only a sentence that introduces a list matches
    inherit: bool = False  # a list item may find the first ``all`` group in its lead-in


@dataclass(frozen=True, slots=True)
class ClauseHit:
    """A clause that raises a flag: which pattern, where, and the verbatim words."""

    flag: str
    pattern: str  # the ``id`` of the pattern that matched
    line: int  # 1-based line where the quote starts
    quote: str  # text[start:end], at most MAX_QUOTE_LENGTH characters
    start: int
    end: int


# --------------------------------------------------------------------------------------------
# tokens and phrases


def _fold(token: str) -> str:
    if token.isascii():
        return token.lower()
    return unicodedata.normalize("NFKC", token).casefold()


@dataclass(frozen=True, slots=True)
class _Tokens:
    """The words of a sentence, folded, with their offsets in the text."""

    words: list[str]
    starts: list[int]
    ends: list[int]


def _tokens(text: str, start: int, end: int) -> _Tokens:
    found = list(_TOKEN.finditer(text, start, end))
    return _Tokens(
        [_fold(m.group()) for m in found], [m.start() for m in found], [m.end() for m in found]
    )


# A compiled phrase is a tuple of token tests: ("w", word) a word, ("p", prefix) a word that
# starts with prefix, ("n", "") a number, ("a", "") any word.
_Test = tuple[str, str]


def _compile_phrase(phrase: str) -> list[tuple[_Test, ...]]:
    """The token tests of a phrase: one variant per spelling of its hyphenated words."""
    variants: list[list[_Test]] = [[]]
    for raw in phrase.split():
        spellings: list[list[_Test]]
        if raw in _PLACEHOLDERS:
            spellings = [[("n" if raw == "{number}" else "a", "")]]
        else:
            wildcard = raw.endswith("*")
            body = raw[:-1] if wildcard else raw
            words = [_fold(w) for w in _TOKEN.findall(body)]
            split: list[_Test] = [("w", w) for w in words]
            if wildcard:
                split[-1] = ("p", words[-1])
            spellings = [split]
            if len(words) > 1 and "-" in body:
                # "non-commercial" is also written "noncommercial", "fine-tune" "finetune"
                spellings.append([("p" if wildcard else "w", "".join(words))])
        variants = [v + s for v in variants for s in spellings]
    return [tuple(v) for v in variants]


def _is_number(word: str) -> bool:
    return word[:1].isdigit() or word in _NUMBER_WORDS


def _test_ok(test: _Test, word: str) -> bool:
    kind, value = test
    if kind == "w":
        return word == value
    if kind == "p":
        return word.startswith(value)
    if kind == "n":
        return _is_number(word)
    return True


# --------------------------------------------------------------------------------------------
# the pattern table


@dataclass(frozen=True, slots=True)
class _Use:
    pattern: int  # index in the table
    group: int  # index of the ``all`` group, or -1 for a ``none`` phrase


@dataclass(frozen=True, slots=True)
class _Table:
    patterns: tuple[ClausePattern, ...]
    tests: tuple[tuple[_Test, ...], ...]  # one entry per distinct phrase variant
    words: tuple[tuple[str, ...] | None, ...]  # the variant's words, when all tests are words
    uses: tuple[tuple[_Use, ...], ...]  # which patterns and groups use each variant
    # Candidate variants by their first tests: the first two words when both are words (most
    # phrases: "may not" does not wake up every phrase that starts with "may"), else the first
    # word, else the first three letters of a prefix; numbers and {any} apart.
    by_pair: Mapping[tuple[str, str], tuple[int, ...]]
    by_word: Mapping[str, tuple[int, ...]]
    by_prefix: Mapping[str, tuple[tuple[str, int], ...]]
    by_number: tuple[int, ...]
    by_any: tuple[int, ...]


def _data_text() -> str:
    return resources.files("openlicense").joinpath("data", _DATA_FILE).read_text("utf-8")


def _license_term_flags() -> frozenset[str]:
    raw = resources.files("openlicense").joinpath("data", "flags.toml").read_text("utf-8")
    return frozenset(f["name"] for f in tomllib.loads(raw)["flag"] if f["scope"] == "license-term")


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _phrase_errors(phrase: str) -> list[str]:
    raws = phrase.split()
    if not raws:
        return ["empty phrase"]
    errors = []
    for raw in raws:
        if raw.startswith("{") or raw.endswith("}"):
            if raw not in _PLACEHOLDERS:
                errors.append(
                    f"unknown placeholder {raw!r} (known: {', '.join(sorted(_PLACEHOLDERS))})"
                )
            continue
        body = raw[:-1] if raw.endswith("*") else raw
        words = _TOKEN.findall(body)
        if "*" in body:
            errors.append(f"'*' may only end a word: {raw!r}")
        elif not words:
            errors.append(f"{raw!r} has no letters or digits")
        elif raw.endswith("*") and len(words[-1]) < 3:
            errors.append(f"prefix {raw!r} is shorter than 3 characters")
    if all(raw == "{any}" for raw in raws):
        errors.append(f"{phrase!r} matches any word")
    return errors


def _parse(raw: Any, flags: frozenset[str], where: str) -> tuple[ClausePattern | None, list[str]]:
    """One ``[[pattern]]`` table, or every problem with it."""
    if not isinstance(raw, dict):
        return None, [f"{where}: not a table"]
    errors = [f"{where}: unknown key {key!r}" for key in sorted(set(raw) - _KEYS)]
    pid = raw.get("id")
    if not isinstance(pid, str) or not _ID.match(pid):
        errors.append(f"{where}: id must be kebab-case, got {pid!r}")
    flag = raw.get("flag")
    if flag not in flags:
        errors.append(f"{where}: flag {flag!r} is not a license-term flag of flags.toml")
    for key in ("description", "example"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            errors.append(f"{where}: {key} is required")
    groups: list[tuple[str, ...]] = []
    groups_raw = raw.get("all")
    if not isinstance(groups_raw, list) or not groups_raw:
        errors.append(f"{where}: 'all' must be a non-empty list of phrase lists")
    else:
        for i, group in enumerate(groups_raw):
            phrases = _strings(group)
            if not phrases:
                errors.append(f"{where}: all[{i}] must be a non-empty list of strings")
                continue
            groups.append(phrases)
            errors.extend(f"{where}: all[{i}]: {e}" for p in phrases for e in _phrase_errors(p))
    none = _strings(raw.get("none", []))
    if none is None:
        errors.append(f"{where}: 'none' must be a list of strings")
        none = ()
    errors.extend(f"{where}: none: {e}" for p in none for e in _phrase_errors(p))
    window = raw.get("window", DEFAULT_WINDOW)
    if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= MAX_WINDOW:
        errors.append(f"{where}: window must be an integer from 1 to {MAX_WINDOW}")
    switches = {key: raw.get(key, False) for key in ("lead_in", "inherit")}
    errors.extend(
        f"{where}: {key} must be true or false"
        for key, value in switches.items()
        if not isinstance(value, bool)
    )
    if errors:
        return None, errors
    pattern = ClausePattern(
        id=str(pid),
        flag=str(flag),
        description=" ".join(raw["description"].split()),
        example=raw["example"].strip(),
        all=tuple(groups),
        none=none,
        window=window,
        lead_in=switches["lead_in"],
        inherit=switches["inherit"],
    )
    return pattern, []


def _load_patterns(text: str) -> tuple[ClausePattern, ...]:
    """Parse and validate a pattern table; every error is reported at once."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{_DATA_FILE}: {exc}") from exc
    flags = _license_term_flags()
    loaded: list[ClausePattern] = []
    errors: list[str] = []
    seen: set[str] = set()
    entries = data.get("pattern", [])
    if not isinstance(entries, list) or not entries:
        errors.append(f"{_DATA_FILE}: no [[pattern]] tables")
        entries = []
    for i, raw in enumerate(entries):
        name = raw.get("id", "?") if isinstance(raw, dict) else "?"
        where = f"{_DATA_FILE} pattern #{i + 1} ({name})"
        pattern, problems = _parse(raw, flags, where)
        errors.extend(problems)
        if pattern is not None:
            if pattern.id in seen:
                errors.append(f"{where}: duplicate id")
            seen.add(pattern.id)
            loaded.append(pattern)
    if errors:
        raise CatalogError("invalid clause patterns:\n" + "\n".join(errors))
    return tuple(loaded)


def _build(table: Sequence[ClausePattern]) -> _Table:
    """Index the phrases of ``table`` by their first token."""
    uses: dict[tuple[_Test, ...], list[_Use]] = {}
    for index, pattern in enumerate(table):
        roles = [(g, p) for g, group in enumerate(pattern.all) for p in group]
        roles += [(-1, p) for p in pattern.none]
        for group, phrase in roles:
            for tests in _compile_phrase(phrase):
                entry = uses.setdefault(tests, [])
                if _Use(index, group) not in entry:
                    entry.append(_Use(index, group))
    all_tests = tuple(uses)
    by_pair: dict[tuple[str, str], list[int]] = {}
    by_word: dict[str, list[int]] = {}
    by_prefix: dict[str, list[tuple[str, int]]] = {}
    by_number: list[int] = []
    by_any: list[int] = []
    for i, tests in enumerate(all_tests):
        kind, value = tests[0]
        if kind == "w" and len(tests) > 1 and tests[1][0] == "w":
            by_pair.setdefault((value, tests[1][1]), []).append(i)
        elif kind == "w":
            by_word.setdefault(value, []).append(i)
        elif kind == "p":
            by_prefix.setdefault(value[:3], []).append((value, i))
        elif kind == "n":
            by_number.append(i)
        else:
            by_any.append(i)
    return _Table(
        patterns=tuple(table),
        tests=all_tests,
        words=tuple(
            tuple(v for _, v in t) if all(k == "w" for k, _ in t) else None for t in all_tests
        ),
        uses=tuple(tuple(uses[t]) for t in all_tests),
        by_pair={w: tuple(v) for w, v in by_pair.items()},
        by_word={w: tuple(v) for w, v in by_word.items()},
        by_prefix={k: tuple(v) for k, v in by_prefix.items()},
        by_number=tuple(by_number),
        by_any=tuple(by_any),
    )


@functools.cache
def _table() -> _Table:
    return _build(_load_patterns(_data_text()))


def patterns() -> list[ClausePattern]:
    """The validated pattern table of ``data/clauses.toml``, in file order (loaded once)."""
    return list(_table().patterns)


# --------------------------------------------------------------------------------------------
# sentences and lists


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int  # first character of the content (list marker and indentation left out)
    end: int  # one past the last character, terminal punctuation included
    colon: bool  # ends with a colon at the end of a line: it introduces a list
    open_end: bool  # ends a paragraph without punctuation ("... or any third party to")
    starts_line: bool  # only indentation or a list marker before it on its line
    indent: int  # indentation of the line it starts on
    marker: bool  # that line starts with a list marker
    heading: bool  # that line is a Markdown heading ("## Prohibited Uses")


class _Lines:
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


def _boundaries(text: str, lines: _Lines) -> Iterator[tuple[int, bool]]:
    """Offsets where a sentence ends, and whether it ends with a colon that ends a line."""
    n = len(text)
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
            line = lines.start(pos)
            if pos - line <= 16 and _MARKER_ONLY.fullmatch(text, line, pos):
                continue  # "1." or "(a)." numbering a line, not ending a sentence
            if _is_abbreviation(text, pos):
                continue
        yield end, False


def _sentences(text: str, lines: _Lines) -> list[_Sentence]:
    result: list[_Sentence] = []
    # line start -> (indentation, list marker, heading)
    indents: dict[int, tuple[int, bool, bool]] = {}
    begin = 0
    for end, colon in [*_boundaries(text, lines), (len(text), False)]:
        if end <= begin:
            continue
        start = begin
        while start < end and text[start].isspace():
            start += 1
        line = lines.start(start)
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
        if stop > start and _TOKEN.search(text, start, stop):
            open_end = not colon and text[stop - 1] not in _TERMINALS
            result.append(
                _Sentence(start, stop, colon, open_end, starts_line, indent, line_marker, heading)
            )
        begin = end
    return result


@dataclass(frozen=True, slots=True)
class _Lead:
    sentence: int
    indent: int
    marker: bool  # the lead-in's line has a list marker: its items must be indented deeper

    @classmethod
    def of(cls, index: int, sentence: _Sentence) -> _Lead:
        # a Markdown heading governs the marked lines under it, like an unmarked lead-in
        return cls(index, sentence.indent, sentence.marker and not sentence.heading)

    def governs(self, sentence: _Sentence) -> bool:
        """Is ``sentence``, which starts a line, one of the items this lead-in introduces?"""
        if sentence.heading:
            return False  # the next heading ends the section
        if sentence.indent > self.indent:
            return True
        return sentence.indent == self.indent and sentence.marker and not self.marker


def _lead_context(
    sentences: Sequence[_Sentence],
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


# --------------------------------------------------------------------------------------------
# matching

_Match = tuple[int, int, int]  # (phrase variant, first token, last token)


def _rest_ok(tests: tuple[_Test, ...], words: Sequence[str], i: int, checked: int) -> bool:
    if i + len(tests) > len(words):
        return False
    for k in range(checked, len(tests)):
        kind, value = tests[k]
        word = words[i + k]
        if kind == "w":
            if word != value:
                return False
        elif not _test_ok(tests[k], word):
            return False
    return True


def _phrase_matches(table: _Table, words: Sequence[str], begin: int = 0) -> Iterator[_Match]:
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
        others = table.by_number + table.by_any if _is_number(word) else table.by_any
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


def _trim(text: str, sentence: _Sentence, first: int, last: int) -> tuple[int, int]:
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
    table: _Table,
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


def _scan(text: str, table: _Table, wanted: Collection[int] | None = None) -> list[ClauseHit]:
    lines = _Lines(text)
    sentences = _sentences(text, lines)
    tokens = [_tokens(text, s.start, s.end) for s in sentences]
    chains, introduces = _lead_context(sentences)
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
    table = _table()
    wanted: set[int] | None = None
    if flags is not None:
        names = {flags} if isinstance(flags, str) else set(flags)
        unknown = sorted(names - {p.flag for p in table.patterns})
        if unknown:
            raise UnknownFlagError(f"no clause pattern detects flag(s): {', '.join(unknown)}")
        wanted = {i for i, p in enumerate(table.patterns) if p.flag in names}
    return _scan(text, table, wanted)

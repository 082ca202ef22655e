"""The clause pattern table: ``data/clauses.toml`` validated, and its phrases indexed.

Phrases are indexed by their first two words, so each token of a text is compared with a
bounded number of candidates, each for a bounded number of tokens.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from openlicense.errors import CatalogError
from openlicense.identification.clauses.tokens import (
    PLACEHOLDERS,
    TOKEN,
    Test,
    compile_phrase,
)

__all__ = [
    "DEFAULT_WINDOW",
    "MAX_WINDOW",
    "ClausePattern",
    "Table",
    "Use",
    "build_table",
    "license_term_flags",
    "load_patterns",
    "pattern_table",
    "patterns",
]

#: Default span, in tokens, within which one phrase of every ``all`` group must start.
DEFAULT_WINDOW = 30
#: Largest ``window`` a pattern may ask for: wider windows stop meaning "one clause".
MAX_WINDOW = 120

_DATA_FILE = "clauses.toml"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEYS = frozenset(
    {"id", "flag", "description", "example", "all", "none", "window", "lead_in", "inherit"}
)


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
class Use:
    pattern: int  # index in the table
    group: int  # index of the ``all`` group, or -1 for a ``none`` phrase


@dataclass(frozen=True, slots=True)
class Table:
    patterns: tuple[ClausePattern, ...]
    tests: tuple[tuple[Test, ...], ...]  # one entry per distinct phrase variant
    words: tuple[tuple[str, ...] | None, ...]  # the variant's words, when all tests are words
    uses: tuple[tuple[Use, ...], ...]  # which patterns and groups use each variant
    # Candidate variants by their first tests: the first two words when both are words (most
    # phrases: "may not" does not wake up every phrase that starts with "may"), else the first
    # word, else the first three letters of a prefix; numbers and {any} apart.
    by_pair: Mapping[tuple[str, str], tuple[int, ...]]
    by_word: Mapping[str, tuple[int, ...]]
    by_prefix: Mapping[str, tuple[tuple[str, int], ...]]
    by_number: tuple[int, ...]
    by_any: tuple[int, ...]
    pair_firsts: frozenset[str] = frozenset()  # the first words of ``by_pair``


def _data_text() -> str:
    return resources.files("openlicense").joinpath("data", _DATA_FILE).read_text("utf-8")


def license_term_flags() -> frozenset[str]:
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
            if raw not in PLACEHOLDERS:
                errors.append(
                    f"unknown placeholder {raw!r} (known: {', '.join(sorted(PLACEHOLDERS))})"
                )
            continue
        body = raw[:-1] if raw.endswith("*") else raw
        words = TOKEN.findall(body)
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


def load_patterns(text: str) -> tuple[ClausePattern, ...]:
    """Parse and validate a pattern table; every error is reported at once."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{_DATA_FILE}: {exc}") from exc
    flags = license_term_flags()
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


def build_table(table: Sequence[ClausePattern]) -> Table:
    """Index the phrases of ``table`` by their first token."""
    uses: dict[tuple[Test, ...], list[Use]] = {}
    for index, pattern in enumerate(table):
        roles = [(g, p) for g, group in enumerate(pattern.all) for p in group]
        roles += [(-1, p) for p in pattern.none]
        for group, phrase in roles:
            for tests in compile_phrase(phrase):
                entry = uses.setdefault(tests, [])
                if Use(index, group) not in entry:
                    entry.append(Use(index, group))
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
    return Table(
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
        pair_firsts=frozenset(first for first, _ in by_pair),
    )


@functools.cache
def pattern_table() -> Table:
    return build_table(load_patterns(_data_text()))


def patterns() -> list[ClausePattern]:
    """The validated pattern table of ``data/clauses.toml``, in file order (loaded once)."""
    return list(pattern_table().patterns)

"""Every regular expression of the package stays linear on hostile shapes (issue 12).

A backtracking engine turns a pattern that can start a match at every character of a long
run (``\\s*X``, ``[\\w.]+@``, ``\\[[^\\]]*\\]``) into quadratic time: one 80 KB word in a model
card took 50 s. This test finds every compiled pattern of ``openlicense`` (module constants
and every pattern of ``data/model-card-cues.toml``) and runs each over long runs of every ASCII
punctuation character, a letter, a digit and blanks, at a length and at four times it. Time is
compared as a ratio within one run, never against a fixed budget: a linear pattern takes
about four times as long on four times the text, a quadratic one sixteen times; the bound
between them (8) leaves room for a busy machine, and a growth must show twice to count.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
import time
from collections.abc import Iterator

import pytest

import openlicense
from openlicense.release.hf import phrases

#: Patterns that are only ever applied at one position (``match``/``fullmatch`` at a line or
#: sentence start, or on a bounded file name), where a run costs its length once; searched
#: over a whole text they would be quadratic, which is why each is named here with its use.
APPLIED_AT_ONE_POSITION = {
    # sentences.py: `.match(text, start_of_line)` for the marker of the next line
    "openlicense.identification.clauses.sentences._LIST_MARKER",
    # sentences.py: `.match(text, start_of_sentence)` for the marker left out of a quote
    "openlicense.identification.clauses.sentences._LEADING_MARKER",
    # sentences.py: `.fullmatch` of at most 16 characters before a line's first word
    "openlicense.identification.clauses.sentences._MARKER_ONLY",
    # discover.py: `.match` of one file name (at most 255 bytes)
    "openlicense.read.discover._FLAT_CARD",
    # expression/parser.py: `.match` of a whole expression string, at most MAX_EXPRESSION_LENGTH
    "openlicense.expression.parser._FLAT",
    # structure.py: `.match` on the first 96 characters of each line
    "openlicense.provisions.structure._LINE_HEAD",
}

N = 4_000
#: Below this the time of a run is noise, whatever its growth.
FLOOR_S = 0.004
#: Growth from N to 4N: linear is 4, quadratic 16.
MAX_RATIO = 8.0


def _patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    seen: set[int] = set()
    for info in pkgutil.walk_packages(openlicense.__path__, "openlicense."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for attr, value in vars(module).items():
            if (
                isinstance(value, re.Pattern)
                and isinstance(value.pattern, str)
                and id(value) not in seen
            ):
                seen.add(id(value))
                yield f"{info.name}.{attr}", value
    for where, pattern in phrases.every_pattern():
        if id(pattern) not in seen:
            seen.add(id(pattern))
            yield f"data/model-card-cues.toml {where}", pattern


PATTERNS = [p for p in _patterns() if p[0] not in APPLIED_AT_ONE_POSITION]
SHAPES = [
    shape
    for c in "a1 \t" + string.punctuation
    for shape in (lambda n, c=c: c * n, lambda n, c=c: ("a" + c) * (n // 2))
]


def _cost(pattern: re.Pattern[str], text: str) -> float:
    # CPU time of this process, best of three: other processes on the machine (a parallel
    # test run, CI's neighbours) stretch wall time, not this.
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for _match in pattern.finditer(text):
            pass
        best = min(best, time.process_time() - start)
    return best


def test_the_patterns_are_found() -> None:
    names = [name for name, _ in PATTERNS]
    assert "openlicense.release.hf.markdown._EMAIL" in names
    assert any(name.startswith("data/model-card-cues.toml") for name in names)
    assert len(names) > 100


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_a_pattern_is_linear_on_long_runs(name: str, pattern: re.Pattern[str]) -> None:
    slow = []
    for shape in SHAPES:
        once = _cost(pattern, shape(N))
        if once < FLOOR_S / 2:
            continue
        twice = _cost(pattern, shape(4 * N))
        if twice > FLOOR_S and twice / once > MAX_RATIO:
            # A busy machine can stretch one measurement: a pattern is slow when the growth
            # shows twice.
            once, twice = _cost(pattern, shape(N)), _cost(pattern, shape(4 * N))
        if twice > FLOOR_S and twice / once > MAX_RATIO:
            slow.append(f"{shape(8)!r}: {once * 1e3:.1f} ms -> {twice * 1e3:.1f} ms")
    assert not slow, f"{name} grows faster than its input on: " + "; ".join(slow)


def test_the_check_finds_a_quadratic_pattern() -> None:
    # The kind of pattern this file exists to keep out: a leading run that every character of
    # a long word can start.
    quadratic = re.compile(r"[\w.+-]+@[\w-]+")
    once = _cost(quadratic, "a" * N)
    twice = _cost(quadratic, "a" * (4 * N))
    assert twice / once > MAX_RATIO

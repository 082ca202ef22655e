"""Pathological inputs take time linear in their size: doubling the input at most roughly
doubles the time (a generous factor, measured as a ratio, never as an absolute time). Times are
the process's CPU time, so that other processes on a loaded machine do not skew the ratio."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from openlicense.matching.match import match_text
from openlicense.matching.references import reference_text

FACTOR = 3.2  # t(2n) / t(n) for linear cost is 2; allow noise on a loaded machine


def _apache_repeated(n: int) -> str:
    return reference_text("licenses/apache-2.0.LICENSE") * n


def _one_word(n: int) -> str:
    return "license " * (n * 20_000)


def _short_lines(n: int) -> str:
    return "x\n" * (n * 50_000)


def _prose(n: int) -> str:
    words = [f"w{i % 5003}" for i in range(n * 20_000)]
    return " ".join(words)


def _best_time(make: Callable[[int], str], n: int) -> float:
    text = make(n)
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        match_text(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize(
    ("make", "n"),
    [(_apache_repeated, 4), (_one_word, 4), (_short_lines, 4), (_prose, 4)],
    ids=["license-repeated", "one-word-repeated", "short-lines", "unmatched-prose"],
)
def test_time_is_linear_in_the_size(make: Callable[[int], str], n: int) -> None:
    match_text("warm up the index")
    small = _best_time(make, n)
    large = _best_time(make, 2 * n)
    assert large / small < FACTOR, (small, large)


def test_ten_megabytes_of_one_word_match_nothing() -> None:
    result = match_text("license " * 1_250_000)
    assert result.matches == ()
    assert result.expression is None
    assert result.method == "no-match"


def test_a_million_lines_match_nothing() -> None:
    result = match_text("a\n" * 1_000_000)
    assert result.expression is None
    assert result.method == "no-match"


def test_a_repeated_license_is_found_in_several_copies() -> None:
    result = match_text(_apache_repeated(3))
    assert [m.spdx_id for m in result.matches] == ["Apache-2.0"] * 3
    assert result.expression == "Apache-2.0"

"""The provision reader is linear in its input, whatever the input's shape.

Ratios, never absolute times: four times the input may take at most about four times as long
(a generous factor of 8 absorbs noise); a quadratic step would take sixteen times as long.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from openlicense.provisions import read_provisions
from openlicense.provisions.structure import split_provisions

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "provisions" / "tune"
_SAMPLE = "".join(p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt"))[:6])

SHAPES: dict[str, Callable[[int], str]] = {
    "license-text": lambda n: (_SAMPLE * (n // len(_SAMPLE) + 1))[:n],
    "one-long-line": lambda n: "word " * (n // 5),
    "no-spaces": lambda n: "x" * n,
    "short-lines": lambda n: "a b\n" * (n // 4),
    "deep-nesting": lambda n: "".join(
        " " * (i % 60) + "- you may not use it to:\n" for i in range(n // 40)
    ),
    "many-periods": lambda n: ". " * (n // 2),
    "open-quotes": lambda n: '"' * n,
}


def _best_time(func: Callable[[str], object], text: str, repeat: int = 3) -> float:
    # CPU time of this process: a busy machine (the other test workers) slows the wall clock
    # of one run more than another's, not the work done.
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        func(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("func", [split_provisions, read_provisions], ids=["structure", "read"])
def test_four_times_the_input_takes_about_four_times_as_long(
    shape: str, func: Callable[[str], object]
) -> None:
    # Grow the input until it takes long enough to time reliably.
    size = 20_000
    small = SHAPES[shape](size)
    func(small)  # warm caches
    t1 = _best_time(func, small)
    while t1 < 0.1 and size < 1_280_000:
        size *= 2
        small = SHAPES[shape](size)
        t1 = _best_time(func, small)
    t4 = _best_time(func, SHAPES[shape](4 * size))
    # Linear: about 4; quadratic: about 16.
    assert t4 / t1 < 8, f"{shape}: {t1:.3f}s -> {t4:.3f}s at four times the size"


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        pytest.param("word " * 2_000_000, id="one-10MB-line"),
        pytest.param("a b\n" * 1_000_000, id="a-million-short-lines"),
        pytest.param("".join(" " * (i % 64) + "- item:\n" for i in range(200_000)), id="deep"),
    ],
)
def test_pathological_inputs_are_read_in_bounded_pieces(text: str) -> None:
    provisions = split_provisions(text)
    assert provisions
    assert max(p.end - p.start for p in provisions) <= 2_200

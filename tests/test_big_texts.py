"""The memos of the clause scanner and the provision reader change nothing but the cost.

Both read each distinct sentence (provision, paragraph, definition) once and re-attach the
offsets, lines and quotes of every copy; with the memos turned off every text must read exactly
the same: the corpus license texts, a use policy repeated (where the memo answers most
sentences) and the hostile shapes of ``benchmarks/bench_big_texts.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from openlicense.identification.clauses import matching, scan_clauses
from openlicense.provisions import definitions, read_provisions, reader, structure

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_big_texts import SHAPES  # noqa: E402
from conftest import CORPUS  # noqa: E402


def _texts() -> list[tuple[str, str]]:
    texts = [(f"shape:{name}", make(20_000)) for name, make in SHAPES.items()]
    folder = CORPUS / "licenses"
    if folder.is_dir():
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            texts.append((path.name, text))
            if path.name.startswith("meta__llama3_USE"):
                texts.append((f"{path.name} x3", (text + "\n\n") * 3))
    return texts


def _read(text: str) -> tuple[str, str]:
    return repr(read_provisions(text)), repr(scan_clauses(text))


@pytest.mark.parametrize(("name", "text"), _texts(), ids=[n for n, _ in _texts()])
def test_the_memos_change_nothing(name: str, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    remembered = _read(text)
    monkeypatch.setattr(matching, "_SENTENCE_MEMO", 0)
    monkeypatch.setattr(reader, "_MEMO_SIZE", 0)
    monkeypatch.setattr(definitions, "_MEMO_SIZE", 0)
    monkeypatch.setattr(structure, "_MEMO_UNIT", -1)
    assert _read(text) == remembered, name


def test_a_repeated_sentence_gets_its_own_offsets_and_line() -> None:
    sentence = "You may not use the Model for commercial purposes.\n\n"
    text = sentence * 3
    hits = scan_clauses(text)
    assert [h.start for h in hits] == [0, len(sentence), 2 * len(sentence)]
    assert [h.line for h in hits] == [1, 3, 5]
    assert all(h.quote == text[h.start : h.end] for h in hits)
    reading = read_provisions(text)
    assert [p.line for p in reading.provisions] == [1, 3, 5]
    assert [h.line for h in reading.hits] == [1, 3, 5]

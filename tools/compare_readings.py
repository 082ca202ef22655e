"""Record, or compare with a record, what the provision reader and clause scanner say of texts.

    PYTHONPATH=src python tools/compare_readings.py record OUT.json
    PYTHONPATH=src python tools/compare_readings.py compare OUT.json

The texts are the license texts and model cards of the development corpus, the text fixtures,
and 30 KB of each shape of ``benchmarks/bench_big_texts.py``. For each text the record keeps
the ``repr`` of ``read_provisions`` (provisions, quotes, lines, hits, freedoms), of the per-
provision readings (tokens, concepts and their positions, modality) and of ``scan_clauses``:
a speed-up of either stage must leave every one of them byte for byte the same.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("OPENLICENSE_CORPUS", ROOT.parent / "shared" / "corpus"))
_SUFFIXES = (".txt", ".md")
_SHAPE_SIZE = 30_000


def texts() -> Iterator[tuple[str, str]]:
    """(name, text) of every text compared."""
    roots = [CORPUS / "licenses", CORPUS / "modelcards", ROOT / "fixtures"]
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and (path.suffix in _SUFFIXES or path.name.startswith("LICENSE")):
                yield str(path.relative_to(root.parent)), path.read_text("utf-8", "replace")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_big_texts import SHAPES

    for shape, make in SHAPES.items():
        yield f"shape:{shape}", make(_SHAPE_SIZE)


def reading(text: str) -> dict[str, str]:
    """The reprs compared for one text."""
    from openlicense.identification.clauses import scan_clauses
    from openlicense.provisions import read_provisions
    from openlicense.provisions.reader import readings_of

    _, _, readings = readings_of(text)
    return {
        "provisions": repr(read_provisions(text)),
        "readings": repr(readings),
        "clauses": repr(scan_clauses(text)),
    }


def main(argv: list[str]) -> int:
    mode, out = argv
    if mode == "record":
        record = {name: reading(text) for name, text in texts()}
        Path(out).write_text(json.dumps(record), "utf-8")
        print(f"{len(record)} texts recorded")
        return 0
    before: dict[str, dict[str, str]] = json.loads(Path(out).read_text("utf-8"))
    differ = 0
    seen = 0
    for name, text in texts():
        seen += 1
        now = reading(text)
        for part, value in now.items():
            if before.get(name, {}).get(part) != value:
                differ += 1
                print(f"DIFFERS: {name} {part}")
    print(f"{seen} texts compared ({len(before)} recorded), {differ} differences")
    return 1 if differ or seen != len(before) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

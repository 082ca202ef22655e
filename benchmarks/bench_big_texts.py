"""Seconds per MB and peak bytes of memory per byte of text, on big texts of hostile shapes.

    PYTHONPATH=src python benchmarks/bench_big_texts.py [--sizes 10000,100000,1000000,10000000]
        [--shapes random-words,repeated-license] [--stages clauses,provisions,identify]

Times the clause scanner (``scan_clauses``) and the provision reader (``read_provisions``),
and ``identify --no-scancode`` in-process with ``--stages identify``, at each size on each
shape. Every (shape, size, stage) runs in a fresh subprocess that reads the text from a file
written beforehand; its peak memory is ``ru_maxrss`` of that process less the resident size
after imports and loading (the lexicon, classifier and pattern table are loaded by a 1 KB read
before the timed one). Issue 12 asks for at most 1 s per MB and 50 bytes of memory per byte of
text, and for both to stay flat from 10 KB to 10 MB: a figure growing with the size is a
super-linear stage. ``s/MB`` is wall time;
``cpu s/MB`` is the process's CPU time, the steadier figure on a shared machine. ``B/B`` below
100 KB is mostly noise: ``ru_maxrss`` grows by whole pages and the warm-up may already have
reached the peak.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


@functools.cache
def _license_text(key: str) -> str:
    """A license text as installed with ScanCode (the same data the matcher indexes)."""
    from openlicense.catalog.texts import scancode_text

    text = scancode_text(key)
    if text is None:
        sys.exit(f"bench_big_texts: no ScanCode text for {key!r}; is scancode-toolkit installed?")
    return text


_NESTED = (
    "You agree not to use the Model:\n"
    "1. for any of the following purposes:\n"
    "   (a) to harm others, including:\n"
    "       - minors, in any way;\n"
    "       - persons, by generating false information;\n"
    "   (b) for military purposes;\n"
    "2. to provide medical advice without review.\n"
)
_SEED = 12


def _repeat(block: str, size: int) -> str:
    return (block * (size // len(block) + 1))[:size]


def _random_words(size: int) -> str:
    """Words of the MIT and Apache-2.0 texts in a seeded random order, in sentences and lines."""
    words = _license_text("mit") + " " + _license_text("apache-2.0")
    vocabulary = sorted(set(words.replace('"', " ").split()))
    pick = random.Random(_SEED).choice
    out: list[str] = []
    length = 0
    column = 0
    words_left = 0
    while length < size:
        word = pick(vocabulary)
        if words_left == 0:
            word = word.capitalize()
            words_left = random.Random(length).randint(4, 30)
        words_left -= 1
        piece = word + (". " if words_left == 0 else " ")
        column += len(piece)
        if column > 78:
            piece = piece.rstrip(" ") + "\n"
            column = 0
        out.append(piece)
        length += len(piece)
    return "".join(out)[:size]


SHAPES: dict[str, Callable[[int], str]] = {
    "one-word": lambda size: _repeat("license ", size),
    "one-line": lambda size: _repeat(_license_text("mit").replace("\n", " ") + " ", size),
    "short-lines": lambda size: _repeat("Use it.\nNo.\n", size),
    "nested-lists": lambda size: _repeat(_NESTED, size),
    "colon-lead-ins": lambda size: _repeat("You agree not to use the Model to:\n", size),
    "punctuation": lambda size: _repeat(".,;:!?-()[]\"'*#/", size),
    "repeated-license": lambda size: _repeat(_license_text("mit"), size),
    "random-words": _random_words,
}
STAGES = ("clauses", "provisions", "identify")


def _stage(name: str) -> Callable[[str], object]:
    if name == "clauses":
        from openlicense.identification.clauses import scan_clauses

        return scan_clauses
    if name == "provisions":
        from openlicense.provisions import read_provisions

        return read_provisions
    from openlicense.identification import examine_text

    return lambda text: examine_text(text, scancode=False)


def _maxrss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def measure(path: str, stage: str) -> dict[str, float]:
    """One measurement, in this process: seconds, CPU seconds, and ru_maxrss growth in bytes.

    The text is read from ``path`` (written by the parent), so that building it leaves no
    high-water mark of its own for the stage's peak to hide under.
    """
    run = _stage(stage)
    text = Path(path).read_text(encoding="utf-8")
    run(text[:1000])  # load the lexicon, classifier, pattern table, catalog
    before = _maxrss()
    started, cpu = time.perf_counter(), time.process_time()
    run(text)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "peak": max(0, _maxrss() - before), "size": len(text)}


def _in_subprocess(path: Path, stage: str) -> dict[str, float]:
    here = str(Path(__file__).parent)
    code = (
        f"import json, sys; sys.path.insert(0, {here!r}); import bench_big_texts as b; "
        f"print(json.dumps(b.measure({str(path)!r}, {stage!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _report(shape: str, stage: str, r: dict[str, float]) -> None:
    mb = r["size"] / 1e6
    per_mb, cpu_mb, per_byte = r["seconds"] / mb, r["cpu"] / mb, r["peak"] / r["size"]
    print(
        f"{shape:<18}{stage:<12}{int(r['size']):>12,}{per_mb:>9.2f}{cpu_mb:>10.2f}{per_byte:>8.1f}"
    )
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000,10000000")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--stages", default="clauses,provisions")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'shape':<18}{'stage':<12}{'bytes':>12}{'s/MB':>9}{'cpu s/MB':>10}{'B/B':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for shape in args.shapes.split(","):
            paths = [Path(folder) / f"{shape}-{size}.txt" for size in sizes]
            for path, size in zip(paths, sizes, strict=True):
                path.write_text(SHAPES[shape](size), encoding="utf-8")
            for stage in args.stages.split(","):
                for path in paths:
                    _report(shape, stage, _in_subprocess(path, stage))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

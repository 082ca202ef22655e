"""Throughput of openlicense.normalize against license-expression's Licensing.parse.

    python benchmarks/bench_normalize.py [--repeat N]

Both run in this one process on the same strings: the real license strings of the corpus
(gold/strings.tsv) and the peer SPDX vectors (../shared/peer-vectors), or the bundled examples
when ../shared is absent. Start-up (building license-expression's Licensing, loading
openlicense's catalog and grammar) is timed separately from the steady state. Note that the two
do different work: Licensing.parse only parses SPDX syntax with known keys (and raises on the
rest); normalize also reads names, Hugging Face ids and compounds, so it is slower per string
where it does more.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def load_strings() -> list[str]:
    strings: list[str] = []
    gold = SHARED / "corpus" / "gold" / "strings.tsv"
    if gold.exists():
        with gold.open(encoding="utf-8") as handle:
            strings += [
                r["raw"] for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            ]
    vectors = SHARED / "peer-vectors"
    for name in ("spdx_vectors.tsv", "spdx_correct.tsv"):
        if (vectors / name).exists():
            with (vectors / name).open(encoding="utf-8") as handle:
                strings += [
                    r["input"]
                    for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                ]
    if not strings:
        examples = ROOT / "examples" / "strings-to-normalize.txt"
        strings = [
            s
            for s in examples.read_text(encoding="utf-8").splitlines()
            if s and not s.startswith("#")
        ]
    return strings


def timed(fn, strings: list[str], repeat: int, clear=None) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        if clear is not None:
            clear()
        start = time.perf_counter()
        for s in strings:
            fn(s)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    strings = load_strings()

    start = time.perf_counter()
    from license_expression import get_spdx_licensing

    licensing = get_spdx_licensing()
    le_startup = time.perf_counter() - start

    def le_parse(s: str) -> object:
        try:
            return licensing.parse(s, validate=True)
        except Exception as exc:
            return exc

    start = time.perf_counter()
    from openlicense.normalization import _normalize_cached, normalize

    normalize("MIT AND Apache-2.0")
    ol_startup = time.perf_counter() - start

    le_time = timed(le_parse, strings, args.repeat)
    clear = _normalize_cached.cache_clear
    ol_time = timed(normalize, strings, args.repeat, clear)
    spdx_only = timed(lambda s: normalize(s, strictness="spdx"), strings, args.repeat, clear)
    # A corpus repeats its strings (MOT writes "Apache 2.0" hundreds of times): the same strings
    # again, as a batch run over many model cards sees them.
    for s in strings:
        normalize(s)
    warm = timed(normalize, strings, args.repeat)

    n = len(strings)
    print(f"bench_normalize: {n} strings, median of {args.repeat} runs, one process")
    print(
        f"  start-up  license-expression {le_startup * 1000:.1f} ms, "
        f"openlicense {ol_startup * 1000:.1f} ms, ratio {le_startup / ol_startup:.2f}x"
    )
    print(f"  {'Licensing.parse':30}{n / le_time:10.0f} strings/s")
    rows = [
        ("normalize (lenient)", ol_time),
        ("normalize (strictness=spdx)", spdx_only),
        ("normalize (repeated strings)", warm),
    ]
    for label, seconds in rows:
        print(f"  {label:30}{n / seconds:10.0f} strings/s   ratio {le_time / seconds:5.2f}x")
    print("  (ratio > 1: openlicense is faster; first three rows on strings not seen before)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Throughput of openlicense.normalize against license-expression's Licensing.parse.

    python benchmarks/bench_normalize.py [--repeat N] [--corpus DIR]

Both run in this one process on the same distinct strings, each seen once per run: every
license field of the MOT and EOSAI model files, the raw column of ``gold/strings.tsv`` and the
peer SPDX vectors (``../shared/corpus`` and ``../shared/peer-vectors``, read at run time), or the
bundled examples when those are absent. Before each openlicense run its memos are cleared (the
result memo and the lookup-key caches), so no string is answered from memory. Start-up (building
license-expression's Licensing, loading openlicense's catalog and grammar) is timed apart from
the steady state. CPU time of this process is measured, not wall time, so that a loaded machine
slows both sides alike.

The two do different work: Licensing.parse only parses SPDX syntax with known keys (and raises
on the rest); normalize also reads names, Hugging Face ids, compounds and free text.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def _license_fields(node: Any, under_license: bool = False) -> Iterator[str]:
    """Every string under a key that names a license, at any depth of a YAML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _license_fields(value, under_license or "licen" in str(key).lower())
    elif isinstance(node, list):
        for value in node:
            yield from _license_fields(value, under_license)
    elif isinstance(node, str) and under_license:
        yield node


def _tsv_column(path: Path, column: str) -> list[str]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [r[column] for r in rows if r.get(column) is not None]


def load_strings(corpus: Path, vectors: Path) -> dict[str, list[str]]:
    """The strings of each source, in file order (duplicates kept; deduplicated by the caller)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    sources: dict[str, list[str]] = {}
    for name, folders in (("mot", ("mot/models", "mot/Test_Data")), ("eosai", ("eosai/models",))):
        found: list[str] = []
        for folder in folders:
            for path in sorted((corpus / folder).glob("*.y*ml")):
                try:
                    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
                except (yaml.YAMLError, UnicodeDecodeError):
                    continue
                found += _license_fields(doc)
        sources[name] = found
    sources["gold"] = _tsv_column(corpus / "gold" / "strings.tsv", "raw")
    sources["peer-vectors"] = [
        s
        for name in ("spdx_vectors.tsv", "spdx_correct.tsv", "spdx_syntax_only.tsv")
        for s in _tsv_column(vectors / name, "input")
    ]
    if not any(sources.values()):
        examples = ROOT / "examples" / "strings-to-normalize.txt"
        sources["examples"] = [
            s
            for s in examples.read_text(encoding="utf-8").splitlines()
            if s and not s.startswith("#")
        ]
    return sources


def timed(
    fn: Callable[[str], object],
    strings: list[str],
    repeat: int,
    clear: Callable[[], None] | None = None,
) -> float:
    runs = []
    for _ in range(repeat):
        if clear is not None:
            clear()
        start = time.process_time()
        for s in strings:
            fn(s)
        runs.append(time.process_time() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--vectors", type=Path, default=SHARED / "peer-vectors")
    args = parser.parse_args()
    sources = load_strings(args.corpus, args.vectors)
    strings = list(dict.fromkeys(s for found in sources.values() for s in found))

    start = time.process_time()
    from license_expression import get_spdx_licensing

    licensing = get_spdx_licensing()
    le_startup = time.process_time() - start

    def le_parse(s: str) -> object:
        try:
            return licensing.parse(s, validate=True)
        except Exception as exc:
            return exc

    start = time.process_time()
    from openlicense.catalog import loose_key, name_key
    from openlicense.normalization import _normalize_cached, normalize

    normalize("MIT AND Apache-2.0")
    ol_startup = time.process_time() - start

    def forget() -> None:
        _normalize_cached.cache_clear()
        name_key.cache_clear()
        loose_key.cache_clear()

    le_time = timed(le_parse, strings, args.repeat)
    ol_time = timed(normalize, strings, args.repeat, forget)
    spdx_only = timed(lambda s: normalize(s, strictness="spdx"), strings, args.repeat, forget)
    # A corpus repeats its strings (MOT writes "Apache 2.0" hundreds of times): the same strings
    # again, as a batch run over many model cards sees them.
    for s in strings:
        normalize(s)
    warm = timed(normalize, strings, args.repeat)

    n = len(strings)
    counts = ", ".join(f"{name} {len(found)}" for name, found in sources.items())
    print(f"bench_normalize: {n} distinct strings ({counts}), median of {args.repeat} runs")
    print(
        f"  start-up (CPU)  license-expression {le_startup * 1000:.1f} ms, "
        f"openlicense {ol_startup * 1000:.1f} ms"
    )
    print(f"  {'Licensing.parse':30}{n / le_time:10.0f} strings/s")
    rows = [
        ("normalize (lenient)", ol_time),
        ("normalize (strictness=spdx)", spdx_only),
        ("normalize (repeated strings)", warm),
    ]
    for label, seconds in rows:
        print(f"  {label:30}{n / seconds:10.0f} strings/s   ratio {le_time / seconds:5.2f}x")
    print("  (ratio > 1: openlicense is faster; the first two rows on strings seen once)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

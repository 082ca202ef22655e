"""Several licenses in one file: is each found, unchanged, with its own lines?

    python benchmarks/bench_concatenated.py [--triples-step N]

Takes 18 common license texts from the installed ScanCode data, writes every ordered pair of
them one after the other in a text (306 texts) and every N-th ordered triple (N = 81: 61
texts), and matches each with ``openlicense.matching.match_text``. A text is right when the
matcher returns exactly its licenses, in order, each ``is`` (unchanged): what each text alone
gives. It prints how many are right, the wrong ones, and the CPU time of the matching
(the index already built and cached). This is the measure quoted in docs/matching.md.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Iterable, Sequence

KEYS = (
    "mit", "bsd-simplified", "bsd-new", "isc", "apache-2.0", "zlib", "unlicense", "cc0-1.0",
    "mpl-2.0", "boost-1.0", "bsd-zero", "x11", "cc-by-4.0", "lgpl-2.1", "python", "postgresql",
    "openssl", "artistic-2.0",
)  # fmt: skip


def _texts() -> dict[str, str]:
    from openlicense.catalog.texts import scancode_text

    texts = {key: scancode_text(key) for key in KEYS}
    missing = [key for key, text in texts.items() if not text]
    if missing:
        raise SystemExit(f"no ScanCode text for {missing}; is scancode-toolkit installed?")
    return {key: text.strip() for key, text in texts.items() if text}


def _run(label: str, combos: Iterable[Sequence[str]], texts: dict[str, str]) -> None:
    from openlicense.matching.match import match_text

    alone = {key: match_text(texts[key]).expression for key in texts}
    right = 0
    wrong: list[str] = []
    start = time.process_time()
    for combo in combos:
        result = match_text("\n\n".join(texts[key] for key in combo) + "\n")
        got = [(m.spdx_id, m.relation) for m in result.matches]
        if got == [(alone[key], "is") for key in combo]:
            right += 1
        else:
            wrong.append(f"  {' + '.join(combo)}: {got}")
    seconds = time.process_time() - start
    total = right + len(wrong)
    print(f"{label}: {right} of {total} right ({seconds:.2f} s CPU)")
    for line in wrong[:20]:
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--triples-step", type=int, default=81, help="every N-th ordered triple")
    args = parser.parse_args()
    texts = _texts()
    _run("pairs", itertools.permutations(KEYS, 2), texts)
    triples = itertools.islice(itertools.permutations(KEYS, 3), 0, None, args.triples_step)
    _run("triples", triples, texts)


if __name__ == "__main__":
    main()

"""How long the provision reader takes on a 1 MB acceptable-use policy (target: under a second).

    PYTHONPATH=src python benchmarks/bench_provisions.py [--size BYTES]

The policy is built from a handful of fresh-wording list items and sentences repeated to the
size asked for; the first read (lexicon and classifier loading) is timed apart from the read.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

_BLOCK = """## Prohibited uses

You agree not to use the Model, or let others use it, to:

- monitor individuals without their knowledge or follow their movements;
- identify persons from their gait, face or voice;
- provide individualised legal or medical advice without human review;
- generate content intended to mislead voters about an election.

The Licensor reserves the right to restrict, remotely or otherwise, any use that it believes
contravenes this policy. This policy may be updated from time to time, and the version posted
on our website governs. If your products had more than 50 million monthly active users in the
preceding month, you must request a licence, which the Licensor may grant at its sole
discretion.

"""


def main(argv: list[str] | None = None) -> int:
    from openlicense.provisions import read_provisions

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--profile", action="store_true", help="print the top 15 functions")
    args = parser.parse_args(argv)
    text = (_BLOCK * (args.size // len(_BLOCK) + 1))[: args.size]
    started = time.perf_counter()
    read_provisions(_BLOCK)
    warm = time.perf_counter() - started
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        reading = read_provisions(text)
        best = min(best, time.perf_counter() - started)
    print(
        f"{len(text):,} bytes: {len(reading.provisions):,} provisions, {len(reading.hits):,} hits;"
        f" best of 3 reads {best:.2f} s (first small read, loading included: {warm:.2f} s)"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(read_provisions, text)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

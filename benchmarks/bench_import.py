"""What importing openlicense costs, and whether it loads the catalog.

    python benchmarks/bench_import.py [--runs N] [--importtime]

Each import runs in a fresh interpreter (``python -c 'import ...'``), N times; the table gives
the median time of the import itself (measured inside the process, interpreter start-up left
out), the median wall time of the whole process, and what the import left in ``sys.modules``:
whether the catalog package was imported, and whether its data was built or read (the builder
module imported, or ``get_catalog()`` called). ``import openlicense`` and
``import openlicense.judge.rules`` should load no catalog data: the catalog is read on first
use. ``--importtime`` also prints the slowest modules of each import (``python -X importtime``).

This is a benchmark, not a test: it prints figures and never fails on a time.
``tests/test_catalog_data.py`` checks the part that is behaviour (no catalog data on import).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TARGETS = (
    "openlicense",
    "openlicense.catalog",
    "openlicense.normalization",
    "openlicense.judge.rules",
    "openlicense.report",
)

# Runs in the fresh process: time the import, then report what it loaded.
PROBE = """
import json, sys, time
start = time.perf_counter()
import {target}
elapsed = time.perf_counter() - start
cache = sys.modules.get("openlicense.catalog.cache")
built = bool(cache and cache.get_catalog.cache_info().currsize)
print(json.dumps({{
    "seconds": elapsed,
    "catalog_imported": "openlicense.catalog" in sys.modules,
    "catalog_data": built or "openlicense.catalog.load" in sys.modules,
    "modules": sum(1 for m in sys.modules if m.split(".")[0] == "openlicense"),
}}))
"""


def environment() -> dict[str, str]:
    """This checkout's sources first, so the figures are for the code beside this script."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
    )
    return env


def probe(target: str, env: dict[str, str]) -> tuple[dict[str, object], float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(target=target)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


def slowest_modules(target: str, env: dict[str, str], top: int = 8) -> list[tuple[int, str]]:
    """The modules with the largest cumulative import time (microseconds), from -X importtime."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {target}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows: list[tuple[int, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (
            part.strip() for part in line.removeprefix("import time:").split("|")
        )
        rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[1 : top + 1]  # [0] is the target itself


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per import")
    parser.add_argument("--importtime", action="store_true", help="also list the slowest modules")
    args = parser.parse_args()
    env = environment()
    print(f"import cost, median of {args.runs} fresh processes ({sys.executable})")
    header = (
        f"  {'import':<28} {'import ms':>10} {'process ms':>11}  catalog   catalog data  modules"
    )
    print(header)
    for target in TARGETS:
        found: list[dict[str, object]] = []
        walls: list[float] = []
        for _ in range(args.runs):
            result, wall = probe(target, env)
            found.append(result)
            walls.append(wall)
        seconds = statistics.median(float(str(r["seconds"])) for r in found)
        last = found[-1]
        print(
            f"  {target:<28} {seconds * 1000:>10.1f} {statistics.median(walls) * 1000:>11.1f}"
            f"  {'imported' if last['catalog_imported'] else 'no':<9} "
            f"{'LOADED' if last['catalog_data'] else 'not loaded':<13} {last['modules']:>7}"
        )
        if args.importtime:
            for cumulative, name in slowest_modules(target, env):
                print(f"      {cumulative / 1000:>8.1f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

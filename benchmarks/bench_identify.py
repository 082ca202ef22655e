"""Identify a corpus of license files with openlicense and with the ScanCode CLI, in one run.

    python benchmarks/bench_identify.py [FOLDER] [--repeat N] [--skip-scancode]

FOLDER defaults to ../shared/corpus/licenses (else fixtures/identify). The files are copied
into a temporary folder (N times, so the run is long enough to measure), then identified by:

- ``openlicense identify --no-scancode``: the fast path (exact texts, fingerprints, titles);
- ``openlicense identify``: the fast path with the ScanCode fallback for what it cannot settle;
- ``scancode -l --json`` (license detection only, one process).

Each runs as a fresh process, so the times include start-up; peak memory is each process's
maximum resident set size. It prints files per second, the ratio to ScanCode, peak memory, and
agreement with ScanCode on the texts openlicense identified exactly.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(cmd: list[str]) -> tuple[float, int, str]:
    """Wall time, peak RSS in MB and stdout of one command run as a fresh process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed: {text[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024, text


def report(label: str, n: int, seconds: float, mb: int) -> None:
    print(f"  {label:30}{n / seconds:8.1f} files/s  {seconds:7.2f} s  peak {mb:5d} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?")
    parser.add_argument("--repeat", type=int, default=3, help="copies of each file")
    parser.add_argument("--skip-scancode", action="store_true")
    args = parser.parse_args()
    default = ROOT.parent / "shared" / "corpus" / "licenses"
    source = Path(args.folder) if args.folder else default
    if not source.is_dir():
        source = ROOT / "fixtures" / "identify"
    files = sorted(p for p in source.iterdir() if p.is_file() and not p.name.endswith(".tsv"))

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "files"
        work.mkdir()
        for copy in range(args.repeat):
            for f in files:
                shutil.copy(f, work / f"{copy}-{f.name}")
        paths = sorted(str(p) for p in work.iterdir())
        n = len(paths)
        ol = str(BIN / "openlicense")
        env_cache = {"OPENLICENSE_CACHE_DIR": str(Path(tmp) / "cache")}
        os.environ.update(env_cache)
        # Prepare the exact-match index once (as a first run on any machine does), then time.
        run([ol, "identify", "--no-scancode", paths[0]])
        fast_t, fast_mb, fast_out = run(
            [ol, "identify", "--no-scancode", "--format", "json", *paths]
        )
        full_t, full_mb, _ = run([ol, "identify", "--format", "json", *paths])
        print(f"bench_identify: {len(files)} files x {args.repeat} = {n} files from {source}")
        report("openlicense (fast path)", n, fast_t, fast_mb)
        report("openlicense (with ScanCode)", n, full_t, full_mb)
        if args.skip_scancode:
            return
        out_json = Path(tmp) / "scancode.json"
        scancode = [str(BIN / "scancode"), "-l", "--json", str(out_json), "-n", "1", "--quiet"]
        sc_t, sc_mb, _ = run([*scancode, str(work)])
        report("scancode -l", n, sc_t, sc_mb)
        print(
            f"  throughput ratio: fast path {sc_t / fast_t:6.1f}x, "
            f"with ScanCode {sc_t / full_t:5.1f}x (start-up included)"
        )
        agreement(json.loads(fast_out), json.loads(out_json.read_text(encoding="utf-8")))


def agreement(ours: list[dict[str, object]], scancode: dict[str, object]) -> None:
    from openlicense.evaluation import expression_matches
    from openlicense.identification.scancode import to_spdx

    detected: dict[str, str | None] = {}
    for entry in scancode["files"]:  # type: ignore[union-attr]
        name = os.path.basename(entry["path"])  # type: ignore[index]
        expr = entry.get("detected_license_expression")  # type: ignore[union-attr]
        detected[name] = to_spdx(expr) if expr else None
    exact = [r for r in ours if r["method"] == "exact"]
    agree = sum(
        1
        for r in exact
        if (sc := detected.get(os.path.basename(str(r["path"]))))
        and expression_matches(str(r["expression"]), sc)
    )
    print(
        f"  agreement on exact texts: {agree}/{len(exact)} "
        f"({len(exact)} of {len(ours)} files identified exactly by the fast path)"
    )
    for r in exact:
        sc = detected.get(os.path.basename(str(r["path"])))
        if not (sc and expression_matches(str(r["expression"]), sc)):
            name = os.path.basename(str(r["path"]))
            print(f"    differ: {name}: openlicense {r['expression']}, scancode {sc}")


if __name__ == "__main__":
    main()

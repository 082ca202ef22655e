"""Identify a corpus of license files with openlicense and with the ScanCode CLI, in one run.

    python benchmarks/bench_identify.py [FOLDER] [--repeat N] [--skip-scancode]

FOLDER defaults to ../shared/corpus/licenses (else fixtures/identify). The files are copied
into a temporary folder (N times, so the run is long enough to measure), then identified by:

- ``openlicense identify`` (the default engine: exact texts, fingerprints, then openlicense's
  alignment matcher; ScanCode's index is never loaded);
- ``scancode -l --json`` (license detection only, one process).

Each runs as a fresh process, so the times include start-up; peak memory is each process's
maximum resident set size, CPU time its user + system time (the figure a loaded machine skews
least). It prints files per second, the ratio to ScanCode, both peaks, agreement on the files
ScanCode matches with 100 % coverage, and one catalogued file identified in a fresh process.
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


def run(cmd: list[str]) -> tuple[float, int, str, float]:
    """Wall time, peak RSS in MB, stdout and CPU seconds of one command, a fresh process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed: {text[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024, text, usage.ru_utime + usage.ru_stime


def report(label: str, n: int, seconds: float, mb: int, cpu: float) -> None:
    print(
        f"  {label:24}{n / seconds:8.1f} files/s  {seconds:7.2f} s wall  {cpu:7.2f} s CPU"
        f"  peak {mb:5d} MB"
    )


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
        # Prepare the indexes once (as a first run on any machine does), then time: the exact
        # index and the catalog with one file, the aligner's index by loading it.
        run([ol, "identify", paths[0]])
        prepare = "from openlicense.matching.index import default_index; default_index()"
        run([sys.executable, "-c", prepare])
        ol_t, ol_mb, ol_out, ol_cpu = run([ol, "identify", "--format", "json", *paths])
        print(f"bench_identify: {len(files)} files x {args.repeat} = {n} files from {source}")
        print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        report("openlicense identify", n, ol_t, ol_mb, ol_cpu)
        one = next((p for p in files if p.name == "spdx__BSD-2-Clause.txt"), files[0])
        times = [run([ol, "identify", str(one)]) for _ in range(5)]
        print(
            f"  one catalogued file ({one.name}), fresh process, best of 5: "
            f"{min(t[0] for t in times):.3f} s wall, {min(t[3] for t in times):.3f} s CPU, "
            f"peak {min(t[1] for t in times)} MB"
        )
        if args.skip_scancode:
            return
        out_json = Path(tmp) / "scancode.json"
        scancode = [str(BIN / "scancode"), "-l", "--json", str(out_json), "-n", "1", "--quiet"]
        sc_t, sc_mb, _, sc_cpu = run([*scancode, str(work)])
        report("scancode -l", n, sc_t, sc_mb, sc_cpu)
        print(
            f"  throughput ratio: {sc_t / ol_t:6.1f}x wall, {sc_cpu / ol_cpu:6.1f}x CPU "
            f"(start-up included); peak memory {ol_mb} MB vs {sc_mb} MB"
        )
        agreement(json.loads(ol_out), json.loads(out_json.read_text(encoding="utf-8")))


def agreement(ours: list[dict[str, object]], scancode: dict[str, object]) -> None:
    """Agreement on the files ScanCode is fully confident about: every match at 100 %; and on
    those whose answer names no catch-all of ScanCode's own data (``is_generic`` or
    ``is_unknown``: "unknown-license-reference", "proprietary-license", "warranty-disclaimer"),
    which say that some license is referred to, not which."""
    from openlicense import expression as ex
    from openlicense.catalog import get_catalog
    from openlicense.evaluation import expression_matches
    from openlicense.identification.scancode import to_spdx

    catalog = get_catalog()

    def names_a_catch_all(expression: str) -> bool:
        leaves = ex.iter_license_keys(catalog.expression(expression))
        return any((e := catalog.get(leaf.id)) is not None and e.generic for leaf in leaves)

    confident: dict[str, str] = {}
    for entry in scancode["files"]:  # type: ignore[union-attr]
        if entry.get("type") != "file":  # type: ignore[union-attr]
            continue
        matches = [m for d in entry.get("license_detections", []) for m in d["matches"]]  # type: ignore[union-attr]
        expr = entry.get("detected_license_expression")  # type: ignore[union-attr]
        spdx = to_spdx(expr) if expr else None
        if spdx and matches and all(m.get("match_coverage") == 100.0 for m in matches):
            confident[os.path.basename(entry["path"])] = spdx  # type: ignore[index]
    answers = {os.path.basename(str(r["path"])): r for r in ours}
    agree, differ = 0, []
    for name, sc in sorted(confident.items()):
        r = answers.get(name, {})
        mine = r.get("expression") or r.get("variant_of")
        if r.get("expression") and expression_matches(str(r["expression"]), sc):
            agree += 1
        else:
            differ.append((name, sc, mine, r.get("variant_of") is not None))
    print(
        f"  agreement where ScanCode is fully confident: {agree}/{len(confident)} "
        f"({agree / max(1, len(confident)):.1%})"
    )
    named = [name for name, sc in confident.items() if not names_a_catch_all(sc)]
    named_agree = len(named) - sum(1 for d in differ if d[0] in set(named))
    print(
        f"  ... and its answer names no catch-all: {named_agree}/{len(named)} "
        f"({named_agree / max(1, len(named)):.1%})"
    )
    for name, sc, mine, variant in differ:
        print(
            f"    differ: {name}: scancode {sc}, "
            f"openlicense {'a variant of ' if variant else ''}{mine}"
        )


if __name__ == "__main__":
    main()

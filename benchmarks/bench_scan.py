"""Throughput and memory of ``openlicense scan`` on generated corpora, and ScanCode for scale.

    python benchmarks/bench_scan.py [--sizes 1000 10000] [--jobs 1 2] [--scancode-share 0.01]
                                    [--skip-scancode] [--keep DIR]

For each size a corpus is generated in a temporary folder (never committed): about half
standalone license files (standard texts, most with a varying copyright line), a third model
repository folders (a README.md with front matter, half with a LICENSE), a tenth Model Openness
Tool files and the rest flat model cards with their companions. ``--scancode-share`` of the
license files are modified texts that only ScanCode's matcher settles (so every worker loads its
index once, as on a real corpus).

Each run is a fresh process (``openlicense scan --format jsonl --output FILE``), so times include
start-up. Peak memory is reported two ways: the scan process's own ``ru_maxrss`` (from
``os.wait4``: the coordinator, which holds the reorder buffer) and the largest peak resident set
(``VmHWM``, sampled from /proc, Linux only) of its worker processes. Flat memory means both stay
the same from 1,000 to 10,000 items.

Then ScanCode (``scancode -l --json out.json -n 1 --quiet DIR``) and ``openlicense scan -j 1`` run
on the license files of the smallest corpus, for a throughput ratio (not absolute times: they
depend on the machine).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
BIN = Path(sys.executable).parent
SCAN = [
    sys.executable,
    "-c",
    "import sys; from openlicense.cli import main; sys.exit(main(['scan', *sys.argv[1:]]))",
]

# --------------------------------------------------------------------------------------------
# the corpus

STANDARD = ("mit", "apache-2.0", "bsd-new", "isc", "llama-2-license-2023", "cc-by-4.0")
CARD_LICENSES = (
    "license: apache-2.0",
    "license: mit",
    "license: llama2",
    "license: cc-by-nc-4.0",
    "license: openrail",
    "license: other\nlicense_name: acme-model-license\nlicense_link: LICENSE",
)
CARD_BODY = """# {name}

{name} is an open source language model with {size}B parameters.

## Training data

It was trained on the Dolma corpus (3T tokens), described in the data card.

## Limitations and risks

The model can produce inaccurate or biased text; see the evaluation section.
"""


def _texts() -> dict[str, str]:
    from openlicense.catalog.texts import scancode_text

    texts = {key: scancode_text(key) for key in STANDARD}
    missing = [k for k, v in texts.items() if not v]
    if missing:
        raise SystemExit(f"bench_scan: no reference text for {missing} (is scancode installed?)")
    return {k: v for k, v in texts.items() if v}


def _hard_texts() -> list[str]:
    """License texts the fast path cannot settle: modified and custom licenses."""
    paths = sorted((FIXTURES / "rules").glob("*/LICENSE"))
    paths += [FIXTURES / "identify" / n for n in ("mit-noncommercial.txt", "bilingual-license.txt")]
    return [p.read_text(encoding="utf-8") for p in paths if p.is_file()]


def generate(folder: Path, n: int, scancode_share: float) -> dict[str, int]:
    """Write ``n`` items under ``folder``; returns how many of each kind."""
    texts = _texts()
    standard = list(texts.values())
    hard = _hard_texts()
    mot = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "mot").glob("class*.yml"))]
    counts = {"license-file": 0, "hf-repo": 0, "mot": 0, "model-card": 0}
    hard_every = round(1 / scancode_share) if scancode_share > 0 else 0
    for i in range(n):
        bucket = f"{i // 500:03d}"
        slot = i % 20  # 10 license files, 7 repositories, 2 MOT files, 1 flat card
        if slot < 10:
            counts["license-file"] += 1
            if hard_every and counts["license-file"] % hard_every == 0:
                text = hard[i % len(hard)] + f"\nRevision {i}.\n"
            else:
                text = standard[i % len(standard)]
                if i % 3:  # most real files carry their own copyright line
                    text = f"Copyright (c) {2000 + i % 25} Acme Labs {i}\n\n{text}"
            _write(folder / "licenses" / bucket / f"LICENSE-{i:06d}.txt", text)
        elif slot < 17:
            counts["hf-repo"] += 1
            repo = folder / "repos" / bucket / f"model-{i:06d}"
            license_line = CARD_LICENSES[i % len(CARD_LICENSES)]
            card = f"---\n{license_line}\ndatasets:\n- allenai/dolma\n---\n"
            _write(repo / "README.md", card + CARD_BODY.format(name=f"Model {i}", size=i % 70))
            if i % 2:
                _write(repo / "LICENSE", standard[i % 2])  # MIT or Apache-2.0
            _write(repo / "config.json", '{"model_type": "llama"}\n')
        elif slot < 19:
            counts["mot"] += 1
            _write(folder / "mot" / bucket / f"model-{i:06d}.yml", f"# {i}\n{mot[i % len(mot)]}")
        else:
            counts["model-card"] += 1
            prefix = folder / "cards" / bucket / f"owner{i}__model-{i:06d}."
            license_line = CARD_LICENSES[i % 3]
            _write(Path(f"{prefix}README.md"), f"---\n{license_line}\n---\n# Model {i}\n")
            _write(Path(f"{prefix}LICENSE.txt"), standard[i % 2])
    return counts


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------------------------
# measuring


def _children_of() -> dict[int, int]:
    """pid -> parent pid of every process (Linux /proc)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # the command name (field 2) may hold spaces and parentheses: split after the last ")"
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
    return parents


def _hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """The peak resident set of each descendant of a process, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peaks: dict[int, int] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        if not os.path.isdir("/proc"):
            return
        while not self._halt.is_set():
            parents = _children_of()
            tree = {self.pid}
            changed = True
            while changed:
                changed = False
                for pid, parent in parents.items():
                    if parent in tree and pid not in tree:
                        tree.add(pid)
                        changed = True
            for pid in tree - {self.pid}:
                self.peaks[pid] = max(self.peaks.get(pid, 0), _hwm_kb(pid))
            self._halt.wait(0.05)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def measure(cmd: list[str]) -> tuple[float, int, int, str]:
    """Wall seconds, the process's own peak RSS (MB), its largest descendant's (MB), stderr."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        sampler.stop()
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 2):
        raise SystemExit(f"bench_scan: {cmd[0]} exited {code}: {text[-2000:]}")
    workers = max(sampler.peaks.values(), default=0)
    return elapsed, usage.ru_maxrss // 1024, workers // 1024, text


def run_scan(folder: Path, jobs: int, out: Path) -> tuple[float, int, int, dict[str, object]]:
    summary = out.with_suffix(".summary.json")
    cmd = [*SCAN, "--format", "jsonl", "--no-progress", "-j", str(jobs), "--output", str(out)]
    seconds, own, workers, _ = measure([*cmd, "--summary-json", str(summary), str(folder)])
    data = json.loads(summary.read_text())
    lines = sum(1 for _ in out.open("rb"))
    if lines != data["items"]:
        raise SystemExit(f"bench_scan: {lines} lines for {data['items']} items")
    return seconds, own, workers, data


# --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--scancode-share", type=float, default=0.01)
    parser.add_argument("--skip-scancode", action="store_true")
    parser.add_argument("--keep", type=Path, help="generate the corpora here and keep them")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_scan-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for size in args.sizes:
            corpus = work / f"corpus-{size}"
            if not corpus.exists():
                counts = generate(corpus, size, args.scancode_share)
                print(f"generated {size} items in {corpus}: {counts}", flush=True)
            for jobs in args.jobs:
                out = work / f"out-{size}-j{jobs}.jsonl"
                seconds, own, workers, data = run_scan(corpus, jobs, out)
                rows.append((size, jobs, seconds, own, workers, data))
                print(
                    f"  {size} items, {jobs} job(s): {seconds:.1f} s, {size / seconds:.0f} items/s",
                    flush=True,
                )

        print()
        print(f"openlicense scan (process executor; {args.scancode_share:.0%} of license files")
        print("need ScanCode's matcher; times include start-up)")
        print()
        print("| items | jobs | seconds | items/s | speed-up | coordinator peak | worker peak |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        base = {size: seconds for size, jobs, seconds, *_ in rows if jobs == min(args.jobs)}
        for size, jobs, seconds, own, workers, data in rows:
            speedup = base[size] / seconds
            print(
                f"| {size:,} | {jobs} | {seconds:.1f} | {size / seconds:.0f} | {speedup:.2f}x "
                f"| {own} MB | {workers} MB |"
            )
            if data["errors"]:
                print(f"  ({data['errors']} items with errors: {data['error_types']})")

        if not args.skip_scancode:
            compare_scancode(work, min(args.sizes))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def compare_scancode(work: Path, size: int) -> None:
    licenses = work / f"corpus-{size}" / "licenses"
    n = sum(1 for p in licenses.rglob("*") if p.is_file())
    scancode = shutil.which("scancode") or str(BIN / "scancode")
    ol_seconds, ol_own, ol_workers, _ = run_scan(licenses, 1, work / "out-licenses.jsonl")
    sc_out = work / "scancode.json"
    sc_seconds, sc_own, sc_workers, _ = measure(
        [scancode, "-l", "--json", str(sc_out), "-n", "1", "--quiet", str(licenses)]
    )
    detected = json.loads(sc_out.read_text())
    scanned = sum(1 for f in detected.get("files", []) if f.get("type") == "file")
    print()
    print(f"the {n} license files of the {size:,}-item corpus, one process each (with start-up)")
    print()
    print("| tool | files | seconds | files/s | ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| openlicense scan -j 1 | {n} | {ol_seconds:.1f} | {n / ol_seconds:.1f} | "
          f"{sc_seconds / ol_seconds:.1f}x |")  # fmt: skip
    print(
        f"| scancode -l -n 1 | {scanned} | {sc_seconds:.1f} | {scanned / sc_seconds:.1f} | 1.0x |"
    )
    print(
        f"(peak memory: openlicense {ol_own} MB coordinator + {ol_workers} MB worker; "
        f"scancode {max(sc_own, sc_workers)} MB)"
    )


if __name__ == "__main__":
    main()

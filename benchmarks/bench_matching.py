"""The alignment matcher against the ScanCode CLI, whole processes, in one run.

    python benchmarks/bench_matching.py [--spdx N] [--variants N] [--processes P] [--keep DIR]

Builds a folder of license texts: the corpus licenses (../shared/corpus/licenses, when present),
N SPDX license texts from the installed ScanCode data and N variants made from them (rewrapped,
British spelling, copyright line changed, a clause appended). Then identifies the folder

- with ``openlicense.matching`` in one fresh Python process (index already cached: its one-off
  build is timed separately), and
- with ``scancode -l --json`` (license detection only, P processes),

each as a fresh process, so times include start-up; peak memory is each process tree's maximum
resident set size (``os.wait4``, which covers a process's children). It prints throughput, the
ratio, both peaks, and agreement on the files ScanCode matches with 100 % coverage, then times
one catalogued file in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CORPUS = ROOT.parent / "shared" / "corpus" / "licenses"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/licenses")

_MATCHER = """
import json, sys
from pathlib import Path
from openlicense.matching import match_file
out = {}
for path in sorted(Path(sys.argv[1]).iterdir()):
    r = match_file(str(path))
    out[path.name] = {"expression": r.expression, "relation": r.relation, "method": r.method}
json.dump(out, open(sys.argv[2], "w"))
"""

_ONE = """
import sys
from openlicense.matching import match_file
r = match_file(sys.argv[1])
print(r.expression, r.relation)
"""


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str, float]:
    """Wall seconds, peak RSS in MB (the process and its children), stdout and CPU seconds
    (user + system, children included: the figure a loaded machine does not skew)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if status != 0:
        raise SystemExit(f"{cmd[0]} failed with status {status}")
    return elapsed, usage.ru_maxrss / 1024, text, usage.ru_utime + usage.ru_stime


def _variants(text: str, rng: random.Random) -> dict[str, str]:
    paragraphs = re.split(r"\n\s*\n", text)
    wrapped = "\n\n".join(
        textwrap.fill(" ".join(p.split()), 60, break_long_words=False) for p in paragraphs
    )
    british = re.sub(r"\blicense\b", "licence", text)
    notice = "Copyright (c) 2031 Nightjar Foundation. All rights reserved.\n\n" + text
    rider = text + (
        "\n\nADDITIONAL TERM. You shall not use the Software to train a model that competes"
        " with the licensor's products, nor in any medical device.\n"
    )
    kind = rng.choice(["wrapped", "british", "notice", "rider"])
    return {kind: {"wrapped": wrapped, "british": british, "notice": notice, "rider": rider}[kind]}


def build_folder(folder: Path, spdx: int, variants: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from openlicense.matching.references import iter_references

    if CORPUS.is_dir():
        for path in sorted(CORPUS.glob("*.txt")):
            (folder / f"corpus__{path.name}").write_bytes(path.read_bytes())
    texts = [
        (r, t)
        for r, t in iter_references()
        if not r.is_rule and not r.spdx_id.startswith("LicenseRef-") and r.kind == "license"
    ]
    rng = random.Random(9)
    for ref, text in rng.sample(texts, spdx):
        (folder / f"spdx__{ref.spdx_id}.txt").write_text(text, encoding="utf-8")
    for i, (ref, text) in enumerate(rng.sample(texts, variants)):
        for kind, varied in _variants(text, rng).items():
            name = f"variant{i:03d}__{kind}__{ref.spdx_id}.txt"
            (folder / name).write_text(varied, encoding="utf-8")


def scancode_answers(report: Path) -> dict[str, tuple[str | None, bool]]:
    """File name -> (ScanCode's SPDX expression, whether every match has 100 % coverage)."""
    data = json.loads(report.read_text(encoding="utf-8"))
    answers: dict[str, tuple[str | None, bool]] = {}
    for f in data["files"]:
        if f.get("type") != "file":
            continue
        matches = [m for d in f.get("license_detections", []) for m in d["matches"]]
        full = bool(matches) and all(m.get("match_coverage") == 100.0 for m in matches)
        answers[Path(f["path"]).name] = (f.get("detected_license_expression_spdx"), full)
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spdx", type=int, default=60)
    parser.add_argument("--variants", type=int, default=40)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep the folder and reports here")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        folder = work / "texts"
        folder.mkdir(parents=True, exist_ok=True)
        build_folder(folder, args.spdx, args.variants)
        n = len(list(folder.iterdir()))
        print(f"{n} texts in {folder}")

        build_s, build_mb, _, _ = run(
            [sys.executable, "-c", _ONE, str(next(folder.iterdir()))], env
        )
        print(f"index (cached after the first run): {build_s:.2f} s, {build_mb:.0f} MB")

        ours_json = work / "ours.json"
        ours_s, ours_mb, _, ours_cpu = run(
            [sys.executable, "-c", _MATCHER, str(folder), str(ours_json)], env
        )
        sc_json = work / "scancode.json"
        sc_cmd = [str(BIN / "scancode"), "-l", "--json", str(sc_json), "-n", str(args.processes)]
        sc_s, sc_mb, _, sc_cpu = run([*sc_cmd, "--quiet", str(folder)])

        ours = json.loads(ours_json.read_text(encoding="utf-8"))
        theirs = scancode_answers(sc_json)
        full = {name: expr for name, (expr, ok) in theirs.items() if ok and expr}
        agree = [
            name for name, expr in full.items() if ours.get(name, {}).get("expression") == expr
        ]
        differ = sorted(set(full) - set(agree))

        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(
            f"matcher : {ours_s:7.2f} s wall {ours_cpu:7.2f} s CPU  {n / ours_s:8.1f} files/s"
            f"  peak {ours_mb:6.0f} MB"
        )
        print(
            f"scancode: {sc_s:7.2f} s wall {sc_cpu:7.2f} s CPU  {n / sc_s:8.1f} files/s"
            f"  peak {sc_mb:6.0f} MB"
        )
        print(
            f"throughput ratio matcher/scancode: {sc_s / ours_s:.1f}x wall,"
            f" {sc_cpu / ours_cpu:.1f}x CPU"
        )
        print(
            f"agreement where ScanCode matched with 100 % coverage: {len(agree)}/{len(full)}"
            f" ({len(agree) / max(1, len(full)):.1%})"
        )
        for name in differ:
            print(
                f"  differ: {name}: scancode {full[name]!r}, matcher {ours[name]['expression']!r}"
            )

        one = CORPUS / "spdx__Apache-2.0.txt"
        if not one.is_file():
            one = next(folder.iterdir())
        times = [run([sys.executable, "-c", _ONE, str(one)], env) for _ in range(5)]
        best = min(times, key=lambda t: t[0])
        cpu = min(t[3] for t in times)
        print(
            f"one file ({one.name}), fresh process: {best[0]:.3f} s wall, {cpu:.3f} s CPU,"
            f" peak {best[1]:.0f} MB"
        )


if __name__ == "__main__":
    main()

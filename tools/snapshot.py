#!/usr/bin/env python3
"""Record every user-visible output of openlicense on the repository's inputs, to compare two trees.

    python tools/snapshot.py OUT_DIR            # write one file per (command, input)
    python tools/snapshot.py OUT_DIR json text  # check in these formats only (faster)
    diff -r BEFORE_DIR AFTER_DIR                # a refactor must leave this empty

It runs the installed ``openlicense`` command (the one next to this interpreter) in fresh
processes, the way a user does: ``check`` in every output format on every model folder, card,
MOT record and license file under ``fixtures/`` and ``examples/``; ``identify`` on every license
text; ``normalize`` on the example strings; ``scan`` of ``examples/``; and the evaluation when
``../shared/corpus`` is present. Exit statuses are recorded next to the outputs. A refactor that
claims "behaviour preserved" shows an empty ``diff -r`` of two snapshots.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPENLICENSE = Path(sys.executable).parent / "openlicense"
FORMATS = ["text", "json", "sarif", "spdx-json", "spdx-tagvalue", "spdx3", "html"]
# Outputs that stamp the time or a random document namespace are compared after this line.
VOLATILE = ("created", "Created:", "DocumentNamespace:", "documentNamespace", "creationInfo")


def subjects() -> list[Path]:
    found: list[Path] = []
    for base in (ROOT / "fixtures" / "repos", ROOT / "fixtures" / "rules", ROOT / "examples"):
        found += sorted(p for p in base.rglob("*") if p.is_dir() or p.suffix in {".yml", ".md"})
    found += sorted((ROOT / "fixtures" / "mot").glob("*.yml"))
    return found


def license_texts() -> list[Path]:
    texts = sorted((ROOT / "fixtures" / "identify").iterdir())
    texts += sorted((ROOT / "examples" / "licenses").iterdir())
    texts += sorted(p for p in (ROOT / "fixtures" / "rules").rglob("LICENSE*") if p.is_file())
    corpus = ROOT.parent / "shared" / "corpus" / "licenses"
    if corpus.is_dir():
        texts += sorted(corpus.glob("*.txt"))
    return texts


def scrub(text: str) -> str:
    return "\n".join(
        "<volatile>" if any(v in line for v in VOLATILE) else line for line in text.splitlines()
    )


def run(out: Path, name: str, *args: str | Path) -> None:
    proc = subprocess.run(
        [str(OPENLICENSE), *map(str, args)], check=False, capture_output=True, text=True, cwd=ROOT
    )
    body = (
        scrub(proc.stdout)
        + "\n--- stderr\n"
        + scrub(proc.stderr)
        + f"\n--- exit {proc.returncode}\n"
    )
    (out / name).write_text(body, encoding="utf-8")


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    out = Path(sys.argv[1])
    formats = sys.argv[2:] or FORMATS
    out.mkdir(parents=True, exist_ok=True)
    for subject in subjects():
        key = str(subject.relative_to(ROOT)).replace("/", "__")
        for fmt in formats:
            run(out, f"check.{fmt}.{key}", "check", "--format", fmt, subject)
    texts = license_texts()
    run(out, "identify.json", "identify", "--format", "json", *texts)
    run(out, "identify.text", "identify", *texts)
    strings = (ROOT / "examples" / "strings-to-normalize.txt").read_text(encoding="utf-8")
    lines = [s for s in strings.splitlines() if s.strip() and not s.startswith("#")]
    run(out, "normalize.json", "normalize", "--format", "json", *lines)
    run(out, "normalize.text", "normalize", *lines)
    run(out, "scan.jsonl", "scan", "--format", "jsonl", "--jobs", "1", ROOT / "examples")
    run(out, "scan.text", "scan", "--format", "text", "--jobs", "1", ROOT / "examples")
    run(out, "rules", "rules")
    if (ROOT.parent / "shared" / "corpus").is_dir():
        run(out, "evaluate", "evaluate", "--corpus", ROOT.parent / "shared" / "corpus")
    print(f"{len(list(out.iterdir()))} outputs in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

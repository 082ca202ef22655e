#!/usr/bin/env python3
"""Set up openlicense in ./.venv and run one job. Needs only Python 3.11+.

    python3 scripts/dev.py demo    # set up, then run openlicense on the bundled examples
    python3 scripts/dev.py test    # set up, then run ruff, mypy and the test suite
    python3 scripts/dev.py eval    # set up, then print every accuracy figure (corpus, fixtures)
    python3 scripts/dev.py bench   # set up, then run the benchmarks in benchmarks/

Set-up is idempotent: it creates .venv if missing and (re)installs the project with its test
dependencies only when pyproject.toml changed since the last install.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("OPENLICENSE_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def sh(*args: str | Path, check: bool = True) -> int:
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=check).returncode


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be run by an older Python
        sys.exit("openlicense needs Python 3.11 or newer")
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
        sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    stamp = VENV / ".openlicense-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        sh(PY, "-m", "pip", "install", "--quiet", "-e", ".[test]")
        stamp.write_text(digest)
    # An editable install leaves the package's bytecode to the first import, which writes
    # none where PYTHONDONTWRITEBYTECODE is set (CI images): every process would compile the
    # whole package again (about 0.2 s). compileall writes what is missing or stale, quietly.
    subprocess.run(
        [str(PY), "-m", "compileall", "-q", "-j", "0", "src"],
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
    )


def demo() -> int:
    examples = ROOT / "examples"
    # The main job: every model repository, MOT record and license file of the examples,
    # one result each, then the summary.
    sh(BIN / "openlicense", "scan", "--format", "text", examples, check=False)
    strings = (examples / "strings-to-normalize.txt").read_text(encoding="utf-8").splitlines()
    strings = [s for s in strings if s.strip() and not s.startswith("#")]
    sh(BIN / "openlicense", "normalize", *strings, check=False)
    return 0


def test() -> int:
    failed = 0
    failed |= sh(
        PY, "-m", "ruff", "check", "src", "tests", "tools", "benchmarks", "scripts", check=False
    )
    failed |= sh(
        PY,
        "-m",
        "ruff",
        "format",
        "--check",
        "src",
        "tests",
        "tools",
        "benchmarks",
        "scripts",
        check=False,
    )
    failed |= sh(PY, "-m", "mypy", check=False)
    # One test process per CPU (pytest-xdist): the suite is mostly subprocesses and corpus
    # runs, and on CI's two cores it takes about half the time of one process.
    failed |= sh(PY, "-m", "pytest", "-q", "-n", "logical", check=False)
    return 1 if failed else 0


def evaluate() -> int:
    # Every accuracy figure: the labelled corpus (development, with the provision reader's tune,
    # held-out and development rows), then the release fixtures (tune and held-out) and OSI's
    # own validation of the definition.
    failed = sh(BIN / "openlicense", "evaluate", check=False)
    failed |= sh(PY, ROOT / "tools" / "eval_releases.py", check=False)
    return 1 if failed else 0


def bench() -> int:
    rc = 0
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        rc |= sh(PY, script, check=False)
    return rc


JOBS = {"demo": demo, "test": test, "eval": evaluate, "bench": bench}

if __name__ == "__main__":
    job = sys.argv[1] if len(sys.argv) > 1 else "demo"
    if job not in JOBS:
        sys.exit(f"usage: python3 scripts/dev.py [{'|'.join(JOBS)}]")
    setup()
    sys.exit(JOBS[job]())

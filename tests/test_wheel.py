"""The wheel carries the grammar and the catalog, and works from a clean directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (whl,) = out.glob("openlicense-*.whl")
    return whl


def test_wheel_contains_grammar_and_catalog(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "openlicense/grammars/spdx-expression.lark" in names
    for data in ("spdx.json", "scancode.json", "flags.toml", "hf-ids.toml", "aliases.toml"):
        assert f"openlicense/data/{data}" in names
    assert any(n.startswith("openlicense/data/licenses/") for n in names)
    assert "openlicense/py.typed" in names
    grammar = zipfile.ZipFile(wheel).read("openlicense/grammars/spdx-expression.lark").decode()
    assert grammar == (REPO / "grammars" / "spdx-expression.lark").read_text(encoding="utf-8")


def test_installed_wheel_parses_with_its_own_grammar(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import openlicense, openlicense.expression as ex; "
        "from openlicense.normalization import normalize; "
        f"assert openlicense.__file__.startswith({str(target)!r}), openlicense.__file__; "
        "print(normalize('apache 2.0 and mit').expression)"
    )
    # Run from an empty directory with only the unpacked wheel (and the dependencies) on the path.
    env_path = str(target)
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "Apache-2.0 AND MIT"

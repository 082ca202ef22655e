"""The openlicense command, run the way a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from openlicense.cli import main


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("openlicense")
    cmd = [exe] if exe else [sys.executable, "-m", "openlicense"]
    return subprocess.run(
        [*cmd, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_normalize_json_shape() -> None:
    proc = run("normalize", "--format", "json", "Apache 2.0", "Undisclosed")
    assert proc.returncode == 1  # one input does not normalize to an expression
    data = json.loads(proc.stdout)
    assert [d["schema"] for d in data] == ["openlicense/normalized/v1"] * 2
    first, second = data
    assert first["input"] == "Apache 2.0"
    assert first["status"] == "ok"
    assert first["expression"] == "Apache-2.0"
    assert first["osaid_conformant"] is True
    assert first["error"] is None
    assert set(first) >= {"candidates", "matched_by"}
    assert second["status"] == "unknown"
    assert second["expression"] is None


def test_normalize_exit_zero_when_all_ok_and_text_output() -> None:
    proc = run("normalize", "MIT", "gpl-3.0")
    assert proc.returncode == 0, proc.stderr
    assert "MIT" in proc.stdout
    assert "GPL-3.0-only" in proc.stdout
    assert "\x1b[" not in proc.stdout  # piped: no color


def test_normalize_reads_stdin() -> None:
    proc = run("normalize", "--format", "json", stdin="MIT\n\nllama2\n")
    assert proc.returncode == 0
    assert [d["expression"] for d in json.loads(proc.stdout)] == [
        "MIT",
        "LicenseRef-scancode-llama-2-license-2023",
    ]


def test_invalid_expression_error_is_printed() -> None:
    proc = run("normalize", "--strictness", "spdx", "MIT AND")
    assert proc.returncode == 1
    assert "unexpected end of expression" in proc.stdout
    assert "^" in proc.stdout


def test_usage_error_exits_2() -> None:
    assert run("normalize", "--format", "yaml", "MIT").returncode == 2
    assert run().returncode == 2
    assert run("no-such-command").returncode == 2


def test_color_only_when_forced_and_no_color_respected(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    main(["normalize", "MIT"])
    assert "\x1b[32m" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    main(["normalize", "MIT"])
    assert "\x1b[" not in capsys.readouterr().out


def test_evaluate_prints_accuracy(corpus: Path) -> None:
    # One task: the command's wiring, within the subprocess timeout on a loaded machine (every
    # task, the provision figures included, takes minutes there; test_provisions_wiring runs
    # the provision figures on a small set).
    proc = run("evaluate", "--corpus", str(corpus), "--task", "strings")
    assert proc.returncode == 0, proc.stderr
    assert "normalization (gold/strings.tsv)" in proc.stdout


def test_evaluate_without_labels_is_an_error(tmp_path: Path) -> None:
    proc = run("evaluate", "--corpus", str(tmp_path))
    assert proc.returncode == 2
    assert "no gold/" in proc.stderr


def test_import_is_light() -> None:
    """`import openlicense` loads neither the catalog, lark, ScanCode nor license-expression."""
    code = (
        "import sys, openlicense; "
        "heavy = [m for m in ('lark', 'licensedcode', 'license_expression', 'openlicense.catalog') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_installed_scan_command_end_to_end(tmp_path: Path) -> None:
    """`openlicense scan` as a user runs it: piped JSON lines, broken inputs kept, resume."""
    from conftest import FIXTURES

    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "repos" / "olmo-open", corpus / "org" / "olmo-open")
    shutil.copytree(FIXTURES / "rules" / "gated-access" / "repo", corpus / "org" / "gated")
    (corpus / "licenses").mkdir()
    (corpus / "licenses" / "LICENSE-binary").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (corpus / "licenses" / "LICENSE-empty").write_text("", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    first = run("scan", "--format", "jsonl", "--jobs", "2", "--output", str(out), str(corpus))
    assert first.returncode == 2  # two inputs cannot be read
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 4
    assert sum(1 for r in lines if r.get("error")) == 2
    assert "\r" not in first.stderr  # piped: no progress line
    again = run("scan", "--format", "jsonl", "--output", str(out), "--resume", str(corpus))
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
    assert again.returncode == 2


def test_check_writes_each_document_format_through_the_registry(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every document format ``check --format`` offers is the registry's, byte for byte."""
    from conftest import FIXTURES
    from openlicense.cli.check import DOCUMENT_FORMATS
    from openlicense.report import analyze
    from openlicense.report.formats import get_format

    path = FIXTURES / "repos" / "sd-gated-rail"
    report = analyze(path)
    for name in DOCUMENT_FORMATS:
        text = get_format(name)(report)  # every name the command offers is in the registry
        if name not in {"sarif", "html"}:
            continue  # the SPDX documents carry the time they were created
        assert main(["check", "--format", name, str(path)]) == 1  # a flag of severity error
        assert capsys.readouterr().out == text.rstrip("\n") + "\n"

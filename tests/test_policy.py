"""Policies decide pass or fail; the check command's exit status follows them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, REPO
from openlicense.judge.policy import Policy, PolicyError, find_policy
from openlicense.report import analyze

GATED = FIXTURES / "rules" / "gated-access" / "repo"
NC_CLAIM = FIXTURES / "rules" / "open-claim-mismatch" / "repo"


def check(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "openlicense", "check", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def test_default_policy_fails_on_error_flags() -> None:
    report = analyze(NC_CLAIM)
    decision = Policy().decide(report.flags, report.verdict)
    assert not decision.passed
    assert {f.name for f in decision.failing} >= {"open-claim-mismatch", "non-commercial"}


def test_accepted_flags_do_not_fail_and_are_reported(tmp_path: Path) -> None:
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text(
        'fail-on = "warning"\n'
        '[[accept]]\nflag = "gated-access"\nreason = "the gate only asks for an email"\n',
        encoding="utf-8",
    )
    proc = check("--format", "json", "--policy", str(policy_file), str(GATED))
    data = json.loads(proc.stdout)
    # The report says which line of which policy accepted the finding.
    assert data["policy"]["accepted"] == [
        {
            "flag": "gated-access",
            "code": "OL203",
            "reason": "the gate only asks for an email",
            "by": f"{policy_file} line 2",
        }
    ]
    failed = bool(data["policy"]["failing"]) or data["policy"]["verdict_failed"]
    assert proc.returncode == (1 if failed else 0)
    text = check("--policy", str(policy_file), str(GATED)).stdout
    assert f"accepted by {policy_file} line 2: OL203 gated-access" in text


def test_severity_override_and_verdict_failure() -> None:
    report = analyze(GATED)
    strict = Policy.from_table({"severity": {"gated-access": "error"}}, "test")
    assert [f.name for f in strict.decide(report.flags, report.verdict).failing] == ["gated-access"]
    verdicts = Policy.from_table(
        {"fail-on": "never", "fail-verdicts": ["insufficient-information"]}, "test"
    )
    decision = verdicts.decide(report.flags, report.verdict)
    assert decision.verdict_failed is (report.verdict == "insufficient-information")


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ({"fail-on": "sometimes"}, "fail-on"),
        ({"severity": {"no-such-flag": "error"}}, "unknown flag"),
        ({"accept": [{"flag": "gated-access"}]}, "needs a flag and a reason"),
        ({"fail-verdicts": ["open"]}, "unknown verdict"),
        ({"colour": "red"}, "unknown key"),
    ],
)
def test_malformed_policies_are_typed_errors(table: dict[str, object], fragment: str) -> None:
    with pytest.raises(PolicyError, match=fragment):
        Policy.from_table(table, "policy.toml")


def test_pyproject_policy_is_found_from_the_checked_folder(tmp_path: Path) -> None:
    repo = tmp_path / "model"
    repo.mkdir()
    (repo / "README.md").write_text((GATED / "README.md").read_text(encoding="utf-8"), "utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.openlicense]\nfail-on = "never"\n', encoding="utf-8"
    )
    policy = find_policy(repo)
    assert policy is not None
    assert policy.fail_on == "never"
    assert check(str(repo)).returncode == 0


def write_release(folder: Path, card: str, license_text: str | None = None) -> Path:
    folder.mkdir()
    (folder / "README.md").write_text(card, encoding="utf-8")
    if license_text is not None:
        (folder / "LICENSE").write_text(license_text, encoding="utf-8")
    return folder


# An Apache-2.0 card that names its dataset but says nothing of its code: nothing contradicts
# the definition, but required facts are unknown.
UNDECIDED_CARD = (
    "---\nlicense: apache-2.0\ndatasets:\n- example/open-corpus\n---\n# Model\n\nA model.\n"
)


def test_insufficient_information_fails_by_default_and_lists_what_is_missing(
    tmp_path: Path,
) -> None:
    repo = write_release(tmp_path / "undecided", UNDECIDED_CARD)
    report = analyze(repo)
    assert report.verdict == "insufficient-information"
    assert report.unknown
    proc = check(str(repo))
    assert proc.returncode == 1
    assert "the release FAILS" in proc.stdout
    assert "the verdict is insufficient-information; missing: " in proc.stdout
    assert "the release passes" not in proc.stdout
    data = json.loads(check("--format", "json", str(repo)).stdout)
    assert data["policy"]["verdict_failed"] is True
    assert data["policy"]["missing"] == list(report.unknown)


def test_a_policy_accepts_insufficient_information(tmp_path: Path) -> None:
    repo = write_release(tmp_path / "undecided", UNDECIDED_CARD)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.openlicense]\nfail-verdicts = ["not-open-source-ai"]\n', encoding="utf-8"
    )
    proc = check(str(repo))
    assert proc.returncode == 0, proc.stdout
    assert "the release passes" in proc.stdout


def test_not_open_source_ai_fails_even_without_error_flags() -> None:
    report = analyze(GATED)
    decision = Policy(fail_on="never").decide(report.flags, report.verdict)
    assert decision.passed  # "never" never fails
    decision = Policy(severity={f.name: "info" for f in report.flags}).decide(
        report.flags, report.verdict
    )
    assert not decision.failing
    assert decision.passed is (report.verdict == "open-source-ai")


def test_check_exit_codes(tmp_path: Path) -> None:
    assert check(str(NC_CLAIM)).returncode == 1
    assert check("--fail-on", "never", str(NC_CLAIM)).returncode == 0
    assert check(str(tmp_path / "missing")).returncode == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("fail-on = [", encoding="utf-8")
    assert check("--policy", str(bad), str(GATED)).returncode == 2


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "openlicense-check"
    assert hook["entry"].startswith("openlicense check")
    assert hook["pass_filenames"] is False

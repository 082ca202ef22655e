"""The rule registry, one data-driven fixture per rule, and the verdict."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from openlicense.catalog import get_catalog
from openlicense.judge.rules import RULES, get_rule
from openlicense.judge.verdict import assess, expression_freedoms, license_grade
from openlicense.release.files import release_from_expression
from openlicense.report import analyze, analyze_expression

RULE_FIXTURES = sorted(p for p in (FIXTURES / "rules").iterdir() if p.is_dir())


def test_every_flag_has_a_rule_with_full_documentation() -> None:
    catalog = get_catalog()
    assert set(RULES) == set(catalog.flags)
    codes = [r.code for r in RULES.values()]
    assert len(codes) == len(set(codes))
    for rule in RULES.values():
        assert rule.code == catalog.flag(rule.name).code
        assert rule.severity == catalog.flag(rule.name).severity
        for section in ("What it does", "Why it matters", "Example", "How to fix", "References"):
            assert rule.section(section), (rule.name, section)
        assert rule.summary.endswith(".")


def test_rules_are_found_by_name_and_code() -> None:
    assert get_rule("OL102") is RULES["user-threshold"]
    assert get_rule("ol102") is RULES["user-threshold"]
    assert get_rule("user-threshold") is RULES["user-threshold"]
    assert get_rule("no-such-rule") is None


def test_every_rule_has_a_fixture() -> None:
    assert {p.name for p in RULE_FIXTURES} == set(RULES)


@pytest.mark.parametrize("folder", RULE_FIXTURES, ids=lambda p: p.name)
def test_rule_fixture(folder: Path) -> None:
    expect = tomllib.loads((folder / "expect.toml").read_text(encoding="utf-8"))
    report = analyze(folder / expect["path"])
    assert report.error is None, report.error
    raised = {f.name for f in report.flags}
    assert set(expect["raised"]) <= raised, raised
    assert not set(expect.get("absent", [])) & raised, raised
    if "verdict" in expect:
        assert report.verdict == expect["verdict"]
    for flag in report.flags:
        assert flag.code == RULES[flag.name].code
        assert flag.message
        assert flag.fix
        assert flag.evidence.path or flag.evidence.field or flag.evidence.quote
    rule_flags = [f for f in report.flags if f.name == folder.name]
    assert rule_flags, f"the fixture does not raise {folder.name}"


# ---------------------------------------------------------------------------------------------
# freedoms and verdicts of licenses


@pytest.mark.parametrize(
    ("expression", "use", "modify"),
    [
        ("Apache-2.0", "granted", "granted"),
        ("LicenseRef-scancode-llama-2-license-2023", "restricted", "restricted"),
        ("CC-BY-NC-4.0", "restricted", "restricted"),
        ("CC-BY-ND-4.0", "granted", "restricted"),
        ("MIT OR CC-BY-NC-4.0", "granted", "granted"),
        ("MIT AND CC-BY-NC-4.0", "restricted", "restricted"),
        ("LicenseRef-nobody-knows", "unknown", "unknown"),
    ],
)
def test_expression_freedoms(expression: str, use: str, modify: str) -> None:
    freedoms = expression_freedoms(expression)
    assert freedoms["use"].status == use
    assert freedoms["modify"].status == modify
    if use == "restricted":
        assert freedoms["use"].reasons


def test_restriction_reasons_cite_the_clause() -> None:
    reasons = expression_freedoms("LicenseRef-scancode-llama-2-license-2023")["use"].reasons
    assert any("user-threshold" in r and "700 million" in r for r in reasons)


@pytest.mark.parametrize(
    ("expression", "verdict"),
    [
        ("Apache-2.0", "insufficient-information"),  # weights only: code and data not described
        ("llama2", "not-open-source-ai"),
        ("CC-BY-NC-4.0", "not-open-source-ai"),
        ("other", "insufficient-information"),
    ],
)
def test_verdict_of_a_bare_expression(expression: str, verdict: str) -> None:
    assessment = assess(release_from_expression(expression))
    assert assessment.verdict == verdict
    assert assessment.reasons


@pytest.mark.parametrize(
    ("expression", "grade"),
    [
        ("Apache-2.0", "open"),
        ("CC-BY-4.0", "open"),
        ("CC-BY-NC-4.0", "partial"),
        ("LicenseRef-scancode-llama-2-license-2023", "closed"),
        ("LicenseRef-scancode-bigscience-open-rail-m2", "closed"),
        (None, "closed"),
    ],
)
def test_license_grade(expression: str | None, grade: str) -> None:
    assert license_grade(expression)[0] == grade


def test_report_json_shape() -> None:
    data = analyze_expression("llama2").to_dict()
    assert data["schema"] == "openlicense/report/v1"
    assert set(data) >= {
        "subject", "components", "verdict", "freedoms", "mof_class", "openness", "flags", "errors",
    }  # fmt: skip
    assert data["verdict"] == "not-open-source-ai"
    assert set(data["freedoms"]) == {"use", "study", "modify", "share"}
    assert set(data["freedoms"]["use"]) == {"status", "reasons"}
    assert set(data["openness"]) == {
        "open-code", "open-license", "input-transparency", "misuse-transparency", "open-standards",
    }  # fmt: skip
    assert data["components"][0]["component"] == "parameters"
    assert data["mof_class"] in {"I", "II", "III", "unclassified"}


def test_unreadable_release_is_a_report_with_an_error(tmp_path: Path) -> None:
    report = analyze(tmp_path / "missing-LICENSE")
    assert report.error is not None
    assert report.error_type == "MissingInputError"
    assert report.to_dict()["verdict"] is None


def test_generated_docs_are_up_to_date() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, str(REPO / "tools" / "gen_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_conflict_compares_own_ids_exactly() -> None:
    """Two different LicenseRef-openlicense ids are two licenses (the evaluation's wildcard
    for such ids must not leak into the rules)."""
    from openlicense.judge.rules import _same

    catalog = get_catalog()
    assert not _same(
        "LicenseRef-openlicense-llama-3-2024-04-18",
        "LicenseRef-openlicense-mistral-mrl-0.1",
        catalog,
    )
    assert _same("MIT AND Apache-2.0", "Apache-2.0 AND MIT", catalog)

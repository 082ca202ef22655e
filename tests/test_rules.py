"""The rule registry, one data-driven fixture per rule, and the verdict."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, REPO
from openlicense.catalog import get_catalog
from openlicense.judge.rules import RULES, get_rule
from openlicense.judge.verdict import assess, expression_freedoms, license_grade
from openlicense.model import FREEDOMS, Flag
from openlicense.release.files import release_from_expression
from openlicense.report import analyze, analyze_expression

RULE_FIXTURES = sorted(p for p in (FIXTURES / "rules").iterdir() if p.is_dir())


def _expect(folder: Path) -> dict[str, Any]:
    return tomllib.loads((folder / "expect.toml").read_text(encoding="utf-8"))


def _where(flag: Flag, folder: Path) -> tuple[str, str | None, int | None, str | None]:
    path = flag.evidence.path
    rel = Path(path).relative_to(folder).as_posix() if path else None
    return (flag.name, rel, flag.evidence.line, flag.evidence.field)


def test_every_flag_of_the_vocabulary_has_a_fixture() -> None:
    assert {p.name for p in RULE_FIXTURES} == set(RULES)


@pytest.mark.parametrize("folder", RULE_FIXTURES, ids=lambda p: p.name)
def test_rule_fixture_emits_exactly_where_expected(folder: Path) -> None:
    """The fixture raises its rule, and every flag it raises (the rule's and any other) is
    pinned with its file, line and quote: an extra or a moved flag fails."""
    expect = _expect(folder)
    report = analyze(folder / expect["path"])
    assert report.error is None, report.error
    if "verdict" in expect:
        assert report.verdict == expect["verdict"]
    wanted = [
        (e["flag"], e.get("path"), e.get("line"), e.get("field")) for e in expect.get("emit", [])
    ]
    got = [_where(f, folder) for f in report.flags]
    assert sorted(got, key=repr) == sorted(wanted, key=repr)
    assert any(name == folder.name for name, *_ in got), f"{folder.name} not raised"
    for e in expect.get("emit", []):
        if "quote" in e:
            flag = next(
                f
                for f in report.flags
                if _where(f, folder)[:3] == (e["flag"], e.get("path"), e.get("line"))
            )
            assert e["quote"] in (flag.evidence.quote or ""), flag.evidence.quote
    lowered = {
        (e["flag"], e.get("path"), e.get("line"), e.get("field")): e["severity"]
        for e in expect.get("emit", [])
        if "severity" in e
    }
    for flag in report.flags:
        rule = RULES[flag.name]
        # An emit may pin a severity the rule lowers for that finding (a conflict between two
        # open licenses is a warning); any other flag has its rule's.
        severity = lowered.get(_where(flag, folder), rule.severity)
        assert (flag.code, flag.severity) == (rule.code, severity)
        assert flag.message
        assert flag.fix == rule.fix


@pytest.mark.parametrize("folder", RULE_FIXTURES, ids=lambda p: p.name)
def test_rule_near_miss_raises_nothing(folder: Path) -> None:
    clean = _expect(folder)["clean"]
    report = analyze(folder / clean["path"])
    assert report.error is None, report.error
    assert [_where(f, folder) for f in report.flags] == [
        (e["flag"], e.get("path"), e.get("line"), e.get("field")) for e in clean.get("emit", [])
    ]
    assert folder.name not in {f.name for f in report.flags}
    if "verdict" in clean:
        assert report.verdict == clean["verdict"]


def test_rules_are_found_by_name_and_code() -> None:
    assert get_rule("OL102") is RULES["user-threshold"]
    assert get_rule("ol102") is RULES["user-threshold"]
    assert get_rule(" user-threshold ") is RULES["user-threshold"]
    assert get_rule("no-such-rule") is None


@pytest.mark.parametrize("name", list(RULES), ids=str)
def test_a_rule_documents_what_it_flags_and_how_to_fix_it(name: str) -> None:
    rule = RULES[name]
    for section in ("What it does", "Why it matters", "Example", "How to fix", "References"):
        assert rule.section(section), section
    assert rule.summary.endswith(".")
    assert rule.fix
    assert "\n\n" not in rule.fix


@pytest.mark.parametrize("name", list(RULES), ids=str)
def test_a_license_term_rule_concerns_a_freedom_its_clause_bears_on(name: str) -> None:
    """``concerns`` and ``restricts`` are one record's two facts: the freedom the rule is about
    is one its clauses restrict (``brand-requirement`` burdens sharing, restricting none)."""
    rule = RULES[name]
    if rule.scope == "license-term":
        assert rule.concerns in FREEDOMS
        assert rule.concerns in rule.restricts or not rule.restricts
    else:
        assert not rule.restricts
    assert tuple(get_catalog().flag(name).restricts) == rule.restricts


def test_a_rule_without_its_documentation_is_refused() -> None:
    from openlicense.judge.rules.registry import rule

    def check(ctx: Any) -> Any:
        """Flags nothing."""
        yield from ()

    with pytest.raises(AssertionError, match="What it does"):
        rule("gated-access")(check)


def test_registering_the_rules_loads_no_catalog() -> None:
    import subprocess
    import sys

    code = (
        "import openlicense.judge.rules as r, openlicense.catalog as c; "
        "assert c.get_catalog.cache_info().currsize == 0; "
        "list(r.RULES.values()); "
        "assert c.get_catalog.cache_info().currsize == 0, 'reading the registry loaded it'"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


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
    from openlicense.judge.rules.licenses import _same

    catalog = get_catalog()
    assert not _same(
        "LicenseRef-openlicense-llama-3-2024-04-18",
        "LicenseRef-openlicense-mistral-mrl-0.1",
        catalog,
    )
    assert _same("MIT AND Apache-2.0", "Apache-2.0 AND MIT", catalog)

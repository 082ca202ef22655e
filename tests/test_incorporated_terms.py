"""A license binds by the policies it incorporates by reference (issue 11).

The Llama 2 Community License incorporates the Llama 2 Acceptable Use Policy; the policy says
its most recent copy governs, so the license's terms are changeable although its own text has
no such clause. The cards below are written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from openlicense.catalog import get_catalog
from openlicense.judge.rules.terms import _incorporated
from openlicense.model import Flag
from openlicense.report import analyze

LLAMA2_AUP = "LicenseRef-openlicense-llama-2-aup-2023"


def _card(tmp_path: Path, front: str, body: str = "# Shrike-7B\n\nA chat model.\n") -> Path:
    (tmp_path / "README.md").write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
    (tmp_path / "model.safetensors").write_bytes(b"")
    return tmp_path


def _flag(flags: tuple[Flag, ...], name: str) -> Flag | None:
    found = [f for f in flags if f.name == name]
    assert len(found) <= 1, found
    return found[0] if found else None


def test_a_license_declared_by_id_is_changeable_through_its_policy(tmp_path: Path) -> None:
    report = analyze(_card(tmp_path, "license: llama2"))
    flag = _flag(report.flags, "terms-changeable")
    assert flag is not None
    assert flag.source == f"catalog:{LLAMA2_AUP}"
    assert "which incorporates Llama 2 Acceptable Use Policy" in flag.message
    assert flag.evidence.quote == "The most recent copy of this policy can be found at"
    assert Path(flag.evidence.path or "").name == "README.md"
    # The license's own clause comes first, the policy's after it, in one flag.
    fou = _flag(report.flags, "field-of-use-restriction")
    assert fou is not None
    quotes = [e.quote or "" for e in fou.all_evidence]
    assert "incorporated by reference" in quotes[0]
    assert quotes[1].startswith("You agree you will not use")


def test_a_derivative_relabelled_is_bound_by_the_base_models_policy(tmp_path: Path) -> None:
    body = "# Shrike-7B\n\nShrike-7B continues the pre-training of Llama 2 7B on legal text.\n"
    front = "license: apache-2.0\nbase_model: meta-llama/Llama-2-7b-hf"
    report = analyze(_card(tmp_path, front, body))
    assert report.verdict == "not-open-source-ai"
    flag = _flag(report.flags, "terms-changeable")
    assert flag is not None
    assert flag.source == f"catalog:{LLAMA2_AUP}"


@pytest.mark.parametrize("hf_id", ["gemma", "llama3"])
def test_other_licenses_with_an_updatable_policy(tmp_path: Path, hf_id: str) -> None:
    report = analyze(_card(tmp_path, f"license: {hf_id}"))
    assert _flag(report.flags, "terms-changeable") is not None


@pytest.mark.parametrize("hf_id", ["apache-2.0", "cc-by-nc-4.0"])
def test_a_license_without_such_a_policy_is_not_changeable(tmp_path: Path, hf_id: str) -> None:
    report = analyze(_card(tmp_path, f"license: {hf_id}"))
    assert _flag(report.flags, "terms-changeable") is None


def test_incorporation_is_followed_once_each() -> None:
    catalog = get_catalog()
    llama2 = catalog["LicenseRef-scancode-llama-2-license-2023"]
    assert [p.id for p in _incorporated(llama2, catalog)] == [LLAMA2_AUP]
    # every incorporating entry terminates, however its policies refer to each other
    for entry in catalog:
        ids = [p.id for p in _incorporated(entry, catalog)]
        assert len(ids) == len(set(ids))
        assert entry.id not in ids


def test_a_license_file_binds_by_its_policy_unless_the_policy_is_read(
    tmp_path: Path, corpus: Path
) -> None:
    licenses = corpus / "licenses"
    folder = _card(tmp_path, "license: llama2")
    (folder / "LICENSE").write_text(
        (licenses / "meta__llama2_LICENSE.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    flag = _flag(analyze(folder).flags, "terms-changeable")
    assert flag is not None
    assert flag.source == f"catalog:{LLAMA2_AUP}"
    assert Path(flag.evidence.path or "").name == "LICENSE"
    # With the policy's own text beside it, the policy file is the evidence, once.
    (folder / "USE_POLICY.md").write_text(
        (licenses / "meta__llama2_USE_POLICY.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    report = analyze(folder)
    flag = _flag(report.flags, "terms-changeable")
    assert flag is not None
    assert [Path(e.path or "").name for e in flag.all_evidence] == ["USE_POLICY.md"]

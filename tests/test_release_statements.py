"""Issue 11: every license statement of a repository, derivatives, withheld code and data,
gates and claims in prose, MOT's unlisted components. One fixture per shape, in
fixtures/repos/i11-*, written for these tests (not the release-evaluation fixtures); each case
pins the line a fact was read from, and where a fact must not be read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from openlicense.model import Component, Release
from openlicense.release.basemodels import resolve_base_licenses
from openlicense.release.hf import read_hf_repo
from openlicense.release.mot import read_mot
from openlicense.report import analyze

REPOS = FIXTURES / "repos"


def _read(name: str) -> Release:
    return resolve_base_licenses(read_hf_repo(REPOS / name))


def _named(release: Release, name: str) -> Component:
    return next(c for c in release.components if c.name == name)


def _where(c: Component) -> set[tuple[str, int | None]]:
    return {(Path(s.path or "").relative_to(REPOS).as_posix(), s.line) for s in c.sources}


def _flags(name: str) -> list[str]:
    return [f.name for f in analyze(REPOS / name).flags]


# --------------------------------------------------------------------------------------------
# item 1: which license covers which component and model


def test_code_license_file_and_weights_licensed_in_the_readme() -> None:
    release = _read("i11-code-license-weights-readme")
    params = release.component("parameters")
    assert [(c.expression, _where(c)) for c in params] == [
        (
            "LicenseRef-scancode-tongyi-qianwen-2023",
            {("i11-code-license-weights-readme/README.md", 17)},
        ),
        (
            "LicenseRef-openlicense-alibaba-tongyi-qianwen-research-2023-11-30",
            {("i11-code-license-weights-readme/README.md", 18)},
        ),
    ]
    code = _named(release, "Inference code")
    assert code.expression == "Apache-2.0"
    assert ("i11-code-license-weights-readme/LICENSE", 1) in _where(code)
    # The Apache-2.0 LICENSE covers the code, not the weights.
    assert all("Apache" not in (c.expression or "") for c in params)


def test_license_table_linking_one_license_per_model() -> None:
    release = _read("i11-model-license-table")
    params = release.component("parameters")
    assert {c.expression for c in params} == {
        "Apache-2.0",
        "LicenseRef-openlicense-unlisted-tern-chat-evaluation-license",
    }
    by_license = {c.expression: _where(c) for c in params}
    assert by_license["Apache-2.0"] == {
        ("i11-model-license-table/README.md", 5),
        ("i11-model-license-table/models/tern-embed/LICENSE", 1),
    }
    flags = analyze(REPOS / "i11-model-license-table").flags
    nc = [f for f in flags if f.name == "non-commercial"]
    assert [(Path(f.evidence.path or "").name, f.evidence.line) for f in nc] == [("LICENSE", 3)]
    assert "missing-license" not in {f.name for f in flags}


def test_a_sentence_carried_over_a_line_break_keeps_its_subject() -> None:
    release = _read("i11-vendor-inference-only")
    (params,) = release.component("parameters")
    assert params.expression == "Apache-2.0"
    assert _where(params) == {("i11-vendor-inference-only/README.md", 4)}
    assert _named(release, "Inference code").expression == "MIT"


# --------------------------------------------------------------------------------------------
# item 2: derivatives named in the body


@pytest.mark.parametrize(
    ("name", "base", "line", "expression"),
    [
        ("i11-zh-llama2-continued", "Llama-2-7B", 9,
         "MIT AND LicenseRef-scancode-llama-2-license-2023"),
        ("i11-llama1-in-prose", "LLaMA-65B", 7,
         "Apache-2.0 AND LicenseRef-scancode-llama-license-2023"),
    ],
)  # fmt: skip
def test_base_named_in_prose_binds_the_weights(
    name: str, base: str, line: int, expression: str
) -> None:
    release = _read(name)
    assert [(b.name, b.source.line if b.source else None) for b in release.base_models] == [
        (base, line)
    ]
    (params,) = release.component("parameters")
    assert params.expression == expression
    assert (f"{name}/README.md", line) in _where(params)
    assert "license-conflict" in _flags(name)


def test_llama1_terms_reach_the_report() -> None:
    assert {"non-commercial", "geographic-restriction", "licensor-control"} <= set(
        _flags("i11-llama1-in-prose")
    )


# --------------------------------------------------------------------------------------------
# item 3: withheld training code


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("i11-code-license-weights-readme", 12),  # "recipes we used for pretraining ... private"
        ("i11-vendor-inference-only", 3),  # "ships the inference code for"
        ("i11-zh-llama2-continued", 11),  # 训练脚本暂未开源
        ("i11-llama1-in-prose", 8),  # "fine-tuning scripts are not public"
    ],
)  # fmt: skip
def test_training_code_withheld_where_the_text_says_so(name: str, line: int) -> None:
    training = _named(_read(name), "Training code")
    assert training.available is False
    assert _where(training) == {(f"{name}/README.md", line)}
    assert "withheld-training-code" in _flags(name)


def test_training_code_shipped_in_the_folder() -> None:
    training = _named(_read("i11-model-license-table"), "Training code")
    assert training.available is True
    assert training.expression == "MIT"


def test_a_card_that_says_nothing_of_its_code_leaves_it_unknown() -> None:
    assert _named(_read("i11-gated-in-prose"), "Training code").available is None


MOT_OMITTING = """\
framework: {name: Model Openness Framework, version: '1.0', date: '2024-12-15'}
release:
  name: Omitter
  version: 9B
  producer: Fixture Labs
  license: {}
  components:
    - name: Model architecture
      license: Apache-2.0
    - name: Model parameters (Final)
      license: Apache-2.0
"""

MOT_UNLICENSED = MOT_OMITTING.replace(
    "    - name: Model parameters (Final)\n      license: Apache-2.0",
    "    - name: Model parameters (Final)\n      license: unlicensed",
)


def test_mot_components_not_listed_were_not_released(tmp_path: Path) -> None:
    path = tmp_path / "Omitter.yml"
    path.write_text(MOT_OMITTING, "utf-8")
    release = read_mot(path)
    withheld = {c.name for c in release.components if c.available is False}
    assert {"Training code", "Inference code", "Data preprocessing code", "Data card"} <= withheld
    report = analyze(path)
    assert report.verdict == "not-open-source-ai"
    assert {"withheld-training-code", "withheld-training-data"} <= {f.name for f in report.flags}


def test_mot_unlicensed_weights_are_not_under_approved_terms(tmp_path: Path) -> None:
    path = tmp_path / "Omitter.yml"
    path.write_text(MOT_UNLICENSED, "utf-8")
    params = _named(read_mot(path), "Model parameters (Final)")
    # Published, and declared as under no license: the judge, not the reader, decides that
    # nothing grants the four freedoms.
    assert params.available is True
    assert params.license is not None
    assert params.license.status == "none"
    report = analyze(path)
    assert report.verdict == "not-open-source-ai"
    assert "non-conforming: Model parameters (Final): license is not OSAID-conformant" in (
        report.reasons
    )


# --------------------------------------------------------------------------------------------
# item 4: training data described or only counted


@pytest.mark.parametrize(
    ("name", "described", "line"),
    [
        ("i11-model-license-table", True, 8),  # a table of sources with shares
        ("i11-zh-llama2-continued", False, 9),  # 300 亿 token 的中文网页语料: a count
        ("i11-code-license-weights-readme", False, None),  # "900 billion tokens across 5 languages"
    ],
)
def test_training_data_described_from_sources_and_composition(
    name: str, described: bool, line: int | None
) -> None:
    data = _named(_read(name), "Data card")
    assert data.available is described
    assert [s.line for s in data.sources] == [line]
    assert ("withheld-training-data" in _flags(name)) is (not described)


# --------------------------------------------------------------------------------------------
# item 5: gates and claims in prose


def test_gate_written_in_prose() -> None:
    release = _read("i11-gated-in-prose")
    assert release.gated is True
    assert release.gated_source is not None
    assert release.gated_source.line == 7


def test_comparisons_tools_and_thanks_are_not_claims() -> None:
    release = _read("i11-claims-vs-comparisons")
    assert release.claims == ()
    assert "open-claim-mismatch" not in _flags("i11-claims-vs-comparisons")


def test_we_open_source_is_a_claim_and_zh_negation_is_not() -> None:
    assert [c.source.line for c in _read("i11-code-license-weights-readme").claims] == [4]
    assert _read("i11-zh-llama2-continued").claims == ()


# --------------------------------------------------------------------------------------------
# item 7: a one-line NOTICE holds no clauses


def test_one_line_notice_is_not_cited_for_clauses() -> None:
    release = _read("i11-one-line-notice")
    (notice,) = release.files
    assert notice.kind == "notice"
    assert notice.flags == ()
    flags = analyze(REPOS / "i11-one-line-notice").flags
    assert all(Path(f.evidence.path or "").name != "NOTICE" for f in flags)
    names = [f.name for f in flags]
    assert len(names) == len(set(names))


def test_nothing_said_of_the_data_cites_the_card_not_a_missing_field() -> None:
    data = _named(_read("i11-gated-in-prose"), "Data card")
    assert [(s.line, s.field) for s in data.sources] == [(None, None)]


def test_a_base_binds_a_derivative_that_declares_restrictive_terms_of_its_own(
    tmp_path: Path,
) -> None:
    """A card under CC-BY-NC of its own over the original LLaMA keeps its label, and LLaMA's
    clauses still bind it: they are raised at the line that names the base."""
    repo = tmp_path / "kite-13b"
    repo.mkdir()
    (repo / "README.md").write_text(
        "---\nlicense: cc-by-nc-4.0\n---\n# Kite-13B\n\n"
        "Kite-13B is a fine-tune of LLaMA-13B on tutoring dialogues.\n",
        encoding="utf-8",
    )
    report = analyze(repo)
    flags = {f.name: f for f in report.flags}
    assert {"license-conflict", "non-commercial", "geographic-restriction"} <= set(flags)
    assert flags["geographic-restriction"].evidence.line == 6
    assert "derived from LLaMA-13B" in flags["geographic-restriction"].message


@pytest.mark.parametrize(
    "sentence",
    [
        "We are not releasing the training scripts.",
        "The fine-tuning code isn't yet published.",
        "We have not released our training code.",
    ],
)
def test_training_code_withheld_in_progressive_and_perfect_forms(
    tmp_path: Path, sentence: str
) -> None:
    repo = tmp_path / "kite"
    repo.mkdir()
    (repo / "README.md").write_text(
        f"---\nlicense: mit\n---\n# Kite\n\n{sentence}\n", encoding="utf-8"
    )
    training = _named(read_hf_repo(repo), "Training code")
    assert training.available is False


def _repo(tmp_path: Path, card: str, **files: str) -> Path:
    repo = tmp_path / "kite"
    for name, text in {"README.md": card, **files}.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    return repo


def test_a_line_licensing_the_code_is_not_a_second_declaration(tmp_path: Path) -> None:
    from openlicense.catalog.texts import scancode_text

    repo = _repo(
        tmp_path,
        "---\nlicense: apache-2.0\n---\n# Kite\n\n## License\n\n"
        "The model weights are released under the Apache License 2.0 (`LICENSE`).\n"
        "The code in `train/` is released under the MIT License (`train/LICENSE`).\n",
        **{
            "LICENSE": scancode_text("apache-2.0") or "",
            "train/LICENSE": scancode_text("mit") or "",
        },
    )
    assert "license-conflict" not in [f.name for f in analyze(repo).flags]


def test_two_open_labels_that_disagree_warn_and_the_verdict_decides(tmp_path: Path) -> None:
    """Metadata MIT, text Apache-2.0: which applies is unclear, not whether it is open."""
    from openlicense.judge.policy import Policy

    repo = _repo(
        tmp_path,
        "---\nlicense: mit\n---\n# Kite\n\n"
        "The weights are licensed under the Apache License 2.0.\n",
    )
    report = analyze(repo)
    (conflict,) = [f for f in report.flags if f.name == "license-conflict"]
    assert conflict.severity == "warning"
    assert "both grant the four freedoms" in conflict.message
    decision = Policy().decide(report.flags, report.verdict)
    assert conflict not in decision.failing
    repo2 = _repo(
        tmp_path / "nc",
        "---\nlicense: mit\n---\n# Kite\n\nThe weights are licensed under CC-BY-NC-4.0.\n",
    )
    (conflict,) = [f for f in analyze(repo2).flags if f.name == "license-conflict"]
    assert conflict.severity == "error"

"""Issue 11, seventh fixture round: what a card says in tables, in Setext sections, by reference
to its base, and in elliptical sentences. Each case is a small card written here, with the line
a fact must be read from, and a near miss that must not be read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from openlicense.model import Release
from openlicense.release.basemodels import AS_BASE, resolve_base_licenses
from openlicense.release.hf import read_hf_repo
from openlicense.release.hf.markdown import _Body

LLAMA1 = "LicenseRef-scancode-llama-license-2023"


def _folder(tmp_path: Path, body: str, front: str = "", name: str = "kestrel-13b") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    head = f"---\n{front}---\n" if front else ""
    (folder / "README.md").write_text(head + body, encoding="utf-8")
    (folder / "model.safetensors").write_bytes(b"")
    return folder


def _repo(tmp_path: Path, body: str, front: str = "") -> Release:
    return resolve_base_licenses(read_hf_repo(_folder(tmp_path, body, front)))


def _weights(release: Release) -> list[tuple[str | None, set[int | None]]]:
    return [(c.expression, {s.line for s in c.sources}) for c in release.component("parameters")]


def _bases(release: Release) -> list[tuple[str, int | None]]:
    return [(b.name, b.source.line if b.source else None) for b in release.base_models]


def _training_code(release: Release) -> tuple[bool | None, set[int | None]]:
    code = next(c for c in release.components if c.name == "Training code")
    return code.available, {s.line for s in code.sources}


# --------------------------------------------------------------------------------------------
# Markdown: Setext headings


def test_setext_headings_are_headings_and_their_underlines_say_nothing() -> None:
    body = _Body.parse("# Kestrel\n\nBase model\n----------\n\nLLaMA 13B.\n\nNotes\n=====\n", 0)
    assert [(h.title, h.level, h.index) for h in body.headings] == [
        ("Kestrel", 1, 0),
        ("Base model", 2, 2),
        ("Notes", 1, 7),
    ]
    assert body.plain[3] == ""
    assert all(u.text != "----------" for u in body.units)


def test_a_rule_under_a_paragraph_of_several_lines_is_not_an_underline() -> None:
    body = _Body.parse("Intro.\n\nOne line\nand another\n---\n", 0)
    assert body.headings == ()


# --------------------------------------------------------------------------------------------
# licenses in tables


def test_a_license_row_of_a_summary_table_states_the_license(tmp_path: Path) -> None:
    release = _repo(
        tmp_path,
        "# Kestrel-13B\n\n| | |\n| --- | --- |\n| Parameters | 13B |\n| Licence | MIT |\n",
    )
    assert _weights(release) == [("MIT", {6})]


def test_a_row_that_only_mentions_a_license_name_is_not_a_statement(tmp_path: Path) -> None:
    release = _repo(tmp_path, "# Kestrel-13B\n\n| Benchmark | MIT |\n| --- | --- |\n| a | 1 |\n")
    assert _weights(release) == [(None, set())]


def test_a_license_column_gives_each_model_its_license(tmp_path: Path) -> None:
    release = _repo(
        tmp_path,
        "# Kestrel\n\n## Models\n\n"
        "| Checkpoint | Size | Weights licence |\n| --- | --- | --- |\n"
        "| Kestrel-34B | 34B | CC-BY-NC-4.0 |\n| Kestrel-8B | 8B | Apache-2.0 |\n",
    )
    assert sorted(_weights(release), key=str) == [("Apache-2.0", {8}), ("CC-BY-NC-4.0", {7})]


def test_a_table_of_datasets_with_their_licenses_licenses_no_weights(tmp_path: Path) -> None:
    release = _repo(
        tmp_path,
        "# Kestrel\n\n## Training data\n\n"
        "| Dataset | Share | License |\n| --- | --- | --- |\n"
        "| field-notes | 60% | CC-BY-NC-4.0 |\n",
    )
    assert _weights(release) == [(None, set())]


# --------------------------------------------------------------------------------------------
# a license stated as the base model's


def test_same_licence_as_the_base_is_the_base_license(tmp_path: Path) -> None:
    release = _repo(
        tmp_path,
        "# Kestrel-13B\n\nKestrel-13B is a fine-tune of the original LLaMA 13B.\n\n"
        "## Licence\n\nKestrel-13B carries the same licence as LLaMA itself.\n",
    )
    assert _weights(release) == [(LLAMA1, {7, 3})]


def test_a_terms_row_inherited_from_the_base(tmp_path: Path) -> None:
    release = _repo(
        tmp_path,
        "# Kestrel-13B\n\nBuilt on top of the original LLaMA 13B.\n\n"
        "| | |\n| --- | --- |\n| Terms | inherited from the base model |\n",
    )
    assert _weights(release) == [(LLAMA1, {3, 7})]


def test_a_license_by_reference_without_a_known_base_stays_unknown(tmp_path: Path) -> None:
    release = _repo(tmp_path, "# Kestrel-13B\n\nThe weights carry the same licence as the base.\n")
    (params,) = release.component("parameters")
    assert params.license is not None
    assert params.license.matched_by == AS_BASE
    assert params.expression is None


def test_a_derivative_that_states_no_license_has_none(tmp_path: Path) -> None:
    # gold/cards.jsonl: a LLaMA merge whose card names no license is missing-license, base or not
    text = "# Kestrel-13B\n\nKestrel-13B is a fine-tune of the original LLaMA.\n"
    release = _repo(tmp_path, text)
    assert _weights(release) == [(None, set())]


# --------------------------------------------------------------------------------------------
# base models named in new forms


@pytest.mark.parametrize(
    ("text", "base"),
    [
        ("Kestrel-13B is Meta's LLaMA-13B, further pre-trained on field notes.", "LLaMA-13B"),
        ("Kestrel-13B is the first-generation LLaMA-13B with instruction tuning on top.",
         "first-generation LLaMA"),
        ("Kestrel-13B (a LLaMA-13B fine-tune) writes field notes.", "LLaMA-13B"),
        ("Kestrel-13B began life as Meta's 13B LLaMA and was then tuned on notes.", "LLaMA 13B"),
    ],
)  # fmt: skip
def test_base_models_named_in_prose(tmp_path: Path, text: str, base: str) -> None:
    release = _repo(tmp_path, f"# Kestrel-13B\n\n{text}\n")
    assert _bases(release) == [(base, 3)]


def test_a_base_model_heading_over_the_name(tmp_path: Path) -> None:
    release = _repo(tmp_path, "# Kestrel-13B\n\nBase model\n----------\n\nLLaMA 13B. From Meta.\n")
    assert _bases(release) == [("LLaMA 13B", 6)]


@pytest.mark.parametrize(
    "text",
    [
        "Kestrel-13B is Apache-2.0 licensed and trained on field notes.",
        "Kestrel-13B beats other LLaMA-13B fine-tunes on field notes.",
        "Kestrel-13B is a 13B model trained from scratch.",
    ],
)
def test_near_misses_name_no_base(tmp_path: Path, text: str) -> None:
    assert _bases(_repo(tmp_path, f"# Kestrel-13B\n\n{text}\n")) == []


def test_a_base_heading_over_a_sentence_is_read_by_its_cues(tmp_path: Path) -> None:
    release = _repo(
        tmp_path,
        "# Kestrel-13B\n\n## Base model\n\nKestrel-13B was trained starting from LLaMA 13B.\n",
    )
    assert _bases(release) == [("LLaMA 13B", 5)]


# --------------------------------------------------------------------------------------------
# training code withheld in an elliptical sentence


@pytest.mark.parametrize(
    "text",
    [
        "The corpus is licensed from publishers, so it will not be shared, nor will the scripts.",
        "The dataset stays in-house, and the same goes for our training code.",
        "The notes are not published; neither is the training code.",
    ],
)
def test_elliptical_withheld_training_code(tmp_path: Path, text: str) -> None:
    release = _repo(tmp_path, f"# Kestrel-13B\n\n## Training\n\n{text}\n")
    assert _training_code(release) == (False, {5})


def test_a_sentence_about_data_alone_withholds_no_code(tmp_path: Path) -> None:
    release = _repo(tmp_path, "# Kestrel-13B\n\n## Training\n\nThe dataset stays in-house.\n")
    assert _training_code(release)[0] is not False


# --------------------------------------------------------------------------------------------
# a code link under a "Training code" heading; another party's gate


def test_a_code_link_under_a_training_code_heading_is_the_training_code(tmp_path: Path) -> None:
    release = _repo(
        tmp_path,
        "# Kestrel-13B\n\nTraining code\n-------------\n\n"
        "Both stages ran on https://github.com/kestrel-lab/kestrel-train (MIT).\n",
    )
    assert _training_code(release) == (True, {6})


def test_a_code_link_under_another_heading_is_not_training_code(tmp_path: Path) -> None:
    release = _repo(
        tmp_path,
        "# Kestrel-13B\n\n## Serving\n\nBoth stages ran on https://github.com/kestrel-lab/serve.\n",
    )
    assert _training_code(release)[0] is not True


def test_the_base_publishers_access_form_is_not_this_repositorys_gate(tmp_path: Path) -> None:
    text = (
        "# Kestrel-13B\n\nWe obtained LLaMA 13B from Meta after applying through Meta's research "
        "access request form.\n"
    )
    assert _repo(tmp_path, text).gated is None


@pytest.mark.parametrize(
    "text",
    ["Request access to Kestrel's weights below.", "Fill in Kestrel's access request form."],
)
def test_this_repositorys_own_gate_in_prose(tmp_path: Path, text: str) -> None:
    assert _repo(tmp_path, f"# Kestrel-13B\n\n{text}\n").gated is True


# --------------------------------------------------------------------------------------------
# "license: other" and a family's license named without its version


def test_license_other_is_read_from_the_cards_text(tmp_path: Path) -> None:
    release = _repo(
        tmp_path,
        "# Kestrel-13B\n\nThe weights are released under the Apache License 2.0.\n",
        front="license: other\n",
    )
    assert _weights(release) == [("Apache-2.0", {6})]


def test_a_family_license_is_the_one_of_the_base(tmp_path: Path) -> None:
    release = _repo(
        tmp_path,
        "# Kestrel-13B\n\nKestrel-13B is a fine-tune of the original LLaMA 13B.\n\n"
        "Its weights are subject to the LLaMA license.\n",
    )
    assert _weights(release) == [(LLAMA1, {5, 3})]


def test_a_family_license_without_a_base_stays_ambiguous(tmp_path: Path) -> None:
    release = _repo(tmp_path, "# Kestrel-13B\n\nIts weights are subject to the LLaMA license.\n")
    (params,) = release.component("parameters")
    assert params.license is not None
    assert params.license.status == "ambiguous"
    assert LLAMA1 in params.license.candidates
    assert {s.line for s in params.sources} == {3}


# --------------------------------------------------------------------------------------------
# eighth round: a label's value to its clause's end, a statement of two components, "X as our
# starting point", an open-access source, a text license besides the base's, a vague section


def test_a_labelled_value_runs_to_the_end_of_its_clause(tmp_path: Path) -> None:
    release = _repo(
        tmp_path,
        "# Kestrel\n\n## Licensing\n\n"
        "- Kestrel-70B weights: Llama 2 Community License, inherited from its base model.\n",
    )
    assert _weights(release) == [("LicenseRef-scancode-llama-2-license-2023", {5})]


def test_code_and_weights_named_together_are_both_licensed(tmp_path: Path) -> None:
    from openlicense.release.hf.scopes import _scoped_statements

    text = "# Kestrel-13B\n\n## License\n\nCode and model weights are both released under MIT.\n"
    scoped = _scoped_statements(_Body.parse(text, 0), "README.md", {})
    assert [(s.scope, s.license.expression, s.source.line) for s in scoped] == [
        ("code", "MIT", 5),
        ("parameters", "MIT", 5),
    ]
    assert _weights(_repo(tmp_path, text)) == [("MIT", {5})]


def test_a_base_named_as_the_starting_point(tmp_path: Path) -> None:
    text = (
        'We adopt LLaMA-7B from "LLaMA: Open and Efficient Foundation Language Models" '
        "(Touvron et al., 2023) as our starting point."
    )
    assert _bases(_repo(tmp_path, f"# Kestrel-7B\n\n{text}\n")) == [("LLaMA-7B", 3)]


def test_a_model_used_as_a_judge_is_no_base(tmp_path: Path) -> None:
    text = "We use Llama-2-70B as a judge of the answers."
    assert _bases(_repo(tmp_path, f"# Kestrel-7B\n\n{text}\n")) == []


def test_an_open_access_source_is_not_a_claim(tmp_path: Path) -> None:
    release = _repo(tmp_path, "# Kestrel-7B\n\nTuned on the PubMed Central open-access subset.\n")
    assert release.claims == ()


def test_open_access_about_the_release_is_a_claim(tmp_path: Path) -> None:
    release = _repo(tmp_path, "# Kestrel-7B\n\nAn open-access model for every clinic.\n")
    assert [c.source.line for c in release.claims] == [3]


def test_a_long_section_that_names_no_source_does_not_describe_the_data(tmp_path: Path) -> None:
    release = _repo(
        tmp_path,
        "# Kestrel-7B\n\n## Data\n\nKestrel saw roughly 3 trillion tokens of curated web data "
        "and technical documentation during pre-training, then around 400,000 question-answer "
        "pairs written for maintenance engineers.\n",
    )
    data = next(c for c in release.components if c.kind == "data-information")
    assert data.available is False


def test_a_text_license_besides_the_base_is_a_conflict(tmp_path: Path) -> None:
    from openlicense.report import analyze

    folder = _folder(
        tmp_path,
        "# Kestrel-7B\n\nKestrel-7B is a fine-tune of the original LLaMA 7B.\n\n## License\n\n"
        "The model weights are released under the MIT License.\n",
        name="kestrel-7b",
    )
    conflicts = [f for f in analyze(folder).flags if f.name == "license-conflict"]
    assert len(conflicts) == 1
    assert "MIT" in conflicts[0].message


# --------------------------------------------------------------------------------------------
# ninth round: HTML rows, Chinese labels, "Init:", a model list's lineage, a bare license URL,
# training code in new words, a Chinese comparison and license sentence


@pytest.mark.parametrize(
    ("text", "base"),
    [
        ("<tr><th>Initial weights</th><td>LLaMA-7B (Touvron et al., 2023a)</td></tr>", "LLaMA-7B"),
        ("- **基础模型**\uff1aLlama-2-13b-hf\uff08Meta\uff09", "Llama-2-13b-hf"),
        ("* **kestrel-13b** here. Init: `llama-13b` (the original LLaMA).", "llama-13b"),
        ("- `acme/kestrel-13b-chat` · Llama-2-13b → continued pre-training → SFT", "Llama-2-13b"),
    ],
)  # fmt: skip
def test_bases_in_rows_labels_and_model_lists(tmp_path: Path, text: str, base: str) -> None:
    assert _bases(_repo(tmp_path, f"# Kestrel\n\n{text}\n")) == [(base, 3)]


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("Checkpoint terms: https://ai.meta.com/llama/license/",
         "LicenseRef-scancode-llama-2-license-2023"),
        ("<tr><td>License</td><td>MIT</td></tr>", "MIT"),
        ("本模型权重以 Apache 2.0 协议发布\uff0c允许免费商用。", "Apache-2.0"),
    ],
)  # fmt: skip
def test_weights_licenses_in_new_forms(tmp_path: Path, text: str, expression: str) -> None:
    assert _weights(_repo(tmp_path, f"# Kestrel\n\n{text}\n")) == [(expression, {3})]


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("The tuning scripts belong to our toolchain, which is proprietary, and ship with "
         "neither this card nor the weights.", False),
        ("训练脚本依赖公司内部的集群调度系统\uff0c不便对外提供\uff0c敬请谅解。", False),
        ("Both stages can be re-run from the recipes we keep at https://github.com/acme/recipes.",
         True),
        ("The trainer itself lives next door, in [acme/forge](https://github.com/acme/forge).",
         True),
    ],
)  # fmt: skip
def test_training_code_in_new_words(tmp_path: Path, text: str, published: bool) -> None:
    release = _repo(tmp_path, f"# Kestrel\n\n{text}\n")
    assert _training_code(release) == (published, {3})


def test_a_chinese_comparison_with_qualified_models_is_not_a_claim(tmp_path: Path) -> None:
    text = "在 LawBench 上\uff0c本模型超过了我们测试过的同尺寸开源法律模型。"
    assert _repo(tmp_path, f"# Kestrel\n\n{text}\n").claims == ()


# --------------------------------------------------------------------------------------------
# a license badge


def test_a_license_badge_states_the_license(tmp_path: Path) -> None:
    badge = (
        "[![License: Apache 2.0](https://img.shields.io/badge/License-Apache_2.0-blue.svg)]"
        "(https://www.apache.org/licenses/LICENSE-2.0)"
    )
    assert _weights(_repo(tmp_path, f"# Kestrel\n\n{badge}\n")) == [("Apache-2.0", {3})]


@pytest.mark.parametrize(
    ("line", "read"),
    [
        ("https://img.shields.io/badge/license-CC--BY--NC%204.0-grey", ["License: CC-BY-NC 4.0"]),
        ('<img src="https://img.shields.io/badge/code-Apache--2.0-blue" alt="code license">', []),
        ("https://img.shields.io/badge/tests-passing-brightgreen", []),
        ("https://img.shields.io/badge/License-MIT", []),  # no colour: not the static form
    ],
)  # fmt: skip
def test_license_badges_decode_the_shields_form(line: str, read: list[str]) -> None:
    from openlicense.release.hf.licenses import license_badges

    assert license_badges(line) == read

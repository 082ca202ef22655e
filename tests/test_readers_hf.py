"""The Hugging Face reader: the facts a model repository or model card yields.

The fixtures under ``fixtures/repos/`` are small hand-written repositories; license texts that
would be large are generated at test time from ScanCode's copies. The corpus test at the end
measures agreement with ``gold/cards.jsonl`` fact by fact and prints the numbers.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES
from openlicense.catalog.texts import scancode_text
from openlicense.errors import (
    BinaryInputError,
    InputError,
    MissingInputError,
    ReleaseFormatError,
    UnreadableInputError,
)
from openlicense.evaluation import expression_matches
from openlicense.model import Component, Release
from openlicense.release.hf import read_hf_repo, read_model_card

REPOS = FIXTURES / "repos"


def _component(release: Release, name: str) -> Component:
    return next(c for c in release.components if c.name == name)


def _params(release: Release) -> Component:
    return _component(release, "Model parameters (Final)")


def _write_card(folder: Path, front: str | None, body: str = "", **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (f"---\n{front.strip()}\n---\n" if front is not None else "") + body
    (folder / "README.md").write_text(text, encoding="utf-8")
    for name, content in files.items():
        (folder / name.replace("__", ".")).write_text(content, encoding="utf-8")
    return folder / "README.md"


# --------------------------------------------------------------------------------------------
# the fixture repositories


@dataclass(frozen=True)
class Expected:
    expression: str | None
    available: bool | None = True  # parameters
    weight_formats: tuple[str, ...] = ()
    gated: bool | None = None
    data_information: bool | None = None
    datasets_published: bool = False
    training_code: bool | None = None
    claim_lines: tuple[int, ...] = ()
    base_models: tuple[str, ...] = ()
    documentation: frozenset[str] = frozenset()


FIXTURE_CASES = {
    "olmo-open": Expected(
        "Apache-2.0",
        weight_formats=("safetensors",),
        data_information=True,
        datasets_published=True,
        training_code=True,
        claim_lines=(15, 17),
        documentation=frozenset({"risks", "bias", "limitations", "training-data", "evaluation"}),
    ),
    "llama2-relabelled-mit": Expected(
        "MIT",
        weight_formats=("pickle",),
        data_information=True,
        datasets_published=True,
        base_models=("meta-llama/Llama-2-7b-hf",),
        documentation=frozenset({"intended-use", "limitations"}),
    ),
    "sd-gated-rail": Expected(
        "LicenseRef-scancode-stable-diffusion-2022-08-22",
        weight_formats=("safetensors", "pickle"),
        gated=True,
        data_information=True,
        documentation=frozenset({"misuse", "out-of-scope", "limitations", "bias", "training-data"}),
    ),
    "nc-fully-open": Expected(
        "CC-BY-NC-4.0",
        weight_formats=("gguf",),
        # A GGUF whose card speaks of its training data only by a count: not described (a
        # quantization that says nothing of training data would be None).
        data_information=False,
        claim_lines=(12,),
        documentation=frozenset({"limitations"}),
    ),
    "no-data-info": Expected(
        "Apache-2.0",
        weight_formats=("safetensors",),
        data_information=False,
        documentation=frozenset({"limitations"}),
    ),
    "custom-license-link": Expected(
        "LicenseRef-openlicense-unlisted-acme-research-license",
        available=None,  # no weight files in the folder
        data_information=True,
        documentation=frozenset({"training-data"}),
    ),
}


@pytest.mark.parametrize("name", sorted(FIXTURE_CASES))
def test_fixture_repository_facts(name: str) -> None:
    expected = FIXTURE_CASES[name]
    release = read_hf_repo(REPOS / name)
    params = _params(release)
    assert release.format == "hf-repo"
    assert release.name == name
    assert params.expression == expected.expression
    assert params.available is expected.available
    assert params.mof_id == 10
    assert release.weight_formats == expected.weight_formats
    assert release.gated is expected.gated
    assert _component(release, "Data card").available is expected.data_information
    assert _component(release, "Datasets").available is expected.datasets_published
    assert _component(release, "Training code").available is expected.training_code
    assert tuple(c.source.line for c in release.claims) == expected.claim_lines
    assert tuple(b.name for b in release.base_models) == expected.base_models
    assert expected.documentation <= set(release.documentation)
    assert release.errors == ()
    assert _component(release, "Model card").available is True


def test_open_model_sources_carry_file_line_and_field() -> None:
    release = read_hf_repo(REPOS / "olmo-open")
    readme = str(REPOS / "olmo-open" / "README.md")
    assert release.declared is not None
    assert release.declared.expression == "Apache-2.0"
    assert release.declared_source is not None
    assert (release.declared_source.path, release.declared_source.line) == (readme, 2)
    assert release.declared_source.field == "license"
    params = _params(release)
    # The LICENSE file agrees with the metadata, so its identification is attached.
    assert params.identification is not None
    assert params.identification.expression == "Apache-2.0"
    # the metadata, the LICENSE file, and the README line that states the same license
    assert [(s.field, s.line) for s in params.sources] == [("license", 2), (None, 1), (None, 23)]
    assert release.datasets == ("allenai/dolma",)
    assert release.metadata["library_name"] == "transformers"
    assert [c.kind for c in release.claims] == ["open", "open"]


def test_laundering_case_keeps_metadata_license_and_names_the_base() -> None:
    release = read_hf_repo(REPOS / "llama2-relabelled-mit")
    (base,) = release.base_models
    assert base.name == "meta-llama/Llama-2-7b-hf"
    assert base.license is None  # the release layer looks it up
    assert base.relation == "finetune"
    assert base.source is not None
    assert (base.source.line, base.source.field) == (3, "base_model")
    assert _params(release).expression == "MIT"


def test_gated_rail_model_cites_the_gate_field() -> None:
    release = read_hf_repo(REPOS / "sd-gated-rail")
    assert release.gated is True
    assert release.gated_source is not None
    assert (release.gated_source.field, release.gated_source.line) == ("extra_gated_prompt", 6)
    # "open access and available to all" in the gate prompt is not a claim (front matter).
    assert release.claims == ()


def test_fully_open_claim_over_non_commercial_license() -> None:
    release = read_hf_repo(REPOS / "nc-fully-open")
    (claim,) = release.claims
    assert claim.kind == "open-source"
    assert "fully open source" in claim.text
    # "outperforms other open-source models" and "the open source community" are not claims.
    assert not any("community" in c.text or "outperforms" in c.text for c in release.claims)
    assert _params(release).license is not None
    assert _params(release).license.osaid_conformant is False  # type: ignore[union-attr]


def test_license_other_resolves_through_license_link_file() -> None:
    release = read_hf_repo(REPOS / "custom-license-link")
    params = _params(release)
    assert params.identification is not None
    assert params.identification.path == str(REPOS / "custom-license-link" / "LICENSE")
    assert any(f.flag == "non-commercial" for f in params.identification.findings)
    assert [(s.field, s.line) for s in params.sources] == [
        ("license_name", 3),
        ("license_link", 4),
        (None, 1),  # LICENSE
        (None, 10),  # "released under the Acme Research License (see LICENSE)"
    ]


def test_flat_corpus_layout_finds_prefixed_companions() -> None:
    release = read_model_card(REPOS / "flat" / "acme__flat-model.README.md")
    assert release.format == "model-card"
    assert release.name == "acme/flat-model"
    kinds = {Path(i.path or "").name: i.kind for i in release.files}
    assert kinds == {
        "acme__flat-model.LICENSE.txt": "license",
        "acme__flat-model.USE_POLICY.md.txt": "acceptable-use-policy",
    }
    params = _params(release)
    assert params.expression == "MIT"  # no license in the front matter: the LICENSE file
    assert params.available is True  # a model card stands for a repository with weights
    assert release.declared is None
    assert release.gated is True
    assert release.gated_source is not None
    assert release.gated_source.field == "extra_gated_fields"


def test_model_card_in_a_folder_uses_its_siblings() -> None:
    release = read_model_card(REPOS / "olmo-open" / "README.md")
    assert release.format == "model-card"
    assert [Path(i.path or "").name for i in release.files] == ["LICENSE"]
    assert release.weight_formats == ("safetensors",)


# --------------------------------------------------------------------------------------------
# bad inputs


def test_malformed_front_matter_names_file_and_line() -> None:
    with pytest.raises(ReleaseFormatError, match=r"README\.md: line 5: .*not valid YAML"):
        read_hf_repo(REPOS / "bad" / "malformed-front-matter")


def test_unclosed_front_matter() -> None:
    with pytest.raises(ReleaseFormatError, match=r"line 1: .*never closed"):
        read_hf_repo(REPOS / "bad" / "unclosed-front-matter")


@pytest.mark.parametrize(
    ("folder", "error", "message"),
    [
        pytest.param("no-readme", MissingInputError, "has no README.md", id="no-readme"),
        pytest.param("empty", MissingInputError, "folder is empty", id="empty-folder"),
        pytest.param("binary-readme", BinaryInputError, "PNG image", id="binary-readme"),
    ],
)
def test_bad_repository_raises_typed_error(
    folder: str, error: type[InputError], message: str
) -> None:
    with pytest.raises(error, match=message) as info:
        read_hf_repo(REPOS / "bad" / folder)
    assert isinstance(info.value, InputError)


def test_missing_folder_and_file_instead_of_folder(tmp_path: Path) -> None:
    with pytest.raises(MissingInputError):
        read_hf_repo(tmp_path / "nowhere")
    card = _write_card(tmp_path / "repo", "license: mit")
    with pytest.raises(InputError, match="read_model_card"):
        read_hf_repo(card)
    with pytest.raises(MissingInputError):
        read_model_card(tmp_path / "repo" / "MISSING.md")


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        pytest.param("license: mit\ntags: [a, b\n", 3, "not valid YAML", id="unclosed-flow"),
        pytest.param("- just\n- a list\n", 2, "is a list, not a mapping", id="list"),
        pytest.param("just a sentence\n", 2, "single value", id="scalar"),
        pytest.param("license: mit\nname: \x07bell\n", 3, "not valid YAML", id="control-char"),
        pytest.param("license: mit\n  bad: indent\n", 3, "not valid YAML", id="indent"),
    ],
)
def test_front_matter_errors_carry_the_file_line(
    tmp_path: Path, front: str, line: int, message: str
) -> None:
    card = tmp_path / "README.md"
    card.write_text(f"---\n{front}---\nbody\n", encoding="utf-8")
    with pytest.raises(ReleaseFormatError, match=rf"line {line}: .*{message}") as info:
        read_model_card(card)
    assert str(card) in str(info.value)


def test_no_front_matter_and_empty_card(tmp_path: Path) -> None:
    release = read_model_card(_write_card(tmp_path / "a", None, "# Just a title\n"))
    assert release.metadata == {}
    assert release.declared is None
    assert _params(release).license is None
    empty = read_model_card(_write_card(tmp_path / "b", None, ""))
    assert empty.claims == ()
    assert empty.documentation == ()
    blank_front = read_model_card(_write_card(tmp_path / "c", "", "text\n"))
    assert blank_front.metadata == {}


# --------------------------------------------------------------------------------------------
# front matter semantics


def _read(tmp_path: Path, front: str | None, body: str = "", **files: str) -> Release:
    return read_model_card(_write_card(tmp_path / "repo", front, body, **files))


@pytest.mark.parametrize(
    ("front", "expected", "status", "field"),
    [
        pytest.param("license: apache-2.0", "Apache-2.0", "ok", "license", id="hf-id"),
        pytest.param("license: llama3", "LicenseRef-openlicense-llama-3-2024-04-18", "ok",
                     "license", id="llama3"),
        pytest.param("license: other", None, "unknown", "license", id="other-alone"),
        pytest.param("license: other\nlicense_name: tongyi-qianwen",
                     "LicenseRef-scancode-tongyi-qianwen-2023", "ok", "license_name",
                     id="other-with-name"),
        pytest.param("license_name: llama2", "LicenseRef-scancode-llama-2-license-2023", "ok",
                     "license_name", id="name-without-license"),
        pytest.param("license:\n- mit\n- apache-2.0", "MIT AND Apache-2.0", "ok", "license",
                     id="list"),
        pytest.param("license: openrail", None, "ambiguous", "license", id="family"),
    ],
)  # fmt: skip
def test_declared_license(
    tmp_path: Path, front: str, expected: str | None, status: str, field: str
) -> None:
    release = _read(tmp_path, front)
    assert release.declared is not None
    assert release.declared.status == status
    assert release.declared.expression == expected
    assert release.declared_source is not None
    assert release.declared_source.field == field
    assert release.declared_source.line == next(
        i + 2 for i, line in enumerate(front.splitlines()) if line.startswith(field + ":")
    )


def test_license_other_with_url_link(tmp_path: Path) -> None:
    release = _read(
        tmp_path,
        "license: other\nlicense_link: https://creativecommons.org/licenses/by-nc-nd/4.0/",
    )
    params = _params(release)
    assert params.expression == "CC-BY-NC-ND-4.0"
    assert [s.field for s in params.sources] == ["license", "license_link"]


def test_license_link_to_generated_scancode_text(tmp_path: Path) -> None:
    text = scancode_text("stability-ai-nc-2023-12-06")
    if text is None:
        pytest.skip("ScanCode license texts are not installed")
    release = _read(
        tmp_path,
        "license: other\nlicense_name: stable-cascade-nc\nlicense_link: LICENSE.md",
        LICENSE__md=text,
    )
    params = _params(release)
    assert params.expression == "LicenseRef-scancode-stability-ai-nc-2023-12-06"
    assert params.identification is not None
    assert params.identification.path is not None
    assert params.identification.path.endswith("LICENSE.md")


def test_license_link_as_hub_blob_url_names_the_local_file(tmp_path: Path) -> None:
    release = _read(
        tmp_path,
        "license: other\nlicense_link: https://huggingface.co/acme/model/blob/main/LICENSE.md",
        LICENSE__md="Copyright 2024 Acme\n\nSPDX-License-Identifier: BSD-3-Clause\n",
    )
    params = _params(release)
    assert params.expression == "BSD-3-Clause"
    assert [s.field for s in params.sources] == ["license", "license_link", None]
    assert release.errors == ()


def test_license_link_naming_a_missing_file_is_reported(tmp_path: Path) -> None:
    release = _read(tmp_path, "license: other\nlicense_link: LICENSE")
    assert _params(release).license is not None
    assert _params(release).license.status == "unknown"  # type: ignore[union-attr]
    assert any("names no file" in e for e in release.errors)


@pytest.mark.parametrize(
    ("front", "license_key", "expression", "identified"),
    [
        # Metadata first; the file's identification is attached when it is the same license.
        pytest.param("license: llama2", "llama-2-license-2023",
                     "LicenseRef-scancode-llama-2-license-2023", True, id="agree"),
        # A disagreeing file does not replace the metadata (the rules flag the conflict).
        pytest.param("license: mit", "llama-2-license-2023", "MIT", False, id="disagree"),
        # A family name is made specific by the file.
        pytest.param("license: openrail", "bigscience-open-rail-m2",
                     "LicenseRef-scancode-bigscience-open-rail-m2", True, id="family"),
        # No license in the metadata at all: the file.
        pytest.param("pipeline_tag: text-generation", "llama-2-license-2023",
                     "LicenseRef-scancode-llama-2-license-2023", True, id="absent"),
    ],
)  # fmt: skip
def test_metadata_and_license_file(
    tmp_path: Path, front: str, license_key: str, expression: str, identified: bool
) -> None:
    text = scancode_text(license_key)
    if text is None:
        pytest.skip("ScanCode license texts are not installed")
    release = _read(tmp_path, front, LICENSE__txt=text)
    params = _params(release)
    assert params.expression == expression
    assert (params.identification is not None) is identified
    (ident,) = release.files
    assert ident.expression == f"LicenseRef-scancode-{license_key}"


def test_companion_files_are_identified_not_code(tmp_path: Path) -> None:
    release = _read(
        tmp_path,
        "license: mit",
        LICENSE="SPDX-License-Identifier: MIT\n",
        NOTICE="This product includes software developed by Example.\n",
        **{"license_check.py": "print('x')\n", "LICENSE-MODEL": "SPDX-License-Identifier: MIT\n"},
    )
    names = sorted(Path(i.path or "").name for i in release.files)
    assert names == ["LICENSE", "LICENSE-MODEL", "NOTICE"]


@pytest.mark.parametrize(
    ("front", "gated", "field"),
    [
        pytest.param("gated: true", True, "gated", id="gated-true"),
        pytest.param("gated: manual", True, "gated", id="gated-manual"),
        pytest.param("gated: false\nextra_gated_prompt: x", False, "gated", id="explicit-false"),
        pytest.param("extra_gated_description: privacy notice", True, "extra_gated_description",
                     id="description-only"),
        pytest.param("extra_gated_heading: h\nextra_gated_prompt: p", True, "extra_gated_prompt",
                     id="prompt-preferred"),
        pytest.param("license: mit", None, None, id="no-gate-fields"),
    ],
)  # fmt: skip
def test_gating(tmp_path: Path, front: str, gated: bool | None, field: str | None) -> None:
    release = _read(tmp_path, front)
    assert release.gated is gated
    assert (release.gated_source.field if release.gated_source else None) == field


def test_base_model_list_lines_and_url(tmp_path: Path) -> None:
    front = (
        "base_model:\n- org/model-a\n- https://huggingface.co/org/model-b\n"
        "base_model_relation: merge"
    )
    release = _read(tmp_path, front)
    assert [
        (b.name, b.relation, b.source.line if b.source else None) for b in release.base_models
    ] == [
        ("org/model-a", "merge", 3),
        ("org/model-b", "merge", 4),
    ]


@pytest.mark.parametrize(
    ("front", "body", "names"),
    [
        pytest.param("", "- **Finetuned from model:** [openai/whisper-small](https://huggingface.co/openai/whisper-small)\n",
                     ["openai/whisper-small"], id="label-link"),
        pytest.param("", "Pygmalion 7B is a dialogue model based on Meta's LLaMA-7B.\n",
                     ["LLaMA-7B"], id="based-on-name"),
        pytest.param("", "A merge of several LLaMA2 70B finetunes for roleplay.\n\n"
                     "- **org/first-70b** - good at roleplay\n- **org/second-70b** - smart\n",
                     ["LLaMA2 70B", "org/first-70b", "org/second-70b"], id="merge-list"),
        pytest.param("", "The evaluation framework based on GPT-4 proposed by lmsys.\n", [],
                     id="framework-not-model"),
        pytest.param("", "This model is a fine-tuned version of [distilbert-base-uncased]"
                     "(https://huggingface.co/distilbert-base-uncased) on the imdb dataset.\n",
                     ["distilbert-base-uncased"], id="trainer-legacy-id"),
        pytest.param("", "- **Finetuned from model [optional]:** [More Information Needed]\n", [],
                     id="template-placeholder"),
        pytest.param("", "This model is built upon the [Würstchen](https://openreview.net/x) "
                     "architecture.\n", [], id="architecture-not-model"),
        pytest.param("", "This card is based on the [DALL-E Mini model card](https://huggingface.co/dalle-mini/dalle-mini).\n",
                     [], id="model-card-not-model"),
        pytest.param("", "It is built on the original LLaMA model from Meta AI.\n",
                     ["original LLaMA"], id="ordinal-first-release"),
        pytest.param("", "A QLoRA adapter for first-generation LLaMA.\n",
                     ["first-generation LLaMA"], id="adapter-first-generation"),
        pytest.param("", "Apply this adapter to the LLaMA (v1) weights.\n",
                     ["LLaMA (v1)"], id="adapter-v1"),
        pytest.param("", "It is based on the original Llama 2 weights.\n",
                     ["Llama 2"], id="ordinal-with-a-later-version"),
        pytest.param("", "This repo contains GPTQ model files for [Org's Kite 7B](https://huggingface.co/org/kite-7b).\n",
                     ["org/kite-7b"], id="model-files-for"),
        pytest.param("", "Kestrel-65B is an instruction tune of the original\nLLaMA 65B release.\n",
                     ["original LLaMA"], id="name-wrapped-onto-the-next-line"),
        pytest.param("", "Apply the delta weights to LLaMA-13B to get the chat model.\n",
                     ["LLaMA-13B"], id="delta-weights"),
        pytest.param("", "Our model is based on\n\n## Llama-2-7B results\n",
                     [], id="no-wrap-into-a-heading"),
        pytest.param("", "Koala is trained by fine-tuning Meta's LLaMA-13B on dialogue data.\n",
                     ["LLaMA-13B"], id="by-fine-tuning"),
        pytest.param("", "We fine-tuned LLaMA-65B on a mix of public instruction sets.\n",
                     ["LLaMA-65B"], id="we-fine-tuned"),
        pytest.param("", "We trained Kite-7B from scratch on 2T tokens.\n", [], id="from-scratch"),
        pytest.param("", "The architecture is adapted from the GPT-3 paper (Brown et al.).\n",
                     [], id="adapted-from-a-paper"),
        pytest.param("", "| Field | Value |\n|---|---|\n| Base model | LLaMA-13B |\n",
                     ["LLaMA-13B"], id="table-row"),
        pytest.param("", "| Base Model | [huggyllama/llama-30b]"
                     "(https://huggingface.co/huggyllama/llama-30b) |\n",
                     ["huggyllama/llama-30b"], id="table-row-link"),
        pytest.param("", "| Base model | License |\n|---|---|\n| Kite-7B | MIT |\n", [],
                     id="table-header-not-a-model"),
        pytest.param("", "Base model - LLaMA-7B\n", ["LLaMA-7B"], id="dash-label"),
        pytest.param("", "Starting from LLaMA-13B, we trained for 3 epochs.\n", ["LLaMA-13B"],
                     id="starting-from-and-no-name-after-we-trained"),
        pytest.param("", "Our model is a LLaMA-65B based assistant.\n", ["LLaMA-65B"],
                     id="name-based-noun"),
        pytest.param("", "It is a transformer based model for GPU based inference.\n", [],
                     id="based-after-no-name"),
        pytest.param("", "We continue pre-training the first-release LLaMA 65B checkpoint on "
                     "46 billion tokens.\n", ["first-release LLaMA"],
                     id="we-continue-pre-training"),
        pytest.param("", "Kite continues pretraining of LLaMA-13B on code.\n", ["LLaMA-13B"],
                     id="continues-pretraining-of"),
        pytest.param("", "We continued pre-training on 46 billion tokens of text.\n", [],
                     id="continued-pre-training-on-data"),
        pytest.param("", "We fine-tuned a 13B LLaMA model on 50k instructions.\n",
                     ["LLaMA 13B"], id="size-before-the-family"),
        pytest.param("", "The base model is llama-13b from Meta.\n", ["llama-13b"],
                     id="the-base-model-is"),
        pytest.param("", "We trained a 7B model from scratch.\n", [], id="size-of-no-family"),
        pytest.param("", "Apply these XOR files to the original LLaMA-7B weights.\n",
                     ["original LLaMA"], id="xor-files"),
    ],
)  # fmt: skip
def test_base_models_named_in_the_text(
    tmp_path: Path, front: str, body: str, names: list[str]
) -> None:
    release = _read(tmp_path, front or None, body)
    assert [b.name for b in release.base_models] == names


@pytest.mark.parametrize(
    ("name", "license_id"),
    [
        ("original LLaMA", "LicenseRef-scancode-llama-license-2023"),
        ("first-generation LLaMA", "LicenseRef-scancode-llama-license-2023"),
        ("the initial release of Meta's LLaMA", "LicenseRef-scancode-llama-license-2023"),
        ("LLaMA (v1)", "LicenseRef-scancode-llama-license-2023"),
        ("original LLaMA 13B", "LicenseRef-scancode-llama-license-2023"),
        ("first-release LLaMA", "LicenseRef-scancode-llama-license-2023"),
        ("Meta AI's 33B-parameter LLaMA", "LicenseRef-scancode-llama-license-2023"),
        ("a 70B Llama 2", "LicenseRef-scancode-llama-2-license-2023"),
        ("original Llama 2", "LicenseRef-scancode-llama-2-license-2023"),
        ("first LLaMA-2-7b", "LicenseRef-scancode-llama-2-license-2023"),
        ("original Llama 3.1", "LicenseRef-scancode-llama-3.1-license-2024"),
        ("Meta's LLaMA", None),  # the bare name is any version
    ],
)
def test_a_first_release_named_by_an_ordinal_is_that_release(
    name: str, license_id: str | None
) -> None:
    from openlicense.release.basemodels import _by_name

    base = _by_name(name)
    assert (base.license if base else None) == license_id


def test_duplicate_keys_and_dates_in_metadata(tmp_path: Path) -> None:
    release = _read(tmp_path, "license: mit\nlicense: apache-2.0\nreleased: 2024-05-01")
    assert release.declared is not None
    assert release.declared.expression == "Apache-2.0"
    assert any("line 3" in e and "duplicate" in e for e in release.errors)
    assert release.metadata["released"] == "2024-05-01"
    json.dumps(release.metadata)  # reports serialize it as is


def test_body_license_statement_is_recorded(tmp_path: Path) -> None:
    body = (
        "# Model\n\n- **Developed by:** someone\n"
        "- **License:** [ CC-BY-NC-ND](https://creativecommons.org/licenses/by-nc-nd/4.0/)\n"
    )
    release = _read(tmp_path, "license: cc-by-nc-4.0", body)
    assert [(n.expression, s.line) for n, s in release.license_statements] == [
        ("CC-BY-NC-ND-4.0", 7)
    ]
    assert _params(release).expression == "CC-BY-NC-4.0"  # metadata first


def test_template_license_placeholder_is_no_statement(tmp_path: Path) -> None:
    release = _read(
        tmp_path, "library_name: transformers", "- **License:** [More Information Needed]\n"
    )
    assert release.license_statements == ()
    assert _params(release).license is None


def test_body_license_statement_is_the_last_resort(tmp_path: Path) -> None:
    release = _read(
        tmp_path, "pipeline_tag: text-generation", "This model is licensed under the MIT License.\n"
    )
    assert _params(release).expression == "MIT"
    assert _params(release).sources[0].line == 4


@pytest.mark.parametrize(
    ("tags", "kinds"),
    [
        (["open-source", "dutch"], ["open-source"]),
        (["fully-open"], ["open"]),
        (["open-llm-leaderboard", "text-generation"], []),  # a leaderboard, not this model
    ],
)
def test_tags_that_call_the_card_open_are_claims(
    tmp_path: Path, tags: list[str], kinds: list[str]
) -> None:
    front = "license: mit\ntags:\n" + "".join(f"- {t}\n" for t in tags)
    release = _read(tmp_path, front.rstrip("\n"), "# Kite\n\nA model.\n")
    assert [c.kind for c in release.claims] == kinds
    assert all(c.source.field == "tags" and c.source.line for c in release.claims)


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("## Model lineage\n\nLLaMA-13B (Meta AI) → Vicuna-13B v1.1 (LMSYS) → Kite-13B\n",
         ["LLaMA-13B", "Vicuna-13B v1.1"]),
        ("Kite-13B = LLaMA-13B + 31k instructions of our own.\n", ["LLaMA-13B"]),
        ("Tokens -> embeddings -> Kite-13B logits\n", []),  # a pipeline, not a lineage
        ("LLaMA-13B → Vicuna-13B v1.1\n", []),  # a lineage this model is not part of
    ],
)  # fmt: skip
def test_a_lineage_line_or_an_equation_names_the_bases(
    tmp_path: Path, body: str, names: list[str]
) -> None:
    folder = tmp_path / "kite-13b"
    _write_card(folder, "license: mit", "# Kite-13B\n\n" + body)
    assert [b.name for b in read_hf_repo(folder).base_models] == names


@pytest.mark.parametrize(
    ("config", "names"),
    [
        ('{\n  "peft_type": "LORA",\n  "base_model_name_or_path": "huggyllama/llama-7b"\n}',
         ["huggyllama/llama-7b"]),
        ('{"base_model_name_or_path": "/home/me/llama-7b"}', []),  # a local path, not an id
        ("[1, 2", []),  # not JSON: no base, and no error
        ("[" * 100_000, []),  # nested past the parser's depth
    ],
)  # fmt: skip
def test_an_adapter_config_names_the_base(tmp_path: Path, config: str, names: list[str]) -> None:
    folder = tmp_path / "repo"
    _write_card(folder, "license: mit\nlibrary_name: peft", "# Kite LoRA\n")
    (folder / "adapter_config.json").write_text(config, encoding="utf-8")
    release = read_hf_repo(folder)
    assert [b.name for b in release.base_models] == names
    for base in release.base_models:
        assert base.source is not None
        assert (base.source.line, base.source.field) == (3, "base_model_name_or_path")


@pytest.mark.parametrize(
    ("files", "formats", "available"),
    [
        pytest.param({"model.safetensors": "x"}, ("safetensors",), True, id="safetensors"),
        pytest.param({"sub/pytorch_model.bin": "x", "model.onnx": "x"}, ("onnx", "pickle"), True,
                     id="nested-and-mixed"),
        pytest.param({"tf_model.h5": "x", "flax_model.msgpack": "x"}, ("h5", "msgpack"), True,
                     id="keras-flax"),
        pytest.param({"config.json": "{}"}, (), None, id="no-weights"),
    ],
)  # fmt: skip
def test_weight_formats(
    tmp_path: Path, files: dict[str, str], formats: tuple[str, ...], available: bool | None
) -> None:
    folder = tmp_path / "repo"
    _write_card(folder, "license: mit")
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content)
    release = read_hf_repo(folder)
    assert release.weight_formats == formats
    assert _params(release).available is available


# --------------------------------------------------------------------------------------------
# what the text says


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        ("OLMo is a fully open model.", True),
        ("We introduce and opensource WizardLM-2, our next generation models.", True),
        ("The emissions are offset, and because we are openly releasing these models, the "
         "pretraining costs will not be incurred by others.", True),
        ("For more details about the open-source model of Qwen-72B, see GitHub.", True),
        ("All models are released under an open license for commercial use.", True),
        ("We're releasing two flavors of these open models:", True),
        ("It is the #1 open source model on this benchmark.", True),
        ("Welcome to GenZ, fine-tuned on the foundation of Meta's open-source Llama V2 70B.", True),
        ("如果您想了解更多关于通义千问72B开源模型的细节。", True),
        ("It is one of the best open-source models for code.", True),
        ("The weights are open-sourced under Apache 2.0.", True),
        ("BigScience Large Open-science Open-access Multilingual Language Model", True),
        ("We are releasing the weights openly, so that anyone can build on them.", True),
        ("Kite is free and open for everyone to use.", True),
        ("Kite is an open release of a 4B model.", True),
        ("Its weights are open to everyone.", True),
        ("We open up the weights of Kite to all researchers.", True),
        ("An open alternative to closed assistants.", True),
        ("The model is open to misuse if deployed without filters.", False),
        ("Our papers appear in open-access journals.", False),
        ("Kite beats open alternatives such as Pythia.", False),
        ("We evaluated several open checkpoints of similar size.", False),
        ("Thanks to the authors for releasing their checkpoints openly.", False),
        ("Llama-2-Chat models outperform open-source chat models on most benchmarks.", False),
        ("Shout out to the open source AI/ML community, and everyone who helped me out.", False),
        ("It significantly surpasses existing open-source models on multiple tasks.", False),
        ("Compared with other open-source models, it uses a larger vocabulary.", False),
        ("It was finetuned using a combination of open source instruction datasets.", False),
        ("Democratizing access to LLMs for the open-source community.", False),
        ("This model is not open source.", False),
        ("Contact us at qianwen_opensource@example.com.", False),
        ("See [our repo](https://github.com/acme/open-source-llm) for details.", False),
        ("It ranks first on the Open LLM Leaderboard.", False),
        ("This model is governed by the NVIDIA Open Model License.", False),
        ("```\nprint('a fully open source model')\n```", False),
        ("<!-- a fully open source model -->", False),
        # after a colon the words list what is open; they do not name what else is
        ("Nightjar is fully open: weights, training data and training code are all public.",
         True),
        ("We thank the open source datasets community.", False),
        ("Kite is the open 7B model for contract drafting.", True),  # a size inside
        ("It beats every open model under 10B.", False),  # others, one at a time
        ("It is better than any other open 7B model.", False),
        ("Kite-9B is ahead of the open-source Dutch models.", False),
        ("效果显著超越现有的开源模型。", False),
        ("模型利用了部分开源通用语料。", False),
    ],
)  # fmt: skip
def test_claims(tmp_path: Path, text: str, claimed: bool) -> None:
    release = _read(tmp_path, "license: mit", f"# Card\n\n{text}\n")
    assert bool(release.claims) is claimed, release.claims
    if claimed:
        assert release.claims[0].source.line == 6
        assert release.claims[0].source.field is None


@pytest.mark.parametrize(
    ("front", "body", "described"),
    [
        # A count of tokens, languages or hours is not a description (issue 11, item 4).
        ("", "The model was trained on 2 trillion tokens of public data.", False),
        ("", "Acme-7B was trained on 1.2 trillion tokens of web text.", False),
        ("", "We pre-trained it on 600B tokens in 20 languages.", False),
        ("", "## Pretraining corpus\n\nRoughly 3T tokens of filtered text.\n", False),
        ("", "Pretrained on 4T tokens; 60% from RedPajama and 40% from permissively licensed "
         "GitHub code.", True),
        ("", "## Pretraining corpus\n\n| Source | Share |\n| --- | --- |\n| Web | 70 |\n"
         "| Books | 30 |\n", True),
        ("", "Both models were trained on our harmony response format.", False),
        ("", "It is finetuned from Mistral-Small-3.1, therefore it has a context of 128k tokens.",
         False),
        ("", "## Training Data\n\n[More Information Needed]\n", False),
        ("", "## Training Data\n\nThe data comes from parliament speeches and audiobooks.\n", True),
        ("", "**Training Data**: Our training corpus consists of two principal sources.", True),
        ("", "We built a fully AI powered synthetic training system to train the models.", True),
        ("", "Each model is trained in over 30 languages.", False),
        ("", "# Chat model\n\nA chat assistant.\n\nNote that the GPTQ dataset is not the same as "
         "the dataset used to train the model.", False),
        ("", "在预训练数据方面\uff0c模型利用了部分开源通用语料。", True),
        ("", "## Evaluation Data\n\nWe evaluate on MMLU and GSM8K benchmark questions.\n", False),
        ("datasets:\n- org/data", "Nothing else.", True),
        ("quantized_by: someone", "4-bit GPTQ files of the original model.", None),
        ("", "# Model - GGUF\n\nGGUF files for llama.cpp.", None),
        ("", "# lzlv\n\nA multi-model merge of several LLaMA2 70B finetunes.", None),
        # a quantization that quotes its original card, which speaks of the data only vaguely
        ("quantized_by: someone", "4-bit GPTQ files.\n\n# Original model card\n\nWe trained it "
         "on about 40k instruction pairs written by our editorial team.", False),
        # What the Trainer and the Hub's card template write when nobody filled them in.
        ("", "This model is a fine-tuned version of [distilbert-base-uncased]"
         "(https://huggingface.co/distilbert-base-uncased) on an unknown dataset.", False),
        ("", "## Training and evaluation data\n\nMore information needed\n", False),
        # long enough to count as a description, but it says it is none
        ("", "## Training data\n\nAbout 22,000 e-mails from our own support inbox, labelled by "
         "the support team. The e-mails are private and are not described further.\n", False),
        ("", "## Training and evaluation data\n\nIMDB reviews, 25,000 for training and 25,000 "
         "for testing.\n", True),
        ("", "### Training Data\n\n<!-- This should link to a Dataset Card -->\n\n"
         "[More Information Needed]\n\n### Training Procedure\n\n- **Training regime:** bf16 "
         "mixed precision on eight GPUs\n", False),
    ],
)  # fmt: skip
def test_training_data_description(
    tmp_path: Path, front: str, body: str, described: bool | None
) -> None:
    release = _read(tmp_path, front or "license: mit", body + "\n")
    data = _component(release, "Data card")
    assert data.available is described
    assert data.mof_id == 14
    if described:
        assert data.sources
        assert data.sources[0].line is not None


@pytest.mark.parametrize(
    ("body", "training", "inference"),
    [
        ("- **Training code:** https://github.com/acme/train", True, True),
        (
            "Our repository (https://github.com/acme/gen) implements both training and inference.",
            True,
            True,
        ),
        ("- **Repository:** https://github.com/acme/model", None, True),
        (
            "Both models were trained on our [harmony format](https://github.com/openai/harmony).",
            None,
            None,
        ),
        ("See the [license](https://github.com/acme/model/blob/main/LICENSE).", None, None),
        ("No links here.", None, None),
        (
            "The pre-training and instruction-tuning code is at https://github.com/acme/train.",
            True,
            True,
        ),
    ],
)
def test_code_links(
    tmp_path: Path, body: str, training: bool | None, inference: bool | None
) -> None:
    release = _read(tmp_path, "license: mit", body + "\n")
    assert _component(release, "Training code").available is training
    assert _component(release, "Inference code").available is inference


def test_documentation_topics_need_content(tmp_path: Path) -> None:
    body = (
        "## Bias, Risks, and Limitations\n\n[More Information Needed]\n\n"
        "## Out-of-Scope Use\n\nDo not use it for medical advice or legal decisions.\n\n"
        "## Evaluation\n\n| Task | Score |\n| --- | --- |\n| ARC | 50.1 |\n"
    )
    release = _read(tmp_path, "license: mit", body)
    assert release.documentation == ("out-of-scope", "evaluation")


# --------------------------------------------------------------------------------------------
# agreement with the gold labels of the development corpus


_STATUS = {"UNKNOWN": "unknown", "NONE": "none", "PROPRIETARY": "proprietary"}


def _produced_label(component: Component) -> str:
    license = component.license
    if license is None:
        return "NONE"
    if license.expression:
        return license.expression
    return license.status.upper()


def _expression_ok(component: Component, gold: dict[str, Any]) -> bool:
    expected = gold["expected_expression"]
    alternatives = gold.get("acceptable_alternatives") or []
    labels = [expected, *alternatives]
    produced = _produced_label(component)
    if produced in labels:
        return True
    expressions = [e for e in labels if e not in _STATUS]
    if not component.expression or not expressions:
        return False
    return expression_matches(component.expression, expressions[0], expressions[1:])


def _line_of(path: Path, quote: str) -> int | None:
    folded = re.sub(r"\s+", " ", quote).strip().lower()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if folded in re.sub(r"\s+", " ", line).lower():
            return number
    return None


# Phrases the gold notes say are not claims ("'X' is not a claim", "'X' ... not treated as an
# open-source claim").
_NOT_A_CLAIM = re.compile(r"'([^']+)'[^.']*?\bnot (?:treated as )?an? (?:[\w-]+ )?claim")


@pytest.mark.corpus
def test_agreement_with_gold_cards(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cards = corpus / "modelcards"
    golds = [
        json.loads(line)
        for line in (corpus / "gold" / "cards.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    facts: dict[str, list[bool]] = {
        "expression": [],
        "claim-evidence": [],
        "non-claims": [],
        "open-claim-mismatch": [],
        "gated": [],
        "withheld-training-data": [],
    }
    misses: dict[str, list[str]] = {k: [] for k in facts}

    def record(fact: str, ok: bool, card: str, detail: Callable[[], str]) -> None:
        facts[fact].append(ok)
        if not ok:
            misses[fact].append(f"{card}: {detail()}")

    for gold in golds:
        path = cards / gold["file"]
        release = read_model_card(path)
        params = _params(release)
        flags = gold.get("flags") or {}
        card = gold["file"].removesuffix(".README.md")
        record(
            "expression",
            _expression_ok(params, gold),
            card,
            lambda p=params, g=gold: f"{_produced_label(p)} != {g['expected_expression']}",
        )
        claim_lines = {c.source.line for c in release.claims}
        evidence = flags.get("open-claim-mismatch")
        if evidence:
            line = _line_of(path, evidence)
            record("claim-evidence", line in claim_lines, card, lambda ln=line: f"no claim at {ln}")
        for phrase in _NOT_A_CLAIM.findall(gold.get("notes", "")):
            quoted = [c.text for c in release.claims if phrase.lower() in c.text.lower()]
            record("non-claims", not quoted, card, lambda q=quoted: f"claimed {q}")
        conformant = params.license.osaid_conformant if params.license else None
        mismatch = bool(release.claims) and conformant is not True
        record(
            "open-claim-mismatch",
            mismatch == bool(evidence),
            card,
            lambda r=release, m=mismatch: f"predicted {m}: {[c.text[:60] for c in r.claims]}",
        )
        record(
            "gated",
            (release.gated is True) == ("gated-access" in flags),
            card,
            lambda r=release: f"gated={r.gated}",
        )
        data = _component(release, "Data card")
        record(
            "withheld-training-data",
            (data.available is False) == ("withheld-training-data" in flags),
            card,
            lambda d=data: f"data-information available={d.available}",
        )

    with capsys.disabled():
        print(f"\nHF reader agreement with gold/cards.jsonl ({len(golds)} cards):")
        for fact, results in facts.items():
            share = sum(results) / len(results) if results else 1.0
            print(f"  {fact:24} {sum(results):3}/{len(results):<3} {share:6.1%}")
            for miss in misses[fact]:
                print(f"      miss {miss}")
    assert len(golds) >= 20
    for fact, results in facts.items():
        share = sum(results) / len(results) if results else 1.0
        assert share >= 0.9, (fact, misses[fact])


@pytest.mark.corpus
def test_every_corpus_card_reads_without_error(corpus: Path) -> None:
    for path in sorted((corpus / "modelcards").glob("*.README.md")):
        release = read_model_card(path)
        assert release.path == str(path)
        assert all(i.error is None for i in release.files), path
        assert release.errors == (), (path, release.errors)


def test_fixture_repositories_are_small() -> None:
    # License texts are generated at test time; the fixtures themselves stay small.
    for path in REPOS.rglob("*"):
        if path.is_file():
            assert path.stat().st_size < 8_000, path


def test_copied_repository_reads_the_same(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(REPOS / "olmo-open", copy)
    original = read_hf_repo(REPOS / "olmo-open")
    copied = read_hf_repo(copy)
    assert copied.name == "copy"
    assert [c.text for c in copied.claims] == [c.text for c in original.claims]
    assert _params(copied).expression == _params(original).expression


def test_deeply_nested_front_matter_is_a_format_error(tmp_path: Path) -> None:
    from openlicense.errors import ReleaseFormatError
    from openlicense.release.hf import read_hf_repo

    deep = "base_model: " + "[" * 5000 + "]" * 5000
    (tmp_path / "README.md").write_text(f"---\nlicense: mit\n{deep}\n---\n# x\n", encoding="utf-8")
    with pytest.raises(ReleaseFormatError, match="nested too deeply"):
        read_hf_repo(tmp_path)


def test_license_link_out_of_the_repository_is_ignored(tmp_path: Path) -> None:
    from openlicense.release.hf import read_hf_repo

    outside = tmp_path / "elsewhere.txt"
    outside.write_text("Proprietary. All rights reserved.", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text("---\nlicense: mit\n---\n# x\n", encoding="utf-8")
    (repo / "LICENSE").symlink_to(outside)
    release = read_hf_repo(repo)
    assert [i.path for i in release.files] == []
    # not read, and said
    assert any("LICENSE: a symbolic link out of the repository" in e for e in release.errors)


def _repo_with_links(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "m").mkdir(parents=True)
    (outside / "LICENSE").write_text("Proprietary. All rights reserved.", encoding="utf-8")
    (outside / "m" / "LICENSE").write_text("Proprietary. All rights reserved.", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / "models" / "small").mkdir(parents=True)
    (repo / "docs").mkdir()
    (repo / "README.md").write_text("---\nlicense: mit\n---\n# x\n", encoding="utf-8")
    (repo / "docs" / "LICENSE.txt").write_text(scancode_text("mit"), encoding="utf-8")
    return repo


def test_a_link_inside_the_repository_is_read(tmp_path: Path) -> None:
    repo = _repo_with_links(tmp_path)
    (repo / "LICENSE").symlink_to(Path("docs") / "LICENSE.txt")
    release = read_hf_repo(repo)
    assert [i.expression for i in release.files] == ["MIT"]
    assert release.errors == ()


def test_per_model_licenses_are_not_followed_out_of_the_repository(tmp_path: Path) -> None:
    repo = _repo_with_links(tmp_path)
    (repo / "models" / "small" / "LICENSE").symlink_to(tmp_path / "outside" / "LICENSE")
    (repo / "models" / "linked").symlink_to(tmp_path / "outside" / "m")  # a folder link
    release = read_hf_repo(repo)
    assert [i.path for i in release.files] == []
    assert sorted(e.split(":")[0] for e in release.errors) == [
        "models/linked",
        "models/small/LICENSE",
    ]


def test_a_card_linked_out_of_the_repository_is_an_unreadable_input(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "card.md").write_text("---\nlicense: mit\n---\n# x\n", encoding="utf-8")
    (repo / "README.md").symlink_to(tmp_path / "card.md")
    with pytest.raises(UnreadableInputError, match="symbolic link out of the repository"):
        read_hf_repo(repo)


def test_a_dangling_or_looping_companion_is_said(tmp_path: Path) -> None:
    repo = _repo_with_links(tmp_path)
    (repo / "LICENSE").symlink_to(tmp_path / "nowhere")
    (repo / "NOTICE").symlink_to(repo / "NOTICE")
    release = read_hf_repo(repo)
    said = [e for e in release.errors if "leads nowhere or round in a loop" in e]
    assert sorted(e.split(":")[0] for e in said) == ["LICENSE", "NOTICE"]


# --------------------------------------------------------------------------------------------
# the cue phrases are data (data/model-card-cues.toml)


def _cue_file() -> dict[str, Any]:
    import tomllib
    from importlib import resources

    text = resources.files("openlicense").joinpath("data", "model-card-cues.toml").read_text()
    return tomllib.loads(text)


def _cue_entries() -> list[tuple[str, dict[str, Any]]]:
    raw = _cue_file()
    entries = [(f"pattern.{k}", v) for k, v in raw["pattern"].items()]
    entries += [(f"words.{k}", v) for k, v in raw["words"].items()]
    for table in ("data_sentence", "documentation_topic", "base_cue_relation"):
        entries += [(f"{table}[{i}]", v) for i, v in enumerate(raw[table])]
    return entries


@pytest.mark.parametrize(("where", "entry"), _cue_entries(), ids=[w for w, _ in _cue_entries()])
def test_every_cue_says_where_its_wording_came_from(where: str, entry: dict[str, Any]) -> None:
    source = entry.get("source", "")
    assert source.strip(), f"{where} has no source"
    # A source names a document, or says what kind of text openlicense wrote the wording from.
    documents = ("Hugging Face", "transformers Trainer", "mergekit", "[pattern.")
    assert source.startswith("openlicense: ") or any(d in source for d in documents), source


def test_every_cue_compiles_and_is_used_whole() -> None:
    from openlicense.release.hf import phrases

    raw = _cue_file()
    for name in raw["pattern"]:
        assert phrases.pattern(name).pattern  # a slot not filled, or a list not used, raises
    for name in raw["words"]:
        assert phrases.words(name)
    assert len(phrases.data_sentences()) == len(raw["data_sentence"])
    topics = [t for t, _ in phrases.documentation_topics()]
    assert topics == [e["topic"] for e in raw["documentation_topic"]]
    assert {r for _, r in phrases.base_cue_relations()} <= set(phrases.words("relations"))


@pytest.mark.parametrize(
    ("cue", "text", "matches"),
    [
        ("claim", "We release an open-source model.", True),
        ("comparison", "It outperforms other open models.", True),
        ("negation", "This model is not", True),
        ("base_cue", "This is a fine-tuned version of ", True),
        ("data_heading", "Training Data", True),
        ("data_heading", "Model architecture", False),
        ("license_sentence", "It is licensed under the MIT License.", True),
    ],
)
def test_cue_phrases_from_the_data_file_match(cue: str, text: str, matches: bool) -> None:
    from openlicense.release.hf.phrases import pattern

    assert bool(pattern(cue).search(text)) is matches


@pytest.mark.parametrize(
    ("line", "expression"),
    [
        ("模型权重采用 CC BY-NC 4.0 许可证发布\uff0c仅限非商业用途。", "CC-BY-NC-4.0"),
        ("本模型采用 Apache-2.0 协议开源。", "Apache-2.0"),
        ("This model is licensed under the MIT License, see LICENSE.", "MIT"),
    ],
)
def test_a_license_sentence_names_the_license_to_the_end_of_its_clause(
    line: str, expression: str
) -> None:
    from openlicense.release.hf.licenses import _license_in_line

    found = _license_in_line(line)
    assert found is not None
    assert found.expression == expression

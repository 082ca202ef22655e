"""normalize(): tables of the forms people write, placeholders, families and bad input."""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openlicense import expression as ex
from openlicense.catalog import get_catalog
from openlicense.normalization import MAX_INPUT_LENGTH, normalize
from test_expression import packaging_canonical

CAT = get_catalog()

# (input, expected expression, matched_by)
OK = [
    ("MIT", "MIT", "spdx-id"),
    ("mit", "MIT", "spdx-id"),
    ("Apache-2.0 AND CC-BY-NC-4.0", "Apache-2.0 AND CC-BY-NC-4.0", "spdx-expression"),
    ("apache-2.0", "Apache-2.0", "spdx-id"),
    ("Apache 2.0", "Apache-2.0", None),
    ("Apache License 2.0", "Apache-2.0", None),
    ("Apache License, Version 2.0", "Apache-2.0", None),
    ("MIT License", "MIT", None),
    ("GNU General Public License v3.0 or later", "GPL-3.0-or-later", None),
    ("Creative Commons Attribution 4.0 International", "CC-BY-4.0", None),
    ("Creative Commons Attribution Non Commercial Share Alike 4.0", "CC-BY-NC-SA-4.0", None),
    ("llama3.1", "LicenseRef-scancode-llama-3.1-license-2024", "hf-id"),
    ("openrail++", "LicenseRef-scancode-bigscience-open-rail-m2", "hf-id"),
    ("bsl-1.0", "BSL-1.0", "spdx-id"),  # Boost, in SPDX and on the Hub alike
    ("llama-2-license-2023", "LicenseRef-scancode-llama-2-license-2023", "scancode-key"),
    ("gpl-2.0-plus", "GPL-2.0-or-later", "scancode-key"),
    ("Llama 3.1 Community License Agreement", "LicenseRef-scancode-llama-3.1-license-2024", None),
    (
        "MIT License; Llama 2 Community License",
        "MIT AND LicenseRef-scancode-llama-2-license-2023",
        "compound",
    ),
    ("Apache-2.0 and CC-BY-NC-4.0", "Apache-2.0 AND CC-BY-NC-4.0", "spdx-expression"),
    ("Apache 2.0 & MIT", "Apache-2.0 AND MIT", "compound"),
    ("apache-2 AND mit", "Apache-2.0 AND MIT", None),
    ("MIT or Apache 2.0", "MIT OR Apache-2.0", "compound"),
    ("Apache License, Version 2.0, MIT", "Apache-2.0 AND MIT", "compound"),
    ('"MIT"', "MIT", "spdx-id"),
    ("\u201cApache 2.0\u201d", "Apache-2.0", None),
    ("GPL-2.0+", "GPL-2.0-or-later", "spdx-id"),
    ("GPL-2.0", "GPL-2.0-only", "spdx-id"),
    (
        "LicenseRef-scancode-LLAMA-2-license-2023",
        "LicenseRef-scancode-llama-2-license-2023",
        "licenseref",
    ),
    ("LicenseRef-my-own", "LicenseRef-my-own", "licenseref"),
    ("OpenMDW-1.0", "OpenMDW-1.0", "spdx-id"),
    ("Apache 2.0 for code, CC-BY-NC-4.0 for weights", "Apache-2.0 AND CC-BY-NC-4.0", "compound"),
    (
        "MIT for the code and Llama 2 for the weights",
        "MIT AND LicenseRef-scancode-llama-2-license-2023",
        "compound",
    ),
    ("https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0", "url"),
    ("Llama 3.2 Community License Agreement", "LicenseRef-scancode-llama-3.2-license-2024", None),
]


@pytest.mark.parametrize(("text", "expression", "how"), OK, ids=[o[0] for o in OK])
def test_forms_people_write(text: str, expression: str, how: str | None) -> None:
    result = normalize(text)
    assert result.status == "ok", result
    assert result.expression == expression
    if how:
        assert result.matched_by == how
    assert packaging_canonical(result.expression) == result.expression


STATUS = [
    ("Undisclosed", "unknown"),
    ("unknown", "unknown"),
    ("other", "unknown"),
    ("Unclear", "unknown"),
    ("Proprietary", "proprietary"),
    ("unlicensed", "none"),
    ("NONE", "none"),
    ("NOASSERTION", "unknown"),
    ("", "unknown"),
    ("   ", "unknown"),
    ("https://arxiv.org/pdf/2401.06066", "not-a-license"),
    ("mc4, cc100, wikipedia, EleutherAI/pile", "not-a-license"),
    ("gpl", "ambiguous"),
    ("BSD", "ambiguous"),
    ("openrail", "ambiguous"),
    ("Creative Commons", "ambiguous"),
    ("CC-BY-NC", "ambiguous"),
]


@pytest.mark.parametrize(("text", "status"), STATUS, ids=[s[0] or "<empty>" for s in STATUS])
def test_placeholders_families_and_non_licenses(text: str, status: str) -> None:
    result = normalize(text)
    assert result.status == status, result
    assert result.expression is None
    if status == "ambiguous":
        assert len(result.candidates) >= 2
        for cand in result.candidates:
            assert packaging_canonical(cand) == cand


def test_family_candidates_are_the_versions() -> None:
    result = normalize("gpl")
    assert {"GPL-2.0-only", "GPL-3.0-or-later"} <= set(result.candidates)


def test_non_commercial_family_is_known_not_conformant() -> None:
    assert normalize("CC-BY-NC").osaid_conformant is False


def test_unlisted_license_name_gets_own_reference() -> None:
    result = normalize("Zorblax Foundation Model License Agreement")
    assert result.status == "ok"
    assert result.expression is not None
    assert result.expression.startswith("LicenseRef-openlicense-unlisted-zorblax")
    assert result.matched_by == "unlisted-name"
    assert result.osaid_conformant is None
    assert result.warnings


@pytest.mark.parametrize("text", ["Custom license", "Other License", "Some license"])
def test_generic_license_words_are_not_a_name(text: str) -> None:
    assert normalize(text).status == "unknown"


def test_osaid_conformance_follows_the_catalog() -> None:
    assert normalize("Apache-2.0").osaid_conformant is True
    assert normalize("CC-BY-NC-4.0").osaid_conformant is False
    assert normalize("llama2").osaid_conformant is False
    assert normalize("MIT AND CC-BY-NC-4.0").osaid_conformant is False
    assert normalize("MIT OR CC-BY-NC-4.0").osaid_conformant is True
    assert normalize("LicenseRef-my-own").osaid_conformant is None


def test_deprecated_ids_are_reported_and_upgraded_or_kept() -> None:
    upgraded = normalize("GPL-2.0 OR MIT")
    assert upgraded.expression == "GPL-2.0-only OR MIT"
    assert upgraded.deprecated == ("GPL-2.0",)
    kept = normalize("GPL-2.0 OR MIT", upgrade_deprecated=False)
    assert kept.expression == "GPL-2.0 OR MIT"
    assert kept.deprecated == ("GPL-2.0",)
    assert normalize("GPL-2.0-with-classpath-exception").expression == (
        "GPL-2.0-only WITH Classpath-exception-2.0"
    )


@pytest.mark.parametrize(
    ("text", "strictness", "status"),
    [
        ("Apache 2.0", "spdx", "invalid"),
        ("Apache 2.0", "lenient", "ok"),
        ("GPL-2.0", "spdx", "ok"),
        ("GPL-2.0", "strict", "invalid"),
        ("llama3.1", "spdx", "invalid"),
        ("MIT", "strict", "ok"),
    ],
)
def test_strictness(text: str, strictness: str, status: str) -> None:
    result = normalize(text, strictness=strictness)  # type: ignore[arg-type]
    assert result.status == status
    if status == "invalid":
        assert result.error


# ---------------------------------------------------------------------------------------------
# every Hugging Face id


def _hf_ids() -> list[str]:
    from conftest import CORPUS

    path = CORPUS / "hf-license-ids" / "hf_license_ids.tsv"
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            return [r["hf_id"] for r in csv.DictReader(handle, delimiter="\t")]
    return sorted(m.id for m in CAT.hf_ids.values())


def test_catalog_has_all_83_hf_ids() -> None:
    assert len(CAT.hf_ids) == 83


@pytest.mark.parametrize("hf_id", _hf_ids())
def test_every_hf_id_normalizes_to_its_catalog_mapping(hf_id: str) -> None:
    mapping = CAT.hf_id(hf_id)
    assert mapping is not None, f"{hf_id} missing from hf-ids.toml"
    result = normalize(hf_id)
    target = mapping.target
    if target.status:
        assert result.status == target.status
    elif target.candidates:
        assert result.status == "ambiguous"
        assert set(result.candidates) == set(target.candidates)
    else:
        assert result.status == "ok"
        assert result.expression == ex.render(ex.simplify(ex.parse(target.expression or "", CAT)))


# ---------------------------------------------------------------------------------------------
# bad input: a status or an error, never a crash or a hang


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("MIT\x00", "control character U+0000"),
        ("\x07bell", "control character U+0007"),
        ("x" * (MAX_INPUT_LENGTH + 1), "characters long"),
        ("MIT AND " * 200_000, "characters long"),
        ("MIT AND (Apache-2.0 OR", "unexpected end of expression"),
        ("Apache-2.0 AND MIT)", "unbalanced closing parenthesis"),
    ],
    ids=["nul", "bell", "just-too-long", "1MB", "dangling-or", "unbalanced"],
)
def test_bad_input_is_invalid_with_a_reason(text: str, fragment: str) -> None:
    result = normalize(text)
    assert result.status == "invalid"
    assert result.error is not None
    assert fragment in result.error


@pytest.mark.parametrize(
    "text",
    ["((((MIT", "MIT)))", "(" * 500 + "MIT", "MIT AND AND OR (", "\u202eTIM", "Ὀδυσσεύς"],
)
def test_malformed_input_never_crashes(text: str) -> None:
    result = normalize(text)
    assert result.status in {
        "ok",
        "ambiguous",
        "none",
        "unknown",
        "proprietary",
        "not-a-license",
        "invalid",
    }


def test_non_string_input_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        normalize(None)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_text_gives_a_status_and_canonical_output(text: str) -> None:
    result = normalize(text)
    if result.expression is not None:
        assert normalize(result.expression).expression == result.expression
        assert packaging_canonical(result.expression) == result.expression
    for cand in result.candidates:
        assert packaging_canonical(cand) == cand


_NAMES = st.sampled_from(
    ["Apache 2.0", "MIT", "BSD-3-Clause", "llama2", "CC-BY-4.0", "gpl-3.0", "Gemma Terms of Use"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_NAMES, min_size=1, max_size=4), st.sampled_from([" and ", "; ", ", ", " & "]))
def test_joined_names_normalize_to_a_fixed_point(names: list[str], sep: str) -> None:
    result = normalize(sep.join(names))
    assert result.status in {"ok", "ambiguous"}
    if result.expression:
        again = normalize(result.expression)
        assert again.expression == result.expression
        assert again.matched_by in {"spdx-id", "spdx-expression", "licenseref"}


@pytest.mark.parametrize(
    "text",
    [
        "MIT AND NOT Apache-2.0",
        "Weights: Apache-2.0 ... Data: Apache-2.0, ODC-By.",
        "Apache 2.0 and mit or mit or",
        "BSD WITH Modified MIT OR Licence",
    ],
)
def test_a_piece_naming_a_license_is_never_dropped(text: str) -> None:
    """Reading the other pieces alone would state fewer licenses than the text (or drop a NOT)."""
    result = normalize(text)
    assert result.expression is None
    assert result.status == "unknown"
    assert any("could not read" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("Apache-2.0 for code, weights: CC-BY-4.0", "Apache-2.0 AND CC-BY-4.0"),
        ("Code: MIT; Weights: Apache 2.0", "MIT AND Apache-2.0"),
        ("MIT License - https://opensource.org/licenses/MIT", "MIT"),
        ("Apache 2.0 (https://www.apache.org/licenses/LICENSE-2.0), MIT", "Apache-2.0 AND MIT"),
        ("Apache 2.0 and Sun Industry Standards Source License (SISSL)", "Apache-2.0 AND SISSL"),
        ("Academic Free License (AFL-2.1)", "AFL-2.1"),
        # a link that names a license is a part of its own, unless the name beside it says it
        (
            '"https://creativecommons.org/licenses/by-nc-nd/4.0", "CC-BY-4.0"',
            "CC-BY-4.0 AND CC-BY-NC-ND-4.0",
        ),
        (
            "MIT <http://opensource.org/licenses/MIT> or Llama 2 Community License",
            "MIT OR LicenseRef-scancode-llama-2-license-2023",
        ),
        ("http://en.wikipedia.org/wiki/Zlib_License, MIT", "MIT AND Zlib"),
    ],
)
def test_labels_links_and_ids_in_parentheses_are_remarks(text: str, expression: str) -> None:
    result = normalize(text)
    assert (result.status, result.expression) == ("ok", expression)


_ID_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]*\+?")
_LINK_TEXT = re.compile(r"(?:https?://|www\.)\S+", re.I)


def test_every_license_id_a_compound_names_is_in_its_expression_or_a_note() -> None:
    """Over generated compounds of ids, names, remarks and junk: an ``ok`` result keeps every
    license id the input writes (outside links), or a note says what became of it."""
    import random

    rng = random.Random(99)
    pieces = [
        "MIT",
        "mit",
        "Apache 2.0",
        "Apache-2.0",
        "GPL-2.0+",
        "Zlib",
        "0BSD",
        "CC-BY-4.0",
        "wxWindows",
        "Nunit",
        "LAL-1.2",
        "NOT",
        "x",
        "qqzx",
        "(code)",
        "weights:",
        "Licence",
        "Modified MIT",
        "llama 2 community license",
        "other",
        "Unknown",
        "+",
        ".",
    ]
    seps = [", ", ";", " / ", " & ", " and ", " AND ", " or ", " OR ", " + ", " WITH ", " "]
    catalog = get_catalog()
    lost = []
    for _ in range(3_000):
        text = rng.choice(pieces)
        for _ in range(rng.randint(1, 5)):
            text += rng.choice(seps) + rng.choice(pieces)
        result = normalize(text)
        if result.status != "ok" or result.expression is None:
            continue
        kept = {leaf.id for leaf in ex.iter_license_keys(ex.parse(result.expression, catalog))}
        for word in _ID_WORD.findall(_LINK_TEXT.sub(" ", text)):
            lid = catalog.license_id(word)
            if lid is None or lid in kept or catalog.replacement(lid) in kept:
                continue
            if any(lid in w for w in result.warnings):
                continue
            if any(lid.casefold() in k.casefold() for k in kept):  # a name that holds it
                continue
            lost.append((text, result.expression, lid))
    assert lost == []


@pytest.mark.parametrize(
    ("text", "status", "expression"),
    [
        ("https://github.com/facebookresearch/llama/blob/llama_v1/LICENSE", "ok",
         "LicenseRef-scancode-llama-license-2023"),  # the text's address (catalog urls)
        ("http://www.mozilla.org/MPL/2.0/", "ok", "MPL-2.0"),  # its last two parts name it
        ("http://en.wikipedia.org/wiki/Zlib_License", "ok", "Zlib"),
        # an address that names no license is not split into pieces of names ("node" was
        # read as Node.js's license, "microsoft" as MS-PL)
        ("http://www.scala-lang.org/node/146", "not-a-license", None),
        ("https://huggingface.co/microsoft/Phi-4-reasoning/blob/main/LICENSE", "not-a-license",
         None),
    ],
)  # fmt: skip
def test_a_link_alone_is_read_by_its_address(
    text: str, status: str, expression: str | None
) -> None:
    result = normalize(text)
    assert (result.status, result.expression) == (status, expression)

"""identify(): which license a text is, whether it was modified, and what it restricts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from openlicense.catalog import LicenseEntry, get_catalog
from openlicense.catalog.texts import scancode_text
from openlicense.model import Identification
from openlicense.read.text import text_input
from openlicense.report.identify import identify, identify_many

HARD = FIXTURES / "identify"


def flag_names(result: Identification) -> set[str]:
    return {f.name for f in result.flags}


def assert_quotes_in_file(result: Identification, text: str) -> None:
    for f in result.flags:
        if f.evidence.quote:
            assert f.evidence.quote.removesuffix("...") in text, f
            assert f.evidence.line is not None
            line = text.splitlines()[f.evidence.line - 1]
            assert f.evidence.quote.split("\n")[0][:20].strip() in line, (f, line)


# ---------------------------------------------------------------------------------------------
# the fast path: exact texts, with no ScanCode index


@pytest.mark.parametrize(
    ("key", "expression"),
    [
        ("llama-2-license-2023", "LicenseRef-scancode-llama-2-license-2023"),
        ("gemma-tou-2024-04-01", "LicenseRef-scancode-gemma-tou-2024-04-01"),
        ("gemma-tou-2025-03-24", "LicenseRef-scancode-gemma-tou-2025-03-24"),
        ("llama-3.1-license-2024", "LicenseRef-scancode-llama-3.1-license-2024"),
        ("llama-3.2-license-2024", "LicenseRef-scancode-llama-3.2-license-2024"),
        ("apache-2.0", "Apache-2.0"),
        ("cc-by-nc-4.0", "CC-BY-NC-4.0"),
        ("bigscience-open-rail-m2", "LicenseRef-scancode-bigscience-open-rail-m2"),
    ],
)
def test_exact_texts_and_versions_one_clause_apart(key: str, expression: str) -> None:
    text = scancode_text(key)
    assert text
    result = identify(text_input(text, path=f"{key}.txt"), scancode=False)
    assert result.expression == expression
    assert result.variant_of is None
    assert result.method == "exact"
    assert result.coverage == 100.0
    assert_quotes_in_file(result, text)


def test_catalogued_license_flags_come_from_the_catalog_with_clause_cited() -> None:
    text = scancode_text("llama-2-license-2023") or ""
    result = identify(text_input(text, path="LICENSE"), scancode=False)
    assert {"user-threshold", "output-restriction", "field-of-use-restriction"} <= flag_names(
        result
    )
    threshold = next(f for f in result.flags if f.name == "user-threshold")
    assert threshold.source == "catalog:LicenseRef-scancode-llama-2-license-2023"
    assert "700 million monthly active users" in (threshold.evidence.quote or "")
    assert threshold.evidence.path == "LICENSE"
    assert result.osaid_conformant is False
    assert result.freedom("use") == "restricted"
    assert result.kind == "license"
    assert_quotes_in_file(result, text)


def test_open_license_is_conformant_with_no_flags() -> None:
    result = identify(HARD / "mit-crlf.txt", scancode=False)
    assert result.expression == "MIT"
    assert result.flags == ()
    assert result.osaid_conformant is True
    assert all(v == "granted" for _, v in result.freedoms)


def test_license_embedded_in_a_readme_is_found_and_not_called_modified() -> None:
    result = identify(HARD / "README-embedded-mit.md", scancode=False)
    assert result.expression == "MIT"
    # the aligner finds the license inside the README (with engine="scancode", the whole-text
    # hash does: method "contained")
    assert result.method == "alignment"
    assert "a license text embedded in a larger document" in result.warnings
    assert "modified-standard-license" not in flag_names(result)


def test_every_verbatim_osi_approved_text_is_conformant_and_unflagged() -> None:
    """A license OSI approved, in its own words, is judged by its approval: reading its words
    again gave EPL-2.0 no-derivatives and APSL non-commercial (15 of 136 texts)."""
    from openlicense.evaluation.provisions import osi_cases

    cases = osi_cases()
    assert len(cases) > 100
    wrong = []
    for case in cases:
        result = identify(text_input(case.text, case.name), scancode=False)
        if result.expression != case.name or result.osaid_conformant is not True or result.flags:
            wrong.append((case.name, result.expression, sorted(flag_names(result))))
    assert wrong == []


def test_what_surrounds_a_known_license_is_still_read() -> None:
    """The license's own words are the catalog's business; the file around them is not."""
    head = "# SPDX-License-Identifier: MIT\n# Copyright 2024 Example\n"
    rule = "# You may not use this model for any commercial purpose.\n"
    tagged = identify(text_input(head + rule + "import torch\n", "model.py"), scancode=False)
    assert tagged.expression == "MIT"
    assert tagged.method == "spdx-tag"
    assert "non-commercial" in flag_names(tagged)
    assert tagged.osaid_conformant is False
    clean = identify(text_input(head + "import torch\n", "model.py"), scancode=False)
    assert clean.flags == ()
    assert clean.osaid_conformant is True
    readme = (HARD / "README-embedded-mit.md").read_text(encoding="utf-8")
    usage = "## Usage\n\nYou may not use the model for any commercial purpose.\n"
    around = identify(text_input(readme.replace("## Usage\n", usage), "README.md"), scancode=False)
    assert "non-commercial" in flag_names(around)
    assert around.osaid_conformant is False


def test_fast_path_never_loads_scancode() -> None:
    code = (
        "import sys; from openlicense.report.identify import identify; "
        "from openlicense.identification.scancode import index_loaded; "
        f"r = identify({str(HARD / 'mit-crlf.txt')!r}, scancode=False); "
        "print(r.expression, index_loaded(), 'licensedcode.cache' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["MIT", "False", "False"]


def test_fingerprint_identifies_a_license_scancode_lacks() -> None:
    text = (
        "META LLAMA 3 COMMUNITY LICENSE AGREEMENT\n"
        "Meta Llama 3 Version Release Date: April 18, 2024\n"
        "... the rest of the agreement ...\n"
    )
    result = identify(text_input(text, path="LICENSE"), scancode=False)
    assert result.expression == "LicenseRef-openlicense-llama-3-2024-04-18"
    assert result.method == "fingerprint"


@pytest.mark.parametrize("entry", [pytest.param(e, id=e.id) for e in get_catalog().fingerprinted()])
def test_a_document_that_names_a_fingerprinted_license_is_not_its_text(entry: LicenseEntry) -> None:
    """A README or a table that cites a license by every name it has is not the license text."""
    names = [entry.name, *entry.aliases]
    text = (
        "# Kestrel-7B\n\n"
        + "".join(f"Part {i} is released under the {n}.\n" for i, n in enumerate(names))
        + "name\tlicense\n"
        + "".join(f"kestrel-{i}\t{n}\n" for i, n in enumerate(names))
    )
    result = identify(text_input(text, path="README.md"), scancode=False)
    assert result.method != "fingerprint"
    assert entry.id not in [m.expression for m in result.matches if m.method == "fingerprint"]


# ---------------------------------------------------------------------------------------------
# modified standard licenses and custom texts


def test_apache_with_appended_military_rider() -> None:
    path = HARD / "apache-2.0-military-rider.txt"
    result = identify(path, scancode=False)
    assert result.expression is None
    assert result.variant_of == "Apache-2.0"
    names = flag_names(result)
    assert {"modified-standard-license", "field-of-use-restriction"} <= names
    rider = next(f for f in result.flags if f.name == "field-of-use-restriction")
    assert "military" in (rider.evidence.quote or "")
    assert result.osaid_conformant is False
    assert result.freedom("use") == "restricted"
    assert_quotes_in_file(result, path.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "variant_of", "flags"),
    [
        ("mit-noncommercial.txt", "MIT", {"modified-standard-license", "non-commercial"}),
        ("modified-mit-threshold.txt", "MIT", {"modified-standard-license", "user-threshold"}),
    ],
)
def test_modified_mit(name: str, variant_of: str, flags: set[str]) -> None:
    path = HARD / name
    result = identify(path)
    assert result.variant_of == variant_of
    assert result.expression is None or result.expression.startswith("LicenseRef-openlicense-")
    assert flags <= flag_names(result)
    assert result.osaid_conformant is False
    assert_quotes_in_file(result, path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "flags"),
    [
        ("custom-license-utf16.txt", {"field-of-use-restriction", "non-commercial"}),
        ("bilingual-license.txt", {"field-of-use-restriction", "non-commercial"}),
    ],
)
def test_custom_licenses_are_judged_by_their_clauses(name: str, flags: set[str]) -> None:
    result = identify(HARD / name, scancode=False)
    assert result.error is None
    assert result.kind == "license"
    assert flags <= flag_names(result)
    assert result.osaid_conformant is False
    assert result.expression is None or result.expression.startswith("LicenseRef-openlicense-")


def test_acceptable_use_policy_is_recognised_and_flagged() -> None:
    text = (
        "# Example AI Acceptable Use Policy\n\n"
        "You agree you will not use, or allow others to use, the Model to:\n"
        "1. Engage in or promote violence, terrorism or military activities.\n"
        "We may update this policy from time to time.\n"
    )
    result = identify(text_input(text, path="USE_POLICY.md"), scancode=False)
    assert result.kind == "acceptable-use-policy"
    assert "field-of-use-restriction" in flag_names(result)


# ---------------------------------------------------------------------------------------------
# bad input: a typed error in its own result, never a crash


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    (tmp / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp / "latin1.txt").write_bytes("Licence accordée à © Société\n".encode("latin-1"))
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "blank.txt").write_text("  \n\n\t\n", encoding="utf-8")
    big = tmp / "huge.txt"
    with big.open("wb") as handle:
        handle.seek(50 * 1024 * 1024)
        handle.write(b"\n")
    (tmp / "folder").mkdir()
    return {
        "binary": (tmp / "binary.bin", "BinaryInputError"),
        "invalid-utf8": (tmp / "latin1.txt", "EncodingInputError"),
        "empty": (tmp / "empty.txt", "EmptyInputError"),
        "blank": (tmp / "blank.txt", "EmptyInputError"),
        "50MB": (big, "InputTooLargeError"),
        "directory": (tmp / "folder", "NotAFileError"),
        "missing": (tmp / "no-such-file", "MissingInputError"),
    }


def test_bad_files_get_typed_errors_and_the_rest_go_on(tmp_path: Path) -> None:
    bad = _bad_inputs(tmp_path)
    paths = [HARD / "mit-crlf.txt", *(p for p, _ in bad.values()), HARD / "mit-crlf.txt"]
    results = identify_many(paths, scancode=False)
    assert len(results) == len(paths)
    assert results[0].expression == results[-1].expression == "MIT"
    for result, (name, (path, error_type)) in zip(results[1:-1], bad.items(), strict=True):
        assert result.error_type == error_type, name
        assert result.error is not None
        assert str(path) in result.error or result.path == str(path)


def test_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openlicense.read import text as reading

    target = tmp_path / "LICENSE"
    target.write_text("MIT License", encoding="utf-8")

    def deny(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reading, "_open_fd", deny)
    result = identify(target, scancode=False)
    assert result.error_type == "UnreadableInputError"


def test_json_shape() -> None:
    data = identify(HARD / "apache-2.0-military-rider.txt", scancode=False).to_dict()
    assert data["schema"] == "openlicense/identification/v1"
    assert set(data) >= {
        "path", "kind", "expression", "variant_of", "coverage", "method", "freedoms",
        "osaid_conformant", "flags", "error",
    }  # fmt: skip
    assert set(data["freedoms"]) == {"use", "study", "modify", "share"}
    flag = data["flags"][0]
    assert set(flag) >= {"name", "code", "severity", "message", "evidence"}
    assert set(flag["evidence"]) >= {"path", "line", "quote"}
    json.dumps(data)


def test_cli_identify(tmp_path: Path) -> None:
    (tmp_path / "empty").write_text("", encoding="utf-8")
    exe = [sys.executable, "-m", "openlicense", "identify", "--no-scancode", "--format", "json"]
    ok = subprocess.run(
        [*exe, str(HARD / "mit-crlf.txt")], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)[0]["expression"] == "MIT"
    findings = subprocess.run(
        [*exe, str(HARD / "apache-2.0-military-rider.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert findings.returncode == 1
    broken = subprocess.run(
        [*exe, str(HARD / "mit-crlf.txt"), str(tmp_path / "empty")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert broken.returncode == 2
    data = json.loads(broken.stdout)
    assert [d["error_type"] for d in data] == [None, "EmptyInputError"]
    text = subprocess.run(
        [
            sys.executable,
            "-m",
            "openlicense",
            "identify",
            "--no-scancode",
            str(HARD / "apache-2.0-military-rider.txt"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert "a variant of Apache-2.0" in text.stdout
    assert "field-of-use-restriction" in text.stdout


# ---------------------------------------------------------------------------------------------
# the development corpus


@pytest.mark.slow
def test_llama3_april_2024_is_not_llama_3_1(corpus: Path) -> None:
    result = identify(corpus / "licenses" / "meta__llama3_LICENSE.txt")
    assert result.expression != "LicenseRef-scancode-llama-3.1-license-2024"
    assert result.expression == "LicenseRef-openlicense-llama-3-2024-04-18" or (
        result.variant_of == "LicenseRef-scancode-llama-3.1-license-2024"
    )


@pytest.mark.slow
def test_identification_accuracy_on_development_texts(corpus: Path) -> None:
    from openlicense.evaluation import evaluate_texts, format_texts_score

    score = evaluate_texts(corpus)
    print("\n" + format_texts_score(score))
    assert score.identity_ok / score.files >= 0.95
    assert score.wrong_version == []
    assert score.osaid_ok / score.files >= 0.97
    assert score.precision >= 0.90
    assert score.recall >= 0.85
    assert score.quotes_found == score.quotes


# ---------------------------------------------------------------------------------------------
# the two stages, and paths against texts


def test_identify_text_reads_a_one_line_text_that_names_no_file() -> None:
    import openlicense

    result = openlicense.identify_text("SPDX-License-Identifier: MIT", name="tag.txt")
    assert (result.path, result.expression, result.method) == ("tag.txt", "MIT", "spdx-tag")


def test_a_one_line_str_is_always_a_path(tmp_path: Path) -> None:
    result = identify("SPDX-License-Identifier: MIT", scancode=False)
    assert result.error_type == "MissingInputError"


def test_identification_finds_and_the_rules_flag() -> None:
    """The identification stage says what the text says (findings) and raises no flag; the
    public identify turns each finding into the flag of its rule, at the same place."""
    from openlicense.identification import examine

    path = FIXTURES / "rules" / "modified-standard-license" / "repo" / "LICENSE"
    found = examine(path, scancode=False)
    judged = identify(path, scancode=False)
    assert found.flags == ()
    assert found.osaid_conformant is None
    assert [(f.flag, f.evidence) for f in found.findings] == [
        (f.name, f.evidence) for f in judged.flags
    ]
    # "for non-commercial purposes only" is inserted into the grant: an addition
    assert {f.kind for f in found.findings} == {"clause", "diff-added"}
    assert judged.osaid_conformant is False
    assert dict(judged.freedoms)["use"] == "restricted"
    assert all(not f.fix for f in judged.flags)  # a text's flags: the report adds the fix


def test_a_text_seen_before_cites_its_own_file(tmp_path: Path) -> None:
    """Corpora repeat LICENSE files; a result reused for the same text must cite the new file
    in every piece of evidence (findings and the text's own grants alike)."""
    text = (
        "Acme Model License\n\n"
        "Permission is granted to use, copy, modify and distribute the Model for any purpose.\n"
        "You may not use the Model for military purposes.\n"
    )
    first, second = tmp_path / "a" / "LICENSE", tmp_path / "b" / "LICENSE"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    import openlicense

    openlicense.identify(first)
    again = openlicense.identify(second)
    cited = {f.evidence.path for f in again.flags}
    cited |= {f.evidence.path for f in again.findings}
    cited |= {t.evidence.path for t in again.text_freedoms}
    assert again.flags, "the fixture text must raise a flag for this test to mean anything"
    assert again.text_freedoms, "and read its grant"
    assert cited == {str(second)}


# The tag pattern the linear reader replaced: a lazy value then \s*, quadratic on a long run of
# spaces. It stays here as the reference for what a tag's value is.
_LAZY_TAG = re.compile(r"SPDX-License-Identifier:\s*(?P<expr>[^\n*]+?)\s*(?:\*/|-->|$)", re.M)
_TAG_PARTS = ["SPDX-License-Identifier:", " ", "MIT", " OR ", "*/", "-->", "\n", "*", "x", "\t"]


@given(st.lists(st.sampled_from(_TAG_PARTS), min_size=1, max_size=12))
@settings(max_examples=400, deadline=None)
def test_spdx_tags_read_what_the_lazy_pattern_read(parts: list[str]) -> None:
    from openlicense.identification.study import spdx_tags

    text = "SPDX-License-Identifier:" + "".join(parts)
    expected = [m.group("expr") for m in _LAZY_TAG.finditer(text) if m.group("expr").strip()]
    assert [t.expression for t in spdx_tags(text)] == expected


def test_word_diff_says_what_the_text_adds_and_what_it_drops() -> None:
    from openlicense.identification.exact import diff_words

    reference = (
        "Permission is granted to use copy modify and share the work for any purpose whatever"
    )
    text = (
        "Permission is granted to use copy modify and share the work, "
        "but never by a company with more than ten staff"
    )
    changes = diff_words(text, reference, min_words=3)
    assert [c.kind for c in changes] == ["changed"]
    assert (
        text[changes[0].start : changes[0].end] == "but never by a company with more than ten staff"
    )
    assert changes[0].reference_quote == "for any purpose whatever"

    inserted = reference.replace("the work", "the work (a rider of seven new words here)")
    (added,) = diff_words(inserted, reference, min_words=3)
    assert added.kind == "added"
    assert inserted[added.start : added.end] == "a rider of seven new words here"
    assert added.reference_quote == ""

    shortened = reference.replace(" for any purpose whatever", "")
    (removed,) = diff_words(shortened, reference, min_words=3)
    assert removed.kind == "removed"
    assert removed.words == 4
    assert removed.reference_quote == "for any purpose whatever"


def test_rider_inside_a_titled_standard_text_is_read() -> None:
    """A standard text cut short with a rider inside it is found by its title, and the rider
    (not only the cut) is what makes it a modified license."""
    mit = scancode_text("mit")
    assert mit is not None
    head = mit.partition("THE SOFTWARE IS PROVIDED")[0]
    rider = (
        "Further condition: the permission above is not given to any company whose yearly "
        "turnover is over 40 million euros.\n\n"
    )
    text = "MIT License\n\n" + head + rider + 'THE SOFTWARE IS PROVIDED "AS IS".\n'
    result = identify(text_input(text, path="mit-rider.txt"))
    assert result.variant_of == "MIT"
    names = {f.name for f in result.flags}
    assert "revenue-threshold" in names
    assert "modified-standard-license" in names
    assert result.osaid_conformant is False


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("ab `\u2018\u2019\u201c\u201d\u2013\u2014\u2212\u00a0\u2022\nß")
    )
)
def test_the_fold_map_shortcut_is_the_translation(text: str) -> None:
    from openlicense.catalog.keys import FOLD_MAP, map_folds
    from openlicense.identification.exact import FoldedText

    assert map_folds(text) == text.translate(FOLD_MAP)
    folded = FoldedText(text)
    for word in folded.folded.split():
        found = folded.find(word)
        assert found is not None
        assert FoldedText(text[found[0] : found[1]]).folded == word


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(
                " \n\ta`\u2019\u00a0\u3000\u00c9\u00e9\u00df\ufb01\u0301\u4e2d\u6587\u0130"
            ),
            st.characters(codec="utf-8"),
        ),
        max_size=60,
    )
)
def test_folding_in_place_gives_what_folding_token_by_token_gives(text: str) -> None:
    """The fast path (a text in NFKC form whose characters case-fold one to one) folds to the
    same text and finds the same offsets as the token-by-token path it replaces."""
    from openlicense.identification import exact

    fast = exact.FoldedText(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(exact, "_folds_in_place", lambda _text: False)
        slow = exact.FoldedText(text)
    assert fast.folded == slow.folded
    for word in set(fast.folded.split()):
        assert fast.find(word) == slow.find(word)


@pytest.mark.parametrize(
    "notice",
    [
        "This model is licensed under CC-BY-NC-4.0.\n",
        "This work is licensed under the Creative Commons Attribution-NonCommercial-ShareAlike "
        "4.0 International License. To view a copy of this license, visit "
        "http://creativecommons.org/licenses/by-nc-sa/4.0/.\n",
    ],
)
def test_a_notice_naming_a_restrictive_license_is_that_license_not_a_variant(notice: str) -> None:
    """The license's own name ("NonCommercial") is not a rider added to it."""
    result = identify(text_input(notice, path="NOTICE"), scancode=False)
    assert result.method == "notice"
    assert result.variant_of is None
    assert result.expression is not None
    assert "modified-standard-license" not in flag_names(result)


def test_a_notice_with_a_rider_is_a_variant() -> None:
    text = "This work is licensed under CC BY 4.0, except that it may not be used for weapons.\n"
    result = identify(text_input(text, path="NOTICE"), scancode=False)
    assert result.variant_of == "CC-BY-4.0"
    assert {"field-of-use-restriction", "modified-standard-license"} <= flag_names(result)

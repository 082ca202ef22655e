"""The clause scanner: its pattern table, hand-written cases, the development corpus, standard
licenses that must stay silent, and inputs built to be slow."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from openlicense.catalog import get_catalog
from openlicense.catalog.texts import scancode_license_dir, scancode_text
from openlicense.errors import CatalogError, OpenLicenseError
from openlicense.identification.clauses import (
    MAX_QUOTE_LENGTH,
    ClauseHit,
    ClausePattern,
    UnknownFlagError,
    patterns,
    scan_clauses,
)
from openlicense.identification.clauses.matching import scan_with
from openlicense.identification.clauses.table import build_table, load_patterns

PATTERNS = patterns()
FLAGS = sorted({p.flag for p in PATTERNS})
LICENSE_TERM_FLAGS = sorted(
    f.name for f in get_catalog().flags.values() if f.scope == "license-term"
)


def flags_in(text: str) -> set[str]:
    return {hit.flag for hit in scan_clauses(text)}


def assert_well_formed(text: str, hits: list[ClauseHit]) -> None:
    for hit in hits:
        assert hit.quote == text[hit.start : hit.end]
        assert 0 < len(hit.quote) <= MAX_QUOTE_LENGTH
        assert hit.quote == hit.quote.strip()
        assert hit.line == text.count("\n", 0, hit.start) + 1 or "\r" in text
    assert hits == sorted(hits, key=lambda h: (h.start, h.flag, h.end, h.pattern))


# --------------------------------------------------------------------------------------------
# the pattern table


def test_every_license_term_flag_has_a_pattern() -> None:
    # modified-standard-license is found by diffing against the standard text, not by wording
    assert FLAGS == LICENSE_TERM_FLAGS


def test_pattern_ids_are_unique_and_explained() -> None:
    ids = [p.id for p in PATTERNS]
    assert len(ids) == len(set(ids))
    for pattern in PATTERNS:
        assert len(pattern.description) > 40, pattern.id
        assert all(pattern.all), pattern.id


def test_patterns_hands_out_a_copy_of_the_table() -> None:
    first = patterns()
    first.clear()
    assert patterns() == PATTERNS
    assert flags_in(PATTERNS[0].example)  # the scanner's own table was not emptied either


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_example_matches_its_own_pattern(pattern: ClausePattern) -> None:
    alone = scan_with(pattern.example, build_table([pattern]))
    assert [hit.pattern for hit in alone] == [pattern.id]
    assert pattern.flag in flags_in(pattern.example)


def test_the_docs_list_every_pattern() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "clauses.md").read_text("utf-8")
    missing = [p.id for p in PATTERNS if f"| `{p.id}` | `{p.flag}` |" not in docs]
    assert missing == [], "regenerate the pattern table of docs/clauses.md"


BAD_TABLES = [
    pytest.param('[[pattern]]\nid = "Bad_Id"', "id must be kebab-case", id="bad-id"),
    pytest.param('[[pattern]]\nid = "x"\nflag = "no-such-flag"', "not a license-term", id="flag"),
    pytest.param(
        '[[pattern]]\nid = "x"\nflag = "modified-standard-license"', "not a license-term", id="msl"
    ),
    pytest.param('[[pattern]]\nid = "x"\nflag = "user-threshold"', "example is required", id="ex"),
    pytest.param('[[pattern]]\nid = "x"\nall = []', "'all' must be a non-empty", id="empty-all"),
    pytest.param('[[pattern]]\nid = "x"\nall = [["{count}"]]', "unknown placeholder", id="ph"),
    pytest.param('[[pattern]]\nid = "x"\nall = [["us*ers"]]', "may only end a word", id="star"),
    pytest.param('[[pattern]]\nid = "x"\nall = [["u*"]]', "shorter than 3", id="short-prefix"),
    pytest.param('[[pattern]]\nid = "x"\nall = [["{any}"]]', "matches any word", id="any"),
    pytest.param('[[pattern]]\nid = "x"\nwindow = 0', "window must be", id="window"),
    pytest.param('[[pattern]]\nid = "x"\nregex = "a+"', "unknown key 'regex'", id="regex"),
    pytest.param('[[pattern]]\nid = "x"\nlead_in = "yes"', "lead_in must be", id="lead-in"),
    pytest.param("[[pattern]]\nid = ", "clauses.toml", id="toml-syntax"),
    pytest.param("", "no [[pattern]] tables", id="no-patterns"),
]


@pytest.mark.parametrize(("table", "message"), BAD_TABLES)
def test_invalid_tables_are_rejected(table: str, message: str) -> None:
    with pytest.raises(CatalogError, match=re.escape(message)):
        load_patterns(table)


def test_every_problem_of_a_table_is_reported_at_once() -> None:
    table = """
[[pattern]]
id = "a"
flag = "user-threshold"
description = "d"
example = "e"
all = [["fine"]]

[[pattern]]
id = "a"
flag = "nope"
description = "d"
example = "e"
all = [["x*y"]]
"""
    with pytest.raises(CatalogError) as caught:
        load_patterns(table)
    message = str(caught.value)
    assert "duplicate id" not in message  # the second table is invalid, so never loaded
    assert "'nope' is not a license-term flag" in message
    assert "'*' may only end a word" in message


# --------------------------------------------------------------------------------------------
# hand-written sentences: other wordings of each flag, and sentences that must stay silent

POSITIVE = [
    (
        "field-of-use-restriction",
        "You shall not use the Model for military purposes or weapons development.",
    ),
    (
        "field-of-use-restriction",
        "Your use must comply with our Usage Policies, incorporated herein by reference.",
    ),
    (
        "field-of-use-restriction",
        "You agree not to use the Model for any of the restricted uses in Attachment A.",
    ),
    (
        "field-of-use-restriction",
        "The Model may not be used for surveillance or biometric identification.",
    ),
    (
        "field-of-use-restriction",
        "You may not offer the Software to third parties as a managed service.",
    ),
    (
        "user-threshold",
        "Licensees whose services exceed 50 million daily active users need a separate license.",
    ),
    (
        "user-threshold",
        "This grant ends once your platform has more than 1,000,000 monthly active users.",
    ),
    (
        "revenue-threshold",
        "Companies with annual revenue above USD 5 million must buy an enterprise license.",
    ),
    (
        "revenue-threshold",
        "Free use is limited to organisations with annual revenues below €1,000,000.",
    ),
    ("non-commercial", "The weights are licensed for non-commercial use only."),
    ("non-commercial", "You may not use the Model or its outputs for commercial purposes."),
    ("non-commercial", "The Materials may be used exclusively for academic research purposes."),
    ("non-commercial", "Commercial use requires a separate license from the Licensor."),
    ("no-derivatives", "You may not modify, fine-tune or adapt the Model."),
    ("no-derivatives", "You must not distribute derivative works of the Model."),
    ("output-restriction", "You may not use the outputs of the Model to train any other AI model."),
    (
        "output-restriction",
        "Output may not be used to develop models that compete with the Provider.",
    ),
    (
        "brand-requirement",
        'Products built on the Model must display "Powered by Acme" on their website.',
    ),
    ("brand-requirement", 'Any fine-tuned model must include "Acme" in its name.'),
    ("terms-changeable", "We may update these Terms at any time by posting a new version."),
    (
        "terms-changeable",
        "The Acceptable Use Policy may be amended from time to time by the Licensor.",
    ),
    (
        "terms-changeable",
        "Your continued use of the Model after changes are posted constitutes acceptance.",
    ),
    ("geographic-restriction", "This license does not apply in the European Union."),
    (
        "geographic-restriction",
        "You may not access the Model if you are located in an embargoed country.",
    ),
    ("licensor-control", "The Licensor may revoke this license at any time for any reason."),
    ("licensor-control", "Acme reserves the right to remotely disable the Model."),
]

NEGATIVE = [
    # standard open licenses
    "You may add Your own attribution notices within Derivative Works that You distribute.",
    (
        "You may not impose any further restrictions on the exercise of the rights granted or "
        "affirmed under this License."
    ),
    (
        "No additional restrictions. You may not offer or impose any additional or different terms"
        " or conditions on the Licensed Material."
    ),
    (
        "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
        "software, subject to the following conditions:"
    ),
    (
        "The Free Software Foundation may publish revised and/or new versions of the General "
        "Public License from time to time."
    ),
    "You may distribute the Program under the terms of any later version of this License.",
    "Each version of the License is given a distinguishing version number.",
    (
        "Neither the name of the copyright holder nor the names of its contributors may be used to"
        " endorse or promote products derived from this software without specific prior written "
        "permission."
    ),
    (
        "You may not propagate or modify a covered work except as expressly provided under this "
        "License."
    ),
    (
        "THE SOFTWARE IS PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND, INCLUDING COMMERCIAL "
        "DAMAGES OR LOSSES."
    ),
    (
        "Permission to use, copy, modify and distribute this software for commercial or "
        "non-commercial purposes is granted."
    ),
    (
        "The Licensor grants you a perpetual, worldwide, non-exclusive, royalty-free, irrevocable "
        "license."
    ),
    "You may not use this file except in compliance with the License.",
    # AI licenses: clauses that look like a flag but are not one
    "Google may update Gemma from time to time.",
    "You shall undertake reasonable efforts to use the latest version of the Model.",
    (
        "No change or addition to any provision of this License will be binding unless it is in "
        "writing and signed by both parties."
    ),
    "You agree to comply with all applicable export control and trade sanctions laws.",
    (
        "This Agreement is governed by the laws of the People's Republic of China (excluding Hong "
        "Kong, Macau and Taiwan)."
    ),
    (
        "Meta may terminate this Agreement if you are in breach of any term or condition of this "
        "Agreement."
    ),
    "For clarity, Outputs are not deemed Model Derivatives.",
    "You may use Output for any purpose, including for commercial purposes.",
    "All distributions must be accompanied by a Notice text file with the attribution notice.",
    (
        "The Model is not designed or intended for use in any high-risk application, which you do "
        "at your own risk."
    ),
    "Your use of the Model must comply with applicable laws and regulations.",
    "Use for revenue-generating activity is not a Non-Commercial purpose.",
    (
        "If you reside in the European Economic Area, your use of the Services is governed by "
        "these terms."
    ),
]


@pytest.mark.parametrize(
    ("flag", "sentence"), POSITIVE, ids=[f"{f}-{i}" for i, (f, _) in enumerate(POSITIVE)]
)
def test_other_wordings_raise_the_flag(flag: str, sentence: str) -> None:
    assert flag in flags_in(sentence)


@pytest.mark.parametrize("sentence", NEGATIVE, ids=range(len(NEGATIVE)))
def test_look_alike_sentences_raise_nothing(sentence: str) -> None:
    assert scan_clauses(sentence) == []


def test_list_items_inherit_the_lead_in() -> None:
    text = (
        "Use restrictions\n\n"
        "You agree not to use the Model:\n"
        "  (a) for the development of weapons;\n"
        "  (b) to write poems in French.\n"
        "Weapons are defined in Annex 2.\n"
    )
    hits = scan_clauses(text, flags=["field-of-use-restriction"])
    assert [(h.line, h.quote) for h in hits] == [
        (3, "You agree not to use the Model:"),
        (4, "for the development of weapons;"),
    ]


def test_a_flush_left_paragraph_ends_the_list() -> None:
    text = "You agree not to:\n  - share the Model;\nWeapons research is reported yearly.\n"
    assert "field-of-use-restriction" not in {h.flag for h in scan_clauses(text)[1:]}


def test_colon_inside_a_line_does_not_split_the_clause() -> None:
    text = (
        "You may not use or download the Model if you are: (a) located in a comprehensively "
        "sanctioned jurisdiction."
    )
    [hit] = scan_clauses(text)
    assert hit.flag == "geographic-restriction"
    assert hit.quote == text


def test_flags_filter() -> None:
    text = (
        "You may not use outputs to improve any other large language model. "
        "The Licensor may revoke this license at any time."
    )
    assert {h.flag for h in scan_clauses(text)} == {"output-restriction", "licensor-control"}
    assert {h.flag for h in scan_clauses(text, flags=["licensor-control"])} == {"licensor-control"}
    assert {h.flag for h in scan_clauses(text, flags="output-restriction")} == {
        "output-restriction"
    }
    assert scan_clauses(text, flags=[]) == []


@pytest.mark.parametrize("flag", ["modified-standard-license", "gated-access", "nonsense"])
def test_flags_no_pattern_detects_are_an_error(flag: str) -> None:
    with pytest.raises(UnknownFlagError, match=flag) as caught:
        scan_clauses("text", flags=[flag])
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, OpenLicenseError)


def test_one_hit_per_flag_and_sentence() -> None:
    text = "You may not use the Model for military purposes, weapons, surveillance or nuclear work."
    hits = scan_clauses(text)
    assert Counter(h.flag for h in hits) == {"field-of-use-restriction": 1}


def test_long_sentences_are_quoted_around_the_match() -> None:
    filler = " ".join(["the parties acknowledge the recitals above"] * 40)
    text = f"{filler}, and you may not use the Model for military purposes, {filler}."
    [hit] = scan_clauses(text)
    assert len(hit.quote) <= MAX_QUOTE_LENGTH
    assert "may not use the Model for military" in hit.quote
    assert hit.quote == text[hit.start : hit.end]
    assert not text[hit.start - 1].isalnum()  # not cut inside a word
    assert not text[hit.end].isalnum()


def test_quotes_keep_curly_quotes_and_dashes() -> None:
    text = "You shall prominently display \u201cBuilt with Acme\u201d \u2014 on a related website."
    [hit] = scan_clauses(text)
    assert hit.quote == text


LINES = (
    "Preamble\n\nSection 1.\nYou may not use the Model\nfor military purposes.\n\n"
    "2. The Licensor may revoke this license at any time.\n"
)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_line_numbers_do_not_depend_on_the_newline_convention(newline: str) -> None:
    text = LINES.replace("\n", newline)
    hits = scan_clauses(text)
    assert [(h.flag, h.line) for h in hits] == [
        ("field-of-use-restriction", 4),
        ("licensor-control", 7),
    ]
    reference = scan_clauses(LINES)
    assert [h.quote.replace(newline, "\n") for h in hits] == [h.quote for h in reference]
    assert_well_formed(text, hits)


def test_scanning_is_deterministic() -> None:
    text = scancode_text("llama-2-license-2023")
    assert text is not None
    first = scan_clauses(text)
    assert first == scan_clauses(text)
    assert first
    assert_well_formed(text, first)


# --------------------------------------------------------------------------------------------
# the development corpus: micro precision and recall over judged (file, flag) pairs

PRECISION_TARGET = 0.90
RECALL_TARGET = 0.85


def _gold(corpus: Path) -> list[tuple[str, set[str], set[str]]]:
    """(file, flags judged present, flags judged absent) of each labelled corpus text."""
    lines = (corpus / "gold" / "texts.jsonl").read_text(encoding="utf-8").splitlines()
    gold = []
    for entry in (json.loads(line) for line in lines if line.strip()):
        present = set(entry.get("flags", {})) & set(FLAGS)
        absent = set(entry.get("absent_flags_checked", [])) & set(FLAGS)
        gold.append((entry["file"], present, absent))
    return gold


def test_corpus_precision_and_recall(corpus: Path) -> None:
    per_flag: dict[str, Counter[str]] = {flag: Counter() for flag in FLAGS}
    errors: list[str] = []
    # unjudged (file, flag) pairs, in neither list, are not counted
    for name, positives, negatives in _gold(corpus):
        text = (corpus / "licenses" / name).read_text(encoding="utf-8", errors="replace")
        hits = scan_clauses(text)
        assert_well_formed(text, hits)  # every quote is a verbatim substring of the file
        found = {hit.flag for hit in hits}
        for flag in positives:
            outcome = "tp" if flag in found else "fn"
            per_flag[flag][outcome] += 1
            if outcome == "fn":
                errors.append(f"missed {flag} in {name}")
        for flag in negatives & found:
            per_flag[flag]["fp"] += 1
            errors.append(f"false {flag} in {name}")
    total = sum(per_flag.values(), Counter())
    precision = total["tp"] / max(1, total["tp"] + total["fp"])
    recall = total["tp"] / max(1, total["tp"] + total["fn"])
    print(
        f"\nclause scanner alone on the development corpus: "
        f"precision {precision:.3f}, recall {recall:.3f}"
    )
    for flag, counts in per_flag.items():
        print(f"  {flag:26} tp {counts['tp']:3}  fp {counts['fp']:2}  fn {counts['fn']:2}")
    for error in errors:
        print(f"  {error}")
    assert precision >= PRECISION_TARGET, errors
    assert recall >= RECALL_TARGET, errors


# --------------------------------------------------------------------------------------------
# standard licenses (ScanCode's texts): silent, except what NonCommercial/NoDerivatives say

STANDARD_LICENSES = [
    "apache-2.0", "mit", "bsd-new", "bsd-simplified", "isc", "zlib", "boost-1.0", "unlicense",
    "x11", "curl", "postgresql", "upl-1.0", "ms-pl", "python",
    "gpl-2.0", "gpl-3.0", "lgpl-2.1", "lgpl-3.0", "agpl-3.0", "mpl-1.1", "mpl-2.0",
    "epl-1.0", "epl-2.0", "eupl-1.1", "eupl-1.2", "cddl-1.0", "artistic-2.0", "ofl-1.1",
    "cc0-1.0", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0", "cc-by-sa-4.0",
    "odbl-1.0", "odc-by-1.0", "pddl-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0",
    "cdla-sharing-1.0", "openmdw-1.0",
]  # fmt: skip


@pytest.mark.parametrize("key", STANDARD_LICENSES)
def test_standard_licenses_raise_nothing(key: str) -> None:
    text = scancode_text(key)
    assert text is not None, f"scancode-toolkit has no text for {key}"
    hits = scan_clauses(text)
    assert [(h.flag, h.pattern, h.quote) for h in hits] == []


def _creative_commons_keys() -> list[str]:
    folder = scancode_license_dir()
    return sorted(p.stem for p in folder.glob("cc-by-*.LICENSE")) if folder else []


@pytest.mark.parametrize("key", _creative_commons_keys())
def test_creative_commons_say_what_their_name_says(key: str) -> None:
    # every CC BY variant ScanCode has (English, German, French, ported): NonCommercial and
    # NoDerivatives texts raise exactly those flags, the others nothing
    text = scancode_text(key)
    assert text is not None
    expected = {"non-commercial"} if "-nc" in key else set()
    expected |= {"no-derivatives"} if "-nd" in key else set()
    assert flags_in(text) == expected


def test_creative_commons_cases_are_there() -> None:
    keys = _creative_commons_keys()
    assert {"cc-by-4.0", "cc-by-nc-4.0", "cc-by-nd-4.0", "cc-by-nc-nd-4.0"} <= set(keys)


# --------------------------------------------------------------------------------------------
# inputs built to be slow: each must finish in linear time (no timing assertion, just no hang)

NEAR_MISS = "You will not use the Materials or any output or results to improve any other "

PATHOLOGICAL = {
    "1mb-of-a": "a" * 1_000_000,
    "use-200k": "use " * 200_000,
    "sentence-100k-words": " ".join(["you may not use the model for"] * 15_000),
    "near-misses": NEAR_MISS * 10_000,
    "near-misses-comma": "may not, " * 100_000,
    "dots": ". " * 200_000,
    "abbreviations": "e.g. U.S. Inc. " * 50_000,
    "colons": "x:\n" * 20_000,
    "blank-lines": "\n" * 300_000,
    "crlf": "You may not use\r\n" * 50_000,
    "nested-lists": "".join(f"{'  ' * (i % 30)}- you may not:\n" for i in range(20_000)),
    "digits": "1,0" * 200_000,
    "spaces": " " * 500_000 + "a. " * 20_000,
    "cjk": "\u5546\u4e1a\u7528\u9014" * 100_000,
    "hyphens": "non-" * 200_000,
    "dashes": "-" * 1_000_000,
    "section-numbers": "\n1.1.1.1 " * 50_000,
    "closing-quotes": '."' * 300_000,
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_inputs_finish(name: str) -> None:
    text = PATHOLOGICAL[name]
    hits = scan_clauses(text)
    assert_well_formed(text, hits)


def test_a_repeated_clause_is_found_every_time() -> None:
    clause = "You may not use the Model for military purposes. "
    text = clause * 5_000
    hits = scan_clauses(text)
    assert len(hits) == 5_000
    assert {h.quote for h in hits} == {clause.strip()}
    assert hits[-1].start == len(clause) * 4_999

"""The matcher on fixtures written for it: where each license is found, what differs, on which
line, and what text no license explains. Every expectation pins lines and quotes."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from _matching_support import fixture
from openlicense.matching.match import match_text
from openlicense.matching.results import MatchResult


@dataclass(frozen=True)
class Expected:
    fixture: str
    expression: str | None
    relation: str | None
    # (spdx id, kind, relation, start line, end line) of each match, in file order
    matches: tuple[tuple[str, str, str, int, int], ...]
    # (kind, start line, end line, words the quote must contain) of spans of the first match
    spans: tuple[tuple[str, int, int, str], ...] = ()
    # (start line, end line, words the quote must start with) of each residue span
    residue: tuple[tuple[int, int, str], ...] = ()
    notices: tuple[str, ...] = ()
    method: str = "alignment"
    max_file_coverage: float = 1.0
    extra: dict[str, str] = field(default_factory=dict)


CASES = [
    Expected(
        "apache-rider.txt",
        "Apache-2.0",
        "contains",
        (("Apache-2.0", "license", "is", 2, 202),),
        residue=((204, 211, "ADDITIONAL USE TERMS FOR THE RELEASED MODEL WEIGHTS"),),
        max_file_coverage=0.97,
    ),
    Expected(
        "mit-clause-inserted.txt",
        "MIT",
        "variant_of",
        (("MIT", "license", "variant_of", 3, 23),),
        spans=(("added", 11, 12, "The Software may be operated only on hardware"),),
    ),
    Expected(
        "bsd3-clause-removed.txt",
        "BSD-3-Clause",
        "variant_of",
        (("BSD-3-Clause", "license", "variant_of", 4, 24),),
        spans=(("removed", 7, 7, "Redistributions of source code must retain"),),
    ),
    Expected(
        "bsd3-clause-added.txt",
        "BSD-3-Clause",
        "variant_of",
        (("BSD-3-Clause", "license", "variant_of", 1, 27),),
        spans=(("added", 15, 16, "Any redistribution in binary form must be accompanied"),),
    ),
    Expected(
        "bsd3-clause-changed.txt",
        "BSD-3-Clause",
        "variant_of",
        (("BSD-3-Clause", "license", "variant_of", 1, 23),),
        spans=(
            ("changed", 11, 11, "The name of the ORGANIZATION and"),
            ("changed", 12, 12, "freely to promote products"),
        ),
    ),
    Expected(
        "mit-then-apache.txt",
        "MIT AND Apache-2.0",
        "contains",
        (("MIT", "license", "is", 4, 25), ("Apache-2.0", "license", "is", 30, 230)),
        residue=((1, 2, "This package has two parts."),),
    ),
    Expected(
        "readme-embedded.md",
        "MIT",
        "contains",
        (("MIT", "license", "is", 11, 32),),
        residue=((1, 9, "Orbit Planner"), (34, 37, "Contributing Pull requests are welcome.")),
    ),
    Expected(
        "apache-retitled.txt",
        "Apache-2.0",
        "is",
        (("Apache-2.0", "license", "is", 1, 200),),
    ),
    Expected(
        "exception-alone.txt",
        None,
        "is",
        (("Classpath-exception-2.0", "exception", "is", 2, 15),),
    ),
    Expected(
        "gpl-with-exception.txt",
        "GPL-2.0-only WITH Classpath-exception-2.0",
        "is",
        (
            ("GPL-2.0-only", "license", "is", 2, 340),
            ("Classpath-exception-2.0", "exception", "is", 343, 356),
        ),
    ),
    Expected(
        "spdx-tag-with.c",
        "GPL-2.0-or-later WITH Linux-syscall-note",
        None,
        (),
        notices=("GPL-2.0-or-later WITH Linux-syscall-note",),
        method="spdx-tag",
        residue=((1, 4, "SPDX-License-Identifier"),),
    ),
    Expected(
        "spdx-tag-dual.py",
        "MIT OR Apache-2.0",
        None,
        (),
        notices=("MIT OR Apache-2.0",),
        method="spdx-tag",
        residue=((1, 2, "SPDX-License-Identifier"),),
    ),
    Expected(
        "unmatched.txt",
        None,
        None,
        (),
        method="no-match",
        residue=((1, 5, "Terms of the Quiet Meadow Dataset"),),
    ),
]


@pytest.fixture(scope="module")
def results() -> dict[str, MatchResult]:
    return {case.fixture: match_text(fixture(case.fixture)) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.fixture for c in CASES])
def test_fixture(case: Expected, results: dict[str, MatchResult]) -> None:
    result = results[case.fixture]
    assert result.method == case.method
    assert result.expression == case.expression
    assert result.relation == case.relation
    found = tuple((m.spdx_id, m.kind, m.relation, m.start_line, m.end_line) for m in result.matches)
    assert found == case.matches
    if case.spans:
        spans = result.matches[0].spans
        assert len(spans) >= len(case.spans)
        for (kind, start, end, words), span in zip(case.spans, spans, strict=False):
            assert (span.kind, span.start_line, span.end_line) == (kind, start, end)
            assert words in (span.reference_text if kind == "removed" else span.text)
    else:
        assert all(m.spans == () for m in result.matches)
    assert [(s.start_line, s.end_line) for s in result.residue] == [
        (start, end) for start, end, _ in case.residue
    ]
    for span, (_, _, words) in zip(result.residue, case.residue, strict=True):
        assert span.text.startswith(words)
    assert tuple(n.expression for n in result.notices) == case.notices
    assert result.file_coverage <= case.max_file_coverage


def test_a_variant_is_named_for_the_license_that_explains_most_of_it(
    results: dict[str, MatchResult],
) -> None:
    # BSD-3-Clause with a clause added: BSD-3-Clause (which explains all but the clause), not
    # BSD-2-Clause (which would leave the third clause unexplained too)
    match = results["bsd3-clause-added.txt"].matches[0]
    assert match.spdx_id == "BSD-3-Clause"
    assert match.license_coverage == 1.0
    assert 0.85 < match.file_coverage < 0.95


def test_the_rider_is_residue_not_part_of_the_license(results: dict[str, MatchResult]) -> None:
    result = results["apache-rider.txt"]
    (rider,) = result.residue
    assert "weapons systems" in rider.text
    assert "without notice." in rider.text
    assert result.matches[0].file_coverage < 1.0


def _one_file(*keys: str) -> str:
    """ScanCode's texts of these license keys, one after the other in one file."""
    from openlicense.catalog.texts import scancode_text

    texts = [scancode_text(key) for key in keys]
    assert all(texts), keys
    return "\n\n".join(t.strip() for t in texts if t) + "\n"


@pytest.mark.parametrize("copies", [2, 3, 5])
def test_a_license_written_twice_is_that_license_each_time(copies: int) -> None:
    """MIT twice in one file (two components' notices) was "a variant of MIT-Click" or JSON:
    those longer texts, stretched over both copies, counted the stray words they share with
    the second copy as explained. Each copy is MIT, with its own lines."""
    result = match_text(_one_file(*["mit"] * copies))
    assert (result.expression, result.relation) == ("MIT", "is")
    assert [m.spdx_id for m in result.matches] == ["MIT"] * copies
    assert all(m.relation == "is" for m in result.matches)
    lines = [(m.start_line, m.end_line) for m in result.matches]
    assert lines == sorted(lines)
    assert len({first for first, _ in lines}) == copies


@pytest.mark.parametrize(
    ("first", "second", "expression"),
    [
        ("bsd-simplified", "mit", "BSD-2-Clause AND MIT"),
        ("bsd-new", "mit", "BSD-3-Clause AND MIT"),
        ("isc", "bsd-simplified", "ISC AND BSD-2-Clause"),
        ("apache-2.0", "mit", "Apache-2.0 AND MIT"),
        # a reference that is itself two licenses loses to the two, each unchanged
        ("bsd-new", "openssl", "BSD-3-Clause AND OpenSSL-standalone"),
        ("python", "isc", "Python-2.0 AND ISC"),
        ("mit", "x11", "MIT AND ICU"),
    ],
)
def test_two_licenses_in_one_file_are_each_that_license(
    first: str, second: str, expression: str
) -> None:
    """BSD-2-Clause followed by MIT was "a variant of BSD-3-Clause": longer BSD-3-Clause rules
    ranked above BSD-2-Clause's own text, which was never aligned. A reference the file holds
    whole is always tried."""
    result = match_text(_one_file(first, second))
    assert (result.expression, result.relation) == (expression, "is")
    assert all(m.relation == "is" for m in result.matches)


@pytest.mark.parametrize(
    ("keys", "expression"),
    [
        # BSD-3-Clause's anchors recur in the BSD-2-Clause after it: its alignment over a window
        # holding both stretched over the two, and componentace-jcraft (ScanCode's text of two
        # BSD licenses) won as "a variant"
        (("bsd-new", "bsd-simplified"), "BSD-3-Clause AND BSD-2-Clause"),
        # the best unchanged match of the round (Boost) leaves the jcraft-shaped pair: the next
        # unchanged one (BSD-3-Clause) is tried too
        (("bsd-new", "bsd-simplified", "boost-1.0"), "BSD-3-Clause AND BSD-2-Clause AND BSL-1.0"),
    ],
)
def test_licenses_that_share_their_words_are_each_found_whole(
    keys: tuple[str, ...], expression: str
) -> None:
    result = match_text(_one_file(*keys))
    assert (result.expression, result.relation) == (expression, "is")
    assert all(m.relation == "is" for m in result.matches)


def test_a_short_rule_is_not_found_without_the_words_that_make_its_meaning() -> None:
    """ScanCode's 19-word rule "Redistribution and use in source and binary forms, with or
    without modification, are not permitted by anyone other" came back as found, unchanged,
    in BSD-3-Clause's first line: its last five words were tolerated as a closing line. A
    short reference may miss a tenth of its words at the end and a quarter at the start."""
    result = match_text(_one_file("bsd-new", "bsd-simplified", "isc"))
    assert [m.spdx_id for m in result.matches] == ["BSD-3-Clause", "BSD-2-Clause", "ISC"]
    assert all(m.relation == "is" for m in result.matches)

"""``openlicense.identify`` with the alignment matcher: the fixtures of issue 9 through the
public API, each pinning the answer, the method, and the flags with their lines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from _matching_support import fixture
from openlicense import identify_text
from openlicense.identification import examine_text, use_engine
from openlicense.identification.scancode import index_loaded
from openlicense.model import Identification


@dataclass(frozen=True)
class Case:
    fixture: str
    expression: str | None
    variant_of: str | None
    method: str
    # (flag, line) of every flag raised, in order
    flags: tuple[tuple[str, int | None], ...] = ()
    warning: str = ""


CASES = [
    # the rider case: a verbatim Apache-2.0, then terms that ban uses: not plain Apache-2.0
    Case(
        "apache-rider.txt",
        None,
        "Apache-2.0",
        "alignment",
        (("modified-standard-license", 204), ("field-of-use-restriction", 207)),
    ),
    Case(
        "mit-clause-inserted.txt",
        None,
        "MIT",
        "alignment",
        (("field-of-use-restriction", 11), ("modified-standard-license", 11)),
    ),
    # the variant is of the license that explains the most of the file, not BSD-2-Clause
    Case(
        "bsd3-clause-added.txt",
        None,
        "BSD-3-Clause",
        "alignment",
        (("modified-standard-license", 15),),
    ),
    Case(
        "bsd3-clause-removed.txt",
        None,
        "BSD-3-Clause",
        "alignment",
        (("modified-standard-license", 7),),
    ),
    Case(
        "bsd3-clause-changed.txt",
        None,
        "BSD-3-Clause",
        "alignment",
        (("modified-standard-license", 12),),
    ),
    Case("mit-then-apache.txt", "MIT AND Apache-2.0", None, "alignment"),
    Case(
        "readme-embedded.md",
        "MIT",
        None,
        "alignment",
        warning="a license text embedded in a larger document",
    ),
    Case("apache-retitled.txt", "Apache-2.0", None, "alignment"),
    Case("gpl-with-exception.txt", "GPL-2.0-only WITH Classpath-exception-2.0", None, "alignment"),
    Case(
        "exception-alone.txt",
        None,
        None,
        "alignment",
        warning="the text of the license exception Classpath-exception-2.0",
    ),
    # near versions: the April 2024 Llama 3 text is its own catalogued license, not 3.1
    # (1.b.v, no improving other LLMs, and output-restriction are what 3.1 dropped)
    Case(
        "corpus:meta__llama3_LICENSE.txt",
        "LicenseRef-openlicense-llama-3-2024-04-18",
        None,
        "fingerprint",
        (
            ("brand-requirement", 22),
            ("field-of-use-restriction", 25),
            ("output-restriction", 26),
            ("user-threshold", 28),
            ("terms-changeable", 45),
        ),
    ),
    Case(
        "llama3.1.txt",
        "LicenseRef-scancode-llama-3.1-license-2024",
        None,
        "exact",
        (("brand-requirement", 24), ("field-of-use-restriction", 30), ("user-threshold", 32)),
    ),
    Case("spdx-tag-with.c", "GPL-2.0-or-later WITH Linux-syscall-note", None, "spdx-tag"),
    Case("spdx-tag-dual.py", "MIT OR Apache-2.0", None, "spdx-tag"),
    # Matches no reference text; the provision reader still reads its ban on selling the
    # recordings or putting them in a product ("You may not sell them, rent them out...").
    Case("unmatched.txt", None, None, "no-match", (("non-commercial", 3),)),
]


# Real texts are read from the shared corpus at test time, never copied into the repository.
CORPUS_LICENSES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "licenses"


def case_text(name: str) -> str | None:
    if name.startswith("corpus:"):
        path = CORPUS_LICENSES / name.removeprefix("corpus:")
        return path.read_text(encoding="utf-8") if path.is_file() else None
    return fixture(name)


@pytest.fixture(scope="module")
def results() -> dict[str, Identification]:
    texts = {c.fixture: case_text(c.fixture) for c in CASES}
    return {n: identify_text(t, name=n) for n, t in texts.items() if t is not None}


@pytest.mark.parametrize("case", CASES, ids=[c.fixture for c in CASES])
def test_fixture_through_identify(case: Case, results: dict[str, Identification]) -> None:
    if case.fixture not in results:
        pytest.skip(f"{case.fixture}: the shared corpus is not beside the checkout")
    result = results[case.fixture]
    assert (result.expression, result.variant_of, result.method) == (
        case.expression,
        case.variant_of,
        case.method,
    )
    assert tuple((f.name, f.evidence.line) for f in result.flags) == case.flags
    if case.warning:
        assert any(w.startswith(case.warning) for w in result.warnings)


def test_rider_is_quoted_and_not_conformant(results: dict[str, Identification]) -> None:
    result = results["apache-rider.txt"]
    modified = next(f for f in result.flags if f.name == "modified-standard-license")
    assert (modified.evidence.quote or "").startswith("ADDITIONAL USE TERMS")
    assert result.osaid_conformant is False


def test_matches_carry_lines(results: dict[str, Identification]) -> None:
    lines = [
        (m.expression, m.start_line, m.end_line) for m in results["mit-then-apache.txt"].matches
    ]
    assert lines == [("MIT", 4, 25), ("Apache-2.0", 30, 230)]


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ('Licensed under the Apache License, Version 2.0 (the "License");\n', "Apache-2.0"),
        ("This library is dual-licensed under the GPL-2.0+ or MIT.\n", "GPL-2.0-or-later OR MIT"),
        ("Licensed under the Apache v2 License\n", "Apache-2.0"),
        ("This project is released under the MIT license.\n", "MIT"),
    ],
    ids=["apache-notice", "dual", "apache-v2", "released-under-mit"],
)
def test_notices_give_the_full_expression(text: str, expression: str) -> None:
    result = identify_text("# orbit-planner\n\n" + text, name="README.md")
    assert (result.expression, result.method) == (expression, "notice")


def test_a_notice_in_a_long_custom_license_is_not_the_answer() -> None:
    body = "The Licensee shall keep the weights in a locked room at all times. " * 40
    result = examine_text(body + "\nParts are licensed under the MIT License.\n", name="LICENSE")
    assert result.expression != "MIT"


def test_default_engine_never_loads_scancode() -> None:
    for case in CASES:
        text = case_text(case.fixture)
        if text is not None:
            examine_text(text, name=case.fixture)
    assert not index_loaded()


def test_unknown_engine_is_a_callers_mistake() -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        examine_text("MIT License\n", engine="nope")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown engine"), use_engine("nope"):  # type: ignore[arg-type]
        pass


def test_cli_engine_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openlicense.cli import main

    rider = tmp_path / "LICENSE"
    rider.write_text(fixture("apache-rider.txt"), encoding="utf-8")
    assert main(["identify", "--engine", "openlicense", str(rider)]) == 1
    assert "a variant of Apache-2.0  [license, alignment" in capsys.readouterr().out
    # a usage error: exit status 2
    assert main(["identify", "--engine", "nope", str(rider)]) == 2
    assert main(["check", "--engine", "nope", str(rider)]) == 2
    assert not index_loaded()

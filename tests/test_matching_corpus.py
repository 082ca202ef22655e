"""The matcher on real license files of the shared corpus (read at test time, skipped when
absent): near versions told apart, and SPDX's own texts, which the index was not built from."""

from __future__ import annotations

from pathlib import Path

import pytest

from openlicense.matching.match import match_text
from openlicense.matching.references import reference_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "licenses"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/licenses")

pytestmark = pytest.mark.corpus


def _corpus(name: str) -> str:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"corpus file {name} absent")
    return path.read_text(encoding="utf-8", errors="replace")


def test_llama_3_of_april_2024_is_a_variant_of_llama_3_1_told_apart_by_its_date() -> None:
    result = match_text(_corpus("meta__llama3_LICENSE.txt"))
    first = result.matches[0]
    assert first.spdx_id == "LicenseRef-scancode-llama-3.1-license-2024"
    assert first.relation == "variant_of"
    assert (first.start_line, first.end_line) == (1, 41)
    date = [s for s in first.spans if "April 18" in s.text]
    assert date, first.spans
    assert date[0].kind == "changed"
    assert "July 23" in date[0].reference_text
    assert date[0].start_line == 3


@pytest.mark.parametrize(
    "key", ["llama-3.1-license-2024", "llama-3.2-license-2024", "llama-3.3-license-2024"]
)
def test_each_llama_3_version_is_itself(key: str) -> None:
    result = match_text(reference_text(f"licenses/{key}.LICENSE"))
    assert [m.spdx_id for m in result.matches] == [f"LicenseRef-scancode-{key}"]
    assert result.relation == "is"


@pytest.mark.parametrize("key", ["gemma-tou-2024-04-01", "gemma-tou-2025-03-24"])
def test_gemma_terms_of_2024_and_2025_are_told_apart(key: str) -> None:
    result = match_text(_corpus(f"scancode__{key}.txt"))
    assert result.expression == f"LicenseRef-scancode-{key}"
    assert result.relation == "is"


@pytest.mark.parametrize(("key", "spdx"), [("sax-pd", "SAX-PD"), ("sax-pd-2.0", "SAX-PD-2.0")])
def test_sax_pd_versions_are_told_apart(key: str, spdx: str) -> None:
    result = match_text(reference_text(f"licenses/{key}.LICENSE"))
    assert result.expression == spdx
    assert result.relation == "is"


def test_spdx_texts_of_the_corpus_name_their_license() -> None:
    """SPDX's own texts of these licenses (not ScanCode's): unseen by the index builder.

    Some differ from ScanCode's texts by SPDX's optional parts (the CC 4.0 "Considerations"
    links and closing notice): those are named as variants of the right license.
    """
    files = sorted(CORPUS.glob("spdx__*.txt"))
    if not files:
        pytest.skip("corpus absent")
    named = exact = 0
    wrong = []
    for path in files:
        spdx_id = path.stem.removeprefix("spdx__")
        result = match_text(path.read_text(encoding="utf-8", errors="replace"))
        ids = {m.spdx_id for m in result.matches}
        # OpenMDW-1.0 is newer than the installed ScanCode data, which files it under its key
        if spdx_id in ids or f"LicenseRef-scancode-{spdx_id.lower()}" in ids:
            named += 1
            exact += result.relation == "is"
        else:
            wrong.append((spdx_id, sorted(ids)))
    print(f"\ncorpus SPDX texts: {named}/{len(files)} named, {exact} exactly")
    assert wrong == []
    assert exact >= len(files) - 6

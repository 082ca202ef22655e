"""The catalog's data is consistent, and every quoted clause is really in its license text."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from conftest import CORPUS
from openlicense import expression as ex
from openlicense.catalog import FREEDOMS, FlagClause, LicenseEntry, get_catalog
from openlicense.catalog.texts import fold, reference_text

CAT = get_catalog()
CURATED = list(CAT.curated())
_TERM_FLAGS = {f.name for f in CAT.flags.values() if f.scope == "license-term"} | {
    "modified-standard-license"
}


def test_catalog_covers_the_spdx_list_with_openmdw() -> None:
    entry = CAT.get("OpenMDW-1.0")
    assert entry is not None
    assert entry.namespace == "spdx"
    assert CAT.provenance["spdx"]["list_version"] >= "3.28"
    assert CAT.get("gpl-2.0") is not None
    assert CAT["GPL-2.0"].deprecated
    assert CAT["Apache-2.0"].osi_approved


def test_scancode_licenses_are_licenseref_scancode() -> None:
    assert CAT.scancode("llama-2-license-2023") == "LicenseRef-scancode-llama-2-license-2023"
    assert CAT.scancode("apache-2.0") == "Apache-2.0"
    # ScanCode's bsl-1.0 is the Business Source License, never Boost.
    assert CAT.scancode("bsl-1.0") != "BSL-1.0"
    assert CAT.scancode("boost-1.0") == "BSL-1.0"


@pytest.mark.parametrize("entry", CURATED, ids=lambda e: e.id)
def test_curated_entry_is_consistent(entry: LicenseEntry) -> None:
    assert isinstance(entry, LicenseEntry)
    assert packaging_like(entry.id)
    terms = entry.curated_terms
    if terms is None:
        return
    for clause in terms.flags:
        assert clause.flag in _TERM_FLAGS, clause.flag
        assert clause.section, f"{clause.flag} without a section"
        assert clause.quote, f"{clause.flag} without a quote"
        assert len(clause.quote) <= 400
    if terms.osaid_conformant:
        assert all(terms.freedom(f) == "granted" for f in FREEDOMS), entry.id
    restricting = [
        c for c in terms.flags if c.flag not in {"brand-requirement", "modified-standard-license"}
    ]
    if restricting:
        assert any(terms.freedom(f) == "restricted" for f in FREEDOMS), entry.id
        assert terms.osaid_conformant is not True, entry.id


def packaging_like(license_id: str) -> bool:
    return bool(re.fullmatch(r"(LicenseRef-)?[A-Za-z0-9.\-]+", license_id))


def _quote_cases() -> list[object]:
    cases = []
    for entry in CURATED:
        terms = entry.curated_terms
        has_text = entry.text and entry.text != "none"
        if terms is None or not (has_text or entry.corpus_text):
            continue
        for clause in terms.flags:
            if clause.verified:
                cases.append(pytest.param(entry, clause, id=f"{entry.id}:{clause.flag}"))
    return cases


def _entry_text(entry: LicenseEntry) -> str | None:
    """The text an entry's facts were checked against: its reference text, or for a text
    openlicense has no copy of, the development-corpus file (the test is skipped without it)."""
    if entry.corpus_text:
        path = CORPUS / entry.corpus_text
        if not path.is_file():
            pytest.skip(f"development corpus not present ({path})")
        return path.read_text(encoding="utf-8", errors="replace")
    return reference_text(entry.text)


@pytest.mark.parametrize(("entry", "clause"), _quote_cases())
def test_quotes_are_verbatim(entry: LicenseEntry, clause: FlagClause) -> None:
    text = _entry_text(entry)
    assert text is not None, f"no reference text for {entry.text}"
    assert fold(clause.quote) in fold(text)


def test_text_locators_resolve() -> None:
    """Every ``text`` written in ``data/licenses/*.toml`` names a text openlicense can read."""
    import tomllib
    from importlib import resources

    folder = resources.files("openlicense").joinpath("data", "licenses")
    written = [
        (row["id"], row["text"])
        for path in folder.iterdir()
        if path.name.endswith(".toml")
        for row in tomllib.loads(path.read_text(encoding="utf-8")).get("license", [])
        if row.get("text", "none") != "none"
    ]
    assert len(written) > 100
    assert [(lid, text) for lid, text in written if reference_text(text) is None] == []


FINGERPRINTED = [pytest.param(e, id=e.id) for e in CAT.fingerprinted()]


@pytest.mark.parametrize("entry", FINGERPRINTED)
def test_fingerprint_phrases_are_the_texts_own(entry: LicenseEntry) -> None:
    """``identify_by`` phrases are verbatim in the license's text, and not all of them are names.

    A fingerprint identifies a *text*: a README, a table or a notice that only names the license
    must not be taken for it, so at least one phrase is from the body (a definition, a dated
    version line), not the title or any name people write for a license.
    """
    names = {fold(name) for other in CAT for name in (other.name, *other.aliases)}
    assert [p for p in entry.identify_by if fold(p) not in names], entry.identify_by
    text = _entry_text(entry)
    if text is None:
        pytest.skip(f"openlicense has no copy of {entry.id}'s text (see its sources)")
    assert [p for p in entry.identify_by if fold(p) not in fold(text)] == []


def test_incorporated_policies_are_policies() -> None:
    for entry in CURATED:
        for ref in entry.incorporates:
            assert CAT[ref].kind in {"acceptable-use-policy", "terms-of-service", "license"}


def test_hf_ids_resolve() -> None:
    for mapping in CAT.hf_ids.values():
        target = mapping.target
        for expr in (
            ([target.expression] if target.expression else [])
            + list(target.candidates)
            + list(target.alternatives)
        ):
            ex.parse(expr, CAT)  # raises if an id is unknown


def test_hf_ids_match_the_hub_list(corpus: Path) -> None:
    with (corpus / "hf-license-ids" / "hf_license_ids.tsv").open(encoding="utf-8") as handle:
        hub = {r["hf_id"] for r in csv.DictReader(handle, delimiter="\t")}
    assert hub == {m.id for m in CAT.hf_ids.values()}


def test_deprecated_ids_have_valid_replacements() -> None:
    deprecated = [e for e in CAT if e.namespace == "spdx" and e.deprecated]
    assert len(deprecated) > 20
    replaced = 0
    for entry in deprecated:
        replacement = CAT.replacement(entry.id)
        if replacement:
            node = ex.parse(replacement, CAT)
            for leaf in ex.iter_license_keys(node):
                assert not CAT[leaf.id].deprecated, (entry.id, replacement)
            replaced += 1
    assert replaced >= len(deprecated) - 3


def test_scancode_ai_licenses_in_the_corpus_are_curated(corpus: Path) -> None:
    """Every ScanCode AI-model license the corpus carries has curated terms."""
    with (corpus / "licenses" / "SOURCES.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    missing = []
    for row in rows:
        if row["name"].startswith("scancode__") and row["group"].startswith("ai-model"):
            key = row["name"].removeprefix("scancode__")
            entry = CAT.get(CAT.scancode(key) or "")
            if entry is None or entry.curated_terms is None:
                missing.append(key)
    assert missing == []


def test_openlicense_ids_are_documented() -> None:
    own = [e for e in CAT if e.namespace == "openlicense"]
    assert len(own) >= 10
    for entry in own:
        assert entry.name, entry.id
        assert entry.sources, entry.id


# What importing loads: the catalog is read on first use, never at import time. A fresh
# interpreter per case, since this process has long since loaded the catalog.
_IMPORT_PROBE = """
import json, sys
import {module}
cache = sys.modules.get("openlicense.catalog.cache")
print(json.dumps({{
    "package": "openlicense.catalog" in sys.modules,
    "builder": "openlicense.catalog.load" in sys.modules,
    "built": bool(cache and cache.get_catalog.cache_info().currsize),
}}))
"""


@pytest.mark.parametrize(
    ("module", "imports_package"),
    [
        ("openlicense", False),
        ("openlicense.catalog", True),
        ("openlicense.normalization", True),
        ("openlicense.expression", False),
    ],
)
def test_importing_loads_no_catalog_data(module: str, imports_package: bool) -> None:
    import json
    import os
    import subprocess
    import sys

    from conftest import REPO

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE.format(module=module)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(done.stdout)
    assert loaded == {"package": imports_package, "builder": False, "built": False}


def test_the_cache_key_covers_the_code_that_builds_the_catalog() -> None:
    """A cached catalog is only reused while the modules that built and encoded it are
    unchanged: the cache key must list every catalog module the builder and the encoding
    import, directly or not."""
    import ast

    from openlicense.catalog import cache

    folder = Path(cache.__file__).parent
    needed, todo = {"load", "codec"}, ["load", "codec"]
    while todo:
        tree = ast.parse((folder / f"{todo.pop()}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "openlicense.catalog."
            ):
                name = str(node.module).split(".")[2]
                if name not in needed:
                    needed.add(name)
                    todo.append(name)
    assert needed == set(cache.BUILDERS)

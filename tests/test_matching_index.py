"""The on-disk index: rebuilt when missing, corrupt or foreign; never executed (no pickle)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from openlicense import cachefolder
from openlicense.matching import index as index_module
from openlicense.matching.index import ReferenceIndex, build_index, default_index, load_index
from openlicense.matching.match import match_text
from openlicense.matching.references import Reference, reference_text

SMALL = [
    (Reference("mit", "MIT", "license", "licenses/mit.LICENSE"), "licenses/mit.LICENSE"),
    (
        Reference("bsd-new", "BSD-3-Clause", "license", "licenses/bsd-new.LICENSE"),
        "licenses/bsd-new.LICENSE",
    ),
]


def _small() -> list[tuple[Reference, str]]:
    return [(ref, reference_text(path)) for ref, path in SMALL]


def test_an_index_reads_back_what_was_built(tmp_path: Path) -> None:
    path = tmp_path / "i.idx"
    build_index(_small(), path, "k1")
    index = load_index(path, "k1")
    assert index is not None
    assert [r.spdx_id for r in index.references] == ["MIT", "BSD-3-Clause"]
    result = match_text(reference_text("licenses/mit.LICENSE"), index=index)
    assert result.expression == "MIT"
    assert result.relation == "is"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[:-1], id="truncated"),
        pytest.param(lambda b: b[:100] + bytes([b[100] ^ 0xFF]) + b[101:], id="flipped-byte"),
        pytest.param(lambda b: b"", id="empty"),
        pytest.param(lambda b: b"OLMATCH\x02" + b[8:], id="other-format"),
        pytest.param(lambda b: pickle.dumps({"a": 1}), id="a-pickle"),
    ],
)
def test_a_damaged_index_is_not_used(tmp_path: Path, damage: object) -> None:
    path = tmp_path / "i.idx"
    build_index(_small(), path, "k1")
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert load_index(path, "k1") is None


def test_an_index_built_for_another_key_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "i.idx"
    build_index(_small(), path, "scancode-1.0")
    assert load_index(path, "scancode-2.0") is None


class _Planted:
    """Unpickling this writes a marker file: proof that a pickle was executed."""

    marker: Path

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.write_text, (self.marker, "executed"))


def test_a_planted_file_is_rebuilt_and_never_executed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENLICENSE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(index_module, "iter_references", _small)
    default_index.cache_clear()
    key = index_module.index_key()
    path = tmp_path / "cache" / f"matching-{key}.idx"
    path.parent.mkdir(parents=True)
    planted = _Planted()
    planted.marker = tmp_path / "marker"
    path.write_bytes(b"OLMATCH\x01" + pickle.dumps(planted))
    try:
        index = default_index()
        assert [r.spdx_id for r in index.references] == ["MIT", "BSD-3-Clause"]
        assert not planted.marker.exists()
        assert path.read_bytes()[:8] == b"OLMATCH\x01"
        assert load_index(path, key) is not None
    finally:
        default_index.cache_clear()


def test_the_cache_directory_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENLICENSE_CACHE_DIR", "/somewhere/else")
    assert cachefolder.cache_dir() == Path("/somewhere/else")
    monkeypatch.delenv("OPENLICENSE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert cachefolder.cache_dir() == Path("/xdg/openlicense")


def test_no_module_of_the_matcher_uses_pickle_or_imports_scancode() -> None:
    package = Path(index_module.__file__).parent
    for source in package.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "import pickle" not in text, source
        assert "marshal" not in text, source
        assert "import licensedcode" not in text, source
        assert "from licensedcode" not in text, source
        for line in text.splitlines():
            if line.startswith(("import openlicense", "from openlicense")):
                assert line.startswith(
                    (
                        "from openlicense.matching",
                        "from openlicense.errors",
                        "from openlicense.cachefolder",
                    )
                )


def test_matching_imports_nothing_heavy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, openlicense.matching; "
        "print(','.join(m for m in ('licensedcode', 'rapidfuzz', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# --- the whole-text digest -------------------------------------------------------------------


def test_a_text_of_exactly_a_references_words_is_found_by_its_digest(tmp_path: Path) -> None:
    from openlicense.matching.normalize import tokenize

    path = tmp_path / "i.idx"
    build_index(_small(), path, "k1")
    index = load_index(path, "k1")
    assert index is not None
    assert index.digests.format == "Q"
    assert index.digests.obj is not None
    mit = reference_text("licenses/mit.LICENSE")
    assert index.whole(tokenize(mit).ids) == 0
    # rewrapped and recased: the same words
    assert index.whole(tokenize(" ".join(mit.upper().split())).ids) == 0
    assert index.whole(tokenize(mit.replace("Software", "Model", 1)).ids) is None
    result = match_text(mit, index=index)
    assert result.relation == "is"
    assert (result.matches[0].license_coverage, result.matches[0].file_coverage) == (1.0, 1.0)


def test_an_index_of_the_previous_format_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "i.idx"
    build_index(_small(), path, "k1")
    blob = path.read_bytes()
    assert load_index(path, "k1") is not None
    # the same file claiming format 2 (no digests): refused, so a cache of it is rebuilt
    old = blob.replace(f'"format":{index_module._FORMAT}'.encode(), b'"format":2', 1)
    import hashlib

    path.write_bytes(old[:8] + hashlib.sha256(old[40:]).digest() + old[40:])
    assert load_index(path, "k1") is None


def _twin_index(tmp_path: Path, pairs: list[tuple[Reference, str]]) -> ReferenceIndex:
    path = tmp_path / "twins.idx"
    build_index(pairs, path, "k")
    index = load_index(path, "k")
    assert index is not None
    return index


def _reference(path: str) -> Reference:
    """The Reference ScanCode's data gives ``path`` (its key, id and kind)."""
    from openlicense.matching.references import iter_references

    found = [ref for ref, _ in iter_references() if ref.path == path]
    assert found, path
    return found[0]


@pytest.mark.parametrize("rule_first", [True, False])
def test_texts_of_the_same_words_are_named_by_spdx_id_then_the_catalogs_text(
    tmp_path: Path, rule_first: bool
) -> None:
    """ScanCode's rule ppl_1 (filed under PPL, an SPDX id too) carries ODC-By-1.0's words.
    Were a license text of the same words indexed with it, in either order, the match names
    the text the catalog itself names for its license, not whichever came first."""
    from openlicense.catalog import get_catalog

    rule = _reference("rules/ppl_1.RULE")
    odc = _reference("licenses/odc-by-1.0.LICENSE")
    assert not rule.spdx_id.startswith("LicenseRef-")  # step 1 cannot tell them apart
    words = reference_text(rule.path)
    pairs = [(rule, words), (odc, words)]
    index = _twin_index(tmp_path, pairs if rule_first else pairs[::-1])
    assert len(index.references) == 1
    assert sum(len(t) for t in index.twins.values()) == 1
    result = match_text(words, index=index)
    catalog_text = get_catalog().get(odc.spdx_id)
    assert catalog_text is not None
    assert catalog_text.text == f"scancode:{odc.key}"
    assert [(m.spdx_id, m.reference) for m in result.matches] == [(odc.spdx_id, odc.path)]
    assert result.relation == "is"


@pytest.mark.parametrize("rule_first", [True, False])
def test_an_spdx_listed_text_is_named_over_a_licenseref_one_of_the_same_words(
    tmp_path: Path, rule_first: bool
) -> None:
    """ScanCode's other-permissive_295 rule is the COIL-1.0 text word for word."""
    rule = _reference("rules/other-permissive_295.RULE")
    coil = _reference("licenses/coil-1.0.LICENSE")
    assert rule.spdx_id.startswith("LicenseRef-")
    assert not coil.spdx_id.startswith("LicenseRef-")
    pairs = [(rule, reference_text(rule.path)), (coil, reference_text(coil.path))]
    index = _twin_index(tmp_path, pairs if rule_first else pairs[::-1])
    assert len(index.references) == 1
    for text in (reference_text(rule.path), reference_text(coil.path)):
        assert [m.spdx_id for m in match_text(text, index=index).matches] == [coil.spdx_id]


def test_every_group_of_same_word_references_is_named_the_same_way_in_any_order() -> None:
    """Over the real index: whatever order ScanCode's data is read in, the name is the same,
    and an SPDX-listed reference is named whenever one of the group is."""
    from openlicense.matching.references import preferred

    index = default_index()
    assert index.twins
    for ref_i, twins in index.twins.items():
        group = (index.references[ref_i], *twins)
        chosen = preferred(group)
        assert preferred(group[::-1]) == chosen
        assert preferred(sorted(group, key=lambda r: r.path, reverse=True)) == chosen
        if any(not r.spdx_id.startswith("LicenseRef-") for r in group):
            assert not chosen.spdx_id.startswith("LicenseRef-"), group


# the digest answers what aligning answers: these real texts, by both paths
_SAME_ANSWER = [
    "licenses/mit.LICENSE",
    "licenses/apache-2.0.LICENSE",
    "licenses/gpl-3.0.LICENSE",
    "rules/gpl-3.0_204.RULE",  # SPDX's GPL-3.0 text: a rule, with twins
    "rules/ppl_1.RULE",  # ODC-By's words: a license text wins the tie with its title tolerated
    "rules/other-permissive_295.RULE",  # COIL-1.0's words
    "licenses/bsd-new.LICENSE",
]
_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "licenses"


def _same_answer_texts() -> list[tuple[str, str]]:
    texts = [(name, reference_text(name)) for name in _SAME_ANSWER]
    for name in ("spdx__GPL-3.0-only.txt", "spdx__ODC-By-1.0.txt", "spdx__Apache-2.0.txt"):
        if (_CORPUS / name).is_file():
            texts.append((name, (_CORPUS / name).read_text(encoding="utf-8")))
    return texts


def test_the_digest_and_the_alignment_give_the_same_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from openlicense.matching.normalize import tokenize

    index = default_index()
    texts = _same_answer_texts()
    by_digest = {}
    for name, text in texts:
        assert index.whole(tokenize(text).ids) is not None, name
        by_digest[name] = match_text(text, index=index)
    monkeypatch.setattr(ReferenceIndex, "whole", lambda self, ids: None)
    for name, text in texts:
        assert match_text(text, index=index) == by_digest[name], name
    assert by_digest["rules/ppl_1.RULE"].expression == "ODC-By-1.0"


def test_after_an_exact_whole_match_no_other_rule_is_aligned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from openlicense.matching import match as match_module
    from openlicense.matching.normalize import ReferenceWords, Tokens

    aligned: list[str] = []
    real_words = match_module._reference_words

    def words_of(index: ReferenceIndex, ref_i: int) -> Tokens | ReferenceWords:
        aligned.append(index.references[ref_i].path)  # each reference aligned gets its words
        return real_words(index, ref_i)

    monkeypatch.setattr(match_module, "_reference_words", words_of)
    index = default_index()
    # a license text's words: nothing else is looked up or aligned
    assert match_text(reference_text("licenses/apache-2.0.LICENSE"), index=index).relation == "is"
    assert aligned == []
    # a rule's words (SPDX's GPL-3.0 text): only license texts, which could tie, are aligned
    result = match_text(reference_text("rules/gpl-3.0_204.RULE"), index=index)
    assert (result.expression, result.relation) == ("GPL-3.0-only", "is")
    assert aligned
    assert all(path.startswith("licenses/") for path in aligned), aligned


def test_the_index_gives_each_reference_its_word_ids_and_refuses_damaged_ones(
    tmp_path: Path,
) -> None:
    """Aligning reads a reference's word ids from the ``.ids`` file beside the index, checked
    against its digest: a text found unchanged never reads the reference; a damaged, foreign
    or missing file only means the text is tokenized."""
    import shutil

    from openlicense.matching.normalize import tokenize

    index = default_index()
    assert index.ids_path is not None
    ref_i = next(i for i, r in enumerate(index.references) if r.path == "licenses/mit.LICENSE")
    ids = index.reference_ids(ref_i)
    assert ids is not None
    assert tuple(ids) == tokenize(reference_text("licenses/mit.LICENSE")).ids
    idx = index.ids_path.with_name(index.ids_path.name.removesuffix(".ids"))
    copy = tmp_path / idx.name
    shutil.copy(idx, copy)
    shutil.copy(index.ids_path, tmp_path / index.ids_path.name)
    assert load_index(copy, index.key).reference_ids(ref_i) == ids  # type: ignore[union-attr]
    damaged = bytearray((tmp_path / index.ids_path.name).read_bytes())
    start = 40 + 4 * sum(index.word_counts[:ref_i])
    damaged[start] ^= 0xFF
    (tmp_path / index.ids_path.name).write_bytes(bytes(damaged))
    again = load_index(copy, index.key)
    assert again is not None
    assert again.reference_ids(ref_i) is None
    assert again.reference_ids(ref_i + 1) is not None
    (tmp_path / index.ids_path.name).write_bytes(b"OLWORDS\x01" + b"\0" * 32)
    assert load_index(copy, index.key).reference_ids(ref_i) is None  # type: ignore[union-attr]
    (tmp_path / index.ids_path.name).unlink()
    missing = load_index(copy, index.key)
    assert missing is not None
    assert missing.reference_ids(ref_i) is None
    mit = reference_text("licenses/mit.LICENSE")
    assert match_text(mit, index=missing).relation == "is"


def test_an_alignment_asked_to_be_exact_gives_up_at_the_first_difference() -> None:
    from openlicense.matching.align import align
    from openlicense.matching.normalize import tokenize

    ref = tokenize(reference_text("licenses/mit.LICENSE"))
    same = tokenize("MIT License\n\n" + reference_text("licenses/mit.LICENSE"))
    changed = tokenize(reference_text("licenses/mit.LICENSE").replace("merge", "fold", 1))
    for file in (same, changed):
        window = list(range(len(file)))
        full = align(ref, file, window)
        assert full is not None
        exact = align(ref, file, window, exact_only=True)
        assert exact == (full if full.exact else None)
    assert align(ref, changed, list(range(len(changed))), exact_only=True) is None

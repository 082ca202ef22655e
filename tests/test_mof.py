"""The MOF class: the shipped table, MOT's own numbers, and openlicense's on normalized licenses."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, FIXTURES
from openlicense.errors import InputError, MissingInputError, ReleaseFormatError
from openlicense.judge.mof import MofResult, mof_class, mot_reference
from openlicense.model import COMPONENTS, Component, Release
from openlicense.normalization import normalize
from openlicense.release.moftable import mof_component, mof_table
from openlicense.release.mot import parse_mot, read_mot

MOT_FIXTURES = FIXTURES / "mot"
_NAME = re.compile(r"_C1_(\d+)%-C2_(\d+)%-C3_(\d+)%_")
_CLASS_OF = {1: "I", 2: "II", 3: "III"}


def _round(value: float) -> int:
    """PHP's round(): halves away from zero, as MOT's test harness rounds."""
    return math.floor(value + 0.5)


def _triple(result: MofResult) -> tuple[int, int, int]:
    return (_round(result.progress[1]), _round(result.progress[2]), _round(result.progress[3]))


# --------------------------------------------------------------------------------------------
# the table


def test_table_has_the_17_components_with_vocabulary_kinds() -> None:
    table = mof_table()
    assert len(table.components) == 17
    assert {c.kind for c in table.components} <= set(COMPONENTS)
    assert {c.content_type for c in table.components} == {"code", "data", "document"}
    assert [len(table.required(k)) for k in (1, 2, 3)] == [4, 4, 6]
    assert len(table.cumulative(1)) == 14


@pytest.mark.parametrize(
    ("key", "name", "kind", "mof_class_", "required"),
    [
        (10, "Model parameters (Final)", "parameters", 3, True),
        ("model card", "Model card", "documentation", 3, True),
        ("Data card", "Data card", "data-information", 3, True),
        ("Datasets", "Datasets", "datasets", 1, True),
        (22, "Supporting libraries and tools", "code", 2, False),
        ("Research paper", "Research paper", "documentation", 1, True),
    ],
    ids=["by-id", "case-folded", "data-card", "datasets", "optional", "paper"],
)
def test_mof_component_lookup(
    key: int | str, name: str, kind: str, mof_class_: int, required: bool
) -> None:
    component = mof_component(key)
    assert component is not None
    assert (component.name, component.kind, component.mof_class, component.required) == (
        name,
        kind,
        mof_class_,
        required,
    )


def test_unknown_component_is_none() -> None:
    assert mof_component("Tokenizer") is None
    assert mof_component(99) is None


@pytest.mark.corpus
def test_table_matches_the_pinned_mot_sources(corpus: Path) -> None:
    """data/mof.toml is derived from the MOT commit in COMMIT.txt, and still says the same."""
    mot = corpus / "mot"
    table = mof_table()
    assert (mot / "COMMIT.txt").read_text().split()[0] == table.commit
    settings = yaml.safe_load((mot / "mof.settings.yml").read_text(encoding="utf-8"))
    expected = {
        c["id"]: (c["name"], c["class"], c["content_type"], c["required"], c["weight"])
        for c in settings["components"]
    }
    shipped = {
        c.id: (c.name, c.mof_class, c.content_type, c.required, c.weight) for c in table.components
    }
    assert shipped == expected
    # LicenseImporter: mof-licenses.json, then the SPDX list; the first entry of an id wins.
    store: dict[str, dict[str, object]] = {}
    for name in ("mof-licenses.json", "Test_Data/Test_Scripts/licenses.json"):
        for entry in json.loads((mot / name).read_text(encoding="utf-8"))["licenses"]:
            store.setdefault(entry["licenseId"], entry)
    open_ids = {k for k, v in store.items() if v.get("isOsiApproved") or v.get("isFsfLibre")}
    assert table.mot_open == open_ids
    recommended = json.loads((mot / "mof-licenses.json").read_text(encoding="utf-8"))
    assert {e["licenseId"] for e in recommended["licenses"]} <= table.open_content
    assert table.mot_open_data <= table.open_content


# --------------------------------------------------------------------------------------------
# MOT's Test_Data: every file name states MOT's progress per class


def _test_data() -> list[Path]:
    # Collected before the corpus fixture can skip: no corpus gives no cases, which pytest skips.
    return sorted((CORPUS / "mot" / "Test_Data").glob("*.yml"))


def _expected(path: Path, class3: int, class2: int) -> tuple[tuple[int, int, int], str]:
    """The progress MOT reports for a Test_Data file, and its class.

    The names hold three numbers, but MOT's progress is cumulative: a class's progress is 0
    until every class above it is met. MOT's own harness (scripts/test-model-files.php at the
    pinned commit) therefore sets the expected Class II and Class I numbers to 0 when Class III
    is below 100, and Class I to 0 when Class II is. Those numbers in the names come from an
    earlier MOT whose table differed: "C2_9%" (1/11) and "C2_60%" (6/10) cannot both come from
    one table of required components.
    """
    match = _NAME.search(path.name)
    assert match is not None, path.name
    c1, c2, c3 = (int(g) for g in match.groups())
    if class3 < 100:
        c1 = c2 = 0
    elif class2 < 100:
        c1 = 0
    progress = (c1, c2, c3)
    met = [k for k, value in zip((1, 2, 3), progress, strict=True) if value == 100]
    return progress, _CLASS_OF[min(met)] if met else "unclassified"


@pytest.mark.corpus
def test_test_data_is_present(corpus: Path) -> None:
    assert len(_test_data()) == 27


@pytest.mark.corpus
@pytest.mark.parametrize("path", _test_data(), ids=lambda p: p.stem.split("_C1_")[0] + p.stem[-20:])
def test_mot_reference_reproduces_test_data(corpus: Path, path: Path) -> None:
    result = mot_reference(path)
    got = _triple(result)
    expected, expected_class = _expected(path, got[2], got[1])
    assert got == expected
    assert result.mof_class == expected_class


@pytest.mark.corpus
@pytest.mark.parametrize("path", _test_data(), ids=lambda p: p.stem.split("_C1_")[0] + p.stem[-20:])
def test_mof_class_on_normalized_licenses_reproduces_test_data(corpus: Path, path: Path) -> None:
    """Normalization changes nothing here: Test_Data writes every license as an SPDX id.

    The catalog does call some of the licenses the generator picked as "invalid" open
    (NLOD-1.0, OGL-UK-1.0 are OSAID-conformant in its terms); mof_class keeps the framework's
    list of open licenses, so they do not count here either (docs/mof.md).
    """
    result = mof_class(read_mot(path))
    got = _triple(result)
    expected, expected_class = _expected(path, got[2], got[1])
    assert got == expected
    assert result.mof_class == expected_class


@pytest.mark.corpus
def test_classes_named_in_test_data(corpus: Path) -> None:
    classes = {p.name.split("_")[0]: mot_reference(p).mof_class for p in _test_data()}
    assert classes["Class1TestFile"] == classes["FullTestFile"] == "I"
    assert classes["Class2RTestFile"] == classes["Class2TTestFile"] == "II"
    assert classes["Class3RTestFile"] == classes["Class3TTestFile"] == "III"


# --------------------------------------------------------------------------------------------
# MOT's published model files: openlicense's class against MOT's


@pytest.mark.corpus
def test_models_agree_with_mot(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    models = sorted((corpus / "mot" / "models").iterdir())
    assert len(models) == 191
    disagreements = []
    progress_differs = []
    for path in models:
        theirs = mot_reference(path)
        ours = mof_class(read_mot(path))
        if ours.mof_class != theirs.mof_class:
            disagreements.append(
                f"{path.name}: MOT {theirs.mof_class}, openlicense {ours.mof_class}; "
                f"openlicense lacks {ours.missing} where MOT lacks {theirs.missing}"
            )
        elif ours.progress != theirs.progress:
            # Licenses MOT cannot match ("Apache 2.0", "MIT License", "BSD-3") count here.
            progress_differs.append(f"{path.name}: {_triple(theirs)} -> {_triple(ours)}")
    agreement = 1 - len(disagreements) / len(models)
    with capsys.disabled():
        print(f"\nMOF class agreement with MOT on {len(models)} models: {agreement:.1%}")
        for line in disagreements:
            print("  class differs:", line)
        print(f"  progress differs, same class: {len(progress_differs)}")
        for line in progress_differs:
            print("   ", line)
    assert agreement >= 0.97


# --------------------------------------------------------------------------------------------
# own fixtures: the rules one at a time


@pytest.mark.parametrize(
    ("fixture", "expected_class", "progress", "missing_class1"),
    [
        ("class1-paper-no-report.yml", "I", (100, 100, 100), ()),
        ("class2-report-no-paper.yml", "II", (93, 100, 100), ("Research paper",)),
        (
            "class3-paper-for-report.yml",
            "III",
            (0, 60, 100),
            (
                "Data preprocessing code",
                "Training code",
                "Inference code",
                "Evaluation code",
                "Model parameters (Intermediate)",
                "Datasets",
                "Evaluation data",
            ),
        ),
    ],
    ids=["paper-stands-in-for-report", "report-does-not-stand-in-for-paper", "paper-in-class-3"],
)
def test_research_paper_technical_report_substitution(
    fixture: str,
    expected_class: str,
    progress: tuple[int, int, int],
    missing_class1: tuple[str, ...],
) -> None:
    path = MOT_FIXTURES / fixture
    for result in (mot_reference(path), mof_class(read_mot(path))):
        assert result.mof_class == expected_class
        assert _triple(result) == progress
        assert result.missing[1] == missing_class1
        assert "Technical report" not in result.missing[3]


def test_report_short_of_class_1_by_exactly_one_component() -> None:
    result = mof_class(read_mot(MOT_FIXTURES / "class2-report-no-paper.yml"))
    assert result.progress[1] == pytest.approx(13 / 14 * 100)


def test_global_and_component_license_precedence() -> None:
    path = MOT_FIXTURES / "precedence.yml"
    release = read_mot(path)
    by_name = {c.name: c for c in release.components}
    # No license of its own: the code license, not the distribution license.
    architecture = by_name["Model architecture"]
    assert architecture.expression == "MIT"
    assert [(s.line, s.field) for s in architecture.sources] == [
        (15, "release.components[0]"),
        (13, "release.license.code.name"),
    ]
    # No data license: the distribution license.
    parameters = by_name["Model parameters (Final)"]
    assert parameters.expression == "CC-BY-NC-4.0"
    assert parameters.sources[1].field == "release.license.distribution.name"
    assert parameters.sources[1].line == 11
    # A license of its own wins over the global ones.
    card = by_name["Model card"]
    assert card.expression == "CC-BY-4.0"
    assert (card.sources[1].line, card.sources[1].field) == (20, "release.components[2].license")
    # Empty and "unlicensed": published without a license, no fallback to the global licenses.
    for name in ("Data card", "Evaluation results"):
        assert by_name[name].available is True
        assert by_name[name].expression is None
        assert by_name[name].license is not None
        assert by_name[name].license.status in {"none", "unknown"}
    # "Component not included": not published at all.
    assert by_name["Technical report"].available is False

    for result in (mot_reference(path), mof_class(release)):
        assert result.mof_class == "unclassified"
        assert result.missing[3] == (
            "Model parameters (Final)",
            "Data card",
            "Technical report",
            "Evaluation results",
        )
        assert _triple(result) == (0, 0, 33)


def test_normalized_licenses_count_where_raw_strings_do_not() -> None:
    """The one deliberate difference from MOT: "Apache 2.0" is Apache-2.0."""
    path = MOT_FIXTURES / "normalized.yml"
    assert mot_reference(path).mof_class == "unclassified"
    assert _triple(mot_reference(path)) == (0, 0, 0)
    result = mof_class(read_mot(path))
    assert result.mof_class == "III"
    assert _triple(result) == (0, 60, 100)
    # The required components the record does not list are added as not published (issue 11).
    expressions = {c.expression for c in read_mot(path).components if c.available is not False}
    assert expressions == {"Apache-2.0", "CC-BY-4.0"}


def test_read_mot_release_fields() -> None:
    release = read_mot(MOT_FIXTURES / "class1-paper-no-report.yml")
    assert release.format == "mot"
    assert release.name == "paper-no-report 1B"
    assert release.declared is not None
    assert release.declared.expression == "Apache-2.0"
    assert release.declared_source is not None
    assert (release.declared_source.line, release.declared_source.field) == (
        13,
        "release.license.distribution.name",
    )
    assert release.metadata["producer"] == "openlicense fixtures"
    assert release.metadata["licenses"]["data"] == {"name": "CDLA-Permissive-2.0", "path": None}
    assert len(release.components) == 13
    assert all(c.available and c.mof_id is not None for c in release.components)
    assert release.component("datasets")[0].expression == "CDLA-Permissive-2.0"
    assert release.errors == ()


def test_unknown_and_repeated_components_are_reported_not_fatal() -> None:
    path = MOT_FIXTURES / "unknown-component.yml"
    release = read_mot(path)
    listed = [c for c in release.components if c.sources[0].field != "release.components"]
    assert [c.name for c in listed] == ["Model architecture"]
    assert listed[0].expression == "GPL-3.0-only"  # the later entry, as in MOT
    # What the record does not list of what OSAID requires was not released (MOT's semantics).
    assert all(c.available is False for c in release.components[1:])
    assert release.errors == (
        "line 10: 'Tokenizer' is not a Model Openness Framework component; ignored",
        "line 11: 'Model architecture' is listed twice; the later entry is used",
    )
    assert mot_reference(path).progress == mof_class(release).progress


@pytest.mark.parametrize(
    ("fixture", "line", "words"),
    [
        ("malformed.yml", 10, "quoted scalar on line 8"),
        ("not-mot.yml", 2, "no `release` mapping"),
        ("other-framework.yml", 2, "'Some Other Framework'"),
        ("list-license.yml", 8, "release.components[0].license must be a single value"),
    ],
    ids=["malformed-yaml", "model-card-yaml", "other-framework", "license-is-a-list"],
)
def test_not_a_mot_file_raises_with_file_and_line(fixture: str, line: int, words: str) -> None:
    path = MOT_FIXTURES / fixture
    for reader in (read_mot, mot_reference, parse_mot):
        with pytest.raises(ReleaseFormatError) as caught:
            reader(path)
        message = str(caught.value)
        assert message.startswith(f"{path}: line {line}: ")
        assert words in message
        assert isinstance(caught.value, InputError)
        assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "empty"),
        ("- a\n- b\n", 1, "must be a mapping, not a list"),
        ("release:\n  name: a\n  name: b\n  components: []\n", 3, "key 'name' twice"),
        ("release:\n  name: a\n", 1, "no release.components"),
        ("release:\n  components: {}\n", 2, "must be a list"),
        ("a: 1\n---\nb: 2\n", 2, "expected a single document"),
        ("x: 1\n\x07\n", 2, "U+0007"),
    ],
    ids=[
        "empty",
        "list",
        "duplicate-key",
        "no-components",
        "components-mapping",
        "two-docs",
        "bell",
    ],
)
def test_format_errors(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "model.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReleaseFormatError, match=re.escape(words)) as caught:
        read_mot(path)
    assert str(caught.value).startswith(f"{path}: line {line}: ")


def test_missing_file_is_a_typed_input_error(tmp_path: Path) -> None:
    with pytest.raises(MissingInputError):
        read_mot(tmp_path / "absent.yml")


def test_yaml_typing_is_not_applied_to_license_strings(tmp_path: Path) -> None:
    """MOT's YAML 1.2 parser keeps `yes` and `1.0` as written; PyYAML's 1.1 would not."""
    path = tmp_path / "model.yml"
    path.write_text(
        "release:\n  name: typed\n  version: 1.0\n  components:\n"
        "    - name: Model card\n      license: yes\n",
        encoding="utf-8",
    )
    release = read_mot(path)
    assert release.name == "typed 1.0"
    card = release.components[0].license
    assert card is not None
    assert card.input == "yes"


# --------------------------------------------------------------------------------------------
# mof_class on releases from other readers, and the result


def _release(*components: Component) -> Release:
    return Release(name="t", path=None, format="expression", components=components)


def test_components_match_by_mof_id_or_name() -> None:
    apache = normalize("Apache-2.0")
    by_id = Component(kind="parameters", name="weights", license=apache, mof_id=10)
    by_name = Component(kind="code", name="model architecture", license=apache)
    other = Component(kind="code", name="Tokenizer code", license=apache)
    result = mof_class(_release(by_id, by_name, other))
    assert "Model parameters (Final)" not in result.missing[3]
    assert "Model architecture" not in result.missing[3]
    assert result.progress[3] == pytest.approx(2 / 6 * 100)


@pytest.mark.parametrize(
    ("declared", "counts"),
    [
        ("Apache-2.0", True),
        ("MIT OR LicenseRef-scancode-llama-2-license-2023", True),
        ("MIT AND CC-BY-NC-4.0", False),
        ("GPL-2.0-only WITH Classpath-exception-2.0", True),
        ("CC-BY-4.0", True),  # open data licenses count, whatever the component
        ("CC-PDDC", True),  # MOT suggests it for data but its evaluator misses it
        ("C-UDA-1.0", False),  # suggested by MOT, but its terms restrict use
        ("NLOD-1.0", False),  # conformant in the catalog, not on the framework's list
        ("BSD", True),  # ambiguous, and every BSD candidate is open
        ("OpenRAIL", False),  # ambiguous, and no candidate is open
        ("Llama 2 Community License", False),
        ("Undisclosed", False),
        ("Proprietary", False),
    ],
)
def test_which_licenses_are_open(declared: str, counts: bool) -> None:
    component = Component(kind="documentation", name="Model card", license=normalize(declared))
    result = mof_class(_release(component))
    assert ("Model card" not in result.missing[3]) is counts


def test_two_readings_of_a_component_keep_the_worse() -> None:
    good = Component(kind="parameters", name="Model parameters (Final)", license=normalize("MIT"))
    bad = Component(
        kind="parameters", name="Model parameters (Final)", license=normalize("CC-BY-NC-4.0")
    )
    assert "Model parameters (Final)" in mof_class(_release(good, bad)).missing[3]
    assert "Model parameters (Final)" in mof_class(_release(bad, good)).missing[3]


def test_unavailable_component_is_missing() -> None:
    withheld = Component(
        kind="parameters",
        name="Model parameters (Final)",
        available=False,
        license=normalize("MIT"),
    )
    assert "Model parameters (Final)" in mof_class(_release(withheld)).missing[3]


def test_empty_release_is_unclassified() -> None:
    result = mof_class(_release())
    assert result.mof_class == "unclassified"
    assert result.progress == {1: 0.0, 2: 0.0, 3: 0.0}
    assert len(result.missing[1]) == 14  # no research paper: the technical report is needed too
    assert len(result.missing[3]) == 6


def test_result_to_dict() -> None:
    result = mof_class(read_mot(MOT_FIXTURES / "class2-report-no-paper.yml"))
    assert result.label == "Class II - Open Tooling Model"
    assert result.to_dict() == {
        "mof_class": "II",
        "label": "Class II - Open Tooling Model",
        "progress": {"1": 92.86, "2": 100.0, "3": 100.0},
        "missing": {"1": ["Research paper"], "2": [], "3": []},
    }
    assert json.loads(json.dumps(result.to_dict())) == result.to_dict()

"""SARIF, SPDX 2.3 and SPDX 3.0.1: each format checked against what can judge it offline.

- SARIF against the official OASIS SARIF 2.1.0 JSON schema (``fixtures/schemas/``);
- SPDX 2.3 with spdx-tools' own validator, on the model and on what its writers wrote, read
  back with its parsers;
- SPDX 3.0.1 against its structure (context, required keys, every reference resolves) and, when
  spdx-python-model is installed, through that binding of the SPDX 3.0.1 model (types, enums,
  required properties, dangling references).

Every check runs over the same table of reports: expressions, the rule fixtures and the
fixture repositories (as their ``expect.toml`` files say to read them), and a few MOT files.
"""

from __future__ import annotations

import builtins
import copy
import functools
import io
import json
import re
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import FIXTURES
from openlicense import __version__
from openlicense.model import Flag
from openlicense.report import Report, analyze, analyze_expression
from openlicense.report.common import PathMapper
from openlicense.report.formats import (
    ALIASES,
    FORMATS,
    get_format,
    to_sarif,
    to_spdx3_jsonld,
    to_spdx_json,
    to_spdx_tagvalue,
)
from openlicense.report.spdx import spdx_document
from openlicense.report.spdx3 import SPDX3_CONTEXT

CREATED = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
SCHEMAS = FIXTURES / "schemas"


# --------------------------------------------------------------------------------------------
# the table of reports


def _fixture_cases() -> dict[str, Callable[[], Report]]:
    cases: dict[str, Callable[[], Report]] = {
        "expr-llama2": lambda: analyze_expression("llama2"),
        "expr-apache-and-nc": lambda: analyze_expression("Apache-2.0 AND CC-BY-NC-4.0"),
        "expr-openmdw-or-gpl-with": lambda: analyze_expression(
            "OpenMDW-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0"
        ),
        "expr-none": lambda: analyze_expression("none"),
        "expr-ambiguous": lambda: analyze_expression("openrail"),
    }
    for folder in sorted(p for p in (FIXTURES / "rules").iterdir() if p.is_dir()):
        expect = tomllib.loads((folder / "expect.toml").read_text(encoding="utf-8"))
        cases[f"rule-{folder.name}"] = functools.partial(analyze, folder / expect["path"])
    for folder in sorted(p for p in (FIXTURES / "repos").iterdir() if p.is_dir()):
        if folder.name == "bad":  # unreadable repositories: reports with an error
            for bad in sorted(p for p in folder.iterdir() if p.is_dir()):
                cases[f"repo-bad-{bad.name}"] = functools.partial(analyze, bad)
        else:
            cases[f"repo-{folder.name}"] = functools.partial(analyze, folder)
    for name in ("normalized", "precedence", "class3-paper-for-report", "malformed"):
        cases[f"mot-{name}"] = functools.partial(analyze, FIXTURES / "mot" / f"{name}.yml")
    return cases


CASES = _fixture_cases()
IDS = sorted(CASES)


@functools.cache
def report(case: str) -> Report:
    return CASES[case]()


def test_the_table_covers_flags_errors_and_license_refs() -> None:
    reports = [report(case) for case in IDS]
    assert {f.name for r in reports for f in r.flags} >= {
        "field-of-use-restriction",
        "non-commercial",
        "gated-access",
        "license-conflict",
        "open-claim-mismatch",
    }
    assert any(r.error for r in reports)
    expressions = [c.expression or "" for r in reports if r.release for c in r.release.components]
    assert any("LicenseRef-scancode-" in e for e in expressions)
    assert any("LicenseRef-openlicense-" in e for e in expressions)


# --------------------------------------------------------------------------------------------
# SARIF


@functools.cache
def sarif_validator() -> Any:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _schema_errors(document: dict[str, Any]) -> list[str]:
    return [f"{e.json_path}: {e.message[:300]}" for e in sarif_validator().iter_errors(document)]


@pytest.mark.parametrize("case", IDS)
def test_sarif_is_valid_against_the_official_schema(case: str) -> None:
    log = json.loads(to_sarif(report(case)))
    assert _schema_errors(log) == []
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_sarif_of_many_reports_is_one_valid_run() -> None:
    reports = [report(case) for case in IDS]
    log = json.loads(to_sarif(reports))
    assert _schema_errors(log) == []
    (run,) = log["runs"]
    assert len(run["results"]) == sum(len(r.flags) for r in reports)
    subjects = run["invocations"][0]["properties"]["subjects"]
    assert [s["name"] for s in subjects] == [r.name for r in reports]
    assert run["invocations"][0]["executionSuccessful"] is False  # the bad repositories


def test_the_schema_check_rejects_a_broken_log() -> None:
    log = json.loads(to_sarif(report("repo-sd-gated-rail")))
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert _schema_errors(broken)
    broken = copy.deepcopy(log)
    del broken["runs"][0]["tool"]["driver"]["name"]
    assert _schema_errors(broken)


@pytest.mark.parametrize("case", IDS)
def test_every_flag_is_a_sarif_result(case: str) -> None:
    rep = report(case)
    run = json.loads(to_sarif(rep))["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "openlicense"
    assert driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    # only the rules that fired, each once, sorted by code
    assert [r["id"] for r in rules] == sorted({f.code for f in rep.flags})
    results = run["results"]
    levels = {"error": "error", "warning": "warning", "info": "note"}

    def expected(flag: Flag) -> tuple[Any, ...]:
        ev = flag.evidence
        name = Path(ev.path).name if ev.path else None
        return (flag.code, flag.name, levels[flag.severity], name, ev.line, ev.field, ev.quote)

    def found(result: dict[str, Any]) -> tuple[Any, ...]:
        location = (result.get("locations") or [{}])[0]
        physical = location.get("physicalLocation", {})
        uri = physical.get("artifactLocation", {}).get("uri")
        logical = location.get("logicalLocations", [{}])[0]
        assert logical.get("name") == result["properties"].get("field")
        return (
            result["ruleId"],
            rules[result["ruleIndex"]]["name"],
            result["level"],
            uri.rsplit("/", 1)[-1] if uri else None,
            physical.get("region", {}).get("startLine"),
            logical.get("name"),
            result["properties"].get("quote"),
        )

    key = functools.partial(json.dumps, default=str)
    assert sorted(map(found, results), key=key) == sorted(map(expected, rep.flags), key=key)
    messages = [r["message"]["text"] for r in results]
    paths = PathMapper([rep])  # messages cite files relative to the subject, as locations do
    for flag in rep.flags:
        message = paths.text(" ".join(flag.message.split()))
        assert any(m.startswith(message) for m in messages), flag
    for result in results:
        assert "How to fix:" in result["message"]["text"]
        assert result["partialFingerprints"]
        uri = (
            result.get("locations", [{}])[0]
            .get("physicalLocation", {})
            .get("artifactLocation", {})
            .get("uri", "")
        )
        assert not uri.startswith(("/", "file:")), uri  # relative to the subject's folder


def test_sarif_rules_carry_documentation_and_levels() -> None:
    run = json.loads(to_sarif(report("repo-sd-gated-rail")))["runs"][0]
    rules = {r["name"]: r for r in run["tool"]["driver"]["rules"]}
    rule = rules["field-of-use-restriction"]
    assert rule["id"] == "OL101"
    assert rule["shortDescription"]["text"].startswith("Flags licenses that prohibit")
    assert rule["fullDescription"]["text"].startswith("Raises the flag")
    assert "**How to fix**" in rule["help"]["markdown"]
    assert "How to fix:" in rule["help"]["text"]
    assert rule["helpUri"].endswith("/docs/rules/field-of-use-restriction.md")
    assert rule["defaultConfiguration"]["level"] == "error"
    assert "restricts:use" in rule["properties"]["tags"]
    assert rules["gated-access"]["defaultConfiguration"]["level"] == "warning"


def test_sarif_snippet_only_for_text_read_from_the_file() -> None:
    results = json.loads(to_sarif(report("rule-user-threshold")))["runs"][0]["results"]
    (result,) = [r for r in results if r["ruleId"] == "OL102"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["snippet"]["text"] in Path(FIXTURES / "rules/user-threshold/LICENSE").read_text(
        encoding="utf-8"
    )
    # a catalog flag quotes the license, not the model card line it cites
    results = json.loads(to_sarif(report("repo-sd-gated-rail")))["runs"][0]["results"]
    catalog = [r for r in results if r["properties"].get("source", "").startswith("catalog:")]
    assert catalog
    for r in catalog:
        assert "snippet" not in r["locations"][0]["physicalLocation"].get("region", {})
        assert r["properties"]["quote"]


def test_sarif_invocation_carries_verdict_mof_class_and_errors() -> None:
    inv = json.loads(to_sarif(report("repo-nc-fully-open")))["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is True
    assert inv["properties"]["verdict"] == "not-open-source-ai"
    assert inv["properties"]["mofClass"] == report("repo-nc-fully-open").mof_class
    (subject,) = inv["properties"]["subjects"]
    assert subject["path"] == "README.md"
    assert subject["freedoms"]["use"] == "restricted"

    inv = json.loads(to_sarif(report("repo-bad-no-readme")))["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert "no-readme" in note["message"]["text"]


def test_sarif_fingerprints_are_stable_and_distinct() -> None:
    one = json.loads(to_sarif(report("repo-sd-gated-rail")))["runs"][0]["results"]
    prints = [r["partialFingerprints"]["openlicenseFinding/v1"] for r in one]
    assert len(set(prints)) == len(prints)
    again = json.loads(to_sarif(analyze(FIXTURES / "repos" / "sd-gated-rail")))
    assert prints == [
        r["partialFingerprints"]["openlicenseFinding/v1"] for r in again["runs"][0]["results"]
    ]


def test_sarif_paths_do_not_depend_on_where_the_checkout_lives() -> None:
    text = to_sarif([report(case) for case in IDS])
    assert str(FIXTURES) not in text
    relative = json.loads(to_sarif(report("repo-olmo-open"), base=str(FIXTURES)))
    assert relative["runs"][0]["invocations"][0]["properties"]["subjects"][0]["path"] == (
        "repos/olmo-open/README.md"
    )


@pytest.mark.parametrize(
    ("path", "uri", "relative"),
    [
        ("/repos/model/README.md", "README.md", True),
        ("/repos/model/sub dir/LICENSE", "sub%20dir/LICENSE", True),
        ("models/x/README.md", "models/x/README.md", True),  # relative: kept as given
        ("./README.md", "README.md", True),
        ("/elsewhere/LICENSE", "file:///elsewhere/LICENSE", False),
    ],
)
def test_evidence_paths_become_uris(path: str, uri: str, relative: bool) -> None:
    subject = Report(
        name="model",
        path="/repos/model/README.md",
        verdict=None,
        freedoms={},
        mof_class=None,
        openness={},
        flags=(),
    )
    assert PathMapper([subject]).uri(path) == (uri, relative)
    assert PathMapper([subject], base="/repos").uri("/repos/model/README.md") == (
        "model/README.md",
        True,
    )


# --------------------------------------------------------------------------------------------
# SPDX 2.3


def _spdx2_errors(document: Any) -> list[str]:
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    return [m.validation_message for m in validate_full_spdx_document(document, "SPDX-2.3")]


@pytest.mark.parametrize("case", IDS)
def test_spdx2_document_is_valid(case: str) -> None:
    assert _spdx2_errors(spdx_document(report(case), created=CREATED)) == []


@pytest.mark.parametrize("case", IDS)
def test_spdx2_json_and_tagvalue_read_back_valid(case: str) -> None:
    from spdx_tools.spdx.parser.json.json_parser import JsonLikeDictParser
    from spdx_tools.spdx.parser.tagvalue.parser import Parser

    rep = report(case)
    from_json = JsonLikeDictParser().parse(json.loads(to_spdx_json(rep, created=CREATED)))
    tagvalue = to_spdx_tagvalue(rep, created=CREATED)
    # spdx-tools 0.8.2 cannot read back the "Annotator: Tool: ..." lines its own writer writes
    # (spdx/tools-python#798, fixed in 0.8.3): read the annotator as a person instead.
    assert "Annotator: Tool: openlicense-" in tagvalue
    from_tv = Parser().parse(tagvalue.replace("Annotator: Tool: ", "Annotator: Person: "))
    for document in (from_json, from_tv):
        assert _spdx2_errors(document) == []
        assert document.creation_info.spdx_version == "SPDX-2.3"
        assert document.creation_info.created == CREATED.replace(tzinfo=None)  # naive UTC
        names = [p.name for p in document.packages]
        assert names[0] == rep.name


@pytest.mark.parametrize("case", IDS)
def test_spdx2_structure_follows_the_release(case: str) -> None:
    from spdx_tools.spdx.model.relationship import RelationshipType
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
    from spdx_tools.spdx.model.spdx_none import SpdxNone

    rep = report(case)
    doc = spdx_document(rep, created=CREATED)
    root, *packages = doc.packages
    components = rep.release.components if rep.release else ()
    assert len(packages) == len(components)
    rels = {
        (r.spdx_element_id, r.relationship_type, r.related_spdx_element_id)
        for r in doc.relationships
    }
    assert ("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, root.spdx_id) in rels
    for package, component in zip(packages, components, strict=True):
        assert (root.spdx_id, RelationshipType.CONTAINS, package.spdx_id) in rels
        assert package.name == f"{rep.name} {component.name}"
        assert package.files_analyzed is False
        assert re.fullmatch(r"SPDXRef-[A-Za-z0-9.\-]+", package.spdx_id)
        lic = component.license
        if lic is None or (lic.expression is None and lic.status != "none"):
            assert package.license_concluded == SpdxNoAssertion()
            assert package.license_declared == SpdxNoAssertion()
        elif lic.expression is None:
            assert package.license_concluded == SpdxNone()
            assert package.license_declared == SpdxNone()
        else:
            assert str(package.license_declared) == str(package.license_concluded)
    # the verdict and every flag are review annotations on the root package
    notes = [a.annotation_comment for a in doc.annotations]
    assert all(a.spdx_id == root.spdx_id for a in doc.annotations)
    assert len(notes) == len(rep.flags) + 1
    for flag in rep.flags:
        assert any(n.startswith(f"{flag.code} {flag.name}") for n in notes)


def _license_refs(text: str) -> set[str]:
    return set(re.findall(r"LicenseRef-[A-Za-z0-9.\-]+", text))


@pytest.mark.parametrize("case", IDS)
def test_spdx2_every_license_ref_has_extracted_licensing_info(case: str) -> None:
    doc = spdx_document(report(case), created=CREATED)
    used: set[str] = set()
    for package in doc.packages:
        for value in (package.license_concluded, package.license_declared):
            used |= _license_refs(str(value))
    infos = {i.license_id: i for i in doc.extracted_licensing_info}
    assert set(infos) == used
    for ref, info in infos.items():
        assert info.license_name
        assert info.license_name != ref
        assert info.extracted_text
        assert len(info.extracted_text) < 1000  # a statement and links, never a license text
        assert all(
            u.startswith("https://") or u.startswith("http://") for u in info.cross_references
        )
        for url in info.cross_references:
            assert url in info.extracted_text


def test_spdx2_catalog_names_and_links_for_license_refs() -> None:
    doc = spdx_document(report("expr-llama2"), created=CREATED)
    (info,) = doc.extracted_licensing_info
    assert info.license_id == "LicenseRef-scancode-llama-2-license-2023"
    assert info.license_name == "Llama 2 Community License Agreement 2023"
    assert any("github.com/meta-llama" in u for u in info.cross_references)
    assert "scancode-licensedb.aboutcode.org/llama-2-license-2023.html" in " ".join(
        info.cross_references
    )


def test_spdx2_unknown_spdx_ids_become_license_refs() -> None:
    rep = report("expr-openmdw-or-gpl-with")
    doc = spdx_document(rep, created=CREATED)
    params = doc.packages[1]
    assert str(params.license_concluded) == (
        "LicenseRef-openlicense-spdx-OpenMDW-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0"
    )
    (info,) = doc.extracted_licensing_info
    assert info.license_id == "LicenseRef-openlicense-spdx-OpenMDW-1.0"
    assert info.license_name == "OpenMDW License Agreement v1.0"
    assert "https://spdx.org/licenses/OpenMDW-1.0.html" in info.cross_references
    assert "OpenMDW-1.0" in info.extracted_text


def test_spdx2_ambiguous_and_unknown_licenses_are_not_asserted() -> None:
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion

    doc = spdx_document(report("expr-ambiguous"), created=CREATED)
    params = doc.packages[1]
    assert params.license_concluded == SpdxNoAssertion()
    assert "ambiguous" in (params.license_comment or "")
    assert "LicenseRef-scancode-bigscience-open-rail-m" in (params.license_comment or "")


def _mot_with_locations(tmp_path: Path) -> Path:
    path = tmp_path / "located.yml"
    path.write_text(
        """framework:
  name: Model Openness Framework
  version: '1.0'
  date: '2024-12-15'
release:
  name: Located
  version: 7B
  date: '2025-05-22'
  type: language
  architecture: transformer decoder
  producer: Example Labs
  repository: https://github.com/example/located
  huggingface: https://huggingface.co/example/located
  license:
    distribution:
      name: Apache-2.0
  components:
    - name: Model parameters (Final)
      license: Apache-2.0
    - name: Training code
      license: MIT
    - name: Data card
      license: CC-BY-4.0
""",
        encoding="utf-8",
    )
    return path


def test_spdx2_download_locations_supplier_and_version_from_mot(tmp_path: Path) -> None:
    rep = analyze(_mot_with_locations(tmp_path))
    doc = spdx_document(rep, created=CREATED)
    assert _spdx2_errors(doc) == []
    by_name = {p.name.removeprefix(f"{rep.name} "): p for p in doc.packages}
    root = doc.packages[0]
    assert root.download_location == "https://huggingface.co/example/located"
    assert root.supplier is not None
    assert root.supplier.name == "Example Labs"
    assert root.version == "7B"
    assert str(root.license_declared) == "Apache-2.0"
    assert by_name["Model parameters (Final)"].download_location == (
        "https://huggingface.co/example/located"
    )
    assert by_name["Training code"].download_location == "https://github.com/example/located"
    assert str(by_name["Data card"].download_location) == "NOASSERTION"


# --------------------------------------------------------------------------------------------
# SPDX 3.0.1


_REFERENCE_KEYS = ("rootElement", "element", "to", "createdBy", "createdUsing")
_SINGLE_REFERENCE_KEYS = ("from", "subject", "suppliedBy", "dataLicense", "creationInfo")
#: Individuals of the SPDX 3.0.1 vocabulary that documents refer to without defining.
_INDIVIDUALS = {"expandedlicensing_NoneLicense", "expandedlicensing_NoAssertionLicense"}


def _spdx3_structure_errors(doc: dict[str, Any]) -> list[str]:
    """What can be checked of an SPDX 3.0.1 JSON-LD document without its schema or SHACL."""
    errors = []
    if doc.get("@context") != SPDX3_CONTEXT:
        errors.append(f"@context is {doc.get('@context')!r}")
    graph = doc.get("@graph", [])
    ids: dict[str, dict[str, Any]] = {}
    for node in graph:
        if "type" not in node:
            errors.append(f"a node has no type: {node}")
            continue
        key = "@id" if node["type"] == "CreationInfo" else "spdxId"
        if key not in node:
            errors.append(f"{node['type']} has no {key}")
            continue
        if node[key] in ids:
            errors.append(f"{node[key]} defined twice")
        ids[node[key]] = node
    infos = [n for n in graph if n.get("type") == "CreationInfo"]
    if len(infos) != 1:
        errors.append(f"{len(infos)} CreationInfo nodes")
    else:
        info = infos[0]
        for required in ("specVersion", "created", "createdBy"):
            if not info.get(required):
                errors.append(f"CreationInfo lacks {required}")
        if info.get("specVersion") != "3.0.1":
            errors.append(f"specVersion {info.get('specVersion')}")
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", info.get("created", "")):
            errors.append(f"created {info.get('created')!r}")
    documents = [n for n in graph if n.get("type") == "SpdxDocument"]
    if len(documents) != 1:
        errors.append(f"{len(documents)} SpdxDocument nodes")
    else:
        document = documents[0]
        if not document.get("rootElement"):
            errors.append("SpdxDocument has no rootElement")
        listed = set(document.get("element", []))
        defined = {n["spdxId"] for n in graph if "spdxId" in n} - {document["spdxId"]}
        if listed != defined:
            errors.append(f"element list differs: {sorted(listed ^ defined)}")
    for node in graph:
        if node.get("type") != "CreationInfo" and node.get("creationInfo") not in ids:
            errors.append(f"{node.get('spdxId')}: creationInfo {node.get('creationInfo')!r}")
        refs = [node[k] for k in _SINGLE_REFERENCE_KEYS if k in node and k != "creationInfo"]
        refs += [ref for k in _REFERENCE_KEYS for ref in node.get(k, [])]
        errors += [
            f"{node.get('spdxId')} refers to missing {ref}"
            for ref in refs
            if ref not in ids and ref not in _INDIVIDUALS
        ]
        if node.get("type") == "Relationship":
            for required in ("from", "to", "relationshipType"):
                if not node.get(required):
                    errors.append(f"{node['spdxId']} lacks {required}")
    return errors


def _spdx3_binding_errors(text: str) -> list[str]:
    """Read the document with spdx-python-model's SPDX 3.0.1 binding and write it back.

    Reading checks every property name, type, pattern and enum value; linking reports dangling
    references; writing enforces the required properties (minimum counts).
    """
    model = pytest.importorskip(
        "spdx_python_model.bindings.v3_0_1", reason="spdx-python-model is not installed"
    )
    objects = model.SHACLObjectSet()
    try:
        model.JSONLDDeserializer().read(io.StringIO(text), objects)
        missing = objects.link()
        model.JSONLDSerializer().write(objects, io.BytesIO())
    except (KeyError, TypeError, ValueError) as exc:
        return [f"{type(exc).__name__}: {exc}"]
    return [f"dangling reference {ref}" for ref in sorted(missing)]


@pytest.mark.parametrize("case", IDS)
def test_spdx3_structure(case: str) -> None:
    doc = json.loads(to_spdx3_jsonld(report(case), created=CREATED))
    assert _spdx3_structure_errors(doc) == []
    (root,) = next(n for n in doc["@graph"] if n["type"] == "SpdxDocument")["rootElement"]
    model = next(n for n in doc["@graph"] if n.get("spdxId") == root)
    assert model["type"] == "ai_AIPackage"
    assert model["name"] == report(case).name
    assert model["software_primaryPurpose"] == "model"


@pytest.mark.parametrize("case", IDS)
def test_spdx3_reads_as_the_spdx_3_0_1_model(case: str) -> None:
    assert _spdx3_binding_errors(to_spdx3_jsonld(report(case), created=CREATED)) == []


def _first(graph: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return next(n for n in graph if n["type"] == kind)


BREAKAGES: dict[str, Callable[[list[dict[str, Any]]], object]] = {
    "unknown-purpose": lambda g: _first(g, "ai_AIPackage").update(
        software_primaryPurpose="weights"
    ),
    "dangling-to": lambda g: _first(g, "Relationship").update(to=["https://example.org/none"]),
    "dataset-without-type": lambda g: _first(g, "dataset_DatasetPackage").pop(
        "dataset_datasetType"
    ),
    "relationship-without-type": lambda g: _first(g, "Relationship").pop("relationshipType"),
    "unknown-property": lambda g: _first(g, "ai_AIPackage").update(ai_bogus="x"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_the_spdx3_binding_check_rejects_broken_documents(breakage: str) -> None:
    doc = json.loads(to_spdx3_jsonld(report("repo-olmo-open"), created=CREATED))
    assert _spdx3_binding_errors(json.dumps(doc)) == []
    BREAKAGES[breakage](doc["@graph"])
    assert _spdx3_binding_errors(json.dumps(doc))


def test_the_spdx3_structure_check_rejects_broken_documents() -> None:
    doc = json.loads(to_spdx3_jsonld(report("repo-olmo-open"), created=CREATED))
    _first(doc["@graph"], "Relationship")["from"] = "https://example.org/none"
    assert _spdx3_structure_errors(doc)
    doc = json.loads(to_spdx3_jsonld(report("repo-olmo-open"), created=CREATED))
    _first(doc["@graph"], "ai_AIPackage")["creationInfo"] = "_:elsewhere"
    assert _spdx3_structure_errors(doc)
    doc["@context"] = "https://spdx.org/rdf/3.0.0/spdx-context.jsonld"
    assert _spdx3_structure_errors(doc)


def test_spdx3_model_carries_the_ai_and_dataset_facts() -> None:
    doc = json.loads(to_spdx3_jsonld(report("repo-olmo-open"), created=CREATED))
    graph = {n.get("spdxId", n.get("@id")): n for n in doc["@graph"]}
    document = next(n for n in graph.values() if n["type"] == "SpdxDocument")
    assert set(document["profileConformance"]) >= {"core", "software", "ai", "dataset"}
    model = graph[document["rootElement"][0]]
    assert "allenai/dolma" in model["ai_informationAboutTraining"]
    assert "limitations" in model["ai_limitation"]
    rels = [n for n in graph.values() if n["type"] == "Relationship"]

    def targets(source: str, kind: str) -> list[dict[str, Any]]:
        return [
            graph[t]
            for r in rels
            if r["from"] == source and r["relationshipType"] == kind
            for t in r["to"]
        ]

    (concluded,) = targets(model["spdxId"], "hasConcludedLicense")
    (declared,) = targets(model["spdxId"], "hasDeclaredLicense")
    assert concluded["simplelicensing_licenseExpression"] == "Apache-2.0"
    assert declared is concluded
    (dataset,) = targets(model["spdxId"], "trainedOn")
    assert dataset["type"] == "dataset_DatasetPackage"
    assert dataset["name"] == "allenai/dolma"
    assert dataset["software_downloadLocation"] == "https://huggingface.co/datasets/allenai/dolma"
    contained = targets(model["spdxId"], "contains")
    assert {c["name"] for c in contained} >= {"olmo-open Training code", "olmo-open Data card"}
    purposes = {c["name"]: c["software_primaryPurpose"] for c in contained}
    assert purposes["olmo-open Training code"] == "source"


def test_spdx3_mot_release_carries_version_supplier_and_type(tmp_path: Path) -> None:
    text = to_spdx3_jsonld(analyze(_mot_with_locations(tmp_path)), created=CREATED)
    assert _spdx3_structure_errors(json.loads(text)) == []
    assert _spdx3_binding_errors(text) == []
    graph = {n.get("spdxId", n.get("@id")): n for n in json.loads(text)["@graph"]}
    model = next(
        n for n in graph.values() if n["type"] == "ai_AIPackage" and n["name"] == "Located 7B"
    )
    assert model["software_packageVersion"] == "7B"
    assert model["releaseTime"] == "2025-05-22T00:00:00Z"
    assert model["software_downloadLocation"] == "https://huggingface.co/example/located"
    assert graph[model["suppliedBy"]]["name"] == "Example Labs"
    assert model["ai_typeOfModel"] == ["transformer decoder", "language"]


@pytest.mark.parametrize("case", IDS)
def test_spdx3_license_refs_point_to_the_catalog(case: str) -> None:
    doc = json.loads(to_spdx3_jsonld(report(case), created=CREATED))
    for node in doc["@graph"]:
        if node["type"] != "simplelicensing_LicenseExpression":
            continue
        refs = _license_refs(node["simplelicensing_licenseExpression"])
        mapped = {e["key"] for e in node.get("simplelicensing_customIdToUri", [])}
        assert mapped <= refs
        for ref in refs:
            assert ref in node.get("comment", "")


def test_spdx3_none_status_is_the_none_license() -> None:
    doc = json.loads(to_spdx3_jsonld(report("expr-none"), created=CREATED))
    rels = [n for n in doc["@graph"] if n["type"] == "Relationship"]
    licensed = [r for r in rels if r["relationshipType"] == "hasDeclaredLicense"]
    assert [r["to"] for r in licensed] == [["expandedlicensing_NoneLicense"]]
    document = next(n for n in doc["@graph"] if n["type"] == "SpdxDocument")
    assert "expandedLicensing" in document["profileConformance"]


# --------------------------------------------------------------------------------------------
# all formats


FORMAT_CALLS: dict[str, Callable[[Report], str]] = {
    "sarif": to_sarif,
    "spdx-json": functools.partial(to_spdx_json, created=CREATED),
    "spdx-tagvalue": functools.partial(to_spdx_tagvalue, created=CREATED),
    "spdx3-jsonld": functools.partial(to_spdx3_jsonld, created=CREATED),
}


def _document_errors(kind: str, text: str) -> list[str]:
    """What is wrong with ``text`` as a document of the registry's format ``kind``."""
    if kind == "sarif":
        return _schema_errors(json.loads(text))
    if kind == "spdx-json":
        from spdx_tools.spdx.parser.json.json_parser import JsonLikeDictParser

        return _spdx2_errors(JsonLikeDictParser().parse(json.loads(text)))
    if kind == "spdx-tagvalue":
        from spdx_tools.spdx.parser.tagvalue.parser import Parser

        # The annotator workaround of test_spdx2_json_and_tagvalue_read_back_valid.
        return _spdx2_errors(
            Parser().parse(text.replace("Annotator: Tool: ", "Annotator: Person: "))
        )
    if kind == "spdx3-jsonld":
        return _spdx3_structure_errors(json.loads(text))
    assert kind == "html"
    return [] if text.lstrip().lower().startswith("<!doctype html") else ["not an HTML page"]


@pytest.mark.parametrize("name", sorted([*FORMATS, *ALIASES]))
def test_each_registry_entry_writes_a_valid_document(name: str) -> None:
    """The registry (``--format``'s names and aliases) gives each format's document, valid by
    that format's own check, for a report with flags and for one that failed."""
    assert set(FORMATS) >= set(FORMAT_CALLS)
    kind = ALIASES.get(name, name)
    assert kind in FORMATS
    for case in ("repo-sd-gated-rail", "repo-bad-empty"):
        rep = report(case)
        text = get_format(name)(rep)
        assert isinstance(text, str), name
        assert _document_errors(kind, text) == [], (name, case)
        assert rep.name in text


def test_an_unknown_format_name_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        get_format("xml")


@pytest.mark.parametrize("fmt", sorted(FORMAT_CALLS))
@pytest.mark.parametrize("case", ["expr-llama2", "repo-sd-gated-rail", "repo-bad-empty"])
def test_output_is_deterministic(fmt: str, case: str) -> None:
    rep = report(case)
    first = FORMAT_CALLS[fmt](rep)
    assert first == FORMAT_CALLS[fmt](rep)
    # and does not hang on object identity: a fresh analysis gives the same text
    fresh = CASES[case]()
    assert FORMAT_CALLS[fmt](fresh) == first


@pytest.mark.parametrize("fmt", sorted(FORMAT_CALLS))
def test_formats_read_and_write_no_file(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rep = report("repo-sd-gated-rail")
    expected = FORMAT_CALLS[fmt](rep)  # warms every lazy import and cache first

    def no_io(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a format opened a file: {args!r}")

    monkeypatch.setattr(builtins, "open", no_io)
    monkeypatch.setattr(io, "open", no_io)
    monkeypatch.setattr(Path, "open", no_io)
    assert FORMAT_CALLS[fmt](rep) == expected


def test_spdx_namespace_differs_by_creation_time() -> None:
    rep = report("expr-llama2")
    later = datetime(2025, 1, 2, 3, 4, 6, tzinfo=UTC)
    one = json.loads(to_spdx_json(rep, created=CREATED))["documentNamespace"]
    two = json.loads(to_spdx_json(rep, created=later))["documentNamespace"]
    assert one != two
    assert one.startswith(f"https://spdx.org/spdxdocs/openlicense-{__version__}/")

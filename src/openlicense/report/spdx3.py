"""SPDX 3.0.1 JSON-LD: the release with the Core, Software, AI and Dataset profiles.

Written directly as JSON (spdx-tools 0.8.2 supports SPDX 3 only in part). The root element is
an ``ai_AIPackage`` for the model (its final parameters); the other components are packages it
``contains``; each dataset the card names is a ``dataset_DatasetPackage`` the model was
``trainedOn``. Licenses are ``simplelicensing_LicenseExpression`` elements linked by
``hasConcludedLicense`` and ``hasDeclaredLicense`` relationships; the verdict and each flag are
review annotations on the model. Field by field mapping: ``docs/formats.md``.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

from openlicense import __version__
from openlicense import expression as ex
from openlicense.model import Component, Release
from openlicense.normalization import Normalized
from openlicense.report import Report
from openlicense.report.common import (
    AVAILABILITY,
    DOWNLOAD_KEYS,
    PathMapper,
    component_sources,
    describe_ref,
    document_namespace,
    license_comment,
    metadata_text,
    metadata_url,
    review_notes,
    slug,
    timestamp,
    verdict_details,
    verdict_line,
)

__all__ = ["SPDX3_CONTEXT", "to_spdx3_jsonld"]

#: The JSON-LD context of SPDX 3.0.1 documents.
SPDX3_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
_CREATION = "_:creationinfo"
_NONE_LICENSE = "expandedlicensing_NoneLicense"
#: The software purpose and element type of each kind of component.
_KINDS = {
    "parameters": ("ai_AIPackage", "model"),
    "code": ("software_Package", "source"),
    "data-information": ("software_Package", "documentation"),
    "datasets": ("dataset_DatasetPackage", "data"),
    "documentation": ("software_Package", "documentation"),
}


def to_spdx3_jsonld(report: Report, *, created: datetime | None = None) -> str:
    """The SPDX 3.0.1 JSON-LD document of ``report`` (deterministic for a given ``created``)."""
    moment = timestamp(created)
    paths = PathMapper([report])
    builder = _Builder(report, document_namespace(report, moment, paths), paths)
    graph = builder.build(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return (
        json.dumps({"@context": SPDX3_CONTEXT, "@graph": graph}, indent=2, ensure_ascii=False)
        + "\n"
    )


class _Builder:
    """Collects the elements of one document, in a fixed order."""

    def __init__(self, report: Report, namespace: str, paths: PathMapper) -> None:
        self.report = report
        self.release = report.release
        self.ns = namespace
        self.paths = paths
        self.elements: list[dict[str, Any]] = []
        self.licenses: dict[str, str] = {}  # expression → spdxId
        self.profiles = {"core", "software", "simpleLicensing", "ai"}
        self.relationships = 0

    def id(self, local: str) -> str:
        return f"{self.ns}#{local}"

    def add(self, kind: str, local: str, **props: Any) -> str:
        """Add an element of type ``kind``; properties that are None or empty are left out."""
        spdx_id = self.id(local)
        element = {"type": kind, "spdxId": spdx_id, "creationInfo": _CREATION}
        element.update({k: v for k, v in props.items() if v not in (None, [], "")})
        self.elements.append(element)
        return spdx_id

    # -- the document --

    def build(self, created: str) -> list[dict[str, Any]]:
        agent = self.add("SoftwareAgent", "agent-openlicense", name="openlicense")
        tool = self.add("Tool", "tool-openlicense", name=f"openlicense {__version__}")
        data_license = self.license_expression("CC0-1.0")
        root = self.model()
        document = {
            "type": "SpdxDocument",
            "spdxId": self.id("document"),
            "creationInfo": _CREATION,
            "name": f"openlicense report: {self.report.name}",
            "comment": verdict_line(self.report, self.paths),
            "dataLicense": data_license,
            "profileConformance": sorted(self.profiles),
            "rootElement": [root],
            "element": [e["spdxId"] for e in self.elements],
        }
        creation = {
            "type": "CreationInfo",
            "@id": _CREATION,
            "specVersion": "3.0.1",
            "created": created,
            "createdBy": [agent],
            "createdUsing": [tool],
            "comment": "Written by openlicense from its report on the release "
            "(openlicense/report/v1).",
        }
        return [creation, document, *self.elements]

    def model(self) -> str:
        """The ai_AIPackage for the release's model, and everything hanging from it."""
        report, release = self.report, self.release
        components = list(release.components) if release else []
        params = [c for c in components if c.kind == "parameters"]
        main = next((c for c in params if "final" in c.name.lower()), params[0] if params else None)
        supplier = None
        producer = metadata_text(release, "producer")
        if producer:
            supplier = self.add("Organization", "supplier", name=producer)
        root = self.add(
            "ai_AIPackage",
            "release",
            name=report.name,
            summary=verdict_line(report, self.paths),
            description=f"The model of {report.name}" + (f": {main.name}." if main else "."),
            comment=verdict_details(report, self.paths),
            software_primaryPurpose="model",
            software_packageVersion=metadata_text(release, "version"),
            software_downloadLocation=metadata_url(release, *DOWNLOAD_KEYS["release"]),
            releaseTime=_date(metadata_text(release, "date")),
            suppliedBy=supplier,
            ai_typeOfModel=_types_of_model(release),
            ai_informationAboutTraining=self.training_information(),
            ai_limitation=self.limitations(),
        )
        if main is not None and main.license is not None:
            self.component_licenses(root, main.license)
        elif release is not None and release.declared is not None:
            self.relate(root, "hasDeclaredLicense", self.license_for(release.declared))
        for number, component in enumerate(components, start=1):
            if component is main:
                continue
            self.relate(root, "contains", self.component(number, component))
        for number, name in enumerate(release.datasets if release else (), start=1):
            self.profiles.add("dataset")
            dataset = self.add(
                "dataset_DatasetPackage",
                f"dataset-{number}-{slug(name)}",
                name=name,
                software_primaryPurpose="data",
                software_downloadLocation=_hub_dataset_url(release, name),
                dataset_datasetType=["noAssertion"],
                comment="Named in the release's metadata as training data.",
            )
            self.relate(root, "trainedOn", dataset)
        self.annotate(root)
        return root

    def component(self, number: int, component: Component) -> str:
        kind, purpose = _KINDS[component.kind]
        props: dict[str, Any] = {}
        if kind == "dataset_DatasetPackage":
            self.profiles.add("dataset")
            props["dataset_datasetType"] = ["noAssertion"]
        spdx_id = self.add(
            kind,
            f"component-{number}-{slug(component.name)}",
            name=f"{self.report.name} {component.name}",
            summary=f"The {component.kind} component: {component.name}, "
            f"{AVAILABILITY[component.available]}.",
            description=component_sources(component, self.paths),
            comment=license_comment(component.license),
            software_primaryPurpose=purpose,
            software_downloadLocation=metadata_url(
                self.release, *DOWNLOAD_KEYS.get(component.kind, ())
            ),
            **props,
        )
        self.component_licenses(spdx_id, component.license)
        return spdx_id

    # -- licenses --

    def component_licenses(self, spdx_id: str, lic: Normalized | None) -> None:
        target = self.license_for(lic) if lic is not None else None
        if target is not None:
            self.relate(spdx_id, "hasConcludedLicense", target)
            self.relate(spdx_id, "hasDeclaredLicense", target)

    def license_for(self, lic: Normalized) -> str | None:
        """The license element for a normalized license (None: nothing to assert)."""
        if lic.expression:
            return self.license_expression(lic.expression)
        if lic.status == "none":
            self.profiles.add("expandedLicensing")
            return _NONE_LICENSE
        return None

    def license_expression(self, expression: str) -> str:
        """One element per distinct expression; each LicenseRef points to the catalog's page."""
        if expression in self.licenses:
            return self.licenses[expression]
        digest = hashlib.sha256(expression.encode("utf-8")).hexdigest()[:12]
        refs = sorted(
            {
                leaf.id
                for leaf in ex.iter_license_keys(ex.parse(expression))
                if isinstance(leaf, ex.LicenseRef)
            }
        )
        custom = []
        for ref in refs:
            info = describe_ref(ref)
            if info.urls:
                custom.append({"type": "DictionaryEntry", "key": ref, "value": info.urls[0]})
        spdx_id = self.add(
            "simplelicensing_LicenseExpression",
            f"license-{digest}",
            simplelicensing_licenseExpression=expression,
            simplelicensing_customIdToUri=custom,
            comment=" ".join(f"{ref}: {describe_ref(ref).statement}" for ref in refs) or None,
        )
        self.licenses[expression] = spdx_id
        return spdx_id

    def relate(self, source: str, kind: str, target: str | None) -> None:
        if target is None:
            return
        self.relationships += 1
        self.add(
            "Relationship",
            f"relationship-{self.relationships}",
            relationshipType=kind,
            **{"from": source, "to": [target]},
        )

    # -- AI facts and review notes --

    def training_information(self) -> str | None:
        release = self.release
        if release is None:
            return None
        told = [c for c in release.component("data-information") if c.available]
        if not told:
            return None
        parts = [f"{c.name}: published. {component_sources(c, self.paths)}" for c in told]
        if release.datasets:
            parts.append("Training datasets named: " + ", ".join(release.datasets) + ".")
        return " ".join(parts)

    def limitations(self) -> str | None:
        release = self.release
        if release is None or "limitations" not in release.documentation:
            return None
        where = self.paths.relative(release.path) if release.path else "the model card"
        return f"The model card documents the model's limitations: see {where}."

    def annotate(self, subject: str) -> None:
        for number, text in enumerate(review_notes(self.report, self.paths), start=1):
            self.add(
                "Annotation",
                f"annotation-{number}",
                annotationType="review",
                subject=subject,
                statement=text,
            )


# --------------------------------------------------------------------------------------------


def _hub_dataset_url(release: Release | None, name: str) -> str | None:
    """Hugging Face ``datasets:`` entries are Hub ids: their page is known."""
    if release is None or release.format not in ("hf-repo", "model-card"):
        return None
    if re.fullmatch(r"[A-Za-z0-9][\w.\-]*(?:/[\w.\-]+)?", name):
        return f"https://huggingface.co/datasets/{name}"
    return None


def _date(text: str | None) -> str | None:
    if text and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f"{text}T00:00:00Z"
    return None


def _types_of_model(release: Release | None) -> list[str]:
    """What the release says its model is: MOT ``architecture`` and ``type``, HF pipeline."""
    found = [metadata_text(release, key) for key in ("architecture", "type", "pipeline_tag")]
    return list(dict.fromkeys(t for t in found if t))

"""SPDX 2.3: the release as a bill of materials, built with spdx-tools and written by it.

The document DESCRIBES a root package for the release, which CONTAINS one package per
component (weights, code, data information, datasets, documentation), each with its license
concluded and declared. Every ``LicenseRef-`` used gets an extracted-licensing-info entry with
the catalog's name and a link, never a copied license text. The verdict, the MOF class and each
flag are review annotations on the root package. Field by field mapping: ``docs/formats.md``.

spdx-tools parses expressions with license-expression, whose SPDX list can be older than
openlicense's: an SPDX id it does not know (``OpenMDW-1.0``) is written as
``LicenseRef-openlicense-spdx-<id>``, with an extracted-licensing-info entry that says so.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from spdx_tools.spdx.model.actor import Actor
    from spdx_tools.spdx.model.document import Document
    from spdx_tools.spdx.model.extracted_licensing_info import ExtractedLicensingInfo
    from spdx_tools.spdx.model.package import PackagePurpose
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion

__all__ = ["ROOT_ID", "SPDX_ID_REF_PREFIX", "spdx_document", "to_spdx_json", "to_spdx_tagvalue"]

#: Prefix of the references made for SPDX ids that spdx-tools' license list lacks.
SPDX_ID_REF_PREFIX = "LicenseRef-openlicense-spdx-"
#: The SPDXID of the package that stands for the whole release.
ROOT_ID = "SPDXRef-Release"
_PURPOSES = {"code": "SOURCE"}  # the rest (weights, data, documents) has no SPDX 2.3 purpose


def to_spdx_json(report: Report, *, created: datetime | None = None) -> str:
    """The SPDX 2.3 document of ``report`` as JSON (spdx-tools' JSON writer)."""
    from spdx_tools.spdx.writer.json.json_writer import write_document_to_stream

    out = io.StringIO()
    # The document is validated by the test suite; validating here again would only turn a
    # bug of ours into a crash of the user's run.
    write_document_to_stream(spdx_document(report, created=created), out, validate=False)
    return out.getvalue() + "\n"


def to_spdx_tagvalue(report: Report, *, created: datetime | None = None) -> str:
    """The SPDX 2.3 document of ``report`` in tag-value form (spdx-tools' writer)."""
    from spdx_tools.spdx.writer.tagvalue.tagvalue_writer import write_document_to_stream

    out = io.StringIO()
    write_document_to_stream(spdx_document(report, created=created), out, validate=False)
    return out.getvalue()


def spdx_document(report: Report, *, created: datetime | None = None) -> Document:
    """The spdx-tools model of the SPDX 2.3 document for ``report`` (not yet validated).

    Check it with ``spdx_tools.spdx.validation.document_validator.validate_full_spdx_document``.
    """
    from spdx_tools.spdx.model.actor import Actor, ActorType
    from spdx_tools.spdx.model.annotation import Annotation, AnnotationType
    from spdx_tools.spdx.model.document import CreationInfo, Document
    from spdx_tools.spdx.model.package import Package
    from spdx_tools.spdx.model.relationship import Relationship, RelationshipType

    moment = timestamp(created)
    paths = PathMapper([report])
    refs = _Refs()
    tool = Actor(ActorType.TOOL, f"openlicense-{__version__}")
    release = report.release

    root = Package(
        spdx_id=ROOT_ID,
        name=report.name,
        download_location=_download(release, "release"),
        version=metadata_text(release, "version"),
        supplier=_supplier(release),
        files_analyzed=False,
        license_concluded=_noassertion(),
        license_declared=refs.declared(release.declared if release else None),
        license_comment=license_comment(release.declared) if release and release.declared else None,
        summary=verdict_line(report, paths),
        comment=verdict_details(report, paths),
        primary_package_purpose=_purpose("release"),
    )
    packages = [root]
    relationships = [Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, ROOT_ID)]
    for number, component in enumerate(release.components if release else (), start=1):
        spdx_id = f"SPDXRef-Component-{number}-{slug(component.name)}"
        concluded, declared = refs.component(component.license)
        packages.append(
            Package(
                spdx_id=spdx_id,
                name=f"{report.name} {component.name}",
                download_location=_download(release, component.kind),
                files_analyzed=False,
                license_concluded=concluded,
                license_declared=declared,
                license_comment=license_comment(component.license),
                summary=f"The {component.kind} component of {report.name}: {component.name}, "
                f"{AVAILABILITY[component.available]}.",
                description=_component_description(component, release, paths),
                primary_package_purpose=_purpose(component.kind),
            )
        )
        relationships.append(Relationship(ROOT_ID, RelationshipType.CONTAINS, spdx_id))

    annotations = [
        Annotation(ROOT_ID, AnnotationType.REVIEW, tool, moment, text)
        for text in review_notes(report, paths)
    ]
    creation = CreationInfo(
        spdx_version="SPDX-2.3",
        spdx_id="SPDXRef-DOCUMENT",
        name=f"openlicense report: {report.name}",
        document_namespace=document_namespace(report, moment, paths),
        creators=[tool],
        created=moment,
        creator_comment="Written by openlicense from its report on the release "
        "(openlicense/report/v1); licenses are openlicense's normalized SPDX expressions.",
        document_comment=verdict_line(report, paths),
    )
    return Document(
        creation_info=creation,
        packages=packages,
        relationships=relationships,
        annotations=annotations,
        extracted_licensing_info=refs.extracted(),
    )


# --------------------------------------------------------------------------------------------
# licenses


@dataclass
class _Refs:
    """Turns openlicense expressions into spdx-tools ones and collects the references used.

    Not frozen: one instance lives for the building of one document and gathers, as packages
    are made, every reference that needs an extracted-licensing-info entry.
    """

    stands_for: dict[str, str | None] = field(default_factory=dict)  # LicenseRef → SPDX id

    def component(self, lic: Normalized | None) -> tuple[Any, Any]:
        """(concluded, declared) for a component's license."""
        if lic is None:
            return _noassertion(), _noassertion()
        value = self._value(lic)
        return value, value

    def declared(self, lic: Normalized | None) -> Any:
        return self._value(lic) if lic is not None else _noassertion()

    def _value(self, lic: Normalized) -> Any:
        from spdx_tools.spdx.model.spdx_none import SpdxNone

        if lic.expression:
            return _licensing().parse(self.expression(lic.expression))
        if lic.status == "none":
            return SpdxNone()
        return _noassertion()  # unknown, ambiguous, proprietary, invalid: nothing to assert

    def expression(self, expression: str) -> str:
        """``expression`` with every id spdx-tools cannot parse turned into a reference."""
        mapped = ex.map_leaves(ex.parse(expression), self._leaf)
        for leaf in ex.iter_license_keys(mapped):
            if isinstance(leaf, ex.LicenseRef):
                self.stands_for.setdefault(leaf.id, None)
        return ex.render(mapped)

    def _leaf(self, leaf: ex.License | ex.LicenseRef | ex.With) -> ex.Expression:
        if isinstance(leaf, ex.LicenseRef):
            return ex.LicenseRef(leaf.id)  # references to other documents are not followed
        if isinstance(leaf, ex.License):
            return leaf if _known(_text(leaf)) else self._ref_for(_text(leaf))
        if _known(_text(leaf)):
            return leaf
        # an exception is only valid after WITH: try it after an id every list has
        if not _known(f"MIT WITH {leaf.exception}"):
            # an exception spdx-tools lacks (or an SPDX 3 AdditionRef) cannot stay an exception
            return self._ref_for(_text(leaf))
        if isinstance(leaf.license, ex.LicenseRef):
            return ex.With(ex.LicenseRef(leaf.license.id), leaf.exception)
        return ex.With(self._ref_for(_text(leaf.license)), leaf.exception)

    def _ref_for(self, spdx_text: str) -> ex.LicenseRef:
        ref = SPDX_ID_REF_PREFIX + slug(spdx_text.replace("+", "-or-later").replace(" ", "-"))
        self.stands_for[ref] = spdx_text
        return ex.LicenseRef(ref)

    def extracted(self) -> list[ExtractedLicensingInfo]:
        from spdx_tools.spdx.model.extracted_licensing_info import ExtractedLicensingInfo

        infos = []
        for ref in sorted(self.stands_for):
            info = describe_ref(ref, stands_for=self.stands_for[ref])
            infos.append(
                ExtractedLicensingInfo(
                    license_id=ref,
                    extracted_text=info.statement,
                    license_name=info.name,
                    cross_references=list(info.urls),
                    comment="Named by openlicense; the license text itself is not reproduced.",
                )
            )
        return infos


def _text(leaf: ex.License | ex.LicenseRef | ex.With) -> str:
    return ex.render(leaf)


@functools.cache
def _known(symbol: str) -> bool:
    """Does spdx-tools' license list know ``symbol`` (an id, ``id+``, or ``id WITH exc``)?"""
    return not _licensing().validate(symbol).invalid_symbols


def _licensing() -> Any:
    """spdx-tools' license-expression ``Licensing`` (built once, on its first import)."""
    from spdx_tools.common.spdx_licensing import (  # type: ignore[import-untyped]
        spdx_licensing,
    )

    return spdx_licensing


def _noassertion() -> SpdxNoAssertion:
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion

    return SpdxNoAssertion()


# --------------------------------------------------------------------------------------------
# packages


def _download(release: Release | None, kind: str) -> str | SpdxNoAssertion:
    """A Model Openness Tool file names the model's Hub page and the code repository."""
    return metadata_url(release, *DOWNLOAD_KEYS.get(kind, ())) or _noassertion()


def _supplier(release: Release | None) -> Actor | None:
    from spdx_tools.spdx.model.actor import Actor, ActorType

    producer = metadata_text(release, "producer")
    return Actor(ActorType.ORGANIZATION, producer) if producer else None


def _purpose(kind: str) -> PackagePurpose:
    from spdx_tools.spdx.model.package import PackagePurpose

    return PackagePurpose[_PURPOSES.get(kind, "OTHER")]


def _component_description(component: Component, release: Release | None, paths: PathMapper) -> str:
    parts = []
    if component.mof_id is not None:
        parts.append(f"Model Openness Framework component {component.mof_id}.")
    parts.append(component_sources(component, paths))
    if component.kind == "datasets" and release is not None and release.datasets:
        parts.append("Datasets named: " + ", ".join(release.datasets) + ".")
    return " ".join(parts)

"""The Model Openness Framework (MOF) class of a release: I, II, III or unclassified.

The MOF (https://isitopen.ai, LF AI & Data) sorts the parts of a model release into 17
components in three cumulative classes. Class III (open model) needs the model architecture,
the final parameters, the model card, the data card, the evaluation results and a technical
report; Class II (open tooling) adds the training, inference and evaluation code and the
evaluation data; Class I (open science) adds the datasets, the data preprocessing code, the
intermediate parameters and a research paper. A component counts when it is published under an
open license; a research paper stands in for a missing technical report. The component table is
data (``data/mof.toml``), derived from the Model Openness Tool (MOT) at a pinned commit, and
loaded by :mod:`openlicense.release.moftable`, which the MOT reader shares.

Two entry points share one evaluation, a transcription of MOT's ``ModelEvaluator``:

- :func:`mof_class` judges an openlicense :class:`~openlicense.model.Release` whose licenses
  were normalized: "Apache 2.0" is Apache-2.0, and openness comes from the license catalog;
- :func:`mot_reference` judges a MOT YAML file as MOT itself does, on the raw license strings
  and MOT's own license lists, to measure how faithful :func:`mof_class` is (docs/mof.md).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

from openlicense import expression as ex
from openlicense.catalog import get_catalog
from openlicense.errors import InvalidLicenseExpression
from openlicense.release.moftable import MOF_CLASSES as _CLASSES
from openlicense.release.moftable import (
    ContentType,
    MofComponent,
    MofTable,
    mof_component,
    mof_table,
)
from openlicense.release.mot import parse_mot

if TYPE_CHECKING:
    from openlicense.model import Component, Normalized, Release

__all__ = [
    "ContentType",
    "MofClass",
    "MofComponent",
    "MofResult",
    "MofTable",
    "mof_class",
    "mof_component",
    "mof_table",
    "mot_reference",
]

MofClass = Literal["I", "II", "III", "unclassified"]
#: What one component of a release contributes, in MOT's words. A required component that is
#: not listed at all is "missing" and has no status.
_Status = Literal["included", "invalid", "unlicensed"]

_CLASS_NAMES: Final[dict[int, MofClass]] = {1: "I", 2: "II", 3: "III"}
# Order of the statuses from worst to best: a component read twice keeps the worse reading.
_RANK: Final[dict[_Status, int]] = {"invalid": 0, "unlicensed": 1, "included": 2}


@dataclass(frozen=True, slots=True)
class MofResult:
    """The MOF class of a release and how far it is from each class.

    ``progress`` maps each class (1, 2, 3) to the percentage MOT would show: the share of that
    class's cumulative components that are included under an open license, or 0 while a class
    above it is not met. ``missing`` maps each class to the names of the components that keep
    it from being met (not listed, unlicensed, or under a license that is not open), in MOT's
    display order.
    """

    mof_class: MofClass
    progress: dict[int, float]
    missing: dict[int, tuple[str, ...]]

    @property
    def label(self) -> str:
        if self.mof_class == "unclassified":
            return "Unclassified"
        number = {v: k for k, v in _CLASS_NAMES.items()}[self.mof_class]
        return mof_table().labels[number]

    def to_dict(self) -> dict[str, Any]:
        return {
            "mof_class": self.mof_class,
            "label": self.label,
            # Two decimals are what a percentage needs; the exact value stays on the object.
            "progress": {str(k): round(self.progress[k], 2) for k in sorted(self.progress)},
            "missing": {str(k): list(self.missing[k]) for k in sorted(self.missing)},
        }


# --------------------------------------------------------------------------------------------
# the evaluation (MOT's ModelEvaluator, for component statuses however they were obtained)


def _evaluate(statuses: Mapping[int, _Status]) -> MofResult:
    """Class, progress and missing components from the status of each listed component.

    MOT's rules, as of the commit in ``data/mof.toml``:

    - each class needs its own required components and those of every class above it;
    - a component counts ("included") only when its license is open;
    - when the technical report does not count but a research paper is listed, the paper
      takes the report's place in classes II and III (it counts there if it counts at all);
      Class I then needs one component fewer, since the paper is one of its own;
    - the progress of a class is 0 until every class above it is met, else the share of its
      components that count, capped at 100; the class is the best one at 100.
    """
    table = mof_table()
    report, paper = table.technical_report, table.research_paper
    needed = {k: table.cumulative(k) for k in _CLASSES}
    counted = {k: [cid for cid in needed[k] if statuses.get(cid) == "included"] for k in _CLASSES}
    report_counts = statuses.get(report) == "included"
    paper_listed = paper in needed[1] and paper in statuses
    paper_counts = paper_listed and statuses[paper] == "included"
    if not report_counts and paper_counts:
        for k in (2, 3):
            if paper not in counted[k]:
                counted[k].append(paper)

    progress: dict[int, float] = {}
    for k in _CLASSES:
        total = included = 0
        level = 3
        while level >= k:
            total += len(table.required(level))
            included = len(counted[level])
            if included < total:
                break
            level -= 1
        if level > k:  # a class above this one is not met
            progress[k] = 0.0
            continue
        if k == 1 and not report_counts and paper_counts:
            total -= 1
        progress[k] = min(included / total * 100, 100.0) if total else 100.0

    met = [k for k in _CLASSES if progress[k] == 100.0]
    missing: dict[int, tuple[str, ...]] = {}
    for k in _CLASSES:
        lacking = {
            cid
            for cid in needed[k]
            if statuses.get(cid) != "included" and not (cid == report and paper_counts)
        }
        missing[k] = tuple(c.name for c in table.components if c.id in lacking)
    return MofResult(
        mof_class=_CLASS_NAMES[min(met)] if met else "unclassified",
        progress=progress,
        missing=missing,
    )


# --------------------------------------------------------------------------------------------
# openlicense: normalized licenses, openness from the catalog


def mof_class(release: Release) -> MofResult:
    """The MOF class of a release, on openlicense's normalized licenses.

    A component of the release is a MOF component by its ``mof_id``, else by its ``name``;
    other components are not part of the framework and are ignored. A component marked
    ``available=False`` is not listed.

    The framework's criterion is MOT's, applied to normalized identifiers: a license is open
    when the catalog has it as OSI-approved or FSF-libre, or it is one of the open data and
    content licenses MOT accepts (``[openlicense] open_content`` in ``data/mof.toml``), unless
    the catalog's terms say it withholds an OSAID freedom. Licenses the catalog judges
    conformant but the framework does not list (NLOD-1.0) are not added: the class stays
    comparable with MOT's. An expression is open when every AND operand is, or one OR
    alternative is; an ambiguous name is open only when every candidate is. No license, or one
    that says "unknown" or "unlicensed", is unlicensed; anything else is not open.
    """
    statuses: dict[int, _Status] = {}
    for component in release.components:
        mof = _mof_of(component)
        if mof is None or component.available is False:
            continue
        status = _status(component.license)
        previous = statuses.get(mof.id)
        # Two readings of one component (a card and a license file) that disagree: keep the
        # worse, since a class is a claim about every part.
        if previous is None or _RANK[status] < _RANK[previous]:
            statuses[mof.id] = status
    return _evaluate(statuses)


def _mof_of(component: Component) -> MofComponent | None:
    if component.mof_id is not None:
        return mof_component(component.mof_id)
    return mof_component(component.name)


def _status(license: Normalized | None) -> _Status:
    if license is None or license.status in {"none", "unknown"}:
        return "unlicensed"
    if license.status == "ok" and license.expression is not None:
        return "included" if _open_expression(license.expression) else "invalid"
    if license.status == "ambiguous" and license.candidates:
        every = all(_open_expression(c) for c in license.candidates)
        return "included" if every else "invalid"
    return "invalid"  # proprietary, not a license, invalid


@functools.lru_cache(maxsize=4096)
def _open_expression(expression: str) -> bool:
    try:
        node = ex.parse(expression, get_catalog())
    except InvalidLicenseExpression:
        return False
    return _open_node(node)


def _open_node(node: ex.Expression) -> bool:
    if isinstance(node, ex.With):  # an exception only adds permissions
        return _open_node(node.license)
    if isinstance(node, (ex.License, ex.LicenseRef)):
        return _open_license(node.id)
    values = [_open_node(arg) for arg in node.args]
    return all(values) if isinstance(node, ex.And) else any(values)


def _open_license(license_id: str) -> bool:
    entry = get_catalog().get(license_id)
    if entry is not None and entry.terms.osaid_conformant is False:
        return False  # the catalog knows terms that withhold an OSAID freedom
    if entry is not None and (entry.osi_approved or entry.fsf_libre):
        return True
    canonical = entry.id if entry is not None else license_id
    return canonical in mof_table().open_content


# --------------------------------------------------------------------------------------------
# MOT itself: raw license strings, MOT's license lists


def mot_reference(path: str | os.PathLike[str]) -> MofResult:
    """The MOF class of a MOT YAML file exactly as MOT computes it.

    License strings are taken as written and matched case-sensitively against MOT's license
    store (OSI-approved or FSF-libre) and its open-data list: "Apache 2.0" is not open here.
    A component license is the component's own, else the release's license for the
    component's content type, else the release's distribution license; an empty component
    license means unlicensed and does not fall back. Components MOT would not recognize by name
    are left out (MOT would file them under an arbitrary component). Raises
    :class:`~openlicense.errors.ReleaseFormatError` for a file that is not MOT YAML.
    """
    document = parse_mot(path)
    table = mof_table()
    statuses: dict[int, _Status] = {}
    for entry in document.components:
        component = table.by_name(entry.name)
        if component is None:
            continue
        own = entry.license.text if entry.license is not None else None
        statuses[component.id] = _mot_status(
            _mot_license(own, document.licenses, component.content_type), table
        )
    return _evaluate(statuses)


def _mot_license(
    own: str | None, licenses: Mapping[str, str | None], content_type: str
) -> str | None:
    """MOT's ``resolveLicense``: a set component license, even empty, does not fall back."""
    if own is not None:
        return own or None
    for scope in (content_type, "distribution"):
        name = licenses.get(scope)
        if name not in {None, "", "0"}:  # PHP empty(): "0" is empty too
            return name
    return None


def _mot_status(license: str | None, table: MofTable) -> _Status:
    license = license if license is not None else "unlicensed"
    if license in table.mot_open or license in table.mot_open_data:
        return "included"
    return "unlicensed" if license == "unlicensed" else "invalid"

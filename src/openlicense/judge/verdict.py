"""The OSAID verdict of a release, its four freedoms, and its openness profile.

How the verdict is reached is written up in ``docs/verdict.md``. In short: each freedom (use,
study, modify, share) is *restricted* when a license of a required component restricts it (the
catalog's terms say which flags restrict which freedom), *unknown* when a required component's
license is unknown, else *granted*. The release is ``open-source-ai`` when all four are granted
and the required components (``data/osaid.toml``) are available under conformant terms;
``not-open-source-ai`` when a freedom is restricted or a required component is withheld or
under non-conforming terms; ``insufficient-information`` otherwise.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from openlicense import expression as ex
from openlicense.catalog import Catalog, get_catalog
from openlicense.judge.freedoms import (
    FreedomAssessment,
    binds_derivatives,
    component_conformant,
    component_freedoms,
    expression_freedoms,
    license_tree,
    osaid_conformant,
)
from openlicense.model import FREEDOMS, Component, Release, Verdict

__all__ = [
    "Assessment",
    "FreedomAssessment",
    "Openness",
    "Requirement",
    "assess",
    "binds_derivatives",
    "expression_freedoms",
    "license_grade",
    "openness",
    "required_components",
    "requirements",
]

Grade = Literal["open", "partial", "closed"]


@dataclass(frozen=True, slots=True)
class Requirement:
    kind: str
    names: tuple[str, ...]
    any: bool
    license: bool
    why: str


@functools.cache
def requirements() -> tuple[Requirement, ...]:
    raw = tomllib.loads(
        resources.files("openlicense").joinpath("data").joinpath("osaid.toml").read_text("utf-8")
    )
    return tuple(
        Requirement(r["kind"], tuple(r["names"]), bool(r["any"]), bool(r["license"]), r["why"])
        for r in raw["required"]
    )


# --------------------------------------------------------------------------------------------
# the release


@dataclass(frozen=True, slots=True)
class Assessment:
    verdict: Verdict
    freedoms: dict[str, FreedomAssessment]
    reasons: tuple[str, ...]
    withheld: tuple[str, ...]  # required components not released
    nonconforming: tuple[str, ...]  # required components under non-conforming terms
    unknown: tuple[str, ...]  # required facts not known


def _component_label(c: Component) -> str:
    return c.name if c.name else c.kind


def required_components(release: Release) -> list[tuple[Requirement, list[Component]]]:
    out = []
    for req in requirements():
        of_kind = release.component(req.kind)
        named = [c for c in of_kind if c.name in req.names]
        # Readers that do not name components as the MOF does (a model card) give one
        # component per kind: it stands for the whole kind.
        out.append((req, named or of_kind))
    return out


def assess(release: Release, catalog: Catalog | None = None) -> Assessment:
    """The OSAID verdict of a release, with every reason."""
    catalog = catalog or get_catalog()
    freedom_reasons: dict[str, list[str]] = {f: [] for f in FREEDOMS}
    freedom_unknown: dict[str, list[str]] = {f: [] for f in FREEDOMS}
    withheld: list[str] = []
    nonconforming: list[str] = []
    unknown: list[str] = []
    for req, components in required_components(release):
        if not components:
            # Not described: the verdict cannot be reached, but what the described components
            # grant still stands, so the freedoms are judged on those.
            unknown.append(f"{req.kind}: not described")
            continue
        available = [c for c in components if c.available]
        if req.any:
            if not available:
                if all(c.available is False for c in components):
                    withheld.append(f"{req.kind}: not published")
                else:
                    unknown.append(f"{req.kind}: availability unknown")
            continue
        for c in components:
            label = _component_label(c)
            if c.available is False:
                withheld.append(f"{label}: not published")
                continue
            if c.available is None:
                unknown.append(f"{label}: availability unknown")
            if not req.license:
                continue
            if c.available is None and c.license is None and c.identification is None:
                # Nothing is known of this part: it leaves the verdict open, but says nothing
                # about what the published parts grant.
                unknown.append(f"{label}: license unknown")
                continue
            conformant = component_conformant(c, catalog)
            if conformant is False:
                nonconforming.append(
                    f"{label}: {c.expression or 'license'} is not OSAID-conformant"
                )
            elif conformant is None:
                what = c.license.status if c.license is not None else "no license declared"
                unknown.append(f"{label}: license {what}")
            statuses = component_freedoms(c, catalog)
            for f in FREEDOMS:
                s = statuses[f]
                if s.status == "restricted":
                    freedom_reasons[f].extend(f"{label}: {r}" for r in s.reasons)
                elif s.status == "unknown":
                    freedom_unknown[f].append(f"{label}: {'; '.join(s.reasons) or 'unknown'}")
    # A derivative stays under its base model's terms where those terms follow derivatives.
    for base in release.base_models:
        lic = base.license
        if lic is None or lic.status != "ok" or not lic.expression:
            continue
        tree = license_tree(lic, catalog)
        if not binds_derivatives(tree, catalog):
            continue
        label = f"base model {base.name}"
        if lic.osaid_conformant is False:
            nonconforming.append(f"{label}: {lic.expression} is not OSAID-conformant")
        inherited = expression_freedoms(tree, catalog)
        for f in FREEDOMS:
            if inherited[f].status == "restricted":
                freedom_reasons[f].extend(
                    f"inherited from {label}: {r}" for r in inherited[f].reasons
                )
    freedoms = {}
    for f in FREEDOMS:
        if freedom_reasons[f]:
            freedoms[f] = FreedomAssessment("restricted", tuple(dict.fromkeys(freedom_reasons[f])))
        elif freedom_unknown[f]:
            freedoms[f] = FreedomAssessment("unknown", tuple(dict.fromkeys(freedom_unknown[f])))
        else:
            freedoms[f] = FreedomAssessment("granted")
    reasons: list[str] = []
    for f in FREEDOMS:
        if freedoms[f].status == "restricted":
            reasons.append(f"{f} is restricted")
    reasons += [f"withheld: {w}" for w in withheld]
    reasons += [f"non-conforming: {n}" for n in nonconforming]
    if reasons:
        verdict: Verdict = "not-open-source-ai"
    elif unknown or any(s.status != "granted" for s in freedoms.values()):
        verdict = "insufficient-information"
        reasons += [f"unknown: {u}" for u in dict.fromkeys(unknown)]
    else:
        verdict = "open-source-ai"
    return Assessment(
        verdict=verdict,
        freedoms=freedoms,
        reasons=tuple(dict.fromkeys(reasons)),
        withheld=tuple(withheld),
        nonconforming=tuple(nonconforming),
        unknown=tuple(dict.fromkeys(unknown)),
    )


# --------------------------------------------------------------------------------------------
# openness profile


@dataclass(frozen=True, slots=True)
class Openness:
    grade: Grade
    evidence: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"grade": self.grade, "evidence": list(self.evidence)}


_PORTABLE = {"safetensors", "gguf", "onnx"}


def license_grade(expression: str | None, catalog: Catalog | None = None) -> tuple[Grade, str]:
    """How open the license of the weights is, on the spectrum.

    open: the terms grant the four freedoms (OSI-approved or OSD-conformant). partial: a
    standard public license with a restriction people know how to read (CC-BY-NC, CC-BY-ND,
    C-UDA). closed: a bespoke license with use restrictions, thresholds or licensor control
    (the RAIL, Llama and Gemma families), a proprietary license, or none. This follows the
    European Open Source AI Index, whose experts grade bespoke "community" licenses closed and
    recognised non-commercial licenses partial.
    """
    catalog = catalog or get_catalog()
    if not expression:
        return "closed", "no license"
    node = catalog.expression(expression)
    if osaid_conformant(node, catalog):
        return "open", f"{expression} grants the four freedoms"
    flags: set[str] = set()
    bespoke = False
    for leaf in ex.iter_license_keys(node):
        entry = catalog.get(leaf.id)
        if entry is None or entry.namespace != "spdx" or entry.terms.osaid_conformant is None:
            bespoke = bespoke or entry is None or entry.namespace != "spdx"
        if entry is not None:
            flags |= {c.flag for c in entry.terms.flags}
    restrictions = ", ".join(sorted(flags)) or "restricted terms"
    if not bespoke:
        return "partial", f"{expression}: a standard license with {restrictions}"
    return "closed", f"{expression}: a bespoke license ({restrictions})"


def openness(release: Release, catalog: Catalog | None = None) -> dict[str, Openness]:
    """The five attributes of openness, each open, partial or closed with its evidence."""
    catalog = catalog or get_catalog()
    out: dict[str, Openness] = {}

    code = release.component("code")
    code_open = [c for c in code if c.available and c.license and c.license.osaid_conformant]
    code_there = [c for c in code if c.available]
    if code and len(code_open) == len(code):
        out["open-code"] = Openness("open", tuple(f"{c.name}: {c.expression}" for c in code_open))
    elif code_there:
        out["open-code"] = Openness(
            "partial", tuple(f"{c.name}: {c.expression or 'license unknown'}" for c in code_there)
        )
    else:
        out["open-code"] = Openness(
            "closed", ("no code published",) if code else ("no code found",)
        )

    params = release.component("parameters")
    expr = next((c.expression for c in params if c.expression), None) or (
        release.declared.expression if release.declared else None
    )
    grade, why = license_grade(expr, catalog)
    evidence_l = [why]
    rank = {"open": 2, "partial": 1, "closed": 0}
    for base in release.base_models:
        lic = base.license
        if lic is None or not lic.expression:
            continue
        if not binds_derivatives(license_tree(lic, catalog), catalog):
            continue
        base_grade, base_why = license_grade(lic.expression, catalog)
        evidence_l.append(f"inherited from base model {base.name}: {base_why}")
        if rank[base_grade] < rank[grade]:
            grade = base_grade
    others = [
        c
        for c in release.components
        if c.kind in {"code", "datasets"} and c.available and c.license is not None
    ]
    closed_others = [c for c in others if c.license is not None and not c.license.osaid_conformant]
    if grade == "open" and closed_others:
        # EOSAI's question: is the *whole* project under open licenses, code and data included?
        grade = "partial"
        evidence_l += [
            f"{c.name}: {c.expression or c.license.status}" for c in closed_others if c.license
        ]
    out["open-license"] = Openness(grade, tuple(evidence_l))

    data_info = [c for c in release.component("data-information") if c.available]
    datasets = [c for c in release.component("datasets") if c.available]
    weights = [c for c in params if c.available]
    evidence = []
    if data_info:
        evidence.append("training data described: " + ", ".join(c.name for c in data_info))
    if datasets:
        evidence.append("training data published: " + ", ".join(c.name for c in datasets))
    if release.datasets:
        evidence.append("datasets named: " + ", ".join(release.datasets[:5]))
    if weights:
        evidence.append("weights published")
    if data_info and datasets and weights:
        out["input-transparency"] = Openness("open", tuple(evidence))
    elif data_info or datasets or release.datasets:
        out["input-transparency"] = Openness("partial", tuple(evidence))
    else:
        out["input-transparency"] = Openness("closed", tuple(evidence) or ("no data information",))

    docs = set(release.documentation)
    misuse = sorted(docs & {"risks", "limitations", "bias", "misuse", "safety", "out-of-scope"})
    if len(misuse) >= 2:
        out["misuse-transparency"] = Openness("open", tuple(f"documents {m}" for m in misuse))
    elif misuse:
        out["misuse-transparency"] = Openness("partial", tuple(f"documents {m}" for m in misuse))
    else:
        out["misuse-transparency"] = Openness("closed", ("no risk or limitation documentation",))

    formats = set(release.weight_formats)
    if formats and formats <= _PORTABLE:
        out["open-standards"] = Openness("open", tuple(f"weights as {f}" for f in sorted(formats)))
    elif formats & _PORTABLE:
        out["open-standards"] = Openness(
            "partial", tuple(f"weights as {f}" for f in sorted(formats))
        )
    elif formats:
        out["open-standards"] = Openness(
            "closed", tuple(f"weights only as {f} (not portable)" for f in sorted(formats))
        )
    else:
        out["open-standards"] = Openness("closed", ("no weight files found",))
    return out

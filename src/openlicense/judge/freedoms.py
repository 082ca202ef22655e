"""The four freedoms and OSAID conformance, in one place: of an expression, of a license text,
and of a component of a release.

Each freedom (use, study, modify, share) is *restricted* when a license restricts it (the
catalog's terms say which flags restrict which freedom), *unknown* when the terms are unknown,
else *granted*. Whether an expression's catalogued terms conform to the OSAID is one function,
:func:`osaid_conformant`; it is defined with the normalizer (a lower layer, which reports it in
``Normalized.osaid_conformant``) and used from here, so there is one definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openlicense import expression as ex
from openlicense.catalog import Catalog, LicenseEntry, get_catalog
from openlicense.model import (
    FREEDOMS,
    Component,
    FreedomGrant,
    Identification,
    Normalized,
)
from openlicense.normalization import osaid_conformant

__all__ = [
    "FreedomAssessment",
    "binds_derivatives",
    "component_conformant",
    "component_freedoms",
    "expression_freedoms",
    "license_tree",
    "osaid_conformant",
    "text_freedoms",
]


@dataclass(frozen=True, slots=True)
class FreedomAssessment:
    """What a release (or a license) does to one freedom, with the reasons."""

    status: FreedomGrant
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "reasons": list(self.reasons)}


def license_tree(license: Normalized, catalog: Catalog) -> ex.Expression:
    """The syntax tree of a normalized license: the one normalization built, else parsed once
    (a reader may build a ``Normalized`` by hand, with its canonical string only)."""
    if license.tree is not None:
        return license.tree
    assert license.expression is not None, "only a license with an expression has a tree"
    return catalog.expression(license.expression)


# --------------------------------------------------------------------------------------------
# freedoms of one expression


def expression_freedoms(
    expression: str | ex.Expression, catalog: Catalog | None = None
) -> dict[str, FreedomAssessment]:
    """What an SPDX expression grants, freedom by freedom, with the clauses that restrict.

    AND: a freedom is restricted if any operand restricts it. OR: granted if any alternative
    grants it (the recipient may choose). A license the catalog has no terms for is unknown.
    """
    catalog = catalog or get_catalog()
    node = catalog.expression(expression) if isinstance(expression, str) else expression
    return _node_freedoms(node, catalog)


def _leaf_freedoms(
    leaf: ex.License | ex.LicenseRef, catalog: Catalog
) -> dict[str, FreedomAssessment]:
    entry = catalog.get(leaf.id) if not getattr(leaf, "document_ref", None) else None
    if entry is None:
        return {f: FreedomAssessment("unknown", (f"{leaf.id}: terms unknown",)) for f in FREEDOMS}
    terms = entry.terms
    out = {}
    for freedom in FREEDOMS:
        status = terms.freedom(freedom)
        reasons: list[str] = []
        if status == "restricted":
            for clause in terms.flags:
                if freedom in catalog.flag(clause.flag).restricts:
                    quote = f': "{clause.quote}"' if clause.quote else ""
                    reasons.append(f"{entry.id} {clause.flag} (section {clause.section}){quote}")
            if not reasons:
                reasons.append(f"{entry.id}: {terms.reason or 'restricted by its terms'}")
        elif status == "unknown":
            reasons.append(f"{entry.id}: {terms.reason or 'terms unknown'}")
        out[freedom] = FreedomAssessment(status, tuple(reasons))
    return out


def _node_freedoms(node: ex.Expression, catalog: Catalog) -> dict[str, FreedomAssessment]:
    if isinstance(node, ex.With):
        return _leaf_freedoms(node.license, catalog)
    if isinstance(node, (ex.License, ex.LicenseRef)):
        return _leaf_freedoms(node, catalog)
    parts = [_node_freedoms(arg, catalog) for arg in node.args]
    out = {}
    for freedom in FREEDOMS:
        statuses = [p[freedom] for p in parts]
        order: tuple[FreedomGrant, ...]
        if isinstance(node, ex.And):
            order = ("restricted", "unknown", "granted")
        else:
            order = ("granted", "unknown", "restricted")
        for wanted in order:
            chosen = [s for s in statuses if s.status == wanted]
            if chosen:
                reasons = tuple(r for s in chosen for r in s.reasons)
                out[freedom] = FreedomAssessment(wanted, reasons)
                break
    return out


def binds_derivatives(expression: str | ex.Expression, catalog: Catalog | None = None) -> bool:
    """Do these terms follow a derivative: restrictions that must be passed on (a license that
    is not OSAID-conformant), or copyleft? A permissive base does not."""
    catalog = catalog or get_catalog()
    node = catalog.expression(expression) if isinstance(expression, str) else expression
    if osaid_conformant(node, catalog) is not True:
        return True
    return any(
        "copyleft" in (entry.scancode_category or "").lower()
        for leaf in ex.iter_license_keys(node)
        if (entry := catalog.get(leaf.id)) is not None
    )


# --------------------------------------------------------------------------------------------
# freedoms of a license text


def _entry(catalog: Catalog, expression: str | None) -> LicenseEntry | None:
    if not expression:
        return None
    try:
        node = catalog.expression(expression)
    except ValueError:
        return None
    if isinstance(node, (ex.License, ex.LicenseRef)):
        return catalog.get(node.id)
    return None


def _restricting(flags: Iterable[str], catalog: Catalog) -> dict[str, None]:
    out: dict[str, None] = {}
    for name in flags:
        for freedom in catalog.flag(name).restricts:
            out[freedom] = None
    return out


def text_freedoms(
    ident: Identification, catalog: Catalog | None = None
) -> tuple[tuple[tuple[str, FreedomGrant], ...], bool | None]:
    """The freedoms a license text grants and whether it conforms to the OSAID.

    A catalogued license keeps the catalog's judgement (its flags are already its terms).
    Anything else starts from what the license it is, or departs from, grants, and each
    finding of a restricting clause restricts its freedoms. A text that is not a license has
    no conformance.
    """
    catalog = catalog or get_catalog()
    unknown: tuple[tuple[str, FreedomGrant], ...] = tuple((f, "unknown") for f in FREEDOMS)
    entry = _entry(catalog, ident.expression)
    conformant: bool | None
    if ident.expression and ident.variant_of is None:
        conformant = osaid_conformant(catalog.expression(ident.expression), catalog)
        base = entry.terms.freedoms if entry else unknown
        if entry is None and conformant:
            base = tuple((f, "granted") for f in FREEDOMS)
    else:
        base_entry = _entry(catalog, ident.variant_of)
        base = base_entry.terms.freedoms if base_entry else unknown
        conformant = None
    catalogued = ident.variant_of is None and entry is not None and entry.curated_terms is not None
    if catalogued:
        assert entry is not None
        freedoms = entry.terms.freedoms
        conformant = entry.terms.osaid_conformant
    else:
        restricted = _restricting((f.flag for f in ident.findings), catalog)
        status = dict(base)
        # What the text's own grant says (the provision reader) fills what the base leaves
        # unknown: a freedom granted in so many words, or study banned.
        read = {t.freedom: t.status for t in ident.text_freedoms}
        for freedom, grant in read.items():
            if status.get(freedom) == "unknown" or grant == "restricted":
                status[freedom] = grant
        for freedom in restricted:
            status[freedom] = "restricted"
        freedoms = tuple((name, status[name]) for name in FREEDOMS)
        if restricted or "restricted" in read.values():
            conformant = False
        elif conformant is None and all(v == "granted" for _, v in freedoms):
            conformant = True
        elif conformant is None and "granted" in read.values():
            # The text's grant names some freedoms and not the others: the OSAID needs all four.
            conformant = False
    return freedoms, (conformant if ident.kind != "not-a-license" else None)


# --------------------------------------------------------------------------------------------
# freedoms of a component of a release


def judged_by_text(c: Component, catalog: Catalog) -> bool:
    """Is the component's license known only from its own text (a modified standard license,
    or one the catalog has no terms for), so that its clauses, not the catalog, decide?"""
    ident = c.identification
    if ident is None or ident.error:
        return False
    if ident.variant_of or not ident.expression:
        return True
    entries = [
        catalog.get(leaf.id) for leaf in ex.iter_license_keys(catalog.expression(ident.expression))
    ]
    return any(e is None or e.terms.basis == "unknown" for e in entries)


def component_conformant(c: Component, catalog: Catalog) -> bool | None:
    """Are the component's terms OSAID-conformant (``None``: not known)?

    A part published with no license at all (MOT's ``unlicensed``, a card's ``license: none``)
    is not: nothing grants anyone the four freedoms.
    """
    if c.available and c.license is not None and c.license.status == "none":
        return False
    if judged_by_text(c, catalog):
        assert c.identification is not None
        return text_freedoms(c.identification, catalog)[1]
    if c.license is None or c.license.status != "ok":
        return None
    return c.license.osaid_conformant


def component_freedoms(c: Component, catalog: Catalog) -> dict[str, FreedomAssessment]:
    """What the component's license grants, freedom by freedom."""
    ident = c.identification
    if ident is not None and judged_by_text(c, catalog):
        # A modified or unknown license text: judged from its own clauses.
        out = {}
        for f, status in text_freedoms(ident, catalog)[0]:
            reasons = tuple(
                f"{fl.flag} (line {fl.evidence.line}): {fl.evidence.quote or ''}"
                for fl in ident.findings
                if f in catalog.flag(fl.flag).restricts
            )
            if not reasons:
                # The text's own clause: the grant (or, for study, the ban) that decides it.
                reasons = tuple(
                    f"{t.reason or t.status} (line {t.evidence.line}): {t.evidence.quote or ''}"
                    for t in ident.text_freedoms
                    if t.freedom == f and t.status == status
                )
            out[f] = FreedomAssessment(status, reasons)
        return out
    if c.license is None or c.license.status != "ok" or not c.expression:
        why = c.license.status if c.license is not None else "no license declared"
        return {f: FreedomAssessment("unknown", (f"license {why}",)) for f in FREEDOMS}
    return expression_freedoms(license_tree(c.license, catalog), catalog)

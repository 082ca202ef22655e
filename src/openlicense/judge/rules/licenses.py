"""The rules on the licenses as written: a modified standard text, declarations that disagree."""

from __future__ import annotations

from collections.abc import Iterator

from openlicense import expression as ex
from openlicense.catalog import Catalog
from openlicense.judge.freedoms import binds_derivatives, license_tree
from openlicense.judge.rules.registry import Context, evidence_at, raise_flag, rule
from openlicense.judge.rules.text import text_flags
from openlicense.model import Flag, Release, Severity
from openlicense.normalization import UNLISTED_PREFIX, osaid_conformant


@rule("modified-standard-license")
def modified_standard_license(ctx: Context) -> Iterator[Flag]:
    """Flags standard licenses with clauses added, removed or changed.

    What it does
    ------------
    Raises the flag when a license file of the release is a standard license (Apache-2.0, MIT,
    ...) with clauses added, removed or changed, such as an appended "no military use" rider.

    Why it matters
    --------------
    People read the name of the standard license and assume its terms; the changed clause is
    what actually binds them, and usually removes a freedom.

    Example
    -------
    An Apache-2.0 text followed by "You may not use the Work for any military purpose".

    How to fix
    ----------
    Use the standard text unchanged, or name the license for what it is.

    References
    ----------
    OSI license review: modified licenses are not the approved license.
    """
    for ident in ctx.release.files:
        for f in text_flags(ident, ctx.catalog):
            if f.name == "modified-standard-license":
                yield raise_flag(f.name, f.message, f.evidence, f.source)


@rule("license-conflict")
def license_conflict(ctx: Context) -> Iterator[Flag]:
    """Flags declared licenses that disagree.

    What it does
    ------------
    Raises the flag when the card metadata names one license and the license file another, when
    the card states two different licenses, or when a derivative declares a license different
    from its base model's while the base model's terms bind derivatives (restrictions that must
    be passed on, or copyleft): license laundering. With no license in the metadata, the same
    when the card's text licenses the weights under terms of their own besides the base's ("the
    model weights are released under the MIT License" in a LLaMA fine-tune's card; a name the
    catalog does not know says nothing of terms and does not count). A permissive base
    (Apache-2.0, MIT) allows its derivatives any license. A line that says which license covers
    the code ("the code in train/ is under the MIT License") is the code's, not a second
    declaration. When both licenses that disagree grant the four freedoms (MIT metadata over a
    BSD LICENSE), the flag is a warning: which license applies is unclear, not whether the
    release is open, so the verdict decides.

    Why it matters
    --------------
    A derivative of a restrictively licensed model remains bound by the base model's terms; a
    more permissive label misleads everyone downstream.

    Example
    -------
    A Llama 2 fine-tune labelled `license: mit`.

    How to fix
    ----------
    Declare the license that actually applies: the base model's terms for a derivative, the same
    license in metadata and LICENSE file.

    References
    ----------
    Llama 2 Community License, section 1(b)(i); Hugging Face model card metadata guide.
    """
    release = ctx.release
    declared = release.declared
    if declared is not None and declared.status == "ok" and declared.expression:
        for ident in release.files:
            if ident.kind != "license" or ident.error:
                continue
            found = ident.expression or ident.variant_of
            if found and not _same(found, declared.expression, ctx.catalog):
                yield raise_flag(
                    "license-conflict",
                    f"the card declares {declared.expression} but {ident.path} is {found}"
                    + _both_open_note(declared.expression, ident.expression, ctx.catalog),
                    evidence_at(release.declared_source, declared.input),
                    "release",
                    severity=_conflict_severity(declared.expression, ident.expression, ctx),
                )
        for statement, source in release.license_statements:
            if (
                statement.status == "ok"
                and statement.expression
                and not _same(statement.expression, declared.expression, ctx.catalog)
            ):
                yield raise_flag(
                    "license-conflict",
                    f"the card declares {declared.expression} in its metadata and "
                    f"{statement.expression} in its text"
                    + _both_open_note(declared.expression, statement.expression, ctx.catalog),
                    evidence_at(source, statement.input),
                    "release",
                    severity=_conflict_severity(declared.expression, statement.expression, ctx),
                )
    own = declared.expression if declared is not None and declared.status == "ok" else None
    for base in release.base_models:
        if base.license is None or base.license.status != "ok" or not base.license.expression:
            continue
        if not binds_derivatives(license_tree(base.license, ctx.catalog), ctx.catalog):
            continue  # a permissive base allows its derivatives any license
        if own and not _same(own, base.license.expression, ctx.catalog):
            yield raise_flag(
                "license-conflict",
                f"derived from {base.name} ({base.license.expression}) but declared {own}: "
                "a derivative stays under its base model's terms",
                evidence_at(base.source, base.name),
                "release",
            )
        elif own is None and (stated := _stated_besides(release, base.license.expression)):
            # No metadata, but the card's text gives the weights a license of its own ("Code
            # and model weights are released under the MIT License") besides the base's.
            yield raise_flag(
                "license-conflict",
                f"derived from {base.name} ({base.license.expression}) but its text licenses "
                f"the weights under {stated}: a derivative stays under its base model's terms",
                evidence_at(base.source, base.name),
                "release",
            )


def _stated_besides(release: Release, base_expression: str) -> str | None:
    """The licenses the weights are under besides the base's (the card's own, AND-ed with the
    base's by the reader), rendered; None when the weights carry only the base's."""
    base_ids = {leaf.id for leaf in ex.iter_license_keys(ex.parse(base_expression))}
    for component in release.component("parameters"):
        lic = component.license
        if lic is None or lic.tree is None:
            continue
        others = [
            leaf
            for leaf in ex.iter_license_keys(lic.tree)
            if leaf.id not in base_ids
            # a name read from free text that the catalog does not know says nothing of terms
            and not leaf.id.startswith(UNLISTED_PREFIX)
        ]
        if others:
            return " AND ".join(dict.fromkeys(ex.render(leaf) for leaf in others))
    return None


def _both_open(a: str, b: str | None, catalog: Catalog) -> bool:
    """Do both licenses grant the four freedoms (OSI-approved or otherwise conformant)?"""
    return b is not None and all(
        osaid_conformant(catalog.expression(e), catalog) is True for e in (a, b)
    )


def _both_open_note(a: str, b: str | None, catalog: Catalog) -> str:
    if not _both_open(a, b, catalog):
        return ""
    return "; both grant the four freedoms, so which applies is unclear but not whether it is open"


def _conflict_severity(a: str, b: str | None, ctx: Context) -> Severity | None:
    """Two labels that disagree on which open license applies do not make the release less
    open: a warning (the verdict stands), where a restrictive side keeps the rule's error."""
    return Severity.WARNING if _both_open(a, b, ctx.catalog) else None


def _same(a: str, b: str, catalog: Catalog) -> bool:
    """Do two canonical expressions mean the same licenses? (Two different own ids differ.)"""
    return ex.shape(catalog.expression(a)) == ex.shape(catalog.expression(b))

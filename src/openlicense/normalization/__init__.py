"""Turn any way people write a license into an SPDX expression, or say why that is not possible.

``normalize(text)`` tries, in order, and stops at the first reading that accounts for the
whole input:

1. an SPDX license expression (ids and operators in any case; deprecated ids upgraded);
2. one Hugging Face Hub id, ScanCode key, catalogued alias or official name, or a placeholder
   word ("Undisclosed", "other") or family name ("GPL", "OpenRAIL");
3. an expression whose identifiers are written loosely ("apache-2 AND mit");
4. several names joined by "and", ",", ";", "&", "/" or "or", or a list of quoted names, each
   read as in 2 (noise such as "additional terms" is dropped and reported);
5. the shape of the text: a license name the catalog does not know, a placeholder sentence,
   or something that is not a license at all (a URL, a list of datasets).

Only steps 1 and 2 are allowed under ``strictness="spdx"``/``"strict"``.

The steps live in modules of one job: ``cleaning`` (folding the input, and whether its tokens
make an SPDX expression), ``names`` (steps 1 to 3: ids, names, loose expressions),
``compounds`` (steps 4 and 5), ``spans`` (which runs of pieces of a compound cannot be read, so
step 4 does not ask) and ``result`` (the ``Normalized`` value). This module runs them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from openlicense import expression as ex
from openlicense.catalog import Catalog, get_catalog
from openlicense.errors import InvalidLicenseExpression
from openlicense.normalization.cleaning import broken_expression, clean
from openlicense.normalization.compounds import UNLISTED_PREFIX, LenientReader, Remarks
from openlicense.normalization.names import IdReader, Reading
from openlicense.normalization.result import (
    MAX_INPUT_LENGTH,
    STRICTNESS_LEVELS,
    Normalized,
    Status,
    Strictness,
)

__all__ = [
    "MAX_INPUT_LENGTH",
    "UNLISTED_PREFIX",
    "Normalized",
    "Status",
    "Strictness",
    "normalize",
    "osaid_conformant",
]


# --------------------------------------------------------------------------------------------
# OSAID conformance of an expression


def osaid_conformant(node: ex.Expression, catalog: Catalog | None = None) -> bool | None:
    """Do the catalog's terms grant all four freedoms for this expression?

    AND needs every operand conformant; OR needs one (the recipient may choose it). A WITH
    exception only adds permissions, so it takes the license's value. ``None`` means unknown.
    """
    return _conformant(node, catalog or get_catalog())


def _conformant(node: ex.Expression, catalog: Catalog) -> bool | None:
    if isinstance(node, ex.With):
        return _conformant(node.license, catalog)
    if isinstance(node, (ex.License, ex.LicenseRef)):
        entry = catalog.get(node.id) if not getattr(node, "document_ref", None) else None
        return entry.terms.osaid_conformant if entry else None
    values = [_conformant(arg, catalog) for arg in node.args]
    if isinstance(node, ex.And):
        if any(v is False for v in values):
            return False
        return True if all(v is True for v in values) else None
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


# The SPDX special values of license fields: not expressions, but statements about the license.
_SPDX_SPECIAL: dict[str, Status] = {"NONE": "none", "NOASSERTION": "unknown"}

# --------------------------------------------------------------------------------------------


def normalize(
    text: str,
    *,
    strictness: Strictness = "lenient",
    upgrade_deprecated: bool = True,
    catalog: Catalog | None = None,
) -> Normalized:
    """Normalize one license string to a canonical SPDX expression, or say why not.

    ``strictness``: ``"lenient"`` (default) reads every form people write; ``"spdx"`` accepts only
    SPDX expressions (any case, deprecated ids accepted, reported and upgraded); ``"strict"``
    also rejects deprecated ids. ``upgrade_deprecated=False`` keeps deprecated ids as written
    (they are still reported in ``deprecated``).

    Never raises for bad input: an invalid string gives ``status="invalid"`` with ``error``.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() takes a str, not {type(text).__name__}")
    if strictness not in STRICTNESS_LEVELS:
        raise ValueError(f"strictness must be one of {', '.join(STRICTNESS_LEVELS)}")
    if catalog is None and len(text) <= 256:
        # Corpora repeat the same few hundred strings; results are immutable, so share them.
        return _normalize_cached(text, strictness, upgrade_deprecated)
    return _normalize(text, strictness, upgrade_deprecated, catalog or get_catalog())


@functools.lru_cache(maxsize=16_384)
def _normalize_cached(text: str, strictness: Strictness, upgrade_deprecated: bool) -> Normalized:
    return _normalize(text, strictness, upgrade_deprecated, get_catalog())


def _normalize(
    text: str, strictness: Strictness, upgrade_deprecated: bool, catalog: Catalog
) -> Normalized:
    if len(text) > MAX_INPUT_LENGTH:
        return Normalized(
            input=text,
            status="invalid",
            error=f"input is {len(text):,} characters long; a license string has at most "
            f"{MAX_INPUT_LENGTH:,}",
        )
    cleaned, problem = clean(text)
    if problem:
        return Normalized(input=text, status="invalid", error=problem)
    if not cleaned and strictness != "lenient":
        return Normalized(input=text, status="invalid", error="empty license expression")
    if not cleaned:
        return Normalized(
            input=text, status="unknown", matched_by="empty", warnings=("the input is empty",)
        )

    special = _SPDX_SPECIAL.get(cleaned.upper()) if cleaned.upper() == cleaned else None
    if special is not None:
        return Normalized(input=text, status=special, matched_by="spdx-special-value")
    if strictness != "lenient":
        return _normalize_spdx(text, cleaned, catalog, strictness, upgrade_deprecated)

    worker = LenientReader(catalog, strictness, upgrade_deprecated)
    acc = Remarks()
    reading: Reading | None
    try:
        reading = worker.spdx(cleaned)
    except InvalidLicenseExpression as syntax_error:
        if syntax_error.message.startswith(ex.NESTING_ERROR):
            return Normalized(input=text, status="invalid", error=str(syntax_error))
        broken = broken_expression(cleaned, syntax_error)
        if broken is not None:
            # An SPDX expression with a dangling operator or unbalanced parentheses: reading
            # the pieces that parse would silently drop the rest, so say what is wrong.
            return Normalized(input=text, status="invalid", error=str(broken))
        try:
            reading = worker.name(cleaned) or worker.loose_expression(cleaned)
            if reading is None:
                reading = worker.compound(cleaned, acc)
            if reading is None:
                reading = worker.shape(cleaned, acc)
        except InvalidLicenseExpression as exc:  # pragma: no cover - a catalog entry is broken
            return Normalized(input=text, status="invalid", error=f"{syntax_error}; {exc}")
    return _result(text, reading, worker, acc)


def _result(text: str, reading: Reading, worker: IdReader, acc: Remarks) -> Normalized:
    catalog = worker.catalog
    warnings = list(dict.fromkeys([*reading.warnings, *acc.warnings]))
    if reading.status == "ambiguous":
        cands: list[str] = []
        values: set[bool | None] = set()
        for cand in reading.candidates:
            node, _ = worker.finish(cand)
            rendered = ex.render(node)
            if rendered not in cands:
                cands.append(rendered)
                values.add(_conformant(node, catalog))
        return Normalized(
            input=text,
            status="ambiguous",
            candidates=tuple(cands),
            matched_by=reading.how or "family",
            osaid_conformant=values.pop() if len(values) == 1 else None,
            warnings=tuple(warnings),
        )
    if reading.status != "ok" or reading.node is None:
        return Normalized(
            input=text, status=reading.status, matched_by=reading.how, warnings=tuple(warnings)
        )
    node, deprecated = worker.finish(reading.node)
    deprecated = tuple(dict.fromkeys([*acc.deprecated, *reading.deprecated, *deprecated]))
    for dep in deprecated:
        warnings.append(f"{dep} is a deprecated SPDX license identifier")
    expression = ex.render(node)
    alternatives = tuple(a for a in dict.fromkeys(reading.alternatives) if a != expression)
    for leaf in ex.iter_license_keys(node):
        if (
            isinstance(leaf, ex.LicenseRef)
            and leaf.document_ref is None
            and leaf.id not in catalog
            and leaf.id.startswith(("LicenseRef-scancode-", "LicenseRef-openlicense-"))
            and not leaf.id.startswith(UNLISTED_PREFIX)
        ):
            warnings.append(f"{leaf.id} is not in the catalog")
    return Normalized(
        input=text,
        status="ok",
        expression=expression,
        candidates=alternatives,
        matched_by=reading.how,
        osaid_conformant=_conformant(node, catalog),
        deprecated=deprecated,
        warnings=tuple(dict.fromkeys(warnings)),
        tree=node,
    )


def _normalize_spdx(
    text: str, cleaned: str, catalog: Catalog, strictness: Strictness, upgrade: bool
) -> Normalized:
    worker = IdReader(catalog, strictness, upgrade)
    try:
        reading = worker.spdx(cleaned)
    except InvalidLicenseExpression as exc:
        return Normalized(input=text, status="invalid", error=str(exc))
    if strictness == "strict":
        deprecated: list[str] = []
        ex.map_leaves(reading.node, lambda leaf: worker._leaf_canonical(leaf, deprecated))  # type: ignore[arg-type]
        if deprecated:
            replacement = catalog.replacement(deprecated[0].rstrip("+"))
            hint = f"; use {replacement}" if replacement else ""
            return Normalized(
                input=text,
                status="invalid",
                error=f"deprecated license identifier {deprecated[0]}{hint}",
                deprecated=tuple(deprecated),
            )
    return _result(text, reading, worker, Remarks())


def normalize_many(texts: Iterable[str], **kwargs: Any) -> list[Normalized]:
    """Normalize several strings with one catalog."""
    return [normalize(t, **kwargs) for t in texts]

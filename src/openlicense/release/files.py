"""The simplest releases: one license file, or one license expression.

A license file alone says what the weights are licensed under and nothing else: the other
required components are reported as not described, so the verdict can at best be
``insufficient-information`` (or ``not-open-source-ai`` when the license itself restricts).
"""

from __future__ import annotations

import os
from pathlib import Path

from openlicense.errors import EmptyInputError
from openlicense.identification import examine
from openlicense.model import Component, Release, Source
from openlicense.normalization import normalize

__all__ = ["read_license_file", "release_from_expression"]


def read_license_file(path: str | os.PathLike[str]) -> Release:
    """A release whose weights are under the license in this file."""
    p = Path(path)
    ident = examine(p)
    if ident.error:
        # examine() reports bad files as values; here the caller wants the typed error.
        from openlicense.read.text import read_text_file

        doc = read_text_file(p)  # raises the typed error for the file
        if not doc.text.strip():
            raise EmptyInputError("the file is empty", path=str(p))
    expression = ident.expression or ident.variant_of
    declared = normalize(ident.expression) if ident.expression else None
    component = Component(
        kind="parameters",
        name="Model parameters (Final)",
        available=None,
        license=declared,
        sources=(Source(str(p), 1, None),),
        identification=ident,
        mof_id=10,
    )
    return Release(
        name=p.name,
        path=str(p),
        format="license-file",
        components=(component,),
        declared=declared,
        declared_source=Source(str(p), 1, None),
        files=(ident,),
        metadata={"expression": expression},
    )


def release_from_expression(expression: str, *, name: str = "expression") -> Release:
    """A release known only by the license expression of its weights."""
    declared = normalize(expression)
    source = Source(None, None, "expression")
    component = Component(
        kind="parameters",
        name="Model parameters (Final)",
        available=None,
        license=declared,
        sources=(source,),
        mof_id=10,
    )
    return Release(
        name=name,
        path=None,
        format="expression",
        components=(component,),
        declared=declared,
        declared_source=source,
        metadata={"expression": expression},
    )

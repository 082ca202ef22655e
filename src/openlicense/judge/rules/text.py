"""The rules applied to one license text: its findings become flags, its freedoms are judged.

Identification (:mod:`openlicense.identification`) says what a text is and what it says
(:class:`~openlicense.model.TextFinding`); this module is where those findings become the
flags of the vocabulary, with their codes, severities and messages, and where the text's
freedoms and OSAID conformance are set (:func:`openlicense.judge.freedoms.text_freedoms`).
"""

from __future__ import annotations

import dataclasses
import functools

from openlicense.catalog import Catalog, get_catalog
from openlicense.judge.freedoms import text_freedoms
from openlicense.judge.rules.registry import RULES, raise_flag
from openlicense.model import Flag, Identification, TextFinding

__all__ = ["judge_text", "text_flags"]


def _message(finding: TextFinding) -> str:
    vocabulary = RULES[finding.flag].vocabulary
    match finding.kind:
        case "catalog-clause":
            return f"{finding.subject}: {vocabulary}"
        case "clause":
            return vocabulary
        case "diff-added":
            return f"{finding.subject} with a clause added"
        case "diff-changed":
            return f"{finding.subject} with a clause changed"
        case "diff-removed":
            return f"{finding.subject} with a clause removed: {finding.detail}"


@functools.lru_cache(maxsize=4096)
def _flags(findings: tuple[TextFinding, ...]) -> tuple[Flag, ...]:
    return tuple(
        raise_flag(f.flag, _message(f), f.evidence, f.source, with_fix=False) for f in findings
    )


def text_flags(ident: Identification, catalog: Catalog | None = None) -> tuple[Flag, ...]:
    """The flags of one identified text, one per finding, in line order."""
    del catalog  # the findings already name the catalog entry they cite
    return _flags(ident.findings)


def judge_text(ident: Identification, catalog: Catalog | None = None) -> Identification:
    """The identification with its flags, freedoms and OSAID conformance set."""
    if ident.error is not None:
        return ident
    catalog = catalog or get_catalog()
    freedoms, conformant = text_freedoms(ident, catalog)
    return dataclasses.replace(
        ident,
        flags=text_flags(ident, catalog),
        freedoms=freedoms,
        osaid_conformant=conformant,
    )

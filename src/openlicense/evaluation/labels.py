"""How a reading is compared with a label, by the rules of ``gold/README.md``, for every task
that scores an expression (strings, texts, cards): the status words a label may hold in place
of an expression (``NONE``, ``UNKNOWN``, ...) and :func:`expression_matches`, whether a produced
SPDX expression means the labelled one (operand order ignored, every own
``LicenseRef-openlicense-*`` id matching the labels' wildcard).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openlicense import expression as ex

#: The status words a label may hold in place of an expression, and the status each one means.
STATUS_LABELS = {
    "NONE": "none",
    "UNKNOWN": "unknown",
    "PROPRIETARY": "proprietary",
    "NOT-A-LICENSE": "not-a-license",
    "AMBIGUOUS": "ambiguous",
}
_WILDCARD = "LicenseRef-openlicense-?"


def _shape(node: ex.Expression) -> Any:
    """:func:`expression.shape`, with every own id as the labels' wildcard (gold/README.md:
    any LicenseRef-openlicense-* id is right where the label says LicenseRef-openlicense-?)."""

    def wildcard(leaf: ex.License | ex.LicenseRef | ex.With) -> ex.Expression:
        if isinstance(leaf, ex.LicenseRef) and leaf.id.startswith("LicenseRef-openlicense-"):
            return ex.LicenseRef(_WILDCARD)
        return leaf

    return ex.shape(ex.map_leaves(node, wildcard))


def _parse_label(text: str) -> Any:
    # "LicenseRef-openlicense-?" is not an idstring; swap in a parseable stand-in.
    return _shape(ex.parse(text.replace(_WILDCARD, "LicenseRef-openlicense-x")))


def expression_matches(produced: str, expected: str, alternatives: Iterable[str] = ()) -> bool:
    """Does ``produced`` mean the labelled expression (or one of its accepted alternatives)?"""
    got = _parse_label(produced)
    return any(got == _parse_label(e) for e in (expected, *alternatives) if e)

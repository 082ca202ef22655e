"""SPDX license expressions: parse with the grammar in ``grammars/``, render in canonical form.

The syntax tree is a handful of frozen dataclasses (:mod:`openlicense.expression.tree`, with
rendering and simplification). Parsing (:mod:`openlicense.expression.parser`, with the descent
parser of :mod:`openlicense.expression.descent`) is two steps: the Lark grammar checks the
syntax, then :func:`parse` resolves every identifier against a *resolver* (normally the
catalog), so that an unknown or misplaced identifier gets its own error with its own column.
This package re-exports the public names of the tree and the parser.

Canonical form (what :func:`render` emits, and what ``packaging.licenses`` leaves unchanged):
identifiers in their list case, ``LicenseRef-``/``DocumentRef-``/``AdditionRef-`` prefixes in
that case, operators in upper case, single spaces, and parentheses only where precedence needs
them (an ``OR`` inside an ``AND``).
"""

from __future__ import annotations

from openlicense.expression.parser import (
    MAX_NESTING,
    NESTING_ERROR,
    IdResolver,
    is_reference,
    parse,
    parse_syntax,
)
from openlicense.expression.tree import (
    And,
    CanonicalExpression,
    Expression,
    License,
    LicenseRef,
    Or,
    With,
    iter_license_keys,
    map_leaves,
    render,
    shape,
    simplify,
)

__all__ = [
    "MAX_NESTING",
    "NESTING_ERROR",
    "And",
    "CanonicalExpression",
    "Expression",
    "IdResolver",
    "License",
    "LicenseRef",
    "Or",
    "With",
    "is_reference",
    "iter_license_keys",
    "map_leaves",
    "parse",
    "parse_syntax",
    "render",
    "shape",
    "simplify",
]

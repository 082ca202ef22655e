"""The SPDX expression syntax tree and what is done with one once parsed: the frozen, hashable
values (:class:`License`, :class:`LicenseRef`, :class:`With`, :class:`And`, :class:`Or`) and
the operations on a tree (:func:`render` in canonical form, :func:`simplify`,
:func:`iter_license_keys`, :func:`map_leaves`, :func:`shape`); turning text into a tree is the
job of :mod:`openlicense.expression.parser`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import NewType

#: An SPDX expression in canonical form: what :func:`render` returns and reports carry.
CanonicalExpression = NewType("CanonicalExpression", str)


@dataclass(frozen=True, slots=True)
class License:
    """A license on the SPDX list (``Apache-2.0``), optionally with ``+`` (or later)."""

    id: str
    or_later: bool = False


@dataclass(frozen=True, slots=True)
class LicenseRef:
    """A ``LicenseRef-`` (or ``AdditionRef-``) identifier, optionally in another document."""

    id: str  # the full "LicenseRef-..." text, in canonical prefix case
    document_ref: str | None = None  # "DocumentRef-..." or None

    @property
    def text(self) -> str:
        return f"{self.document_ref}:{self.id}" if self.document_ref else self.id


@dataclass(frozen=True, slots=True)
class With:
    """A license with an exception or addition: ``GPL-2.0-only WITH Classpath-exception-2.0``."""

    license: License | LicenseRef
    exception: str  # an exception id or the text of an AdditionRef


@dataclass(frozen=True, slots=True)
class And:
    args: tuple[Expression, ...]


@dataclass(frozen=True, slots=True)
class Or:
    args: tuple[Expression, ...]


Expression = License | LicenseRef | With | And | Or


# --------------------------------------------------------------------------------------------
# rendering and simplification


def _render(node: Expression, parent: type | None) -> str:
    if isinstance(node, License):
        return node.id + ("+" if node.or_later else "")
    if isinstance(node, LicenseRef):
        return node.text
    if isinstance(node, With):
        return f"{_render(node.license, With)} WITH {node.exception}"
    op = " AND " if isinstance(node, And) else " OR "
    inner = op.join(_render(arg, type(node)) for arg in node.args)
    # AND binds tighter than OR: only an OR inside an AND needs parentheses.
    if isinstance(node, Or) and parent is And:
        return f"({inner})"
    return inner


def render(node: Expression) -> CanonicalExpression:
    """Render a tree in canonical form: minimal parentheses, upper-case operators."""
    return CanonicalExpression(_render(node, None))


def simplify(node: Expression) -> Expression:
    """Flatten nested AND/AND and OR/OR and drop repeated operands, keeping first-seen order.

    AND and OR are associative and idempotent, so this keeps the meaning of the expression;
    operand order is kept as written because people list the main license first. References
    match case-insensitively (as in packaging), so every spelling of one ``LicenseRef-`` becomes
    the first one written.
    """
    spelling: dict[str, LicenseRef] = {}

    def unify(leaf: License | LicenseRef | With) -> Expression:
        if isinstance(leaf, LicenseRef):
            return spelling.setdefault(leaf.text.lower(), leaf)
        if isinstance(leaf, With) and isinstance(leaf.license, LicenseRef):
            return With(
                spelling.setdefault(leaf.license.text.lower(), leaf.license), leaf.exception
            )
        return leaf

    return _flatten(map_leaves(node, unify))


def _flatten(node: Expression) -> Expression:
    if isinstance(node, (And, Or)):
        kind = type(node)
        flat: list[Expression] = []
        for arg in node.args:
            sub = _flatten(arg)
            if isinstance(sub, kind):
                flat.extend(sub.args)
            else:
                flat.append(sub)
        unique = list(dict.fromkeys(flat))  # first-seen order; the nodes are hashable values
        if len(unique) == 1:
            return unique[0]
        return kind(tuple(unique))
    return node


def iter_license_keys(node: Expression) -> Iterator[License | LicenseRef]:
    """Yield every license leaf (without its exception) in order of appearance."""
    if isinstance(node, (License, LicenseRef)):
        yield node
    elif isinstance(node, With):
        yield node.license
    else:
        for arg in node.args:
            yield from iter_license_keys(arg)


def map_leaves(
    node: Expression, fn: Callable[[License | LicenseRef | With], Expression]
) -> Expression:
    """Rebuild ``node`` with every leaf (license, ref or WITH pair) replaced by ``fn(leaf)``."""
    if isinstance(node, (And, Or)):
        return type(node)(tuple([map_leaves(arg, fn) for arg in node.args]))
    return fn(node)


def shape(node: Expression) -> Hashable:
    """An order-insensitive form of an expression: equal for expressions that mean the same
    (AND and OR operands compared as sets, after :func:`simplify`)."""
    return _shape(simplify(node))


def _shape(node: Expression) -> Hashable:
    if isinstance(node, License):
        return node.id + ("+" if node.or_later else "")
    if isinstance(node, LicenseRef):
        return node.text
    if isinstance(node, With):
        return ("WITH", _shape(node.license), node.exception)
    return (type(node).__name__, frozenset(_shape(a) for a in node.args))

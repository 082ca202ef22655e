"""The recursive descent parser of SPDX expressions: for every valid input it builds the tree
Lark's LALR parser builds from ``grammars/spdx-expression.lark`` (the specification), at a small
part of the cost, and for every other input it raises ``_NotSimple``, so that
:mod:`openlicense.expression.parser` asks Lark for the error; it also makes the light tokens
and rules (``_word``, ``_Node``) that :func:`~openlicense.expression.parser.parse` builds in
place of Lark's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import lark


# The terminals of ``grammars/spdx-expression.lark`` in the order Lark's basic lexer tries them
# (operators, priority 3, before identifiers), for the recursive descent parser below.
_TOKEN = re.compile(
    r"(?P<WS>[ \t\r\n]+)|(?P<LPAR>\()|(?P<RPAR>\))"
    r"|(?P<OP>(?i:or|and|with))(?![A-Za-z0-9.:+\-])"
    r"|(?P<IDSTRING>[A-Za-z0-9.\-]+(?::[A-Za-z0-9.\-]+)?\+?)"
)


class _NotSimple(Exception):
    """The input is not a valid expression: Lark's parser is asked, for its error."""


class _Word(str):
    """A token as ``_Builder`` reads it (text, type, column): what :func:`parse` builds in
    place of a ``lark.Token``, which costs several times more to make."""

    type: str
    start_pos: int
    line: int
    column: int


def _word(kind: str, value: str, start_pos: int, line: int, column: int) -> Any:
    word = _Word(value)
    word.type, word.start_pos, word.line, word.column = kind, start_pos, line, column
    return word


class _Node:
    """A rule of the tree as ``_Builder`` reads it (``data``, ``children``), for ``lark.Tree``."""

    __slots__ = ("children", "data")

    def __init__(self, data: str, children: list[Any]) -> None:
        self.data = data
        self.children = children


def _descend(text: str, token: Any = None, tree: Any = None) -> lark.Tree[lark.Token]:
    """The tree Lark's LALR parser builds for a valid ``text``, built by recursive descent.

    Lark is the reference (the grammar file is the specification, and its errors say what was
    expected where); this parser gives the same tree for every valid input at a small part of
    the cost, and raises ``_NotSimple`` for every other, so that Lark reports the error
    (``tests/test_expression.py`` compares the two). Nesting was bounded before this runs.
    ``token`` and ``tree`` make its tokens and rules (``lark.Token`` and ``lark.Tree`` unless
    given: :func:`parse` gives ``_word`` and ``_Node``, for its own use of the tree)."""
    import lark

    Token = token or lark.Token  # noqa: N806 - a class, or what stands for one
    Tree = tree or lark.Tree  # noqa: N806
    tokens: list[lark.Token] = []
    pos, line, line_start = 0, 1, 0
    for m in _TOKEN.finditer(text):
        if m.start() != pos:
            raise _NotSimple  # a character no terminal matches
        kind = m.lastgroup
        if kind == "WS":
            newlines = m.group().count("\n")
            if newlines:
                line += newlines
                line_start = text.rfind("\n", pos, m.end()) + 1
        else:
            value = m.group()
            if kind == "OP":
                kind = value.upper()
            tokens.append(Token(str(kind), value, pos, line, pos - line_start + 1))
        pos = m.end()
    if pos != len(text):
        raise _NotSimple
    # The token types, and "$END" past the last: the descent reads them by index.
    types = [t.type for t in tokens]
    types.append("$END")
    at = 0

    def term() -> lark.Tree[lark.Token]:
        nonlocal at
        if types[at] == "LPAR":
            at += 1
            inner = or_expr()
            if types[at] != "RPAR":
                raise _NotSimple
            at += 1
            return inner
        if types[at] != "IDSTRING":
            raise _NotSimple
        simple = Tree("simple", [tokens[at]])
        at += 1
        if types[at] != "WITH":
            return simple
        if types[at + 1] != "IDSTRING":
            raise _NotSimple
        keyword, addition = tokens[at], Tree("addition", [tokens[at + 1]])
        at += 2
        return Tree("with_expr", [simple, keyword, addition])

    def chain(
        rule: str, operator: str, operand: Callable[[], lark.Tree[lark.Token]]
    ) -> lark.Tree[lark.Token]:
        """``operand (operator operand)*`` as the grammar's ``rule``."""
        nonlocal at
        first = operand()
        if types[at] != operator:
            return first  # ``?rule``: a rule of one child is inlined
        children: list[lark.Tree[lark.Token] | lark.Token] = [first]
        while types[at] == operator:
            children.append(tokens[at])
            at += 1
            children.append(operand())
        return Tree(rule, children)

    def and_expr() -> lark.Tree[lark.Token]:
        return chain("and_expr", "AND", term)

    def or_expr() -> lark.Tree[lark.Token]:
        return chain("or_expr", "OR", and_expr)

    root = or_expr()
    if at != len(tokens):
        raise _NotSimple
    return root

"""Parsing SPDX expressions into the tree of :mod:`openlicense.expression.tree`: the Lark grammar
in ``grammars/spdx-expression.lark`` is the specification of the syntax, the recursive descent
parser of :mod:`openlicense.expression.descent` builds the same tree for valid input at a
fraction of the cost (Lark is asked only for its error when the input is invalid), and every
identifier is then resolved against a *resolver* (normally the catalog), so that an unknown or
misplaced identifier gets its own :class:`~openlicense.errors.InvalidLicenseExpression` with
its own column and context.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol

from openlicense.errors import InvalidLicenseExpression, UnknownLicenseError
from openlicense.expression.descent import _descend, _Node, _NotSimple, _word
from openlicense.expression.tree import And, Expression, License, LicenseRef, Or, With

if TYPE_CHECKING:
    import lark

#: Longest expression the parser accepts. Real expressions are far shorter; the cap keeps a
#: pathological input (a 1 MB string) from costing more than a quick rejection.
MAX_EXPRESSION_LENGTH = 10_000

_REF_RE = re.compile(
    r"^(?:(?P<doc>DocumentRef-[A-Za-z0-9.\-]+):)?(?P<kind>LicenseRef|AdditionRef)-(?P<id>[A-Za-z0-9.\-]+)$",
    re.IGNORECASE,
)
_IDSTRING_RE = re.compile(r"^[A-Za-z0-9.\-]+$")


class IdResolver(Protocol):
    """Maps identifiers as written to their canonical spelling (``None`` when unknown)."""

    def license_id(self, text: str) -> str | None: ...

    def exception_id(self, text: str) -> str | None: ...


# --------------------------------------------------------------------------------------------
# syntax


@functools.cache
def _parser() -> lark.Lark:
    import lark

    grammar = resources.files("openlicense").joinpath("grammars").joinpath("spdx-expression.lark")
    return lark.Lark(
        grammar.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="basic",
        maybe_placeholders=False,
        propagate_positions=True,
    )


def _context(text: str, column: int) -> str:
    """Show up to 30 characters either side of ``column`` (1-based) with a caret under it."""
    start = max(0, column - 1 - 30)
    end = min(len(text), column - 1 + 30)
    snippet = text[start:end]
    if not snippet.isprintable():
        snippet = "".join(
            ch if ch.isprintable() else " " if ch in "\t\r\n" else "?" for ch in snippet
        )
    prefix = "..." if start > 0 else ""
    suffix = "..." if end < len(text) else ""
    caret = " " * (len(prefix) + column - 1 - start) + "^"
    return f"  {prefix}{snippet}{suffix}\n  {caret}"


def _fail(
    text: str,
    message: str,
    column: int,
    cls: type[InvalidLicenseExpression] = InvalidLicenseExpression,
) -> InvalidLicenseExpression:
    return cls(message, expression=text, column=column, context=_context(text, column))


_EXPECT_NAMES = {
    "IDSTRING": "a license identifier",
    "LPAR": '"("',
    "RPAR": '")"',
    "AND": "AND",
    "OR": "OR",
    "WITH": "WITH",
    "$END": "the end",
}


def _describe_expected(expected: set[str] | frozenset[str]) -> str:
    names = sorted({_EXPECT_NAMES.get(e, e) for e in expected})
    if not names:
        return ""
    if len(names) == 1:
        return f"; expected {names[0]}"
    return "; expected " + ", ".join(names[:-1]) + f" or {names[-1]}"


#: Deepest nesting of parentheses accepted: far beyond any real expression, and shallow enough
#: that nothing that walks the tree can run out of stack.
MAX_NESTING = 64
#: How an error about nesting starts (the normalizer reports such an input as invalid).
NESTING_ERROR = "parentheses nested deeper than"


def _check_nesting(text: str) -> None:
    if text.count("(") <= MAX_NESTING:
        return
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
            if depth > MAX_NESTING:
                raise _fail(text, f"{NESTING_ERROR} {MAX_NESTING}", i + 1)
        elif ch == ")":
            depth = max(0, depth - 1)


def parse_syntax(text: str, *, explain: bool = True) -> lark.Tree[lark.Token]:
    """Parse ``text`` with the SPDX grammar; raise :class:`InvalidLicenseExpression` if invalid.

    ``explain=False``: the caller only asks whether ``text`` parses, so an invalid one raises
    without running Lark's parser to say where and why (the normalizer tries many pieces)."""
    return _syntax(text, explain, None, None)


def _syntax(text: str, explain: bool, token: Any, tree: Any) -> lark.Tree[lark.Token]:
    import lark

    if not text.strip():
        raise InvalidLicenseExpression("empty license expression", expression=text)
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise InvalidLicenseExpression(
            f"license expression is {len(text):,} characters long; at most "
            f"{MAX_EXPRESSION_LENGTH:,} are accepted",
            expression=text[:80],
        )
    _check_nesting(text)
    try:
        return _descend(text, token, tree)
    except _NotSimple:
        if not explain:
            raise InvalidLicenseExpression("not a license expression", expression=text) from None
    try:
        return _parser().parse(text)
    except lark.UnexpectedCharacters as exc:
        pos = exc.pos_in_stream or 0
        char = text[pos] if pos < len(text) else ""
        raise _fail(text, f"unexpected character {char!r}", exc.column) from None
    except lark.UnexpectedToken as exc:
        token = exc.token
        if token.type == "$END":
            msg = "unexpected end of expression" + _describe_expected(exc.expected)
            raise _fail(text, msg, len(text.rstrip()) + 1) from None
        word = str(token)
        if token.type in {"AND", "OR", "WITH"}:
            msg = f"unexpected operator {word!r}"
        elif token.type == "RPAR":
            msg = "unbalanced closing parenthesis"
        elif token.type == "LPAR":
            msg = 'unexpected "("'
        else:
            msg = f"unexpected identifier {word!r}"
        raise _fail(text, msg + _describe_expected(exc.expected), token.column or 1) from None
    except lark.UnexpectedEOF as exc:  # pragma: no cover - LALR reports UnexpectedToken($END)
        raise _fail(text, "unexpected end of expression", len(text) + 1) from exc


# --------------------------------------------------------------------------------------------
# identifiers


def _canonical_ref(token: str, text: str, column: int) -> LicenseRef | None:
    """Return a LicenseRef/AdditionRef for ``token``, or None if it is not a ref at all."""
    m = _REF_RE.match(token)
    if not m:
        if ":" in token:
            raise _fail(
                text,
                f"{token!r}: only DocumentRef-...:LicenseRef-... may contain a colon",
                column,
            )
        if token.lower().startswith(("licenseref-", "additionref-", "documentref-")):
            raise _fail(text, f"{token!r}: a reference needs an id after its prefix", column)
        return None
    doc = m.group("doc")
    if doc is not None:
        doc = "DocumentRef-" + doc[len("DocumentRef-") :]
    kind = "LicenseRef" if m.group("kind").lower() == "licenseref" else "AdditionRef"
    return LicenseRef(id=f"{kind}-{m.group('id')}", document_ref=doc)


def is_reference(token: str) -> bool:
    """Whether ``token`` is written as a ``LicenseRef-``/``AdditionRef-`` (in a document or
    not), whatever its case."""
    return _REF_RE.match(token) is not None


class _Builder:
    def __init__(self, text: str, resolver: IdResolver | None, strict: bool) -> None:
        self.text = text
        self.resolver = resolver
        self.strict = strict

    def check_case(self, token: lark.Token) -> None:
        """Strict mode: operators in upper or lower case, reference prefixes as SPDX spells them."""
        if not self.strict:
            return
        word = str(token)
        if token.type in {"AND", "OR", "WITH"}:
            if word not in {word.upper(), word.lower()}:
                raise _fail(
                    self.text,
                    f"operator {word!r} must be all upper or all lower case",
                    token.column or 1,
                )
            return
        for prefix in ("LicenseRef-", "AdditionRef-", "DocumentRef-"):
            at = word.lower().find(prefix.lower())
            if at >= 0 and word[at : at + len(prefix)] != prefix:
                raise _fail(
                    self.text,
                    f"{word!r}: the prefix is spelled {prefix!r}",
                    (token.column or 1) + at,
                )

    def build(self, tree: lark.Tree[lark.Token] | lark.Token) -> Expression:
        if isinstance(tree, str):  # pragma: no cover - grammar wraps tokens in rules
            raise _fail(self.text, f"unexpected {tree!s}", tree.column or 1)
        rule = tree.data
        if rule == "simple":
            return self.simple(tree.children[0])  # type: ignore[arg-type]
        if rule == "with_expr":
            simple_tree, keyword, addition_tree = tree.children
            self.check_case(keyword)  # type: ignore[arg-type]
            lic = self.build(simple_tree)
            assert isinstance(lic, (License, LicenseRef))
            token = addition_tree.children[0]  # type: ignore[union-attr]
            return With(lic, self.exception(token))  # type: ignore[arg-type]
        if rule in {"or_expr", "and_expr"}:
            args = []
            for child in tree.children:
                if isinstance(child, str):  # an operator (a lark.Token or a _Word)
                    self.check_case(child)
                else:
                    args.append(self.build(child))
            args_t = tuple(args)
            return Or(args_t) if rule == "or_expr" else And(args_t)
        raise AssertionError(f"unknown rule {rule!r}")  # pragma: no cover

    def simple(self, token: lark.Token) -> License | LicenseRef:
        self.check_case(token)
        word = str(token)
        column = token.column or 1
        or_later = word.endswith("+")
        core = word[:-1] if or_later else word
        ref = _canonical_ref(core, self.text, column)
        if ref is not None:
            if ref.id.startswith("AdditionRef-"):
                raise _fail(self.text, f"{word!r}: an AdditionRef can only follow WITH", column)
            if or_later:
                raise _fail(self.text, f"{word!r}: '+' cannot follow a LicenseRef", column)
            return ref
        if not _IDSTRING_RE.match(core):  # pragma: no cover - the token regex guarantees it
            raise _fail(self.text, f"{word!r} is not a license identifier", column)
        if self.resolver is None:
            return License(core, or_later)
        canonical = self.resolver.license_id(core)
        if canonical is None:
            if self.resolver.exception_id(core) is not None:
                raise _fail(
                    self.text,
                    f"{core!r} is a license exception; it can only follow WITH",
                    column,
                    UnknownLicenseError,
                )
            raise _fail(
                self.text, f"unknown license identifier {core!r}", column, UnknownLicenseError
            )
        return License(canonical, or_later)

    def exception(self, token: lark.Token) -> str:
        self.check_case(token)
        word = str(token)
        column = token.column or 1
        ref = _canonical_ref(word.removesuffix("+"), self.text, column)
        if ref is not None and word.endswith("+"):
            raise _fail(self.text, f"{word!r}: '+' cannot follow an AdditionRef", column)
        if ref is not None:
            if not ref.id.startswith("AdditionRef-"):
                raise _fail(
                    self.text, f"{word!r}: only an exception or AdditionRef may follow WITH", column
                )
            return ref.text
        if word.endswith("+"):
            raise _fail(self.text, f"{word!r}: '+' cannot follow an exception", column)
        if self.resolver is None:
            return word
        canonical = self.resolver.exception_id(word)
        if canonical is None:
            if self.resolver.license_id(word) is not None:
                raise _fail(
                    self.text,
                    f"{word!r} is a license, not an exception; WITH takes an exception",
                    column,
                    UnknownLicenseError,
                )
            raise _fail(
                self.text, f"unknown license exception {word!r}", column, UnknownLicenseError
            )
        return canonical


_SINGLE = re.compile(r"^[ \t\r\n]*([A-Za-z0-9.\-]+(?::[A-Za-z0-9.\-]+)?\+?)[ \t\r\n]*$")
_OPERATOR_WORDS = frozenset({"and", "or", "with"})
# A flat expression: identifiers joined by one operator, AND or OR ("MIT OR Apache-2.0"), in
# the grammar's whitespace. ``_flat`` checks that the operators are one and that no identifier
# is an operator word.
_ID = r"[A-Za-z0-9.\-]+(?::[A-Za-z0-9.\-]+)?\+?"
_FLAT = re.compile(rf"[ \t\r\n]*{_ID}(?:[ \t\r\n]+(?i:and|or)[ \t\r\n]+{_ID})+[ \t\r\n]*\Z")
_WORD = re.compile(r"[^ \t\r\n]+")


def _flat(text: str) -> list[Any] | None:
    """The tokens of a flat expression (see ``_FLAT``), as ``_descend`` makes them, or None.
    Its tree is one AND or OR of the identifiers, so no descent is needed to build it."""
    if len(text) > MAX_EXPRESSION_LENGTH or not _FLAT.match(text):
        return None
    tokens: list[Any] = []
    operator = ""
    for i, m in enumerate(_WORD.finditer(text)):
        value, pos = m.group(), m.start()
        column = pos - text.rfind("\n", 0, pos)  # 1-based, from the start of its line
        line = text.count("\n", 0, pos) + 1
        if i % 2:
            kind = value.upper()
            if operator and kind != operator:
                return None  # AND and OR: the tree is not flat
            operator = kind
        elif value.lower() in _OPERATOR_WORDS:
            return None  # an operator where an identifier must be: a syntax error
        else:
            kind = "IDSTRING"
        tokens.append(_word(kind, value, pos, line, column))
    return tokens


def parse(
    text: str, resolver: IdResolver | None = None, *, strict: bool = False, explain: bool = True
) -> Expression:
    """Parse an SPDX license expression into a tree.

    With a ``resolver``, every identifier is checked and put in canonical case; without one only
    the syntax is checked (identifiers are kept as written). ``strict`` also requires operators
    in all upper or all lower case and reference prefixes spelled as SPDX spells them
    (``LicenseRef-``), as the SPDX 2.3 and 3.0 annexes ask; otherwise both are accepted in any
    case, as packaging and license-expression do. Raises
    :class:`~openlicense.errors.InvalidLicenseExpression` (a :class:`ValueError`) with the column
    and context of the first problem (with ``explain=False``, a syntax error says only that
    the text is not an expression: cheaper, for callers that only ask whether it is one).
    """
    single = _SINGLE.match(text) if len(text) <= 256 else None
    if single and single.group(1).lower() not in _OPERATOR_WORDS:
        # One identifier, the commonest input: no need to run the LALR parser for it.
        start = single.start(1)
        token = _word("IDSTRING", single.group(1), start, 1, start + 1)
        return _Builder(text, resolver, strict).simple(token)
    flat = _flat(text) if len(text) <= 256 else None
    if flat is not None:
        builder = _Builder(text, resolver, strict)
        args: list[Expression] = []
        for token in flat:
            if token.type == "IDSTRING":
                args.append(builder.simple(token))
            else:
                builder.check_case(token)
        return Or(tuple(args)) if flat[1].type == "OR" else And(tuple(args))
    tree = _syntax(text, explain, _word, _Node)
    return _Builder(text, resolver, strict).build(tree)

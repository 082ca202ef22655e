"""The SPDX expression grammar and parser: valid and invalid tables, errors, fixed points."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openlicense import expression as ex
from openlicense.catalog import get_catalog
from openlicense.errors import InvalidLicenseExpression, UnknownLicenseError
from openlicense.expression import descent
from openlicense.expression import parser as ex_parser

CAT = get_catalog()

VALID = [
    ("MIT", "MIT"),
    ("mit", "MIT"),
    ("  mIt  ", "MIT"),
    ("Apache-2.0 OR MIT", "Apache-2.0 OR MIT"),
    ("apache-2.0 or mit", "Apache-2.0 OR MIT"),
    ("MIT aNd BSD-2-Clause", "MIT AND BSD-2-Clause"),
    ("mit and (apache-2.0 or bsd-2-clause)", "MIT AND (Apache-2.0 OR BSD-2-Clause)"),
    ("(MIT)", "MIT"),
    ("((MIT))", "MIT"),
    ("MIT OR (Apache-2.0 AND BSD-3-Clause)", "MIT OR Apache-2.0 AND BSD-3-Clause"),
    ("(MIT OR Apache-2.0) AND BSD-3-Clause", "(MIT OR Apache-2.0) AND BSD-3-Clause"),
    ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
    ("gpl-2.0-only with classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
    (
        "GPL-2.0-or-later WITH Bison-exception-2.2 OR MIT",
        "GPL-2.0-or-later WITH Bison-exception-2.2 OR MIT",
    ),
    ("Apache-2.0+", "Apache-2.0+"),
    ("LicenseRef-my-license", "LicenseRef-my-license"),
    ("licenseref-my-license", "LicenseRef-my-license"),
    (
        "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
        "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
    ),
    ("MIT WITH AdditionRef-my-addition", "MIT WITH AdditionRef-my-addition"),
    ("LicenseRef-scancode-llama-2-license-2023", "LicenseRef-scancode-llama-2-license-2023"),
    ("OpenMDW-1.0", "OpenMDW-1.0"),
    ("MIT\tAND\nApache-2.0", "MIT AND Apache-2.0"),
    ("MIT AND(Apache-2.0)", "MIT AND Apache-2.0"),
    ("a.b-c", None),  # syntax-only check below
]


@pytest.mark.parametrize(("text", "canonical"), [v for v in VALID if v[1]], ids=repr)
def test_valid_expressions_render_canonically(text: str, canonical: str) -> None:
    assert ex.render(ex.parse(text, CAT)) == canonical


INVALID = [
    # (input, message fragment, column)
    ("", "empty", None),
    ("   ", "empty", None),
    ("MIT AND", "unexpected end", 8),
    ("AND MIT", "unexpected operator 'AND'", 1),
    ("(MIT", "unexpected end", 5),
    ("MIT)", "unbalanced closing parenthesis", 4),
    ("MIT OR OR Apache-2.0", "unexpected operator 'OR'", 8),
    ("MIT Apache-2.0", "unexpected identifier 'Apache-2.0'", 5),
    ("MIT +", "unexpected character '+'", 5),
    ("MIT++", "unexpected character '+'", 5),
    ("MIT WITH", "unexpected end", 9),
    ("(MIT OR BSD-2-Clause) WITH Classpath-exception-2.0", "unexpected operator 'WITH'", 23),
    ("MIT WITH Apache-2.0", "is a license, not an exception", 10),
    ("Classpath-exception-2.0", "is a license exception", 1),
    ("FooBar-1.0", "unknown license identifier 'FooBar-1.0'", 1),
    ("MIT AND FooBar-1.0", "unknown license identifier 'FooBar-1.0'", 9),
    ("MIT WITH Foo-exception", "unknown license exception", 10),
    ("LicenseRef-a+", "'+' cannot follow a LicenseRef", 1),
    ("MIT WITH AdditionRef-x+", "'+' cannot follow an AdditionRef", 10),
    ("AdditionRef-x", "an AdditionRef can only follow WITH", 1),
    ("MIT WITH LicenseRef-x", "only an exception or AdditionRef may follow WITH", 10),
    ("LicenseRef-", "needs an id after its prefix", 1),
    ("DocumentRef-a:MIT", "only DocumentRef-...:LicenseRef-... may contain a colon", 1),
    ("MIT/Apache-2.0", "unexpected character '/'", 4),
    ("MIT\x00", "unexpected character '\\x00'", 4),
    ("MIT, Apache-2.0", "unexpected character ','", 4),
]


@pytest.mark.parametrize(("text", "fragment", "column"), INVALID, ids=repr)
def test_invalid_expressions_say_what_and_where(
    text: str, fragment: str, column: int | None
) -> None:
    with pytest.raises(InvalidLicenseExpression) as info:
        ex.parse(text, CAT)
    err = info.value
    assert isinstance(err, ValueError)
    assert fragment in err.message
    assert err.column == column
    if column is not None:
        assert err.context is not None
        caret_line = err.context.splitlines()[1]
        assert caret_line.rstrip().endswith("^")


def test_unknown_id_error_is_its_own_type() -> None:
    with pytest.raises(UnknownLicenseError):
        ex.parse("MIT OR NotALicense-9", CAT)


def test_syntax_only_parse_keeps_ids_as_written() -> None:
    tree = ex.parse("a.b-c AND (x OR y+)")
    assert ex.render(tree) == "a.b-c AND (x OR y+)"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("MIT And Apache-2.0", "must be all upper or all lower case"),
        ("licenseref-x", "the prefix is spelled 'LicenseRef-'"),
        ("MIT WITH additionref-x", "the prefix is spelled 'AdditionRef-'"),
    ],
)
def test_strict_mode_checks_case_of_operators_and_prefixes(text: str, fragment: str) -> None:
    ex.parse(text, CAT)  # accepted when not strict
    with pytest.raises(InvalidLicenseExpression, match=fragment):
        ex.parse(text, CAT, strict=True)


def test_huge_expression_is_rejected_quickly() -> None:
    text = " AND ".join(["MIT"] * 100_000)
    with pytest.raises(InvalidLicenseExpression, match="characters long"):
        ex.parse(text, CAT)


def test_nesting_up_to_the_bound_parses() -> None:
    depth = ex.MAX_NESTING
    text = "(" * depth + "MIT" + ")" * depth
    assert ex.render(ex.parse(text, CAT)) == "MIT"
    text = "(MIT OR " * depth + "Apache-2.0" + ")" * depth
    assert ex.render(ex.parse(text, CAT)).count("MIT") == depth


@pytest.mark.parametrize("depth", [ex.MAX_NESTING + 1, 400, 1_100])
def test_nesting_past_the_bound_is_a_typed_error(depth: int) -> None:
    """Issue 12: deeply nested parentheses raised RecursionError; now a bounded, typed error
    that points at the first parenthesis too many."""
    for text in (
        "(" * depth + "MIT" + ")" * depth,
        "(MIT AND " * (depth // 2) + "(" * depth + "MIT" + ")" * (depth + depth // 2),
    ):
        with pytest.raises(InvalidLicenseExpression, match="nested deeper than") as info:
            ex.parse(text, CAT)
        opening = [i for i, ch in enumerate(text) if ch == "("]
        assert info.value.column == opening[ex.MAX_NESTING] + 1


def test_simplify_flattens_and_deduplicates_keeping_order() -> None:
    node = ex.parse("MIT AND (Apache-2.0 AND MIT) AND (BSD-2-Clause OR BSD-2-Clause)", CAT)
    assert ex.render(ex.simplify(node)) == "MIT AND Apache-2.0 AND BSD-2-Clause"


# ----------------------------------------------------------------------------------------------
# property: every rendering is a fixed point of parse+render and of packaging's canonicalizer

_IDS = [
    "MIT",
    "Apache-2.0",
    "GPL-2.0-only",
    "BSD-3-Clause",
    "CC-BY-4.0",
    "LicenseRef-x-1",
    "LicenseRef-scancode-llama-2-license-2023",
    "OpenMDW-1.0",
    "ISC",
]
_EXCEPTIONS = ["Classpath-exception-2.0", "LLVM-exception"]


def _leaf() -> st.SearchStrategy[str]:
    plain = st.sampled_from(_IDS).flatmap(lambda i: st.sampled_from([i, i.lower(), i.upper()]))
    with_exc = st.tuples(
        st.sampled_from(["GPL-2.0-only", "Apache-2.0"]), st.sampled_from(_EXCEPTIONS)
    ).map(lambda p: f"{p[0]} with {p[1]}")
    return st.one_of(plain, with_exc)


_EXPR = st.recursive(
    _leaf(),
    lambda inner: st.tuples(inner, st.sampled_from(["AND", "OR", "and", "or"]), inner).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})" if t[1].lower() == "or" else f"{t[0]} {t[1]} {t[2]}"
    ),
    max_leaves=8,
)


def packaging_canonical(expression: str) -> str:
    """packaging's canonical form, with ids newer than its SPDX list masked and restored."""
    from packaging.licenses import canonicalize_license_expression

    newer = {"OpenMDW-1.0": "LicenseRef-newer-openmdw-1.0"}
    masked = expression
    for real, stand_in in newer.items():
        masked = masked.replace(real, stand_in)
    result = str(canonicalize_license_expression(masked))
    for real, stand_in in newer.items():
        result = result.replace(stand_in, real)
    return result


@settings(max_examples=300, deadline=None)
@given(_EXPR)
def test_render_is_a_fixed_point(text: str) -> None:
    once = ex.render(ex.simplify(ex.parse(text, CAT)))
    assert ex.render(ex.simplify(ex.parse(once, CAT))) == once
    assert packaging_canonical(once) == once


def test_shape_compares_operands_as_sets_and_keeps_refs_apart() -> None:
    def shape(text: str) -> object:
        return ex.shape(ex.parse(text, CAT))

    assert shape("MIT AND (Apache-2.0 AND MIT)") == shape("Apache-2.0 AND MIT")
    assert shape("MIT OR Apache-2.0") != shape("MIT AND Apache-2.0")
    assert shape("LicenseRef-openlicense-llama-3-2024-04-18") != shape(
        "LicenseRef-openlicense-mistral-mrl-0.1"
    )


# ----------------------------------------------------------------------------------------------
# the recursive descent parser builds Lark's tree: the grammar file stays the specification

_PIECES = st.sampled_from(
    ["MIT", "mit", "GPL-2.0+", "a:b", "ORACLE", "and", "AND", "Or", "with", "WITH", "(", ")",
     " ", "\n", "\t", "+", ":", "-", ".", "x", "LicenseRef-a", ","]
)  # fmt: skip


def _lark_or_none(text: str) -> object:
    import lark

    try:
        tree = ex_parser._parser().parse(text)
    except lark.LarkError:
        return None
    tokens = tree.scan_values(lambda v: isinstance(v, lark.Token))
    return tree, [(t.type, str(t), t.start_pos, t.line, t.column) for t in tokens]


def _descent_or_none(text: str) -> object:
    import lark

    try:
        tree = descent._descend(text)
    except descent._NotSimple:
        return None
    tokens = tree.scan_values(lambda v: isinstance(v, lark.Token))
    return tree, [(t.type, str(t), t.start_pos, t.line, t.column) for t in tokens]


@settings(max_examples=2_000, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_the_descent_parser_agrees_with_lark(text: str) -> None:
    assert _descent_or_none(text) == _lark_or_none(text)


def _built(text: str, resolver: object, strict: bool, flat: bool) -> object:
    """What parse() answers (``flat``), or the builder answers from the descent's tree."""
    try:
        if flat:
            return ex.parse(text, resolver, strict=strict)  # type: ignore[arg-type]
        tree = ex_parser._syntax(text, True, descent._word, descent._Node)
        return ex_parser._Builder(text, resolver, strict).build(tree)  # type: ignore[arg-type]
    except InvalidLicenseExpression as exc:
        return (type(exc), str(exc))


_FLAT_IDS = st.sampled_from(
    ["MIT", "mit", "GPL-2.0+", "a:b", "Apache-2.0", "LicenseRef-a", "licenseref-b", "x",
     "Classpath-exception-2.0", "AdditionRef-c", "with", "and", "Or", "DocumentRef-d:LicenseRef-e"]
)  # fmt: skip
_FLAT_OPS = st.sampled_from(["AND", "and", "And", "OR", "or", "oR"])
_FLAT_SPACE = st.sampled_from([" ", "  ", "\n", "\t ", " \r\n "])


@st.composite
def _flat_texts(draw: st.DrawFn) -> str:
    ids = draw(st.lists(_FLAT_IDS, min_size=2, max_size=5))
    text = draw(_FLAT_SPACE) if draw(st.booleans()) else ""
    text += ids[0]
    for word in ids[1:]:
        text += draw(_FLAT_SPACE) + draw(_FLAT_OPS) + draw(_FLAT_SPACE) + word
    return text + (draw(_FLAT_SPACE) if draw(st.booleans()) else "")


@settings(max_examples=2_000, deadline=None)
@given(_flat_texts(), st.booleans(), st.booleans())
def test_flat_expressions_are_built_as_the_descent_builds_them(
    text: str, strict: bool, resolve: bool
) -> None:
    resolver = CAT if resolve else None
    assert _built(text, resolver, strict, True) == _built(text, resolver, strict, False)


@pytest.mark.parametrize(
    "text",
    ["a\nand b", "((a or b) and c) with d", "a WITH b with c", "a or or b", "(a", "a)",
     "ORACLE and ANDROID", "a  \n\n  OR\n  b", "(a with b) and (c)", "MIT+ OR GPL-2.0+"],
)  # fmt: skip
def test_the_descent_parser_agrees_with_lark_on_edges(text: str) -> None:
    assert _descent_or_none(text) == _lark_or_none(text)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_the_parser_raises_only_typed_errors(text: str) -> None:
    with contextlib.suppress(InvalidLicenseExpression):
        ex.parse(text, CAT)

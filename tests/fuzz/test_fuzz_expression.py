"""Fuzzing the SPDX expression parser: a tree, or InvalidLicenseExpression; nothing else."""

from __future__ import annotations

import pytest
from _fuzz_support import FUZZ_SETTINGS, check_contract
from _strategies import deep_nesting, expressions, mutate, odd_text
from hypothesis import given
from hypothesis import strategies as st

from openlicense import expression as ex
from openlicense.catalog import get_catalog

pytestmark = pytest.mark.fuzz

EXPRESSION_TYPES = (ex.License, ex.LicenseRef, ex.With, ex.And, ex.Or)
INPUTS = st.one_of(expressions(), mutate(expressions()), deep_nesting(), odd_text())


def _parse_and_render(text: str, resolver: object, strict: bool) -> tuple[object, str]:
    tree = ex.parse(text, resolver, strict=strict)  # type: ignore[arg-type]
    return tree, ex.render(tree)  # rendering walks the tree too: part of the contract


def _well_formed(result: tuple[object, str]) -> None:
    tree, rendered = result
    assert isinstance(tree, EXPRESSION_TYPES), type(tree)
    assert isinstance(rendered, str)
    assert rendered.strip()


@FUZZ_SETTINGS
@given(text=INPUTS, strict=st.booleans())
def test_fuzz_parse_syntax_only(text: str, strict: bool) -> None:
    result = check_contract("parse", lambda: _parse_and_render(text, None, strict), text)
    if result is not None:
        _well_formed(result)


@FUZZ_SETTINGS
@given(text=INPUTS, strict=st.booleans())
def test_fuzz_parse_with_the_catalog(text: str, strict: bool) -> None:
    catalog = get_catalog()
    result = check_contract(
        "parse-resolved", lambda: _parse_and_render(text, catalog, strict), text
    )
    if result is not None:
        _well_formed(result)

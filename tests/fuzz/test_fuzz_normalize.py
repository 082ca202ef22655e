"""Fuzzing the normalizer: ``normalize`` never raises for bad input and its result is whole."""

from __future__ import annotations

import json

import pytest
from _fuzz_support import FUZZ_SETTINGS, check_contract
from _strategies import deep_nesting, license_strings
from hypothesis import given
from hypothesis import strategies as st

import openlicense
from openlicense.normalization import Normalized

pytestmark = pytest.mark.fuzz

STATUSES = {"ok", "ambiguous", "unknown", "none", "proprietary", "not-a-license", "invalid"}


@FUZZ_SETTINGS
@given(
    text=st.one_of(license_strings(), deep_nesting()),
    strictness=st.sampled_from(["lenient", "spdx", "strict"]),
    upgrade=st.booleans(),
)
def test_fuzz_normalize(text: str, strictness: str, upgrade: bool) -> None:
    result = check_contract(
        f"normalize-{strictness}",
        lambda: openlicense.normalize(text, strictness=strictness, upgrade_deprecated=upgrade),  # type: ignore[arg-type]
        text,
    )
    if result is None:
        return
    assert isinstance(result, Normalized)
    assert result.status in STATUSES, result.status
    if result.status == "ok":
        assert result.expression, result
    if result.expression is not None:
        assert isinstance(result.expression, str)
        assert result.expression.strip() == result.expression
    json.dumps(result.to_dict())  # a result is data: it always serializes

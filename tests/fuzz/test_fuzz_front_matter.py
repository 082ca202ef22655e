"""Fuzzing the model-card reader (front matter and body) through ``openlicense.analyze``.

A card that cannot be read gives a report with a typed ``error_type``; no card raises.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from _fuzz_support import FUZZ_SETTINGS, check_contract
from _strategies import card_bodies, mutate_yaml, yaml_documents
from hypothesis import given
from hypothesis import strategies as st

import openlicense
from openlicense import errors

pytestmark = pytest.mark.fuzz

# One folder for the whole run: hypothesis calls the test thousands of times, and a
# function-scoped tmp_path would be shared between examples anyway.
_FOLDER = Path(tempfile.mkdtemp(prefix="openlicense-fuzz-card-"))


def assert_report(report: object) -> None:
    assert isinstance(report, openlicense.Report)
    if report.error:
        cls = getattr(errors, report.error_type or "", None)
        assert cls is not None, report.error_type
        assert issubclass(cls, errors.OpenLicenseError)
    json.dumps(report.to_dict())


@FUZZ_SETTINGS
@given(
    front=st.one_of(yaml_documents(), mutate_yaml(yaml_documents())),
    body=card_bodies(),
    as_repository=st.booleans(),
)
def test_fuzz_model_card(front: str, body: str, as_repository: bool) -> None:
    repo = _FOLDER / "acme__model"
    repo.mkdir(exist_ok=True)
    card = repo / "README.md"
    card.write_bytes(f"---\n{front}---\n{body}".encode("utf-8", "surrogatepass"))
    target = repo if as_repository else card
    report = check_contract("front-matter", lambda: openlicense.analyze(target), front)
    if report is not None:
        assert_report(report)

"""Fuzzing the Model Openness Tool reader: a document, or ReleaseFormatError with a line."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from _fuzz_support import FUZZ_SETTINGS, check_contract
from _strategies import mutate_yaml, yaml_documents
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_front_matter import assert_report

import openlicense
from openlicense.model import Release
from openlicense.release.mot import MotDocument, parse_mot, read_mot

pytestmark = pytest.mark.fuzz

_FOLDER = Path(tempfile.mkdtemp(prefix="openlicense-fuzz-mot-"))


@FUZZ_SETTINGS
@given(
    doc=st.one_of(yaml_documents(mot=True), mutate_yaml(yaml_documents(mot=True))),
    reader=st.sampled_from(["parse", "read", "analyze"]),
)
def test_fuzz_mot(doc: str, reader: str) -> None:
    path = _FOLDER / "model.yml"
    path.write_bytes(doc.encode("utf-8", "surrogatepass"))
    call = {"parse": parse_mot, "read": read_mot, "analyze": openlicense.analyze}[reader]
    result = check_contract(f"mot-{reader}", lambda: call(path), doc)
    if result is None:
        return
    expected = {"parse": MotDocument, "read": Release, "analyze": openlicense.Report}[reader]
    assert isinstance(result, expected)
    if reader == "analyze":
        assert_report(result)

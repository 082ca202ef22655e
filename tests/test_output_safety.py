"""Names and texts from the input, in every output: visible on a terminal, valid UTF-8 in JSON,
exact in CSV (what ``scan --resume`` keys on)."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from openlicense.batch.output import csv_field, csv_line, jsonl_line, text_line
from openlicense.cli.common import dump_json
from openlicense.read.text import text_input
from openlicense.terminal import visible

NAMES = {
    "newline": "LICENSE\nnewline",
    "return": "LICENSE\rreturn",
    "crlf": "a\r\nb",
    "bad-utf8": os.fsdecode(b"LICENSE-\xff\xfe"),
    "backslash-n": "LICENSE\\nliteral",
    "backslash-escape": "LICENSE\\udcff",
    "escape-sequence": "LICENSE-\x1b[2J\x1b]0;owned\x07",
    "bidi": "LICENSE-\u202etxt.exe",
    "quote-comma": 'LICENSE "a", b',
    "plain": "LICENSE-MIT",
    "unicode": "LICENSE-日本語-é",
}


@pytest.mark.parametrize("name", list(NAMES.values()), ids=list(NAMES))
def test_a_csv_field_reads_back_exactly(name: str) -> None:
    line = csv_line([name, "x"])
    line.encode("utf-8")  # strict
    assert line.count("\n") == 1
    assert line.endswith("\n")
    fields = next(csv.reader([line.removesuffix("\n")]))
    assert [csv_field(f) for f in fields] == [name, "x"]


@pytest.mark.parametrize("name", list(NAMES.values()), ids=list(NAMES))
def test_json_is_utf8_and_gives_the_same_name_back(name: str) -> None:
    report = {"schema": "openlicense/report/v1", "item": {"path": name}}
    line = jsonl_line(report)
    assert json.loads(line.encode("utf-8").decode("utf-8"))["item"]["path"] == name
    out = io.StringIO()
    dump_json(report, out)
    assert json.loads(out.getvalue().encode("utf-8"))["item"]["path"] == name


@pytest.mark.parametrize("name", list(NAMES.values()), ids=list(NAMES))
def test_text_shows_no_control_character(name: str) -> None:
    report = {"item": {"path": name}, "error": f"{name}: not valid", "error_type": "InputError"}
    for line in (text_line(report), text_line({"item": {"path": name}, "verdict": "x"})):
        body = line.removesuffix("\n")
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in body), repr(body)
        assert "\u202e" not in body
        body.encode("utf-8")  # strict


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1bb", "a\\x1bb"),
        ("a\nb\tc\rd", "a\\nb\\tc\\rd"),
        ("\x9b", "\\x9b"),
        ("\u202e", "\\u202e"),
        (os.fsdecode(b"\xff"), "\\udcff"),
        ("é日本", "é日本"),
    ],
)
def test_visible(text: str, shown: str) -> None:
    assert visible(text) == shown


def test_a_lone_surrogate_in_a_text_is_replaced() -> None:
    doc = text_input("Permission\ud800 is granted\n")
    assert doc.text == "Permission\ufffd is granted\n"
    doc.text.encode("utf-8")

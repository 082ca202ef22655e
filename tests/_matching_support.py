"""Helpers of the matcher's tests: fixture expansion and the cache the tests share."""

from __future__ import annotations

import re
from pathlib import Path

from openlicense.matching.references import reference_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "matching"
_INCLUDE = re.compile(r"^@@ (?P<path>\S+)(?: (?P<first>\d+)-(?P<last>\d*))? @@$")


def expand(text: str) -> str:
    """A fixture with its ``@@ reference [lines] @@`` lines replaced by the reference text."""
    out: list[str] = []
    for line in text.splitlines():
        m = _INCLUDE.match(line)
        if m is None:
            out.append(line)
            continue
        body = reference_text(m.group("path")).splitlines()
        first = int(m.group("first") or 1)
        last = int(m.group("last") or len(body))
        out.extend(body[first - 1 : last])
    return "\n".join(out) + "\n"


def fixture(name: str) -> str:
    return expand((FIXTURES / name).read_text(encoding="utf-8"))

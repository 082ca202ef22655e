"""``SPDX-License-Identifier`` tags: the full expression a tag states, with its line.

A tag is taken whole (``GPL-2.0-or-later WITH Linux-syscall-note``, ``MIT OR Apache-2.0``),
never cut to one operand. Operators are upper-cased and whitespace folded; ids are kept as
written, for the normalization stage to canonicalize. A tag whose value is not an expression
(prose after the colon) is not returned.
"""

from __future__ import annotations

import re

from openlicense.matching.results import Notice

__all__ = ["spdx_tags"]

_TAG = re.compile(r"SPDX-License-Identifier\s*:\s*(?P<value>[^\n]*)", re.IGNORECASE)
_END = re.compile(r"\s*(?:\*/|-->|\"|'|\)\s*$|;\s*$).*$")
_PART = re.compile(r"\(|\)|[A-Za-z0-9][A-Za-z0-9.+\-:]*")
_OPERATORS = {"and": "AND", "or": "OR", "with": "WITH"}


def _expression(value: str) -> str | None:
    value = _END.sub("", value).strip()
    parts = _PART.findall(value)
    if not parts or "".join(parts) != "".join(value.split()):
        return None
    out: list[str] = []
    depth = 0
    expect_id = True
    for part in parts:
        op = _OPERATORS.get(part.lower())
        if part == "(":
            if not expect_id:
                return None
            depth += 1
            out.append(part)
        elif part == ")":
            depth -= 1
            if depth < 0 or expect_id:
                return None
            out.append(part)
        elif op is not None:
            if expect_id:
                return None
            out.append(op)
            expect_id = True
        else:
            if not expect_id:
                return None
            out.append(part)
            expect_id = False
    if depth or expect_id:
        return None
    return " ".join(out).replace("( ", "(").replace(" )", ")")


def spdx_tags(text: str) -> tuple[Notice, ...]:
    """Every well-formed ``SPDX-License-Identifier`` tag of ``text``, in order."""
    if "spdx-license-identifier" not in text.lower():
        return ()
    found: list[Notice] = []
    line, last = 1, 0
    for m in _TAG.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        expression = _expression(m.group("value"))
        if expression is not None:
            found.append(Notice(expression, line, m.group(0).strip()))
    return tuple(found)

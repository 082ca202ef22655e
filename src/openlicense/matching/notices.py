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
_PART = re.compile(r"\(|\)|[A-Za-z0-9][A-Za-z0-9.+\-:]*")
_OPERATORS = {"and": "AND", "or": "OR", "with": "WITH"}


def _cut_end(value: str) -> str:
    """The value before what closes it: a comment's ``*/`` or ``-->``, a quote, or a ``)`` or
    ``;`` that ends the line. Found with ``str.find``: a pattern with leading whitespace tried
    at every position was quadratic on a long run of spaces."""
    ends = [value.find("*/"), value.find("-->"), value.find('"'), value.find("'")]
    tail = value.rstrip()
    if tail.endswith((")", ";")):
        ends.append(len(tail) - 1)
    ends = [i for i in ends if i != -1]
    return value[: min(ends)] if ends else value


def _expression(value: str) -> str | None:
    value = _cut_end(value).strip()
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


# A sentence that names the license a work is under: "Licensed under the Apache License,
# Version 2.0", "This project is released under the MIT license.", "dual-licensed under the
# GPL-2.0+ or MIT". The named part (up to the end of the sentence or a parenthesis) is read by
# the normalizer, which knows every name, alias and id the catalog holds.
_SENTENCE = re.compile(
    r"\b(?P<dual>dual[\s-]*licen[cs]ed|licen[cs]ed|released|distributed|available|"
    r"made available|provided)\s+under\s+(?:the\s+)?(?:terms\s+of\s+(?:the\s+)?)?"
    r"(?:either\s+(?:of\s+)?(?:the\s+)?)?(?P<name>[^\n;:()\"]{2,120}?)"
    r"\s*(?:[;:()\"]|\.(?:\s|$)|$|,\s+(?:see|which|and\s+(?:you|the)|as|at|unless|or\s+at))",
    re.IGNORECASE | re.MULTILINE,
)
#: A named part longer than this many words is prose, not a license name.
_NAME_WORDS = 14


def license_notices(text: str) -> tuple[Notice, ...]:
    """One-line license notices and references: the expression each states, normalized.

    Each named part goes to :func:`openlicense.normalization.normalize`; one it cannot read
    (prose, an unknown name) is not returned. "A or B" is kept whole (``GPL-2.0-or-later OR
    MIT``), never cut to one operand.
    """
    from openlicense.normalization import UNLISTED_PREFIX, normalize

    found: list[Notice] = []
    line, last = 1, 0
    for m in _SENTENCE.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        name = " ".join(m.group("name").split()).rstrip(" ,")
        name = re.sub(r"^(?:the\s+)", "", name, flags=re.IGNORECASE)
        if not name or len(name.split()) > _NAME_WORDS:
            continue
        result = normalize(name)
        if result.status != "ok" or not result.expression:
            continue
        if result.expression.startswith(UNLISTED_PREFIX):
            continue
        found.append(Notice(result.expression, line, " ".join(m.group(0).split())))
    return tuple(found)

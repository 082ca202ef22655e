"""Cleaning a license string, and telling from its tokens whether it is an SPDX expression."""

from __future__ import annotations

import re
import unicodedata

from openlicense import expression as ex
from openlicense.catalog.keys import FIELD_FOLD_MAP
from openlicense.errors import InvalidLicenseExpression, UnknownLicenseError

__all__ = [
    "IDTOKEN",
    "TOKENS",
    "broken_expression",
    "clean",
    "expression_ids",
    "plausible_expression",
]

_WS = re.compile(r"\s+")
# Unicode's Cc category (C0, DEL and C1) but tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean(text: str) -> tuple[str, str | None]:
    """Fold Unicode forms, quotes, dashes and whitespace; report a control character."""
    control = _CONTROL.search(text)
    if control is not None:
        ch = control.group()
        return "", f"control character U+{ord(ch):04X} at column {control.start() + 1}"
    if not text.isascii():  # NFKC leaves ASCII as it is, and FIELD_FOLD_MAP maps no ASCII
        text = unicodedata.normalize("NFKC", text)
        text = text.translate(FIELD_FOLD_MAP)
    text = _WS.sub(" ", text).strip()
    # Strip matching wrappers people leave around a value: "MIT", 'MIT', `MIT`, [MIT].
    while len(text) >= 2 and (text[0], text[-1]) in {
        ('"', '"'),
        ("'", "'"),
        ("`", "`"),
        ("[", "]"),
    }:
        text = text[1:-1].strip()
    return text, None


TOKENS = re.compile(r"[()]|[^\s()]+")
IDTOKEN = re.compile(r"^[A-Za-z0-9.\-]+(?::[A-Za-z0-9.\-]+)?\+?$")


def expression_ids(text: str) -> list[str] | None:
    """The identifier tokens of ``text`` if it could be an SPDX expression (identifiers
    alternate with operators), else ``None``: a cheap check, without the LALR parser, that
    free text ("Apache License 2.0") fails; anything that passes is parsed for real."""
    ids: list[str] = []
    expect_id = True
    for token in TOKENS.findall(text):
        if token in "()":
            continue
        is_op = token.lower() in {"and", "or", "with"}
        if expect_id == is_op or (not is_op and not IDTOKEN.match(token)):
            return None
        if not is_op:
            ids.append(token)
        expect_id = is_op
    return None if expect_id else ids


def plausible_expression(text: str) -> bool:
    """Whether ``text`` could be an SPDX expression (see ``expression_ids``)."""
    return expression_ids(text) is not None


_STRUCTURAL = (
    "unexpected end of expression",
    "unbalanced closing parenthesis",
    "unexpected operator",
)


def broken_expression(
    text: str, error: InvalidLicenseExpression
) -> InvalidLicenseExpression | None:
    """The structural error of ``text`` if it is an SPDX expression written wrong (upper-case
    operators, SPDX-shaped ids, a dangling operator or unbalanced parentheses), not free text."""
    if isinstance(error, UnknownLicenseError):
        return None
    if "AND" not in text and "OR" not in text and "WITH" not in text:
        return None  # no upper-case operator (the test below, on the tokens, without them)
    operators = {"AND", "OR", "WITH"}
    tokens = TOKENS.findall(text)
    if not any(t in operators for t in tokens):
        return None
    if not all(t in "()" or t.upper() in operators or IDTOKEN.match(t) for t in tokens):
        return None
    if not any("-" in t or "." in t for t in tokens):
        return None
    if not error.message.startswith(_STRUCTURAL):
        try:  # the cheap plausibility check refused it: ask the parser what is wrong
            ex.parse(text)
        except InvalidLicenseExpression as real:
            error = real
        else:
            return None
    return error if error.message.startswith(_STRUCTURAL) else None

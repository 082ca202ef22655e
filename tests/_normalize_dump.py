"""Normalize strings and write every field of each result as JSON (run as a script).

    python tests/_normalize_dump.py STRINGS.json OUT.json

``STRINGS.json`` is a list of strings; ``OUT.json`` gets, for each strictness level, the list of
``result_fields`` of each string. It imports only the public ``openlicense.normalization`` API,
so ``tests/test_normalize_reference.py`` runs it on an older checkout of the code (through
``PYTHONPATH``) to record what that code answered.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from openlicense.normalization import normalize

STRICTNESS = ("lenient", "spdx", "strict")


def result_fields(text: str, strictness: Any) -> list[Any]:
    """Everything a result says, the syntax tree included (as its repr)."""
    try:
        result = normalize(text, strictness=strictness)
    except Exception as exc:
        return ["raised", type(exc).__name__, str(exc)]
    return [result.to_dict(), repr(result.tree)]


def dump(strings: list[str]) -> dict[str, list[list[Any]]]:
    return {level: [result_fields(s, level) for s in strings] for level in STRICTNESS}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        texts = json.load(handle)
    with open(sys.argv[2], "w", encoding="utf-8") as handle:
        json.dump(dump(texts), handle)

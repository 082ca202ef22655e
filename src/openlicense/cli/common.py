"""What the commands share: JSON output, and the exit-status table (from
:mod:`openlicense.exitcodes`, the one table)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from openlicense.exitcodes import EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_INTERRUPTED", "EXIT_OK", "dump_json"]


def dump_json(data: Any, out: TextIO) -> None:
    """``data`` as indented JSON (UTF-8 kept as written) and a newline.

    Always valid UTF-8: the bytes of a file name that are not UTF-8 reach Python as lone
    surrogates (``os.fsdecode``), written as ``\\udcXX`` escapes, which a JSON reader turns
    back into the same string (and ``os.fsencode`` into the same bytes)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    out.write(text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n")

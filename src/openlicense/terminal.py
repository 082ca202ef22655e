"""Text for a terminal: ANSI colours, and whether a stream should get them.

Colour follows the conventions of https://no-color.org and https://force-color.org: ``NO_COLOR``
set (and not empty) turns it off, else ``FORCE_COLOR`` turns it on, else a stream gets colour
when it is a terminal. Every coloured output (``check``'s text report, ``normalize`` and
``identify`` lines, ``scan`` lines) goes through :func:`paint`, and every name or text from
the input it shows through :func:`visible`.
"""

from __future__ import annotations

import os
import re
from typing import Any

__all__ = ["isatty", "paint", "visible", "wants_color"]


def paint(text: str, code: str, enabled: bool) -> str:
    """``text`` in the SGR colour ``code`` (``"31"`` red, ``"1"`` bold...) when ``enabled``."""
    return f"\x1b[{code}m{text}\x1b[0m" if enabled else text


def isatty(stream: Any) -> bool:
    """Is ``stream`` a terminal? (``False`` for a closed stream or one without ``isatty``.)"""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def wants_color(stream: Any) -> bool:
    """Should text written to ``stream`` be coloured?"""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return isatty(stream)


#: What must not reach a terminal as it is: C0 and C1 controls (ESC starts a terminal command),
#: the bidirectional overrides (they reorder what is shown), and lone surrogates (the bytes of
#: a file name that are not UTF-8, as ``os.fsdecode`` gives them).
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def visible(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\n``), and the
    undecodable bytes of a file name (lone surrogates) as ``\\udcXX``: what a file name or a
    quoted text may hold can never move the cursor, clear the screen or retitle the window."""
    return _INVISIBLE.sub(_escape, text)

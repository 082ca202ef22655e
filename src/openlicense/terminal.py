"""Text for a terminal: ANSI colours, and whether a stream should get them.

Colour follows the conventions of https://no-color.org and https://force-color.org: ``NO_COLOR``
set (and not empty) turns it off, else ``FORCE_COLOR`` turns it on, else a stream gets colour
when it is a terminal. Every coloured output (``check``'s text report, ``normalize`` and
``identify`` lines, ``scan`` lines) goes through :func:`paint`.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["isatty", "paint", "wants_color"]


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

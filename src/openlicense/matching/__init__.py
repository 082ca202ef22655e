"""License-text matching by alignment, without ScanCode's index.

``match_text(text)`` finds every license and exception text in ``text``: which reference each
is (its SPDX id, else ``LicenseRef-scancode-<key>``), over which lines, how much of the
reference and of the file it covers, and what differs, quoted with lines. See docs/matching.md.

The reference texts are the installed ScanCode license data files, indexed once into a cache
file (``$OPENLICENSE_CACHE_DIR``, else ``~/.cache/openlicense``). Nothing is loaded at import.
"""

from __future__ import annotations

from openlicense.matching.results import Match, MatchResult, Notice, Span

__all__ = ["Match", "MatchResult", "Notice", "Span", "match_file", "match_text"]


def match_text(text: str) -> MatchResult:
    """The license and exception texts found in ``text``."""
    from openlicense.matching.match import match_text as _match_text

    return _match_text(text)


def match_file(path: str) -> MatchResult:
    """:func:`match_text` of a UTF-8 file (undecodable bytes replaced)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        return match_text(handle.read())

"""Which runs of pieces of a compound no step can read, known from the pieces alone.

The compound reader (``compounds.LenientReader.and_parts``) tries runs of up to eight pieces
from each piece on, longest first, and reads each run as a part: an SPDX expression, a name,
a loose expression, or one of those under a remark. In a string that matches nothing (a URL,
a list of datasets) almost no run can be read, and asking costs a full reading each time.

A run cannot be read when all of these hold, and they hold of every longer run from the same
piece too:

- the string is ASCII and has no bracket and no qualifier word ("for", "on", ...), so no
  remark can be taken off;
- one of its pieces has a word no catalogued name has (``Catalog.name_words``), so neither its
  name key nor its loose key is catalogued. A word at the edge of a piece counts only when the
  separator beside it does not end (or start) with a letter, which could join the two;
- one of its pieces or separators has a character that no SPDX expression and no Hugging Face
  id or ScanCode key has ("/", ",", ";", "&", ...), where stripping the run's ends cannot take
  it off: inside a piece, or in a separator between two pieces that are more than punctuation.

``first_unreadable(...)[i]`` is the first end ``j`` from which every run ``pieces[i:j]`` is
unreadable (past the last piece when there is none); the reader only asks about shorter runs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from openlicense.catalog import Catalog

__all__ = ["first_unreadable"]

_LETTERS = re.compile(r"[a-z]+")
_QUALIFIER_WORD = re.compile(r"\b(?:for|on|of|covering)\b", re.I)
# The characters of an SPDX expression that ``cleaning.expression_ids`` may accept.
_EXPRESSION_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-:+() \t\r\n")
# The characters ``part`` strips from both ends of a run before reading it.
_STRIPPED = " .,:;-\"'"


@functools.lru_cache(maxsize=4)
def _allowed(key_chars: frozenset[str]) -> frozenset[str]:
    """The characters of an expression or of a Hugging Face id or ScanCode key."""
    return _EXPRESSION_CHARS | key_chars


def first_unreadable(
    text: str, pieces: Sequence[str], seps: Sequence[str], catalog: Catalog
) -> list[int]:
    """For each piece ``i``, the first ``j`` from which no run ``pieces[i:j]`` (joined as the
    reader joins them: ``seps[k - 1]`` before piece ``k``, a space when there is none) can be
    read. ``len(pieces) + 1`` when every run may be readable."""
    n = len(pieces)
    never = n + 1
    if n < 3:  # at most three runs: asking is as cheap as telling
        return [never] * n
    if not text.isascii() or "(" in text or "[" in text or _QUALIFIER_WORD.search(text):
        return [never] * n
    words = catalog.name_words
    allowed = _allowed(catalog.key_chars)
    # joins[k]: what the reader puts between pieces k and k + 1.
    joins = [seps[k] if k < len(seps) else " " for k in range(n)]
    # The next piece at or after k with an unknown word, with a foreign character, and the
    # next separator with a foreign character.
    solid = [bool(piece.strip(_STRIPPED)) for piece in pieces]
    next_unknown = next_foreign = next_sep = never
    first: list[int] = [never] * n
    for k in range(n - 1, -1, -1):
        piece = pieces[k].lower()
        before = k > 0 and joins[k - 1][-1:].isalpha()
        after = joins[k][:1].isalpha()
        for m in _LETTERS.finditer(piece):
            if m.group() in words:
                continue
            if (before and m.start() == 0) or (after and m.end() == len(piece)):
                continue  # it may join a letter of the separator beside it
            next_unknown = k
            break
        if not allowed.issuperset(piece.strip(_STRIPPED)):
            next_foreign = k
        # A separator counts only between two pieces with more than what ``part`` strips:
        # else "," and ";" may be stripped off a run's end ("LicenseRef-x, ." reads as one).
        if k < n - 1 and solid[k] and solid[k + 1] and not allowed.issuperset(joins[k].lower()):
            next_sep = k
        first[k] = min(never, max(next_unknown + 1, min(next_foreign + 1, next_sep + 2)))
    return first

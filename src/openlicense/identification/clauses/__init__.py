"""Find the clauses of a license or policy text that raise license-term flags.

The catalog knows the terms of well-known licenses; this module reads what an uncatalogued or
custom text *says*, so that it can be judged too. The wording it looks for is data
(``data/clauses.toml``, see ``docs/clauses.md``): each pattern names a flag, groups of plain
phrases that must all occur close together in one sentence, and phrases that veto it.

How a text is read, in time linear in its length and with no backtracking regular expressions:

1. The text is cut into sentences at ``. ! ? ;`` followed by a space, at a colon that ends a
   line (a list lead-in), at blank lines, and before list markers that start a line.
2. Each sentence is cut into word tokens of the *original* text, so every token keeps its
   offsets and quotes are verbatim; each token is folded (NFKC, case) on its own. Punctuation,
   curly quotes and dashes are never tokens, so they cannot make a phrase miss.
3. A phrase is a fixed sequence of token tests (a word, a ``prefix*``, ``{number}``,
   ``{any}``). Phrases are indexed by their first two words, so each token is compared with a
   bounded number of candidates, each for a bounded number of tokens.
4. A pattern matches a sentence when one phrase of every ``all`` group starts within
   ``window`` tokens (a two-pointer sweep over the phrase matches) and no ``none`` phrase
   occurs in the sentence.

A list item inherits the last words of the lead-ins that introduce it ("You agree not to use
the Model:" ... "3. For military purposes"; a Markdown heading "## Prohibited Uses" over a
bullet list): a pattern marked ``inherit`` may find its first group there, so the wording
written for the inline form also finds the listed one. The hit quotes the item itself.

The modules, each one job: ``tokens`` (steps 2 and 3: words and phrases as token tests),
``table`` (the validated, indexed pattern table), ``sentences`` (step 1 and the lead-ins) and
``matching`` (step 4: the hits).
"""

from __future__ import annotations

from openlicense.identification.clauses.matching import (
    LEAD_TOKENS,
    MAX_QUOTE_LENGTH,
    ClauseHit,
    UnknownFlagError,
    scan_clauses,
)
from openlicense.identification.clauses.sentences import LEAD_DEPTH
from openlicense.identification.clauses.table import (
    DEFAULT_WINDOW,
    MAX_WINDOW,
    ClausePattern,
    patterns,
)

__all__ = [
    "DEFAULT_WINDOW",
    "LEAD_DEPTH",
    "LEAD_TOKENS",
    "MAX_QUOTE_LENGTH",
    "MAX_WINDOW",
    "ClauseHit",
    "ClausePattern",
    "UnknownFlagError",
    "patterns",
    "scan_clauses",
]

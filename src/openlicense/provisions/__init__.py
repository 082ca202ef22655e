"""Read what a license or policy text grants and takes away, clause by clause.

``read_provisions(text)`` splits the text into provisions (sentences and list items with their
headings, lead-ins and appendices), resolves its defined terms, decides each provision's
modality, raises the vocabulary's license-term flags with the clause quoted, and reads the
four OSAID freedoms from the grant and the restrictions. See ``docs/provisions.md``.
"""

from __future__ import annotations

from openlicense.provisions.model import (
    FLAGS,
    FREEDOMS,
    Definition,
    FreedomReading,
    Hit,
    Provision,
    ProvisionReading,
)
from openlicense.provisions.reader import read_provisions

__all__ = [
    "FLAGS",
    "FREEDOMS",
    "Definition",
    "FreedomReading",
    "Hit",
    "Provision",
    "ProvisionReading",
    "read_provisions",
]

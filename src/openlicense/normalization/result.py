"""The limits of what normalization reads; the result value is `openlicense.model.Normalized`."""

from __future__ import annotations

from typing import Literal

from openlicense.model import NormalizationStatus as Status
from openlicense.model import Normalized

__all__ = [
    "MAX_CANDIDATES",
    "MAX_INPUT_LENGTH",
    "STRICTNESS_LEVELS",
    "Normalized",
    "Status",
    "Strictness",
]

Strictness = Literal["lenient", "spdx", "strict"]
STRICTNESS_LEVELS: tuple[Strictness, ...] = ("lenient", "spdx", "strict")

#: Longest input accepted. A license string is a name or an expression; anything longer is
#: reported as invalid straight away instead of being scanned.
MAX_INPUT_LENGTH = 4_096
#: Most candidate expressions listed for an ambiguous compound.
MAX_CANDIDATES = 24

"""openlicense: how open is this AI model, really?

Parse and normalize license strings to SPDX expressions, identify license texts, and check AI
model releases against the OSI Open Source AI Definition, flagging openwashing.

    >>> import openlicense
    >>> openlicense.normalize("Apache 2.0").expression
    'Apache-2.0'

The public API: :func:`normalize` (→ :class:`Normalized`), :func:`identify`
(→ :class:`Identification`), :func:`analyze` and :func:`analyze_expression` (→ :class:`Report`,
with its :class:`Release`), :func:`scan` (batch), :func:`get_catalog`. Importing this package is
cheap: the catalog, the grammar and ScanCode load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openlicense.errors import InvalidLicenseExpression, OpenLicenseError
from openlicense.lazy import lazy_attribute

__version__ = "0.1.0"

__all__ = [
    "Identification",
    "InvalidLicenseExpression",
    "Normalized",
    "OpenLicenseError",
    "Release",
    "Report",
    "__version__",
    "analyze",
    "analyze_expression",
    "get_catalog",
    "identify",
    "identify_text",
    "normalize",
    "scan",
]

_LAZY = {
    "normalize": "openlicense.normalization",
    "Normalized": "openlicense.normalization",
    "get_catalog": "openlicense.catalog",
    "identify": "openlicense.report.identify",
    "identify_text": "openlicense.report.identify",
    "Identification": "openlicense.model",
    "analyze": "openlicense.report",
    "analyze_expression": "openlicense.report",
    "Report": "openlicense.report",
    "Release": "openlicense.model",
    "scan": "openlicense.batch",
}

if TYPE_CHECKING:
    from openlicense.batch import scan
    from openlicense.catalog import get_catalog
    from openlicense.model import Identification, Release
    from openlicense.normalization import Normalized, normalize
    from openlicense.report import Report, analyze, analyze_expression
    from openlicense.report.identify import identify, identify_text


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _LAZY, name)


def __dir__() -> list[str]:
    return sorted(__all__)

"""openlicense: how open is this AI model, really?

Parse and normalize license strings to SPDX expressions, identify license texts, and check AI
model releases against the OSI Open Source AI Definition, flagging openwashing.

Importing this package is cheap: the catalog, the grammar and ScanCode load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "InvalidLicenseExpression",
    "Normalized",
    "OpenLicenseError",
    "__version__",
    "get_catalog",
    "normalize",
]

from openlicense.errors import InvalidLicenseExpression, OpenLicenseError

_LAZY = {
    "normalize": "openlicense.normalize",
    "Normalized": "openlicense.normalize",
    "get_catalog": "openlicense.catalog",
}

if TYPE_CHECKING:
    from openlicense.catalog import get_catalog
    from openlicense.normalize import Normalized, normalize


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'openlicense' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

"""Names a package exports and imports on first use (PEP 562), so that importing it stays cheap.

A package keeps a map of each name to the module that defines it and delegates its module-level
``__getattr__`` to :func:`lazy_attribute`; the type checker sees the same names through imports
under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from typing import Any

__all__ = ["lazy_attribute"]


def lazy_attribute(package: str, homes: Mapping[str, str], name: str) -> Any:
    """The value of ``name`` for ``package``, imported from its module in ``homes`` and kept in
    the package's namespace (so the next look-up is a plain attribute); ``AttributeError`` for
    a name the package does not export."""
    home = homes.get(name)
    if home is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    setattr(sys.modules[package], name, value)
    return value

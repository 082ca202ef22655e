"""The license catalog: what each license is, what it is called, and what its terms allow.

The catalog is data (``openlicense/data``, see ``docs/catalog.md``); it is loaded once per
process, lazily, and answers questions about it. Nothing else in openlicense holds license
lists. The modules, each one job:

- ``entries``: the frozen records (a license, its terms, a name's target, a flag);
- ``keys``: lookup keys of names and URLs, and the one folding of quotes and dashes;
- ``load``: building the catalog from the data files;
- ``index``: the ``Catalog`` and its queries;
- ``cache``: the disk cache and ``get_catalog()``, the one catalog of the process;
- ``texts``: the reference texts a catalog entry points at.

Importing this package reads no data: ``get_catalog()`` does, on first use.
"""

from __future__ import annotations

from openlicense.catalog.cache import get_catalog
from openlicense.catalog.entries import (
    FREEDOMS,
    FlagClause,
    FlagInfo,
    FreedomStatus,
    HfMapping,
    LicenseEntry,
    Namespace,
    NameTarget,
    Terms,
)
from openlicense.catalog.index import Catalog
from openlicense.catalog.keys import loose_key, name_key, url_key

__all__ = [
    "FREEDOMS",
    "Catalog",
    "FlagClause",
    "FlagInfo",
    "FreedomStatus",
    "HfMapping",
    "LicenseEntry",
    "NameTarget",
    "Namespace",
    "Terms",
    "get_catalog",
    "loose_key",
    "name_key",
    "url_key",
]

"""The catalog's disk cache, and the one catalog of the process.

Building the catalog from the data files takes a few hundred milliseconds, so the built
catalog is pickled under the user cache folder, keyed by the data files and the code that
builds it. The cache is only ever a copy: any problem reading it rebuilds from the data.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openlicense.catalog.index import Catalog

__all__ = ["BUILDERS", "cache_dir", "get_catalog"]

#: The modules of ``openlicense.catalog`` whose code shapes the pickled catalog: the records,
#: the ``Catalog`` class, the lookup keys and the builder. A change to any of them makes a new
#: cache key (``tests/test_catalog_data.py`` checks that this list names every such module).
BUILDERS: tuple[str, ...] = ("entries", "index", "keys", "load")


def cache_dir() -> Path:
    """Where openlicense keeps prepared data: ``$OPENLICENSE_CACHE_DIR``, else the user cache."""
    if os.environ.get("OPENLICENSE_CACHE_DIR"):
        return Path(os.environ["OPENLICENSE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "openlicense"


def _data_fingerprint() -> str:
    """A digest of every data file's name, size and time, of the modules that build the
    catalog, and of the version: what the built catalog depends on."""
    import hashlib
    import importlib

    from openlicense import __version__
    from openlicense.catalog.load import data_file

    digest = hashlib.blake2b(__version__.encode(), digest_size=12)
    root = data_file("")
    for entry in sorted(_walk(root), key=lambda e: e[0]):
        digest.update(repr(entry).encode())
    # The code that builds the indexes is part of the key too: a changed name_key() must not
    # meet a catalog pickled by the old one, nor a changed record class an old pickle of it.
    for name in BUILDERS:
        module_file = str(importlib.import_module(f"openlicense.catalog.{name}").__file__)
        st = os.stat(module_file)
        digest.update(repr((module_file, st.st_size, st.st_mtime_ns)).encode())
    return digest.hexdigest()


def _walk(folder: Any) -> Iterator[tuple[str, int, int]]:
    for item in folder.iterdir():
        if item.is_dir():
            yield from _walk(item)
        elif str(item).endswith((".toml", ".json")):
            st = os.stat(str(item))
            yield (str(item), st.st_size, st.st_mtime_ns)


@functools.cache
def get_catalog() -> Catalog:
    """The catalog, loaded on first use and shared by the whole process.

    Building it from the data files takes a few hundred milliseconds (names are folded into
    lookup keys), so the built catalog is cached on disk, keyed by the data files' names, sizes
    and times: a command starts in tens of milliseconds. The cache is only ever a copy: any
    problem reading it rebuilds from the data."""
    import pickle
    import tempfile

    from openlicense.catalog.load import build_catalog

    try:
        path = cache_dir() / f"catalog-{_data_fingerprint()}.pickle"
    except OSError:
        return build_catalog()
    try:
        with path.open("rb") as handle:
            cached = pickle.load(handle)
        if isinstance(cached, Catalog):
            return cached
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
        pass
    catalog = build_catalog()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as out:
            pickle.dump(catalog, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, path)
        for stale in path.parent.glob("catalog-*.pickle"):
            if stale != path:  # built by an older catalog or code: never read again
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache is no error: the catalog just lives in memory
    return catalog

"""The catalog's disk cache, and the one catalog of the process.

Building the catalog from the data files takes a few hundred milliseconds (every name is folded
into its lookup keys), so the built catalog, keys and indexes included, is kept under the user
cache folder, keyed by the data files and the code that builds it. The cache is only ever a
copy, and an untrusted one: a shared CI cache or another user may have written it.

- It is JSON (``openlicense.catalog.codec``), never a pickle: reading it cannot run code.
- The file is one header line (format, key, length and SHA-256 of the payload) and the payload;
  the key, the digest and every value's type are checked when read.
- It is written to a temporary file in the same folder and renamed over the old one, so a reader
  sees a whole file or none, whatever runs at the same time.
- Anything wrong (missing, foreign, truncated, corrupt, another version, a FIFO or a link to a
  device in its place) and the catalog is rebuilt from the data, silently.

``OPENLICENSE_CACHE_DIR`` moves the folder; ``OPENLICENSE_NO_CACHE=1`` or
``use_disk_cache(False)`` (what a ``--no-cache`` option calls) neither reads nor writes it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openlicense.cachefolder import (
    cache_dir,
    disk_cache_enabled,
    prepared_data_dir,
    use_disk_cache,
)
from openlicense.catalog.index import Catalog

__all__ = [
    "BUILDERS",
    "cache_dir",
    "disk_cache_enabled",
    "get_catalog",
    "prepared_data_dir",
    "read_cache_file",
    "use_disk_cache",
    "write_cache_file",
]

#: The modules of ``openlicense.catalog`` whose code shapes the cached catalog: the records,
#: the ``Catalog`` class, the lookup keys, the builder and the encoding. A change to any of them
#: makes a new cache key (``tests/test_catalog_data.py`` checks that this list names every such
#: module).
BUILDERS: tuple[str, ...] = ("codec", "entries", "index", "keys", "load")

#: The first bytes of every cache file this module writes.
MAGIC = "openlicense-cache"
#: A cache file larger than this is not one of ours (the catalog is about 1.5 MB).
MAX_CACHE_BYTES = 64 * 1024 * 1024

# --------------------------------------------------------------------------------------------
# one verified file


def read_cache_file(path: Path, key: str) -> Any | None:
    """The JSON payload of cache file ``path`` if it is whole and was written under ``key``;
    ``None`` for anything else (missing, foreign, truncated, bad digest, not a regular file)."""
    import hashlib
    import json
    import stat

    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        )
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
            return None
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            raw = handle.read(MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)
    head, newline, payload = raw.partition(b"\n")
    if not newline or not head.startswith(b'{"magic"'):
        return None
    try:
        header = json.loads(head)
        if (
            type(header) is not dict
            or header.get("magic") != MAGIC
            or header.get("key") != key
            or header.get("length") != len(payload)
            or header.get("sha256") != hashlib.sha256(payload).hexdigest()
        ):
            return None
        return json.loads(payload)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None


def write_cache_file(path: Path, key: str, data: Any) -> None:
    """Write ``data`` as cache file ``path`` under ``key``, atomically; ``OSError`` if it cannot."""
    import hashlib
    import json
    import tempfile

    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps(
        {
            "magic": MAGIC,
            "key": key,
            "length": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest(),
        }
    ).encode("ascii")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=".tmp-", delete=False) as out:
        try:
            out.write(header + b"\n" + payload)
        except BaseException:
            out.close()
            os.unlink(out.name)
            raise
    try:
        os.replace(out.name, path)
    except OSError:
        os.unlink(out.name)
        raise


# --------------------------------------------------------------------------------------------
# the catalog


def _data_fingerprint() -> str:
    """A digest of every data file's name, size and time, of the modules that build the
    catalog, and of the version: what the built catalog depends on."""
    import hashlib
    import importlib

    from openlicense import __version__
    from openlicense.catalog.codec import FORMAT
    from openlicense.catalog.load import data_file

    digest = hashlib.blake2b(f"{__version__}/{FORMAT}".encode(), digest_size=12)
    root = data_file("")
    for entry in sorted(_walk(root), key=lambda e: e[0]):
        digest.update(repr(entry).encode())
    # The code that builds the indexes is part of the key too: a changed name_key() must not
    # meet a catalog cached by the old one, nor a changed record class an old encoding of it.
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

    Read from the disk cache when a whole one of this code and data is there, else built from
    the data files (and cached for the next process). Never fails because of the cache."""
    from openlicense.catalog.codec import decode_catalog, encode_catalog
    from openlicense.catalog.load import build_catalog

    if not disk_cache_enabled():
        return build_catalog()
    try:
        key = _data_fingerprint()
        path = cache_dir() / f"catalog-{key}.json"
    except OSError:
        return build_catalog()
    data = read_cache_file(path, key)
    if data is not None:
        try:
            return decode_catalog(data)
        except ValueError:
            pass  # a file of the right digest but not our shape: foreign, rebuilt below
    catalog = build_catalog()
    try:
        write_cache_file(path, key, encode_catalog(catalog))
        # Catalogs of other code or data, and the pickles older versions wrote, are never read
        # again: remove them, so that a stale or planted file does not linger.
        for pattern in ("catalog-*.json", "catalog-*.pickle"):
            for stale in path.parent.glob(pattern):
                if stale != path:
                    stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache is no error: the catalog just lives in memory
    return catalog

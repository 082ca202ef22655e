"""Where openlicense keeps prepared data (the built catalog, its indexes), and whether it may.

One definition for every stage that caches: ``$OPENLICENSE_CACHE_DIR``, else the user cache
folder (``$XDG_CACHE_HOME/openlicense`` or ``~/.cache/openlicense``); ``OPENLICENSE_NO_CACHE=1``,
``--no-cache`` or :func:`use_disk_cache` turn it off. What is written there and how it is
verified is each cache's own business (``openlicense.catalog.cache``,
``openlicense.matching.index``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

__all__ = ["cache_dir", "disk_cache_enabled", "prepared_data_dir", "use_disk_cache"]

# The process-wide switch of ``use_disk_cache`` (one slot: ``None`` defers to the environment).
_switch: list[bool | None] = [None]


def use_disk_cache(enabled: bool | None) -> None:
    """Turn the disk cache off (``False``) or on (``True``) for this process; ``None`` goes back
    to ``$OPENLICENSE_NO_CACHE``. A catalog already loaded stays loaded."""
    _switch[0] = enabled


def disk_cache_enabled() -> bool:
    """Whether prepared data may be read from and written to ``cache_dir()``."""
    if _switch[0] is not None:
        return _switch[0]
    return os.environ.get("OPENLICENSE_NO_CACHE", "").strip().lower() in {"", "0", "false", "no"}


def cache_dir() -> Path:
    """Where openlicense keeps prepared data: ``$OPENLICENSE_CACHE_DIR``, else the user cache."""
    if os.environ.get("OPENLICENSE_CACHE_DIR"):
        return Path(os.environ["OPENLICENSE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "openlicense"


@functools.cache
def _private_dir() -> Path:
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="openlicense-no-cache-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def prepared_data_dir() -> Path:
    """Where an index that must live in a file (the matching index is memory-mapped) is built:
    ``cache_dir()`` when the disk cache is on, else a folder of this process alone, removed
    when it exits, so that nothing is read from or left in a shared cache."""
    return cache_dir() if disk_cache_enabled() else _private_dir()

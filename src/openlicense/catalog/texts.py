"""The reference license texts a catalog entry's ``text`` locator points at.

The reference texts are not copied into openlicense: ScanCode's license texts come from the
installed ``scancode-toolkit`` package (found without importing it, which would be slow), and
the SPDX texts through ScanCode's entry for the SPDX id. A license whose text neither has says
``text = "none"``; the development-corpus file its quotes were checked against, if any, is its
``corpus_text`` (read by the tests only).
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from openlicense.catalog.keys import fold

# ``fold`` lives in openlicense.catalog.keys, with the lookup keys that share its quote map;
# it is named here too because quote matching folds the texts this module reads.
__all__ = ["fold", "reference_text", "scancode_license_dir", "scancode_text"]


@functools.cache
def scancode_license_dir() -> Path | None:
    """The folder of ScanCode's ``<key>.LICENSE`` files in the installed scancode-toolkit."""
    spec = importlib.util.find_spec("licensedcode")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "licenses"
    return folder if folder.is_dir() else None


def scancode_text(key: str) -> str | None:
    """The text of ScanCode license ``key``, without its YAML front matter."""
    folder = scancode_license_dir()
    if folder is None:
        return None
    path = folder / f"{key}.LICENSE"
    if not path.is_file():
        return None
    raw = path.read_text(encoding="utf-8")
    if raw.startswith("---"):
        parts = raw.split("---", 2)
        if len(parts) == 3:
            return parts[2].lstrip("\n")
    return raw


def reference_text(locator: str | None) -> str | None:
    """Resolve a catalog ``text`` locator: ``scancode:<key>`` or ``spdx:<id>`` (else ``None``)."""
    if not locator or locator == "none":
        return None
    scheme, _, rest = locator.partition(":")
    if scheme == "scancode":
        return scancode_text(rest)
    if scheme == "spdx":
        from openlicense.catalog.cache import get_catalog

        entry = get_catalog().get(rest)
        return scancode_text(entry.scancode_key) if entry and entry.scancode_key else None
    return None

"""The corpus a scan walks: several folders (and Hub repositories) as one stream of items.

The walk of one folder is :func:`openlicense.read.discover.iter_items`, which yields the items
of ``find_items`` in the same order while it goes on; here several paths become one stream in
which an item two overlapping paths reach comes once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from openlicense.read.discover import Item, ScanError, iter_items

__all__ = ["Corpus", "iter_items"]  # iter_items: re-exported from read.discover


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class Corpus:
    """The folders (or files) a scan walks, checked now and walked lazily.

    Iterating gives the items of each path in turn, as :func:`iter_items` finds them; an item
    that two overlapping paths both reach comes once, where it was first found (as a list of
    ``find_items`` results deduplicated in first-seen order would). Only items that lie under
    more than one of the paths are remembered for that, so paths that do not overlap cost no
    memory per item. ``roots`` are the paths, normalized: the scan looks for base models under
    them (:mod:`openlicense.batch.corpus`).
    """

    def __init__(
        self, paths: Iterable[str | os.PathLike[str]], *, listed: Iterable[Item] = ()
    ) -> None:
        """``listed``: items given as they are (Hub repositories), yielded before the walk."""
        self.listed: tuple[Item, ...] = tuple(listed)
        self.roots: tuple[str, ...] = tuple(os.path.normpath(os.fspath(p)) for p in paths)
        for root in self.roots:
            if not os.path.lexists(root):
                raise ScanError(f"{root}: no such file or folder")

    def __iter__(self) -> Iterator[Item]:
        yield from self.listed
        seen: set[str] = set()
        for i, root in enumerate(self.roots):
            others = [r for j, r in enumerate(self.roots) if j != i and r != root]
            if root in self.roots[:i]:
                continue  # the same path twice: all of its items were given already
            for item in iter_items(root):
                if others and any(_under(item.path, other) for other in others):
                    if item.path in seen:
                        continue
                    seen.add(item.path)
                yield item

    def __repr__(self) -> str:
        return f"Corpus({list(self.roots)!r})"

"""Discovery as a stream: the items of :func:`~openlicense.read.discover.find_items`, in the same
order, yielded while the walk goes on, so that a scan analyzes the first items before the last
folders are listed.

``find_items`` lists the whole tree, then sorts the paths. The walk here gives the same sequence
lazily: it keeps a heap of what is known but not yet yielded, items by their path and folders
not yet listed by their own path. Every item under a folder has a path that starts with the
folder's, so it sorts at or after it: popping the least entry and listing it when it is a folder
yields the items in sorted order exactly, while holding only the listings of the folders on the
way (the frontier), never the whole tree. What an item is (a repository, a flat card, a MOT
file, a license file) is asked of :mod:`openlicense.read.discover` itself, through the same
helpers ``find_items`` uses; ``tests/test_scan.py`` checks that both give the same items.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Iterable, Iterator

from openlicense.read import discover
from openlicense.read.discover import Item, ScanError, item_for_path

__all__ = ["Corpus", "iter_items"]


def iter_items(folder: str | os.PathLike[str]) -> Iterator[Item]:
    """The items of ``find_items(folder)``, in the same order, as the walk finds them.

    Raises :class:`ScanError` at once (not on the first ``next``) when ``folder`` is missing.
    """
    root = os.path.normpath(os.fspath(folder))
    if not os.path.lexists(root):
        raise ScanError(f"{root}: no such file or folder")
    if not os.path.isdir(root):
        return iter([item_for_path(root)])
    return _walk(root)


def _walk(root: str) -> Iterator[Item]:
    root_real = os.path.realpath(root)
    # (sort key, tie-breaker, the item to yield or None for a folder to list, folder in a repo)
    heap: list[tuple[str, int, Item | None, bool]] = [(root, 0, None, False)]
    pushed = 1

    def push(key: str, item: Item | None, in_repo: bool = False) -> None:
        nonlocal pushed
        heapq.heappush(heap, (key, pushed, item, in_repo))
        pushed += 1

    while heap:
        current, _, found, in_repo = heapq.heappop(heap)
        if found is not None:
            yield found
            continue
        # The body of find_items' loop, pushing instead of appending.
        listing = discover._list_folder(current, root_real)
        if isinstance(listing, Item):
            yield listing  # its path is the least key left: nothing can come before it
            continue
        files, folders = listing
        here_repo = discover._is_repository(current, files)
        if here_repo:
            push(current, Item(current, "hf-repo"))
        owned = in_repo or here_repo
        licenses_folder = os.path.basename(current).lower() in discover._LICENSES_FOLDER
        prefixes: set[str] = set()
        for name in files:
            flat = discover._FLAT_CARD.match(name)
            if flat:
                prefixes.add(flat.group("prefix"))
                path = os.path.join(current, name)
                push(path, Item(path, "model-card"))
        for name in files:
            if discover._FLAT_CARD.match(name) or _has_prefix(name, prefixes):
                continue
            path = os.path.join(current, name)
            if discover.is_yaml_name(name.lower()):
                if discover.looks_like_mot(path):
                    push(path, Item(path, "mot"))
            elif not owned and discover._is_license_file(name, licenses_folder):
                push(path, Item(path, "license-file"))
        for name in folders:
            path = os.path.join(current, name)
            push(path, None, owned)


def _has_prefix(name: str, prefixes: set[str]) -> bool:
    """Does ``name`` start with one of ``prefixes`` (each ending with a dot, ``owner__repo.``)?

    ``find_items`` tries every prefix on every name, which is quadratic in a folder of flat cards
    (5,000 cards and their companions: 50 million comparisons before the first item); a prefix
    ends with a dot, so the name's own prefixes up to each of its dots are looked up instead."""
    if not prefixes:
        return False
    dot = name.find(".")
    while dot != -1:
        if name[: dot + 1] in prefixes:
            return True
        dot = name.find(".", dot + 1)
    return False


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

    def __init__(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        self.roots: tuple[str, ...] = tuple(os.path.normpath(os.fspath(p)) for p in paths)
        for root in self.roots:
            if not os.path.lexists(root):
                raise ScanError(f"{root}: no such file or folder")

    def __iter__(self) -> Iterator[Item]:
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

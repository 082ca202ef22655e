"""What a path is, and every release under a folder: the one place that says what a model card,
a license file, a Model Openness Tool file and a model repository look like.

``check`` uses it to choose a reader for the path it is given
(:func:`openlicense.report.read_release`), the Hugging Face reader to pick a repository's card
and its companion files (:mod:`openlicense.release.hf`), and ``scan`` to walk a corpus
(:func:`find_items`). The names are looked at, never the contents, except for two probes that
read the first bytes of a file: a card's opening ``---`` and a YAML file's ``release:`` key.

Two questions about license files are asked, and they have different answers on purpose:

- a **companion** (:func:`is_companion`) is a file beside a model card that the card's reader
  identifies: any name that says license, policy or notice (``MODEL_LICENSE``,
  ``llama_license.txt``, ``ACCEPTABLE_USE_POLICY.md``), since it belongs to that release;
- a **standalone license file** (:func:`is_license_name`) is an item of a scan on its own: only
  names that *start* as a license file does (``LICENSE*``, ``COPYING*``, ``NOTICE*``,
  ``USE_POLICY*``, ``*.license``), since a corpus holds many files that merely mention the word.

Both exclude names whose suffix says code, configuration or an image; a scan, which walks whole
corpora, also excludes data, archives and weights (:data:`DATA_SUFFIXES`).
"""

from __future__ import annotations

import errno
import heapq
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from openlicense.errors import OpenLicenseError

__all__ = [
    "CARD_NAMES",
    "CODE_SUFFIXES",
    "DATA_SUFFIXES",
    "Item",
    "ItemKind",
    "ScanError",
    "find_items",
    "is_companion",
    "is_license_name",
    "is_model_card_name",
    "is_yaml_name",
    "item_for_path",
    "iter_items",
    "looks_like_mot",
]


class ScanError(OpenLicenseError, ValueError):
    """A scan cannot start: a missing folder, an executor that is not installed, an output file
    that cannot be resumed. (Bad *items* never raise: they become results with ``error``.)"""


#: How an item was found, named as :class:`openlicense.model.Release` names its ``format``;
#: ``folder`` is a folder that could not be listed (always with ``error`` set).
ItemKind = Literal["hf-repo", "model-card", "mot", "license-file", "folder"]


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to analyze: a path and how it was recognized.

    An item with ``error`` set was found but cannot be analyzed (a folder that cannot be
    listed); :func:`openlicense.batch.scan` turns it into an error result without sending it to
    a worker.
    """

    path: str
    kind: ItemKind
    error: str | None = None
    error_type: str | None = None


# --------------------------------------------------------------------------------------------
# the facts

#: A repository's model card, in the order the Hugging Face reader prefers them (it then takes
#: any ``readme.md`` whatever its case).
CARD_NAMES = ("README.md", "readme.md", "Readme.md", "README.MD", "README.markdown")
#: What marks a folder as a repository to scan, compared lowercased. ``readme.markdown`` in any
#: case is one (and the reader then says why it has no card it can read).
_REPOSITORY_CARDS = frozenset({"readme.md", "readme.markdown"})
#: ``owner__repo.README.md``: a model card in the flat layout of a corpus; the files sharing
#: its ``owner__repo.`` prefix are its companions.
_FLAT_CARD = re.compile(r"^(?P<prefix>.+__.+?\.)readme\.md$", re.IGNORECASE)

_YAML_SUFFIXES = (".yml", ".yaml")
#: How much of a YAML file is searched for a top-level ``release:`` key: Model Openness Tool
#: files put it within the first lines, and a big YAML file is data, not a release manifest.
_MOT_PROBE_BYTES = 64 * 1024
_MOT_RELEASE_KEY = re.compile(rb"^[\"']?release[\"']?[ \t]*:", re.MULTILINE)
_FRONT_MATTER_PROBE_BYTES = 64

#: Suffixes of code, configuration and images: a file so named is not a license text, though
#: its name may say license (license_check.py, license.json, LICENSE.png).
CODE_SUFFIXES = frozenset(
    ".py .js .ts .ipynb .sh .json .yaml .yml .toml .cfg .ini .lock .png .jpg .jpeg .gif".split()  # noqa: SIM905
)
#: Suffixes of data, more images, weights and archives, which a scan of a whole corpus meets
#: (a license folder's index, a weights file named for its license).
DATA_SUFFIXES = frozenset(
    {
        ".jsonl", ".csv", ".tsv", ".svg", ".webp", ".safetensors", ".gguf", ".onnx", ".bin",
        ".pt", ".pth", ".ckpt", ".pkl", ".h5", ".msgpack", ".zip", ".gz", ".tar", ".pyc",
    }
)  # fmt: skip
_NOT_A_TEXT = CODE_SUFFIXES | DATA_SUFFIXES

#: A companion is any file whose name says license, policy or notice.
_COMPANION = re.compile(
    r"licen[cs]e|^copying|^notice|use[_\-. ]?policy|^aup\b|acceptable[_\-. ]?use", re.I
)
_LICENSE_PREFIX = re.compile(r"^licen[cs]e", re.IGNORECASE)
_LICENSE_NAME = re.compile(r"^(?:licen[cs]e|copying|use[_\-]?policy|notice)", re.IGNORECASE)
_LICENSES_FOLDER = frozenset({"licenses", "licences"})


def is_model_card_name(name: str) -> bool:
    """Is a file so named (lowercased) a model card: ``README.md``, ``owner__repo.README.md``?"""
    return name.endswith("readme.md") or name == "readme"


def is_yaml_name(name: str) -> bool:
    """Is a file so named (lowercased) YAML, as a Model Openness Tool file is?"""
    return name.endswith(_YAML_SUFFIXES)


def is_companion(name: str) -> bool:
    """Is a file beside a model card (its name, or in the flat layout the part after the
    ``owner__repo.`` prefix) one of the release's license, policy or notice texts?"""
    if name.lower().startswith("readme"):
        return False
    suffix = Path(name.lower().removesuffix(".txt")).suffix
    return bool(_COMPANION.search(name)) and suffix not in CODE_SUFFIXES


def is_license_name(name: str) -> bool:
    """Is a file so named a standalone license file: ``LICENSE*``, ``LICENCE*``, ``COPYING*``,
    ``USE_POLICY*``, ``NOTICE*``, ``*.license``, also after an ``owner__repo.`` prefix?"""
    if _suffix(name) in _NOT_A_TEXT:
        return False
    if name.lower().endswith(".license") or _LICENSE_NAME.match(name):
        return True
    head, dot, rest = name.partition(".")
    return bool(dot) and "__" in head and _LICENSE_NAME.match(rest) is not None


def looks_like_mot(path: str) -> bool:
    """Does a YAML file have a top-level ``release:`` key in its first 64 KiB (found by reading
    the lines, not by parsing)? A file that cannot be read counts: analyzing it says why."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_MOT_PROBE_BYTES)
    except OSError:
        return True
    return _MOT_RELEASE_KEY.search(head) is not None


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


# --------------------------------------------------------------------------------------------
# one path, and a folder tree


def item_for_path(path: str | os.PathLike[str]) -> Item:
    """The item for a path named explicitly, recognized by what it is, as ``analyze`` does."""
    p = os.fspath(path)
    name = os.path.basename(p.rstrip(os.sep)).lower()
    if os.path.isdir(p):
        return Item(p, "hf-repo")
    if is_yaml_name(name):
        return Item(p, "mot")
    if is_model_card_name(name):
        return Item(p, "model-card")
    return Item(p, "license-file")


def find_items(folder: str | os.PathLike[str]) -> list[Item]:
    """Every release under ``folder``, sorted by path (:func:`iter_items`, as a list).

    - a **model repository** (``hf-repo``): a folder whose ``README.md`` opens with YAML front
      matter, or any folder with a ``README.md`` and a ``LICENSE*`` file. The repository owns
      the license files beneath it (its reader reads them); repositories, flat model cards and
      Model Openness Tool files beneath it are still items of their own;
    - a **flat model card** (``model-card``): ``owner__repo.README.md``; the files sharing its
      ``owner__repo.`` prefix are its companions, not items;
    - a **Model Openness Tool file** (``mot``): ``*.yml``/``*.yaml`` with a top-level
      ``release:`` key (found by reading the first lines, not by parsing);
    - a **standalone license file** (``license-file``): ``LICENSE*``, ``LICENCE*``,
      ``COPYING*``, ``USE_POLICY*``, ``NOTICE*``, ``*.license`` (also after an ``owner__repo.``
      prefix), and any text file in a folder named ``licenses``, outside every repository.

    Hidden files and folders are skipped. Symbolic links are never followed out of the tree,
    and linked folders are not descended (the real folder is walked where it is). These become
    items with ``error`` set, never silently dropped: a folder that cannot be listed; a link
    that leaves the tree (to a file whose name makes it an item, or to any folder), loops, or
    leads nowhere; a FIFO, socket or device whose name makes it an item. (Inside a repository
    its reader reads its own files.) A path that is a file gives one item.
    """
    return list(iter_items(folder))


def iter_items(folder: str | os.PathLike[str]) -> Iterator[Item]:
    """The items of :func:`find_items`, in the same order, yielded as the walk finds them, so
    that a scan analyzes the first items before the last folders are listed.

    The walk keeps a heap of what is known but not yet yielded: items by their path, and
    folders not yet listed by their own path. Every item under a folder has a path that starts
    with the folder's, so it sorts at or after it: popping the least entry, and listing it when
    it is a folder, yields the items in sorted order exactly while holding only the listings of
    the folders on the way, never the whole tree. Raises :class:`ScanError` at once (not on the
    first ``next``) when ``folder`` is missing.
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
        listing = _list_folder(current, root_real)
        if isinstance(listing, Item):
            yield listing  # its path is the least key left: nothing can come before it
            continue
        files, folders, refused = listing
        here_repo = _is_repository(current, files)
        if here_repo:
            push(current, Item(current, "hf-repo"))
        owned = in_repo or here_repo
        licenses_folder = os.path.basename(current).lower() in _LICENSES_FOLDER
        prefixes: set[str] = set()
        for name in files:
            flat = _FLAT_CARD.match(name)
            if flat:
                prefixes.add(flat.group("prefix"))
                path = os.path.join(current, name)
                push(path, Item(path, "model-card"))
        for name in files:
            if _FLAT_CARD.match(name) or _has_prefix(name, prefixes):
                continue  # a flat card, or one of its companions (read with the card)
            path = os.path.join(current, name)
            if is_yaml_name(name.lower()):
                if looks_like_mot(path):
                    push(path, Item(path, "mot"))
            elif not owned and _is_license_file(name, licenses_folder):
                push(path, Item(path, "license-file"))
        for name, (message, error_type, is_folder) in refused.items():
            path = os.path.join(current, name)
            kind: ItemKind | None = "folder" if is_folder else None
            if kind is None and _FLAT_CARD.match(name):
                kind = "model-card"
            elif kind is None and is_yaml_name(name.lower()):
                kind = "mot"
            elif kind is None and not owned and _is_license_file(name, licenses_folder):
                kind = "license-file"
            if kind is not None:
                push(path, Item(path, kind, f"{path}: {message}", error_type))
        for name in folders:
            path = os.path.join(current, name)
            push(path, None, owned)


def _has_prefix(name: str, prefixes: set[str]) -> bool:
    """Does ``name`` start with one of ``prefixes`` (each ending with a dot, ``owner__repo.``)?

    Trying every prefix on every name would be quadratic in a folder of flat cards (5,000 cards
    and their companions: 50 million comparisons before the first item); a prefix ends with a
    dot, so the name's own prefixes up to each of its dots are looked up instead."""
    if not prefixes:
        return False
    dot = name.find(".")
    while dot != -1:
        if name[: dot + 1] in prefixes:
            return True
        dot = name.find(".", dot + 1)
    return False


#: Entries of a folder that are not read, by name: (message, error type, whether a folder).
_Refused = dict[str, tuple[str, str, bool]]


def _list_folder(folder: str, root_real: str) -> tuple[list[str], list[str], _Refused] | Item:
    """The visible files and real sub-folders of ``folder`` and the entries refused (with
    why), or an error item."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        error_type = (
            "MissingInputError" if isinstance(exc, FileNotFoundError) else "UnreadableInputError"
        )
        reason = exc.strerror or str(exc)
        return Item(folder, "folder", f"{folder}: cannot list the folder: {reason}", error_type)
    files: list[str] = []
    folders: list[str] = []
    refused: _Refused = {}
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_symlink():
                _sort_link(entry, root_real, files, refused)
            elif entry.is_dir(follow_symlinks=False):
                folders.append(entry.name)
            elif entry.is_file(follow_symlinks=False):
                files.append(entry.name)
            else:
                mode = entry.stat(follow_symlinks=False).st_mode
                refused[entry.name] = (f"{_file_type(mode)}, not a file", "NotAFileError", False)
        except OSError:
            continue  # vanished while listing: nothing to read
    return files, folders, refused


def _sort_link(
    entry: os.DirEntry[str], root_real: str, files: list[str], refused: _Refused
) -> None:
    """A symbolic link: a file of the tree, a folder walked where it is, or refused."""
    try:
        mode = os.stat(entry.path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            refused[entry.name] = (
                "a symbolic link loop; not followed",
                "UnreadableInputError",
                False,
            )
        elif exc.errno == errno.ENOENT:
            target = os.readlink(entry.path)
            message = f"a symbolic link to {target!r}, which does not exist"
            refused[entry.name] = (message, "MissingInputError", False)
        else:
            refused[entry.name] = (
                f"cannot follow the link: {exc.strerror}",
                "UnreadableInputError",
                False,
            )
        return
    target = os.path.realpath(entry.path)
    if not (target == root_real or target.startswith(root_real + os.sep)):
        message = f"a symbolic link out of the scanned folder (to {target!r}); not followed"
        refused[entry.name] = (message, "UnreadableInputError", stat.S_ISDIR(mode))
    elif stat.S_ISREG(mode):
        files.append(entry.name)
    elif not stat.S_ISDIR(mode):
        # A linked folder inside the tree is walked where it really is; descending the link
        # too would report it twice (or loop forever on a cycle).
        refused[entry.name] = (f"a link to {_file_type(mode)}, not a file", "NotAFileError", False)


def _file_type(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _is_repository(folder: str, files: Sequence[str]) -> bool:
    readme = next((f for f in files if f.lower() in _REPOSITORY_CARDS), None)
    if readme is None:
        return False
    if any(_LICENSE_PREFIX.match(f) for f in files):
        return True
    return _has_front_matter(os.path.join(folder, readme))


def _has_front_matter(path: str) -> bool:
    # Only whether the card opens with "---": a probe, not a reading (that is the reader's, with
    # openlicense.read.frontmatter, which reports what is wrong with the YAML).
    try:
        with open(path, "rb") as fh:
            head = fh.read(_FRONT_MATTER_PROBE_BYTES)
    except OSError:
        # An unreadable card still marks a repository, so that analyze() reports why it cannot
        # be read instead of the folder silently not being scanned.
        return True
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"---")


def _is_license_file(name: str, in_licenses_folder: bool) -> bool:
    if in_licenses_folder:
        return _suffix(name) not in _NOT_A_TEXT
    return is_license_name(name)

"""The licenses of base models found in the same corpus, looked up by the workers on demand.

A derivative's card names its base model (``base_model: acme/base``); when the base is in the
corpus too, its declared license tells whether the derivative's own license could be granted (a
fine-tune relabelled ``apache-2.0`` over a ``cc-by-nc-4.0`` base is ``license-conflict``).

A scan streams, so no map of the whole corpus is built before the first item is analyzed: the
worker analyzing a derivative looks its base up where the corpus keeps a model of that name.
A repository's name is its last two folders (``…/acme/base`` is ``acme/base``, as the Hugging
Face reader names it) and a flat card's is its file name (``acme__base.README.md``), so the base
``acme/base`` of an item is one of

- ``A/acme/base/`` (its ``README.md``), or
- ``A/acme__base.README.md``,

for each folder ``A`` from the item's own folder up to the scanned folder that holds it (the
nearest one wins). That is a few ``stat`` calls per base, nothing per item without a base, and
the same answer whatever the order the items are analyzed in, so the results stay deterministic
and a result never waits for the rest of the corpus. The base's front matter is read with the
reader's own :func:`openlicense.read.frontmatter.parse_front_matter` (its first 64 KiB only), and
each worker remembers the last few thousand bases it read, so a base many derivatives name is
read once per worker.

What it does not find: a base that sits elsewhere than under an ancestor of the derivative (a
corpus split into shard folders, with the base in another shard), or whose folder's case
differs from both the spelling of ``base_model`` and its lowercase.
:func:`corpus_base_licenses` is the whole-corpus map over a list of items (the pre-pass scans
used to make before analyzing): it finds those too, at the price of reading every card first.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping, Sequence

from openlicense.read.discover import Item

__all__ = ["CorpusBases", "corpus_base_licenses", "declared_license"]

#: How much of a card is read for its front matter: a front matter that does not close within
#: it is not read (the worker analyzing that card reads it whole and reports it).
_CARD_HEAD_CHARS = 65_536
#: Bases remembered per worker process (a path and an expression each).
_REMEMBERED = 4096


def declared_license(card: str) -> str | None:
    """The license a model card's front matter declares (``license``, or ``license_name`` when
    it is ``other``), as written; ``None`` when it declares none or cannot be read."""
    from openlicense.read.frontmatter import parse_front_matter  # YAML: only when needed

    try:
        with open(card, encoding="utf-8") as handle:
            head = handle.read(_CARD_HEAD_CHARS)
        data = parse_front_matter(head, path=card).data
    except Exception:  # RecursionError on deep nesting, too
        # The card's own item reports what is wrong with it; a derivative naming it as its base
        # just does not learn its license.
        return None
    declared = data.get("license_name") if data.get("license") == "other" else data.get("license")
    return str(declared) if declared else None


@functools.lru_cache(maxsize=_REMEMBERED)
def _card_expression(card: str) -> str | None:
    from openlicense.normalization import normalize

    declared = declared_license(card)
    return normalize(declared).expression if declared else None


def _model_name(name: str) -> tuple[str, str] | None:
    """``owner/name`` split in two, or ``None`` for anything that is not a plain Hub id (so a
    base model can never make a worker look outside the folders it probes)."""
    owner, slash, repo = name.partition("/")
    if not slash or "/" in repo or os.sep in owner + repo or "\0" in name:
        return None
    if not owner or not repo or owner.startswith(".") or repo.startswith("."):
        return None  # hidden folders are not scanned; '.' and '..' are not names
    return owner, repo


class CorpusBases(Mapping[str, str]):
    """Model name → declared license expression of that model in the corpus, for one item.

    ``roots`` are the scanned folders and ``path`` the item being analyzed; a name is looked up
    in the folders between them (see the module's docstring). It is what
    :func:`openlicense.report.analyze` takes as ``corpus_licenses`` and asks with ``get``; it
    cannot be listed (``len`` is 0, iteration is empty): the corpus is not in memory.
    """

    __slots__ = ("_folders",)

    def __init__(self, roots: Sequence[str], path: str) -> None:
        root = max(
            (r for r in roots if path == r or path.startswith(r.rstrip(os.sep) + os.sep)),
            key=len,
            default=None,
        )
        folders: list[str] = []
        if root is not None and path != root:
            folder = os.path.dirname(path)
            while True:
                folders.append(folder)
                if folder == root or len(folder) <= len(root):
                    break
                folder = os.path.dirname(folder)
        self._folders = tuple(folders)

    def __getitem__(self, name: str) -> str:
        expression = self.get(name)
        if expression is None:
            raise KeyError(name)
        return expression

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        parts = _model_name(name) if isinstance(name, str) else None
        if parts is None:
            return default
        owner, repo = parts
        for folder in self._folders:
            card = _card_of(folder, owner, repo)
            if card is not None:
                expression = _card_expression(card)
                return expression if expression is not None else default
        return default

    def __bool__(self) -> bool:
        # True when there is somewhere to look: callers test ``if corpus_licenses:`` before
        # asking, and a mapping that cannot be listed has no length to say so.
        return bool(self._folders)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def _card_of(folder: str, owner: str, repo: str) -> str | None:
    """The card of model ``owner/repo`` kept in ``folder``, as a scan would find it."""
    owner_dir = os.path.join(folder, owner)
    repo_dir = os.path.join(owner_dir, repo)
    # A linked folder is not descended by the walk (its target is walked where it is), so a
    # model reached through a link is not one of the corpus's under this name.
    if os.path.isdir(repo_dir) and not os.path.islink(owner_dir) and not os.path.islink(repo_dir):
        card = os.path.join(repo_dir, "README.md")
        if os.path.isfile(card):
            return card
    flat = os.path.join(folder, f"{owner}__{repo}.README.md")
    return flat if os.path.isfile(flat) else None


def _card_facts(item: Item) -> tuple[str, str, list[str]] | None:
    """(model id, the card, base model ids) of a repository or model card item."""
    from openlicense.read.frontmatter import parse_front_matter

    path = item.path
    if os.path.isdir(path):
        card = os.path.join(path, "README.md")
        name = "/".join(os.path.normpath(path).split(os.sep)[-2:])
    elif path.endswith(".README.md") and "__" in os.path.basename(path):
        card = path
        name = os.path.basename(path).removesuffix(".README.md").replace("__", "/", 1)
    else:
        return None
    try:
        with open(card, encoding="utf-8") as handle:
            data = parse_front_matter(handle.read(_CARD_HEAD_CHARS), path=card).data
    except Exception:
        return None
    base = data.get("base_model") or []
    bases = [str(b) for b in (base if isinstance(base, list) else [base]) if b]
    return name, card, bases


def corpus_base_licenses(items: Sequence[Item]) -> dict[str, str]:
    """Model id → declared license expression, for the models of ``items`` other items build on.

    The whole-corpus map, wherever each model sits among the items: it reads every card's front
    matter first, so a scan does not use it (see :class:`CorpusBases`)."""
    facts = [f for f in (_card_facts(i) for i in items) if f is not None]
    wanted = {b.lower() for _, _, bases in facts for b in bases}
    out: dict[str, str] = {}
    for name, card, _ in facts:
        if name.lower() in wanted:
            expression = _card_expression(card)
            if expression:
                out[name] = expression
                out[name.lower()] = expression
    return out

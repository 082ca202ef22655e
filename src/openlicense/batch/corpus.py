"""The scan's pre-pass: the licenses of the models that other models of the same corpus build on.

A derivative's card names its base model (``base_model: acme/base``); when the base is in the
corpus too, its declared license tells whether the derivative's own license could be granted.
Before the items go to the workers, the cards are read once for their front matter (with the
reader's own :func:`openlicense.read.frontmatter.parse_front_matter`, so both agree on what a
card declares) and the workers are handed the licenses some item builds on.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from openlicense.read.discover import Item

__all__ = ["corpus_base_licenses"]

#: How much of a card is read for its front matter: a front matter that does not close within
#: it is not read (the worker reads the whole card and reports it).
_CARD_HEAD_CHARS = 65_536


def _card_facts(item: Item) -> tuple[str, str | None, list[str]] | None:
    """(model id, declared license, base model ids) of a repository or model card item."""
    from openlicense.read.frontmatter import parse_front_matter  # YAML: only when scanning

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
            head = handle.read(_CARD_HEAD_CHARS)
        data = parse_front_matter(head, path=card).data
    except Exception:  # RecursionError on deep nesting, too
        # The worker reads the card again and reports what is wrong with it as that item's
        # error; this pre-pass must never end the scan before it starts.
        return None
    if not data:
        return None
    declared = data.get("license_name") if data.get("license") == "other" else data.get("license")
    base = data.get("base_model") or []
    bases = [str(b) for b in (base if isinstance(base, list) else [base]) if b]
    return name, str(declared) if declared else None, bases


def corpus_base_licenses(items: Sequence[Item]) -> dict[str, str]:
    """Model id → declared license expression, for the corpus models other items build on."""
    from openlicense.normalization import normalize

    facts = [f for f in (_card_facts(i) for i in items) if f is not None]
    wanted = {b.lower() for _, _, bases in facts for b in bases}
    out: dict[str, str] = {}
    for name, declared, _ in facts:
        if declared and name.lower() in wanted:
            result = normalize(declared)
            if result.expression:
                out[name] = result.expression
                out[name.lower()] = result.expression
    return out

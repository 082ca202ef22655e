"""The model-card cues of ``data/model-card-cues.toml``, compiled once, on first use.

The wording by which the reader finds claims, data, code, documentation topics, derivation and
stated licenses in a card is data, with the provenance of each entry; the code only says what
to do with a match. The file's format is described at its top.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any, Literal

from openlicense.errors import CatalogError

__all__ = [
    "ClaimKind",
    "base_cue_relations",
    "claim_kinds",
    "data_sentences",
    "documentation_topics",
    "every_pattern",
    "pattern",
    "words",
]

ClaimKind = Literal["open-source", "open", "open-weights", "open-science"]

_DATA_FILE = "model-card-cues.toml"
_SLOT = re.compile(r"\$\{(\w+)\}")
#: Keys of an entry that are not slots.
_FIELDS = frozenset({"about", "source", "ignore_case", "template", "topic", "relation", "same_as"})
_CLAIM_KINDS = frozenset({"open-source", "open", "open-weights", "open-science"})


@functools.cache
def _table() -> dict[str, Any]:
    text = resources.files("openlicense").joinpath("data", _DATA_FILE).read_text("utf-8")
    return tomllib.loads(text)


def _compile(entry: Mapping[str, Any], where: str) -> re.Pattern[str]:
    """An entry's expression: its template with each ``${slot}`` replaced by the slot's
    phrases joined with ``|``; without a template, its ``phrases`` so joined."""
    if not entry.get("source"):
        raise CatalogError(f"data/{_DATA_FILE}: {where} says not where its wording came from")
    template = entry.get("template", "${phrases}")
    slots = {k: v for k, v in entry.items() if k not in _FIELDS}
    used = set(_SLOT.findall(template))
    if used != set(slots) or not all(
        isinstance(v, list) and v and all(isinstance(p, str) and p for p in v)
        for v in slots.values()
    ):
        raise CatalogError(
            f"data/{_DATA_FILE}: {where}: the slots of the template ({sorted(used)}) must be "
            f"the entry's lists of phrases ({sorted(slots)})"
        )
    expression = _SLOT.sub(lambda m: "|".join(slots[m.group(1)]), template)
    try:
        return re.compile(expression, re.IGNORECASE if entry.get("ignore_case") else 0)
    except re.error as exc:
        raise CatalogError(f"data/{_DATA_FILE}: {where} is not a valid expression: {exc}") from exc


@functools.cache
def pattern(name: str) -> re.Pattern[str]:
    """The compiled ``[pattern.NAME]``."""
    return _compile(_table()["pattern"][name], f"[pattern.{name}]")


@functools.cache
def words(name: str) -> tuple[str, ...]:
    """The ``words`` of ``[words.NAME]``, in file order."""
    entry = _table()["words"][name]
    if not entry.get("source"):
        raise CatalogError(f"data/{_DATA_FILE}: [words.{name}] says not where its words came from")
    return tuple(entry["words"])


@functools.cache
def data_sentences() -> tuple[re.Pattern[str], ...]:
    """The ``[[data_sentence]]`` patterns: a sentence saying what the model was trained on."""
    return tuple(
        _compile(entry, f"[[data_sentence]] {i + 1}")
        for i, entry in enumerate(_table()["data_sentence"])
    )


@functools.cache
def documentation_topics() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(topic, heading pattern) of each ``[[documentation_topic]]``, in the order reported."""
    out = []
    for entry in _table()["documentation_topic"]:
        same_as = entry.get("same_as")
        where = f"[[documentation_topic]] {entry['topic']!r}"
        out.append((entry["topic"], pattern(same_as) if same_as else _compile(entry, where)))
    return tuple(out)


@functools.cache
def base_cue_relations() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, relation) of each ``[[base_cue_relation]]``: the first that matches counts."""
    return tuple(
        (_compile(entry, f"[[base_cue_relation]] {entry['relation']!r}"), entry["relation"])
        for entry in _table()["base_cue_relation"]
    )


def every_pattern() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every compiled pattern of the file, each with where it is written: for audits of their
    cost (``tests/test_linear_patterns.py``)."""
    named = [(f"[pattern.{name}]", pattern(name)) for name in _table()["pattern"]]
    sentences = [(f"[[data_sentence]] {i + 1}", p) for i, p in enumerate(data_sentences())]
    topics = [(f"[[documentation_topic]] {t!r}", p) for t, p in documentation_topics()]
    relations = [(f"[[base_cue_relation]] {r!r}", p) for p, r in base_cue_relations()]
    return tuple(named + sentences + topics + relations)


@functools.cache
def claim_kinds() -> Mapping[str, ClaimKind]:
    """The claim kind of each named group of ``[pattern.claim]`` that is not plain "open"."""
    kinds = dict(_table()["claim_kinds"])
    if not set(kinds.values()) <= _CLAIM_KINDS:
        raise CatalogError(f"data/{_DATA_FILE}: [claim_kinds] names a kind that is not a claim")
    return kinds

"""What license a release's base model is under: known base models, and the rest of a corpus.

A derivative stays bound by its base model's terms, so ``license-conflict`` needs the base
model's license. It is known when:

- the base model is one of the well-known ones in ``data/base-models.toml`` (by Hugging Face
  repository id, or by the name a card writes: "a merge of LLaMA2 70B finetunes", which the
  model-card reader turns into a base model);
- the base model is in the same corpus (``scan`` passes the licenses it has read);
- the card gives it.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from openlicense.model import BaseModel, Component, Release
from openlicense.normalization import normalize

__all__ = [
    "AS_BASE",
    "KnownBase",
    "first_release",
    "is_known_base",
    "known_bases",
    "resolve_base_licenses",
]


#: ``matched_by`` of a weights' license the card states as its base model's ("same licence as
#: LLaMA"): unknown until the base's license is, then that license.
AS_BASE = "base-model"


@dataclass(frozen=True, slots=True)
class KnownBase:
    repos: tuple[str, ...]
    names: tuple[str, ...]
    license: str
    source: str
    first_of: str | None = None  # the family whose first release this is ("LLaMA")

    def matches_repo(self, repo: str) -> bool:
        return any(fnmatch.fnmatch(repo.lower(), p.lower()) for p in self.repos)


@functools.cache
def known_bases() -> tuple[KnownBase, ...]:
    raw = tomllib.loads(
        resources.files("openlicense")
        .joinpath("data")
        .joinpath("base-models.toml")
        .read_text("utf-8")
    )
    return tuple(
        KnownBase(
            tuple(b["repos"]),
            tuple(b.get("names", ())),
            b["license"],
            b["source"],
            b.get("first_of"),
        )
        for b in raw["base"]
    )


@functools.cache
def _name_pattern() -> re.Pattern[str]:
    names = sorted({n for b in known_bases() for n in b.names}, key=len, reverse=True)
    alternation = "|".join(re.escape(n).replace(r"\ ", r"[\s\-]?") for n in names)
    return re.compile(rf"(?<![\w.])(?:{alternation})(?![\w.])", re.IGNORECASE)


#: A version number after a family's name, not a size: "Llama 2", "Llama-3.1", "LLaMA v2"
#: (and not "LLaMA 13B", "LLaMA-30B").
_LATER_VERSION = r"(?![\s\-]*(?:v|version\s*)?(?:[2-9]|\d+\.\d)(?!\d*\s*[bBmMkK]\b))"


@functools.cache
def _first_pattern() -> re.Pattern[str]:
    """The first release of a family named by an ordinal instead of a version: "the original
    LLaMA", "first-generation LLaMA", "the initial release of Meta's LLaMA", "LLaMA (v1)"."""
    families = sorted({b.first_of for b in known_bases() if b.first_of}, key=len, reverse=True)
    family = "|".join(re.escape(f) for f in families) or r"(?!x)x"
    ordinal = (
        r"(?:very\s+)?(?:original|first|initial)(?:[\s\-]+(?:generation|release))?[\s\-]+"
        r"(?:(?:release|version)\s+of\s+(?:the\s+)?)?(?:[\w.\-]+['\u2019]s\s+)?"
    )
    return re.compile(
        rf"(?<![\w.])(?:{ordinal}(?P<f1>{family})(?!\w|\.\w){_LATER_VERSION}"
        rf"|(?P<f2>{family})\s*\(\s*v(?:ersion\s*)?1\s*\))",
        re.IGNORECASE,
    )


def first_release(text: str) -> str | None:
    """The first release of a family named at the start of ``text`` ("the original LLaMA
    model ..." -> "original LLaMA"), as written; ``None`` when the text starts otherwise."""
    lead = re.match(r"(?:(?:the|a|an)\s+)?", text, re.IGNORECASE)
    m = _first_pattern().match(text, lead.end() if lead else 0)
    return m.group().strip() if m else None


@functools.cache
def _family_words() -> frozenset[str]:
    """The first word of every listed name ("llama", "gemma", "qwen", "mistral", ...)."""
    return frozenset(
        re.split(r"[\s\-]", n, maxsplit=1)[0].casefold() for b in known_bases() for n in b.names
    )


#: A size written before a model family's name: "a 13B LLaMA", "Meta's 33B-parameter LLaMA".
_SIZE_FIRST = re.compile(
    r"(?<![\w.])(?P<size>\d+(?:\.\d+)?[bBmM])(?:[\s\-]*param(?:eter)?s?)?[\s\-]+"
    r"(?P<family>(?P<word>[A-Za-z][\w.]*)(?:[\s\-]+v?\d+(?:\.\d+)?(?![\w.]))?)"
)


def size_after_name(text: str) -> str:
    """``text`` with a size written before a listed family's name (and its version) put after
    it, as the names are listed ("a 13B LLaMA model" -> "a LLaMA 13B model", "a 70B Llama 2"
    -> "a Llama 2 70B"); other text is unchanged."""

    def swap(m: re.Match[str]) -> str:
        if m.group("word").casefold() not in _family_words():
            return m.group()
        return f"{m.group('family')} {m.group('size')}"

    return _SIZE_FIRST.sub(swap, text)


def _by_name(text: str) -> KnownBase | None:
    text = size_after_name(text)
    m = _name_pattern().search(text)
    if m:
        found = re.sub(r"[\s\-]", "", m.group().lower())
        for base in known_bases():
            if any(re.sub(r"[\s\-]", "", n.lower()) == found for n in base.names):
                return base
    first = _first_pattern().search(text)
    if first:
        family = (first.group("f1") or first.group("f2")).casefold()
        return next(
            (b for b in known_bases() if b.first_of and b.first_of.casefold() == family), None
        )
    return None


def is_known_base(name: str) -> bool:
    """Does ``name`` name one of the well-known base models ("LLaMA-30B", "the original
    LLaMA", "a 70B Llama 2")?"""
    return _by_name(name) is not None


def resolve_base_licenses(
    release: Release, corpus_licenses: Mapping[str, str] | None = None
) -> Release:
    """The release with its base models' licenses filled in where they can be known."""
    bases = list(release.base_models)
    if not bases:
        return release
    resolved = []
    for base in bases:
        if base.license is not None:
            resolved.append(base)
            continue
        expression = None
        if corpus_licenses:
            expression = corpus_licenses.get(base.name) or corpus_licenses.get(base.name.lower())
        if expression is None:
            known = next((b for b in known_bases() if b.matches_repo(base.name)), None)
            known = known or _by_name(base.name)
            expression = known.license if known else None
        resolved.append(
            dataclasses.replace(base, license=normalize(expression)) if expression else base
        )
    return _inherit_base_terms(dataclasses.replace(release, base_models=tuple(resolved)))


def _stated_as_base(
    component: Component, binding: list[tuple[str, BaseModel]]
) -> list[tuple[str, BaseModel]]:
    """The binding bases whose license the card states as the weights': all of them for a
    statement by reference (``AS_BASE``), the one a family's name leaves open ("the LLaMA
    license", ambiguous between the LLaMA versions) for a base of that family. A card that
    states no license at all has none (``missing-license``), base or not: the corpus's labels
    (gold/cards.jsonl) say so."""
    lic = component.license
    if component.kind != "parameters" or lic is None:
        return []
    if lic.matched_by == AS_BASE:
        return binding
    if lic.status == "ambiguous":
        return [(e, b) for e, b in binding if e in lic.candidates]
    return []


def _inherit_base_terms(release: Release) -> Release:
    """A derivative's weights stay under the terms of a base whose license is not open (the
    LLaMA and Llama 2 licenses bind what is made from the model): when the card declares open
    terms (Apache-2.0, MIT), the weights' license is the declared one AND the base's, and the
    base model's line is a source of it. A base under OSAID-conformant terms lets a derivative
    choose its license."""
    binding: list[tuple[str, BaseModel]] = [
        (b.license.expression, b)
        for b in release.base_models
        if b.license is not None
        and b.license.ok
        and b.license.expression
        and b.license.osaid_conformant is False
    ]
    if not binding:
        return release
    components = []
    for c in release.components:
        chosen = _stated_as_base(c, binding)
        # Weights whose card names the base's license as theirs ("same licence as LLaMA", "the
        # LLaMA license" of a LLaMA derivative) are under the base's.
        inherited = _under(c, [e for e, _ in chosen], chosen) if chosen else None
        if inherited is not None:
            components.append(inherited)
            continue
        own = c.license.expression if c.license is not None and c.license.ok else None
        # Only a label that claims open terms hides the base's: a derivative declared under
        # restrictive terms of its own (CC-BY-NC over Llama 2) keeps its label, and the judge
        # still applies the base's terms through the base model and license-conflict.
        if (
            c.kind != "parameters"
            or own is None
            or c.license is None
            or c.license.osaid_conformant is not True
        ):
            components.append(c)
            continue
        extra = [(e, b) for e, b in binding if e not in str(own)]
        if not extra:
            components.append(c)
            continue
        components.append(_under(c, [str(own), *(e for e, _ in extra)], extra) or c)
    return dataclasses.replace(release, components=tuple(components))


def _under(
    component: Component, terms: list[str], bases: list[tuple[str, BaseModel]]
) -> Component | None:
    """``component`` under all of ``terms`` (AND), citing the lines that name ``bases`` too;
    None when the terms do not make an expression."""
    unique = dict.fromkeys(terms)
    combined = normalize(" AND ".join(f"({t})" if " " in t else t for t in unique))
    if not combined.ok:
        return None
    sources = (*component.sources, *(b.source for _, b in bases if b.source is not None))
    return dataclasses.replace(component, license=combined, sources=tuple(dict.fromkeys(sources)))

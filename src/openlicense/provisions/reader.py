"""``read_provisions``: structure, definitions, modality, detection and freedoms in one pass.

The stages run in this order and only forward: split the text into provisions; find the
concepts of each; find the defined terms and the licensor's name; decide each provision's
modality (inheriting it from lead-ins, restriction headings and referring clauses); raise
flags by the lexicon's rules and by the sentence classifier; read the freedoms.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Sequence
from typing import NamedTuple

from openlicense.collector import collector_paused
from openlicense.provisions.classifier import Classifier, classifier
from openlicense.provisions.definitions import TermIndex, find_definitions
from openlicense.provisions.detection import Reading, rule_hits
from openlicense.provisions.freedoms import conformant, read_freedoms
from openlicense.provisions.lexicon import Lexicon, lexicon, tokens
from openlicense.provisions.modality import (
    SUBJECT_WINDOW,
    modality_of,
    restricting_context,
)
from openlicense.provisions.model import Hit, Modality, Provision, ProvisionReading
from openlicense.provisions.structure import MAX_PROVISION, split_provisions

__all__ = ["read_provisions", "readings_of"]

_NAME_BEFORE_GRANT = re.compile(
    r"([A-Z][\w&.-]{1,30}(?:[ \t]{1,2}[A-Z][\w&.-]{1,30}){0,3})[ \t]{1,2}"
    r"(?:\([^()\n]{0,30}\)[ \t]{1,2})?(?:hereby[ \t]{1,2})?(?:grants|permits|makes|offers)\b"
)
_COPYRIGHT = re.compile(
    r"copyright[ \t]{0,2}(?:\(c\)|©)?[ \t]{0,2}\d{4}(?:[-, ]{1,3}\d{4}){0,3}[ \t]{0,2}"
    r"([^\n]{1,60})",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset(
    {
        "the",
        "this",
        "each",
        "licensor",
        "licensors",
        "we",
        "you",
        "permission",
        "contributor",
        "contributors",
        "it",
        "section",
        "article",
        "grant",
        "license",
        "licence",
        "agreement",
        "subject",
        "and",
        "of",
        "all",
        "any",
        "reserved",
        "rights",
    }
)
#: Flags the classifier may raise without a rule, and the modalities it needs for each.
_CLASSIFIER_MODALITIES: dict[str, frozenset[Modality]] = {
    "field-of-use-restriction": frozenset({"prohibition"}),
    "user-threshold": frozenset({"condition", "limitation", "prohibition"}),
    "revenue-threshold": frozenset({"condition", "limitation", "prohibition"}),
    "non-commercial": frozenset({"prohibition", "limitation"}),
    "no-derivatives": frozenset({"prohibition"}),
    "output-restriction": frozenset({"prohibition", "limitation"}),
    "brand-requirement": frozenset({"obligation", "condition"}),
    "terms-changeable": frozenset({"licensor-power"}),
    "geographic-restriction": frozenset({"prohibition", "limitation"}),
    "licensor-control": frozenset({"licensor-power"}),
}
_MIN_ITEM_WORDS = 5
#: How many distinct provision texts and concept sets one reading keeps: bounded, so
#: that a text of all-different provisions costs no more than one without the memo.
_MEMO_SIZE = 4096
_BENIGN = (
    "export",
    "warranty",
    "endorse",
    "attribution-only",
    "version-choice",
    "except-compliance",
)


def _licensor_names(text: str, provisions: Sequence[Provision], terms: TermIndex) -> frozenset[str]:
    names: set[str] = set(terms.licensor_names)
    for p in provisions[:400]:
        chunk = text[p.start : min(p.end, p.start + 400)]
        for m in _NAME_BEFORE_GRANT.finditer(chunk):
            names.update(w for w in tokens(m.group(1)) if w not in _NOT_NAMES)
        holder = _COPYRIGHT.match(chunk)
        if holder:
            words = [w for w in tokens(holder.group(1)) if not w.isdigit() and w not in _NOT_NAMES]
            names.update(words[:2])
    # A name that is also a word the lexicon knows ("Free Software Foundation") is not a name.
    known = lexicon().words
    return frozenset(n for n in names if len(n) > 1 and n not in known)


def _keep(found: dict[str, list[int]], concept: str, kept: list[int]) -> None:
    """Keep only ``kept`` of a concept's positions; a concept left with none is not found."""
    if kept:
        found[concept] = kept
    else:
        del found[concept]


#: Modalities a list item with none of its own takes from the lead-in that introduces it: the
#: lead-in's conditions, or what its grant covers ("The rights granted include: ... c.
#: distribution of the Data"). Prohibitions are inherited under stricter tests, below.
_CONDITIONING = frozenset({"condition", "obligation", "grant"})

#: How far before a non-restricting negation ("will not be regarded as", "are not licensed
#: under") a negation cue may start and still be that negation ("will" + "not be regarded").
_VOID_REACH = 2
#: How far after a negation cue an exception that refers back to the license may start and
#: still bound it ("you may not use this file except in compliance with the License").
_EXCEPT_REACH = 8


def _scope_negation(found: dict[str, list[int]]) -> None:
    """Drop the negation cues that are part of a negation that restricts nothing.

    "An anthology will not be regarded as a modification", "trademarks are not licensed under
    this licence", "does not exclude any field": the negation classifies or carves out of the
    grant's subject, it does not forbid the licensee anything. "You may not use this file
    except in compliance with the License" (the Apache License's own notice) only says the
    license is the condition of use. "Prohibited" in the name of a policy ("reserves the right
    to update this Prohibited Use Policy") names a document and forbids nothing. A provision
    whose only negations are of those kinds is not a prohibition.
    """
    neg = found.get("neg")
    if not neg:
        return
    void = found.get("neg-void", [])
    excepted = found.get("neg-except", [])
    named = set(found.get("use-policy", []))
    kept = [
        n
        for n in neg
        if not any(0 <= v - n <= _VOID_REACH for v in void)
        and not any(0 < e - n <= _EXCEPT_REACH for e in excepted)
        and n not in named
    ]
    _keep(found, "neg", kept)


#: Words that scale the number before them ("one million"): that number still counts.
_SCALES = frozenset({"million", "millions", "billion", "billions", "thousand", "hundred"})


def _drop_non_counts(found: dict[str, list[int]], words: Sequence[str]) -> None:
    """Drop the quantities that count nothing a threshold could: the number of a duration
    ("valid for at least thirty six (36) months"), of a reference to a part of the text
    ("under Sections 2.1 or 2.2"), and a lone "one" ("in at least one location")."""
    quantity = found.get("quantity")
    if not quantity:
        return
    durations = found.get("duration", ())
    references = found.get("text-reference", ())
    kept = [
        q
        for q in quantity
        if not any(0 <= d - q <= 3 for d in durations)
        and not any(0 < q - r <= 3 for r in references)
        and not (words[q] == "one" and (q + 1 >= len(words) or words[q + 1] not in _SCALES))
    ]
    _keep(found, "quantity", kept)


def _own_concepts(
    words: Sequence[str], lex: Lexicon, names: frozenset[str]
) -> dict[str, list[int]]:
    found = lex.find(words)
    _scope_negation(found)
    _drop_non_counts(found, words)
    for i, w in enumerate(words[:SUBJECT_WINDOW]):
        if w in names:
            found.setdefault("licensor-name", [i])
            break
    return found


def _caption(quote: str, size: int) -> bool:
    """A short capitalised item ending in a full stop, or a nested lead-in: not a listed use."""
    end = quote.rstrip()
    if end.endswith((":", "\uff1a")):
        return True
    if size >= _MIN_ITEM_WORDS:
        return False
    return quote[:1].isupper() and not end.endswith((";", ",", "or", "and"))


class _Own(NamedTuple):
    """What a provision's words say by themselves: the same wherever the same words occur."""

    words: tuple[str, ...]
    own: dict[str, list[int]]  # concepts and their positions
    first: dict[str, int]  # the first position of each
    concepts: frozenset[str]
    defined: frozenset[str]  # concepts of the defined terms used that ``own`` lacks
    positions: dict[str, list[int]]  # own and defined together
    modality: Modality


class _Memo:
    """The provisions of one text read by their words, each distinct provision text once.

    The key is the exact text a provision is read from (and whether it is a definition, whose
    defined terms are not looked up); positions are token indices, so a memo entry fits every
    provision with that text. Equal words are one string object, equal concept sets one
    frozenset: a long text of few distinct words costs little memory.
    """

    def __init__(self, terms: TermIndex, names: frozenset[str]) -> None:
        self.lex = lexicon()
        self.terms = terms
        self.names = names
        self.sets: dict[tuple[str, ...], frozenset[str]] = {}
        self.read = functools.lru_cache(maxsize=_MEMO_SIZE)(self._read)

    def _frozen(self, concepts: dict[str, list[int]]) -> frozenset[str]:
        key = tuple(concepts)
        known = self.sets.get(key)
        if known is None:
            if len(self.sets) >= _MEMO_SIZE:
                self.sets.clear()
            known = self.sets[key] = frozenset(concepts)
        return known

    def _read(self, chunk: str, is_definition: bool) -> _Own:
        raw = tokens(chunk)
        words = tuple(map(sys.intern, raw))  # equal words, one string
        own = _own_concepts(words, self.lex, self.names)
        defined: dict[str, list[int]] = {}
        if not is_definition:
            defined = {c: i for c, i in self.terms.concepts_in(words).items() if c not in own}
        first = {c: at[0] for c, at in own.items()}
        return _Own(
            words,
            own,
            first,
            self._frozen(own),
            self._frozen(defined),
            {**own, **defined} if defined else own,
            modality_of(first, words),
        )


def readings_of(text: str) -> tuple[tuple[Provision, ...], TermIndex, list[Reading]]:
    """The provisions of ``text``, its defined terms, and how each provision is read."""
    provisions = split_provisions(text)
    terms = find_definitions(text, provisions)
    memo = _Memo(terms, _licensor_names(text, provisions, terms))
    # the provisions that define a term (not every provision on their line: "... this Acceptable
    # Use Policy ("Policy"). The most recent copy of this policy can be found at ...")
    defining = {(d.line, d.quote) for d in terms.definitions}
    readings: list[Reading] = []
    # per provision: does it make the list it introduces, or the appendix it names, restrictions
    restricting: list[bool] = []
    referring: list[bool] = []
    heading_restricts = False
    for p in provisions:
        is_definition = (p.line, p.quote) in defining
        seen = memo.read(text[p.start : min(p.end, p.start + MAX_PROVISION)], is_definition)
        own, first, words = seen.own, seen.first, seen.words
        modality = seen.modality
        if p.is_heading:
            heading_restricts = (
                restricting_context(first, modality, own, "heading") and "warranty" not in own
            )
        inherited = via_appendix = False
        if modality == "statement" and (p.is_item or p.referenced_by is not None):
            if p.referenced_by is not None and referring[p.referenced_by]:
                inherited = via_appendix = True
            elif _caption(p.quote, len(words)):
                pass  # "Versions of the License." is a caption, not a listed use
            elif (p.lead_in is not None and restricting[p.lead_in]) or (
                p.is_item and heading_restricts
            ):
                inherited = True
            if inherited:
                modality = "prohibition"
        if (
            not inherited
            and modality == "statement"
            and p.is_item
            and p.lead_in is not None
            and readings[p.lead_in].modality in _CONDITIONING
        ):
            # "You must obtain a separate licence if: (i) your services had more than ...":
            # the items are the lead-in's conditions (or, under a grant, what it grants).
            modality = readings[p.lead_in].modality
            inherited = True
        readings.append(
            Reading(
                p,
                words,
                seen.concepts,
                seen.defined,
                modality,
                inherited,
                via_appendix,
                seen.modality,
                is_definition,
                seen.positions,
            )
        )
        benign = "warranty" in own
        restricting.append(not benign and restricting_context(first, modality, own, "lead-in"))
        referring.append(not benign and restricting_context(first, modality, own, "reference"))
    memo.read.cache_clear()
    return provisions, terms, readings


def _classifier_hits(
    readings: Sequence[Reading], model: Classifier, taken: set[tuple[str, int]]
) -> list[Hit]:
    hits: list[Hit] = []
    vetoes = lexicon().classifier_vetoes
    # the scores of a provision depend on its words, concepts and modality only: each distinct
    # provision is scored once per call (a policy repeats its items and boilerplate)
    score = functools.lru_cache(maxsize=_MEMO_SIZE)(model.scores)
    for r in readings:
        concepts = r.concepts
        if r.provision.is_heading or any(c in concepts for c in _BENIGN):
            continue
        # Only the flags the rules left to it on this provision: scoring is a third of a long
        # policy's reading time, and a flag a rule already raised here needs no second opinion.
        index = r.provision.index
        wanted = [
            f
            for f, mods in _CLASSIFIER_MODALITIES.items()
            if r.modality in mods
            and (f, index) not in taken
            and not any(c in concepts for c in vetoes.get(f, ()))
        ]
        if not wanted:
            continue
        scores = score(r.words, concepts, r.modality)
        for flag in wanted:
            p = scores.get(flag, 0.0)
            if p >= model.threshold(flag) and (flag, r.provision.index) not in taken:
                hits.append(
                    Hit(
                        flag=flag,
                        line=r.provision.line,
                        quote=r.provision.quote,
                        method="classifier",
                        confidence=round(p, 3),
                        rule="classifier",
                        modality=r.modality,
                        provision=r.provision.index,
                    )
                )
    return hits


def read_provisions(text: str, *, model: Classifier | None = None) -> ProvisionReading:
    """Read a license or policy text: its provisions, the flags they raise, its freedoms.

    ``model`` replaces the shipped sentence classifier (cross-validation trains one per fold).
    """
    with collector_paused():  # the readings are millions of objects on a big text
        provisions, terms, readings = readings_of(text)
        hits = rule_hits(readings, lexicon().rules)
        use = classifier() if model is None else model
        if use is not None:
            taken = {(h.flag, h.provision) for h in hits}
            hits += _classifier_hits(readings, use, taken)
    if any("version-option" in r.own for r in readings):
        # the licensee keeps the version it chose: a licensor's revisions change nothing
        hits = [h for h in hits if h.flag != "terms-changeable"]
    hits.sort(key=lambda h: (h.line, h.flag, h.provision))
    freedoms = read_freedoms(readings, hits)
    return ProvisionReading(
        provisions=provisions,
        modalities=tuple(r.modality for r in readings),
        definitions=terms.definitions,
        hits=tuple(hits),
        freedoms=freedoms,
        osaid_conformant=conformant(freedoms, hits),
        grants=read_freedoms(readings, ()),
    )

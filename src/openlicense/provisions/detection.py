"""Which provisions raise which license-term flags, by the lexicon's rules.

Each provision is read as its words, the concepts found in them, the concepts its defined
terms denote, and its modality (own or inherited from its context). A rule of
``data/lexicon.toml`` raises its flag when the modality and the concepts fit; the hit says how
it was found: ``pattern`` (the provision's own words), ``definition`` (a concept the rule needs
came only from a defined term), ``appendix`` (the provision is an item of an appendix or
schedule that a restricting clause elsewhere refers to).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from openlicense.provisions.lexicon import Rule
from openlicense.provisions.model import Hit, Method, Modality, Provision

__all__ = ["Reading", "rule_hits"]


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, several
# times slower, and a long text has a provision every few words. Nothing changes one.
@dataclass(slots=True)
class Reading:
    """How one provision is read (internal to the reader, not part of the public result)."""

    provision: Provision
    words: tuple[str, ...]
    own: frozenset[str]  # concepts in the provision's own words
    defined: frozenset[str]  # concepts denoted by the defined terms it uses
    modality: Modality
    inherited: bool
    via_appendix: bool
    own_modality: Modality
    is_definition: bool = False
    positions: Mapping[str, Sequence[int]] = field(default_factory=dict)

    @property
    def concepts(self) -> frozenset[str]:
        return self.own | self.defined


def _close(reading: Reading, a: str, b: str, k: int, *, directed: bool) -> bool:
    first, second = reading.positions.get(a, ()), reading.positions.get(b, ())
    for i in first:
        for j in second:
            if (0 <= j - i <= k) if directed else abs(j - i) <= k:
                return True
    return False


def _fits(rule: Rule, reading: Reading) -> Method | None:
    if reading.provision.is_heading or reading.is_definition:
        return None
    if rule.modality:
        by_own = not rule.inherited_only and reading.own_modality in rule.modality
        by_context = reading.inherited and rule.inherited and reading.modality in rule.modality
        if not (by_own or by_context):
            return None
    concepts = reading.concepts
    if any(c in concepts for c in rule.none):
        return None
    if not all(c in concepts for c in rule.all):
        return None
    if rule.any and not any(c in concepts for c in rule.any):
        return None
    if not all(_close(reading, a, b, k, directed=True) for a, b, k in rule.near):
        return None
    if not all(_close(reading, a, b, k, directed=False) for a, b, k in rule.around):
        return None
    needed = [c for c in rule.all if c not in reading.own]
    if rule.any and not any(c in reading.own for c in rule.any):
        needed.append("any")
    if reading.via_appendix:
        return "appendix"
    return "definition" if needed else "pattern"


def rule_hits(readings: Sequence[Reading], rules: Sequence[Rule]) -> list[Hit]:
    """One hit per flag and provision: the first rule of the lexicon that fits it."""
    hits: list[Hit] = []
    for reading in readings:
        seen: set[str] = set()
        concepts = reading.concepts
        for rule in rules:
            if rule.flag in seen or (rule.all and rule.all[0] not in concepts):
                continue
            method = _fits(rule, reading)
            if method is None:
                continue
            seen.add(rule.flag)
            p = reading.provision
            hits.append(
                Hit(
                    flag=rule.flag,
                    line=p.line,
                    quote=p.quote,
                    method=method,
                    confidence=rule.confidence,
                    rule=rule.id,
                    modality=reading.modality,
                    provision=p.index,
                )
            )
    return hits

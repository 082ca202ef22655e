"""The modality of a provision: does it grant, condition, limit, prohibit, oblige or empower?

Decided from cue concepts of ``data/lexicon.toml`` in this order, first match wins:

1. ``prohibition``: a negation cue ("may not", "shall not", "no right", "do not extend",
   "不得", "interdit", "darf nicht"...); a negated grant is a prohibition.
2. ``limitation``: the grant's scope is narrowed ("solely", "extend only to", "仅限").
3. ``licensor-power``: a power only a licensor reserves ("reserves the right to"), a party
   other than the licensee who "may change this Policy" or "may, at its sole discretion,
   suspend your access", or the licensor (a licensor word, or
   the name of the party that grants) is the subject, within the first words, of a power
   ("may", "has the right", "有权").
4. ``grant``: a grant cue ("grants", "permission is", "you may", "授予"), unless the provision
   opens with a condition and puts a duty before the grant, or makes the duty a request for
   a license ("If ..., you must request a license, which we may grant"): that is a
   ``condition``.
5. ``condition``: "if", "provided that", "subject to", "where", "如果".
6. ``obligation``: "must", "shall", "agree to", "应当".
7. ``statement`` otherwise.

A provision whose own modality is weaker than prohibition takes ``prohibition`` from its
context, and says so (``inherited``): the lead-in that introduces it ("You agree not to use
the Model to:"), a heading of restrictions ("## You must not", "Excluded uses"), or, for the
items of an appendix or schedule, the clause that makes them part of the terms ("subject to
the restrictions in Schedule 2").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openlicense.provisions.model import Modality

__all__ = ["ModalReading", "modality_of", "restricting_context"]

#: How far into a provision the licensor must appear to be its subject.
SUBJECT_WINDOW = 8
_GRANT_BY_LICENSOR = frozenset(
    {"grant", "grants", "granted", "permits", "授予", "gewährt", "accorde"}
)


@dataclass(frozen=True, slots=True)
class ModalReading:
    modality: Modality
    inherited: bool  # the modality comes from the provision's lead-in, heading or reference


def _subject_is_licensor(concepts: Mapping[str, int], words: Sequence[str]) -> bool:
    pos = min(concepts.get("licensor", 1 << 30), concepts.get("licensor-name", 1 << 30))
    if pos >= SUBJECT_WINDOW:
        return False
    you = concepts.get("licensee", 1 << 30)
    return you > pos or (you < pos and words[you] in {"your"})


def _party_power(concepts: Mapping[str, int]) -> bool:
    """A party other than the licensee, at the head of the provision, with a power over the
    terms or the rights: "Salesforce may change this Policy", "Gull may, at its sole
    discretion, suspend your access". Whoever holds such a power holds the licensor's power,
    named or not."""
    modal = concepts.get("power-modal")
    if modal is None or modal >= SUBJECT_WINDOW or concepts.get("licensee", 1 << 30) < modal:
        return False
    change = concepts.get("change-verb")
    terms = concepts.get("the-terms")
    if change is not None and terms is not None and 0 < change - modal <= 2:
        return 0 < terms - change <= 3
    control = concepts.get("control-verb")
    return control is not None and 0 < control - modal <= 12 and "discretion" in concepts


def modality_of(concepts: Mapping[str, int], words: Sequence[str]) -> Modality:
    """The modality of one provision from the concepts found in it."""
    if "neg" in concepts:
        return "prohibition"
    if "limit" in concepts and "not-limiting" not in concepts:
        return "limitation"
    if "reserved-power" in concepts:
        return "licensor-power"
    if _party_power(concepts):
        return "licensor-power"
    licensor = _subject_is_licensor(concepts, words)
    if licensor and "power-modal" in concepts and concepts["power-modal"] < SUBJECT_WINDOW + 4:
        grant = concepts.get("grant", 1 << 30)
        if not (grant < concepts["power-modal"] and words[grant] in _GRANT_BY_LICENSOR):
            return "licensor-power"
    # "If your services had more than ..., you must request a license from us, which we may
    # grant": a duty under a condition; the grant that follows is the licensor's, and a grant
    # word inside the condition ("or (ii) you make available a competing service, ... you must
    # request a license") is part of what it describes.
    if (
        concepts.get("cond") == 0
        and "oblig" in concepts
        and (concepts["oblig"] < concepts.get("grant", 0) or "request-granted" in concepts)
    ):
        return "condition"
    if "grant" in concepts:
        return "grant"
    if "cond" in concepts:
        return "condition"
    if "oblig" in concepts:
        return "obligation"
    return "statement"


def restricting_context(
    concepts: Mapping[str, int],
    modality: Modality,
    positions: Mapping[str, Sequence[int]],
    kind: str,
) -> bool:
    """Whether a heading, lead-in or referring clause makes what it introduces restrictions.

    It must be about *using* the work. A clause that refers to an appendix need only speak of
    restrictions ("subject to the restrictions in Schedule 2"); a lead-in must prohibit
    ("You agree not to use the Model to:", "The following uses are prohibited:"); a heading
    must prohibit or name restricted uses ("## You must not", "Prohibited Uses"), so that
    "Limitations on Grant Scope" or "You may not:" over patent duties is not a list of uses.
    """
    if "use-policy" in concepts:
        return True
    restriction = "restriction-noun" in concepts
    neg_use = any(
        0 <= u - n <= 6 for n in positions.get("neg", ()) for u in positions.get("use-verb", ())
    )
    if kind == "reference":
        return restriction or modality == "prohibition"
    if kind == "lead-in":
        return modality == "prohibition" and (neg_use or restriction)
    return "neg" in concepts or (restriction and "use-verb" in concepts)

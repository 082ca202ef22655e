"""Accuracy of openlicense against hand-written labels (the ``gold/`` folder of a corpus).

``openlicense evaluate --corpus ../shared/corpus`` prints, for each labelled task the corpus
has, how often openlicense agrees with the labels, and lists the disagreements. The scoring
rules are those of ``gold/README.md``. One module per task: ``strings`` (normalization),
``texts`` (identification), ``cards`` (model cards), ``classes`` (MOT and EOSAI) and
``provisions`` (the provision reader), sharing ``labels`` (how an expression meets its label);
``runner`` runs them. This package re-exports their public names.
"""

from __future__ import annotations

from openlicense.evaluation.cards import (
    RELEASE_FLAGS,
    CardsScore,
    evaluate_cards,
    format_cards_score,
)
from openlicense.evaluation.classes import evaluate_eosai, evaluate_mot, format_confusion
from openlicense.evaluation.labels import expression_matches
from openlicense.evaluation.provisions import (
    PROVISION_FIXTURES,
    evaluate_provisions,
    format_provisions_score,
)
from openlicense.evaluation.runner import run
from openlicense.evaluation.strings import (
    Miss,
    StringsScore,
    evaluate_strings,
    format_strings_score,
    score_string,
)
from openlicense.evaluation.texts import (
    TextsScore,
    evaluate_texts,
    format_texts_score,
    identity_matches,
)

__all__ = [
    "PROVISION_FIXTURES",
    "RELEASE_FLAGS",
    "CardsScore",
    "Miss",
    "StringsScore",
    "TextsScore",
    "evaluate_cards",
    "evaluate_eosai",
    "evaluate_mot",
    "evaluate_provisions",
    "evaluate_strings",
    "evaluate_texts",
    "expression_matches",
    "format_cards_score",
    "format_confusion",
    "format_provisions_score",
    "format_strings_score",
    "format_texts_score",
    "identity_matches",
    "run",
    "score_string",
]

"""The learned part of detection: a linear sentence classifier stored as JSON weights.

Features of a provision: its words, adjacent word pairs, the lexicon concepts found in it and
in its defined terms, and its modality. One logistic-regression weight vector per flag, trained
by ``tools/train_provisions.py`` (scikit-learn) and stored in ``data/classifier.json`` with
its provenance; reading it needs nothing but the standard library (no pickle). A score is
``sigmoid(bias + sum of the weights of the features present)``.

The classifier never acts alone on a provision that looks benign (export control, warranty,
trademark, attribution, a licensee's version choice), and only on provisions whose modality can
carry the flag (see ``reader._CLASSIFIER_MODALITIES``): it widens the wording the reader
understands, the modality keeps it precise.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from openlicense.errors import CatalogError

__all__ = ["Classifier", "classifier", "features"]

_MAX_TOKENS = 200
_DATA = "data/classifier.json"


def features(words: Sequence[str], concepts: Iterable[str], modality: str) -> set[str]:
    """The sparse binary features of one provision."""
    head = words[:_MAX_TOKENS]
    out = {f"w:{w}" for w in head}
    out.update(f"b:{a}_{b}" for a, b in itertools.pairwise(head))
    out.update(f"c:{c}" for c in concepts)
    out.add(f"m:{modality}")
    return out


@dataclass(frozen=True)
class Classifier:
    """Per-flag weights, biases and decision thresholds."""

    weights: Mapping[str, Mapping[str, float]]
    bias: Mapping[str, float]
    thresholds: Mapping[str, float]
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def threshold(self, flag: str) -> float:
        return self.thresholds.get(flag, 0.9)

    @functools.cached_property
    def _by_feature(self) -> dict[str, tuple[tuple[str, float], ...]]:
        inverted: dict[str, list[tuple[str, float]]] = {}
        for flag, table in self.weights.items():
            for feat, w in table.items():
                inverted.setdefault(feat, []).append((flag, w))
        return {f: tuple(pairs) for f, pairs in inverted.items()}

    def scores(
        self, words: Sequence[str], concepts: Iterable[str], modality: str
    ) -> dict[str, float]:
        """The probability, for each flag, that the provision raises it."""
        z = dict(self.bias)
        table = self._by_feature
        for feat in features(words, concepts, modality):
            for flag, w in table.get(feat, ()):
                z[flag] = z.get(flag, 0.0) + w
        return {f: 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, v)))) for f, v in z.items()}

    def to_json(self) -> dict[str, Any]:
        return {
            "provenance": dict(self.provenance),
            "thresholds": dict(self.thresholds),
            "bias": dict(self.bias),
            "weights": {f: dict(sorted(t.items())) for f, t in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Classifier:
        try:
            return cls(
                weights={
                    str(f): {str(k): float(v) for k, v in t.items()}
                    for f, t in raw["weights"].items()
                },
                bias={str(f): float(v) for f, v in raw["bias"].items()},
                thresholds={str(f): float(v) for f, v in raw.get("thresholds", {}).items()},
                provenance=dict(raw.get("provenance", {})),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CatalogError(f"provisions classifier: malformed {_DATA}: {exc}") from exc


@functools.cache
def classifier() -> Classifier | None:
    """The shipped classifier, loaded once; ``None`` when it has not been trained."""
    resource = resources.files("openlicense.provisions").joinpath(_DATA)
    if not resource.is_file():
        return None
    return Classifier.from_json(json.loads(resource.read_text("utf-8")))

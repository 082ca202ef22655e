"""Train the sentence classifier (needs scikit-learn: ``pip install openlicense[train]``).

Labelled sentences come from three places, each row remembering the text it came from so
that cross-validation can leave a whole license family out:

- **negatives**: every provision of the OSI-approved licenses in ScanCode's license data
  (``licensedcode/data/licenses/*.LICENSE`` with an ``osi_url``): rich, varied legal prose
  that raises none of the ten flags (their few real restrictions are rare enough to be noise);
- **positives**: the clauses the catalog quotes for each flag (``data/licenses/*.toml``);
- **the tune half** of ``fixtures/provisions``: its labelled clauses as positives, and every
  provision of its texts without flags as negatives. The held-out half is never read here.

Features are those of :func:`openlicense.provisions.classifier.features`; one L2-regularised
logistic regression per flag, class-weighted, is fitted and its non-negligible weights kept.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from openlicense.provisions.classifier import Classifier, features
from openlicense.provisions.lexicon import lexicon, tokens
from openlicense.provisions.modality import modality_of
from openlicense.provisions.model import FLAGS
from openlicense.provisions.reader import readings_of

__all__ = ["Row", "near_duplicate", "rows_from_sources", "train"]

#: Regularisation strength, the smallest weight kept, and the default decision threshold.
C = 0.5
MIN_WEIGHT = 0.05
THRESHOLD = 0.85
_SHINGLE = 8
_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled provision: its features, its flags, and the text it was taken from."""

    features: frozenset[str]
    flags: frozenset[str]
    source: str  # "scancode:mit", "catalog:LicenseRef-...", "tune:kite-model.txt"
    text: str  # the whole source text (or the quote), for leaving families out


def _row_for_quote(quote: str, flags: Iterable[str], source: str) -> Row:
    words = tokens(quote)
    found = lexicon().find(words)
    modality = modality_of({c: at[0] for c, at in found.items()}, words)
    return Row(frozenset(features(words, found, modality)), frozenset(flags), source, quote)


def _rows_for_text(text: str, source: str) -> list[Row]:
    _, _, readings = readings_of(text)
    return [
        Row(frozenset(features(r.words, r.concepts, r.modality)), frozenset(), source, text)
        for r in readings
        if not r.provision.is_heading and r.words
    ]


def scancode_osi_texts(folder: Path) -> list[tuple[str, str]]:
    """(key, text) of the OSI-approved, non-deprecated licenses in ScanCode's data."""
    out = []
    for path in sorted(folder.glob("*.LICENSE")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        if not raw.startswith("---"):
            continue
        head, _, body = raw[3:].partition("\n---")
        if "osi_url:" in head and "is_deprecated: yes" not in head and body.strip():
            out.append((path.stem, body))
    return out


def catalog_quotes() -> list[tuple[str, str, str]]:
    """(license id, flag, quote) of every flag the catalog cites with a quote."""
    out = []
    folder = resources.files("openlicense").joinpath("data/licenses")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text("utf-8"))
        for lic in data.get("license", ()):
            for flag in lic.get("flags", ()):
                if flag.get("quote") and flag.get("flag") in FLAGS:
                    out.append((str(lic["id"]), str(flag["flag"]), str(flag["quote"])))
    return out


def tune_rows(folder: Path) -> list[Row]:
    """Rows from the tune half: labelled clauses positive, flag-free texts' provisions negative."""
    rows: list[Row] = []
    with (folder / "labels.jsonl").open(encoding="utf-8") as f:
        labels = [json.loads(line) for line in f if line.strip()]
    for label in labels:
        text = (folder / label["file"]).read_text(encoding="utf-8")
        source = f"tune:{label['file']}"
        if not label["flags"]:
            rows += _rows_for_text(text, source)
            continue
        by_line: dict[int, list[str]] = {}
        for flag, where in label["flags"].items():
            by_line.setdefault(int(where["line"]), []).append(flag)
        _, _, readings = readings_of(text)
        for r in readings:
            flags = by_line.get(r.provision.line)
            if flags:
                feats = features(r.words, r.concepts, r.modality)
                rows.append(Row(frozenset(feats), frozenset(flags), source, text))
    return rows


def rows_from_sources(scancode: Path, tune: Path | None) -> list[Row]:
    """Every training row: ScanCode OSI negatives, catalog positives, the tune half."""
    rows: list[Row] = []
    for key, text in scancode_osi_texts(scancode):
        rows += _rows_for_text(text, f"scancode:{key}")
    for lic, flag, quote in catalog_quotes():
        rows.append(_row_for_quote(quote, (flag,), f"catalog:{lic}"))
    if tune is not None:
        rows += tune_rows(tune)
    return rows


def _fold_ws(text: str) -> str:
    return _WS.sub(" ", text.casefold()).strip()


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = tokens(text)
    return {tuple(words[i : i + _SHINGLE]) for i in range(max(0, len(words) - _SHINGLE + 1))}


def near_duplicate(rows: Sequence[Row], texts: Sequence[str]) -> set[str]:
    """Sources of ``rows`` taken from one of ``texts``: a quote found in it, or a text sharing
    at least a third of its 8-word shingles with it."""
    folded = [_fold_ws(t) for t in texts]
    shingled = [_shingles(t) for t in texts]
    out: set[str] = set()
    seen: dict[str, bool] = {}
    for row in rows:
        if row.source in seen:
            continue
        dup = False
        if row.source.startswith("catalog:"):
            quote = _fold_ws(row.text)
            dup = any(quote[:200] in t for t in folded)
        else:
            mine = _shingles(row.text)
            if mine:
                dup = any(len(mine & other) * 3 >= min(len(mine), len(other)) for other in shingled)
        seen[row.source] = dup
        if dup:
            out.add(row.source)
    # A catalog quote is per flag: leave out the whole license once one of its quotes matches.
    licenses = {s for s in out if s.startswith("catalog:")}
    return out | {r.source for r in rows if r.source in licenses}


def train(rows: Sequence[Row], provenance: dict[str, Any] | None = None) -> Classifier:
    """Fit one logistic regression per flag on ``rows``."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for row in rows:
        for feat in row.features:
            counts[feat] = counts.get(feat, 0) + 1
    vocab = sorted(f for f, n in counts.items() if n >= 2)
    column = {f: i for i, f in enumerate(vocab)}
    indptr, indices = [0], []
    for row in rows:
        indices.extend(sorted(column[f] for f in row.features if f in column))
        indptr.append(len(indices))
    matrix = csr_matrix(
        (np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(rows), len(vocab)),
    )
    weights: dict[str, dict[str, float]] = {}
    bias: dict[str, float] = {}
    for flag in FLAGS:
        y = np.array([flag in row.flags for row in rows], dtype=int)
        if y.sum() < 2:
            continue
        model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
        model.fit(matrix, y)
        coef = model.coef_[0]
        weights[flag] = {
            vocab[i]: round(float(w), 4) for i, w in enumerate(coef) if abs(w) >= MIN_WEIGHT
        }
        bias[flag] = round(float(model.intercept_[0]), 4)
    info = {
        "rows": len(rows),
        "positives": {f: sum(f in r.flags for r in rows) for f in FLAGS},
        "features": len(vocab),
        "C": C,
    }
    info.update(provenance or {})
    return Classifier(weights, bias, dict.fromkeys(weights, THRESHOLD), info)

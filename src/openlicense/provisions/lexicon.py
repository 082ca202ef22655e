"""Concepts and rules of ``data/lexicon.toml``, and finding concepts in a provision.

A phrase is a sequence of token tests; phrases are indexed by their first token (exact word,
word prefix, or number), so each token of a provision is compared with a bounded number of
candidates, each for a bounded number of tokens: finding concepts is linear in the text.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from openlicense.errors import CatalogError

__all__ = ["Lexicon", "Rule", "fold", "lexicon", "tokens"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"\d+(?:[.,]\d+)*|[$€£¥]|[{_CJK}]|[^\W\d_{_CJK}]+")
# The same tokens in lowercased ASCII text, by a pattern with fewer branches to try.
_ASCII_TOKEN = re.compile(r"[a-z]+|\d+(?:[.,]\d+)*|\$")
_NUMBER_WORDS = frozenset(
    {
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "fifteen",
        "twenty",
        "thirty",
        "fifty",
        "hundred",
        "thousand",
        "million",
        "billion",
        "一",
        "二",
        "两",
        "三",
        "四",
        "五",
        "六",
        "七",
        "八",
        "九",
        "十",
        "百",
        "千",
    }
)
_MAX_PREFIX = 16
_MAX_POSITIONS = 32
_CACHE_SIZE = 200_000
_MODALITIES = frozenset(
    {"grant", "condition", "limitation", "prohibition", "obligation", "licensor-power", "statement"}
)

_Test = tuple[str, str]  # ("w", word) | ("p", prefix) | ("n", "")
_Entry = tuple[tuple[_Test, ...], str]  # a phrase's tests and its concept


def fold(word: str) -> str:
    """A token as the lexicon compares it: NFKC and case folded."""
    if word.isascii():
        return word.lower()
    return unicodedata.normalize("NFKC", word).casefold()


def tokens(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The folded word tokens of ``text[start:end]`` (CJK characters one token each)."""
    chunk = text[start:end]
    if chunk.isascii():
        return _ASCII_TOKEN.findall(chunk.lower())
    # Folding the whole chunk first is faster than token by token; NFKC may change lengths,
    # which is harmless here because tokens carry no offsets.
    return _TOKEN.findall(unicodedata.normalize("NFKC", chunk).casefold())


def _is_number(word: str) -> bool:
    return word[:1].isdigit() or word in _NUMBER_WORDS


def _compile(phrase: str) -> list[tuple[_Test, ...]]:
    variants: list[list[_Test]] = [[]]
    for raw in phrase.split():
        if raw == "{number}":
            spellings: list[list[_Test]] = [[("n", "")]]
        else:
            wildcard = raw.endswith("*")
            body = raw[:-1] if wildcard else raw
            words = [fold(w) for w in _TOKEN.findall(body)]
            if not words:
                continue
            split: list[_Test] = [("w", w) for w in words]
            if wildcard:
                split[-1] = ("p", words[-1])
            spellings = [split]
            if len(words) > 1 and "-" in body:
                spellings.append([("p" if wildcard else "w", "".join(words))])
        variants = [v + s for v in variants for s in spellings]
    return [tuple(v) for v in variants if v]


def _ok(test: _Test, word: str) -> bool:
    kind, value = test
    if kind == "w":
        return word == value
    if kind == "p":
        return word.startswith(value)
    return _is_number(word)


@dataclass(frozen=True, slots=True)
class Rule:
    """One ``[[rule]]``: which concepts, under which modality, raise which flag."""

    id: str
    flag: str
    modality: frozenset[str]
    all: tuple[str, ...]
    any: tuple[str, ...]
    none: tuple[str, ...]
    inherited: bool
    inherited_only: bool
    confidence: float
    near: tuple[tuple[str, str, int], ...] = ()  # B starts 0..k tokens after A starts
    around: tuple[tuple[str, str, int], ...] = ()  # A and B start at most k tokens apart


class Lexicon:
    """Compiled concepts: ``find`` returns the concepts a token sequence contains."""

    def __init__(
        self,
        concepts: Mapping[str, Sequence[str]],
        rules: Sequence[Rule],
        classifier_vetoes: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.concepts = tuple(concepts)
        self.rules = tuple(rules)
        #: per flag, concepts in whose presence the sentence classifier may not raise it
        self.classifier_vetoes = {
            flag: frozenset(names) for flag, names in (classifier_vetoes or {}).items()
        }
        self._exact: dict[str, list[_Entry]] = {}
        self._prefix: dict[str, list[_Entry]] = {}
        self._number: list[_Entry] = []
        self._cache: dict[str, _Candidates] = {}
        for name, phrases in concepts.items():
            for phrase in phrases:
                for tests in _compile(phrase):
                    kind, value = tests[0]
                    if kind == "w":
                        self._exact.setdefault(value, []).append((tests, name))
                    elif kind == "p":
                        self._prefix.setdefault(value[:_MAX_PREFIX], []).append((tests, name))
                    else:
                        self._number.append((tests, name))

    def may_occur_in(self, words: Sequence[str]) -> bool:
        """Whether any phrase could start in ``words`` (a cheap test before :meth:`find`)."""
        if self._number:
            return True
        if not self._exact.keys().isdisjoint(words):
            return True
        prefixes = tuple(self._prefix)
        return bool(prefixes) and any(w.startswith(prefixes) for w in words)

    @property
    def words(self) -> frozenset[str]:
        """Every word that starts a phrase of the lexicon."""
        return frozenset(self._exact)

    def _candidates(self, word: str) -> _Candidates:
        """The concepts a word is by itself, and the longer phrases it may start (cached)."""
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        entries = list(self._exact.get(word, ()))
        for size in range(1, min(len(word), _MAX_PREFIX) + 1):
            entries.extend(self._prefix.get(word[:size], ()))
        if self._number and _is_number(word):
            entries.extend(self._number)
        singles = tuple(dict.fromkeys(name for tests, name in entries if len(tests) == 1))
        by_second: dict[str, list[_Longer]] = {}
        generic: list[_Longer] = []
        for rank, (tests, name) in enumerate(e for e in entries if len(e[0]) > 1):
            rest = tests[2:]
            words = tuple(v for _, v in rest) if all(k == "w" for k, _ in rest) else None
            longer = (rank, len(tests), tests, words, name)
            kind, value = tests[1]
            if kind == "w":
                by_second.setdefault(value, []).append(longer)
            else:
                generic.append(longer)
        hit = (singles, {w: tuple(v) for w, v in by_second.items()}, tuple(generic))
        if len(self._cache) > _CACHE_SIZE:
            self._cache.clear()
        self._cache[word] = hit
        return hit

    def find(self, words: Sequence[str]) -> dict[str, list[int]]:
        """Each concept found in ``words`` with the positions of its phrases (at most 32).

        At each token, the phrases it starts are looked up by their second word (or tried one
        by one when the second test is a prefix or a number), and those that match are taken
        in the order of the lexicon, so the concepts are found in the same order whichever way
        a phrase was looked up.
        """
        found: dict[str, list[int]] = {}
        seq = words if isinstance(words, tuple) else tuple(words)
        n = len(seq)
        cache = self._cache
        candidates = self._candidates
        for i, word in enumerate(seq):
            entry = cache.get(word)
            singles, by_second, generic = entry if entry is not None else candidates(word)
            for name in singles:
                _add(found, name, i)
            if i + 1 >= n or not (by_second or generic):
                continue
            paired = by_second.get(seq[i + 1], ()) if by_second else ()
            matched = [e for e in paired if _rest_matches(e, seq, i)]
            if generic:
                matched += [e for e in generic if _rest_matches(e, seq, i, 1)]
                if paired:
                    matched.sort()
            for longer in matched:
                _add(found, longer[4], i)
        return found


_Longer = tuple[int, int, tuple[_Test, ...], tuple[str, ...] | None, str]
# (rank among the word's phrases, length, tests, the words after the second when all are
# words, concept)
_Candidates = tuple[tuple[str, ...], dict[str, tuple[_Longer, ...]], tuple[_Longer, ...]]


def _add(found: dict[str, list[int]], name: str, i: int) -> None:
    at = found.get(name)
    if at is None:
        found[name] = [i]
    elif len(at) < _MAX_POSITIONS and at[-1] != i:
        at.append(i)


def _rest_matches(longer: _Longer, words: tuple[str, ...], i: int, checked: int = 2) -> bool:
    """Whether the phrase starting at ``i`` matches from its test ``checked`` on."""
    _, size, tests, rest, _ = longer
    end = i + size
    if end > len(words):
        return False
    if checked == 2 and rest is not None:
        return words[i + 2 : end] == rest
    return all(_ok(tests[k], words[i + k]) for k in range(checked, size))


def _rule(raw: Mapping[str, Any], concepts: Mapping[str, Any]) -> Rule:
    try:
        rule = Rule(
            id=str(raw["id"]),
            flag=str(raw["flag"]),
            modality=frozenset(raw.get("modality", ())),
            all=tuple(raw.get("all", ())),
            any=tuple(raw.get("any", ())),
            none=tuple(raw.get("none", ())),
            inherited=bool(raw.get("inherited", False)),
            inherited_only=bool(raw.get("inherited_only", False)),
            confidence=float(raw.get("confidence", 0.8)),
            near=tuple((str(a), str(b), int(k)) for a, b, k in raw.get("near", ())),
            around=tuple((str(a), str(b), int(k)) for a, b, k in raw.get("around", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"provisions lexicon: bad rule {raw!r}: {exc}") from exc
    paired = [c for a, b, _ in (*rule.near, *rule.around) for c in (a, b)]
    unknown = [c for c in (*rule.all, *rule.any, *rule.none, *paired) if c not in concepts]
    if unknown or not rule.modality <= _MODALITIES:
        raise CatalogError(f"provisions lexicon: rule {rule.id} names unknown {unknown}")
    return rule


@functools.cache
def lexicon() -> Lexicon:
    """The lexicon shipped with the package, compiled once per process."""
    raw = tomllib.loads(
        resources.files("openlicense.provisions").joinpath("data/lexicon.toml").read_text("utf-8")
    )
    concepts = {name: list(body.get("phrases", ())) for name, body in raw["concept"].items()}
    rules = [_rule(r, concepts) for r in raw.get("rule", ())]
    vetoes = {
        str(flag): [str(c) for c in names] for flag, names in raw.get("classifier-veto", {}).items()
    }
    flags = {r.flag for r in rules}
    for flag, names in vetoes.items():
        unknown = [c for c in names if c not in concepts]
        if flag not in flags or unknown:
            raise ValueError(
                f"lexicon.toml [classifier-veto] {flag}: unknown flag or concepts {unknown}"
            )
    return Lexicon(concepts, rules, vetoes)

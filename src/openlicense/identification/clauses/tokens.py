"""Words of a text and the phrases of the clause patterns, as comparable token tests.

A text is cut into word tokens of the *original* text, so every token keeps its offsets and
quotes are verbatim; each token is folded (NFKC, case) on its own. Punctuation, curly quotes
and dashes are never tokens, so they cannot make a phrase miss. A phrase is a fixed sequence
of token tests (a word, a ``prefix*``, ``{number}``, ``{any}``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "PLACEHOLDERS",
    "TOKEN",
    "Test",
    "Tokens",
    "compile_phrase",
    "fold_token",
    "is_number",
    "passes",
    "tokenize",
    "words_of",
]

PLACEHOLDERS = frozenset({"{number}", "{any}"})
_NUMBER_WORDS = frozenset(
    {
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "fifteen", "twenty", "thirty", "fifty",
        "hundred", "thousand", "million", "billion",
    }
)  # fmt: skip

# CJK characters are one token each, so a phrase in Chinese, Japanese or Korean matches a
# character sequence the way an English phrase matches a word sequence.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
TOKEN = re.compile(rf"\d+(?:[.,]\d+)*|[$€£¥]|[{_CJK}]|[^\W\d_{_CJK}]+")
# The same tokens in lowercased ASCII text, by a pattern with fewer branches to try.
_ASCII_TOKEN = re.compile(r"[a-z]+|\d+(?:[.,]\d+)*|\$")


def fold_token(token: str) -> str:
    if token.isascii():
        return token.lower()
    return unicodedata.normalize("NFKC", token).casefold()


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words of a sentence, folded, with their offsets in the text."""

    words: list[str]
    starts: list[int]
    ends: list[int]


def tokenize(text: str, start: int, end: int) -> Tokens:
    found = list(TOKEN.finditer(text, start, end))
    return Tokens(
        [fold_token(m.group()) for m in found], [m.start() for m in found], [m.end() for m in found]
    )


def words_of(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The folded words of ``text[start:end]``: ``tokenize(...).words`` without the offsets.

    An ASCII chunk is lowercased whole and cut by one regular-expression pass (lowercasing
    ASCII changes no character's class, so the tokens are the same).
    """
    chunk = text[start:end]
    if chunk.isascii():
        return _ASCII_TOKEN.findall(chunk.lower())
    return [fold_token(w) for w in TOKEN.findall(chunk)]


# A compiled phrase is a tuple of token tests: ("w", word) a word, ("p", prefix) a word that
# starts with prefix, ("n", "") a number, ("a", "") any word.
Test = tuple[str, str]


def compile_phrase(phrase: str) -> list[tuple[Test, ...]]:
    """The token tests of a phrase: one variant per spelling of its hyphenated words."""
    variants: list[list[Test]] = [[]]
    for raw in phrase.split():
        spellings: list[list[Test]]
        if raw in PLACEHOLDERS:
            spellings = [[("n" if raw == "{number}" else "a", "")]]
        else:
            wildcard = raw.endswith("*")
            body = raw[:-1] if wildcard else raw
            words = [fold_token(w) for w in TOKEN.findall(body)]
            split: list[Test] = [("w", w) for w in words]
            if wildcard:
                split[-1] = ("p", words[-1])
            spellings = [split]
            if len(words) > 1 and "-" in body:
                # "non-commercial" is also written "noncommercial", "fine-tune" "finetune"
                spellings.append([("p" if wildcard else "w", "".join(words))])
        variants = [v + s for v in variants for s in spellings]
    return [tuple(v) for v in variants]


def is_number(word: str) -> bool:
    return word[:1].isdigit() or word in _NUMBER_WORDS


def passes(test: Test, word: str) -> bool:
    kind, value = test
    if kind == "w":
        return word == value
    if kind == "p":
        return word.startswith(value)
    if kind == "n":
        return is_number(word)
    return True

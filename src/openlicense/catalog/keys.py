"""Lookup keys of license names and URLs, and the folding of typographic characters.

A name is looked up by a key that folds case, spacing, punctuation and version spellings; a
quote is matched in a text after the same typographic folding. The quotes and dashes folded to
ASCII are written once, here, for both.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "FIELD_FOLD_MAP",
    "FOLD_MAP",
    "fold",
    "key_vocabulary",
    "loose_key",
    "map_folds",
    "name_key",
    "unknown_word",
    "url_key",
]

# The typographic quotes and dashes that stand for ASCII ones wherever openlicense compares
# text: in lookup keys, in quote matching and in reading a license field.
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
_DASHES = {"\u2013": "-", "\u2014": "-", "\u2212": "-"}

#: Folding for comparing text: lookup keys (``name_key``) and quote matching (``fold``). One
#: character maps to one, so offsets in a folded text are offsets in the original.
FOLD_MAP = str.maketrans({**_QUOTES, **_DASHES, "\u00a0": " ", "\u2022": " ", "`": "'"})

#: Folding for reading a license field (``openlicense.normalization``): the same quotes and
#: dashes, the rarer low and angle quotes and hyphens, and CJK full-width punctuation, so that
#: separators and wrappers written in either script split and strip alike.
FIELD_FOLD_MAP = str.maketrans(
    {
        **_QUOTES,
        **_DASHES,
        "\u201a": "'",
        "\u201b": "'",
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\uff0c": ",",
        "\uff1b": ";",
        "\u3001": ",",
        "\uff08": "(",
        "\uff09": ")",
    }
)
_SPACE = re.compile(r"\s+")
#: FOLD_MAP as (character, replacement) pairs: it maps a few characters one to one, and
#: ``str.translate`` with a dict costs tens of nanoseconds a character even where it changes
#: nothing, while ``in`` and ``replace`` scan in C.
_FOLD_PAIRS = tuple((chr(c), str(r)) for c, r in FOLD_MAP.items())
_ASCII_FOLD_PAIRS = tuple((c, r) for c, r in _FOLD_PAIRS if c.isascii())


def map_folds(text: str) -> str:
    """``text.translate(FOLD_MAP)``, character for character, at the cost of a scan per
    character FOLD_MAP maps (of those that are ASCII, for an ASCII text)."""
    for char, replacement in _ASCII_FOLD_PAIRS if text.isascii() else _FOLD_PAIRS:
        if char in text:
            text = text.replace(char, replacement)
    return text


def fold(text: str) -> str:
    """Fold case, Unicode forms, curly quotes, dashes and whitespace, for quote matching."""
    text = map_folds(unicodedata.normalize("NFKC", text)).casefold()
    return _SPACE.sub(" ", text).strip()


_KEY_DROP = re.compile(r"[^\w.+]+", re.UNICODE)
_VERSION_V = re.compile(r"\bv(?:er(?:sion)?)?\.?\s*(?=\d)")


_GLUED_VERSION = re.compile(r"(?<=[a-z])(?=\d)")
_DIGIT = re.compile(r"\d")
_UNDERSCORE_VERSION = re.compile(r"(?<=\d)_(?=\d)")
_MISSPELLED_LICENSE = re.compile(r"\b(?:licence|lisence|lisense|licens|liscense|licesne)(s?)\b")


@functools.lru_cache(maxsize=65_536)
def name_key(text: str) -> str:
    """The lookup key of a license name: case, spacing, punctuation and ``v``/``.0`` folded.

    ``"Apache License, Version 2.0"``, ``"apache license v2"``, ``"Apache-Licence 2"`` and
    ``"apache2"`` share one key; digits and version dots are kept, so Llama 3 and Llama 3.1 stay
    apart.
    """
    # Each step is skipped when its pattern cannot match (NFKC leaves ASCII as it is): the
    # same key, at a fraction of the cost, for the normalizer asks for many keys.
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = map_folds(text).casefold()
    if "&" in text:
        text = text.replace("&", " and ")
    if "lic" in text or "lis" in text:
        text = _MISSPELLED_LICENSE.sub(r"license\1", text)
    if "_" in text:
        text = _UNDERSCORE_VERSION.sub(".", text)
    if _DIGIT.search(text):  # both patterns end before a digit
        text = _GLUED_VERSION.sub(" ", text)
        if "v" in text:
            text = _VERSION_V.sub(" ", text)
    text = _KEY_DROP.sub(" ", text.replace("_", " "))
    words = []
    for raw in text.split():
        word = raw.strip(".")
        while word.endswith(".0") and len(word) > 2 and word[-3].isdigit():
            word = word[:-2]
        if word:
            words.append(word)
    return " ".join(words)


_FILLER = frozenset(
    {
        "the",
        "license",
        "licence",
        "licensed",
        "agreement",
        "version",
        "public",
        "international",
        "unported",
        "generic",
    }
)


@functools.lru_cache(maxsize=65_536)
def loose_key(text: str) -> str:
    """A looser key that also drops filler words ("license", "agreement", "the", ...)."""
    return " ".join(w for w in name_key(text).split() if w not in _FILLER)


# The runs of ASCII letters of a text. ``name_key`` keeps every run of its (ASCII) input as it
# is, but for the few it rewrites or drops: a misspelled "license" and a "v"/"ver"/"version"
# before a number; ``loose_key`` drops whole filler words.
_LETTERS = re.compile(r"[a-z]+")
_REWRITTEN = frozenset(
    {"v", "ver", "version", "licence", "lisence", "lisense", "licens", "liscense", "licesne"}
)


def key_vocabulary(keys: Iterable[str]) -> frozenset[str]:
    """Every run of letters of the given name and loose keys, and the runs ``name_key`` and
    ``loose_key`` rewrite or drop: the words an ASCII text can have and still find one of the
    keys (see ``unknown_word``). Built once with the catalog."""
    words = set(_REWRITTEN) | {w + "s" for w in _REWRITTEN} | _FILLER
    for key in keys:
        words.update(_LETTERS.findall(key))
    return frozenset(words)


def unknown_word(text: str, vocabulary: frozenset[str]) -> bool:
    """Whether ``text`` has a run of letters outside ``vocabulary`` (from ``key_vocabulary``),
    so that neither its name key nor its loose key can be one of those keys.

    Only said of ASCII text (NFKC may turn other letters into new runs): for ASCII, every run
    of letters of the text is in its name key as written, or rewritten or dropped, and every
    run of its name key is in its loose key or a filler word."""
    return text.isascii() and not vocabulary.issuperset(_LETTERS.findall(text.lower()))


_URL_SCHEME = re.compile(r"^(?:https?://)?(?:www\.)?", re.I)
_URL_TAIL = re.compile(
    r"(?:/|/index\.html?|\.html?|\.txt|\.md|\.php|/legalcode(?:\.[a-z]+)?)$", re.I
)


def url_key(url: str) -> str:
    """The lookup key of a license URL: scheme, ``www.``, case and ``.html``-like tails folded."""
    key = _URL_SCHEME.sub("", url.strip().strip("<>").casefold())
    key = key.split("#", 1)[0].split("?", 1)[0]
    for _ in range(3):
        stripped = _URL_TAIL.sub("", key)
        if stripped == key:
            break
        key = stripped
    return key.rstrip("/")

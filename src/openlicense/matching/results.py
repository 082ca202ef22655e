"""The values the matcher returns. They import nothing of the matching stages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FileRelation",
    "Match",
    "MatchResult",
    "Method",
    "Notice",
    "Relation",
    "Span",
    "SpanKind",
]

SpanKind = Literal["added", "removed", "changed", "residue"]
Relation = Literal["is", "variant_of"]
FileRelation = Literal["is", "contains", "variant_of"]
Method = Literal["alignment", "spdx-tag", "notice", "no-match", "empty"]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the file that differs from a reference, or that no reference explains.

    ``text`` quotes the file (empty for words the file lacks), ``reference_text`` quotes the
    reference (empty for words the file added). Lines are 1-based and inclusive; a removal is
    placed on the line of the file word that follows it. ``words`` counts folded words on the
    side that has more.
    """

    kind: SpanKind
    start_line: int
    end_line: int
    text: str
    reference_text: str
    words: int


@dataclass(frozen=True, slots=True)
class Match:
    """One reference text found in the file, over ``start_line``..``end_line``.

    ``relation`` is ``is`` when the lines hold the reference exactly up to the SPDX matching
    guidelines, else ``variant_of``. ``license_coverage`` is the share of the reference's words
    found (words the guidelines let differ count as found), ``file_coverage`` the share of the
    whole file's words this reference explains. ``spans`` are the differences inside the lines.
    """

    spdx_id: str
    key: str
    kind: Literal["license", "exception"]
    relation: Relation
    license_coverage: float
    file_coverage: float
    start_line: int
    end_line: int
    spans: tuple[Span, ...]
    reference: str  # the reference text matched: "licenses/mit.LICENSE", "rules/mit_12.RULE"


@dataclass(frozen=True, slots=True)
class Notice:
    """An ``SPDX-License-Identifier`` tag (the expression exactly as stated), or a one-line
    notice naming a license ("Licensed under the Apache License, Version 2.0": the expression
    the normalizer reads in the name), with its line."""

    expression: str
    line: int
    quote: str


@dataclass(frozen=True, slots=True)
class MatchResult:
    """Everything the matcher found in one text.

    ``relation``: ``is`` when the matches explain the whole file and each is exact;
    ``contains`` when each match is exact but some text around them is not explained (a README,
    an appended rider: see ``residue``); ``variant_of`` when a match differs from its reference;
    None when nothing matched. ``expression`` joins the licenses found in file order with
    ``AND``, an exception to the license before it with ``WITH``; it is None when no license was
    found (an exception text alone is in ``matches`` with no expression).
    """

    matches: tuple[Match, ...]
    residue: tuple[Span, ...]
    notices: tuple[Notice, ...]
    method: Method
    expression: str | None
    relation: FileRelation | None
    file_coverage: float

    @property
    def exceptions(self) -> tuple[Match, ...]:
        return tuple(m for m in self.matches if m.kind == "exception")

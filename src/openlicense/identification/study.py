"""The text under study: what identification has learnt about one text so far.

Each matcher (:mod:`openlicense.identification.matchers`) adds to a :class:`TextStudy`; the
findings (:mod:`openlicense.identification.findings`) are read from it at the end.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field

from openlicense import expression as ex
from openlicense.catalog import Catalog, LicenseEntry
from openlicense.identification.exact import Change, FoldedText
from openlicense.model import MAX_QUOTE_LENGTH, Evidence, Match
from openlicense.read.text import TextInput

#: Words outside a contained license text that are still "just a title and a copyright".
_MAX_FRAME_WORDS = 15
#: A change of fewer words than this is a filled-in template (a name, a year), not a clause.
_MIN_CHANGE_WORDS = 4
#: Changes of at least this many words make a modified license even without a flagged clause.
_SUBSTANTIVE_WORDS = 25
#: Least ScanCode coverage of a license text for a text to be called a variant of it.
_MIN_VARIANT_COVERAGE = 50.0
# The tag and its value up to the end of the line or a comment's '*': where the value ends (before
# whitespace and a closing "*/" or "-->", or at the end of the line) is found by spdx_tags() in
# linear time. A lazy value followed by \s* was quadratic on a long run of spaces.
_SPDX_TAG = re.compile(r"SPDX-License-Identifier:\s*(?P<expr>[^\n*]+)")


@dataclass(frozen=True, slots=True)
class SpdxTag:
    """An ``SPDX-License-Identifier`` tag: where it starts, all it spans, and its value."""

    start: int
    whole: str
    expression: str


def spdx_tags(text: str) -> list[SpdxTag]:
    """The tags of a text. A value ends before the first ``-->`` in it, else at the end of its
    line or before a closing ``*/``; a value cut by a lone ``*`` is no tag."""
    tags = []
    pos = 0
    while (m := _SPDX_TAG.search(text, pos)) is not None:
        value, end = m.group("expr"), m.end()
        close = value.find("-->", 1)
        if close != -1 and value[:close].strip():
            expression, end = value[:close].rstrip(), m.start("expr") + close + 3
        elif end == len(text) or text[end] == "\n":
            expression = value.rstrip()
        elif text.startswith("*/", end):
            expression, end = value.rstrip(), end + 2
        else:  # a lone '*' cuts the value: no tag here; a later one may start inside it
            pos = m.start() + 1
            continue
        if expression.strip():
            tags.append(SpdxTag(m.start(), text[m.start() : end], expression))
        pos = end
    return tags


# Words of obligation: text added to a license that uses them changes its terms.
_LEGAL = re.compile(
    r"\b(?:shall|must not|may not|you agree|notwithstanding|licensee|licensor|"
    r"is prohibited|are prohibited|you must)\b",
    re.I,
)
_COPYRIGHT = re.compile(r"^[\s#*/;>\-\"']*(?:copyright\b|\(c\)|©|all rights reserved)", re.I)
_TITLE_SKIP = re.compile(r"^[\s#=*_\-`>|]*$")


@dataclass
class TextStudy:
    """What identification has learnt about one text so far."""

    doc: TextInput
    catalog: Catalog
    expression: str | None = None
    variant_of: str | None = None
    coverage: float | None = None
    method: str | None = None
    matches: list[Match] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.doc.text

    @functools.cached_property
    def folded(self) -> FoldedText:
        return FoldedText(self.doc.text)

    def evidence(self, start: int, end: int) -> Evidence:
        quote = self.text[start:end].strip()
        if len(quote) > MAX_QUOTE_LENGTH:
            quote = quote[: MAX_QUOTE_LENGTH - 3].rstrip() + "..."
        return Evidence(path=self.doc.path, line=self.doc.line_of(start), quote=quote)


def _title(text: str) -> str | None:
    """The first non-decorative line, if it reads like a title (short, no sentence)."""
    for line in text.splitlines()[:8]:
        if _TITLE_SKIP.match(line):
            continue
        candidate = line.strip().strip("#*=_`> ").strip()
        if 3 <= len(candidate) <= 120 and not candidate.endswith((".", ",", ";", ":")):
            return candidate
        return None
    return None


def _entry(catalog: Catalog, expression: str | None) -> LicenseEntry | None:
    if not expression:
        return None
    try:
        node = catalog.expression(expression)
    except ValueError:
        return None
    if isinstance(node, (ex.License, ex.LicenseRef)):
        return catalog.get(node.id)
    return None


def _from_scancode_key(expression: str, catalog: Catalog) -> str | None:
    from openlicense.identification.scancode import to_spdx

    return to_spdx(expression, catalog)


def _is_generic(expression: str, catalog: Catalog) -> bool:
    try:
        node = catalog.expression(expression)
    except ValueError:
        return True
    return any(
        (entry := catalog.get(leaf.id)) is None or entry.generic
        for leaf in ex.iter_license_keys(node)
    )


def _is_notice_file(path: str | None) -> bool:
    name = os.path.basename(path or "").lower().replace("_", "-")
    return (
        name.startswith("notice")
        or "third-party" in name
        or "thirdparty" in name
        or ".notice" in name
    )

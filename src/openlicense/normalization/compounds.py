"""Reading free text: several names in one string, remarks, and what a text is by its shape."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openlicense import expression as ex
from openlicense.catalog import name_key
from openlicense.normalization.cleaning import expression_ids
from openlicense.normalization.names import IdReader, Reading, expand
from openlicense.normalization.spans import first_unreadable

__all__ = ["LenientReader", "Remarks", "unlisted_id"]

# --------------------------------------------------------------------------------------------
# compounds and shapes

# Separators between license names in free text. "+" only counts with spaces around it, so
# that "GPL-2.0+" and "openrail++" stay whole; "/" only with a name on each side.
# A leading run of spaces is entered only at its start ((?<!\s)), which keeps the patterns linear
# on long runs of spaces and gives the same matches.
_SPLIT_AND = re.compile(
    r"(?:(?<!\s)\s+)?(?:;|,|&|\s\+\s|\s/\s|/|\band\b|\bplus\b|\balong with\b)\s*", re.I
)
_SPLIT_OR = re.compile(r"(?<!\s)\s+or\s+|(?:(?<!\s)\s+)?\|\s*", re.I)
_QUOTED = re.compile(r'"([^"]{1,80})"')
_PAREN = re.compile(r"(?:(?<!\s)\s+)?[(\[]([^()\[\]]*)[)\]]\s*")
_QUALIFIER = re.compile(
    r"(?<!\s)\s+(?:for|on|of|covering)\s+(?:the\s+|all\s+|its\s+)?(?:model\s+)?"
    r"(?:code|source|weights|models?|data|datasets?|parameters|checkpoints?|inference|training)"
    r"(?:\s+(?:code|weights|data))?\s*$",
    re.I,
)
# A license's id in parentheses at the end of its name ("Academic Free License (AFL-2.1)").
_ID_IN_PARENS = re.compile(r"\(\s*([A-Za-z0-9][A-Za-z0-9.\-]*\+?)\s*\)\s*$")
# A component's label before its license ("Weights: CC-BY-4.0", "code: MIT").
_LABEL = re.compile(
    r"^(?:model\s+)?(?:code|source(?:\s+code)?|weights|models?|data|datasets?|parameters|"
    r"checkpoints?|docs|documentation)\s*:\s*",
    re.I,
)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|<\s*>")
_LINK = re.compile(r"(?:https?://|www\.)[^\s()\[\]<>\"']+", re.I)
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_LICENSE_WORDS = re.compile(
    r"\b(?:licen[cs]e[ds]?|agreement|terms|conditions|eula|tou|copyright|"
    r"rail|gpl|bsd|mit|apache|creative commons|cc-by|cc0|public domain|policy)\b|许可|协议|授权",
    re.I,
)
_NAME_END = re.compile(
    r"(?:licen[cs]e|agreement|terms(?: of use| and conditions)?|conditions|eula|policy)"
    r"(?:\s*(?:v(?:ersion)?\.?\s*)?\d+(?:\.\d+)*[a-z]?)?\s*$|(?:许可|协议)\s*$",
    re.I,
)
# Words that do not make a license name specific: "Custom license", "Other License".
_GENERIC = frozenset(
    """a an the of for and or with by to in on this our its their own other others custom
    license licence licensed licenses agreement terms conditions condition use usage eula tou
    version v community model models research commercial noncommercial non open source
    opensource free software data dataset datasets ai general standard special specific
    original modified new various unknown undisclosed unclear see only purposes purpose
    weights code additional proprietary restricted restrictive non-commercial permissive
    public private limited policy acceptable some any no that these which same like
    style similar based""".split()  # noqa: SIM905 - a word list reads best as prose
)
# The longest run of separated pieces read as one name: catalogued names have at most three
# ("Open Model, Data & Weights License"), a remark in brackets may hold a few more.
_MAX_SPAN = 8
# The most remarks taken off one part ("MIT (code) (weights)"); past it a part is not a name.
_MAX_REMARKS = 8
_SLUG = re.compile(r"[^a-z0-9.]+")
# a word that could be a license id ("Apache-2.0", "GPL-2.0+", "LicenseRef-x")
_ID_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]*\+?")
_MODIFIED = re.compile(r"^(?:an?\s+)?modified\s+(?:version\s+of\s+(?:the\s+)?)?(.+)$", re.I)


def _keys(reading: Reading) -> set[str]:
    """The license ids a reading names (of every candidate, when it is ambiguous)."""
    nodes = [reading.node] if reading.node is not None else list(reading.candidates)
    return {k.id for node in nodes for k in ex.iter_license_keys(node)}


def _looks_like_license_text(text: str) -> bool:
    return bool(_LICENSE_WORDS.search(text))


def _specific_words(text: str) -> list[str]:
    words = re.findall(r"[\w.+\-]+", text.casefold())
    return [w for w in words if w.strip(".-") and w.strip(".-") not in _GENERIC]


#: The prefix of the id made for a license name the catalog does not know (``unlisted_id``).
UNLISTED_PREFIX = "LicenseRef-openlicense-unlisted-"


def unlisted_id(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    slug = _SLUG.sub("-", ascii_text).strip("-.")
    slug = re.sub(r"-+", "-", slug)[:64].strip("-.")
    if not slug:  # a name in a non-Latin script: keep it stable with a short digest
        import hashlib

        slug = "x" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return UNLISTED_PREFIX + slug


@dataclass(slots=True)
class Remarks:
    """What reading the parts of a compound noticed: deprecated ids, and warnings to report."""

    deprecated: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class LenientReader(IdReader):
    """Also reads compounds, remarks and shapes of free text (steps 4 and 5)."""

    def part(self, text: str, acc: Remarks, remarks: int = 0) -> Reading | None:
        """Read one part of a compound: a name, a loose expression, or a name with a remark.

        Each step is asked only when it can answer: the expression readings only of a text
        shaped like an expression, the remarks only of a text that has one."""
        text = text.strip(" .,:;-\"'")
        if not text:
            return None
        ids = expression_ids(text)
        if ids is not None:
            reading = self.spdx_part(text, ids)  # only whether it is one matters here
            if reading is not None:
                return reading
        reading = self.name(text)
        if reading is None and ids is not None and len(ids) > 1:
            reading = self.loose_expression(text)
        if reading is not None:
            return reading
        # Read without a remark: the component a license is for ("Apache 2.0 for code", which
        # the release model records itself), or one in parentheses ("Apache 2.0 (code)",
        # "Unknown (research purposes only)"), or a label before it ("Weights: CC-BY-4.0").
        if remarks >= _MAX_REMARKS:
            return None  # "(((((...": no name is written under so many remarks
        in_parens = _ID_IN_PARENS.search(text)
        name = text[: in_parens.start()].strip() if in_parens else ""
        if (
            in_parens is not None
            and name
            and self.catalog.license_id(in_parens.group(1)) is not None
            and _SPLIT_AND.search(name) is None
            and _SPLIT_OR.search(name) is None
        ):
            # "Sun Industry Standards Source License (SISSL)": a name with its id, as the
            # SPDX list writes them; the id says which license, whatever the name's spelling.
            reading = self.part(in_parens.group(1), acc, remarks + 1)
            if reading is not None:
                return reading
        if (
            "(" not in text
            and "[" not in text
            and _QUALIFIER.search(text) is None
            and _LABEL.match(text) is None
        ):
            return None  # no remark to take off
        for remark in (_QUALIFIER, _PAREN, _LABEL):
            without = remark.sub(" ", text).strip()
            if without and without != text:
                reading = self.part(without, acc, remarks + 1)
                if reading is not None:
                    acc.warnings.append(f"ignored the remark in {text!r}")
                    return reading
        return None

    def compound(self, text: str, acc: Remarks) -> Reading | None:
        links = _LINK.findall(text)
        if links:
            # "MIT License - https://opensource.org/licenses/MIT": the link is a remark on the
            # name beside it; split on its slashes, it would be read as pieces of names. A
            # link that is a license's own address stays a part: it names that license.
            rest = _EMPTY_BRACKETS.sub(" ", _LINK.sub(" ", text)).strip(" -:;,")
            if not rest:
                # the text is a link: what its address names, else its shape says what it is
                node = self._link_license(links[0].rstrip(".,;:")) if len(links) == 1 else None
                if node is None:
                    return None
                return Reading(node=node, how="url", kind=self._kind(node))
            reading = self.compound(rest, acc)
            if reading is not None:
                parts = [reading]
                named = _keys(reading)
                for link in (found.rstrip(".,;:") for found in links):
                    node = self._link_license(link)
                    if node is None:
                        acc.warnings.append(f"ignored the link {link}")
                        continue
                    ids = {k.id for k in ex.iter_license_keys(node)}
                    if not ids <= named:
                        parts.append(Reading(node=node, how="url", kind=self._kind(node)))
                        named |= ids
                return parts[0] if len(parts) == 1 else self.combine(parts, ex.And, acc)
        quoted = _QUOTED.findall(text)
        if len(quoted) >= 2:
            readings = [self.part(q, acc) for q in quoted]
            if all(r is not None and r.status in {"ok", "ambiguous"} for r in readings):
                rest = _QUOTED.sub(" ", text)
                if rest.strip(" ,;"):
                    acc.warnings.append(f"ignored {rest.strip(' ,;')!r} around the quoted names")
                return self.combine([r for r in readings if r is not None], ex.And, acc)
        alternatives = [p for p in _SPLIT_OR.split(text) if p.strip()]
        if len(alternatives) > 1:
            readings = [self.and_parts(p, acc) for p in alternatives]
            if all(r is not None for r in readings):
                return self.combine([r for r in readings if r is not None], ex.Or, acc)
        return self.and_parts(text, acc)

    def and_parts(self, text: str, acc: Remarks) -> Reading | None:
        pieces = [p for p in _SPLIT_AND.split(text) if p.strip()]
        if len(pieces) < 2:
            return self.part(text, acc)
        # Greedy longest match: a name may itself contain a separator
        # ("Apache License, Version 2.0"), so try the longest run of pieces first.
        seps = _SPLIT_AND.findall(text)
        unreadable = first_unreadable(text, pieces, seps, self.catalog)
        readings: list[Reading] = []
        dropped: list[str] = []
        i = 0
        while i < len(pieces):
            # A run of at most _MAX_SPAN pieces, and the whole text once: reading every run of
            # a long list made a list of n names cost n cubed (issue 12).
            spans: Iterable[int] = range(min(len(pieces), i + _MAX_SPAN), i, -1)
            if i == 0 and len(pieces) > _MAX_SPAN:
                spans = itertools.chain((len(pieces),), spans)
            for j in spans:
                if j >= unreadable[i]:
                    continue
                joined = pieces[i]
                for k in range(i + 1, j):
                    joined += seps[k - 1] + pieces[k] if k - 1 < len(seps) else " " + pieces[k]
                reading = self.part(joined, acc)
                if reading is not None:
                    if reading.status in {"ok", "ambiguous"}:
                        readings.append(reading)
                    else:
                        dropped.append(joined)
                    i = j
                    break
            else:
                dropped.append(pieces[i])
                i += 1
        if not readings:
            return None
        licenseish = [
            d
            for d in dropped
            if _NAME_END.search(d) and _specific_words(d) and self._compound_of(d) is None
        ]
        named = set(licenseish)
        for d in dropped:
            held = None if d in named else self._license_id_in(d)
            if held is not None:
                # "MIT AND NOT Apache-2.0", "Weights: Apache-2.0 ... Data: ...": a part that
                # names a license but cannot be read. Leaving it out would state fewer
                # licenses than the text does (or drop a negation), so no expression is given.
                acc.warnings.append(
                    f"could not read {d!r}, which names {held}: "
                    "no expression rather than one without it"
                )
                return None
        for d in licenseish:
            readings.append(Reading(node=ex.LicenseRef(unlisted_id(d)), how="unlisted-name"))
            acc.warnings.append(f"{d!r} names a license openlicense does not catalog")
        for d in dropped:
            if d not in named:
                acc.warnings.append(f"ignored {d!r}: not a license name")
        return self.combine(readings, ex.And, acc)

    def _link_license(self, link: str) -> ex.Expression | None:
        """The license a link names: a license's own address, or a catalogued name as the
        link's last part or two ("https://en.wikipedia.org/wiki/Zlib_License",
        "http://www.mozilla.org/MPL/2.0/")."""
        found = self.catalog.lookup_url(link)
        if found is not None:
            return self.catalog.expression(found)
        parts = [p for p in link.split("#", maxsplit=1)[0].rstrip("/").split("/")[3:] if p]
        # the last part ("Zlib_License"), then the last two ("MPL/2.0")
        for tail in (parts[-1:], parts[-2:]) if parts else ():
            reading = self.name(" ".join(tail).replace("_", " "))
            if reading is not None and reading.status == "ok" and reading.node is not None:
                return reading.node
        return None

    def _compound_of(self, text: str) -> str | None:
        """A license id that ``text`` names beside other words joined by a separator ("BSD
        WITH Modified MIT OR Licence"): a compound that could not be read, not one name."""
        if _SPLIT_AND.search(text) is None and _SPLIT_OR.search(text) is None:
            return None
        return self._license_id_in(text)

    def _license_id_in(self, text: str) -> str | None:
        """The first word of ``text`` that is a license id of the catalog, if any."""
        for token in _ID_WORD.findall(text):
            found = self.catalog.license_id(token)
            if found is not None:
                return found
        return None

    def combine(
        self, readings: Sequence[Reading], op: type[ex.And] | type[ex.Or], acc: Remarks
    ) -> Reading:
        licenses = [r for r in readings if r.status in {"ok", "ambiguous"}]
        for r in readings:
            if r.status not in {"ok", "ambiguous"}:
                acc.warnings.append(f"left out a part that says {r.status!r}: not a license")
        if not licenses:
            return readings[0]
        readings = licenses
        kept = [r for r in readings if r.kind == "license"]
        for r in readings:
            if r.kind != "license" and r.node is not None:
                acc.warnings.append(
                    f"{ex.render(r.node)} is an {r.kind.replace('-', ' ')}, not a license; "
                    "left out of the expression"
                )
        if not kept:
            kept = list(readings)
        for r in kept:
            acc.deprecated.extend(r.deprecated)
        if len(kept) == 1:
            return kept[0]
        if any(r.status == "ambiguous" for r in kept):
            ambiguous: list[tuple[ex.Expression, tuple[ex.Expression, ...]]] = []
            nodes: list[ex.Expression] = []
            for r in kept:
                if r.status == "ambiguous":
                    placeholder = ex.LicenseRef(f"LicenseRef-ambiguous-{len(ambiguous)}")
                    ambiguous.append((placeholder, r.candidates))
                    nodes.append(placeholder)
                else:
                    assert r.node is not None
                    nodes.append(r.node)
            return Reading(
                candidates=expand(op(tuple(nodes)), ambiguous), status="ambiguous", how="family"
            )
        alts: list[str] = []
        for r in kept:
            alts.extend(r.alternatives)
        nodes = [r.node for r in kept if r.node is not None]
        return Reading(node=op(tuple(nodes)), how="compound", alternatives=tuple(alts))

    def modified(self, base_text: str, text: str, acc: Remarks) -> Reading | None:
        """ "Modified MIT": not MIT, but one of the licenses made by changing it. Which one the
        text does not say, so it is ambiguous between the catalogued ones and an unlisted one."""
        base = self.name(base_text) or self.name(_NAME_END.sub("", base_text).strip() or base_text)
        if base is None or base.node is None or not isinstance(base.node, ex.License):
            return None
        base_words = name_key(base_text).replace(" license", "").split()
        wanted = " ".join(["modified", *base_words])
        candidates: list[ex.Expression] = [
            self.catalog.expression(lid) for lid in self.catalog.modified_versions(wanted)
        ]
        candidates.append(ex.LicenseRef(unlisted_id(text)))
        acc.warnings.append(
            f"a modified {base.node.id} is a different license; the text does not say which"
        )
        return Reading(candidates=tuple(candidates), status="ambiguous", how="modified-license")

    def shape(self, text: str, acc: Remarks) -> Reading:
        """No reading found: say what the text is from its shape."""
        if _URL.match(text):
            found = self.catalog.lookup_url(text)
            if found is not None:
                return Reading(
                    node=self.catalog.expression(found),
                    how="url",
                    kind=self._kind(self.catalog.expression(found)),
                )
            return Reading(status="not-a-license", how="heuristic")
        held = self._compound_of(text)
        if held is not None:
            acc.warnings.append(
                f"could not read {text!r}, which names {held} among other parts: "
                "no expression rather than one without them"
            )
            return Reading(status="unknown", how="heuristic")
        without = _PAREN.sub(" ", text).strip() or text
        target = self.catalog.lookup_status(without)
        if target is not None:
            return Reading(status=target.status, how="placeholder")  # type: ignore[arg-type]
        # A sentence that starts with a placeholder word: "Unknown (research only)".
        words = name_key(without).split()
        for n in range(min(len(words), 4), 0, -1):
            target = self.catalog.lookup_status(" ".join(words[:n]))
            if target is not None:
                return Reading(status=target.status, how="placeholder")  # type: ignore[arg-type]
        modified = _MODIFIED.match(without)
        if modified:
            reading = self.modified(modified.group(1), without, acc)
            if reading is not None:
                return reading
        if _NAME_END.search(without) and _specific_words(without) and len(words) <= 12:
            acc.warnings.append(
                "names a license that openlicense does not catalog; its terms are unknown"
            )
            return Reading(node=ex.LicenseRef(unlisted_id(without)), how="unlisted-name")
        if _looks_like_license_text(text):
            return Reading(status="unknown", how="heuristic")
        return Reading(status="not-a-license", how="heuristic")

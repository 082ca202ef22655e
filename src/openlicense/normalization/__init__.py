"""Turn any way people write a license into an SPDX expression, or say why that is not possible.

``normalize(text)`` tries, in order, and stops at the first reading that accounts for the
whole input:

1. an SPDX license expression (ids and operators in any case; deprecated ids upgraded);
2. one Hugging Face Hub id, ScanCode key, catalogued alias or official name, or a placeholder
   word ("Undisclosed", "other") or family name ("GPL", "OpenRAIL");
3. an expression whose identifiers are written loosely ("apache-2 AND mit");
4. several names joined by "and", ",", ";", "&", "/" or "or", or a list of quoted names, each
   read as in 2 (noise such as "additional terms" is dropped and reported);
5. the shape of the text: a license name the catalog does not know, a placeholder sentence,
   or something that is not a license at all (a URL, a list of datasets).

Only steps 1 and 2 are allowed under ``strictness="spdx"``/``"strict"``.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from openlicense import expression as ex
from openlicense.catalog import Catalog, NameTarget, get_catalog, name_key
from openlicense.errors import InvalidLicenseExpression, UnknownLicenseError
from openlicense.model import NormalizationStatus as Status
from openlicense.model import Normalized

__all__ = [
    "MAX_INPUT_LENGTH",
    "Normalized",
    "Status",
    "Strictness",
    "normalize",
    "osaid_conformant",
]

Strictness = Literal["lenient", "spdx", "strict"]
STRICTNESS_LEVELS: tuple[Strictness, ...] = ("lenient", "spdx", "strict")

#: Longest input accepted. A license string is a name or an expression; anything longer is
#: reported as invalid straight away instead of being scanned.
MAX_INPUT_LENGTH = 4_096
#: Most candidate expressions listed for an ambiguous compound.
MAX_CANDIDATES = 24


# --------------------------------------------------------------------------------------------
# OSAID conformance of an expression


def osaid_conformant(node: ex.Expression, catalog: Catalog | None = None) -> bool | None:
    """Do the catalog's terms grant all four freedoms for this expression?

    AND needs every operand conformant; OR needs one (the recipient may choose it). A WITH
    exception only adds permissions, so it takes the license's value. ``None`` means unknown.
    """
    catalog = catalog or get_catalog()
    if isinstance(node, ex.With):
        return osaid_conformant(node.license, catalog)
    if isinstance(node, (ex.License, ex.LicenseRef)):
        entry = catalog.get(node.id) if not getattr(node, "document_ref", None) else None
        return entry.terms.osaid_conformant if entry else None
    values = [osaid_conformant(arg, catalog) for arg in node.args]
    if isinstance(node, ex.And):
        if any(v is False for v in values):
            return False
        return True if all(v is True for v in values) else None
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


# --------------------------------------------------------------------------------------------
# cleaning


_QUOTE_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\uff0c": ",",
        "\uff1b": ";",
        "\u3001": ",",
        "\uff08": "(",
        "\uff09": ")",
    }
)
_WS = re.compile(r"\s+")


def _clean(text: str) -> tuple[str, str | None]:
    """Fold Unicode forms, quotes, dashes and whitespace; report a control character."""
    for i, ch in enumerate(text):
        if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r":
            return "", f"control character U+{ord(ch):04X} at column {i + 1}"
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_MAP)
    text = _WS.sub(" ", text).strip()
    # Strip matching wrappers people leave around a value: "MIT", 'MIT', `MIT`, [MIT].
    while len(text) >= 2 and (text[0], text[-1]) in {
        ('"', '"'),
        ("'", "'"),
        ("`", "`"),
        ("[", "]"),
    }:
        text = text[1:-1].strip()
    return text, None


_TOKENS = re.compile(r"[()]|[^\s()]+")
_IDTOKEN = re.compile(r"^[A-Za-z0-9.\-]+(?::[A-Za-z0-9.\-]+)?\+?$")


def _plausible_expression(text: str) -> bool:
    """A cheap check that ``text`` could be an SPDX expression: identifiers alternate with
    operators. Free text ("Apache License 2.0") fails it without running the LALR parser;
    anything that passes is parsed for real."""
    expect_id = True
    for token in _TOKENS.findall(text):
        if token in "()":
            continue
        is_op = token.lower() in {"and", "or", "with"}
        if expect_id == is_op or (not is_op and not _IDTOKEN.match(token)):
            return False
        expect_id = is_op
    return not expect_id


# --------------------------------------------------------------------------------------------
# resolution of one name


@dataclass(frozen=True, slots=True)
class _Reading:
    """One way to read (part of) the input."""

    node: ex.Expression | None = None
    candidates: tuple[ex.Expression, ...] = ()
    status: Status = "ok"
    how: str = ""
    alternatives: tuple[str, ...] = ()
    deprecated: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    kind: str = "license"


class _Normalizer:
    def __init__(self, catalog: Catalog, strictness: Strictness, upgrade: bool) -> None:
        self.catalog = catalog
        self.strictness = strictness
        self.upgrade = upgrade

    # -- identifiers --

    def _leaf_canonical(
        self, leaf: ex.License | ex.LicenseRef | ex.With, deprecated: list[str]
    ) -> ex.Expression:
        """Put catalogued LicenseRefs in canonical case and upgrade deprecated ids."""
        if isinstance(leaf, ex.With):
            inner = self._leaf_canonical(leaf.license, deprecated)
            if isinstance(inner, (ex.License, ex.LicenseRef)):
                return ex.With(inner, leaf.exception)
            return inner  # pragma: no cover - a deprecated id with a WITH is left as it was
        if isinstance(leaf, ex.LicenseRef):
            if leaf.document_ref is None:
                canonical = self.catalog.license_id(leaf.id)
                if canonical is not None:
                    # A retired ScanCode reference may now be an SPDX id (OpenMDW-1.0).
                    return self.catalog.expression(canonical)
            return leaf
        entry = self.catalog.get(leaf.id)
        if entry is None or not entry.deprecated:
            return leaf
        deprecated.append(leaf.id + ("+" if leaf.or_later else ""))
        replacement = self.catalog.replacement(leaf.id)
        if not self.upgrade or not replacement:
            return leaf
        if leaf.or_later:
            if replacement.endswith("-only"):
                replacement = replacement.removesuffix("-only") + "-or-later"
            elif "-or-later" not in replacement:
                return leaf
        return self.catalog.expression(replacement)

    def finish(self, node: ex.Expression) -> tuple[ex.Expression, tuple[str, ...]]:
        deprecated: list[str] = []
        node = ex.map_leaves(node, lambda leaf: self._leaf_canonical(leaf, deprecated))
        return ex.simplify(node), tuple(dict.fromkeys(deprecated))

    def _target_reading(self, target: NameTarget, how: str | None = None) -> _Reading:
        how = how or target.how
        if target.status is not None:
            return _Reading(status=target.status, how=how)  # type: ignore[arg-type]
        if target.candidates:
            cands = tuple(self.catalog.expression(c) for c in target.candidates)
            return _Reading(candidates=cands, status="ambiguous", how="family")
        assert target.expression is not None
        node = self.catalog.expression(target.expression)
        return _Reading(node=node, how=how, alternatives=target.alternatives, kind=self._kind(node))

    def _kind(self, node: ex.Expression) -> str:
        if isinstance(node, (ex.License, ex.LicenseRef)):
            entry = self.catalog.get(node.id)
            if entry is not None:
                return entry.kind
        return "license"

    def spdx(self, text: str) -> _Reading:
        """Read ``text`` as an SPDX expression with catalogued ids; raise if it is not one."""
        if self.strictness == "lenient" and not _plausible_expression(text):
            raise InvalidLicenseExpression("not an SPDX expression", expression=text)
        node = ex.parse(text, self.catalog, strict=self.strictness == "strict")
        single = isinstance(node, (ex.License, ex.LicenseRef))
        how = "spdx-id" if isinstance(node, ex.License) else "spdx-expression"
        if single and isinstance(node, ex.LicenseRef):
            how = "licenseref"
        return _Reading(node=node, how=how, kind=self._kind(node))

    def name(self, text: str) -> _Reading | None:
        """One name: HF id, ScanCode key, alias, official name, placeholder or family."""
        catalog = self.catalog
        stripped = text.strip()
        hf = catalog.hf_id(stripped)
        if hf is not None:
            return self._target_reading(hf.target, "hf-id")
        target = catalog.lookup_name(stripped)
        if target is not None and (target.status or target.candidates):
            return self._target_reading(target)  # placeholders and families before keys
        sc = catalog.scancode(stripped)
        if sc is not None and " " not in stripped:
            return self._target_reading(NameTarget(expression=sc), "scancode-key")
        if target is not None:
            return self._with_gnu_alternative(self._target_reading(target), stripped)
        return None

    def _with_gnu_alternative(self, reading: _Reading, text: str) -> _Reading:
        """A GNU license named without "only" or "or later" may mean either: say so."""
        node = reading.node
        if not isinstance(node, ex.License) or not node.id.endswith("-only"):
            return reading
        if re.search(r"\bonly\b|or.later|\+", text, re.I):
            return reading
        later = self.catalog.license_id(node.id.removesuffix("-only") + "-or-later")
        if later is None or later in reading.alternatives:
            return reading
        return dataclasses.replace(reading, alternatives=(*reading.alternatives, later))

    def loose_expression(self, text: str) -> _Reading | None:
        """An expression whose leaves are loosely written ids ("apache-2 and gpl-3")."""
        if not _plausible_expression(text):
            return None
        try:
            tree = ex.parse(text)
        except InvalidLicenseExpression:
            return None
        leaves = list(ex.iter_license_keys(tree))
        if len(leaves) < 2 and not isinstance(tree, ex.With):
            return None  # a single word was already tried as a name
        ambiguous: list[tuple[ex.Expression, tuple[ex.Expression, ...]]] = []

        def fix(leaf: ex.License | ex.LicenseRef | ex.With) -> ex.Expression:
            if isinstance(leaf, ex.With):
                inner = fix(leaf.license)
                exc = self.catalog.exception_id(leaf.exception)
                if exc is None and not leaf.exception.startswith(("AdditionRef-", "DocumentRef-")):
                    raise LookupError(leaf.exception)
                exc = exc or leaf.exception
                if isinstance(inner, (ex.License, ex.LicenseRef)):
                    return ex.With(inner, exc)
                return inner
            if isinstance(leaf, ex.LicenseRef):
                return leaf
            canonical = self.catalog.license_id(leaf.id)
            if canonical is not None:
                return ex.License(canonical, leaf.or_later)
            reading = self.name(leaf.id + ("+" if leaf.or_later else ""))
            if reading is None and leaf.or_later:
                reading = self.name(leaf.id)
            if reading is None or reading.status not in {"ok", "ambiguous"}:
                raise LookupError(leaf.id)
            if reading.status == "ambiguous":
                placeholder = ex.LicenseRef(f"LicenseRef-ambiguous-{len(ambiguous)}")
                ambiguous.append((placeholder, reading.candidates))
                return placeholder
            assert reading.node is not None
            return reading.node

        try:
            node = ex.map_leaves(tree, fix)
        except (LookupError, InvalidLicenseExpression):
            return None
        if ambiguous:
            return _Reading(candidates=_expand(node, ambiguous), status="ambiguous", how="family")
        return _Reading(node=node, how="corrected-expression")


def _substitute(node: ex.Expression, mapping: dict[ex.Expression, ex.Expression]) -> ex.Expression:
    return ex.map_leaves(node, lambda leaf: mapping.get(leaf, leaf))


def _expand(
    node: ex.Expression, ambiguous: Sequence[tuple[ex.Expression, tuple[ex.Expression, ...]]]
) -> tuple[ex.Expression, ...]:
    out: list[ex.Expression] = []
    for combo in itertools.islice(
        itertools.product(*(cands for _, cands in ambiguous)), MAX_CANDIDATES
    ):
        mapping = {
            placeholder: cand for (placeholder, _), cand in zip(ambiguous, combo, strict=True)
        }
        out.append(ex.simplify(_substitute(node, mapping)))
    return tuple(out)


# --------------------------------------------------------------------------------------------
# compounds and shapes

# Separators between license names in free text. "+" only counts with spaces around it, so
# that "GPL-2.0+" and "openrail++" stay whole; "/" only with a name on each side.
_SPLIT_AND = re.compile(r"\s*(?:;|,|&|\s\+\s|\s/\s|/|\band\b|\bplus\b|\balong with\b)\s*", re.I)
_SPLIT_OR = re.compile(r"\s+or\s+|\s*\|\s*", re.I)
_QUOTED = re.compile(r'"([^"]{1,80})"')
_PAREN = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]\s*")
_QUALIFIER = re.compile(
    r"\s+(?:for|on|of|covering)\s+(?:the\s+|all\s+|its\s+)?(?:model\s+)?"
    r"(?:code|source|weights|models?|data|datasets?|parameters|checkpoints?|inference|training)"
    r"(?:\s+(?:code|weights|data))?\s*$",
    re.I,
)
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
_SLUG = re.compile(r"[^a-z0-9.]+")
_MODIFIED = re.compile(r"^(?:an?\s+)?modified\s+(?:version\s+of\s+(?:the\s+)?)?(.+)$", re.I)


def _looks_like_license_text(text: str) -> bool:
    return bool(_LICENSE_WORDS.search(text))


def _specific_words(text: str) -> list[str]:
    words = re.findall(r"[\w.+\-]+", text.casefold())
    return [w for w in words if w.strip(".-") and w.strip(".-") not in _GENERIC]


def _unlisted_id(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    slug = _SLUG.sub("-", ascii_text).strip("-.")
    slug = re.sub(r"-+", "-", slug)[:64].strip("-.")
    if not slug:  # a name in a non-Latin script: keep it stable with a short digest
        import hashlib

        slug = "x" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return f"LicenseRef-openlicense-unlisted-{slug}"


@dataclass(slots=True)
class _Acc:
    deprecated: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Lenient(_Normalizer):
    def part(self, text: str, acc: _Acc) -> _Reading | None:
        """Read one part of a compound: a name, a loose expression, or a name with a remark."""
        text = text.strip(" .,:;-\"'")
        if not text:
            return None
        try:
            return self.spdx(text)
        except InvalidLicenseExpression:
            pass
        reading = self.name(text) or self.loose_expression(text)
        if reading is not None:
            return reading
        # Read without a remark: the component a license is for ("Apache 2.0 for code", which
        # the release model records itself), or one in parentheses ("Apache 2.0 (code)",
        # "Unknown (research purposes only)").
        for remark in (_QUALIFIER, _PAREN):
            without = remark.sub(" ", text).strip()
            if without and without != text:
                reading = self.part(without, acc)
                if reading is not None:
                    acc.warnings.append(f"ignored the remark in {text!r}")
                    return reading
        return None

    def compound(self, text: str, acc: _Acc) -> _Reading | None:
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

    def and_parts(self, text: str, acc: _Acc) -> _Reading | None:
        pieces = [p for p in _SPLIT_AND.split(text) if p.strip()]
        if len(pieces) < 2:
            return self.part(text, acc)
        # Greedy longest match: a name may itself contain a separator
        # ("Apache License, Version 2.0"), so try the longest run of pieces first.
        seps = _SPLIT_AND.findall(text)
        readings: list[_Reading] = []
        dropped: list[str] = []
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
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
        licenseish = [d for d in dropped if _NAME_END.search(d) and _specific_words(d)]
        for d in licenseish:
            readings.append(_Reading(node=ex.LicenseRef(_unlisted_id(d)), how="unlisted-name"))
            acc.warnings.append(f"{d!r} names a license openlicense does not catalog")
        for d in dropped:
            if d not in licenseish:
                acc.warnings.append(f"ignored {d!r}: not a license name")
        return self.combine(readings, ex.And, acc)

    def combine(
        self, readings: Sequence[_Reading], op: type[ex.And] | type[ex.Or], acc: _Acc
    ) -> _Reading:
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
            return _Reading(
                candidates=_expand(op(tuple(nodes)), ambiguous), status="ambiguous", how="family"
            )
        alts: list[str] = []
        for r in kept:
            alts.extend(r.alternatives)
        nodes = [r.node for r in kept if r.node is not None]
        return _Reading(node=op(tuple(nodes)), how="compound", alternatives=tuple(alts))

    def modified(self, base_text: str, text: str, acc: _Acc) -> _Reading | None:
        """ "Modified MIT": not MIT, but one of the licenses made by changing it. Which one the
        text does not say, so it is ambiguous between the catalogued ones and an unlisted one."""
        base = self.name(base_text) or self.name(_NAME_END.sub("", base_text).strip() or base_text)
        if base is None or base.node is None or not isinstance(base.node, ex.License):
            return None
        base_words = name_key(base_text).replace(" license", "").split()
        wanted = " ".join(["modified", *base_words])
        candidates: list[ex.Expression] = [
            self.catalog.expression(e.id)
            for e in self.catalog.curated()
            if wanted in name_key(e.name) or any(wanted in name_key(a) for a in e.aliases)
        ]
        candidates.append(ex.LicenseRef(_unlisted_id(text)))
        acc.warnings.append(
            f"a modified {base.node.id} is a different license; the text does not say which"
        )
        return _Reading(candidates=tuple(candidates), status="ambiguous", how="modified-license")

    def shape(self, text: str, acc: _Acc) -> _Reading:
        """No reading found: say what the text is from its shape."""
        if _URL.match(text):
            found = self.catalog.lookup_url(text)
            if found is not None:
                return _Reading(
                    node=self.catalog.expression(found),
                    how="url",
                    kind=self._kind(self.catalog.expression(found)),
                )
            return _Reading(status="not-a-license", how="heuristic")
        without = _PAREN.sub(" ", text).strip() or text
        target = self.catalog.lookup_name(without)
        if target is not None and target.status is not None:
            return _Reading(status=target.status, how="placeholder")  # type: ignore[arg-type]
        # A sentence that starts with a placeholder word: "Unknown (research only)".
        words = name_key(without).split()
        for n in range(min(len(words), 4), 0, -1):
            target = self.catalog.lookup_name(" ".join(words[:n]))
            if target is not None and target.status is not None:
                return _Reading(status=target.status, how="placeholder")  # type: ignore[arg-type]
        modified = _MODIFIED.match(without)
        if modified:
            reading = self.modified(modified.group(1), without, acc)
            if reading is not None:
                return reading
        if _NAME_END.search(without) and _specific_words(without) and len(words) <= 12:
            acc.warnings.append(
                "names a license that openlicense does not catalog; its terms are unknown"
            )
            return _Reading(node=ex.LicenseRef(_unlisted_id(without)), how="unlisted-name")
        if _looks_like_license_text(text):
            return _Reading(status="unknown", how="heuristic")
        return _Reading(status="not-a-license", how="heuristic")


# The SPDX special values of license fields: not expressions, but statements about the license.
_SPDX_SPECIAL: dict[str, Status] = {"NONE": "none", "NOASSERTION": "unknown"}

# --------------------------------------------------------------------------------------------


def normalize(
    text: str,
    *,
    strictness: Strictness = "lenient",
    upgrade_deprecated: bool = True,
    catalog: Catalog | None = None,
) -> Normalized:
    """Normalize one license string to a canonical SPDX expression, or say why not.

    ``strictness``: ``"lenient"`` (default) reads every form people write; ``"spdx"`` accepts only
    SPDX expressions (any case, deprecated ids accepted, reported and upgraded); ``"strict"``
    also rejects deprecated ids. ``upgrade_deprecated=False`` keeps deprecated ids as written
    (they are still reported in ``deprecated``).

    Never raises for bad input: an invalid string gives ``status="invalid"`` with ``error``.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() takes a str, not {type(text).__name__}")
    if strictness not in STRICTNESS_LEVELS:
        raise ValueError(f"strictness must be one of {', '.join(STRICTNESS_LEVELS)}")
    if catalog is None and len(text) <= 256:
        # Corpora repeat the same few hundred strings; results are immutable, so share them.
        return _normalize_cached(text, strictness, upgrade_deprecated)
    return _normalize(text, strictness, upgrade_deprecated, catalog or get_catalog())


@functools.lru_cache(maxsize=16_384)
def _normalize_cached(text: str, strictness: Strictness, upgrade_deprecated: bool) -> Normalized:
    return _normalize(text, strictness, upgrade_deprecated, get_catalog())


def _normalize(
    text: str, strictness: Strictness, upgrade_deprecated: bool, catalog: Catalog
) -> Normalized:
    if len(text) > MAX_INPUT_LENGTH:
        return Normalized(
            input=text,
            status="invalid",
            error=f"input is {len(text):,} characters long; a license string has at most "
            f"{MAX_INPUT_LENGTH:,}",
        )
    cleaned, problem = _clean(text)
    if problem:
        return Normalized(input=text, status="invalid", error=problem)
    if not cleaned and strictness != "lenient":
        return Normalized(input=text, status="invalid", error="empty license expression")
    if not cleaned:
        return Normalized(
            input=text, status="unknown", matched_by="empty", warnings=("the input is empty",)
        )

    special = _SPDX_SPECIAL.get(cleaned.upper()) if cleaned.upper() == cleaned else None
    if special is not None:
        return Normalized(input=text, status=special, matched_by="spdx-special-value")
    if strictness != "lenient":
        return _normalize_spdx(text, cleaned, catalog, strictness, upgrade_deprecated)

    worker = _Lenient(catalog, strictness, upgrade_deprecated)
    acc = _Acc()
    reading: _Reading | None
    try:
        reading = worker.spdx(cleaned)
    except InvalidLicenseExpression as syntax_error:
        broken = _broken_expression(cleaned, syntax_error)
        if broken is not None:
            # An SPDX expression with a dangling operator or unbalanced parentheses: reading
            # the pieces that parse would silently drop the rest, so say what is wrong.
            return Normalized(input=text, status="invalid", error=str(broken))
        try:
            reading = worker.name(cleaned) or worker.loose_expression(cleaned)
            if reading is None:
                reading = worker.compound(cleaned, acc)
            if reading is None:
                reading = worker.shape(cleaned, acc)
        except InvalidLicenseExpression as exc:  # pragma: no cover - a catalog entry is broken
            return Normalized(input=text, status="invalid", error=f"{syntax_error}; {exc}")
    return _result(text, reading, worker, acc)


_STRUCTURAL = (
    "unexpected end of expression",
    "unbalanced closing parenthesis",
    "unexpected operator",
)


def _broken_expression(
    text: str, error: InvalidLicenseExpression
) -> InvalidLicenseExpression | None:
    """The structural error of ``text`` if it is an SPDX expression written wrong (upper-case
    operators, SPDX-shaped ids, a dangling operator or unbalanced parentheses), not free text."""
    if isinstance(error, UnknownLicenseError):
        return None
    operators = {"AND", "OR", "WITH"}
    tokens = _TOKENS.findall(text)
    if not any(t in operators for t in tokens):
        return None
    if not all(t in "()" or t.upper() in operators or _IDTOKEN.match(t) for t in tokens):
        return None
    if not any("-" in t or "." in t for t in tokens):
        return None
    if not error.message.startswith(_STRUCTURAL):
        try:  # the cheap plausibility check refused it: ask the parser what is wrong
            ex.parse(text)
        except InvalidLicenseExpression as real:
            error = real
        else:
            return None
    return error if error.message.startswith(_STRUCTURAL) else None


def _result(text: str, reading: _Reading, worker: _Normalizer, acc: _Acc) -> Normalized:
    catalog = worker.catalog
    warnings = list(dict.fromkeys([*reading.warnings, *acc.warnings]))
    if reading.status == "ambiguous":
        cands: list[str] = []
        values: set[bool | None] = set()
        for cand in reading.candidates:
            node, _ = worker.finish(cand)
            rendered = ex.render(node)
            if rendered not in cands:
                cands.append(rendered)
                values.add(osaid_conformant(node, catalog))
        return Normalized(
            input=text,
            status="ambiguous",
            candidates=tuple(cands),
            matched_by=reading.how or "family",
            osaid_conformant=values.pop() if len(values) == 1 else None,
            warnings=tuple(warnings),
        )
    if reading.status != "ok" or reading.node is None:
        return Normalized(
            input=text, status=reading.status, matched_by=reading.how, warnings=tuple(warnings)
        )
    node, deprecated = worker.finish(reading.node)
    deprecated = tuple(dict.fromkeys([*acc.deprecated, *reading.deprecated, *deprecated]))
    for dep in deprecated:
        warnings.append(f"{dep} is a deprecated SPDX license identifier")
    alternatives = tuple(a for a in dict.fromkeys(reading.alternatives) if a != ex.render(node))
    for leaf in ex.iter_license_keys(node):
        if (
            isinstance(leaf, ex.LicenseRef)
            and leaf.document_ref is None
            and leaf.id not in catalog
            and leaf.id.startswith(("LicenseRef-scancode-", "LicenseRef-openlicense-"))
            and not leaf.id.startswith("LicenseRef-openlicense-unlisted-")
        ):
            warnings.append(f"{leaf.id} is not in the catalog")
    return Normalized(
        input=text,
        status="ok",
        expression=ex.render(node),
        candidates=alternatives,
        matched_by=reading.how,
        osaid_conformant=osaid_conformant(node, catalog),
        deprecated=deprecated,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _normalize_spdx(
    text: str, cleaned: str, catalog: Catalog, strictness: Strictness, upgrade: bool
) -> Normalized:
    worker = _Normalizer(catalog, strictness, upgrade)
    try:
        reading = worker.spdx(cleaned)
    except InvalidLicenseExpression as exc:
        return Normalized(input=text, status="invalid", error=str(exc))
    if strictness == "strict":
        deprecated: list[str] = []
        ex.map_leaves(reading.node, lambda leaf: worker._leaf_canonical(leaf, deprecated))  # type: ignore[arg-type]
        if deprecated:
            replacement = catalog.replacement(deprecated[0].rstrip("+"))
            hint = f"; use {replacement}" if replacement else ""
            return Normalized(
                input=text,
                status="invalid",
                error=f"deprecated license identifier {deprecated[0]}{hint}",
                deprecated=tuple(deprecated),
            )
    return _result(text, reading, worker, _Acc())


def normalize_many(texts: Iterable[str], **kwargs: Any) -> list[Normalized]:
    """Normalize several strings with one catalog."""
    return [normalize(t, **kwargs) for t in texts]

"""The license catalog: what each license is, what it is called, and what its terms allow.

The catalog is data (``openlicense/data``, see ``docs/catalog.md``); this module loads it once
per process, lazily, and answers questions about it. Nothing else in openlicense holds license
lists.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from openlicense.catalog.texts import FOLD_MAP
from openlicense.errors import CatalogError
from openlicense.model import FREEDOMS
from openlicense.model import FreedomGrant as FreedomStatus

if TYPE_CHECKING:
    from openlicense.expression import Expression

__all__ = [
    "FREEDOMS",
    "Catalog",
    "FlagClause",
    "FlagInfo",
    "HfMapping",
    "LicenseEntry",
    "NameTarget",
    "Terms",
    "get_catalog",
    "name_key",
]

Namespace = Literal["spdx", "scancode", "openlicense", "user"]
_FREEDOM_VALUES = {"granted", "restricted", "unknown"}
_KINDS = {"license", "acceptable-use-policy", "terms-of-service", "exception"}
_OPENLICENSE_KEY = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")


@dataclass(frozen=True, slots=True)
class FlagInfo:
    """One openwashing flag of the vocabulary (``data/flags.toml``)."""

    name: str
    code: str
    severity: str
    scope: str  # "license-term" or "release"
    restricts: tuple[str, ...]
    summary: str


@dataclass(frozen=True, slots=True)
class FlagClause:
    """A flag a license triggers, with the clause that triggers it."""

    flag: str
    section: str
    quote: str
    verified: bool = True  # False: quoted from a published text openlicense has no copy of


@dataclass(frozen=True, slots=True)
class Terms:
    """What a license allows: the four OSAID freedoms and the flags its clauses raise."""

    freedoms: tuple[tuple[str, FreedomStatus], ...]
    flags: tuple[FlagClause, ...] = ()
    osaid_conformant: bool | None = None
    reason: str = ""
    basis: str = "catalog"  # catalog | osi-approved | fsf-libre | unknown

    def freedom(self, name: str) -> FreedomStatus:
        return dict(self.freedoms)[name]

    @classmethod
    def uniform(cls, status: FreedomStatus, **kwargs: Any) -> Terms:
        return cls(freedoms=tuple((f, status) for f in FREEDOMS), **kwargs)


_UNKNOWN_TERMS = Terms.uniform(
    "unknown", basis="unknown", reason="openlicense has no record of this license's terms"
)


@dataclass(frozen=True, slots=True)
class LicenseEntry:
    """A license the catalog knows, under its canonical identifier."""

    id: str
    name: str
    namespace: Namespace
    kind: str = "license"
    osi_approved: bool = False
    fsf_libre: bool = False
    deprecated: bool = False
    scancode_key: str | None = None
    scancode_category: str = ""
    generic: bool = False  # ScanCode's catch-alls ("unknown", "warranty-disclaimer", ...)
    identify_by: tuple[str, ...] = ()  # verbatim phrases that together identify the text
    family: str | None = None
    version: str | None = None
    released: str | None = None
    aliases: tuple[str, ...] = ()
    hf_ids: tuple[str, ...] = ()
    incorporates: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    text: str | None = None
    sources: tuple[str, ...] = ()
    notes: str = ""
    curated_terms: Terms | None = None
    origin: str = ""  # the data file the entry's curated facts come from

    @property
    def terms(self) -> Terms:
        """Curated terms, else terms derived from OSI/FSF status, else unknown."""
        if self.curated_terms is not None:
            return self.curated_terms
        if self.osi_approved:
            return Terms.uniform(
                "granted",
                osaid_conformant=True,
                basis="osi-approved",
                reason="OSI-approved license (SPDX License List)",
            )
        if self.fsf_libre:
            return Terms.uniform(
                "granted",
                osaid_conformant=True,
                basis="fsf-libre",
                reason="FSF free software license (SPDX License List)",
            )
        return _UNKNOWN_TERMS


@dataclass(frozen=True, slots=True)
class NameTarget:
    """What a name means: an expression, a family (ambiguous), or a status word."""

    expression: str | None = None
    candidates: tuple[str, ...] = ()
    status: str | None = None  # none | unknown | proprietary | not-a-license
    how: str = "alias"  # alias | name | spdx-id | scancode-key | hf-id | placeholder | family
    alternatives: tuple[str, ...] = ()  # equally right readings (GPL without only/or-later)


@dataclass(frozen=True, slots=True)
class HfMapping:
    id: str
    name: str
    target: NameTarget
    note: str = ""


def _data(name: str) -> Any:
    return resources.files("openlicense").joinpath("data").joinpath(name)


# Curly quotes, dashes and no-break spaces fold as in quote matching (openlicense.catalog.texts).
_QUOTES = FOLD_MAP
_KEY_DROP = re.compile(r"[^\w.+]+", re.UNICODE)
_VERSION_V = re.compile(r"\bv(?:er(?:sion)?)?\.?\s*(?=\d)")


_GLUED_VERSION = re.compile(r"(?<=[a-z])(?=\d)")
_UNDERSCORE_VERSION = re.compile(r"(?<=\d)_(?=\d)")
_MISSPELLED_LICENSE = re.compile(r"\b(?:licence|lisence|lisense|licens|liscense|licesne)(s?)\b")


@functools.lru_cache(maxsize=65_536)
def name_key(text: str) -> str:
    """The lookup key of a license name: case, spacing, punctuation and ``v``/``.0`` folded.

    ``"Apache License, Version 2.0"``, ``"apache license v2"``, ``"Apache-Licence 2"`` and
    ``"apache2"`` share one key; digits and version dots are kept, so Llama 3 and Llama 3.1 stay
    apart.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = text.replace("&", " and ")
    text = _MISSPELLED_LICENSE.sub(r"license\1", text)
    text = _UNDERSCORE_VERSION.sub(".", text)
    text = _GLUED_VERSION.sub(" ", text)
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


_YEAR_SUFFIX = re.compile(r"\s+(?:19|20)\d\d(?:[-.]\d\d(?:[-.]\d\d)?)?$")


# --------------------------------------------------------------------------------------------


class Catalog:
    """Every license openlicense knows, indexed by id, ScanCode key, Hugging Face id and name."""

    def __init__(
        self,
        *,
        entries: Mapping[str, LicenseEntry],
        exceptions: Mapping[str, str],
        hf: Mapping[str, HfMapping],
        names: Mapping[str, NameTarget],
        loose_names: Mapping[str, NameTarget],
        scancode_keys: Mapping[str, str],
        scancode_exceptions: Mapping[str, str],
        urls: Mapping[str, str],
        deprecated: Mapping[str, str],
        ref_aliases: Mapping[str, str],
        flags: Mapping[str, FlagInfo],
        provenance: Mapping[str, Any],
    ) -> None:
        self._entries = dict(entries)
        self._by_lower = {k.lower(): k for k in self._entries}
        for alias, target in ref_aliases.items():
            self._by_lower.setdefault(alias, target)
        self._exceptions = {k.lower(): k for k in exceptions}
        self.exception_names = dict(exceptions)
        self._hf = dict(hf)
        self._names = dict(names)
        self._loose = dict(loose_names)
        self._scancode = dict(scancode_keys)
        self._scancode_exceptions = dict(scancode_exceptions)
        self._urls = dict(urls)
        self._deprecated = dict(deprecated)
        self.flags = dict(flags)
        self.provenance = dict(provenance)
        self._parsed: dict[str, Expression] = {}

    def expression(self, text: str) -> Expression:
        """Parse an expression the catalog itself holds (memoized: the set is small and fixed)."""
        node = self._parsed.get(text)
        if node is None:
            from openlicense.expression import parse

            node = self._parsed[text] = parse(text, self)
        return node

    # -- identifiers (the IdResolver protocol of openlicense.expression) --

    def license_id(self, text: str) -> str | None:
        """Canonical spelling of a license id or catalogued LicenseRef, case-insensitively."""
        return self._by_lower.get(text.lower())

    def exception_id(self, text: str) -> str | None:
        return self._exceptions.get(text.lower())

    def get(self, license_id: str) -> LicenseEntry | None:
        canonical = self.license_id(license_id)
        return self._entries[canonical] if canonical else None

    def __getitem__(self, license_id: str) -> LicenseEntry:
        entry = self.get(license_id)
        if entry is None:
            raise KeyError(license_id)
        return entry

    def __contains__(self, license_id: object) -> bool:
        return isinstance(license_id, str) and self.license_id(license_id) is not None

    def __iter__(self) -> Iterator[LicenseEntry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def replacement(self, deprecated_id: str) -> str | None:
        """The expression that replaces a deprecated SPDX id, if the SPDX list names one."""
        canonical = self.license_id(deprecated_id)
        return self._deprecated.get(canonical) if canonical else None

    def scancode(self, key: str) -> str | None:
        """The canonical id for a ScanCode license key (an SPDX id where ScanCode maps to one)."""
        return self._scancode.get(key.lower())

    def scancode_exception(self, key: str) -> str | None:
        """The SPDX exception id for a ScanCode exception key (or an SPDX exception id)."""
        return self._scancode_exceptions.get(key.lower()) or self.exception_id(key)

    def fingerprinted(self) -> list[LicenseEntry]:
        """Entries that carry ``identify_by`` phrases, for identifying texts ScanCode lacks."""
        return [e for e in self._entries.values() if e.identify_by]

    def hf_id(self, hf_id: str) -> HfMapping | None:
        return self._hf.get(hf_id.strip().lower())

    @property
    def hf_ids(self) -> Mapping[str, HfMapping]:
        return self._hf

    def lookup_name(self, text: str) -> NameTarget | None:
        """What a free-text name means, by exact key and then by loose key."""
        key = name_key(text)
        if not key:
            return None
        found = self._names.get(key)
        if found is not None:
            return found
        return self._loose.get(loose_key(text))

    def lookup_url(self, url: str) -> str | None:
        """The license a URL names (its text, homepage or FAQ), when only one license has it."""
        return self._urls.get(url_key(url))

    def flag(self, name: str) -> FlagInfo:
        try:
            return self.flags[name]
        except KeyError:
            raise CatalogError(f"unknown flag {name!r}") from None

    def family(self, family: str) -> list[LicenseEntry]:
        return [e for e in self._entries.values() if e.family == family]

    def curated(self) -> Iterable[LicenseEntry]:
        """Entries with hand-written facts (aliases, terms), in id order."""
        return sorted((e for e in self._entries.values() if e.origin), key=lambda e: e.id.lower())


# --------------------------------------------------------------------------------------------
# loading


def _load_toml(name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(_data(name).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"data/{name}: {exc}") from exc


def _curated_files() -> list[str]:
    folder = _data("licenses")
    return sorted(f"licenses/{p.name}" for p in folder.iterdir() if p.name.endswith(".toml"))


def _terms_from(raw: Mapping[str, Any], where: str, flags: Mapping[str, FlagInfo]) -> Terms | None:
    freedoms_raw = raw.get("freedoms")
    flag_rows = raw.get("flags", [])
    if freedoms_raw is None and not flag_rows and "osaid_conformant" not in raw:
        return None
    freedoms_raw = freedoms_raw or {}
    freedoms: list[tuple[str, FreedomStatus]] = []
    for name in FREEDOMS:
        value = freedoms_raw.get(name, "unknown")
        if value not in _FREEDOM_VALUES:
            raise CatalogError(f"{where}: freedom {name} = {value!r}")
        freedoms.append((name, value))
    clauses = []
    for row in flag_rows:
        if row.get("flag") not in flags:
            raise CatalogError(f"{where}: unknown flag {row.get('flag')!r}")
        clauses.append(
            FlagClause(
                flag=row["flag"],
                section=str(row.get("section", "")),
                quote=str(row.get("quote", "")),
                verified=bool(row.get("verified", True)),
            )
        )
    conformant = raw.get("osaid_conformant")
    if conformant is None and all(v == "granted" for _, v in freedoms) and not clauses:
        conformant = True
    return Terms(
        freedoms=tuple(freedoms),
        flags=tuple(clauses),
        osaid_conformant=conformant,
        reason=str(raw.get("osaid_reason", "")),
        basis="catalog",
    )


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


class _NameIndex:
    """Builds name → target maps; earlier (higher-priority) sources win, ties become families."""

    def __init__(self, keyfn: Any) -> None:
        self.keyfn = keyfn
        self.targets: dict[str, NameTarget] = {}
        self.priority: dict[str, int] = {}

    def add(self, name: str, target: NameTarget, priority: int) -> None:
        key = self.keyfn(name)
        if not key:
            return
        old = self.targets.get(key)
        if old is None or priority < self.priority[key]:
            self.targets[key] = target
            self.priority[key] = priority
            return
        if priority > self.priority[key] or old == target:
            return
        # Two sources of equal rank disagree: the name is ambiguous between them.
        cands = list(old.candidates or ((old.expression,) if old.expression else ()))
        for cand in target.candidates or ((target.expression,) if target.expression else ()):
            if cand not in cands:
                cands.append(cand)
        self.targets[key] = NameTarget(candidates=tuple(cands), how="family")


def _load() -> Catalog:
    spdx = json.loads(_data("spdx.json").read_text(encoding="utf-8"))
    scancode = json.loads(_data("scancode.json").read_text(encoding="utf-8"))
    flag_rows = _load_toml("flags.toml")["flag"]
    flags = {
        r["name"]: FlagInfo(
            name=r["name"],
            code=r["code"],
            severity=r["severity"],
            scope=r["scope"],
            restricts=tuple(r["restricts"]),
            summary=r["summary"],
        )
        for r in flag_rows
    }

    entries: dict[str, LicenseEntry] = {}
    for lic in spdx["licenses"]:
        entries[lic["id"]] = LicenseEntry(
            id=lic["id"],
            name=lic["name"],
            namespace="spdx",
            osi_approved=lic["osi_approved"],
            fsf_libre=lic["fsf_libre"],
            deprecated=lic["deprecated"],
            text=f"spdx:{lic['id']}",
        )
    exceptions = {e["id"]: e["name"] for e in spdx["exceptions"]}
    spdx_lower = {k.lower(): k for k in entries}

    scancode_keys: dict[str, str] = {}
    scancode_exceptions: dict[str, str] = {}
    url_owners: dict[str, set[str]] = {}
    scancode_names: list[tuple[str, str, str]] = []  # (name, canonical id, kind of name)
    # ScanCode lags the SPDX list: OpenMDW-1.0 is still "LicenseRef-scancode-openmdw-1.0" there,
    # and a retired key ("odc-1.0") is claimed by its successor's other_spdx_license_keys. Such
    # keys are mapped to the SPDX id, and their LicenseRef- form is kept as an alias of it.
    claimed: dict[str, str] = {}
    for sc in scancode["licenses"]:
        target = sc.get("spdx_license_key", "")
        if target.lower() in spdx_lower:
            for other in sc.get("other_spdx_license_keys", ()):
                if other.lower().startswith("licenseref-scancode-"):
                    claimed[other.lower().removeprefix("licenseref-scancode-")] = target
    ref_aliases: dict[str, str] = {}
    for sc in scancode["licenses"]:
        key = sc["key"]
        spdx_key = sc.get("spdx_license_key", "")
        if spdx_key.lower() not in spdx_lower:
            # Same key *and* same name: ScanCode's "bsl-1.0" (Business Source License) is not
            # SPDX's BSL-1.0 (Boost), though the keys are spelled alike.
            same = spdx_lower.get(key.lower())
            if same and loose_key(entries[same].name) != loose_key(sc["name"]):
                same = None
            newer = same or claimed.get(key)
            if newer and not sc.get("exception"):
                ref_aliases[f"licenseref-scancode-{key}"] = spdx_lower.get(newer.lower(), newer)
                spdx_key = newer
        if sc.get("exception"):
            # Exceptions are not licenses: a ScanCode exception key only means something after
            # WITH, so it is kept apart from the license keys.
            exc_id = {e.lower(): e for e in exceptions}.get(spdx_key.lower()) if spdx_key else None
            if exc_id:
                scancode_exceptions[key] = exc_id
            continue
        if spdx_key.lower() in spdx_lower:
            canonical = spdx_lower[spdx_key.lower()]
            base = entries[canonical]
            if base.scancode_key is None:
                entries[canonical] = _replace(
                    base,
                    scancode_key=key,
                    scancode_category=sc.get("category", ""),
                    generic=bool(sc.get("generic") or sc.get("unknown")),
                )
        else:
            canonical = f"LicenseRef-scancode-{key}"
            entries[canonical] = LicenseEntry(
                id=canonical,
                name=sc["name"],
                namespace="scancode",
                deprecated=bool(sc.get("deprecated")),
                scancode_key=key,
                scancode_category=sc.get("category", ""),
                generic=bool(sc.get("generic") or sc.get("unknown")),
                text=f"scancode:{key}",
                sources=(f"scancode:{key}",),
            )
        scancode_keys[key] = canonical
        for url in sc.get("urls", ()):
            url_owners.setdefault(url_key(url), set()).add(canonical)
        if not sc.get("deprecated") and not sc.get("unknown") and not sc.get("generic"):
            scancode_names.append((sc["short_name"], canonical, "scancode-name"))
            scancode_names.append((sc["name"], canonical, "scancode-name"))

    # Hand-written entries: new LicenseRef-openlicense ids, or facts added to existing ids.
    for fname in _curated_files():
        doc = _load_toml(fname)
        for raw in doc.get("license", []):
            _merge_curated(entries, raw, f"data/{fname}", flags)

    curated_owners: dict[str, set[str]] = {}
    for entry in entries.values():
        for url in entry.urls:
            curated_owners.setdefault(url_key(url), set()).add(entry.id)
    # A URL names a license when one license alone claims it; curated URLs win over ScanCode's.
    urls = {k: next(iter(v)) for k, v in url_owners.items() if len(v) == 1}
    for k, owners in curated_owners.items():
        if len(owners) == 1:
            urls[k] = next(iter(owners))
        else:
            urls.pop(k, None)

    lower = {k.lower(): k for k in entries}
    for entry in entries.values():
        for ref in entry.incorporates:
            if ref.lower() not in lower:
                raise CatalogError(f"{entry.origin}: {entry.id} incorporates unknown {ref!r}")

    deprecated: dict[str, str] = {}
    for row in _load_toml("deprecated.toml").get("deprecated", []):
        if row.get("replaced_by"):
            deprecated[row["id"]] = row["replaced_by"]

    # ---- names ----
    exact = _NameIndex(name_key)
    loose = _NameIndex(loose_key)
    hf: dict[str, HfMapping] = {}
    for row in _load_toml("hf-ids.toml").get("hf", []):
        target = _target_from(row, how="hf-id")
        hf[row["id"].lower()] = HfMapping(
            id=row["id"], name=row.get("name", ""), target=target, note=row.get("note", "")
        )

    aliases = _load_toml("aliases.toml")
    for row in aliases.get("placeholder", []):
        target = NameTarget(status=row["status"], how="placeholder")
        for name in row["names"]:
            exact.add(name, target, 0)
    for row in aliases.get("family", []):
        target = NameTarget(candidates=tuple(row["candidates"]), how="family")
        for name in row["names"]:
            exact.add(name, target, 1)
    for row in aliases.get("alias", []):
        target = _target_from(row, how="alias")
        for name in row["names"]:
            exact.add(name, target, 1)
            loose.add(name, target, 1)
    for entry in entries.values():
        if not entry.origin:
            continue
        target = NameTarget(expression=entry.id, how="alias")
        for name in entry.aliases:
            exact.add(name, target, 1)
            loose.add(name, target, 2)
        exact.add(entry.name, NameTarget(expression=entry.id, how="name"), 2)
        loose.add(entry.name, NameTarget(expression=entry.id, how="name"), 3)
    for entry in entries.values():
        if entry.namespace == "spdx":
            exact.add(entry.name, NameTarget(expression=entry.id, how="name"), 3)
            loose.add(entry.name, NameTarget(expression=entry.id, how="name"), 4)
    for name, canonical, _ in scancode_names:
        target = NameTarget(expression=canonical, how="name")
        exact.add(name, target, 4)
        stripped = _YEAR_SUFFIX.sub("", name)
        loose.add(name, target, 5)
        if stripped != name:
            exact.add(stripped, target, 5)
            loose.add(stripped, target, 6)

    return Catalog(
        entries=entries,
        exceptions=exceptions,
        hf=hf,
        names=exact.targets,
        loose_names=loose.targets,
        scancode_keys=scancode_keys,
        scancode_exceptions=scancode_exceptions,
        urls=urls,
        deprecated=deprecated,
        ref_aliases=ref_aliases,
        flags=flags,
        provenance={"spdx": spdx["provenance"], "scancode": scancode["provenance"]},
    )


def _target_from(row: Mapping[str, Any], how: str) -> NameTarget:
    if row.get("expression"):
        return NameTarget(
            expression=row["expression"], how=how, alternatives=_tuple(row.get("alternatives"))
        )
    if row.get("family"):
        return NameTarget(candidates=_tuple(row["family"]), how="family")
    if row.get("candidates"):
        return NameTarget(candidates=_tuple(row["candidates"]), how="family")
    if row.get("status"):
        return NameTarget(status=row["status"], how="placeholder")
    raise CatalogError(f"name table without expression, family or status: {dict(row)!r}")


def _replace(entry: LicenseEntry, **changes: Any) -> LicenseEntry:
    import dataclasses

    return dataclasses.replace(entry, **changes)


def _merge_curated(
    entries: dict[str, LicenseEntry],
    raw: Mapping[str, Any],
    where: str,
    flags: Mapping[str, FlagInfo],
) -> None:
    lid = raw.get("id")
    if not isinstance(lid, str) or not lid:
        raise CatalogError(f"{where}: entry without id")
    where = f"{where}: {lid}"
    kind = raw.get("kind", "license")
    if kind not in _KINDS:
        raise CatalogError(f"{where}: kind {kind!r}")
    terms = _terms_from(raw, where, flags)
    facts: dict[str, Any] = {
        "kind": kind,
        "family": raw.get("family"),
        "version": str(raw["version"]) if raw.get("version") is not None else None,
        "released": str(raw["released"]) if raw.get("released") is not None else None,
        "aliases": _tuple(raw.get("aliases")),
        "hf_ids": _tuple(raw.get("hf_ids")),
        "incorporates": _tuple(raw.get("incorporates")),
        "identify_by": _tuple(raw.get("identify_by")),
        "urls": _tuple(raw.get("urls"))
        + tuple(u for u in _tuple(raw.get("sources")) if u.startswith(("http://", "https://"))),
        "notes": str(raw.get("notes", "")),
        "origin": where.split(": ")[0],
    }
    existing = entries.get(lid) or next(
        (e for k, e in entries.items() if k.lower() == lid.lower()), None
    )
    if existing is not None:
        if existing.origin:
            raise CatalogError(f"{where}: described twice ({existing.origin})")
        entries[existing.id] = _replace(
            existing,
            name=raw.get("name") or existing.name,
            text=raw.get("text") or existing.text,
            sources=existing.sources
            + tuple(s for s in _tuple(raw.get("sources")) if s not in existing.sources),
            curated_terms=terms,
            **facts,
        )
        return
    if not lid.startswith("LicenseRef-openlicense-"):
        raise CatalogError(
            f"{where}: not on the SPDX list nor in ScanCode; "
            "new ids are LicenseRef-openlicense-<key>"
        )
    key = lid.removeprefix("LicenseRef-openlicense-")
    if not _OPENLICENSE_KEY.match(key):
        raise CatalogError(f"{where}: key {key!r} must match [a-z0-9][a-z0-9.-]*")
    if not raw.get("name"):
        raise CatalogError(f"{where}: a new license needs a name")
    entries[lid] = LicenseEntry(
        id=lid,
        name=raw["name"],
        namespace="openlicense",
        text=raw.get("text"),
        sources=_tuple(raw.get("sources")),
        curated_terms=terms,
        **facts,
    )


def _data_fingerprint() -> str:
    """A digest of every data file's and of this module's name, size and time, and the
    version: what the built catalog depends on."""
    import hashlib
    import os

    from openlicense import __version__
    from openlicense.catalog import texts

    digest = hashlib.blake2b(__version__.encode(), digest_size=12)
    root = _data("")
    for entry in sorted(_walk(root), key=lambda e: e[0]):
        digest.update(repr(entry).encode())
    # The code that builds the indexes is part of the key too: a changed name_key() must not
    # meet a catalog pickled by the old one.
    for module_file in (__file__, texts.__file__):
        st = os.stat(module_file)
        digest.update(repr((module_file, st.st_size, st.st_mtime_ns)).encode())
    return digest.hexdigest()


def _walk(folder: Any) -> Iterator[tuple[str, int, int]]:
    import os

    for item in folder.iterdir():
        if item.is_dir():
            yield from _walk(item)
        elif str(item).endswith((".toml", ".json")):
            st = os.stat(str(item))
            yield (str(item), st.st_size, st.st_mtime_ns)


@functools.cache
def get_catalog() -> Catalog:
    """The catalog, loaded on first use and shared by the whole process.

    Building it from the data files takes a few hundred milliseconds (names are folded into
    lookup keys), so the built catalog is cached on disk, keyed by the data files' names, sizes
    and times: a command starts in tens of milliseconds. The cache is only ever a copy: any
    problem reading it rebuilds from the data."""
    import pickle
    import tempfile

    from openlicense.identification.exact import cache_dir

    try:
        path = cache_dir() / f"catalog-{_data_fingerprint()}.pickle"
    except OSError:
        return _load()
    try:
        with path.open("rb") as handle:
            cached = pickle.load(handle)
        if isinstance(cached, Catalog):
            return cached
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
        pass
    catalog = _load()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as out:
            pickle.dump(catalog, out, protocol=pickle.HIGHEST_PROTOCOL)
        import os

        os.replace(out.name, path)
        for stale in path.parent.glob("catalog-*.pickle"):
            if stale != path:  # built by an older catalog or code: never read again
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache is no error: the catalog just lives in memory
    return catalog

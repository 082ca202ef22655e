"""Build the catalog from its data files: the SPDX list, ScanCode's keys and the curated TOML.

Names are folded into lookup keys here, which is what makes a build take a few hundred
milliseconds; ``openlicense.catalog.cache`` keeps the result on disk.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

from openlicense.catalog.entries import (
    FREEDOMS,
    FlagClause,
    FlagInfo,
    FreedomStatus,
    HfMapping,
    LicenseEntry,
    NameTarget,
    Terms,
)
from openlicense.catalog.index import Catalog
from openlicense.catalog.keys import key_vocabulary, loose_key, name_key, url_key
from openlicense.errors import CatalogError

__all__ = ["build_catalog", "data_file", "modified_index"]

_FREEDOM_VALUES = {"granted", "restricted", "unknown"}
_KINDS = {"license", "acceptable-use-policy", "terms-of-service", "exception"}
_OPENLICENSE_KEY = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
_TEXT_SCHEMES = ("scancode:", "spdx:")
_YEAR_SUFFIX = re.compile(r"(?<!\s)\s+(?:19|20)\d\d(?:[-.]\d\d(?:[-.]\d\d)?)?$")


def data_file(name: str) -> Any:
    """A file (or folder) of ``openlicense/data`` as a package resource."""
    return resources.files("openlicense").joinpath("data").joinpath(name)


def _load_toml(name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(data_file(name).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"data/{name}: {exc}") from exc


def _curated_files() -> list[str]:
    folder = data_file("licenses")
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


def build_catalog() -> Catalog:
    """The catalog, built from the data files (see ``docs/catalog.md``)."""
    spdx = json.loads(data_file("spdx.json").read_text(encoding="utf-8"))
    scancode = json.loads(data_file("scancode.json").read_text(encoding="utf-8"))
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
    # An SPDX id written with noise around it ("MIT.", "- MIT", "MIT,") is read by its key,
    # and that key is the id's before it is any ScanCode name's: ScanCode's "MIT 1995" without
    # its year is "MIT" too, and used to claim the key nothing else had claimed.
    for entry in entries.values():
        if entry.namespace == "spdx" and not entry.deprecated:
            exact.add(entry.id, NameTarget(expression=entry.id, how="spdx-id"), 4)
    for name, canonical, _ in scancode_names:
        target = NameTarget(expression=canonical, how="name")
        exact.add(name, target, 5)
        stripped = _YEAR_SUFFIX.sub("", name)
        loose.add(name, target, 5)
        if stripped != name:
            exact.add(stripped, target, 6)
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
        modified_names=modified_index(entries.values()),
        name_words=key_vocabulary([*exact.targets, *loose.targets]),
    )


_MODIFIED = "modified"


def modified_index(entries: Iterable[LicenseEntry]) -> dict[str, tuple[str, ...]]:
    """Every text a "modified X" query may ask for, mapped to the curated licenses whose name or
    alias key contains it, in id order.

    A query is a name key that starts with "modified", and a license answers it when the query
    is a substring of one of its keys; so each key contributes every piece of itself that starts
    where "modified" does. Keys are short and few hold the word, so the table is small."""
    found: dict[str, list[str]] = {}
    curated = sorted((e for e in entries if e.origin), key=lambda e: e.id.lower())
    for entry in curated:
        for name in (entry.name, *entry.aliases):
            key = name_key(name)
            start = key.find(_MODIFIED)
            while start >= 0:
                for end in range(start + len(_MODIFIED), len(key) + 1):
                    ids = found.setdefault(key[start:end], [])
                    if not ids or ids[-1] != entry.id:
                        ids.append(entry.id)
                start = key.find(_MODIFIED, start + 1)
    return {k: tuple(v) for k, v in found.items()}


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
        "corpus_text": str(raw["corpus_text"]) if raw.get("corpus_text") else None,
        "origin": where.split(": ")[0],
    }
    text = raw.get("text")
    if text is not None and text != "none" and not str(text).startswith(_TEXT_SCHEMES):
        raise CatalogError(
            f"{where}: text {text!r} is not scancode:<key>, spdx:<id> or none "
            "(a development-corpus file goes in corpus_text)"
        )
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

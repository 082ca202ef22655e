"""The catalog as plain JSON data, and back: the form it is kept in on disk.

Only JSON's own types cross the disk (strings, numbers, booleans, ``null``, lists and
objects), so reading a cache file can never run code, whoever wrote it. Records are written as
arrays in their dataclass's field order (a name target shared by many names is written once
and referred to by its place), and every value is type-checked on the way back: a file of
the right digest but the wrong shape raises ``ValueError``, and the caller rebuilds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from openlicense.catalog.entries import (
    FlagClause,
    FlagInfo,
    FreedomStatus,
    HfMapping,
    LicenseEntry,
    NameTarget,
    Terms,
)
from openlicense.catalog.index import Catalog

__all__ = ["FORMAT", "decode_catalog", "encode_catalog"]

#: The version of this encoding; a change to it (or to the records) makes a new cache key.
FORMAT = 2

_T = TypeVar("_T")
_NAMESPACES = frozenset({"spdx", "scancode", "openlicense", "user"})
_FREEDOM_VALUES = frozenset({"granted", "restricted", "unknown"})


class _Shape(ValueError):
    """A cache payload that is not what ``encode_catalog`` writes."""


def _str(value: Any) -> str:
    if type(value) is not str:
        raise _Shape(f"expected a string, got {type(value).__name__}")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise _Shape(f"expected a boolean, got {type(value).__name__}")
    return value


def _opt_bool(value: Any) -> bool | None:
    return None if value is None else _bool(value)


def _list(value: Any, length: int | None = None) -> list[Any]:
    if type(value) is not list or (length is not None and len(value) != length):
        raise _Shape("expected a list" + (f" of {length}" if length is not None else ""))
    return value


def _dict(value: Any) -> dict[str, Any]:
    if type(value) is not dict:
        raise _Shape(f"expected an object, got {type(value).__name__}")
    return value


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(_str(v) for v in _list(value))


def _str_map(value: Any) -> dict[str, str]:
    return {k: _str(v) for k, v in _dict(value).items()}


def _map_of(value: Any, decode: Callable[[Any], _T]) -> dict[str, _T]:
    return {k: decode(v) for k, v in _dict(value).items()}


# -- records --


def _enc_terms(terms: Terms | None) -> Any:
    if terms is None:
        return None
    return [
        [list(pair) for pair in terms.freedoms],
        [[c.flag, c.section, c.quote, c.verified] for c in terms.flags],
        terms.osaid_conformant,
        terms.reason,
        terms.basis,
    ]


def _freedom(value: Any) -> tuple[str, FreedomStatus]:
    name, status = _list(value, 2)
    if status not in _FREEDOM_VALUES:
        raise _Shape(f"freedom status {status!r}")
    return _str(name), status


def _dec_terms(value: Any) -> Terms | None:
    if value is None:
        return None
    freedoms, flags, conformant, reason, basis = _list(value, 5)
    clauses = []
    for row in _list(flags):
        flag, section, quote, verified = _list(row, 4)
        clauses.append(FlagClause(_str(flag), _str(section), _str(quote), _bool(verified)))
    return Terms(
        freedoms=tuple(_freedom(f) for f in _list(freedoms)),
        flags=tuple(clauses),
        osaid_conformant=_opt_bool(conformant),
        reason=_str(reason),
        basis=_str(basis),
    )


def _enc_entry(e: LicenseEntry) -> list[Any]:
    return [
        e.id,
        e.name,
        e.namespace,
        e.kind,
        e.osi_approved,
        e.fsf_libre,
        e.deprecated,
        e.scancode_key,
        e.scancode_category,
        e.generic,
        list(e.identify_by),
        e.family,
        e.version,
        e.released,
        list(e.aliases),
        list(e.hf_ids),
        list(e.incorporates),
        list(e.urls),
        e.text,
        e.corpus_text,
        list(e.sources),
        e.notes,
        _enc_terms(e.curated_terms),
        e.origin,
    ]


# What may stand at each place of an encoded entry (the dataclass's field order); ``list``
# places hold strings only, the terms place is checked by ``_dec_terms``.
_S, _OS, _B, _L, _ANY = (str,), (str, type(None)), (bool,), (list,), None
_ENTRY_PLACES: tuple[tuple[type, ...] | None, ...] = (
    _S, _S, _S, _S, _B, _B, _B, _OS, _S, _B,  # id .. generic
    _L, _OS, _OS, _OS, _L, _L, _L, _L,  # identify_by, family, version, released, aliases .. urls
    _OS, _OS, _L, _S, _ANY, _S,  # text, corpus_text, sources, notes, terms, origin
)  # fmt: skip
_ENTRY_LISTS = tuple(i for i, allowed in enumerate(_ENTRY_PLACES) if allowed is _L)
_ENTRY_TERMS = _ENTRY_PLACES.index(_ANY)
#: Type signatures seen valid, per record kind: 2,446 entries share a few dozen, so each record
#: costs one ``map(type, ...)`` and a set lookup, not a check per place.
_SIGNATURES: dict[str, set[tuple[type, ...]]] = {"entry": set(), "name target": set()}


def _check_places(
    value: list[Any], places: tuple[tuple[type, ...] | None, ...], record: str
) -> None:
    """Each place of ``value`` holds a type ``places`` allows there (``None``: checked by its
    own decoder)."""
    signature = tuple(map(type, value))
    seen = _SIGNATURES[record]
    if signature in seen:
        return
    for place, (kind, allowed) in enumerate(zip(signature, places, strict=True)):
        if allowed is not None and kind not in allowed:
            raise _Shape(f"expected another type at {record} field {place}, got {kind.__name__}")
    seen.add(signature)


def _only_strings(values: list[Any]) -> tuple[str, ...]:
    if values and set(map(type, values)) != {str}:
        raise _Shape("expected a list of strings")
    return tuple(values)


def _dec_entry(value: Any) -> LicenseEntry:
    _check_places(_list(value, len(_ENTRY_PLACES)), _ENTRY_PLACES, "entry")
    if value[2] not in _NAMESPACES:
        raise _Shape(f"namespace {value[2]!r}")
    fields = list(value)
    for place in _ENTRY_LISTS:
        fields[place] = _only_strings(value[place])
    fields[_ENTRY_TERMS] = _dec_terms(value[_ENTRY_TERMS])
    return LicenseEntry(*fields)


def _enc_target(t: NameTarget) -> list[Any]:
    return [t.expression, list(t.candidates), t.status, t.how, list(t.alternatives)]


_TARGET_PLACES: tuple[tuple[type, ...] | None, ...] = (_OS, _L, _OS, _S, _L)


def _dec_target(value: Any) -> NameTarget:
    expression, candidates, status, how, alternatives = _list(value, len(_TARGET_PLACES))
    _check_places(value, _TARGET_PLACES, "name target")
    return NameTarget(
        expression, _only_strings(candidates), status, how, _only_strings(alternatives)
    )


def _dec_flag(value: Any) -> FlagInfo:
    name, code, severity, scope, restricts, summary = _list(value, 6)
    return FlagInfo(
        _str(name), _str(code), _str(severity), _str(scope), _strs(restricts), _str(summary)
    )


# -- the catalog --


def encode_catalog(catalog: Catalog) -> dict[str, Any]:
    """The catalog as JSON-ready data (see ``decode_catalog``)."""
    state = catalog.state()
    targets: list[list[Any]] = []
    places: dict[NameTarget, int] = {}

    def place(target: NameTarget) -> int:
        if target not in places:
            places[target] = len(targets)
            targets.append(_enc_target(target))
        return places[target]

    return {
        "entries": [_enc_entry(e) for e in state["entries"].values()],
        "exceptions": dict(state["exceptions"]),
        "hf": {k: [m.id, m.name, place(m.target), m.note] for k, m in state["hf"].items()},
        "names": {k: place(t) for k, t in state["names"].items()},
        "loose_names": {k: place(t) for k, t in state["loose_names"].items()},
        "targets": targets,
        "scancode_keys": dict(state["scancode_keys"]),
        "scancode_exceptions": dict(state["scancode_exceptions"]),
        "urls": dict(state["urls"]),
        "deprecated": dict(state["deprecated"]),
        "ref_aliases": dict(state["ref_aliases"]),
        "flags": [
            [f.name, f.code, f.severity, f.scope, list(f.restricts), f.summary]
            for f in state["flags"].values()
        ],
        "provenance": dict(state["provenance"]),
        "name_words": sorted(state["name_words"]),
        "modified_names": {k: list(v) for k, v in state["modified_names"].items()},
    }


def decode_catalog(data: Any) -> Catalog:
    """The catalog ``encode_catalog`` wrote; ``ValueError`` for anything else."""
    try:
        return _decode(_dict(data))
    except _Shape:
        raise
    except (KeyError, TypeError, IndexError, AttributeError) as exc:
        raise _Shape(f"not a catalog: {exc!r}") from None


def _decode(data: Mapping[str, Any]) -> Catalog:
    targets = [_dec_target(t) for t in _list(data["targets"])]

    def target(index: Any) -> NameTarget:
        if type(index) is not int or not 0 <= index < len(targets):
            raise _Shape(f"name target {index!r}")
        return targets[index]

    def hf(value: Any) -> HfMapping:
        hf_id, name, index, note = _list(value, 4)
        return HfMapping(_str(hf_id), _str(name), target(index), _str(note))

    entries = [_dec_entry(e) for e in _list(data["entries"])]
    flags = [_dec_flag(f) for f in _list(data["flags"])]
    return Catalog(
        entries={e.id: e for e in entries},
        exceptions=_str_map(data["exceptions"]),
        hf=_map_of(data["hf"], hf),
        names=_map_of(data["names"], target),
        loose_names=_map_of(data["loose_names"], target),
        scancode_keys=_str_map(data["scancode_keys"]),
        scancode_exceptions=_str_map(data["scancode_exceptions"]),
        urls=_str_map(data["urls"]),
        deprecated=_str_map(data["deprecated"]),
        ref_aliases=_str_map(data["ref_aliases"]),
        flags={f.name: f for f in flags},
        provenance=_dict(data["provenance"]),
        modified_names=_map_of(data["modified_names"], _strs),
        name_words=frozenset(_strs(data["name_words"])),
    )

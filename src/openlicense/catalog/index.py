"""The ``Catalog``: every license openlicense knows, and the questions asked of it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from openlicense.catalog.entries import FlagInfo, HfMapping, LicenseEntry, NameTarget
from openlicense.catalog.keys import key_vocabulary, loose_key, name_key, unknown_word, url_key
from openlicense.errors import CatalogError

if TYPE_CHECKING:
    from openlicense.expression import Expression

__all__ = ["Catalog"]


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
        modified_names: Mapping[str, tuple[str, ...]] | None = None,
        name_words: frozenset[str] | None = None,
    ) -> None:
        self._entries = dict(entries)
        self._ref_aliases = dict(ref_aliases)
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
        # Built with the lookup keys (``load.modified_index``): "modified mit" -> the curated
        # licenses whose name or alias key holds that text, so no query scans the catalog.
        self._modified = dict(modified_names or {})
        # Every word of a name or loose key (``keys.key_vocabulary``, built and cached with
        # them): a text with any other word is no catalogued name, known without its key.
        if name_words is None:
            name_words = key_vocabulary([*self._names, *self._loose])
        self._name_words = name_words
        # The same of the keys of placeholder words ("unknown", "proprietary", ...): a few, so
        # built here rather than cached.
        self._status_words = key_vocabulary(
            [k for table in (self._names, self._loose) for k, t in table.items() if t.status]
        )
        # Every character of a Hugging Face id or ScanCode key (as they are looked up, in
        # lower case): a text with any other is neither.
        self.key_chars = frozenset("".join([*self._hf, *self._scancode]))
        self._parsed: dict[str, Expression] = {}

    def state(self) -> dict[str, Any]:
        """What the catalog was built from, as the constructor takes it (for the disk cache)."""
        return {
            "entries": self._entries,
            "exceptions": self.exception_names,
            "hf": self._hf,
            "names": self._names,
            "loose_names": self._loose,
            "scancode_keys": self._scancode,
            "scancode_exceptions": self._scancode_exceptions,
            "urls": self._urls,
            "deprecated": self._deprecated,
            "ref_aliases": self._ref_aliases,
            "flags": self.flags,
            "provenance": self.provenance,
            "modified_names": self._modified,
            "name_words": self._name_words,
        }

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

    @property
    def name_words(self) -> frozenset[str]:
        """Every word of a name or loose key (``keys.key_vocabulary``)."""
        return self._name_words

    def unknown_word(self, text: str) -> bool:
        """Whether ``text`` has a word no name or loose key has: then ``lookup_name`` finds
        nothing for it (``keys.unknown_word``)."""
        return unknown_word(text, self._name_words)

    def lookup_name(self, text: str) -> NameTarget | None:
        """What a free-text name means, by exact key and then by loose key."""
        if unknown_word(text, self._name_words):
            return None
        key = name_key(text)
        if not key:
            return None
        found = self._names.get(key)
        if found is not None:
            return found
        return self._loose.get(loose_key(text))

    def lookup_status(self, text: str) -> NameTarget | None:
        """``lookup_name(text)`` when it is a placeholder (a target with a status), else None."""
        if unknown_word(text, self._status_words):
            return None
        target = self.lookup_name(text)
        return target if target is not None and target.status is not None else None

    def modified_versions(self, wanted: str) -> tuple[str, ...]:
        """Curated licenses whose name or alias key contains ``wanted`` (a key that starts
        with "modified"), in id order: one dict lookup."""
        return self._modified.get(wanted, ())

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

"""The on-disk index of every reference text, and candidate retrieval from it.

Layout of the file (native byte order, which is part of the cache key)::

    b"OLMATCH\\x01"  8 bytes
    sha256           32 bytes, of everything after it
    header length    4 bytes, unsigned
    header           JSON: cache key, counts, and [key, spdx id, kind, path] of each reference
    word counts      uint32 per reference
    sampled counts   uint32 per reference: how many shingles of it the index holds
    shingle hashes   uint32 per posting, sorted
    reference ids    uint32 per posting, parallel to the hashes
    directory        uint32 per value of a hash's top 16 bits, and one more: where the hashes
                     with those bits start (so a lookup searches about 16 postings, not 1
                     million: the file side looks up every one of its shingles)

Nothing in it is executable: no pickle, only JSON and integer arrays. A file that is missing,
truncated, corrupt or built for another key is rebuilt silently, and written atomically (a
temporary file in the same folder, then :func:`os.replace`), so concurrent processes at worst
build it twice.
"""

from __future__ import annotations

import array
import bisect
import functools
import hashlib
import json
import os
import struct
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from openlicense.cachefolder import prepared_data_dir
from openlicense.matching.normalize import tokenize
from openlicense.matching.references import Reference, data_version, iter_references
from openlicense.matching.shingles import sample, shingle_hashes

__all__ = ["ReferenceIndex", "build_index", "default_index", "index_key", "load_index"]

_MAGIC = b"OLMATCH\x01"
_FORMAT = 2
_DIRECTORY_BITS = 16
#: A shingle found in more references than this says nothing about which one a text is.
MAX_POSTINGS = 4000
_SOURCES = ("normalize.py", "shingles.py", "references.py", "index.py", "data/equivalentwords.txt")


@functools.cache
def index_key() -> str:
    """What an index depends on: the license data, the code that builds it, the platform."""
    digest = hashlib.sha256()
    package = resources.files("openlicense.matching")
    for name in _SOURCES:
        digest.update(package.joinpath(name).read_bytes())
    code = digest.hexdigest()[:16]
    py = f"py{sys.version_info[0]}{sys.version_info[1]}-{sys.byteorder}"
    return f"{_FORMAT}-scancode-{data_version()}-{code}-{py}"


@dataclass(frozen=True)
class ReferenceIndex:
    """Reference metadata and the shingle postings, as compact arrays."""

    key: str
    references: tuple[Reference, ...]
    word_counts: memoryview
    sampled_counts: memoryview
    hashes: memoryview
    postings: memoryview
    directory: memoryview

    @functools.cached_property
    def license_text_of(self) -> dict[str, int]:
        """ScanCode key -> the reference that is its license text (not a rule)."""
        return {r.key: i for i, r in enumerate(self.references) if not r.is_rule}

    def postings_range(self, h: int) -> tuple[int, int]:
        """The [lo, hi) range of ``postings`` holding the references of shingle hash ``h``
        (empty when the hash is absent or too common to tell references apart)."""
        keys = self.hashes
        bucket = h >> (32 - _DIRECTORY_BITS)
        end = self.directory[bucket + 1]
        lo = bisect.bisect_left(keys, h, self.directory[bucket], end)
        if lo == end or keys[lo] != h:
            return lo, lo
        hi = bisect.bisect_right(keys, h, lo, end)
        return (lo, hi) if hi - lo <= MAX_POSTINGS else (lo, lo)


def _pack(key: str, entries: list[tuple[Reference, int, list[int]]]) -> bytes:
    words = array.array("I", (n for _, n, _ in entries))
    counts = array.array("I", (len(s) for _, _, s in entries))
    pairs = sorted((h, i) for i, (_, _, s) in enumerate(entries) for h in s)
    hashes = array.array("I", (h for h, _ in pairs))
    refs = array.array("I", (i for _, i in pairs))
    directory = array.array(
        "I",
        (
            bisect.bisect_left(hashes, b << (32 - _DIRECTORY_BITS))
            for b in range((1 << _DIRECTORY_BITS) + 1)
        ),
    )
    header = json.dumps(
        {
            "format": _FORMAT,
            "key": key,
            "references": len(entries),
            "postings": len(pairs),
            "entries": [[r.key, r.spdx_id, r.kind, r.path] for r, _, _ in entries],
        },
        separators=(",", ":"),
    ).encode("utf-8")
    body = b"".join(
        [struct.pack("<I", len(header)), header, words, counts, hashes, refs, directory]
    )
    return _MAGIC + hashlib.sha256(body).digest() + body


def build_index(references: Iterable[tuple[Reference, str]], path: Path, key: str) -> None:
    """Index ``references`` into ``path``, atomically."""
    entries: list[tuple[Reference, int, list[int]]] = []
    seen: set[tuple[int, ...]] = set()
    for ref, text in references:
        ids = tokenize(text).ids
        # the same words twice (a rule repeating a license text) are indexed once, the first:
        # license texts come before rules
        if len(ids) < 3 or ids in seen:
            continue
        seen.add(ids)
        hashes = shingle_hashes(ids) or [hash(ids) & 0xFFFFFFFF]
        entries.append((ref, len(ids), sample(hashes)))
    blob = _pack(key, entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_index(path: Path, key: str) -> ReferenceIndex | None:
    """The index in ``path`` if it is intact and built for ``key``, else None."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    if len(blob) < 44 or blob[:8] != _MAGIC:
        return None
    body = memoryview(blob)[40:]
    if hashlib.sha256(body).digest() != blob[8:40]:
        return None
    try:
        (size,) = struct.unpack_from("<I", body)
        header = json.loads(bytes(body[4 : 4 + size]))
        if header.get("format") != _FORMAT or header.get("key") != key:
            return None
        n, m = int(header["references"]), int(header["postings"])
        entries = tuple(Reference(*map(str, e)) for e in header["entries"])
        offset = 4 + size
        arrays = []
        for length in (n, n, m, m, (1 << _DIRECTORY_BITS) + 1):
            arrays.append(body[offset : offset + 4 * length].cast("I"))
            offset += 4 * length
        if offset != len(body) or len(entries) != n:
            return None
    except (ValueError, TypeError, KeyError, struct.error):
        return None
    return ReferenceIndex(key, entries, *arrays)


@functools.cache
def default_index() -> ReferenceIndex:
    """The index of the installed license data, from the cache or built into it once."""
    key = index_key()
    path = prepared_data_dir() / f"matching-{key}.idx"
    index = load_index(path, key)
    if index is None:
        build_index(iter_references(), path, key)
        index = load_index(path, key)
        if index is None:  # pragma: no cover - the file just written is unreadable
            raise OSError(f"cannot read back the matching index {path}")
    return index

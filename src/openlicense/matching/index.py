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
    whole digests    uint64 per reference, sorted (8-byte aligned in the file: the header is
                     padded with spaces): blake2b of the reference's whole word-id sequence, so
                     a file whose words are exactly a reference's is found with one lookup
    digest owners    uint32 per reference, parallel to the digests

Beside it, ``<index>.ids`` holds every indexed reference's word ids (uint32, in reference order,
after ``b"OLWORDS\x01"`` and the index's own sha256), so that aligning a reference needs no
reading or tokenizing of its text. It is memory-mapped, never read whole, and each reference's
slice is checked against its whole digest before use: a missing, foreign or damaged file only
means the reference's text is tokenized, as it would be without the file.

The header also lists, for each reference that stands for several texts with the same words
(``twins``), the others: the index keeps one, and the match names the one
:func:`openlicense.matching.references.preferred` chooses.

Nothing in it is executable: no pickle, only JSON and integer arrays. A file that is missing,
truncated, corrupt or built for another key is rebuilt silently, and written atomically (a
temporary file in the same folder, then :func:`os.replace`), so concurrent processes at worst
build it twice.
"""

from __future__ import annotations

import array
import bisect
import contextlib
import functools
import hashlib
import itertools
import json
import mmap
import os
import struct
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from openlicense.cachefolder import prepared_data_dir
from openlicense.matching.normalize import tokenize
from openlicense.matching.references import Reference, data_version, iter_references
from openlicense.matching.shingles import sample, shingle_hashes

__all__ = [
    "ReferenceIndex",
    "build_index",
    "default_index",
    "index_key",
    "load_index",
    "whole_digest",
]

_MAGIC = b"OLMATCH\x01"
_IDS_MAGIC = b"OLWORDS\x01"
#: References whose checked word ids a process keeps (the longest, GPL-3.0, is 5,600 words).
_CHECKED_KEPT = 256
_FORMAT = 3
_DIRECTORY_BITS = 16
_DIRECTORY_SIZE = (1 << _DIRECTORY_BITS) + 1
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
    digests: memoryview
    digest_owners: memoryview
    #: reference -> the other references with exactly its words (most have none)
    twins: Mapping[int, tuple[Reference, ...]]
    #: the ``.ids`` file beside the index, and the index's sha256 it must carry
    ids_path: Path | None = None
    checksum: bytes = b""

    @functools.cached_property
    def _ids(self) -> tuple[memoryview, list[int], dict[int, int]] | None:
        """The word ids of every reference (a memory map), where each starts, and each
        reference's whole digest; None when the file is missing or not this index's."""
        if self.ids_path is None:
            return None
        try:
            with open(self.ids_path, "rb") as fh:
                mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return None
        head = len(_IDS_MAGIC) + 32
        starts = [0, *itertools.accumulate(self.word_counts)]
        if (
            len(mapped) != head + 4 * starts[-1]
            or mapped[: len(_IDS_MAGIC)] != _IDS_MAGIC
            or mapped[len(_IDS_MAGIC) : head] != self.checksum
        ):
            mapped.close()
            return None
        digest_of = {int(o): int(d) for d, o in zip(self.digests, self.digest_owners, strict=True)}
        return memoryview(mapped)[head:].cast("I"), starts, digest_of

    @functools.cached_property
    def _checked(self) -> dict[int, tuple[int, ...] | None]:
        return {}

    def reference_ids(self, ref_i: int) -> tuple[int, ...] | None:
        """The word ids of reference ``ref_i`` as indexed, checked against its digest once per
        process (a file is aligned with the same references round after round, a corpus with
        the same few over and over); None when the ids file cannot give them (the caller
        tokenizes the text instead)."""
        checked = self._checked
        if ref_i in checked:
            return checked[ref_i]
        ids = self._ids
        found: tuple[int, ...] | None = None
        if ids is not None:
            words, starts, digest_of = ids
            view = words[starts[ref_i] : starts[ref_i + 1]]
            if whole_digest(view) == digest_of.get(ref_i):
                found = tuple(view)
        if len(checked) >= _CHECKED_KEPT:
            checked.pop(next(iter(checked)))
        checked[ref_i] = found
        return found

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

    def whole(self, ids: Sequence[int]) -> int | None:
        """The reference whose folded words are exactly ``ids``, if there is one."""
        digest = whole_digest(ids)
        i = bisect.bisect_left(self.digests, digest)
        if i == len(self.digests) or self.digests[i] != digest:
            return None
        ref_i = int(self.digest_owners[i])
        # a 64-bit digest does not collide among 6,000 texts; the word count costs nothing
        return ref_i if self.word_counts[ref_i] == len(ids) else None


def whole_digest(ids: Sequence[int]) -> int:
    """A 64-bit digest of a whole word-id sequence (blake2b of its uint32s, native order)."""
    data = ids.tobytes() if isinstance(ids, memoryview) else array.array("I", ids).tobytes()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), sys.byteorder)


@dataclass(frozen=True, slots=True)
class _Entry:
    ref: Reference
    words: int
    sampled: list[int]
    digest: int
    twins: list[Reference]
    ids: tuple[int, ...]


def _row(ref: Reference) -> list[str]:
    return [ref.key, ref.spdx_id, ref.kind, ref.path]


def _pack(key: str, entries: list[_Entry]) -> bytes:
    words = array.array("I", (e.words for e in entries))
    counts = array.array("I", (len(e.sampled) for e in entries))
    pairs = sorted((h, i) for i, e in enumerate(entries) for h in e.sampled)
    hashes = array.array("I", (h for h, _ in pairs))
    refs = array.array("I", (i for _, i in pairs))
    directory = array.array(
        "I",
        (bisect.bisect_left(hashes, b << (32 - _DIRECTORY_BITS)) for b in range(_DIRECTORY_SIZE)),
    )
    by_digest = sorted((e.digest, i) for i, e in enumerate(entries))
    digests = array.array("Q", (d for d, _ in by_digest))
    owners = array.array("I", (i for _, i in by_digest))
    header = json.dumps(
        {
            "format": _FORMAT,
            "key": key,
            "references": len(entries),
            "postings": len(pairs),
            "entries": [_row(e.ref) for e in entries],
            "twins": {str(i): [_row(t) for t in e.twins] for i, e in enumerate(entries) if e.twins},
        },
        separators=(",", ":"),
    ).encode("utf-8")
    # spaces after the JSON put the uint64 digests on an 8-byte boundary of the file
    before_digests = len(_MAGIC) + 32 + 4 + len(header) + 4 * (2 * len(entries) + 2 * len(pairs))
    before_digests += directory.itemsize * len(directory)
    header += b" " * (-before_digests % 8)
    body = b"".join(
        [
            struct.pack("<I", len(header)),
            header,
            words,
            counts,
            hashes,
            refs,
            directory,
            digests,
            owners,
        ]
    )
    return _MAGIC + hashlib.sha256(body).digest() + body


def build_index(references: Iterable[tuple[Reference, str]], path: Path, key: str) -> None:
    """Index ``references`` into ``path``, atomically."""
    entries: list[_Entry] = []
    seen: dict[tuple[int, ...], _Entry] = {}
    for ref, text in references:
        ids = tokenize(text).ids
        if len(ids) < 3:
            continue
        # the same words twice (a rule repeating a license text) are indexed once, the first
        # (license texts come before rules); the others are kept as its twins, for the name
        first = seen.get(ids)
        if first is not None:
            first.twins.append(ref)
            continue
        hashes = shingle_hashes(ids) or [hash(ids) & 0xFFFFFFFF]
        entry = _Entry(ref, len(ids), sample(hashes), whole_digest(ids), [], ids)
        seen[ids] = entry
        entries.append(entry)
    blob = _pack(key, entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    # the ids first: an index is never found beside the ids of another (they carry its sha256)
    all_ids = array.array("I", itertools.chain.from_iterable(e.ids for e in entries))
    with contextlib.suppress(OSError):  # without the ids, references are tokenized when aligned
        _write_atomically(_ids_path(path), [_IDS_MAGIC, blob[8:40], all_ids.tobytes()])
    _write_atomically(path, [blob])


def _ids_path(path: Path) -> Path:
    return path.with_name(path.name + ".ids")


def _write_atomically(path: Path, parts: list[bytes]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                out.write(part)
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
        twins = {
            int(i): tuple(Reference(*map(str, t)) for t in rows)
            for i, rows in header["twins"].items()
        }
        offset = 4 + size
        arrays = []
        for length in (n, n, m, m, _DIRECTORY_SIZE):
            arrays.append(body[offset : offset + 4 * length].cast("I"))
            offset += 4 * length
        digests = body[offset : offset + 8 * n].cast("Q")
        offset += 8 * n
        owners = body[offset : offset + 4 * n].cast("I")
        offset += 4 * n
        if offset != len(body) or len(entries) != n or not all(0 <= i < n for i in twins):
            return None
    except (ValueError, TypeError, KeyError, AttributeError, struct.error):
        return None
    words, sampled, hashes, postings, directory = arrays
    return ReferenceIndex(
        key,
        entries,
        words,
        sampled,
        hashes,
        postings,
        directory,
        digests,
        owners,
        twins,
        ids_path=_ids_path(path),
        checksum=bytes(blob[8:40]),
    )


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
        # Indexes of other code or data are never read again (27 MB each with their ids).
        for stale in path.parent.glob("matching-*.idx*"):
            if stale.name not in (path.name, _ids_path(path).name) and not stale.name.endswith(
                ".tmp"
            ):
                with contextlib.suppress(OSError):
                    stale.unlink()
    return index

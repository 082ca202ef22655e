"""Hashed word shingles: the fingerprints candidate retrieval compares.

A shingle is five consecutive word ids; its hash is the hash of the tuple of ids, which CPython
computes the same way in every process for integers (only ``str`` and ``bytes`` hashes are
salted), so hashes stored in the on-disk index stay valid; the index is keyed by the Python
version anyway.

An index keeps a *sample* of each reference's shingles: those whose hash is 0 modulo
:data:`SAMPLE_MODULUS`, all of them for short texts, and at least :data:`MIN_SAMPLED` of the
smallest. The file side looks up every one of its shingles, so a reference present in the file is
found by the shingles sampled from it, and the share found estimates its containment.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Sequence

__all__ = ["MIN_SAMPLED", "SAMPLE_MODULUS", "SHINGLE", "sample", "shingle_hashes"]

SHINGLE = 5
SAMPLE_MODULUS = 4
MIN_SAMPLED = 8
_KEEP_ALL_BELOW = 32
_MASK = 0xFFFFFFFF


def shingle_hashes(ids: Sequence[int]) -> array[int]:
    """The hash of the shingle starting at each position (none for texts shorter than one),
    as 32-bit unsigned values in a compact array (4 bytes a word, for a text of any size)."""
    if len(ids) < SHINGLE:
        return array("I")
    columns = [itertools.islice(ids, i, None) for i in range(SHINGLE)]  # zip stops at the last
    return array("I", (hash(t) & _MASK for t in zip(*columns, strict=False)))


def sample(hashes: Sequence[int]) -> list[int]:
    """The distinct shingle hashes an index stores for one reference, sorted."""
    distinct = sorted(set(hashes))
    if len(distinct) <= _KEEP_ALL_BELOW:
        return distinct
    kept = {h for h in distinct if h % SAMPLE_MODULUS == 0}
    if len(kept) < MIN_SAMPLED:
        kept.update(distinct[:MIN_SAMPLED])
    return sorted(kept)

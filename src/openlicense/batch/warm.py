"""Load what analyzing an item needs before the first item does: for Dask workers and benchmarks.

Every worker (a process of the pool, a Dask worker) loads the license catalog and the exact-text
index from the disk cache the first time an item needs them, and ScanCode's index on the first
text only its matcher settles; nothing of them travels with a task (a task is the per-item
function, the scanned folders' paths and the item's path: a few hundred bytes). On a cluster,
``client.run(warm)`` loads them in every worker at once, before the scan, so the first results
do not wait for each worker's loading, and tells how long each took there.
"""

from __future__ import annotations

import time

__all__ = ["warm"]


def warm(*, scancode: bool = False) -> dict[str, float]:
    """Load the catalog and the exact-text index (and ScanCode's index with ``scancode``) in
    this process; returns the seconds each took (near 0 when already loaded)."""
    took: dict[str, float] = {}
    start = time.perf_counter()
    import openlicense.report  # noqa: F401  (the analysis stack)

    took["imports"] = time.perf_counter() - start
    from openlicense.catalog import get_catalog

    start = time.perf_counter()
    get_catalog()
    took["catalog"] = time.perf_counter() - start
    from openlicense.identification.exact import exact_index

    start = time.perf_counter()
    exact_index()
    took["exact_index"] = time.perf_counter() - start
    if scancode:
        from openlicense.identification.scancode import scancode_matches

        start = time.perf_counter()
        scancode_matches("MIT License")
        took["scancode_index"] = time.perf_counter() - start
    return took

"""The choices a scan offers, apart from the machinery that runs it: the command line builds
its options from these without importing the batch package's modules."""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["DEFAULT_TIMEOUT", "EXECUTORS", "Executor"]

#: Where items are analyzed (see :mod:`openlicense.batch.engines`).
Executor = Literal["process", "thread", "serial", "dask"]
EXECUTORS: tuple[str, ...] = ("process", "thread", "serial", "dask")

#: Seconds one item may take in a worker of the process executor before it is stopped and
#: recorded as an :class:`~openlicense.batch.engines.ItemTimeout` (``scan --timeout``; ``None``
#: or 0: no deadline). Far above what a real item takes (a license text that needs ScanCode, a
#: second or two; the first item of a worker also loads the index, up to a minute on a loaded
#: machine).
DEFAULT_TIMEOUT: Final = 300.0

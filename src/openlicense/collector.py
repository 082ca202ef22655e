"""Pausing Python's cyclic garbage collector while one text is read.

Reading a big text builds millions of small objects that live until the reading ends (the words
of every provision, their concepts, the readings). None of them form reference cycles, but each
full collection the collector runs meanwhile walks all of them again: on a 10 MB text that was a
fifth of ``identify``'s time, and a share that grows with the text (``benchmarks/
bench_big_texts.py``). :func:`collector_paused` turns the collector off for the duration of a
stage and back on after it, as it was; memory is still freed by reference counting as usual,
and the rare cycle made meanwhile is collected once the collector runs again.

Pauses nest and may overlap between threads (the thread executor of ``scan``): the first one in
records whether the collector was enabled and the last one out restores that. A process forked
during a pause starts with no pause and the collector as it was before the pause.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections.abc import Iterator

__all__ = ["collector_paused"]


class _Pauses:
    """The pauses in progress, in every thread, and the collector's state before the first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.was_enabled = False

    def enter(self) -> None:
        with self.lock:
            if self.depth == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.depth += 1

    def leave(self) -> None:
        with self.lock:
            self.depth -= 1
            if self.depth == 0 and self.was_enabled:
                gc.enable()

    def after_fork(self) -> None:
        self.lock = threading.Lock()  # a thread of the parent may have held it at the fork
        if self.depth and self.was_enabled:
            gc.enable()
        self.depth = 0


_PAUSES = _Pauses()
os.register_at_fork(after_in_child=_PAUSES.after_fork)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with the cyclic garbage collector off (reference counting still frees)."""
    _PAUSES.enter()
    try:
        yield
    finally:
        _PAUSES.leave()

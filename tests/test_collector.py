"""collector_paused: the garbage collector is off inside a pause and as it was after the last."""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterator

import pytest

from openlicense import collector
from openlicense.collector import collector_paused


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:  # pragma: no cover - pytest runs with the collector on
        gc.disable()


def test_a_pause_turns_the_collector_off_and_back_on() -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_nested_pauses_restore_only_at_the_outermost() -> None:
    gc.enable()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_exception_in_the_body_still_restores() -> None:
    gc.enable()
    with pytest.raises(ValueError, match="boom"), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_overlapping_pauses_in_threads_restore_when_the_last_ends() -> None:
    gc.enable()
    inside = threading.Barrier(2)
    first_left = threading.Event()
    states: list[bool] = []

    def first() -> None:
        with collector_paused():
            inside.wait()
        first_left.set()

    def second() -> None:
        with collector_paused():
            inside.wait()
            first_left.wait()
            states.append(gc.isenabled())  # the first thread's exit must not turn it back on

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert states == [False]
    assert gc.isenabled()


@pytest.mark.skipif(sys.platform == "win32", reason="needs os.fork")
def test_a_process_forked_during_a_pause_starts_unpaused() -> None:
    gc.enable()
    read, write = os.pipe()
    with collector_paused():
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through the pipe
            state = b"1" if gc.isenabled() and collector._PAUSES.depth == 0 else b"0"
            os.write(write, state)
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    os.close(read)


def test_examine_reads_with_the_collector_paused_and_restores_it() -> None:
    from openlicense.identification import examine_text
    from openlicense.provisions import reader

    seen: list[bool] = []
    real = reader.readings_of

    def spy(text: str):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(text)

    gc.enable()
    reader.readings_of = spy
    try:
        examine_text("You may not use the Model for military purposes. " * 3, scancode=False)
    finally:
        reader.readings_of = real
    assert seen
    assert not any(seen)
    assert gc.isenabled()

"""``openlicense scan``: discovery, ordered parallel analysis, crash isolation, resume, formats.

The corpora are built in temporary folders from the repository's fixtures plus broken inputs.
The "full" corpus has license texts that need ScanCode's index (each worker process loads it
once, a few seconds); the "light" one stays on the fast path, for the end-to-end runs.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
import pty
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from openlicense.batch import (
    CSV_HEADER,
    Item,
    ScanError,
    ScanResult,
    error_report,
    find_items,
    read_previous,
    scan,
)

# The modules that run a scan (openlicense.scan is the function) and its engines.
run_mod = importlib.import_module("openlicense.batch.run")
engines = importlib.import_module("openlicense.batch.engines")
REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SCAN_CMD = [
    sys.executable,
    "-c",
    "import sys; from openlicense.cli import main; sys.exit(main(['scan', *sys.argv[1:]]))",
]
FRONT = "---\nlicense: apache-2.0\n---\n# A model\n"


# --------------------------------------------------------------------------------------------
# corpora


def _mit_text() -> str:
    from openlicense.catalog.texts import scancode_text

    text = scancode_text("mit")
    assert text
    return text


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


BROKEN: dict[str, str | bytes] = {
    "broken/binary/LICENSE": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "broken/empty/LICENSE": b"",
    "broken/front/README.md": "---\nlicense: [apache-2.0\nbase_model: x: y\n---\n# broken\n",
    "broken/mot/bad.yml": 'release:\n  name: "unterminated\n  license: MIT\n',
}
# The error type each broken input must come back with.
BROKEN_ERRORS = {
    "broken/binary/LICENSE": "BinaryInputError",
    "broken/empty/LICENSE": "EmptyInputError",
    "broken/front": "ReleaseFormatError",
    "broken/mot/bad.yml": "ReleaseFormatError",
}


def _light(root: Path) -> Path:
    for name in ("olmo-open", "nc-fully-open", "no-data-info", "sd-gated-rail", "bad"):
        shutil.copytree(FIXTURES / "repos" / name, root / "repos" / name)
    shutil.copytree(FIXTURES / "rules" / "gated-access" / "repo", root / "repos" / "gated")
    shutil.copytree(FIXTURES / "mot", root / "mot")
    mit = _mit_text()
    _write(root, {f"licenses/mit-{i}.txt": mit for i in range(3)})
    _write(root, BROKEN)
    return root


@pytest.fixture(scope="module")
def light(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _light(tmp_path_factory.mktemp("light"))


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("full")
    shutil.copytree(FIXTURES / "rules", root / "rules")
    shutil.copytree(FIXTURES / "repos", root / "repos")
    shutil.copytree(FIXTURES / "mot", root / "mot")
    _write(root, BROKEN)
    return root


def _lines(results: Iterable[ScanResult]) -> list[str]:
    return [json.dumps(r.report, sort_keys=True) for r in results]


@pytest.fixture(scope="module")
def full_serial(full: Path) -> list[str]:
    return _lines(scan(full, executor="serial"))


# --------------------------------------------------------------------------------------------
# discovery

DISCOVERY = [
    pytest.param({"m/README.md": FRONT}, [("m", "hf-repo")], id="card-with-front-matter"),
    pytest.param(
        {"m/README.md": "# x\n", "m/LICENSE": "MIT"}, [("m", "hf-repo")], id="readme-and-license"
    ),
    pytest.param({"m/README.md": "# no front matter\n"}, [], id="readme-alone-is-not-a-repo"),
    pytest.param(
        {"m/README.md": FRONT, "m/LICENSE": "x", "m/sub/LICENSE": "x", "m/licenses/a.txt": "x"},
        [("m", "hf-repo")],
        id="repository-owns-its-license-files",
    ),
    pytest.param(
        {"m/README.md": FRONT, "m/adapter/README.md": FRONT, "m/mot.yml": "release:\n  a: 1\n"},
        [("m", "hf-repo"), ("m/adapter", "hf-repo"), ("m/mot.yml", "mot")],
        id="nested-repository-and-mot-file",
    ),
    pytest.param(
        {
            "cards/acme__m.README.md": FRONT,
            "cards/acme__m.LICENSE.txt": "x",
            "cards/acme__m.USE_POLICY.md.txt": "x",
            "cards/other__n.LICENSE.txt": "x",
        },
        [("cards/acme__m.README.md", "model-card"), ("cards/other__n.LICENSE.txt", "license-file")],
        id="flat-card-owns-its-companions",
    ),
    pytest.param(
        {
            "d/LICENSE": "x",
            "d/LICENCE.md": "x",
            "d/COPYING": "x",
            "d/USE_POLICY.md": "x",
            "d/NOTICE": "x",
            "d/image.png.license": "x",
            "d/license_check.py": "x",
            "d/LICENSE.json": "{}",
            "d/notes.txt": "x",
        },
        [
            ("d/COPYING", "license-file"),
            ("d/LICENCE.md", "license-file"),
            ("d/LICENSE", "license-file"),
            ("d/NOTICE", "license-file"),
            ("d/USE_POLICY.md", "license-file"),
            ("d/image.png.license", "license-file"),
        ],
        id="license-file-names",
    ),
    pytest.param(
        {"licenses/apache.txt": "x", "licenses/SOURCES.tsv": "x", "licenses/index.json": "{}"},
        [("licenses/apache.txt", "license-file")],
        id="licenses-folder",
    ),
    pytest.param(
        {
            "a.yml": "framework:\n  name: MOF\nrelease:\n  name: x\n",
            "b.yaml": "framework: x\n",
            "c.yml": "model:\n  release: nested\n",
            "d.yaml": '"release": {}\n',
        },
        [("a.yml", "mot"), ("d.yaml", "mot")],
        id="mot-files-by-top-level-release",
    ),
    pytest.param(
        {".git/LICENSE": "x", ".hidden/README.md": FRONT, "x/.LICENSE": "x"}, [], id="hidden"
    ),
]


# (name, a companion of a card beside it, a standalone license file of a scan). The two
# questions have different answers on purpose (openlicense.read.discover says why); the rows
# where they differ are the ones to look at before making them one.
LICENSE_NAMES = [
    ("LICENSE", True, True),
    ("NOTICE", True, True),
    ("image.png.license", True, True),
    ("acme__m.LICENSE.txt", True, True),
    ("MODEL_LICENSE", True, False),  # a companion may say license anywhere in its name
    ("ACCEPTABLE_USE_POLICY.md", True, False),
    ("license.csv", True, False),  # a scan also skips data and weights; a card's reader not
    ("weights_license.safetensors", True, False),
    ("LICENSE.json.txt", False, True),  # the reader looks past a .txt suffix; a scan does not
    ("LICENSE.json", False, False),
    ("license_check.py", False, False),
    ("README.md", False, False),
]


@pytest.mark.parametrize(("name", "companion", "standalone"), LICENSE_NAMES, ids=str)
def test_license_file_names(name: str, companion: bool, standalone: bool) -> None:
    from openlicense.read.discover import is_companion, is_license_name

    assert (is_companion(name), is_license_name(name)) == (companion, standalone)


@pytest.mark.parametrize(("files", "expected"), DISCOVERY)
def test_find_items(tmp_path: Path, files: dict[str, str], expected: list[tuple[str, str]]) -> None:
    _write(tmp_path, dict(files))
    found = [(os.path.relpath(i.path, tmp_path), i.kind) for i in find_items(tmp_path)]
    assert found == sorted(expected)


def test_find_items_on_fixtures(full: Path) -> None:
    items = find_items(full)
    rel = {os.path.relpath(i.path, full): i.kind for i in items}
    assert [i.path for i in items] == sorted(i.path for i in items)
    assert rel["repos/olmo-open"] == "hf-repo"
    assert rel["repos/flat/acme__flat-model.README.md"] == "model-card"
    assert rel["rules/user-threshold/LICENSE"] == "license-file"
    assert rel["rules/gated-access/repo"] == "hf-repo"
    assert rel["mot/malformed.yml"] == "mot"
    assert rel["broken/front"] == "hf-repo"
    for absent in (
        "repos/olmo-open/LICENSE",  # read with its repository
        "repos/flat/acme__flat-model.LICENSE.txt",  # read with its flat card
        "repos/bad/binary-readme",  # no front matter, no LICENSE: not a repository
        "repos/bad/empty",
        "mot/not-mot.yml",  # no top-level release:
        "rules/user-threshold/expect.toml",
    ):
        assert absent not in rel
    assert find_items(full) == items  # deterministic


def test_find_items_single_file_and_missing(tmp_path: Path) -> None:
    _write(tmp_path, {"LICENSE": "x", "m.yml": "release: {}\n"})
    assert find_items(tmp_path / "LICENSE") == [Item(str(tmp_path / "LICENSE"), "license-file")]
    assert find_items(tmp_path / "m.yml")[0].kind == "mot"
    with pytest.raises(ScanError, match="no such file or folder"):
        find_items(tmp_path / "nope")


def test_symlinks_never_leave_the_tree(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    tree = tmp_path / "tree"
    _write(outside, {"LICENSE": "secret", "repo/README.md": FRONT})
    _write(tree, {"real/LICENSE": "x"})
    (tree / "LICENSE").symlink_to(outside / "LICENSE")  # out of the tree: an error item
    (tree / "linked-repo").symlink_to(outside / "repo", target_is_directory=True)
    (tree / "inner").symlink_to(tree / "real", target_is_directory=True)  # not walked twice
    (tree / "COPYING").symlink_to(tree / "real" / "LICENSE")  # inside the tree: a file
    (tree / "real" / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "LICENSE-loop").symlink_to(tree / "LICENSE-loop")
    (tree / "LICENSE-gone").symlink_to(tree / "nowhere")
    (tree / "notes").symlink_to(outside / "LICENSE")  # out of the tree, and not an item
    found = {os.path.relpath(i.path, tree): (i.kind, i.error_type) for i in find_items(tree)}
    assert found == {
        "COPYING": ("license-file", None),
        "LICENSE": ("license-file", "UnreadableInputError"),
        "LICENSE-gone": ("license-file", "MissingInputError"),
        "LICENSE-loop": ("license-file", "UnreadableInputError"),
        "linked-repo": ("folder", "UnreadableInputError"),
        "real/LICENSE": ("license-file", None),
    }
    errors = {os.path.basename(i.path): i.error for i in find_items(tree) if i.error}
    assert "out of the scanned folder" in (errors["LICENSE"] or "")
    assert "loop" in (errors["LICENSE-loop"] or "")


def test_a_fifo_is_an_error_item(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "LICENSE")
    os.mkfifo(tmp_path / "fifo-not-an-item")
    [item] = find_items(tmp_path)
    assert (os.path.basename(item.path), item.error_type) == ("LICENSE", "NotAFileError")
    assert "FIFO" in (item.error or "")


def test_unreadable_folder_is_an_error_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, {"a/LICENSE": _mit_text(), "locked/LICENSE": "x", "z/LICENSE": _mit_text()})
    real_scandir = os.scandir
    locked = str(tmp_path / "locked")

    def scandir(path: Any) -> Any:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = find_items(tmp_path)
    assert [(os.path.relpath(i.path, tmp_path), i.kind) for i in items] == [
        ("a/LICENSE", "license-file"),
        ("locked", "folder"),
        ("z/LICENSE", "license-file"),
    ]
    results = list(scan(items, executor="serial"))
    assert [r.path for r in results] == [i.path for i in items]
    bad = results[1].report
    assert bad["error_type"] == "UnreadableInputError"
    assert "Permission denied" in bad["error"]
    assert bad["item"] == {"path": locked, "kind": "folder"}
    assert results[0].ok
    assert results[2].ok


# --------------------------------------------------------------------------------------------
# ordering and completeness across executors


def test_serial_results_one_per_item_with_errors(full: Path, full_serial: list[str]) -> None:
    items = find_items(full)
    assert len(full_serial) == len(items) > 30
    reports = [json.loads(line) for line in full_serial]
    assert [r["item"]["path"] for r in reports] == [i.path for i in items]
    assert all(r["schema"] == "openlicense/report/v1" for r in reports)
    by_path = {os.path.relpath(r["item"]["path"], full): r for r in reports}
    for rel, error_type in BROKEN_ERRORS.items():
        assert by_path[rel]["error_type"] == error_type, by_path[rel]["error"]
        assert by_path[rel]["error"]
    assert by_path["repos/bad/malformed-front-matter"]["error_type"] == "ReleaseFormatError"
    assert by_path["repos/olmo-open"]["error"] is None
    assert by_path["repos/olmo-open"]["verdict"] is not None


@pytest.mark.parametrize(
    ("executor", "jobs"),
    [("thread", 2), pytest.param("process", 2, marks=pytest.mark.slow)],
    ids=str,
)
def test_same_results_in_same_order(
    full: Path, full_serial: list[str], executor: str, jobs: int
) -> None:
    assert _lines(scan(full, executor=executor, jobs=jobs)) == full_serial


@pytest.mark.slow
def test_one_process_and_explicit_items(light: Path) -> None:
    serial = _lines(scan(light, executor="serial"))
    assert _lines(scan(light, executor="process", jobs=1)) == serial
    items = find_items(light)
    assert _lines(scan([i.path for i in items], executor="thread", jobs=3)) == serial
    # resume_from as a set of paths: only the rest, still in order
    rest = list(scan(items, executor="serial", resume_from={i.path for i in items[::2]}))
    assert [r.path for r in rest] == [i.path for i in items[1::2]]


@pytest.mark.slow
def test_dask_local_cluster_same_results(full: Path, light: Path, full_serial: list[str]) -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert _lines(scan(full, executor="dask", scheduler=client)) == full_serial
        by_address = _lines(scan(light, executor="dask", scheduler=cluster.scheduler_address))
        assert by_address == _lines(scan(light, executor="serial"))


def test_dask_missing_is_a_scan_error(light: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = engines.importlib.import_module

    def no_dask(name: str, package: str | None = None) -> Any:
        if name == "distributed":
            raise ImportError("No module named 'distributed'")
        return real(name, package)

    monkeypatch.setattr(engines.importlib, "import_module", no_dask)
    with pytest.raises(ScanError, match=r"openlicense\[dask\]"):
        list(scan(light, executor="dask"))


# --------------------------------------------------------------------------------------------
# crashes: the per-item functions below run in worker processes (pickled by reference)


def fake_analyzer(path: str) -> dict[str, Any]:
    name = os.path.basename(path)
    if "CRASH" in name:
        os._exit(3)  # a worker process dying mid-item, as the OOM killer or a segfault would
    if "OOM" in name:
        raise MemoryError("simulated")
    if "BUG" in name:
        raise KeyError("simulated bug")
    return {
        "schema": "openlicense/report/v1",
        "subject": {"name": name, "path": path, "format": "license-file"},
        "verdict": "insufficient-information",
        "flags": [],
        "error": None,
        "error_type": None,
    }


def _crash_items() -> list[Item]:
    names = [f"{i:03d}-LICENSE" for i in range(40)]
    names[3] = "003-CRASH"
    names[4] = "004-OOM"
    names[17] = "017-BUG"
    names[25] = "025-CRASH"
    return [Item(f"/nonexistent/{n}", "license-file") for n in names]


@pytest.mark.parametrize(
    "executor", [pytest.param("process", marks=pytest.mark.slow), "thread", "serial"]
)
def test_crashes_become_error_results_and_the_scan_goes_on(executor: str) -> None:
    items = _crash_items()
    if executor != "process":  # os._exit would end the test process itself
        items = [i for i in items if "CRASH" not in i.path]
    results = list(scan(items, executor=executor, jobs=2, analyzer=fake_analyzer))
    assert [r.path for r in results] == [i.path for i in items]
    errors = {os.path.basename(r.path): r.report["error_type"] for r in results if not r.ok}
    expected = {"004-OOM": "MemoryError", "017-BUG": "KeyError"}
    if executor == "process":
        expected |= {"003-CRASH": "WorkerDied", "025-CRASH": "WorkerDied"}
    assert errors == expected
    for r in results:
        if not r.ok:
            assert r.report["subject"]["path"] == r.path
            assert r.report["schema"] == "openlicense/report/v1"
    assert sum(r.ok for r in results) == len(items) - len(expected)


def sleepy_analyzer(path: str) -> dict[str, Any]:
    """``fake_analyzer``, but an item named SLOW takes a minute."""
    if "SLOW" in os.path.basename(path):
        time.sleep(60)
    return fake_analyzer(path)


@pytest.mark.slow
def test_an_item_over_the_deadline_is_a_timeout_and_the_scan_goes_on() -> None:
    names = [f"{i:02d}-LICENSE" for i in range(12)]
    names[2] = "02-SLOW"
    names[7] = "07-SLOW"
    items = [Item(f"/nonexistent/{n}", "license-file") for n in names]
    start = time.monotonic()
    results = list(scan(items, executor="process", jobs=2, analyzer=sleepy_analyzer, timeout=3))
    assert time.monotonic() - start < 45
    assert [r.path for r in results] == [i.path for i in items]
    errors = {os.path.basename(r.path): r.report["error_type"] for r in results if not r.ok}
    assert errors == {"02-SLOW": "ItemTimeout", "07-SLOW": "ItemTimeout"}
    slow = next(r for r in results if not r.ok)
    assert "longer than 3 s" in (slow.error or "")


@pytest.mark.slow
def test_quick_items_travel_in_batches_each_with_its_own_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pool's cost per task is the coordinator's: quick items go several to a task once
    they have been timed, and every item still gets its own result, in order."""
    from openlicense.batch.engines import MAX_BATCH, ProcessEngine

    sizes: list[int] = []
    start = ProcessEngine._start

    def counting(self: ProcessEngine, batch: list[tuple[int, str]]) -> None:
        sizes.append(len(batch))
        start(self, batch)

    monkeypatch.setattr(ProcessEngine, "_start", counting)
    items = [Item(f"/nonexistent/{i:04d}-LICENSE", "license-file") for i in range(400)]
    results = list(scan(items, executor="process", jobs=2, analyzer=fake_analyzer))
    assert [r.path for r in results] == [i.path for i in items]
    assert all(r.ok for r in results)
    assert sum(sizes) == len(items)
    assert max(sizes) == MAX_BATCH
    assert len(sizes) < len(items) // 4
    assert sizes[:4] == [1, 1, 1, 1]  # one item each until items have been timed


def test_idle_is_called_before_each_wait_with_the_results_so_far_yielded() -> None:
    items = [Item(f"/nonexistent/{i:03d}-LICENSE", "license-file") for i in range(30)]
    seen: list[int] = []
    yielded: list[str] = []

    def idle() -> None:
        seen.append(len(yielded))

    for result in scan(items, executor="thread", jobs=2, analyzer=fake_analyzer, idle=idle):
        yielded.append(result.path)
    assert yielded == [i.path for i in items]
    assert seen
    assert seen == sorted(seen)


def test_the_line_sink_writes_whole_lines_when_flushed_and_closed(tmp_path: Path) -> None:
    from openlicense.cli.scan import _LineSink

    path = tmp_path / "out.jsonl"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    sink = _LineSink(fd=fd)
    sink.write('{"a":1}\n')
    sink.write('{"b":2}\n')
    sink.flush()
    assert path.read_text(encoding="utf-8") == '{"a":1}\n{"b":2}\n'
    sink.write('{"c":3}\n')
    sink.close()
    assert path.read_text(encoding="utf-8").splitlines() == ['{"a":1}', '{"b":2}', '{"c":3}']


def test_batches_are_single_items_until_timed_then_sized_by_the_median() -> None:
    from openlicense.batch.engines import _Batches

    batches = _Batches(jobs=2, most=16, seconds=0.05)
    batches.queued = [(k, f"p{k}") for k in range(40)]
    # untimed: one item per task, only while a worker would lack a second task
    assert batches.ready(tasks=1) == [[(0, "p0")], [(1, "p1")], [(2, "p2")]]
    assert batches.ready(tasks=4) == []
    # a worker's first item (None: it loaded the analysis) is not a timing
    batches.record([(0, ("p0", {}), None), (1, ("p1", {}), 0.002), (2, ("p2", {}), 0.9)])
    batches.record([(3, ("p3", {}), 0.002)])
    assert batches.size() == 16  # median 2 ms: 50 ms is 25 items, at most 16
    sent = batches.ready(tasks=4)  # the workers are busy: full batches only
    assert [len(b) for b in sent] == [16, 16]
    assert len(batches.queued) == 5
    assert [len(b) for b in batches.ready(tasks=1)] == [5]  # running out: send the rest
    batches.record([(k, ("p", {}), 0.5) for k in range(40)])
    assert batches.size() == 1  # slow items travel alone


@pytest.mark.parametrize("timeout", [-1.0, float("nan")])
def test_a_negative_timeout_is_a_scan_error(timeout: float) -> None:
    with pytest.raises(ScanError, match="timeout"):
        scan(_crash_items(), executor="serial", analyzer=fake_analyzer, timeout=timeout)


def test_unpicklable_analyzer_is_a_scan_error() -> None:
    def local(path: str) -> dict[str, Any]:  # a nested function cannot be pickled
        return fake_analyzer(path)

    with pytest.raises(ScanError, match="module-level analyzer"):
        scan(_crash_items(), executor="process", analyzer=local)


def test_error_report_has_the_keys_of_every_report(tmp_path: Path) -> None:
    from openlicense.report import analyze

    failed = analyze(tmp_path / "missing").to_dict()
    made = error_report(str(tmp_path / "missing"), "boom", "InternalError")
    assert set(made) == set(failed) | {"item"}
    assert made["freedoms"] == failed["freedoms"]
    assert list(made)[:2] == ["schema", "item"]


# --------------------------------------------------------------------------------------------
# bounded memory: at most 4 x jobs items in flight, at most _REORDER_LIMIT not yet yielded


def test_in_flight_and_reorder_buffer_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run_mod, "_REORDER_LIMIT", 20)
    outstanding = most = 0
    real_submit, real_wait = engines.FuturesEngine.submit, engines.FuturesEngine.wait

    def submit(self: Any, key: int, path: str) -> None:
        nonlocal outstanding, most
        outstanding += 1
        most = max(most, outstanding)
        real_submit(self, key, path)

    def wait(self: Any) -> Any:
        nonlocal outstanding
        done = real_wait(self)
        outstanding -= len(done)
        return done

    monkeypatch.setattr(engines.FuturesEngine, "submit", submit)
    monkeypatch.setattr(engines.FuturesEngine, "wait", wait)
    started: list[str] = []
    head = threading.Event()

    def slow_head(path: str) -> dict[str, Any]:
        started.append(path)
        if path.endswith("0000-LICENSE"):
            head.wait(10)  # the first item is slow: the others pile up in the reorder buffer
        return fake_analyzer(path)

    items = [Item(f"/nonexistent/{i:04d}-LICENSE", "license-file") for i in range(300)]
    results = scan(items, executor="thread", jobs=2, analyzer=slow_head)
    consumer = threading.Thread(target=lambda: next(results))
    consumer.start()
    time.sleep(0.5)  # every chance to run ahead
    assert 8 < len(started) <= 20  # went past the slow item, but only as far as the buffer
    head.set()
    consumer.join()
    assert [r.index for r in results] == list(range(1, 300))  # the rest, in order
    assert most <= 4 * 2


def test_closing_the_iterator_cancels_the_rest() -> None:
    started: list[str] = []

    def record(path: str) -> dict[str, Any]:
        started.append(path)
        time.sleep(0.001)
        return fake_analyzer(path)

    items = [Item(f"/nonexistent/{i:05d}-LICENSE", "license-file") for i in range(5000)]
    results = scan(items, executor="thread", jobs=2, analyzer=record)
    assert next(results).index == 0
    results.close()
    time.sleep(0.1)  # a thread may have taken an item off the queue just before the close
    count = len(started)
    time.sleep(0.2)
    assert len(started) == count < 600


# --------------------------------------------------------------------------------------------
# the command, in-process (for resume and interruption, counting what is analyzed)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real: Callable[[str], dict[str, Any]] = run_mod._analyze_to_dict

    def count(path: str) -> dict[str, Any]:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(run_mod, "_analyze_to_dict", count)
    return calls


def _main(*args: str | Path) -> int:
    from openlicense.cli import main

    return int(main(["scan", *(str(a) for a in args)]))


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_resume_after_interrupted_run(
    light: Path, tmp_path: Path, counting: list[str], fmt: str
) -> None:
    n = len(find_items(light))
    whole = tmp_path / f"whole.{fmt}"
    assert _main("--format", fmt, "--executor", "serial", "--output", whole, light) == 2
    assert len(counting) == n
    lines = whole.read_bytes().splitlines(keepends=True)
    header = 1 if fmt == "csv" else 0
    assert len(lines) == n + header

    # An interrupted run: the first k results, then half a line cut off mid-write.
    k = 7
    partial = tmp_path / f"partial.{fmt}"
    partial.write_bytes(b"".join(lines[: header + k]) + lines[header + k][:25])
    counting.clear()
    summary = tmp_path / "summary.json"
    args = ("--format", fmt, "--executor", "serial", "--output", partial, "--resume")
    assert _main(*args, "--summary-json", summary, light) == 2
    assert len(counting) == n - k  # the finished ones are not analyzed again
    assert partial.read_bytes() == whole.read_bytes()  # exactly one result per item, in order
    data = json.loads(summary.read_text())
    assert (data["items"], data["previous"]) == (n, k)

    counting.clear()  # resuming a finished run analyzes nothing and keeps the file as it is
    assert _main(*args, light) == 2
    assert counting == []
    assert partial.read_bytes() == whole.read_bytes()


def test_resume_refuses_a_file_that_is_not_a_scan_output(tmp_path: Path, light: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"schema": "openlicense/report/v1", "item": {"path": "x"}}\nnot json\n')
    with pytest.raises(ScanError, match="line 2"):
        read_previous(out)
    rc = _main("--format", "jsonl", "--output", out, "--resume", light)
    assert rc == 2
    assert out.read_text().endswith("not json\n")  # left untouched


def test_keyboard_interrupt_stops_cleanly_and_resume_finishes(
    light: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real: Callable[[str], dict[str, Any]] = run_mod._analyze_to_dict
    calls: list[str] = []

    def interrupt_fifth(path: str) -> dict[str, Any]:
        calls.append(path)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return real(path)

    monkeypatch.setattr(run_mod, "_analyze_to_dict", interrupt_fifth)
    out = tmp_path / "out.jsonl"
    assert _main("--format", "jsonl", "--executor", "serial", "--output", out, light) == 130
    assert len(out.read_text().splitlines()) == 4
    monkeypatch.setattr(run_mod, "_analyze_to_dict", real)
    assert _main("--format", "jsonl", "--resume", "-j", "2", "--output", out, light) == 2
    paths = [json.loads(line)["item"]["path"] for line in out.read_text().splitlines()]
    assert paths == [i.path for i in find_items(light)]


# --------------------------------------------------------------------------------------------
# formats and summary


def test_formats_parse_and_summary_counts(
    light: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = find_items(light)
    summary_file = tmp_path / "summary.json"
    assert _main("--format", "jsonl", "-j", "2", "--summary-json", summary_file, light) == 2
    captured = capsys.readouterr()
    reports = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["item"]["path"] for r in reports] == [i.path for i in items]
    assert "scanned" in captured.err  # the summary goes to stderr, stdout stays JSON lines

    summary = json.loads(summary_file.read_text())
    ok = [r for r in reports if not r["error"]]
    assert summary["schema"] == "openlicense/scan-summary/v1"
    assert summary["items"] == len(items)
    assert summary["errors"] == len(reports) - len(ok) >= len(BROKEN)
    assert sum(summary["verdicts"].values()) == len(ok)
    assert summary["verdicts"].get("not-open-source-ai") == sum(
        r["verdict"] == "not-open-source-ai" for r in ok
    )
    assert sum(summary["mof_classes"].values()) == len(ok)
    flagged = {f["name"] for r in ok for f in r["flags"]}
    assert set(summary["flags"]) == flagged
    for name, count in summary["flags"].items():
        assert count == sum(any(f["name"] == name for f in r["flags"]) for r in ok)
    assert summary["exit_status"] == 2

    assert _main("--format", "csv", "--executor", "thread", light) == 2
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert tuple(rows[0]) == CSV_HEADER
    assert [row["path"] for row in rows] == [i.path for i in items]
    for row, report in zip(rows, reports, strict=True):
        assert row["verdict"] == (report["verdict"] or "")
        flags = row["flags"].split(";") if row["flags"] else []
        assert flags == list(dict.fromkeys(f["name"] for f in report["flags"]))
        assert bool(row["error"]) == bool(report["error"])
        assert "\n" not in row["error"]

    assert _main("--format", "text", "--executor", "serial", light) == 2
    out = capsys.readouterr().out
    assert out.count("\n") >= len(items) + 4  # one line per item, then the summary
    assert out.splitlines()[0].startswith(items[0].path + ": ")
    assert "scanned" in out
    assert "\x1b[" not in out


# --------------------------------------------------------------------------------------------
# end to end: the command as a user runs it


def run_scan(*args: str | Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SCAN_CMD, *(str(a) for a in args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_e2e_jsonl_piped(light: Path) -> None:
    proc = run_scan("--format", "jsonl", "-j", "2", light)
    assert proc.returncode == 2, proc.stderr  # the broken inputs could not be read
    lines = proc.stdout.splitlines()
    assert len(lines) == len(find_items(light))
    assert all(json.loads(line)["schema"] == "openlicense/report/v1" for line in lines)
    assert "\r" not in proc.stderr  # piped: no progress line
    assert "scanned" in proc.stderr


@pytest.mark.parametrize(
    ("tree", "args", "status"),
    [
        pytest.param({"a": "repos/olmo-open", "m.yml": "mot/class1-paper-no-report.yml"}, (), 0,
                     id="clean"),
        pytest.param({"g": "rules/gated-access/repo"}, (), 0, id="warning-below-fail-on"),
        pytest.param({"g": "rules/gated-access/repo"}, ("--fail-on", "warning"), 1,
                     id="warning-at-fail-on"),
        pytest.param({"nc": "repos/nc-fully-open"}, (), 1, id="error-flag"),
        pytest.param({"nc": "repos/nc-fully-open"}, ("--fail-on", "never"), 0, id="never"),
    ],
)  # fmt: skip
def test_e2e_exit_status(
    tmp_path: Path, tree: dict[str, str], args: tuple[str, ...], status: int
) -> None:
    for dest, src in tree.items():
        if (FIXTURES / src).is_dir():
            shutil.copytree(FIXTURES / src, tmp_path / dest)
        else:
            shutil.copy(FIXTURES / src, tmp_path / dest)
    proc = run_scan("--format", "csv", "--executor", "thread", *args, tmp_path)
    assert proc.returncode == status, proc.stdout + proc.stderr
    assert len(proc.stdout.splitlines()) == 1 + len(tree)


@pytest.mark.parametrize(
    "args",
    [
        ("--resume", "X"),  # --resume needs --output
        ("--format", "text", "--output", "{tmp}/o", "--resume", "X"),
        ("--jobs", "0", "X"),
        ("--executor", "thread", "--scheduler", "tcp://127.0.0.1:1", "X"),
        ("{tmp}/does-not-exist",),
        ("--format", "xml", "X"),
    ],
    ids=["resume-no-output", "resume-text", "jobs-0", "scheduler-not-dask", "missing", "format"],
)
def test_e2e_usage_errors(tmp_path: Path, light: Path, args: tuple[str, ...]) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)).replace("X", str(light)) for a in args]
    proc = run_scan(*argv)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "error" in proc.stderr


def test_e2e_progress_only_on_a_terminal(light: Path, tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [*SCAN_CMD, "--format", "jsonl", "--executor", "thread", "--output",
             str(tmp_path / "o.jsonl"), str(light)],
            stdout=subprocess.DEVNULL,
            stderr=secondary,
            timeout=180,
            check=False,
        )  # fmt: skip
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO once the terminal's other end is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(primary)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 2
    assert "\r" in shown
    assert "items/s" in shown
    assert "ETA" in shown


@pytest.mark.slow
def test_e2e_sigint_then_resume(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    mit = _mit_text()
    # Enough items that the scan is still running when the signal arrives, on an idle machine
    # too (each of these is settled on the exact path in about a millisecond).
    n = 8000
    _write(corpus, {f"licenses/{i:05d}.txt": f"Copyright (c) {i} Acme\n\n{mit}" for i in range(n)})
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [*SCAN_CMD, "--format", "jsonl", "-j", "2", "--output", str(out), str(corpus)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 20:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "rerun with --resume" in err
    done = out.read_text().splitlines()
    assert 20 <= len(done) < n
    assert all(json.loads(line)["error"] is None for line in done)  # no item blamed for Ctrl-C

    proc2 = run_scan("--format", "jsonl", "-j", "2", "--output", out, "--resume", corpus)
    assert proc2.returncode == 0, proc2.stderr
    assert f"{len(done)} items done earlier" in proc2.stderr
    paths = [json.loads(line)["item"]["path"] for line in out.read_text().splitlines()]
    assert paths == [str(corpus / "licenses" / f"{i:05d}.txt") for i in range(n)]


@pytest.mark.slow
def test_base_model_in_the_same_corpus_reveals_laundering(tmp_path: Path) -> None:
    """A derivative relabelled Apache-2.0 over a CC-BY-NC base of the same corpus conflicts."""
    base = tmp_path / "acme" / "base-model"
    derived = tmp_path / "bob" / "derived"
    base.mkdir(parents=True)
    derived.mkdir(parents=True)
    (base / "README.md").write_text(
        "---\nlicense: cc-by-nc-4.0\ndatasets:\n- EleutherAI/pile\n---\n# Base\n", encoding="utf-8"
    )
    (derived / "README.md").write_text(
        "---\nlicense: apache-2.0\nbase_model: acme/base-model\ndatasets:\n- EleutherAI/pile\n"
        "---\n# Derived\n",
        encoding="utf-8",
    )
    from openlicense.batch import corpus_base_licenses, find_items

    assert corpus_base_licenses(find_items(tmp_path)) == {"acme/base-model": "CC-BY-NC-4.0"}
    for executor in ("serial", "process"):
        results = {r.path: r.report for r in scan(tmp_path, executor=executor, jobs=2)}
        flags = {f["name"] for f in results[str(derived)]["flags"]}
        assert "license-conflict" in flags, executor
        assert results[str(derived)]["verdict"] == "not-open-source-ai"


def test_unparsable_front_matter_does_not_stop_the_scan(tmp_path: Path) -> None:
    nested = "[" * 5000 + "]" * 5000  # PyYAML recurses per level: RecursionError
    _write(tmp_path, {"deep/README.md": f"---\nlicense: mit\nbase_model: {nested}\n---\n# x\n"})
    _write(tmp_path, {"ok/LICENSE": _mit_text()})
    results = list(scan(tmp_path, executor="serial"))
    assert [os.path.relpath(r.path, tmp_path) for r in results] == ["deep", "ok/LICENSE"]
    assert results[0].report["error"]
    assert results[1].ok


# --------------------------------------------------------------------------------------------
# streaming: the walk yields find_items' items in find_items' order, while it goes on

# Names whose sort order differs from a depth-first walk's ("a-b" < "a/x" < "ab"), nested
# repositories, a licenses folder, flat cards with companions and a MOT file.
TRICKY: dict[str, str | bytes] = {
    "a/README.md": FRONT,
    "a/LICENSE": "MIT",
    "a/sub/LICENSE": "MIT",
    "a/inner/README.md": FRONT,
    "a-b": "not an item",
    "a-b.LICENSE": "MIT",
    "a.yml": "release:\n  name: x\n",
    "ab/LICENSE": "MIT",
    "a0/x__y.README.md": FRONT,
    "a0/x__y.LICENSE.txt": "MIT",
    "a0/x__y.z.README.md": FRONT,
    "a0/x__y.z.LICENSE": "MIT",  # a companion of x__y.z, as x__y.LICENSE.txt is of x__y
    "a1/x__y.z.README.md": FRONT,
    "a1/x__y.LICENSE": "MIT",  # not a companion of x__y.z: a license file of its own
    "licenses/GPL.txt": "GPL",
    "z/licenses/deep/COPYING": "GPL",
    "Z/LICENSE": "MIT",
    "_/LICENSE": "MIT",
}


def test_iter_items_gives_find_items_in_the_same_order(tmp_path: Path, full: Path) -> None:
    from openlicense.batch import iter_items

    _write(tmp_path, TRICKY)
    for tree in (tmp_path, full, tmp_path / "a", tmp_path / "a-b.LICENSE"):
        assert list(iter_items(tree)) == find_items(tree), tree
    with pytest.raises(ScanError):
        iter_items(tmp_path / "nope")  # at once, not on the first next()


def test_scan_streams_the_first_result_before_the_walk_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    discover = importlib.import_module("openlicense.read.discover")
    _write(tmp_path, {f"l/{i:03d}/LICENSE": "MIT" for i in range(200)})
    listed: list[str] = []
    real = discover._list_folder

    def list_folder(folder: str, root_real: str) -> Any:
        listed.append(folder)
        return real(folder, root_real)

    monkeypatch.setattr(discover, "_list_folder", list_folder)
    results = scan(tmp_path, executor="serial", analyzer=fake_analyzer)
    assert next(results).path == str(tmp_path / "l" / "000" / "LICENSE")
    assert len(listed) < 10  # the root, l/, the first few buckets: not the 200 of them
    progress: list[tuple[int, int]] = []
    rest = list(scan(tmp_path, executor="thread", jobs=2, progress=lambda *a: progress.append(a)))
    assert [r.path for r in rest] == [i.path for i in find_items(tmp_path)]
    assert progress[-1] == (200, 200)
    assert all(done <= total for done, total in progress)


def test_a_generator_of_items_is_read_only_as_the_window_needs(tmp_path: Path) -> None:
    taken: list[int] = []

    def items() -> Iterable[Item]:
        for i in range(10_000):
            taken.append(i)
            yield Item(f"/nonexistent/{i:05d}-LICENSE", "license-file")

    results = scan(items(), executor="thread", jobs=2, analyzer=fake_analyzer)
    assert next(results).index == 0
    results.close()
    assert len(taken) <= run_mod._REORDER_LIMIT + 1


def test_corpus_of_overlapping_folders_gives_each_item_once(tmp_path: Path) -> None:
    from openlicense.batch import Corpus

    _write(tmp_path, TRICKY)
    paths = [tmp_path / "a", tmp_path, tmp_path / "a", tmp_path / "z"]
    expected = list({i.path: i for p in paths for i in find_items(p)}.values())
    assert list(Corpus(paths)) == expected
    assert list(Corpus([tmp_path / "a", tmp_path / "ab"])) == find_items(tmp_path / "a") + (
        find_items(tmp_path / "ab")
    )
    with pytest.raises(ScanError, match="no such file"):
        Corpus([tmp_path, tmp_path / "nope"])


# --------------------------------------------------------------------------------------------
# base models in the same corpus, looked up by the worker where the corpus keeps them

BASES: dict[str, str | bytes] = {
    "hub/acme/base/README.md": "---\nlicense: cc-by-nc-4.0\n---\n# Base\n",
    "hub/acme/other/README.md": "---\nlicense: other\nlicense_name: acme-model-license\n---\n",
    "hub/acme/broken/README.md": "---\nlicense: [mit\n---\n",
    "hub/bob/derived/README.md": "---\nlicense: apache-2.0\nbase_model: acme/base\n---\n",
    "hub/flat/carol__flat.README.md": "---\nlicense: gpl-3.0\n---\n",
    "hub/flat/dave__d.README.md": "---\nlicense: mit\nbase_model: carol/flat\n---\n",
    "hub/shard2/erin/base/README.md": "---\nlicense: cc-by-nc-4.0\n---\n",
    "outside/x/y/README.md": "---\nlicense: cc-by-nc-4.0\n---\n",
}


@pytest.mark.parametrize(
    ("item", "name", "expected"),
    [
        ("hub/bob/derived", "acme/base", "CC-BY-NC-4.0"),  # beside the derivative's owner
        ("hub/bob/derived", "ACME/BASE".lower(), "CC-BY-NC-4.0"),
        ("hub/bob/derived", "acme/other", "LicenseRef-acme-model-license"),
        ("hub/flat/dave__d.README.md", "carol/flat", "GPL-3.0-only"),  # a flat card beside it
        ("hub/flat/dave__d.README.md", "acme/base", "CC-BY-NC-4.0"),  # in a folder above
        ("hub/bob/derived", "acme/broken", None),  # its own item reports the error
        ("hub/bob/derived", "acme/missing", None),
        ("hub/bob/derived", "erin/base", None),  # in another shard: not looked for
        ("hub/bob/derived", "x/y", None),  # outside the scanned folder
        ("hub/bob/derived", "../outside", None),  # not a Hub id: never a path
        ("hub/bob/derived", "acme", None),
        ("hub/bob/derived", ".hidden/x", None),
    ],
    ids=str,
)
def test_corpus_bases_looks_where_the_corpus_keeps_a_model(
    tmp_path: Path, item: str, name: str, expected: str | None
) -> None:
    from openlicense.batch import CorpusBases

    _write(tmp_path, BASES)
    bases = CorpusBases((str(tmp_path / "hub"),), str(tmp_path / item))
    assert bool(bases)
    got = bases.get(name)
    if expected is None:
        assert got is None
    else:
        assert got is not None
        assert got.startswith(expected.split("-acme")[0]), got
    assert not CorpusBases((str(tmp_path / "hub"),), str(tmp_path / "hub"))  # the root itself


def test_laundering_found_by_the_scan_in_any_order_of_items(tmp_path: Path) -> None:
    """The base sorts after the derivative here: streaming must not need it seen first."""
    _write(
        tmp_path,
        {
            "zeta/base/README.md": "---\nlicense: cc-by-nc-4.0\ndatasets:\n- EleutherAI/pile\n"
            "---\n# Base\n",
            "alpha/derived/README.md": "---\nlicense: apache-2.0\nbase_model: zeta/base\n"
            "datasets:\n- EleutherAI/pile\n---\n# Derived\n",
        },
    )
    for source in (tmp_path, find_items(tmp_path)):
        results = {r.path: r.report for r in scan(source, executor="thread", jobs=2)}
        flags = {f["name"] for f in results[str(tmp_path / "alpha" / "derived")]["flags"]}
        assert "license-conflict" in flags


def loaded_in_worker(path: str) -> dict[str, Any]:
    """The per-item function of the test below: what this worker process had loaded already."""
    from openlicense.catalog.cache import get_catalog

    report = fake_analyzer(path)
    report["verdict"] = f"catalog-loaded-{get_catalog.cache_info().currsize}-pid-{os.getpid()}"
    return report


@pytest.mark.slow
def test_process_workers_are_born_with_the_catalog_loaded() -> None:
    """The forkserver loads the catalog before forking (openlicense.batch.preload)."""
    items = [Item(f"/nonexistent/{i:03d}-LICENSE", "license-file") for i in range(8)]
    results = list(scan(items, executor="process", jobs=2, analyzer=loaded_in_worker))
    assert all(r.report["verdict"].startswith("catalog-loaded-1-") for r in results)


def test_the_batch_package_names_resolve_lazily_and_the_cli_does_not_load_them() -> None:
    """``openlicense.batch`` imports its modules on first use: every name of ``__all__``
    resolves, and building the command line (all of ``identify``'s start-up) loads no batch
    module but the options."""
    from openlicense import batch

    assert sorted(batch.__all__) == sorted(batch._HOMES)
    for name in batch.__all__:
        assert getattr(batch, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = batch.nothing  # type: ignore[attr-defined]
    probe = (
        "import sys; from openlicense.cli import build_parser; build_parser(); "
        "print(sorted(m for m in sys.modules if m.startswith('openlicense.batch.')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["['openlicense.batch.options']"]

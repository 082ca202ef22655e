"""The catalog's disk cache holds under hostile and broken files (issue 12).

Each case runs ``openlicense normalize MIT`` in a fresh interpreter with a private cache folder,
since this process loaded its catalog long ago.
"""

from __future__ import annotations

import functools
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from openlicense.catalog import cache, get_catalog
from openlicense.catalog.codec import decode_catalog, encode_catalog

_KEY_PROBE = "from openlicense.catalog.cache import _data_fingerprint; print(_data_fingerprint())"


def _env(folder: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH")) if p)
    env["OPENLICENSE_CACHE_DIR"] = str(folder)
    env.pop("OPENLICENSE_NO_CACHE", None)
    env.update(extra)
    return env


def _run(folder: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "openlicense", *args],
        check=False,
        env=_env(folder, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _key(folder: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _KEY_PROBE],
        env=_env(folder),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


class _Planted:
    """Unpickling this creates the marker file: proof that a pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.write_text, (self.marker, "pwned"))


def _normalized_mit(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "MIT" in done.stdout


def test_a_planted_pickle_is_never_executed(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    key = _key(folder)
    marker = tmp_path / "marker"
    hostile = pickle.dumps(_Planted(marker))
    # Every name a cache file had or has: the old pickle, the JSON file, and a stray one.
    for name in (f"catalog-{key}.pickle", f"catalog-{key}.json", "catalog-0.pickle"):
        (folder / name).write_bytes(hostile)
    _normalized_mit(_run(folder, "normalize", "MIT"))
    assert not marker.exists()
    # The hostile files were replaced or removed, and the new cache is JSON.
    assert not list(folder.glob("*.pickle"))
    assert (folder / f"catalog-{key}.json").read_bytes().startswith(b'{"magic"')
    _normalized_mit(_run(folder, "normalize", "MIT"))
    assert not marker.exists()


def _whole(key: str) -> bytes:
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"openlicense-test-{os.getpid()}.json"
    cache.write_cache_file(path, key, encode_catalog(get_catalog()))
    try:
        return path.read_bytes()
    finally:
        path.unlink()


def _header(payload: bytes, key: str, **changes: Any) -> bytes:
    import hashlib

    header = {
        "magic": cache.MAGIC,
        "key": key,
        "length": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    header.update(changes)
    return json.dumps(header).encode() + b"\n" + payload


_BROKEN: dict[str, Any] = {
    "empty": lambda key, whole: b"",
    "json-list": lambda key, whole: b"[]",
    "json-null": lambda key, whole: b"null",
    "not-utf8": lambda key, whole: b"\xff\xfe\x00garbage",
    "truncated": lambda key, whole: whole[: len(whole) // 2],
    "bad-digest": lambda key, whole: whole[:-2] + b"]}",
    "other-key": lambda key, whole: _header(whole.partition(b"\n")[2], "0" * 24),
    "list-payload": lambda key, whole: _header(b"[]", key),
    "null-payload": lambda key, whole: _header(b"null", key),
    "wrong-types": lambda key, whole: _header(
        json.dumps({"entries": {"MIT": 1}, "targets": "x"}).encode(), key
    ),
    "deep-nesting": lambda key, whole: _header(b"[" * 100_000 + b"]" * 100_000, key),
    "header-list": lambda key, whole: b"[]\n{}",
}


@pytest.mark.parametrize("case", sorted(_BROKEN))
def test_a_broken_cache_file_is_rebuilt(tmp_path: Path, case: str) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    key = _key(folder)
    path = folder / f"catalog-{key}.json"
    path.write_bytes(_BROKEN[case](key, _whole(key)))
    _normalized_mit(_run(folder, "normalize", "MIT"))
    assert cache.read_cache_file(path, key) is not None  # rebuilt, whole again


@pytest.mark.parametrize(
    "case",
    ["empty", "json-list", "json-null", "truncated", "bad-digest", "wrong-types", "deep-nesting"],
)
def test_broken_payloads_are_refused_in_process(tmp_path: Path, case: str) -> None:
    key = "k"
    path = tmp_path / "catalog.json"
    path.write_bytes(_BROKEN[case](key, _whole(key)))
    data = cache.read_cache_file(path, key)
    if data is not None:  # a whole file of the wrong shape: the decoder refuses it
        with pytest.raises(ValueError, match=r"expected|not a catalog|name target"):
            decode_catalog(data)


def test_a_fifo_in_place_of_the_cache_does_not_block(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    key = _key(folder)
    os.mkfifo(folder / f"catalog-{key}.json")
    _normalized_mit(_run(folder, "normalize", "MIT"))


def test_the_cache_round_trips_the_catalog() -> None:
    catalog = get_catalog()
    assert (
        decode_catalog(json.loads(json.dumps(encode_catalog(catalog)))).state() == catalog.state()
    )


def test_no_cache_reads_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    _normalized_mit(_run(folder, "normalize", "MIT", OPENLICENSE_NO_CACHE="1"))
    assert not folder.exists()
    probe = (
        "from openlicense.catalog import cache; cache.use_disk_cache(False); "
        "print(cache.get_catalog().license_id('mit'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=_env(folder), capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "MIT"
    assert not folder.exists()


_UNLISTED_TEXT = (
    "Sample Model License\n\nYou may use, copy, modify and distribute the model for any "
    "purpose, provided that you keep this notice. The model may not be used to monitor people.\n"
)


@pytest.mark.parametrize(
    "argv",
    [["--no-cache", "normalize", "MIT"], ["normalize", "--no-cache", "MIT"], ["normalize", "MIT"]],
)
def test_the_no_cache_option_is_read_before_and_after_the_command(argv: list[str]) -> None:
    from openlicense.cli import build_parser

    assert build_parser().parse_args(argv).no_cache is ("--no-cache" in argv)


@pytest.mark.parametrize(
    "args",
    [
        ["identify", "--no-scancode", "--no-cache", "{text}"],
        ["scan", "--no-cache", "--jobs", "2", "--no-progress", "--format", "jsonl", "{folder}"],
    ],
    ids=["identify", "scan-with-workers"],
)
def test_the_no_cache_option_leaves_the_cache_folder_alone(tmp_path: Path, args: list[str]) -> None:
    # A text no exact index knows, so that the matching index (a file) is needed too.
    folder, work = tmp_path / "cache", tmp_path / "work"
    work.mkdir()
    text = work / "LICENSE"
    text.write_text(_UNLISTED_TEXT)
    done = _run(folder, *(a.format(text=text, folder=work) for a in args))
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.strip()
    assert not folder.exists()


def test_eight_simultaneous_cold_starts_leave_a_valid_cache(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "openlicense", "normalize", "Apache License 2.0"],
            env=_env(folder),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "Apache-2.0" in out
    key = _key(folder)
    files = sorted(p.name for p in folder.iterdir())
    assert files == [f"catalog-{key}.json"]  # no temporary file left behind
    data = cache.read_cache_file(folder / files[0], key)
    assert data is not None
    assert decode_catalog(data).license_id("apache-2.0") == "Apache-2.0"


def test_the_exact_index_rebuilds_what_its_cache_files_do_not_hold(tmp_path: Path) -> None:
    """The hashes and the containment table are two files: each, planted or cut short, is
    rebuilt from ScanCode's data without an error, and the other is still used."""
    folder = tmp_path / "cache"
    probe = (
        "from openlicense.identification.exact import content_tokens, exact_index\n"
        "from openlicense.catalog.texts import scancode_text\n"
        "index = exact_index()\n"
        "text = scancode_text('mit') or ''\n"
        "print(index.exact(content_tokens(text)))\n"
        "print(len(index.by_start) > 1000)\n"
    )
    run = functools.partial(
        subprocess.run,
        [sys.executable, "-c", probe],
        env=_env(folder),
        capture_output=True,
        text=True,
        check=False,
    )
    folder.mkdir()
    stale = folder / "exact-index-6-scancode-32.5.0.json"  # an older format's file
    stale.write_text("{}")
    first = run()
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["mit", "True"]
    assert not stale.exists()
    hashes = next(folder.glob("exact-index-*[0-9].json"))
    starts = next(folder.glob("exact-index-*-starts.json"))
    key = json.loads(starts.read_bytes().partition(b"\n")[0])["key"]
    for planted in (["not", "a", "table"], {"mit license": [["mit", "many", "x"]]}):
        cache.write_cache_file(starts, key, planted)
        again = run()
        assert again.returncode == 0, again.stderr
        assert again.stdout.split() == ["mit", "True"]
    cache.write_cache_file(hashes, key, {"digest": 7})
    again = run()
    assert again.returncode == 0, again.stderr
    assert again.stdout.split() == ["mit", "True"]


def test_every_place_of_an_entry_and_a_name_target_is_type_checked() -> None:
    """The decoder checks each entry by its type signature: a wrong type at any place, or a
    non-string in any list, is refused, whatever signature came before."""
    data = encode_catalog(get_catalog())
    decode_catalog(data)  # the signatures of the real entries are now known
    entry = next(e for e in data["entries"] if e[22] is not None)
    for place, value in enumerate(entry):
        for wrong in (7, [7] if isinstance(value, list) else {"a": 1}):
            broken = json.loads(json.dumps(data))
            broken["entries"][0] = [*entry[:place], wrong, *entry[place + 1 :]]
            with pytest.raises(ValueError, match=r"expected|namespace|freedom"):
                decode_catalog(broken)
    target = data["targets"][0]
    for place in range(len(target)):
        broken = json.loads(json.dumps(data))
        broken["targets"][0] = [*target[:place], 7.5, *target[place + 1 :]]
        with pytest.raises(ValueError, match="expected"):
            decode_catalog(broken)

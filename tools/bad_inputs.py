"""Run openlicense on hostile and broken inputs and write the bad-input table (issue 12).

Every input of the table is created afresh in a temporary folder, and every row runs one
command (``check``, ``identify``, ``scan`` or ``normalize``) in a fresh process, through a small
wrapper process that enforces the per-row timeout (killing the whole process group, workers
included) and reads the peak memory of what it waited for with
``resource.getrusage(RUSAGE_CHILDREN)``. The table goes to ``docs/bad-inputs.md``.

    python tools/bad_inputs.py                     # every row, 10 s per row
    python tools/bad_inputs.py --quick             # without the 50 MB and 10,000-file rows
    python tools/bad_inputs.py --only alias-bomb --only fifo --output -   # a subset, to stdout
    python tools/bad_inputs.py --list              # the row names

A row passes (``ok``) when, as issue 12 asks: the exit status is 0, 1 or 2 (the documented
ones), the message is one line, no Python traceback appears, it ends within the timeout and
under 10 s and 500 MB; for ``scan``, also every output line is a JSON result and no item is
lost (the expected number of results comes back). Anything else is ``FAIL`` with the reason.

Run it from the repository root (or anywhere: it finds ``src/`` next to itself). It uses the
interpreter it runs under; ``PYTHONPATH`` is set to this checkout's ``src``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"
DEFAULT_TIMEOUT = 10.0
TIME_LIMIT = 10.0
MEMORY_LIMIT_MB = 500
MB = 1024 * 1024
NOBODY = 65534

# The wrapper: runs one command in its own session, kills the session on timeout, and reports
# exit status, wall time and the peak RSS of the children it waited for (Linux: KiB).
WRAPPER = r"""
import json, os, resource, signal, subprocess, sys, time
spec = json.loads(sys.argv[1])
kwargs = {}
if spec.get("user") is not None:
    kwargs["user"] = spec["user"]
    kwargs["group"] = spec["user"]
    kwargs["extra_groups"] = []
with open(spec["stdout"], "wb") as out, open(spec["stderr"], "wb") as err:
    start = time.monotonic()
    proc = subprocess.Popen(
        spec["argv"], stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=spec["cwd"],
        env=spec["env"], start_new_session=True, **kwargs
    )
    timed_out = False
    try:
        rc = proc.wait(timeout=spec["timeout"])
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        rc = proc.wait()
    wall = time.monotonic() - start
    # Workers of a killed scan may outlive the leader for a moment: kill what is left.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "rc": rc, "wall": wall, "timed_out": timed_out, "maxrss_kb": usage.ru_maxrss,
    "cpu": usage.ru_utime + usage.ru_stime,
}))
"""


# --------------------------------------------------------------------------------------------
# inputs


def _mit() -> str:
    return (
        "MIT License\n\nCopyright (c) 2024 Example Corp\n\n"
        "Permission is hereby granted, free of charge, to any person obtaining a copy\n"
        'of this software and associated documentation files (the "Software"), to deal\n'
        "in the Software without restriction, including without limitation the rights\n"
        "to use, copy, modify, merge, publish, distribute, sublicense, and/or sell\n"
        "copies of the Software, and to permit persons to whom the Software is\n"
        "furnished to do so, subject to the following conditions:\n\n"
        "The above copyright notice and this permission notice shall be included in all\n"
        "copies or substantial portions of the Software.\n\n"
        'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\n'
        "IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\n"
        "FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\n"
        "AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\n"
        "LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\n"
        "OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\n"
        "SOFTWARE.\n"
    )


def _repeated(text: str, size: int) -> bytes:
    data = text.encode()
    return (data * (size // len(data) + 1))[:size]


def _random_words(size: int, seed: int = 12) -> bytes:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = [
        "".join(rng.choice(letters) for _ in range(rng.randint(2, 11))) for _ in range(5000)
    ]
    out: list[str] = []
    length = 0
    while length < size:
        line = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(6, 14)))
        line = line + (".\n" if rng.random() < 0.8 else ":\n\n")
        out.append(line)
        length += len(line)
    return "".join(out).encode()[:size]


def _alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def _comma_names(length: int) -> str:
    # Names the catalog does not know are the costly shape (known ids are read fast).
    names = ["foo", "bar", "baz", "qux", "acme license", "custom"]
    return ", ".join(names * (length // 20 + 1))[:length].rstrip(", ")


def _card(front: str, body: str = "# A model\n\nSome text.\n") -> str:
    return f"---\n{front}---\n{body}"


def _repo(folder: Path, readme: str, files: dict[str, bytes] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text(readme, encoding="utf-8")
    for name, data in (files or {}).items():
        (folder / name).write_bytes(data)
    return folder


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _deep(depth: int) -> str:
    return "(MIT OR " * depth + "Apache-2.0" + ")" * depth


@dataclass
class Case:
    """One hostile input and the commands it goes through."""

    name: str
    what: str
    build: Callable[[Path], Path]  # makes the input under the folder, returns its path
    commands: tuple[str, ...] = ("check", "identify", "scan")
    # scan gets the input's folder (``folder``) or the path itself (``path``)
    scan_target: str = "folder"
    expect_items: int | None = 1  # results a scan must give (None: do not check)
    slow: bool = False  # skipped by --quick
    user: int | None = None  # run as this uid (to make chmod 000 mean something for root)
    env: dict[str, str] = field(default_factory=dict)
    marker: str | None = None  # a file that must not exist after the run (planted code ran)


def _license(name: str, data: bytes) -> Callable[[Path], Path]:
    return lambda root: _write(root / name, data)


def _fifo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "LICENSE"
    os.mkfifo(path)
    return path


def _dev_zero(root: Path) -> Path:
    return Path("/dev/zero")


def _unreadable(root: Path) -> Path:
    path = _write(root / "LICENSE", _mit().encode())
    path.chmod(0)
    return path


def _symlink_loop(root: Path) -> Path:
    repo = _repo(root / "repo", _card("license: mit\n"), {"LICENSE": _mit().encode()})
    os.symlink("loop-b", repo / "loop-a")
    os.symlink("loop-a", repo / "loop-b")
    os.symlink("LICENSE-self", repo / "LICENSE-self")
    (repo / "sub").mkdir()
    os.symlink("..", repo / "sub" / "up")
    return repo


def _self_loop(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    os.symlink("LICENSE", root / "LICENSE")
    return root / "LICENSE"


def _symlink_out(root: Path) -> Path:
    outside = _write(root / "outside" / "secret.txt", b"GNU GENERAL PUBLIC LICENSE\nsecret\n")
    repo = _repo(root / "tree" / "repo", _card("license: mit\n"))
    os.symlink(outside, repo / "LICENSE")
    os.symlink(outside.parent, repo / "licenses")
    return repo


def _with_plain_neighbour(build: Callable[[Path], Path]) -> Callable[[Path], Path]:
    """``build``, with a plain MIT text in a folder beside the input's (an item behind it)."""

    def both(root: Path) -> Path:
        target = build(root / "big")
        _write(root / "small" / "LICENSE", _mit().encode())
        return target.parent

    return both


def _many_empty(root: Path) -> Path:
    folder = root / "licenses"
    folder.mkdir(parents=True)
    for i in range(10_000):
        (folder / f"LICENSE-{i:05d}").touch()
    return folder


def _odd_name(raw: bytes) -> Callable[[Path], Path]:
    def build(root: Path) -> Path:
        root.mkdir(parents=True, exist_ok=True)
        path = os.path.join(os.fsencode(root), raw)
        with open(path, "wb") as fh:
            fh.write(_mit().encode())
        return Path(os.fsdecode(path))

    return build


def _card_file(front: str, body: str | None = None) -> Callable[[Path], Path]:
    def build(root: Path) -> Path:
        repo = _repo(root / "repo", _card(front) if body is None else _card(front, body))
        return repo / "README.md"

    return build


def _planted_cache(payload: Callable[[Path], bytes]) -> Callable[[Path], Path]:
    """A cache folder whose catalog file is replaced by ``payload`` (the name it would have)."""

    def build(root: Path) -> Path:
        cache = root / "cache"
        cache.mkdir(parents=True)
        name = subprocess.run(
            [
                sys.executable,
                "-c",
                "from openlicense.catalog.cache import _data_fingerprint as f; print(f())",
            ],
            env=_env(cache),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        (cache / f"catalog-{name}.pickle").write_bytes(payload(root))
        return cache

    return build


def _pickle_payload(root: Path) -> bytes:
    import pickle

    marker = root / "PWNED"

    class Payload:
        def __reduce__(self) -> tuple[object, ...]:
            return (exec, (f"open({str(marker)!r}, 'w').write('ran')",))

    return pickle.dumps(Payload())


CASES: list[Case] = [
    Case(
        "control-mit",
        "a plain MIT LICENSE (the baseline: start-up cost)",
        _license("LICENSE", _mit().encode()),
    ),
    Case(
        "control-prose",
        "a tiny text that is no license (identify and check load ScanCode's index for it)",
        _license("LICENSE", b"hello world, this is not a license\n"),
    ),
    Case(
        "binary",
        "PNG bytes named LICENSE",
        _license("LICENSE", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
    ),
    Case(
        "invalid-utf8",
        "MIT text with a stray \\xff\\xfe in the middle",
        _license("LICENSE", _mit().encode()[:200] + b"\xff\xfe\xc3" + _mit().encode()[200:]),
    ),
    Case(
        "utf16-bom", "MIT text in UTF-16 with a BOM", _license("LICENSE", _mit().encode("utf-16"))
    ),
    Case(
        "utf16-nobom",
        "MIT text in UTF-16-LE without a BOM",
        _license("LICENSE", _mit().encode("utf-16-le")),
    ),
    Case("empty", "an empty LICENSE", _license("LICENSE", b"")),
    Case(
        "whitespace",
        "a LICENSE of spaces, tabs and newlines only",
        _license("LICENSE", b" \t\n" * 2000),
    ),
    Case(
        "mit-9.9mb",
        "MIT text repeated to 9.9 MB (under the 10 MB cap)",
        _license("LICENSE", _repeated(_mit(), int(9.9 * MB))),
    ),
    Case(
        "mit-9.9mb-deadline",
        "the 9.9 MB MIT text and a plain MIT LICENSE, scanned with --timeout 3: the big one is "
        "an ItemTimeout record, the other is analyzed",
        _with_plain_neighbour(_license("LICENSE", _repeated(_mit(), int(9.9 * MB)))),
        commands=("scan-timeout",),
        expect_items=2,
    ),
    Case(
        "words-9.9mb",
        "9.9 MB of random words in sentences",
        _license("LICENSE", _random_words(int(9.9 * MB))),
    ),
    Case(
        "mit-50mb",
        "MIT text repeated to 50 MB",
        _license("LICENSE", _repeated(_mit(), 50 * MB)),
        slow=True,
    ),
    Case(
        "words-50mb",
        "50 MB of random words",
        _license("LICENSE", _random_words(50 * MB)),
        slow=True,
    ),
    Case(
        "alias-bomb",
        "model card whose front matter is a 9-level YAML alias bomb",
        _card_file("license: mit\n" + _alias_bomb()),
    ),
    Case(
        "yaml-month-13",
        "front matter `date: 2024-13-01`",
        _card_file("license: mit\ndate: 2024-13-01\n"),
    ),
    Case(
        "yaml-int-tag",
        "front matter `x: !!int hello`",
        _card_file("license: mit\nx: !!int hello\n"),
    ),
    Case(
        "yaml-float-tag",
        "front matter `x: !!float abc`",
        _card_file("license: mit\nx: !!float abc\n"),
    ),
    Case(
        "license-field-1800",
        "front matter `license:`: 1,800 characters of comma-separated unknown names",
        _card_file(f"license: {_comma_names(1800)}\n"),
    ),
    Case(
        "card-word-80kb",
        "model card whose body is one 80 KB word",
        _card_file("license: mit\n", "# Model\n\n" + "a" * 80_000 + "\n"),
    ),
    Case(
        "spdx-id-40kb-ws",
        "`SPDX-License-Identifier: MIT`, 40 KB of spaces, then `x`",
        _license("LICENSE", b"SPDX-License-Identifier: MIT" + b" " * 40_000 + b"x\n"),
    ),
    Case(
        "deep-nesting-file",
        "LICENSE holding `(MIT OR ` x1000 `Apache-2.0` `)` x1000",
        _license("LICENSE", ("SPDX-License-Identifier: " + _deep(1000) + "\n").encode()),
    ),
    Case(
        "deep-nesting",
        "expression `(MIT OR ` x1000 `Apache-2.0` `)` x1000 (9 KB)",
        lambda root: root,
        commands=("normalize", "normalize-spdx"),
    ),
    Case(
        "comma-list-1800",
        "a 1,800-character comma-separated list of unknown names",
        lambda root: root,
        commands=("normalize",),
    ),
    Case(
        "comma-list-3600",
        "a 3,600-character comma-separated list of unknown names (twice the above)",
        lambda root: root,
        commands=("normalize",),
    ),
    Case("trailing-dot", "`MIT.` (must give MIT)", lambda root: root, commands=("normalize",)),
    Case(
        "symlink-loop",
        "repository with a -> b -> a, a self link LICENSE-self and sub/up -> ..",
        _symlink_loop,
        commands=("check", "scan"),
        scan_target="path",
    ),
    Case(
        "symlink-loop-path",
        "the path given is itself a symlink loop (LICENSE -> LICENSE)",
        _self_loop,
        scan_target="path",
    ),
    Case(
        "symlink-out",
        "repository whose LICENSE and licenses/ link out of the scanned tree",
        _symlink_out,
        commands=("check", "scan"),
        scan_target="path",
        # the repository, and licenses/ as an error item: a link out of the tree, not followed
        expect_items=2,
    ),
    Case("fifo", "a FIFO named LICENSE", _fifo),
    Case("dev-zero", "/dev/zero given as the file", _dev_zero, scan_target="path"),
    Case("unreadable-root", "chmod 000 LICENSE, run as root (root reads it anyway)", _unreadable),
    Case(
        "unreadable-nobody",
        "chmod 000 LICENSE, run as uid 65534 so that it is really unreadable",
        _unreadable,
        user=NOBODY,
    ),
    Case(
        "10000-empty",
        "licenses/ with 10,000 empty LICENSE-nnnnn files",
        _many_empty,
        commands=("scan",),
        scan_target="path",
        expect_items=10_000,
        slow=True,
    ),
    Case("name-newline", "MIT text in a file named `LICENSE\\nfoo`", _odd_name(b"LICENSE\nfoo")),
    Case(
        "name-bad-utf8",
        "MIT text in a file named `LICENSE-\\xff\\xfe` (not UTF-8)",
        _odd_name(b"LICENSE-\xff\xfe"),
    ),
    Case(
        "name-leading-dash",
        "MIT text in a file named `-LICENSE`, given relative",
        _odd_name(b"-LICENSE"),
        expect_items=None,  # a name that does not start with LICENSE is not looked for
    ),
    Case(
        "cache-null",
        "catalog cache file holding JSON `null`",
        _planted_cache(lambda root: b"null"),
        commands=("normalize-mit",),
    ),
    Case(
        "cache-list",
        "catalog cache file holding JSON `[]`",
        _planted_cache(lambda root: b"[]"),
        commands=("normalize-mit",),
    ),
    Case(
        "cache-pickle-code",
        "catalog cache file: a pickle whose load writes a marker file",
        _planted_cache(_pickle_payload),
        commands=("normalize-mit",),
        marker="PWNED",
    ),
]

_STRINGS = {
    "deep-nesting": _deep(1000),
    "comma-list-1800": _comma_names(1800),
    "comma-list-3600": _comma_names(3600),
    "trailing-dot": "MIT.",
}


# --------------------------------------------------------------------------------------------
# running


def _env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "OPENLICENSE_CACHE_DIR"}}
    env["PYTHONPATH"] = str(SRC)
    env["OPENLICENSE_CACHE_DIR"] = str(cache)
    env["NO_COLOR"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@dataclass
class Row:
    case: str
    command: str
    rc: int | None
    message: str
    wall: float
    cpu: float
    memory_mb: float
    problems: list[str]

    @property
    def verdict(self) -> str:
        return "ok" if not self.problems else "FAIL: " + "; ".join(self.problems)


def _argv(case: Case, command: str, target: Path, no_scancode: bool) -> tuple[list[str], str]:
    """The command line of a row and its working folder."""
    base = [sys.executable, "-m", "openlicense"]
    cwd = str(target.parent if target.name else target)
    path = os.fspath(target)
    if case.name == "name-leading-dash":
        path = "./" + target.name if command != "identify" else target.name
    if command == "check":
        return [*base, "check", path], cwd
    if command == "identify":
        extra = ["--no-scancode"] if no_scancode else []
        # a leading dash needs `--` to be a file name, as with every Unix tool
        dash = ["--"] if case.name == "name-leading-dash" else []
        return [*base, "identify", *extra, *dash, path], cwd
    if command in ("scan", "scan-timeout"):
        where = path if case.scan_target == "path" else os.fspath(target.parent)
        deadline = ["--timeout", "3"] if command == "scan-timeout" else []
        return [
            *base,
            "scan",
            "--format",
            "jsonl",
            "--no-progress",
            "-j",
            "2",
            *deadline,
            where,
        ], cwd
    if command == "normalize":
        return [*base, "normalize", _STRINGS[case.name]], cwd
    if command == "normalize-spdx":
        return [*base, "normalize", "--strictness", "spdx", _STRINGS[case.name]], cwd
    if command == "normalize-mit":
        return [*base, "normalize", "MIT"], cwd
    raise ValueError(command)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _judge_scan(stdout: str, case: Case) -> tuple[str, list[str]]:
    problems: list[str] = []
    results = []
    for number, line in enumerate(stdout.splitlines(), start=1):
        try:
            results.append(json.loads(line))
        except ValueError:
            problems.append(f"output line {number} is not JSON")
            break
    if case.expect_items is not None and len(results) != case.expect_items:
        problems.append(f"{len(results)} results for {case.expect_items} items")
    errors = [r for r in results if r.get("error")]
    message = f"{len(results)} results, {len(errors)} with error"
    if errors:
        first = errors[0]
        message += f"; first: {first.get('error_type')}: {_first_line(first['error'])}"
    elif results:
        message += f"; first verdict: {results[0].get('verdict')}"
    return message, problems


def run_row(
    case: Case, command: str, target: Path, args: argparse.Namespace, *, cache: Path, work: Path
) -> Row:
    argv, cwd = _argv(case, command, target, args.no_scancode)
    env = _env(cache)
    env.update(case.env)
    if case.name.startswith("cache-"):
        env["OPENLICENSE_CACHE_DIR"] = str(target)
    out, err = work / "stdout", work / "stderr"
    spec = {
        "argv": argv,
        "cwd": cwd,
        "env": env,
        "timeout": args.timeout,
        "stdout": str(out),
        "stderr": str(err),
        "user": case.user,
    }
    if case.user is not None:
        os.chmod(work, 0o777)
    wrapper = subprocess.run(
        [sys.executable, "-c", WRAPPER, json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=args.timeout + 60,
        check=False,
    )
    try:
        result = json.loads(wrapper.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return Row(
            case.name,
            command,
            None,
            "wrapper failed: " + _first_line(wrapper.stderr),
            0,
            0,
            0,
            ["wrapper failed"],
        )
    stdout = out.read_bytes().decode("utf-8", "backslashreplace")
    stderr = err.read_bytes().decode("utf-8", "backslashreplace")
    rc, wall, memory = result["rc"], result["wall"], result["maxrss_kb"] / 1024
    problems: list[str] = []
    if result["timed_out"]:
        problems.append(f"killed after {args.timeout:g} s")
        rc = None
    elif rc not in (0, 1, 2):
        problems.append(f"exit status {rc}")
    if (
        "Traceback (most recent call last)" in stderr
        or "Traceback (most recent call last)" in stdout
    ):
        problems.append("traceback")
    if command in ("scan", "scan-timeout"):
        message, scan_problems = _judge_scan(stdout, case)
        if not result["timed_out"]:
            problems += scan_problems
    else:
        source = stderr if stderr.strip() and (rc == 2 or not stdout.strip()) else stdout
        message = _first_line(source)
        if command == "check":  # the report's first line is its title: show the error line
            errors = [line for line in source.splitlines() if "error" in line.lower()]
            message = errors[0].strip() if errors else message
        if "traceback" in problems:
            message = _first_line(stderr.strip().splitlines()[-1] if stderr.strip() else stdout)
        lines = [line for line in stderr.splitlines() if line.strip()]
        if len(lines) > 1 and "traceback" not in problems:
            problems.append(f"{len(lines)}-line message")
    if not result["timed_out"] and wall >= TIME_LIMIT:
        problems.append(f"{wall:.1f} s")
    if memory >= MEMORY_LIMIT_MB:
        problems.append(f"{memory:.0f} MB")
    if case.marker and (target.parent / case.marker).exists():
        problems.append("planted code ran")
    if result["timed_out"] and not message:
        message = "(no output before the kill)"
    return Row(case.name, command, rc, message, wall, result["cpu"], memory, problems)


def _cell(text: str, width: int = 110) -> str:
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'")
    text = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)
    return text if len(text) <= width else text[: width - 3] + "..."


def render(
    rows: Sequence[Row], cases: Sequence[Case], args: argparse.Namespace, started: str
) -> str:
    fails = sum(1 for r in rows if r.problems)
    head = [
        "# Bad inputs: what openlicense does with hostile and broken files",
        "",
        "Generated by `python tools/bad_inputs.py` (issue 12); do not edit by hand. Rerun it after",
        "a change and commit the new table. Each row is one command in a fresh process, killed",
        f"(with its whole process group) after {args.timeout:g} s. Run on {started} UTC,",
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start, Python",
        f"{sys.version.split()[0]}{', identify with --no-scancode' if args.no_scancode else ''}.",
        "",
        "A row is `ok` when the exit status is 0, 1 or 2 (as documented), the message is one line,",
        "no traceback appears, it ends in under 10 s and 500 MB; a `scan` row also needs one JSON",
        "result per item. **Time** is wall-clock (CPU time, user + system, in brackets: the",
        "machine may be shared, and a loaded machine inflates wall time, not CPU time). **Memory**",
        "is the peak resident set of the processes the wrapper waited for",
        "(`getrusage(RUSAGE_CHILDREN)`): for `scan`, the coordinator and the workers it reaped,",
        "not workers orphaned by a kill.",
        "",
        "Notes: the process runs as root here, so `chmod 000` does not stop it reading a file;",
        "the `unreadable-nobody` row runs the command as uid 65534 (`nobody`) to make the file",
        "really unreadable. `scan` is given the folder holding the input (`-j 2`, JSON lines).",
        "`check` and `identify` load ScanCode's index when the fast path finds nothing, a cost",
        "paid once per process: see the `control-mit` rows for what a start costs.",
        "",
        f"**{fails} of {len(rows)} rows fail.**",
        "",
        "| input | command | exit | message (first line) | time s | memory MB | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    body = [
        f"| {_cell(r.case)} | {r.command} | {'killed' if r.rc is None else r.rc} "
        f"| {_cell(r.message)} | {r.wall:.1f} ({r.cpu:.1f}) | {r.memory_mb:.0f} "
        f"| {_cell(r.verdict, 80)} |"
        for r in rows
    ]
    legend = ["", "## The inputs", "", "| input | what it is |", "| --- | --- |"]
    legend += [f"| {c.name} | {_cell(c.what, 200)} |" for c in cases]
    return "\n".join(head + body + legend) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per row (default 10)"
    )
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="run only this input (repeatable)"
    )
    parser.add_argument("--quick", action="store_true", help="skip the 50 MB and 10,000-file rows")
    parser.add_argument("--no-scancode", action="store_true", help="pass --no-scancode to identify")
    parser.add_argument(
        "--output", default=str(REPO / "docs" / "bad-inputs.md"), help="the table ('-': stdout)"
    )
    parser.add_argument("--list", action="store_true", help="list the inputs and exit")
    args = parser.parse_args(argv)
    if args.list:
        for case in CASES:
            print(f"{case.name:20} {', '.join(case.commands):28} {case.what}")
        return 0
    names = {c.name for c in CASES}
    unknown = sorted(set(args.only or ()) - names)
    if unknown:
        parser.error(f"no input named {', '.join(unknown)} (see --list)")
    cases = [
        c for c in CASES if (not args.only or c.name in args.only) and not (args.quick and c.slow)
    ]
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="openlicense-bad-inputs-") as tmp:
        root = Path(tmp)
        root.chmod(0o755)  # the uid-65534 row must reach its input
        cache = root / "cache"
        cache.mkdir()
        # Warm the shared cache once, so that the rows measure the input and not a cold start.
        # The catalog (normalize) and the exact-text index (identify) are built on first use.
        warm = _write(root / "warm" / "LICENSE", _mit().encode())
        for command in (["normalize", "MIT"], ["identify", str(warm)]):
            subprocess.run(
                [sys.executable, "-m", "openlicense", *command],
                env=_env(cache), capture_output=True, check=False,
            )  # fmt: skip
        for case in cases:
            folder = root / case.name
            folder.mkdir()
            folder.chmod(0o755)
            target = case.build(folder / "input")
            if target.is_dir() and not target.is_symlink():
                for dirpath, _dirs, _files in os.walk(target):
                    os.chmod(dirpath, os.stat(dirpath).st_mode | stat.S_IXOTH | stat.S_IROTH)
            if (folder / "input").exists():
                os.chmod(folder / "input", 0o755)
            for command in case.commands:
                work = folder / f"run-{command}"
                work.mkdir()
                row = run_row(case, command, target, args, cache=cache, work=work)
                rows.append(row)
                print(
                    f"{row.case:20} {row.command:15} rc={row.rc!s:6} {row.wall:6.1f}s "
                    f"{row.memory_mb:6.0f}MB  {row.verdict}",
                    file=sys.stderr,
                    flush=True,
                )
            shutil.rmtree(folder, ignore_errors=True)
    text = render(rows, cases, args, started)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(
            f"wrote {args.output}: {sum(1 for r in rows if r.problems)} of {len(rows)} rows fail",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

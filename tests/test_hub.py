"""Reading ``hf:ORG/NAME[@REVISION]`` through huggingface_hub, against a local Hub.

The server below answers the routes the client calls (read from huggingface_hub's
``hf_api.model_info`` and ``file_download.hf_hub_download``): the model info with its
``siblings`` (``/api/models/{repo}`` and ``/api/models/{repo}/revision/{rev}``), and the files
(``HEAD``/``GET /{repo}/resolve/{rev}/{filename}``) with the ``ETag``, ``X-Repo-Commit`` and
``Content-Length`` headers the client checks. It runs on 127.0.0.1 in a thread, on data each
test writes, and records every request, so a test can say what was never asked for. No test
touches the real Hub.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO

huggingface_hub = pytest.importorskip("huggingface_hub")
hf_constants = pytest.importorskip("huggingface_hub.constants")

from openlicense.errors import (  # noqa: E402
    HubAccessError,
    HubConnectionError,
    HubError,
    HubNotFoundError,
    HubNotInstalledError,
    HubReferenceError,
    InputError,
)
from openlicense.release.hub import (  # noqa: E402
    HubReference,
    hub_files_to_fetch,
    parse_hub_reference,
    read_hub_repo,
)

CARD = """---
license: apache-2.0
---
# Tiny model

A small model for tests. The weights are under the Apache License 2.0.
"""
APACHE = (REPO / "LICENSE").read_text(encoding="utf-8")
MAIN = "a" * 40
PINNED = "b" * 40
BIG = 64 * 1024 * 1024  # what the siblings say the weights weigh; never served


@dataclass
class Repo:
    commits: dict[str, dict[str, bytes]]  # commit → filename → content
    branches: dict[str, str] = field(default_factory=lambda: {"main": MAIN})
    gated_status: int | None = None  # 401/403 on every file, as the Hub answers a gated repo
    sizes: dict[str, int] = field(default_factory=dict)  # listed sizes of files not served


@dataclass
class Hub:
    repos: dict[str, Repo] = field(default_factory=dict)
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)
    url: str = ""

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.requests]


def _handler(hub: Hub) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def do_GET(self) -> None:
            self._answer(body=True)

        def _send(self, status: int, data: bytes, headers: dict[str, str], body: bool) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

        def _error(self, status: int, code: str, body: bool) -> None:
            message = f"{code}: status {status}"
            self._send(status, message.encode(), {"X-Error-Code": code}, body)

        def _answer(self, body: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            hub.requests.append((self.command, path, self.headers.get("Authorization")))
            if path.startswith("/api/models/"):
                self._model_info(path.removeprefix("/api/models/"), body)
            elif "/resolve/" in path:
                self._resolve(path.lstrip("/"), body)
            else:
                self._error(404, "EntryNotFound", body)

        def _find(self, rest: str) -> tuple[str, Repo] | None:
            for repo_id, repo in hub.repos.items():
                if rest == repo_id or rest.startswith(repo_id + "/"):
                    return repo_id, repo
            return None

        def _model_info(self, rest: str, body: bool) -> None:
            found = self._find(rest)
            if found is None:
                self._error(404, "RepoNotFound", body)
                return
            repo_id, repo = found
            revision = rest[len(repo_id) :].removeprefix("/revision/") or "main"
            commit = repo.branches.get(revision, revision)
            if commit not in repo.commits:
                self._error(404, "RevisionNotFound", body)
                return
            files = repo.commits[commit]
            siblings = [
                {"rfilename": name, "size": repo.sizes.get(name, len(data))}
                for name, data in sorted(files.items())
            ]
            info = {
                "id": repo_id,
                "modelId": repo_id,
                "sha": commit,
                "private": False,
                "gated": "manual" if repo.gated_status else False,
                "siblings": siblings,
            }
            headers = {"Content-Type": "application/json"}
            self._send(200, json.dumps(info).encode(), headers, body)

        def _resolve(self, rest: str, body: bool) -> None:
            head, _, tail = rest.partition("/resolve/")
            repo = hub.repos.get(head)
            if repo is None:
                self._error(404, "RepoNotFound", body)
                return
            if repo.gated_status:
                self._error(repo.gated_status, "GatedRepo", body)
                return
            revision, _, filename = tail.partition("/")
            commit = repo.branches.get(revision, revision)
            files = repo.commits.get(commit)
            if files is None:
                self._error(404, "RevisionNotFound", body)
                return
            data = files.get(filename)
            if data is None or filename in repo.sizes:
                self._error(404, "EntryNotFound", body)
                return
            etag = hashlib.sha1(data).hexdigest()
            headers = {"ETag": f'"{etag}"', "X-Repo-Commit": commit}
            self._send(200, data, headers, body)

    return Handler


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    state = Hub()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    _use_endpoint(state.url, tmp_path, monkeypatch)
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _use_endpoint(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment a user sets, and the same in the client's constants, which it reads
    once at import (this process imported it before the test could set the variables)."""
    cache = tmp_path / "hf-home" / "hub"
    monkeypatch.setenv("HF_ENDPOINT", url)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    for name in ("HF_HUB_OFFLINE", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    constants = hf_constants
    monkeypatch.setattr(constants, "ENDPOINT", url)
    template = url + "/{repo_id}/resolve/{revision}/{filename}"
    monkeypatch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE", template)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "hf-home" / "token"))
    monkeypatch.setattr(
        constants, "HF_STORED_TOKENS_PATH", str(tmp_path / "hf-home" / "stored_tokens")
    )
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)


def _public(hub: Hub) -> Repo:
    files = {
        "README.md": CARD.encode(),
        "LICENSE": APACHE.encode(),
        "config.json": b"{}",
        "model.safetensors": b"",
        "tokenizer.json": b"{}",
        "train.py": b"print('license')\n",
    }
    pinned = {"README.md": CARD.replace("apache-2.0", "mit").encode(), "LICENSE": b"MIT"}
    repo = Repo(
        commits={MAIN: files, PINNED: pinned},
        branches={"main": MAIN, "v1": PINNED},
        sizes={"model.safetensors": BIG},
    )
    hub.repos["acme/tiny"] = repo
    return repo


# --------------------------------------------------------------------------------------------
# what is read


def test_public_repository_reads_card_and_license_and_never_the_weights(hub: Hub) -> None:
    _public(hub)
    release = read_hub_repo("hf:acme/tiny")
    label = f"hf:acme/tiny@{MAIN}"
    assert release.name == label
    assert release.path == f"{label}/README.md"
    assert release.declared is not None
    assert release.declared.expression == "Apache-2.0"
    assert [f.path for f in release.files] == [f"{label}/LICENSE"]
    assert release.weight_formats == ("safetensors",)
    weights = release.components[0]
    assert weights.kind == "parameters"
    assert weights.available is True
    assert all(s.path.startswith(label) for s in weights.sources if s.path)
    fetched = {p.rsplit("/", 1)[-1] for p in hub.paths() if "/resolve/" in p}
    assert fetched == {"README.md", "LICENSE"}
    assert not any("safetensors" in p or "config.json" in p for p in hub.paths())


def test_revision_pin_reads_that_commit(hub: Hub) -> None:
    _public(hub)
    release = read_hub_repo("hf:acme/tiny@v1")
    assert release.name == f"hf:acme/tiny@{PINNED}"
    assert release.declared is not None
    assert release.declared.expression == "MIT"
    assert "/api/models/acme/tiny/revision/v1" in hub.paths()
    assert all(f"/resolve/{PINNED}/" in p for p in hub.paths() if "/resolve/" in p)


def test_the_second_read_comes_from_the_clients_cache(hub: Hub, tmp_path: Path) -> None:
    _public(hub)
    read_hub_repo("hf:acme/tiny")
    gets = [p for m, p, _ in hub.requests if m == "GET" and "/resolve/" in p]
    read_hub_repo("hf:acme/tiny")
    again = [p for m, p, _ in hub.requests if m == "GET" and "/resolve/" in p]
    assert again == gets  # only HEADs the second time: the blobs are cached
    assert list((tmp_path / "hf-home" / "hub").glob("models--acme--tiny/snapshots/*/LICENSE"))


def test_token_is_passed_through(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    _public(hub)
    monkeypatch.setenv("HF_TOKEN", "hf_test_token")
    read_hub_repo("hf:acme/tiny")
    assert {auth for _, _, auth in hub.requests} == {"Bearer hf_test_token"}


def test_no_token_sends_no_authorization(hub: Hub) -> None:
    _public(hub)
    read_hub_repo("hf:acme/tiny")
    assert {auth for _, _, auth in hub.requests} == {None}


# --------------------------------------------------------------------------------------------
# errors: each a one-line HubError (an InputError)


@pytest.mark.parametrize("status", [401, 403])
def test_gated_repository(hub: Hub, status: int) -> None:
    hub.repos["acme/gated"] = Repo(
        commits={MAIN: {"README.md": CARD.encode()}}, gated_status=status
    )
    with pytest.raises(HubAccessError) as caught:
        read_hub_repo("hf:acme/gated")
    message = str(caught.value)
    assert message.startswith("hf:acme/gated: the repository is gated")
    assert f"HTTP {status}" in message
    assert "HF_TOKEN" in message
    assert "\n" not in message


def test_missing_repository(hub: Hub) -> None:
    with pytest.raises(HubNotFoundError) as caught:
        read_hub_repo("hf:acme/nothing")
    assert (
        str(caught.value)
        == "hf:acme/nothing: no such repository on the Hub (HTTP 404): check the id"
    )


def test_missing_revision(hub: Hub) -> None:
    _public(hub)
    with pytest.raises(
        HubNotFoundError, match=r"^hf:acme/tiny@nope: the repository has no revision 'nope'"
    ):
        read_hub_repo("hf:acme/tiny@nope")


def test_repository_without_card(hub: Hub) -> None:
    hub.repos["acme/bare"] = Repo(commits={MAIN: {"LICENSE": b"MIT"}})
    with pytest.raises(InputError, match="no model card"):
        read_hub_repo("hf:acme/bare")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_endpoint_fails_quickly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    _use_endpoint(url, tmp_path, monkeypatch)
    start = time.monotonic()
    with pytest.raises(HubConnectionError) as caught:
        read_hub_repo("hf:acme/tiny")
    assert time.monotonic() - start < 10
    message = str(caught.value)
    assert message.startswith(f"hf:acme/tiny: the Hub at {url} cannot be reached")
    assert "\n" not in message


def test_offline_mode_says_so(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    _public(hub)
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(HubConnectionError, match="HF_HUB_OFFLINE"):
        read_hub_repo("hf:acme/tiny")
    assert hub.requests == []


def test_client_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)
    with pytest.raises(HubNotInstalledError, match=r"pip install 'openlicense\[hub\]'"):
        read_hub_repo("hf:acme/tiny")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("hf:acme/tiny", HubReference("acme/tiny"), id="id"),
        pytest.param("hf:acme/tiny@v1.0", HubReference("acme/tiny", "v1.0"), id="tag"),
        pytest.param("hf:acme/tiny@refs/pr/1", HubReference("acme/tiny", "refs/pr/1"), id="pr"),
        pytest.param("hf:gpt2", HubReference("gpt2"), id="no-namespace"),
    ],
)
def test_parse_reference(text: str, expected: HubReference) -> None:
    assert parse_hub_reference(text) == expected
    assert str(expected) == text


@pytest.mark.parametrize(
    "text", ["hf:", "hf:acme/", "hf:a/b/c", "hf:acme/tiny@", "hf:ac me/x", "hf:../etc"]
)
def test_bad_reference(text: str) -> None:
    with pytest.raises(HubReferenceError):
        parse_hub_reference(text)


# --------------------------------------------------------------------------------------------
# which files are fetched


@pytest.mark.parametrize(
    ("name", "size", "fetched"),
    [
        pytest.param("README.md", 10, True, id="card"),
        pytest.param("LICENSE", 10, True, id="license"),
        pytest.param("LICENSE.txt", 10, True, id="license-txt"),
        pytest.param("USE_POLICY.md", 10, True, id="use-policy"),
        pytest.param("NOTICE", 10, True, id="notice"),
        pytest.param("MODEL_CARD.md", 10, True, id="model-card"),
        pytest.param("models/7b/LICENSE", 10, True, id="per-model-license"),
        pytest.param("model_licenses/LICENSE-72B.txt", 10, True, id="license-folder"),
        pytest.param("model.safetensors", 10, False, id="weights"),
        pytest.param("LICENSE.safetensors", 10, False, id="weights-named-license"),
        pytest.param("pytorch_model.bin", 10, False, id="pickle"),
        pytest.param("config.json", 10, False, id="config"),
        pytest.param("license_check.py", 10, False, id="code"),
        pytest.param("LICENSE", 11 * 1024 * 1024, False, id="too-big"),
        pytest.param("LICENSE", None, False, id="unknown-size"),
        pytest.param("docs/LICENSE", 10, False, id="deep-license"),
    ],
)
def test_files_to_fetch(name: str, size: int | None, fetched: bool) -> None:
    fetch, notes = hub_files_to_fetch([(name, size)])
    assert (fetch == [name]) is fetched
    if size is None or size > 10:
        assert notes
        assert notes[0].startswith(f"{name}: not fetched from the Hub")


def test_a_big_license_is_noted_not_fetched(hub: Hub) -> None:
    repo = _public(hub)
    repo.commits[MAIN]["LICENSE-HUGE"] = b""
    repo.sizes["LICENSE-HUGE"] = BIG
    release = read_hub_repo("hf:acme/tiny")
    assert any(e.startswith("LICENSE-HUGE: not fetched") for e in release.errors)
    assert not any("LICENSE-HUGE" in p for p in hub.paths() if "/resolve/" in p)


# --------------------------------------------------------------------------------------------
# the commands


def test_analyze_names_the_repository(hub: Hub) -> None:
    from openlicense.report import analyze

    _public(hub)
    report = analyze("hf:acme/tiny")
    assert report.error is None
    assert report.name == f"hf:acme/tiny@{MAIN}"
    assert report.path == f"hf:acme/tiny@{MAIN}/README.md"
    for flag in report.flags:
        assert flag.evidence.path is None or flag.evidence.path.startswith("hf:acme/tiny@")


def test_analyze_error_is_a_report(hub: Hub) -> None:
    from openlicense.report import analyze

    report = analyze("hf:acme/nothing")
    assert report.error_type == "HubNotFoundError"
    assert report.error == "hf:acme/nothing: no such repository on the Hub (HTTP 404): check the id"


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    full.update(env, PYTHONPATH=str(REPO / "src"))
    return subprocess.run(
        [sys.executable, "-m", "openlicense", *args],
        capture_output=True,
        text=True,
        env=full,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def _env(hub_url: str, tmp_path: Path) -> dict[str, str]:
    return {"HF_ENDPOINT": hub_url, "HF_HOME": str(tmp_path / "cli-home")}


def test_check_reads_from_the_endpoint_the_environment_names(hub: Hub, tmp_path: Path) -> None:
    _public(hub)
    done = _cli(["check", "hf:acme/tiny", "--format", "json"], _env(hub.url, tmp_path), tmp_path)
    assert done.returncode in (0, 1), done.stderr
    data = json.loads(done.stdout)
    assert data["subject"]["name"] == f"hf:acme/tiny@{MAIN}"
    assert data["error"] is None
    assert [f["path"] for f in data["files"]] == [f"hf:acme/tiny@{MAIN}/LICENSE"]
    assert list((tmp_path / "cli-home" / "hub").glob("models--acme--tiny"))
    assert not any("safetensors" in p for p in hub.paths())


@pytest.mark.parametrize(
    ("repo", "error"),
    [
        pytest.param("hf:acme/gated", "the repository is gated (HTTP 403)", id="gated"),
        pytest.param("hf:acme/nothing", "no such repository on the Hub (HTTP 404)", id="missing"),
    ],
)
def test_check_exits_2_with_one_line(hub: Hub, tmp_path: Path, repo: str, error: str) -> None:
    hub.repos["acme/gated"] = Repo(commits={MAIN: {"README.md": CARD.encode()}}, gated_status=403)
    done = _cli(["check", repo], _env(hub.url, tmp_path), tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert f"error: {repo}: {error}" in done.stdout


def test_check_unreachable_exits_2(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    done = _cli(["check", "hf:acme/tiny"], _env(url, tmp_path), tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert f"error: hf:acme/tiny: the Hub at {url} cannot be reached" in done.stdout


def test_scan_takes_hub_ids_as_items(hub: Hub, tmp_path: Path) -> None:
    _public(hub)
    ids = tmp_path / "ids.txt"
    ids.write_text("# models to check\nhf:acme/tiny@v1\n\nacme/nothing\n", encoding="utf-8")
    done = _cli(
        ["scan", "hf:acme/tiny", "--hf-ids", str(ids), "--format", "jsonl", "--executor",
         "serial", "--no-progress"],
        _env(hub.url, tmp_path),
        tmp_path,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["item"]["path"] for r in lines] == [
        "hf:acme/tiny",
        "hf:acme/tiny@v1",
        "hf:acme/nothing",
    ]
    assert lines[0]["subject"]["name"] == f"hf:acme/tiny@{MAIN}"
    assert lines[1]["subject"]["name"] == f"hf:acme/tiny@{PINNED}"
    assert lines[2]["error_type"] == "HubNotFoundError"
    assert "Traceback" not in done.stderr


def test_hub_errors_are_input_errors() -> None:
    for kind in (HubAccessError, HubConnectionError, HubNotFoundError, HubNotInstalledError):
        assert issubclass(kind, HubError)
        assert issubclass(kind, InputError)
        assert issubclass(kind, ValueError)


def test_no_path_of_the_temporary_folder_is_left(hub: Hub) -> None:
    repo = _public(hub)
    repo.commits[MAIN]["NOTICE"] = b""  # an empty companion: its error cites the file
    release = read_hub_repo("hf:acme/tiny")
    text = repr(release)
    at = text.find("openlicense-hub-")
    assert at < 0, text[max(0, at - 400) : at + 80]
    assert any(e.startswith("NOTICE") for e in release.errors)


def test_the_reader_is_given_the_repository_id(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    from openlicense.release import hf

    seen: list[object] = []
    real = hf.read_hf_repo

    def spy(*args: object, **kwargs: object) -> object:
        release = real(*args, **kwargs)  # type: ignore[arg-type]
        seen.append(release.name)
        return release

    monkeypatch.setattr(hf, "read_hf_repo", spy)
    _public(hub)
    read_hub_repo("hf:acme/tiny")
    assert seen == ["acme/tiny"]  # what a card's base models are told apart from

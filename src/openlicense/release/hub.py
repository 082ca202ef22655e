"""A model repository on the Hugging Face Hub, ``hf:ORG/NAME[@REVISION]``, read as a folder.

Optional and off by default: only a reference that starts with ``hf:`` reaches this module, and
only then is ``huggingface_hub`` imported (the ``hub`` extra). The repository's file list is
asked for once (``model_info``, with sizes); the model card and the license, policy and notice
files are chosen from it by name and size, never a weight file nor anything bigger than a text
openlicense reads; each is fetched with ``hf_hub_download`` into the client's own cache, pinned
to the commit the list came from; then :func:`openlicense.release.hf.read_hf_repo` reads the
cache's snapshot folder as it reads any clone. The weight files the list names count as seen,
though none is fetched.

The client itself honours ``HF_ENDPOINT``, ``HF_TOKEN`` (and a stored login), ``HF_HUB_CACHE``
/ ``HF_HOME``, ``HF_HUB_OFFLINE`` and its timeouts: nothing here reads them. Every failure of
the Hub or the network becomes a one-line :class:`~openlicense.errors.HubError`.

Evidence names the repository, not the cache: every path of the release read from the snapshot
folder is rewritten to ``hf:ORG/NAME@COMMIT/FILE``, the commit the files were fetched at.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import posixpath
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from openlicense.errors import (
    HubAccessError,
    HubConnectionError,
    HubError,
    HubNotFoundError,
    HubNotInstalledError,
    HubReferenceError,
    MissingInputError,
)
from openlicense.model import Release
from openlicense.read.discover import (
    CARD_NAMES,
    CODE_SUFFIXES,
    DATA_SUFFIXES,
    is_companion,
)
from openlicense.read.text import MAX_TEXT_BYTES

__all__ = [
    "HUB_PREFIX",
    "HubReference",
    "hub_files_to_fetch",
    "is_hub_reference",
    "parse_hub_reference",
    "read_hub_repo",
]

#: What marks a release as a Hub repository rather than a path.
HUB_PREFIX = "hf:"

# The Hub's repository ids: an optional namespace and a name of letters, digits, "-", "_", "."
# (huggingface_hub.utils.validate_repo_id accepts the same, up to 96 characters).
_REPO_ID = re.compile(r"^(?:[\w.\-]{1,96}/)?[\w.\-]{1,96}$")

#: Folders whose files are per-model license texts in multi-model repositories.
_LICENSE_FOLDERS = ("model_licenses/", "licenses/")


@dataclass(frozen=True, slots=True)
class HubReference:
    """``hf:ORG/NAME[@REVISION]``: a repository id and the revision asked for (None: the
    default branch)."""

    repo_id: str
    revision: str | None = None

    def __str__(self) -> str:
        at = f"@{self.revision}" if self.revision else ""
        return f"{HUB_PREFIX}{self.repo_id}{at}"


def is_hub_reference(path: object) -> bool:
    """Does ``path`` name a Hub repository (a string starting with ``hf:``)?"""
    return isinstance(path, str) and path.startswith(HUB_PREFIX)


def parse_hub_reference(text: str) -> HubReference:
    """``hf:ORG/NAME[@REVISION]`` → :class:`HubReference`, or :class:`HubReferenceError`."""
    body = text.removeprefix(HUB_PREFIX).strip()
    repo_id, at, revision = body.partition("@")
    if (
        not _REPO_ID.match(repo_id)
        or ".." in repo_id
        or "--" in repo_id
        or (at and not revision.strip())
    ):
        raise HubReferenceError(
            "not a Hugging Face repository id: write hf:ORG/NAME or hf:ORG/NAME@REVISION",
            path=text,
        )
    return HubReference(repo_id, revision.strip() or None)


# --------------------------------------------------------------------------------------------
# which files


def _is_text_name(name: str) -> bool:
    suffix = posixpath.splitext(name.lower().removesuffix(".txt"))[1]
    return suffix not in DATA_SUFFIXES and suffix not in CODE_SUFFIXES


def _wanted(filename: str) -> bool:
    """Is a repository file one the release reader reads: the card, a top-level license, policy
    or notice text, a ``MODEL_CARD*``, a per-model ``models/*/LICENSE`` or a file of a
    ``model_licenses/`` folder? Weights, code, data and images never are."""
    if not _is_text_name(filename):
        return False
    folder, _, name = filename.rpartition("/")
    if not folder:
        lower = name.lower()
        return (
            name in CARD_NAMES
            or lower in {"readme.md", "readme.markdown"}
            or lower.startswith("model_card")
            or is_companion(name)
        )
    parts = filename.split("/")
    if len(parts) == 3 and parts[0] == "models":
        return is_companion(name)
    return any(filename.startswith(f) for f in _LICENSE_FOLDERS) and len(parts) == 2


def hub_files_to_fetch(
    files: Iterable[tuple[str, int | None]], *, max_bytes: int = MAX_TEXT_BYTES
) -> tuple[list[str], list[str]]:
    """From a repository's ``(filename, size)`` list: the files to fetch, and a note for each
    wanted file left out because it is bigger than ``max_bytes`` (or of unknown size, which
    cannot be shown to be small)."""
    fetch: list[str] = []
    notes: list[str] = []
    for filename, size in sorted(files):
        if not _wanted(filename):
            continue
        if size is None or size > max_bytes:
            how = "of unknown size" if size is None else f"{size} bytes"
            notes.append(
                f"{filename}: not fetched from the Hub: {how}, more than the {max_bytes} bytes "
                "a text may have"
            )
            continue
        fetch.append(filename)
    return fetch, notes


# --------------------------------------------------------------------------------------------
# reading


def read_hub_repo(reference: str | HubReference) -> Release:
    """Fetch the card and the license files of a Hub repository and read them as a folder.

    Raises :class:`~openlicense.errors.HubError` (an ``InputError``) when the client is not
    installed, the reference is malformed, or the Hub refuses, lacks or cannot be reached.
    """
    ref = parse_hub_reference(reference) if isinstance(reference, str) else reference
    try:
        import huggingface_hub
        from huggingface_hub import constants
    except ImportError as exc:
        raise HubNotInstalledError(
            "reading from the Hugging Face Hub needs huggingface_hub: "
            "pip install 'openlicense[hub]'",
            path=str(ref),
        ) from exc

    with _hub_errors(ref):
        api = huggingface_hub.HfApi()
        info = api.model_info(
            ref.repo_id,
            revision=ref.revision,
            files_metadata=True,
            timeout=float(constants.HF_HUB_ETAG_TIMEOUT),
        )
        commit = info.sha or ref.revision or "main"
        listed = [(s.rfilename, s.size) for s in info.siblings or ()]
        fetch, notes = hub_files_to_fetch(listed)
        card = next((f for f in fetch if "/" not in f and f.lower().startswith("readme")), None)
        if card is None:
            raise MissingInputError(
                "no model card: the repository has no README.md; a Hugging Face model "
                "repository declares its license in the README.md front matter",
                path=f"{HUB_PREFIX}{ref.repo_id}@{commit}/README.md",
            )
        local: dict[str, Path] = {}
        for filename in fetch:
            local[filename] = Path(
                huggingface_hub.hf_hub_download(
                    ref.repo_id, filename, revision=commit, endpoint=api.endpoint
                )
            )
    label = f"{HUB_PREFIX}{ref.repo_id}@{commit}"
    # The files are read from a folder of their own, not from the cache's snapshot folder: the
    # snapshot's files are links into the cache's blobs, which the folder reader rightly does
    # not follow out of a repository, and the snapshot may hold files of earlier downloads (a
    # model's weights) that this listing did not choose. Copies of a few texts are cheap.
    with tempfile.TemporaryDirectory(prefix="openlicense-hub-") as tmp:
        folder = Path(tmp) / "repo"
        for filename, cached in local.items():
            target = folder.joinpath(*filename.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached, target)
        from openlicense.release.hf import read_hf_repo

        release = read_hf_repo(folder, repo_id=ref.repo_id, listed_files=[n for n, _ in listed])
        release = _relabel(release, str(folder), label)
    return dataclasses.replace(
        release, name=label, errors=tuple(dict.fromkeys((*release.errors, *notes)))
    )


@contextlib.contextmanager
def _hub_errors(ref: HubReference) -> Iterator[None]:
    """Turns what the client raises into one-line :class:`HubError`\\ s naming ``ref``; what
    it does not know (a bug) goes on as it is."""
    try:
        yield
    except (HubError, MissingInputError):
        raise
    except Exception as exc:
        error = _translate(exc, ref)
        if error is None:
            raise
        raise error from exc


def _translate(exc: BaseException, ref: HubReference) -> HubError | None:
    # huggingface_hub.utils has exported these since 0.23 (huggingface_hub.errors came later),
    # though not in a way mypy counts as exported.
    hf: Any = importlib.import_module("huggingface_hub.utils")

    where = str(ref)
    status = _status(exc)
    code = f" (HTTP {status})" if status else ""
    if isinstance(exc, hf.GatedRepoError):
        return HubAccessError(
            f"the repository is gated{code}: request access on its Hub page, then set HF_TOKEN "
            "to a token of an account that has it",
            path=where,
        )
    if isinstance(exc, hf.RepositoryNotFoundError):
        if status in (401, 403):
            return HubAccessError(
                f"no such repository, or it is private or gated{code}: check the id; for a "
                "private or gated repository set HF_TOKEN to a token with access",
                path=where,
            )
        return HubNotFoundError(f"no such repository on the Hub{code}: check the id", path=where)
    if isinstance(exc, hf.RevisionNotFoundError):
        return HubNotFoundError(
            f"the repository has no revision {ref.revision!r}{code}", path=where
        )
    if isinstance(exc, hf.EntryNotFoundError) and not isinstance(exc, hf.LocalEntryNotFoundError):
        return HubNotFoundError(f"a file the repository lists is not on the Hub{code}", path=where)
    if isinstance(exc, hf.HfHubHTTPError):
        if status in (401, 403):
            return HubAccessError(f"the Hub refused access{code}: check HF_TOKEN", path=where)
        if status == 404:
            return HubNotFoundError(f"not found on the Hub{code}", path=where)
        return HubConnectionError(f"the Hub answered with an error{code}", path=where)
    if isinstance(exc, hf.OfflineModeIsEnabled):
        return HubConnectionError(
            "HF_HUB_OFFLINE is set: the Hub is not asked; unset it to fetch", path=where
        )
    if isinstance(exc, hf.LocalEntryNotFoundError) or _is_network_error(exc):
        from huggingface_hub import constants

        return HubConnectionError(
            f"the Hub at {constants.ENDPOINT} cannot be reached ({_reason(exc)}): check the "
            "network, HF_ENDPOINT and any proxy",
            path=where,
        )
    return None


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def _is_network_error(exc: BaseException) -> bool:
    """A connection refused, a name that does not resolve, a timeout: the transport errors of
    whichever HTTP library the installed client uses (httpx2, httpx or requests)."""
    if isinstance(exc, OSError | TimeoutError):
        return True
    names = {c.__name__ for c in type(exc).__mro__}
    return bool(names & {"TransportError", "TimeoutException", "RequestException"})


def _reason(exc: BaseException) -> str:
    """The innermost cause's message, on one line."""
    seen: set[int] = set()
    current: BaseException = exc
    while current.__cause__ is not None and id(current) not in seen:
        seen.add(id(current))
        current = current.__cause__
    text = " ".join(str(current).split()) or type(current).__name__
    return text[:160]


# --------------------------------------------------------------------------------------------
# relabelling


_T = TypeVar("_T")


def _relabel(value: _T, folder: str, label: str) -> _T:
    """``value`` with ``folder``, and every path under it wherever a string cites one, rewritten
    to ``label`` (frozen dataclasses rebuilt, tuples, lists and dicts walked)."""
    prefix = folder.rstrip("/") + "/"

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            # Anywhere in the string: a message may cite a file after its own name.
            if v == folder:
                return label
            return v.replace(prefix, label + "/") if prefix in v else v
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            changes = {}
            for f in dataclasses.fields(v):
                if not f.init:
                    continue
                old = getattr(v, f.name)
                new = walk(old)
                if new is not old:
                    changes[f.name] = new
            return dataclasses.replace(v, **changes) if changes else v
        if type(v) in (tuple, list):
            items = [walk(x) for x in v]
            if all(a is b for a, b in zip(items, v, strict=True)):
                return v
            return type(v)(items) if isinstance(v, list) else tuple(items)
        if isinstance(v, dict):
            pairs = {k: walk(x) for k, x in v.items()}
            return pairs if any(pairs[k] is not v[k] for k in v) else v
        return v

    result: _T = walk(value)
    return result

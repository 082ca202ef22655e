"""The two entry points, a repository folder and a model card, and the assembly of what is read
into a :class:`~openlicense.model.Release`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from openlicense.errors import InputError, MissingInputError
from openlicense.identification import Identification, examine
from openlicense.model import Component, Release, Source
from openlicense.read.discover import CARD_NAMES, is_companion
from openlicense.read.frontmatter import read_front_matter
from openlicense.read.text import read_text_file
from openlicense.release.hf.card import _datasets, _gated, _json_safe
from openlicense.release.hf.cues import (
    _claims,
    _code_links,
    _data_information,
    _dataset_links,
    _documentation,
)
from openlicense.release.hf.derivation import _base_models, _relation
from openlicense.release.hf.licenses import _declared, _license_statements, _parameters_license
from openlicense.release.hf.markdown import _Body
from openlicense.release.hf.repo import (
    _WEIGHT_ORDER,
    _walk_weights,
    _weight_format,
)


def read_hf_repo(
    path: str | os.PathLike[str],
    *,
    repo_id: str | None = None,
    listed_files: Sequence[str] = (),
) -> Release:
    """Read a model repository folder as on the Hugging Face Hub.

    ``repo_id`` names the release (default: the folder's name, ``owner__repo`` read as
    ``owner/repo``) and ``listed_files`` is the repository's file list when the folder holds
    only part of it (fetched from the Hub without its weights): the weight files it names
    count as seen.

    The folder must hold a model card (``README.md``): without one there is nothing that
    declares a license, and :class:`~openlicense.errors.MissingInputError` is raised. A README
    that cannot be read raises the typed error of :func:`openlicense.read.text.read_text_file`;
    malformed front matter raises :class:`~openlicense.errors.ReleaseFormatError` with the line.
    """
    folder = Path(path)
    name = os.fspath(path)
    if not folder.exists():
        raise MissingInputError("no such folder; check the path", path=name)
    if not folder.is_dir():
        raise InputError(
            "is a file, not a model repository folder; read a model card with read_model_card()",
            path=name,
        )
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    card = next((p for n in CARD_NAMES for p in entries if p.name == n and p.is_file()), None)
    if card is None:
        card = next((p for p in entries if p.name.lower() == "readme.md" and p.is_file()), None)
    if card is None:
        why = "the folder is empty" if not entries else "the folder has no README.md"
        raise MissingInputError(
            f"no model card: {why}; a Hugging Face model repository declares its license in the "
            "README.md front matter",
            path=str(folder / "README.md"),
        )
    inside = folder.resolve()
    companions = [
        (p.name, p)
        for p in entries
        if p.is_file()
        and is_companion(p.name)
        # A link out of the repository is not the repository's license file.
        and (not p.is_symlink() or p.resolve().is_relative_to(inside))
    ]
    weights = _walk_weights(folder) + [Path(f) for f in listed_files if _weight_format(f)]
    return _read(
        card,
        name=repo_id or folder.resolve().name.replace("__", "/"),
        fmt="hf-repo",
        companions=companions,
        weights=weights,
        assume_weights=False,
    )


def read_model_card(path: str | os.PathLike[str]) -> Release:
    """Read one model card (a README.md), with the companion files found beside it.

    In a repository folder the companions are the card's siblings; in the flat layout of a
    corpus (``owner__repo.README.md``) they are the files sharing the ``owner__repo.`` prefix.
    A model card stands for a model repository, so its weights are taken to be published.
    """
    card = Path(path)
    doc_name = card.name
    folder = card.parent
    flat = re.match(r"^(?P<prefix>.+?\.)readme\.md$", doc_name, re.I)
    companions: list[tuple[str, Path]] = []
    weights: list[Path] = []
    try:
        siblings = sorted(p for p in folder.iterdir() if p.is_file() and p != card)
    except OSError:
        siblings = []  # the card itself is read below and reports what is wrong with the path
    if flat:
        prefix = flat.group("prefix")
        name = prefix[:-1].replace("__", "/")
        for p in siblings:
            if p.name.startswith(prefix):
                rest = p.name[len(prefix) :]
                if is_companion(rest):
                    companions.append((rest, p))
                elif _weight_format(rest):
                    weights.append(p)
    else:
        name = folder.resolve().name.replace("__", "/") or doc_name
        for p in siblings:
            if p.name.startswith("."):
                continue
            if is_companion(p.name):
                companions.append((p.name, p))
            elif _weight_format(p.name):
                weights.append(p)
    return _read(
        card,
        name=name,
        fmt="model-card",
        companions=companions,
        weights=weights,
        assume_weights=True,
    )


# --------------------------------------------------------------------------------------------
# the reader


def _read(
    card: Path,
    *,
    name: str,
    fmt: Literal["hf-repo", "model-card"],
    companions: Sequence[tuple[str, Path]],
    weights: Sequence[Path],
    assume_weights: bool,
) -> Release:
    doc = read_text_file(card)  # typed errors (missing, binary, encoding) go to the caller
    path = str(card)
    meta = read_front_matter(doc)
    body = _Body.parse(doc.text, meta.body_start)
    errors: list[str] = list(meta.errors)

    files: list[Identification] = []
    by_name: dict[str, Identification] = {}
    for original, file in companions:
        ident = examine(file)
        files.append(ident)
        by_name[original] = ident
        if ident.error:
            errors.append(f"{file.name}: {ident.error}")

    formats = tuple(f for f in _WEIGHT_ORDER if f in {_weight_format(w.name) for w in weights})

    declared, declared_source = _declared(meta, path, errors)
    statements = _license_statements(body, path)
    params_license, params_sources, params_ident = _parameters_license(
        meta,
        path,
        declared=declared,
        declared_source=declared_source,
        by_name=by_name,
        statements=statements,
        errors=errors,
    )
    relation = _relation(meta, body, formats)
    base_models = _base_models(meta, body, path, name=name, relation=relation, errors=errors)
    datasets = _datasets(meta, body, errors)
    claims = tuple(_claims(body, path))
    documentation = _documentation(body)
    data_info = _data_information(meta, body, path, relation)
    gated, gated_source = _gated(meta, path)

    if weights:
        params_available: bool | None = True
    elif assume_weights:
        params_available = True
    else:
        # A folder without weight files may be a clone without its LFS files, or a card whose
        # weights live elsewhere: whether the weights are published is not known from here.
        params_available = None

    components: list[Component] = [
        Component(
            kind="parameters",
            name="Model parameters (Final)",
            available=params_available,
            license=params_license,
            sources=params_sources,
            identification=params_ident,
            mof_id=10,
        ),
        Component(
            kind="documentation",
            name="Model card",
            available=True,
            license=params_license,
            sources=(Source(path, 1, None), *params_sources),
            mof_id=13,
        ),
    ]
    if data_info is not None:
        described, source = data_info
        components.append(
            Component(
                kind="data-information",
                name="Data card",
                available=described,
                sources=(source,) if source else (),
                mof_id=14,
            )
        )
    linked = _dataset_links(meta, body, path)
    components.append(
        Component(
            kind="datasets",
            name="Datasets",
            available=bool(linked),
            sources=tuple(linked[:5]),
            mof_id=15,
        )
    )
    training, inference = _code_links(body, path)
    components.append(
        Component(
            kind="code",
            name="Training code",
            available=True if training else None,
            sources=tuple(training[:5]),
            mof_id=7,
        )
    )
    components.append(
        Component(
            kind="code",
            name="Inference code",
            available=True if inference or training else None,
            sources=tuple((inference or training)[:5]),
            mof_id=8,
        )
    )

    return Release(
        name=name,
        path=path,
        format=fmt,
        components=tuple(components),
        declared=declared,
        declared_source=declared_source,
        gated=gated,
        gated_source=gated_source,
        base_models=base_models,
        datasets=datasets,
        claims=claims,
        files=tuple(files),
        weight_formats=formats,
        documentation=documentation,
        metadata=_json_safe(meta.data),
        errors=tuple(dict.fromkeys(errors)),
        license_statements=statements,
    )

"""The two entry points, a repository folder and a model card, and the assembly of what is read
into a :class:`~openlicense.model.Release`.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from openlicense.errors import InputError, MissingInputError, UnreadableInputError
from openlicense.identification import Identification, examine
from openlicense.model import Component, Release, Source
from openlicense.normalization import Normalized, normalize
from openlicense.read.discover import CARD_NAMES, is_companion
from openlicense.read.frontmatter import read_front_matter
from openlicense.read.text import read_text_file
from openlicense.release.basemodels import AS_BASE
from openlicense.release.hf.card import _datasets, _gated, _json_safe
from openlicense.release.hf.cues import (
    _claims,
    _code_links,
    _data_information,
    _dataset_links,
    _documentation,
    _gated_in_text,
    _tag_claims,
    _training_code_withheld,
)
from openlicense.release.hf.derivation import _base_models, _relation, adapter_bases
from openlicense.release.hf.licenses import (
    _CODE_LICENSE_FILE,
    _declared,
    _license_statements,
    _parameters_license,
    family_statement,
    reference_statements,
)
from openlicense.release.hf.markdown import _Body
from openlicense.release.hf.repo import (
    _COMPANION_CARD,
    _WEIGHT_ORDER,
    _code_files,
    _companion_cards,
    _per_model_licenses,
    _walk_weights,
    _weight_format,
    outside_link,
)
from openlicense.release.hf.scopes import _Scoped, _scoped_statements


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
    listed = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    # Nothing is followed out of the repository: such links are said, not read.
    skipped = {p: why for p in listed if p.is_symlink() and (why := outside_link(p, folder))}
    entries = [p for p in listed if p not in skipped]
    card = next((p for n in CARD_NAMES for p in entries if p.name == n and p.is_file()), None)
    if card is None:
        card = next((p for p in entries if p.name.lower() == "readme.md" and p.is_file()), None)
    if card is None:
        link = next((why for p, why in skipped.items() if p.name.lower() == "readme.md"), None)
        if link is not None:
            raise UnreadableInputError(f"no model card: {link}", path=str(folder / "README.md"))
        why = "the folder is empty" if not entries else "the folder has no README.md"
        raise MissingInputError(
            f"no model card: {why}; a Hugging Face model repository declares its license in the "
            "README.md front matter",
            path=str(folder / "README.md"),
        )
    companions = [(p.name, p) for p in entries if p.is_file() and is_companion(p.name)]
    per_model, per_model_skipped = _per_model_licenses(folder)
    companions += per_model
    weights = _walk_weights(folder) + [Path(f) for f in listed_files if _weight_format(f)]
    return _read(
        card,
        name=repo_id or folder.resolve().name.replace("__", "/"),
        fmt="hf-repo",
        companions=companions,
        weights=weights,
        assume_weights=False,
        cards=_companion_cards(entries),
        code=_code_files(folder),
        skipped=[*skipped.values(), *per_model_skipped],
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
    cards: list[Path] = []
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
                elif _COMPANION_CARD.match(rest):
                    cards.append(p)
                elif _weight_format(rest):
                    weights.append(p)
    else:
        name = folder.resolve().name.replace("__", "/") or doc_name
        for p in siblings:
            if p.name.startswith("."):
                continue
            if is_companion(p.name):
                companions.append((p.name, p))
            elif _COMPANION_CARD.match(p.name):
                cards.append(p)
            elif _weight_format(p.name):
                weights.append(p)
    return _read(
        card,
        name=name,
        fmt="model-card",
        companions=companions,
        weights=weights,
        assume_weights=True,
        cards=cards,
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
    cards: Sequence[Path] = (),
    code: tuple[list[str], list[str]] = ([], []),
    skipped: Sequence[str] = (),
) -> Release:
    doc = read_text_file(card)  # typed errors (missing, binary, encoding) go to the caller
    path = str(card)
    meta = read_front_matter(doc)
    body = _Body.parse(doc.text, meta.body_start)
    errors: list[str] = [*meta.errors, *skipped]

    files: list[Identification] = []
    by_name: dict[str, Identification] = {}
    for original, file in companions:
        ident = _as_notice(original, examine(file))
        files.append(ident)
        by_name[original] = ident
        if ident.error:
            errors.append(f"{file.name}: {ident.error}")

    formats = tuple(f for f in _WEIGHT_ORDER if f in {_weight_format(w.name) for w in weights})

    declared, declared_source = _declared(meta, path, errors)
    scoped = _scoped_statements(body, path, by_name)
    # A line that says which license covers the code ("The code in train/ is released under
    # the MIT License") is the code's, not a second declaration of the card's license.
    code_lines = {s.source.line for s in scoped if s.scope == "code"}
    statements = tuple(
        (n, source)
        for n, source in _license_statements(body, path)
        if source.line not in code_lines
    )
    code_files = frozenset(s.file for s in scoped if s.scope == "code" and s.file)
    params_license, params_sources, params_ident = _parameters_license(
        meta,
        path,
        declared=declared,
        declared_source=declared_source,
        by_name=by_name,
        statements=statements,
        errors=errors,
        exclude=code_files,
    )
    if params_license is None or (
        params_license.status == "unknown"
        and params_license.expression is None
        and params_ident is None
    ):
        # Nothing named, or a placeholder ("license: other", "see below"): the card's text,
        # each reading tried only when the one before it found nothing.
        lead = (declared_source,) if declared_source is not None else ()
        by_reference = () if statements else reference_statements(body, path)
        family = None if statements or by_reference else family_statement(body, path)
        if statements and params_license is not None:
            params_license, stated = statements[0]
            params_sources = (*lead, stated)
        elif by_reference:
            # "Same licence as LLaMA": the base model's license, which the release layer
            # fills in once it knows the base's (basemodels.resolve_base_licenses).
            params_license = Normalized(
                input=by_reference[0][0],
                status="unknown",
                matched_by=AS_BASE,
                warnings=("the card states the weights' license as its base model's",),
            )
            params_sources = (*lead, *(source for _, source in by_reference))
        elif family is not None:
            # "subject to the LLaMA license": one of a family, which the base model may tell
            params_license, params_sources = family[0], (*lead, family[1])
    relation = _relation(meta, body, formats)
    base_models = _base_models(meta, body, path, name=name, relation=relation, errors=errors)
    if fmt == "hf-repo":
        named = {b.name.casefold() for b in base_models}
        base_models = (
            *base_models,
            *(b for b in adapter_bases(card.parent) if b.name.casefold() not in named),
        )
    datasets = _datasets(meta, body, errors)
    claims = (*_tag_claims(meta, path), *_claims(body, path))
    documentation = _documentation(body)
    companion_cards = _read_cards(cards, errors)
    data_info = _data_information(meta, body, path, relation, companion_cards)
    gated, gated_source = _gated(meta, path)
    if gated is None and relation not in {"quantized", "merge"}:
        # No gating field: the card's text may still describe the gate. A quantization's or
        # merge's card quotes its base's card, whose gate is the base repository's.
        in_text = _gated_in_text(body, path)
        if in_text is not None:
            gated, gated_source = True, in_text

    if weights:
        params_available: bool | None = True
    elif assume_weights:
        params_available = True
    else:
        # A folder without weight files may be a clone without its LFS files, or a card whose
        # weights live elsewhere: whether the weights are published is not known from here.
        params_available = None

    # The front matter's license (or license_link) speaks for the card; a repository without
    # one (a vendor's code repository) licenses its weights in the README's text.
    weight_statements = [s for s in scoped if s.scope == "parameters"]
    if weight_statements and not (declared is not None and declared.ok):
        # The README says which license covers which model's weights: one component per
        # license, citing every line (and file) that says so.
        params = _parameters_by_statement(weight_statements, params_available)
    else:
        if params_license is not None and params_license.ok and params_license.expression:
            # Every line of the text that states the same license for the weights is evidence
            # of it too ("The model weights are released under the Apache License 2.0").
            agreeing = [
                source for n, source in statements if n.expression == params_license.expression
            ] + [
                s.source
                for s in weight_statements
                if s.license.expression == params_license.expression
            ]
            params_sources = tuple(dict.fromkeys([*params_sources, *agreeing]))
        params = [
            Component(
                kind="parameters",
                name="Model parameters (Final)",
                available=params_available,
                license=params_license,
                sources=params_sources,
                identification=params_ident,
                mof_id=10,
            )
        ]
    components: list[Component] = [
        *params,
        Component(
            kind="documentation",
            name="Model card",
            available=True,
            license=params[0].license,
            sources=(Source(path, 1, None), *params[0].sources),
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
    training_files, other_files = code
    folder = card.parent
    training_seen = training + [Source(str(folder / f), None, None) for f in training_files[:3]]
    inference_seen = inference + [Source(str(folder / f), None, None) for f in other_files[:3]]
    withheld_at = None if training_seen else _training_code_withheld(body, path)
    training_available: bool | None = (
        True if training_seen else False if withheld_at is not None else None
    )
    code_license, code_sources, code_ident = _code_license(
        [s for s in scoped if s.scope == "code"],
        by_name,
        code_in_folder=bool(training_files or other_files),
    )
    components.append(
        Component(
            kind="code",
            name="Training code",
            available=training_available,
            license=code_license if training_available else None,
            sources=tuple(
                dict.fromkeys(
                    [*(code_sources if training_available else ()), *training_seen[:5]]
                    + ([withheld_at] if withheld_at else [])
                )
            ),
            identification=code_ident if training_available else None,
            mof_id=7,
        )
    )
    inference_available = True if inference_seen or training_seen else None
    components.append(
        Component(
            kind="code",
            name="Inference code",
            available=inference_available,
            license=code_license if inference_available else None,
            sources=tuple(
                dict.fromkeys(
                    [
                        *(code_sources if inference_available else ()),
                        *(inference_seen or training_seen)[:5],
                    ]
                )
            ),
            identification=code_ident if inference_available else None,
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


def _read_cards(cards: Sequence[Path], errors: list[str]) -> list[tuple[_Body, str]]:
    """The bodies of the companion model and data cards (``MODEL_CARD.md``)."""
    out: list[tuple[_Body, str]] = []
    for file in cards:
        try:
            doc = read_text_file(file)
        except InputError as exc:
            errors.append(f"{file.name}: {exc}")
            continue
        meta = read_front_matter(doc)
        out.append((_Body.parse(doc.text, meta.body_start), str(file)))
    return out


def _parameters_by_statement(
    statements: Sequence[_Scoped], available: bool | None
) -> list[Component]:
    groups: dict[str, list[_Scoped]] = {}
    for st in statements:
        groups.setdefault(st.license.expression or "", []).append(st)
    out = []
    for items in groups.values():
        sources: list[Source] = []
        for st in items:
            sources.append(st.source)
            if st.ident is not None:
                sources.append(Source(st.ident.path, 1, None))
        out.append(
            Component(
                kind="parameters",
                name="Model parameters (Final)",
                available=available,
                license=items[0].license,
                sources=tuple(dict.fromkeys(sources)),
                identification=next((st.ident for st in items if st.ident), None),
                mof_id=10,
            )
        )
    return out


def _code_license(
    statements: Sequence[_Scoped],
    by_name: dict[str, Identification],
    *,
    code_in_folder: bool,
) -> tuple[Normalized | None, tuple[Source, ...], Identification | None]:
    """The license of the code: what the text says covers it, else, for code in the folder,
    the repository's code license file (``LICENSE-CODE``) or its ``LICENSE``."""
    if statements:
        first = statements[0]
        sources: list[Source] = []
        for st in statements:
            if st.license.expression != first.license.expression:
                continue
            sources.append(st.source)
            if st.ident is not None:
                sources.append(Source(st.ident.path, 1, None))
        if code_in_folder:
            # The repository's license file says the same for the code it ships.
            sources += [
                Source(ident.path, 1, None)
                for original, ident in sorted(by_name.items())
                if _PLAIN_LICENSE.match(original)
                and ident.expression
                and ident.expression == first.license.expression
            ]
        return first.license, tuple(dict.fromkeys(sources)), first.ident
    candidates = [
        (0 if _CODE_LICENSE_FILE.search(original) else 1, original, ident)
        for original, ident in by_name.items()
        if "/" not in original
        and ident.kind == "license"
        and ident.expression
        and not ident.error
        and (
            _CODE_LICENSE_FILE.search(original)
            or (code_in_folder and _PLAIN_LICENSE.match(original))
        )
    ]
    if not candidates:
        return None, (), None
    _, _, ident = min(candidates, key=lambda c: (c[0], c[1]))
    assert ident.expression is not None
    return normalize(ident.expression), (Source(ident.path, 1, None),), ident


_PLAIN_LICENSE = re.compile(r"^licen[cs]e(?:\.(?:md|txt|rst))*$", re.I)


_NOTICE_NAME = re.compile(r"^notice", re.I)


def _as_notice(original: str, ident: Identification) -> Identification:
    """A NOTICE file that names a license ("X is licensed under the Llama 2 Community License")
    is a notice, not the license's text: it keeps the license it names but holds none of its
    clauses, so the clauses the catalog knows for that license are not cited from it (the
    license file and the catalog cite them once)."""
    if not _NOTICE_NAME.match(original) or ident.kind != "license" or ident.error:
        return ident
    own = tuple(f for f in ident.flags if f.evidence.line is not None)
    if own:
        return ident  # clauses quoted from the file's own lines: a license text after all
    return dataclasses.replace(ident, kind="notice", flags=())

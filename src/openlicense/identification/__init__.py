"""Identify license texts: which license a file is, whether it was modified, what it says.

``examine(path)`` (or ``examine_text(text)``) reads the text (typed errors for bad files become
the result's ``error``), then tries, cheapest first (:mod:`~.matchers`, :mod:`~.aligner`):

1. an ``SPDX-License-Identifier`` tag, when the file is little more than the tag;
2. the exact-match index (:mod:`openlicense.identification.exact`): the text *is* a known
   license text (whitespace, case, punctuation, bullets and copyright lines aside) (with
   ``engine="scancode"``, also: *contains* one);
3. the catalog's fingerprints: verbatim phrases that identify licenses ScanCode lacks (the
   Llama 3 license of April 2024, the Llama acceptable-use policies, ...);
4. openlicense's alignment matcher (:mod:`openlicense.matching`: every ScanCode reference text,
   word-aligned, without ScanCode's index; one-line notices and SPDX tags when no text
   matches), or, with ``engine="scancode"``, ScanCode's matcher
   (:mod:`openlicense.identification.scancode`, loaded on first need);
5. the text's title, read by the normalizer, for a license no matcher knows.

A match below 100 % coverage, or a known text with words added or changed, is reported as
``variant_of`` that license, never as the license, with its changes. What the text says is
returned as findings (:class:`~openlicense.model.TextFinding`, :mod:`~.findings`): the
catalog's clauses of a catalogued license, cited where this file says them; for anything else
the clause scanner's hits (:mod:`openlicense.identification.clauses`), so a custom license is
judged from what it says. This stage raises no flag and judges no freedom: the rules
(:mod:`openlicense.judge.rules.text`) do, and :func:`openlicense.identify` returns both.

The public ``identify``, ``identify_text`` and ``identify_many`` need the judge, so they live
above it, in :mod:`openlicense.report.identify` (``openlicense.identify`` is the path the docs
use). They are not re-exported here: a stage must not import the stages above it.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import hashlib
import os
from collections.abc import Iterator
from typing import Literal

from openlicense.catalog import Catalog, get_catalog
from openlicense.collector import collector_paused
from openlicense.errors import EmptyInputError, InputError, OpenLicenseError
from openlicense.identification import aligner, matchers
from openlicense.identification.findings import finish
from openlicense.identification.study import TextStudy
from openlicense.model import Identification, Match
from openlicense.read.text import TextInput, read_text, read_text_file, text_input

__all__ = ["ENGINES", "Engine", "Identification", "Match", "examine", "examine_text", "use_engine"]

Engine = Literal["openlicense", "scancode"]
#: The engines of step 4: openlicense's alignment matcher (the default) and ScanCode's.
ENGINES: tuple[Engine, ...] = ("openlicense", "scancode")
_ENGINE: contextvars.ContextVar[Engine] = contextvars.ContextVar("engine", default="openlicense")


@contextlib.contextmanager
def use_engine(engine: Engine) -> Iterator[None]:
    """Within the block, :func:`examine` calls that name no engine use ``engine`` (how
    ``openlicense check --engine scancode`` reaches the release readers)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    token = _ENGINE.set(engine)
    try:
        yield
    finally:
        _ENGINE.reset(token)


def examine(
    source: str | os.PathLike[str] | TextInput,
    *,
    engine: Engine | None = None,
    scancode: bool = True,
    catalog: Catalog | None = None,
) -> Identification:
    """What the text of a file is and what it says (findings, not yet flags).

    ``source`` is a path (a ``str`` is always a path), or a :class:`TextInput` for a text held
    in memory (:func:`examine_text`). Never raises for a bad file: a missing, binary, empty,
    undecodable or too large file gives an Identification with ``error`` (and ``error_type``,
    the name of the typed error).

    ``engine`` chooses step 4: ``"openlicense"`` (the default, or what :func:`use_engine` set),
    the alignment matcher; ``"scancode"``, ScanCode's matcher, whose index loads on first need.
    ``scancode=False`` (the older switch) forbids ScanCode whatever the engine.
    """
    engine = engine or _ENGINE.get()
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    if not scancode:
        engine = "openlicense"
    catalog = catalog or get_catalog()
    path = None if isinstance(source, TextInput) else os.fspath(source)
    try:
        doc = read_text(source) if isinstance(source, TextInput) else read_text_file(source)
        if not doc.text.strip():
            raise EmptyInputError("the file is empty", path=doc.path)
    except InputError as exc:
        shown = path if path is not None and (os.sep in path or len(path) < 256) else None
        return Identification(
            path=getattr(exc, "path", None) or shown, error=str(exc), error_type=type(exc).__name__
        )
    key = (
        hashlib.blake2b(doc.text.encode("utf-8"), digest_size=16).digest(),
        engine,
        id(catalog),
    )
    cached = _SEEN.get(key)
    if cached is not None:
        # Corpora repeat the same LICENSE files thousands of times: identify a text once per
        # process and give each file its own path in the same result.
        return _with_path(cached, doc.path)
    with collector_paused():
        result = _examine_doc(doc, engine=engine, catalog=catalog)
    if result.error is None:
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.pop(next(iter(_SEEN)))
        _SEEN[key] = result
    return result


def examine_text(
    text: str,
    *,
    name: str | None = None,
    engine: Engine | None = None,
    scancode: bool = True,
    catalog: Catalog | None = None,
) -> Identification:
    """:func:`examine` for a text held in memory; ``name`` is the path reported."""
    return examine(text_input(text, name), engine=engine, scancode=scancode, catalog=catalog)


_SEEN: dict[tuple[bytes, str, int], Identification] = {}
_SEEN_MAX = 4096


def _with_path(result: Identification, path: str | None) -> Identification:
    """A result seen before for the same text, now of the file at ``path``: every piece of
    evidence it carries cites that file."""
    if result.path == path:
        return result
    findings = tuple(
        dataclasses.replace(f, evidence=dataclasses.replace(f.evidence, path=path))
        for f in result.findings
    )
    text_freedoms = tuple(
        dataclasses.replace(t, evidence=dataclasses.replace(t.evidence, path=path))
        for t in result.text_freedoms
    )
    return dataclasses.replace(result, path=path, findings=findings, text_freedoms=text_freedoms)


def _examine_doc(doc: TextInput, *, engine: Engine, catalog: Catalog) -> Identification:
    work = TextStudy(doc=doc, catalog=catalog)
    try:
        found = matchers.spdx_tag(work) or matchers.exact(work) or matchers.fingerprint(work)
        if not found and engine == "scancode":
            # The aligner finds a license inside a larger text itself, and tells BSD-3-Clause
            # with a clause added from BSD-2-Clause, which a whole-text hash inside it cannot.
            found = matchers.contained(work)
        if not found:
            found = matchers.scancode(work) if engine == "scancode" else aligner.alignment(work)
            if work.variant_of and not work.expression:
                matchers.by_title(work)
        if not found and not work.expression:
            matchers.by_title(work)
        return finish(work)
    except OpenLicenseError as exc:  # pragma: no cover - a bug, reported per file
        return Identification(path=doc.path, error=str(exc), error_type=type(exc).__name__)

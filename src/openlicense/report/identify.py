"""``identify``: what a license text is, what it says, and what that means for its freedoms.

The public function composes two stages: identification
(:func:`openlicense.identification.examine`: matches, changes, clause findings) and the rules
(:func:`openlicense.judge.rules.text.judge_text`: flags, freedoms, OSAID conformance). It lives
here, above the judge, because it needs both; :mod:`openlicense.identification` re-exports it
lazily for the import path the docs and callers use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from openlicense.catalog import Catalog
from openlicense.identification import Engine, examine
from openlicense.judge.rules.text import judge_text
from openlicense.model import Identification
from openlicense.read.text import TextInput, text_input

__all__ = ["identify", "identify_many", "identify_text"]


def identify(
    source: str | os.PathLike[str] | TextInput,
    *,
    engine: Engine | None = None,
    scancode: bool = True,
    catalog: Catalog | None = None,
) -> Identification:
    """Identify the license text in a file.

    ``source`` is a path (``str`` or ``os.PathLike``) or a :class:`TextInput`. For a text held
    in memory use :func:`identify_text`; a ``str`` holding a line break is still taken as a
    text, as it always was (no path has one), but a one-line ``str`` is always a path.

    Never raises for a bad file: a missing, binary, empty, undecodable or too large file gives
    an Identification with ``error`` (and ``error_type``, the name of the typed error).
    ``engine="openlicense"`` (the default) matches texts with openlicense's own aligner and
    never loads ScanCode; ``engine="scancode"`` uses ScanCode's matcher instead (its index
    loads on first need). ``scancode=False`` forbids ScanCode whatever the engine.
    """
    if isinstance(source, str) and "\n" in source:
        source = text_input(source)
    found = examine(source, engine=engine, scancode=scancode, catalog=catalog)
    return judge_text(found, catalog)


def identify_text(
    text: str,
    *,
    name: str | None = None,
    engine: Engine | None = None,
    scancode: bool = True,
    catalog: Catalog | None = None,
) -> Identification:
    """Identify a license text held in memory; ``name`` is the path it is reported under."""
    return identify(text_input(text, name), engine=engine, scancode=scancode, catalog=catalog)


def identify_many(
    sources: Iterable[str | os.PathLike[str]],
    *,
    engine: Engine | None = None,
    scancode: bool = True,
) -> list[Identification]:
    """Identify several files; one bad file never stops the others."""
    return [identify(s, engine=engine, scancode=scancode) for s in sources]

"""The license of the weights: what the front matter declares, which companion file is the
license file, and the licenses the card's text states.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

from openlicense.identification import Identification
from openlicense.model import Source
from openlicense.normalization import Normalized, normalize
from openlicense.read.frontmatter import FrontMatter
from openlicense.release.hf.markdown import (
    _LINK,
    _PLACEHOLDER,
    _TABLE_ROW,
    _URL,
    _Body,
    _cells,
    _plain,
    _strip_marks,
    html_row,
)
from openlicense.release.hf.phrases import pattern

# Names a license file of the weights goes by, best first: a file that names the model license
# outranks a plain LICENSE, which outranks a code license or anything else with the word in it.
_LICENSE_FILE_RANK = (
    re.compile(r"^(?:model[_\-. ]?licen[cs]e|licen[cs]e[_\-. ]?model)", re.I),
    re.compile(r"^licen[cs]e(?:\.(?:md|txt|rst))*$", re.I),
    re.compile(r"^(?:licen[cs]e|copying)", re.I),
    re.compile(r"licen[cs]e", re.I),
)
_CODE_LICENSE_FILE = re.compile(r"licen[cs]e[_\-. ]?code|code[_\-. ]?licen[cs]e", re.I)


def _declared(
    meta: FrontMatter, path: str, errors: list[str]
) -> tuple[Normalized | None, Source | None]:
    """What the front matter declares for the whole repository.

    ``license: other`` means "see ``license_name``/``license_link``": the name is the declared
    license then (Hugging Face suggests short ids such as ``llama3`` for it)."""
    raw = meta.data.get("license")
    name = meta.text("license_name")
    if isinstance(raw, list):
        items = [str(x).strip() for x in raw if isinstance(x, (str, int, float)) and str(x).strip()]
        raw = " AND ".join(items) if items else None
    elif raw is not None and not isinstance(raw, str):
        errors.append(
            f"README.md line {meta.line('license')}: 'license' is "
            f"{type(raw).__name__}, not a license id"
        )
        raw = None
    value = raw.strip() if isinstance(raw, str) and raw.strip() else None
    if name and (value is None or value.lower() == "other"):
        return normalize(name), Source(path, meta.line("license_name"), "license_name")
    if value is not None:
        return normalize(value), Source(path, meta.line("license"), "license")
    return None, None


def _from_file(ident: Identification) -> Normalized | None:
    """The license an identified file states, as a normalized value."""
    if ident.expression:
        return normalize(ident.expression)
    return None


def _license_file(
    by_name: dict[str, Identification],
    link_target: str | None,
    exclude: frozenset[str] = frozenset(),
) -> tuple[str, Identification] | None:
    """The companion that holds the weights' license: the one ``license_link`` names, else the
    best-named file identified as a license. Files the text says cover the code (``exclude``)
    and the licenses of single models in subfolders are not the weights' license file."""
    if link_target is not None:
        for original, ident in by_name.items():
            if _same_file(original, link_target):
                return original, ident
    candidates = [
        (rank, original, ident)
        for original, ident in by_name.items()
        if ident.kind == "license"
        and not _CODE_LICENSE_FILE.search(original)
        and original not in exclude
        and "/" not in original
        for rank, pattern in enumerate(_LICENSE_FILE_RANK)
        if pattern.search(original)
    ]
    if not candidates:
        return None
    _, original, ident = min(candidates, key=lambda c: (c[0], c[1]))
    return original, ident


def _same_file(original: str, link: str) -> bool:
    """Does ``license_link`` (``LICENSE``, ``./LICENSE.md``, a blob URL of it) name the file?

    The flat corpus layout appends ``.txt`` to every companion, so the name is compared with
    and without it and without its extension."""
    target = link.strip().split("?")[0].split("#")[0].rstrip("/")
    target = target.rsplit("/", 1)[-1].lower()
    if not target:
        return False
    name = original.lower()
    forms = {name, name.removesuffix(".txt"), Path(name.removesuffix(".txt")).stem}
    return target in forms or Path(target).stem in forms


def _parameters_license(
    meta: FrontMatter,
    path: str,
    *,
    declared: Normalized | None,
    declared_source: Source | None,
    by_name: dict[str, Identification],
    statements: Sequence[tuple[Normalized, Source]],
    errors: list[str],
    exclude: frozenset[str] = frozenset(),
) -> tuple[Normalized | None, tuple[Source, ...], Identification | None]:
    """The license of the weights: the card's metadata first, then the license file (the one
    ``license_link`` names, else the best-named one), then a license the card's text states."""
    link = meta.text("license_link")
    link_is_url = bool(link and re.match(r"^(?:https?://|www\.)", link, re.I))
    local_link = link if link and not link_is_url else None
    if (
        link_is_url
        and link
        and re.search(r"huggingface\.co/[^/]+/[^/]+/(?:blob|resolve|raw)/", link)
    ):
        local_link = link  # a blob URL of a file in this repository
    chosen = _license_file(by_name, local_link, exclude)
    if local_link and (chosen is None or not _same_file(chosen[0], local_link)) and not link_is_url:
        errors.append(
            f"README.md line {meta.line('license_link')}: license_link {link!r} names no file "
            "in the repository"
        )
    file_source: Source | None = None
    file_license: Normalized | None = None
    file_ident: Identification | None = None
    if chosen is not None and not chosen[1].error:
        file_ident = chosen[1]
        file_license = _from_file(file_ident)
        file_source = Source(file_ident.path, 1, None)

    if declared is not None and declared.ok and declared.matched_by != "unlisted-name":
        sources = [declared_source] if declared_source else []
        ident = None
        if file_ident is not None and _agrees(declared, file_ident):
            # The file is the declared license's text: its identification says whether it was
            # modified, which the bare id cannot.
            ident = file_ident
            sources.append(file_source)  # type: ignore[arg-type]
        return declared, tuple(s for s in sources if s), ident

    # The metadata names no usable license (absent, "other", a family, an unknown name):
    # the license file, then the link's address, then the text of the card can say which.
    link_source = Source(path, meta.line("license_link"), "license_link")
    if file_ident is not None and (file_license is not None or file_ident.variant_of):
        sources = [file_source] if file_source else []
        if local_link and _same_file(chosen[0], local_link):  # type: ignore[index]
            sources.insert(0, link_source)
        if declared_source is not None:
            sources.insert(0, declared_source)
        license = file_license or Normalized(
            input=file_ident.variant_of or "",
            status="unknown",
            matched_by="license-file",
            error=f"a modified version of {file_ident.variant_of}",
        )
        return license, tuple(sources), file_ident
    if link_is_url and link:
        by_url = normalize(link)
        if by_url.ok:
            sources = [link_source] if declared_source is None else [declared_source, link_source]
            return by_url, tuple(sources), None
    if declared is not None:
        return declared, (declared_source,) if declared_source else (), None
    if statements:
        statement, source = statements[0]
        return statement, (source,), None
    return None, (), None


def _agrees(declared: Normalized, ident: Identification) -> bool:
    expr = declared.expression
    return expr is not None and expr in (ident.expression, ident.variant_of)


def _license_statements(body: _Body, path: str) -> tuple[tuple[Normalized, Source], ...]:
    """Licenses the card's text states ("**License:** Apache 2.0", "licensed under the MIT
    License"): a second declaration that may contradict the metadata."""
    out: list[tuple[Normalized, Source]] = []
    seen: set[str] = set()
    for i, raw in enumerate(body.raw):
        if not raw.strip():
            continue
        line = raw
        row = _as_row(raw)
        if row is not None:
            # A two-cell row of a summary table ("| Licence | MIT |") is a labelled line; other
            # rows (a model's row, an evaluation) are read where their columns are known.
            pair = _label_row(row)
            if pair is None:
                continue
            line = f"{pair[0]}: {pair[1]}"
        found = _license_in_line(line)
        if found is None:
            # "[![License: Apache 2.0](https://img.shields.io/badge/License-Apache_2.0-blue)]"
            found = next(filter(None, map(_license_in_line, license_badges(raw))), None)
        if found is None or found.expression is None or found.expression in seen:
            continue
        seen.add(found.expression)
        out.append((found, Source(path, body.line_no(i), None)))
    return tuple(out)


def _as_row(raw: str) -> str | None:
    """A table row as Markdown (an HTML row on one line rewritten), else None."""
    return raw if _TABLE_ROW.match(raw) else html_row(raw)


def _label_row(row: str) -> tuple[str, str] | None:
    """(label, value) of a two-cell table row whose first cell is a license label, by the
    labelled line it stands for ("| Licence | MIT |" is "Licence: MIT"), else None."""
    cells = [c for c in _cells(row) if c]
    if len(cells) != 2:
        return None
    label = cells[0].strip(" *_`:")
    return (label, cells[1]) if pattern("license_label").match(f"{label}: {cells[1]}") else None


def reference_statements(body: _Body, path: str) -> tuple[tuple[str, Source], ...]:
    """Lines that state the weights' license as the base model's instead of naming one ("same
    licence as LLaMA", "| Terms | inherited from the base model |"): the quote and its line."""
    out: list[tuple[str, Source]] = []
    for i, raw in enumerate(body.raw):
        if not raw.strip():
            continue
        row = _as_row(raw)
        if row is not None:
            pair = _label_row(row)
            text = pair[1] if pair is not None else None
        else:
            text = body.plain[i] if pattern("licensing_word").search(body.plain[i]) else None
        if text and pattern("license_by_reference").search(text):
            out.append((body.plain[i], Source(path, body.line_no(i), None)))
    return tuple(out)


#: A static badge of shields.io: ``/badge/<label>-<message>-<color>`` (shields.io's badge
#: documentation: ``--`` is a dash, ``__`` an underscore, ``_`` or ``%20`` a space).
_SHIELD = re.compile(r"img\.shields\.io/badge/(?P<path>[^?)\s\"'<>]{1,200})", re.I)
_SHIELD_DASH = re.compile(r"(?<!-)-(?!-)")


def license_badges(raw: str) -> list[str]:
    """The license badges of a line as labelled lines ("License: Apache 2.0"): a shields.io
    badge whose label is "license" (or "licence"). A badge of another label ("code",
    "weights") says which component, which a labelled line cannot, and is not read."""
    out: list[str] = []
    for m in _SHIELD.finditer(raw):
        path = re.sub(r"\.(?:svg|png)$", "", m.group("path"), flags=re.I)
        parts = _SHIELD_DASH.split(path)
        if len(parts) < 3:
            continue
        label, message = (_shield_text(p) for p in parts[:2])
        if re.fullmatch(r"licen[cs]e", label.strip(), re.I) and message.strip():
            out.append(f"License: {message.strip()}")
    return out


def _shield_text(part: str) -> str:
    text = urllib.parse.unquote(part).replace("--", "-")
    return text.replace("__", "\0").replace("_", " ").replace("\0", "_")


#: The Chinese words for "license" ("agreement") and "released" after a license's name.
_ZH_LICENSE_TAIL = re.compile(
    r"(?:开源)?(?:许可证|许可协议|协议|许可)?(?:进行)?(?:发布|授权|开源)?$"
)


def family_statement(body: _Body, path: str) -> tuple[Normalized, Source] | None:
    """The first line that states a license of a family without saying which ("subject to
    the LLaMA license"): ambiguous, with the family's licenses as candidates."""
    for i, raw in enumerate(body.raw):
        if not raw.strip() or _TABLE_ROW.match(raw):
            continue
        found = _license_in_line(raw, ambiguous=True)
        if found is not None and found.status == "ambiguous":
            return found, Source(path, body.line_no(i), None)
    return None


def _license_in_line(raw: str, *, ambiguous: bool = False) -> Normalized | None:
    label = pattern("license_label").match(raw)
    if label:
        stated = label.group("value") or label.group("value2") or ""
    else:
        m = pattern("license_sentence").search(raw)
        if m is None:
            return None
        stated = m.group("value") or m.group("subject") or m.group("zh") or ""
    stated = _strip_marks(stated).strip()
    link = _LINK.search(stated)
    bare = _URL.fullmatch(stated.rstrip("."))
    if bare:
        # "Checkpoint terms: https://ai.meta.com/llama/license/": the address is the name
        texts = [bare.group()]
    elif link and link.start() < 2:
        # "[Apache 2.0](https://...)": the link text, else the address it points to.
        texts = [link.group(1), link.group(2)]
    else:
        # The name runs to the end of its clause: "the MIT License, see LICENSE" (a Chinese
        # clause ends at its own punctuation, with no space after it), without the Chinese
        # words for "license" and "released" after it ("CC BY-NC 4.0 许可证发布").
        clause = re.split(
            r"[.;,(]\s|[\u3002\uff1b\uff0c\uff08]|[.;]$|\s[-\u2013]\s", _plain(stated)
        )[0]
        texts = [_ZH_LICENSE_TAIL.sub("", clause.rstrip()).rstrip()]
    for candidate in texts:
        text = candidate.strip(" *_`:.")
        if not text or len(text) > 120 or _PLACEHOLDER.search(text):
            continue
        result = normalize(text)
        # Only a license the catalog knows: a guessed name from free text would be noise.
        if result.ok and result.matched_by not in {"unlisted-name", "heuristic"}:
            return result
        if ambiguous and result.status == "ambiguous" and result.candidates:
            return result
    return None

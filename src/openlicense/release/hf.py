"""Read a Hugging Face model repository, or one model card, into a :class:`Release`.

A model card is a ``README.md`` whose YAML front matter declares the license (``license``, or
``license: other`` with ``license_name``/``license_link``), the base models, the datasets and the
download gate (``gated``, ``extra_gated_*``). Its Markdown body says the rest: whether the model
calls itself open, whether the training data is described, where the code is, and what the
risks and limitations are. Companion files beside it (``LICENSE``, ``USE_POLICY.md``,
``NOTICE``...) are identified with :func:`openlicense.identification.identify`.

Everything read here is a *fact* with its source (file, line, front-matter field); judging the
facts (flags, verdict) is the rule engine's job. How each fact is read is written up in
``docs/readers.md``.

Two layouts are understood: a repository folder (``README.md`` and its siblings) and the flat
layout of a corpus, where ``owner__repo.README.md`` sits beside ``owner__repo.LICENSE.txt``,
``owner__repo.USE_POLICY.md.txt`` and so on.
"""

from __future__ import annotations

import bisect
import datetime
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from openlicense.errors import InputError, MissingInputError, ReleaseFormatError
from openlicense.identification import Identification
from openlicense.identification import examine as identify
from openlicense.model import BaseModel, Claim, Component, Release, Source
from openlicense.normalization import Normalized, normalize
from openlicense.read.text import TextInput, read_text_file

__all__ = ["read_hf_repo", "read_model_card"]

# --------------------------------------------------------------------------------------------
# files of a repository

_README_NAMES = ("README.md", "readme.md", "Readme.md", "README.MD", "README.markdown")
# A companion is any file whose name says license, policy or notice. Code and configuration
# that merely mention the word (license_check.py, license.json) are not license texts.
_COMPANION = re.compile(
    r"licen[cs]e|^copying|^notice|use[_\-. ]?policy|^aup\b|acceptable[_\-. ]?use", re.I
)
_NOT_A_TEXT = frozenset(
    ".py .js .ts .ipynb .sh .json .yaml .yml .toml .cfg .ini .lock .png .jpg .jpeg .gif".split()  # noqa: SIM905
)
# Names a license file of the weights goes by, best first: a file that names the model license
# outranks a plain LICENSE, which outranks a code license or anything else with the word in it.
_LICENSE_FILE_RANK = (
    re.compile(r"^(?:model[_\-. ]?licen[cs]e|licen[cs]e[_\-. ]?model)", re.I),
    re.compile(r"^licen[cs]e(?:\.(?:md|txt|rst))*$", re.I),
    re.compile(r"^(?:licen[cs]e|copying)", re.I),
    re.compile(r"licen[cs]e", re.I),
)
_CODE_LICENSE_FILE = re.compile(r"licen[cs]e[_\-. ]?code|code[_\-. ]?licen[cs]e", re.I)
#: Weight file extensions and the format each is reported as. ``.bin``, ``.pt``, ``.pth``,
#: ``.ckpt`` and ``.pkl`` are PyTorch/Python pickles: loading them runs code.
_WEIGHT_FORMATS = {
    ".safetensors": "safetensors",
    ".gguf": "gguf",
    ".onnx": "onnx",
    ".bin": "pickle",
    ".pt": "pickle",
    ".pth": "pickle",
    ".ckpt": "pickle",
    ".pkl": "pickle",
    ".h5": "h5",
    ".msgpack": "msgpack",
}
_WEIGHT_ORDER = ("safetensors", "gguf", "onnx", "pickle", "h5", "msgpack")
#: Most files looked at when walking a repository for weights: a model repository has tens of
#: files; a folder with far more is not one, and walking it all would be slow.
_MAX_WALK = 20_000

# --------------------------------------------------------------------------------------------
# public API


def read_hf_repo(path: str | os.PathLike[str]) -> Release:
    """Read a model repository folder as on the Hugging Face Hub.

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
    card = next((p for n in _README_NAMES for p in entries if p.name == n and p.is_file()), None)
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
        and _is_companion(p.name)
        # A link out of the repository is not the repository's license file.
        and (not p.is_symlink() or p.resolve().is_relative_to(inside))
    ]
    weights = _walk_weights(folder)
    return _read(
        card,
        name=folder.resolve().name.replace("__", "/"),
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
                if _is_companion(rest):
                    companions.append((rest, p))
                elif _weight_format(rest):
                    weights.append(p)
    else:
        name = folder.resolve().name.replace("__", "/") or doc_name
        for p in siblings:
            if p.name.startswith("."):
                continue
            if _is_companion(p.name):
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
    meta = _front_matter(doc)
    body = _Body.parse(doc.text, meta.body_start)
    errors: list[str] = list(meta.errors)

    files: list[Identification] = []
    by_name: dict[str, Identification] = {}
    for original, file in companions:
        ident = identify(file)
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


# --------------------------------------------------------------------------------------------
# front matter


@dataclass(frozen=True, slots=True)
class _FrontMatter:
    data: dict[str, Any]
    lines: dict[str, int]  # key -> line of the key in the file
    item_lines: dict[str, tuple[int, ...]]  # key -> line of each item of a list value
    body_start: int  # 0-based index of the first body line
    errors: tuple[str, ...] = ()

    def line(self, key: str) -> int | None:
        return self.lines.get(key)

    def text(self, key: str) -> str | None:
        """A string field, stripped; ``None`` when absent, empty or not a string."""
        value = self.data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        return None

    def strings(self, key: str) -> list[tuple[str, int | None]]:
        """A field that may be one string or a list of strings, with each item's line."""
        value = self.data.get(key)
        if isinstance(value, str):
            return [(value.strip(), self.line(key))] if value.strip() else []
        if isinstance(value, list):
            lines = self.item_lines.get(key, ())
            out = []
            for i, item in enumerate(value):
                if isinstance(item, (str, int, float)) and str(item).strip():
                    line = lines[i] if i < len(lines) else self.line(key)
                    out.append((str(item).strip(), line))
            return out
        return []


def _front_matter(doc: TextInput) -> _FrontMatter:
    """The YAML between the leading ``---`` lines, with the line of every top-level key."""
    lines = doc.text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return _FrontMatter({}, {}, {}, 0)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise ReleaseFormatError(
            "line 1: the front matter opened with '---' is never closed by a '---' line",
            path=doc.path,
        )
    source = "\n".join(lines[1:end])
    first = 2  # file line of the front matter's first line
    try:
        # SafeLoader composes plain nodes (no Python objects): it gives the line of each key.
        root = yaml.compose(source, Loader=yaml.SafeLoader)
        data = yaml.safe_load(source)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first + mark.line if mark is not None else 1
        problem = err.problem or err.context or "invalid YAML"
        raise ReleaseFormatError(
            f"line {line}: the front matter is not valid YAML: {problem}", path=doc.path
        ) from None
    except RecursionError:
        raise ReleaseFormatError(
            "the front matter is nested too deeply to be read", path=doc.path
        ) from None
    except yaml.YAMLError as err:  # a ReaderError: a character YAML does not allow
        position = getattr(err, "position", None)
        line = first + source.count("\n", 0, position) if isinstance(position, int) else 1
        reason = getattr(err, "reason", None) or "invalid YAML"
        raise ReleaseFormatError(
            f"line {line}: the front matter is not valid YAML: {reason}", path=doc.path
        ) from None
    if root is None:
        return _FrontMatter({}, {}, {}, end + 1)
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise ReleaseFormatError(
            f"line {first}: the front matter is {kind}, not a mapping of fields", path=doc.path
        )
    key_lines: dict[str, int] = {}
    item_lines: dict[str, tuple[int, ...]] = {}
    errors: list[str] = []
    for key_node, value_node in root.value:
        key = str(key_node.value)
        line = first + key_node.start_mark.line
        if key in key_lines:
            errors.append(
                f"{Path(doc.path or 'README.md').name} line {line}: duplicate front-matter "
                f"field {key!r} (YAML keeps the last one)"
            )
        key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = tuple(first + item.start_mark.line for item in value_node.value)
    return _FrontMatter(
        {str(k): v for k, v in data.items()}, key_lines, item_lines, end + 1, tuple(errors)
    )


def _json_safe(value: Any) -> Any:
    """The front matter as JSON can hold it: YAML dates become ISO strings, keys strings."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # pragma: no cover - safe_load builds nothing else


# --------------------------------------------------------------------------------------------
# the Markdown body

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_HTML_HEADING = re.compile(r"^\s*<h([1-6])[^>]*>(.*?)</h\1>\s*$", re.I)
_BOLD_HEADING = re.compile(r"^\s*(?:\*\*|__)([^*_\n]{2,80}?)(?:\*\*|__)\s*:?\s*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_URL = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TAG = re.compile(r"<[^>\n]*>")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I)
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")
_PLACEHOLDER = re.compile(r"\[?\s*more information needed\s*\]?|\{\{[^}]*\}\}", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。\uff01\uff1f])")


def _plain(line: str) -> str:
    """A Markdown/HTML line as the text a reader sees: link texts kept, addresses dropped."""
    line = _IMAGE.sub(" ", line)
    line = _LINK.sub(lambda m: m.group(1), line)
    line = _URL.sub(" ", line)
    line = _EMAIL.sub(" ", line)
    line = _TAG.sub(" ", line)
    line = _ENTITY.sub(" ", line)
    line = _EMPHASIS.sub("", line)
    return re.sub(r"\s+", " ", line).strip()


@dataclass(frozen=True, slots=True)
class _Heading:
    index: int  # index into _Body.lines
    level: int  # 1-6 for Markdown and HTML headings, 7 for a bold line standing alone
    title: str


@dataclass(frozen=True, slots=True)
class _Unit:
    """A paragraph, list item, heading or table row: the text sentences are cut from."""

    text: str
    starts: tuple[int, ...]  # offset in text where each line begins
    lines: tuple[int, ...]  # the file line of each of those lines
    kind: Literal["text", "heading", "table"]

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect.bisect_right(self.starts, offset) - 1)]

    def sentences(self) -> Iterator[tuple[int, str]]:
        """(offset, sentence) pairs."""
        start = 0
        for m in _SENTENCE_END.finditer(self.text):
            if m.start() > start:
                yield start, self.text[start : m.start()]
            start = m.end()
        if start < len(self.text):
            yield start, self.text[start:]


@dataclass(frozen=True, slots=True)
class _Body:
    raw: tuple[str, ...]  # body lines, code blocks and comments blanked
    first_line: int  # file line of raw[0]
    headings: tuple[_Heading, ...]
    units: tuple[_Unit, ...]
    plain: tuple[str, ...] = field(default=())  # _plain() of each raw line

    def line_no(self, index: int) -> int:
        return self.first_line + index

    @classmethod
    def parse(cls, text: str, start: int) -> _Body:
        lines = text.split("\n")[start:]
        raw: list[str] = []
        in_fence: str | None = None
        in_comment = False
        for line in lines:
            if in_fence is not None:
                if line.strip().startswith(in_fence):
                    in_fence = None
                raw.append("")
                continue
            fence = _FENCE.match(line)
            if fence and not in_comment:
                in_fence = fence.group(1)
                raw.append("")
                continue
            # HTML comments (template guidance in model cards) are not what the card says.
            out = []
            rest = line
            while rest:
                if in_comment:
                    end = rest.find("-->")
                    if end == -1:
                        rest = ""
                        break
                    rest = rest[end + 3 :]
                    in_comment = False
                else:
                    begin = rest.find("<!--")
                    if begin == -1:
                        out.append(rest)
                        break
                    out.append(rest[:begin])
                    rest = rest[begin + 4 :]
                    in_comment = True
            raw.append("".join(out))
        plain = tuple(_plain(line) for line in raw)
        headings: list[_Heading] = []
        for i, line in enumerate(raw):
            m = _ATX.match(line) or _HTML_HEADING.match(line)
            if m:
                headings.append(
                    _Heading(
                        i,
                        len(m.group(1)) if m.group(1)[0] == "#" else int(m.group(1)),
                        _plain(m.group(2)),
                    )
                )
            elif (b := _BOLD_HEADING.match(line)) and (i == 0 or not raw[i - 1].strip()):
                headings.append(_Heading(i, 7, _plain(b.group(1))))
        first = start + 1
        heading_at = {h.index for h in headings}
        units: list[_Unit] = []
        buf: list[tuple[int, str]] = []

        def flush() -> None:
            if buf:
                units.append(_make_unit(buf, first, "text"))
                buf.clear()

        for i, line in enumerate(raw):
            text_line = plain[i]
            if i in heading_at:
                flush()
                if text_line:
                    units.append(_make_unit([(i, text_line)], first, "heading"))
                continue
            if _TABLE_ROW.match(line):
                flush()
                cells = [_plain(c) for c in line.strip().strip("|").split("|")]
                row = " | ".join(c for c in cells if c and not set(c) <= set(":- "))
                if row:
                    units.append(_make_unit([(i, row)], first, "table"))
                continue
            if not text_line:
                flush()
                continue
            if _LIST_ITEM.match(line):
                flush()
            buf.append((i, text_line))
        flush()
        return cls(tuple(raw), first, tuple(headings), tuple(units), plain)

    def section(self, heading: _Heading) -> tuple[int, int]:
        """The body lines under ``heading``: up to the next heading of its level or higher.

        A bold line standing alone ends at the next heading of any kind."""
        end = len(self.raw)
        for h in self.headings:
            if h.index > heading.index and (h.level <= heading.level or heading.level == 7):
                end = h.index
                break
        return heading.index + 1, end

    def section_words(self, heading: _Heading) -> int:
        """How many words the section says, not counting its subheadings and placeholders."""
        start, end = self.section(heading)
        headings = {h.index for h in self.headings}
        text = " ".join(self.plain[i] for i in range(start, end) if i not in headings)
        return len(re.findall(r"\w+", _PLACEHOLDER.sub(" ", text)))


def _make_unit(buf: Sequence[tuple[int, str]], first: int, kind: Any) -> _Unit:
    starts = []
    text = ""
    for _, line in buf:
        if text:
            text += " "
        starts.append(len(text))
        text += line
    return _Unit(text, tuple(starts), tuple(first + i for i, _ in buf), kind)


# --------------------------------------------------------------------------------------------
# licenses


def _is_companion(name: str) -> bool:
    if name.lower().startswith("readme"):
        return False
    suffix = Path(name.lower().removesuffix(".txt")).suffix
    return bool(_COMPANION.search(name)) and suffix not in _NOT_A_TEXT


def _weight_format(name: str) -> str | None:
    return _WEIGHT_FORMATS.get(Path(name.lower()).suffix)


def _walk_weights(folder: Path) -> list[Path]:
    found: list[Path] = []
    seen = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for n in sorted(names):
            seen += 1
            if _weight_format(n):
                found.append(Path(root) / n)
        if seen > _MAX_WALK:
            break
    return found


def _declared(
    meta: _FrontMatter, path: str, errors: list[str]
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
    by_name: dict[str, Identification], link_target: str | None
) -> tuple[str, Identification] | None:
    """The companion that holds the weights' license: the one ``license_link`` names, else the
    best-named file identified as a license."""
    if link_target is not None:
        for original, ident in by_name.items():
            if _same_file(original, link_target):
                return original, ident
    candidates = [
        (rank, original, ident)
        for original, ident in by_name.items()
        if ident.kind == "license" and not _CODE_LICENSE_FILE.search(original)
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
    meta: _FrontMatter,
    path: str,
    *,
    declared: Normalized | None,
    declared_source: Source | None,
    by_name: dict[str, Identification],
    statements: Sequence[tuple[Normalized, Source]],
    errors: list[str],
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
    chosen = _license_file(by_name, local_link)
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
        file_source = Source(file_ident.path, None, None)

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


_LICENSE_LABEL = re.compile(
    r"^\W*(?:model\s+|weights?\s+)?licen[cs]e(?:\s+type)?\W*[:\uff1a]\s*(?P<value>.+)$|"
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?:model\s+)?licen[cs]e(?:\*\*|__)?\s*[:\uff1a]\s*(?:\*\*|__)?"
    r"\s*(?P<value2>.+)$",
    re.I,
)
_LICENSE_SENTENCE = re.compile(
    r"(?:licen[cs]ed|released|distributed|available|made available|governed)\s+(?:under|by)\s+"
    r"(?:the\s+|an?\s+)?(?P<value>.{3,120})|(?:本项目|本模型|该模型|模型)(?:采用|遵循|使用)\s*(?P<zh>.{3,80})",
    re.I,
)


def _license_statements(body: _Body, path: str) -> tuple[tuple[Normalized, Source], ...]:
    """Licenses the card's text states ("**License:** Apache 2.0", "licensed under the MIT
    License"): a second declaration that may contradict the metadata."""
    out: list[tuple[Normalized, Source]] = []
    seen: set[str] = set()
    for i, raw in enumerate(body.raw):
        if not raw.strip() or _TABLE_ROW.match(raw):
            continue
        found = _license_in_line(raw)
        if found is None or found.expression is None or found.expression in seen:
            continue
        seen.add(found.expression)
        out.append((found, Source(path, body.line_no(i), None)))
    return tuple(out)


def _license_in_line(raw: str) -> Normalized | None:
    label = _LICENSE_LABEL.match(raw)
    if label:
        stated = label.group("value") or label.group("value2") or ""
    else:
        m = _LICENSE_SENTENCE.search(raw)
        if m is None:
            return None
        stated = m.group("value") or m.group("zh") or ""
    stated = _strip_marks(stated).strip()
    link = _LINK.search(stated)
    if link and link.start() < 2:
        # "[Apache 2.0](https://...)": the link text, else the address it points to.
        texts = [link.group(1), link.group(2)]
    else:
        # The name runs to the end of its clause: "the MIT License, see LICENSE".
        texts = [re.split(r"[.;。,\uff0c(\uff08]\s|[.;。]$|\s[-\u2013]\s", _plain(stated))[0]]
    for candidate in texts:
        text = candidate.strip(" *_`:.")
        if not text or len(text) > 120 or _PLACEHOLDER.search(text):
            continue
        result = normalize(text)
        # Only a license the catalog knows: a guessed name from free text would be noise.
        if result.ok and result.matched_by not in {"unlisted-name", "heuristic"}:
            return result
    return None


# --------------------------------------------------------------------------------------------
# gating, base models, datasets


_GATE_ORDER = (
    "gated",
    "extra_gated_prompt",
    "extra_gated_fields",
    "extra_gated_heading",
    "extra_gated_description",
    "extra_gated_button_content",
)


def _gated(meta: _FrontMatter, path: str) -> tuple[bool | None, Source | None]:
    """Gated when ``gated`` says so or any ``extra_gated_*`` field sets up the access form.

    ``gated: false`` wins over leftover form fields (the Hub ignores them then). With no gating
    field at all the card cannot tell: the gate is a repository setting, so ``None``."""
    value = meta.data.get("gated")
    if "gated" in meta.data:
        if value is False or (isinstance(value, str) and value.strip().lower() in {"false", "no"}):
            return False, Source(path, meta.line("gated"), "gated")
        if value:
            return True, Source(path, meta.line("gated"), "gated")
    keys = [k for k in meta.data if k.startswith("extra_gated_") and meta.data[k]]
    if keys:
        key = next((k for k in _GATE_ORDER if k in keys), keys[0])
        return True, Source(path, meta.line(key), key)
    return None, None


_RELATIONS = {"adapter", "merge", "quantized", "finetune"}
_QUANT_TAGS = re.compile(
    r"^(?:gptq|awq|gguf|ggml|exl2|bnb|bitsandbytes|[248]-?bit|quantized|nf4)$", re.I
)
_QUANT_TITLE = re.compile(r"\b(?:GPTQ|AWQ|GGUF|GGML|EXL2|NF4|quant|quants|quantized)\b", re.I)
_QUANT_TEXT = re.compile(
    r"\b(?:quanti[sz]ed\s+(?:version|model|weights|from)|quanti[sz]ation\s+of|"
    r"(?:was|were|been|is|are)\s+quanti[sz]ed|quants?\s+of|"
    r"(?:GPTQ|AWQ|GGUF|EXL2|NF4)\s+(?:quant\w*|version|model|files|format))\b",
    re.I,
)
_MERGE_TEXT = re.compile(
    r"\b(?:merge\s+of|merged\s+(?:model|from|with)|model\s+merge|mergekit)\b", re.I
)


def _relation(meta: _FrontMatter, body: _Body, formats: Sequence[str]) -> str:
    """How this release relates to its base: quantized, merge, adapter or finetune."""
    given = meta.text("base_model_relation")
    if given and given.lower() in _RELATIONS:
        return given.lower()
    tags = [t for t, _ in meta.strings("tags")]
    if meta.data.get("quantized_by") or any(_QUANT_TAGS.match(t) for t in tags):
        return "quantized"
    if any(t.lower() in {"merge", "mergekit"} for t in tags):
        return "merge"
    if (meta.text("library_name") or "").lower() == "peft":
        return "adapter"
    # The opening of the card says what kind of release it is ("NF4 quant of X", "a merge of
    # X and Y"); later mentions are about other releases, so the earliest one counts.
    lines = [line for line in body.plain if line]
    title = " ".join(lines[:2])
    opening = " ".join(lines[:12])
    found = [
        (m.start(), kind)
        for kind, pattern, text in (
            ("quantized", _QUANT_TITLE, title),
            ("quantized", _QUANT_TEXT, opening),
            ("merge", _MERGE_TEXT, opening),
        )
        if (m := pattern.search(text))
    ]
    if found:
        return min(found)[1]
    if formats == ("gguf",):
        return "quantized"
    return "finetune"


# A model page on the Hub: owner/name, or a legacy id without owner ("bert-base-uncased").
_HF_MODEL_URL = re.compile(
    r"^https?://(?:www\.)?(?:huggingface\.co|hf\.co)/"
    r"(?!(?:datasets|spaces|docs|papers|blog|models|organizations|collections|posts|tasks|learn|"
    r"join|login|pricing|settings|enterprise|api)(?:[/?#]|$))"
    r"(?P<id>[\w.\-]+(?:/(?!blob/|tree/|resolve/|raw/)[\w.\-]+)?)",
    re.I,
)
_HF_ID = re.compile(r"^(?P<id>[A-Za-z0-9][\w.\-]*/[A-Za-z0-9][\w.\-]*)")
_BASE_LABEL = re.compile(
    r"^\W*(?:base(?:\s+pretrained)?\s+model(?:\s+type)?|fine-?tuned\s+from(?:\s+model)?|"
    r"finetuned\s+from(?:\s+model)?|parent\s+model|original\s+model|foundation\s+model)"
    r"(?:\s*\[optional\])?\W*[:\uff1a]\s*(?P<value>.+)$",
    re.I,
)
_BASE_CUE = re.compile(
    r"\b(?:(?:fine-?tuned|finetuned|fine\s+tuned)\s+(?:from|on\s+the\s+(?:foundation|basis)\s+of)|"
    r"(?:fine-?tuned|finetuned|quanti[sz]ed)\s+version\s+of|built\s+(?:up)?on(?:\s+top\s+of)?|"
    r"based\s+on|initiali[sz]ed\s+(?:from|with\s+(?:the\s+)?weights\s+of)|distilled\s+from|derived\s+from|quanti[sz]ation\s+of|"
    r"merge\s+of|merged\s+from|converted\s+from|continued\s+pre-?training\s+(?:of|from))\s+",
    re.I,
)
_CUE_RELATION = (
    (re.compile(r"merge", re.I), "merge"),
    (re.compile(r"quanti", re.I), "quantized"),
    (re.compile(r"tun|distill|continued|initiali", re.I), "finetune"),
)
_NAME_LEAD = re.compile(
    r"^(?:(?:the|a|an|of|several|multiple|selected|some|few|two|three|four|these|those)\s+|"
    r"[\w.\-]+['\u2019]s\s+|open[- ]?source\s+|pre-?trained\s+|original\s+)+",
    re.I,
)
_NAME_TAIL = re.compile(
    r"(?:\s+(?:parameter|base|pretrained|pre-trained|language|chat|instruct))*\s+"
    r"(?:models?|fine-?tunes|finetunes|checkpoints?|weights|llms?)\s*$",
    re.I,
)
_NOT_A_MODEL = re.compile(
    r"^\s*(?:architecture|framework|approach|method|paper|structure|technique|design|idea|"
    r"library|pipeline|format|code|repository|dataset|data|(?:model\s+)?card)\b",
    re.I,
)
# A link to a paper, documentation or a model card describes an architecture or a text, not
# the weights a release derives from.
_NOT_A_MODEL_LINK = re.compile(
    r"\bcard\b|model_card|arxiv\.org|openreview\.net|huggingface\.co/(?:docs|papers)/|"
    r"paperswithcode|\.pdf\b",
    re.I,
)
# "evaluation framework based on GPT-4", "images based on text prompts": the thing based on
# something is not the model.
_NOT_DERIVED = re.compile(
    r"\b(?:framework|evaluation|method|approach|benchmark|metrics?|pipeline|system|card|"
    r"tokenizer|scores?|images?|videos?|text|prompts?|outputs?|answers?|responses?|format)\W*$",
    re.I,
)


def _base_models(
    meta: _FrontMatter, body: _Body, path: str, *, name: str, relation: str, errors: list[str]
) -> tuple[BaseModel, ...]:
    """``base_model`` from the metadata, then the bases the text names ("Finetuned from model:
    X", "fine-tuned from X", "a merge of X"). Their licenses are looked up by the release layer."""
    out: list[BaseModel] = []
    # The model itself is not its own base ("based on the pretrained Qwen-72B, we release
    # Qwen-72B-Chat" in Qwen-72B's card).
    own = {name.rsplit("/", 1)[-1].casefold()}
    if body.headings:
        own.add(body.headings[0].title.casefold())
    seen: set[str] = set()

    def add(name: str, source: Source, rel: str) -> None:
        key = name.casefold().strip()
        short = key.rsplit("/", 1)[-1]
        if not key or key in seen or any(s.rsplit("/", 1)[-1] == short for s in seen):
            return
        seen.add(key)
        out.append(BaseModel(name=name, license=None, source=source, relation=rel))

    raw = meta.data.get("base_model")
    if raw is not None and not isinstance(raw, (str, list)):
        errors.append(f"README.md line {meta.line('base_model')}: 'base_model' is not a model id")
    for value, item_line in meta.strings("base_model"):
        add(_model_id(value), Source(path, item_line, "base_model"), relation)

    for i, line in enumerate(body.raw):
        if not line.strip():
            continue
        label = _BASE_LABEL.match(_strip_marks(line))
        if label:
            value = label.group("value")
            found = None if _PLACEHOLDER.search(value) else _model_name(value, strict=False)
            if found:
                add(found, Source(path, body.line_no(i), None), relation)
            continue
        for cue in _BASE_CUE.finditer(line):
            if _NOT_DERIVED.search(_plain(line[: cue.start()])):
                continue
            found = _model_name(line[cue.end() :], strict=True)
            if found and found.casefold() not in own:
                rel = next((r for p, r in _CUE_RELATION if p.search(cue.group(0))), "base")
                add(found, Source(path, body.line_no(i), None), rel)
        if relation == "merge" and _LIST_ITEM.match(line):
            # The models a merge combines are listed one per item: "- **org/model** - ...".
            item = _strip_marks(_LIST_ITEM.sub("", line, count=1))
            m = _HF_ID.match(item)
            if m:
                add(m.group("id").rstrip("."), Source(path, body.line_no(i), None), "merge")
    return tuple(out)


def _strip_marks(text: str) -> str:
    return re.sub(r"\*\*|__|`", "", text)


def _model_id(value: str) -> str:
    m = _HF_MODEL_URL.match(value.strip())
    return m.group("id").rstrip("/") if m else value.strip().rstrip("/")


def _model_name(text: str, *, strict: bool) -> str | None:
    """The model named at the start of ``text``: a Hub link or id, or a versioned name."""
    text = _strip_marks(text).strip()
    text = _NAME_LEAD.sub("", text)
    link = _LINK.match(text)
    if link:
        url_id = _HF_MODEL_URL.match(link.group(2))
        after = text[link.end() :]
        if url_id and not re.search(r"\bcard\b", link.group(1), re.I):
            return url_id.group("id").rstrip("/")
        if _NOT_A_MODEL.match(after) or _NOT_A_MODEL_LINK.search(
            link.group(1) + " " + link.group(2)
        ):
            return None
        text = link.group(1) + after
    text = _plain(text)
    text = _NAME_LEAD.sub("", text)
    m = _HF_ID.match(text)
    if m and not re.match(r"^\d+/\d+", m.group("id")):
        return m.group("id").rstrip(".")
    phrase = re.split(
        r"[,;:()\[\]。\uff0c]|\.\s|\.$|\s(?:on|with|using|and|for|to|in|by|which|that)\s",
        text,
        maxsplit=1,
    )[0]
    words = phrase.split()[:6]
    phrase = _NAME_TAIL.sub("", " ".join(words)).strip(" .*_")
    rest = text[len(phrase) :]
    if not phrase or _NOT_A_MODEL.match(rest.strip()):
        return None
    tokens = phrase.split()
    if not strict:
        return phrase if len(phrase) <= 80 else None
    # A model is named with a version or size ("LLaMA-7B", "Llama V2 70B", "Granite-3B-Code"),
    # which keeps "the BERT framework" or "a transformer" out.
    named = any(re.search(r"\d", t) and re.search(r"[A-Za-z]{2,}", t) for t in tokens) or (
        any(re.search(r"[A-Za-z]{2,}", t) for t in tokens)
        and any(re.fullmatch(r"v?\d+(?:\.\d+)*[bmk]?", t, re.I) for t in tokens)
    )
    if not named or any(re.fullmatch(r"\d+(?:\.\d+)?[bmk]", t, re.I) for t in tokens[:1]):
        return None
    return phrase


def _datasets(meta: _FrontMatter, body: _Body, errors: list[str]) -> tuple[str, ...]:
    raw = meta.data.get("datasets")
    if raw is not None and not isinstance(raw, (str, list)):
        errors.append(f"README.md line {meta.line('datasets')}: 'datasets' is not a list")
    names = [v for v, _ in meta.strings("datasets")]
    return tuple(dict.fromkeys(names))


# --------------------------------------------------------------------------------------------
# what the text says: claims, data, code, documentation

_CLAIM = re.compile(
    r"(?P<src>\bopen[- ]?sourc(?:e[ds]?|ing)\b)|"
    r"(?P<weights>\bopen[- ]weights?\b)|"
    r"(?P<openly>\bopenly\s+(?:releas\w*|licen[cs]ed|available|shar\w*|publish\w*|accessible))|"
    r"(?P<fully>\b(?:fully|truly|completely|totally|100\s?%)\s+open\b)|"
    r"(?P<science>\bopen\s+science\b)|"
    r"(?P<license>\bopen(?:ly)?[- ]licen[cs](?:e[ds]?)\b)|"
    r"(?P<model>\bopen\s+(?:(?:ai|foundation|language|generative)\s+)?(?:models?|llms?)\b)|"
    r"(?P<zh_src>开源|开放源代码)|(?P<zh_fully>完全开放|全面开放|开放权重)",
    re.I,
)
# A phrase that names who or what is open other than this release: "the open-source
# community", "open source datasets", "the Open LLM Leaderboard".
_NOT_SELF = frozenset(
    """community communities ecosystem contributors contributor developers projects project
    software tools tooling libraries library frameworks framework datasets dataset data corpus
    corpora leaderboard initiative initiatives movement world spirit collaboration collaborations
    culture principles values efforts effort research researchers alternative""".split()  # noqa: SIM905 - a word list reads best as prose
)
_PLURAL_OTHERS = frozenset(
    "models llms lms alternatives baselines counterparts competitors peers systems".split()  # noqa: SIM905
)
_COMPARISON = re.compile(
    r"\b(?:outperform\w*|surpass\w*|compar\w*|than|versus|vs\.?|among|other|existing|similar|"
    r"rival\w*|beat\w*|on par|competitive|leading|best|top|previous|prior|mainstream|popular|"
    r"state-of-the-art|sota|many|most|like)\b",
    re.I,
)
_NEGATED = re.compile(
    r"\b(?:not|n't|never|non|nor|no longer|neither)\b(?:[\s-]+\w+){0,2}[\s-]*$", re.I
)
_ZH_NOT_SELF = re.compile(r"^(?:的)?.{0,3}?(?:社区|生态|语料|数据|项目|工具|软件|框架)")
_ZH_COMPARISON = re.compile(r"超越|超过|相比|对比|优于|领先|主流|现有|其他|其它|同类|同等|之中")
_CLAIM_KIND: dict[str, Literal["open-source", "open", "open-weights", "open-science"]] = {
    "src": "open-source",
    "zh_src": "open-source",
    "weights": "open-weights",
    "science": "open-science",
}


def _claims(body: _Body, path: str) -> Iterator[Claim]:
    """Sentences in which the card says that this model (or the release it builds on) is open.

    Not claims: the phrase describing someone else ("outperforms open-source chat models",
    "compared with other open-source models"), a community or dataset ("shout out to the open
    source community", "open source instruction datasets"), or a negation ("not open source")."""
    seen: set[tuple[int, str]] = set()
    for unit in body.units:
        for offset, sentence in unit.sentences():
            for m in _CLAIM.finditer(sentence):
                group = m.lastgroup or ""
                if not _is_claim(sentence, m, group):
                    continue
                line = unit.line_at(offset + m.start())
                text = _quote(sentence, m.start(), m.end())
                if (line, text) in seen:
                    break
                seen.add((line, text))
                kind = _CLAIM_KIND.get(group, "open")
                if re.match(r"[- ]?sourc", sentence[m.end() :], re.I):
                    kind = "open-source"  # "fully open source", "truly open-source"
                yield Claim(text=text, source=Source(path, line, None), kind=kind)
                break


def _is_claim(sentence: str, m: re.Match[str], group: str) -> bool:
    before = sentence[: m.start()]
    after = sentence[m.end() :]
    if group.startswith("zh"):
        if _ZH_NOT_SELF.match(after):
            return False
        # "开源模型中" (among open-source models) and comparisons name other models.
        return not (
            after.startswith(("模型中", "模型里"))
            or (after.startswith("模型") and bool(_ZH_COMPARISON.search(before)))
        )
    if _NEGATED.search(before[-30:]):
        return False
    next_words = re.findall(r"[\w/-]+", after.lower())[:4]
    if any(w.strip("-/") in _NOT_SELF for w in next_words[:3]):
        return False
    if group == "license" and re.match(r"\s*(?:agreement|terms)", after, re.I):
        return True
    if group == "model" and re.match(r"\s*licen[cs]e", after, re.I):
        return False  # a license named "Open Model License" is a name, not a statement
    noun_plural = group == "model" and m.group(0).lower().endswith("s")
    # "open-source models" in a comparison are other models; "these open models" are ours.
    plural = noun_plural or any(w in _PLURAL_OTHERS for w in next_words)
    ours = re.search(
        r"\b(?:these|our|its)\s*$|\bone\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", before, re.I
    )
    return not (plural and _COMPARISON.search(sentence) and not ours)


def _quote(sentence: str, start: int, end: int, width: int = 300) -> str:
    if len(sentence) <= width:
        return sentence.strip()
    lo = max(0, min(start - width // 3, len(sentence) - width))
    text = sentence[lo : lo + width].strip()
    return ("..." if lo else "") + text + ("..." if lo + width < len(sentence) else "")


_DATA_HEADING = re.compile(
    r"(?:\b(?:training|pre-?training|fine-?tuning|finetuning|sft|instruction|tuning|train)\s*"
    r"(?:data|dataset|datasets|corpus|corpora|mixture|set)\b)|"
    r"^(?:the\s+)?(?:data|dataset|datasets|data\s*sets?|corpus|data\s+sources?|datasets?\s+used|"
    r"training\s+and\s+evaluation\s+data|data\s+collection)\s*:?$|训练数据|预训练数据|数据集|训练语料",
    re.I,
)
_EVAL_HEADING = re.compile(r"evaluat|test|benchmark|calibrat|gptq|quanti|eval\b|评测|评估", re.I)
_TRAIN_WORD = re.compile(r"train|tun|sft|训练|微调", re.I)


def _evaluation_only(title: str) -> bool:
    """An evaluation or calibration heading ("Evaluation data", "GPTQ dataset"), unless it is
    also about training ("Training and evaluation data")."""
    return bool(_EVAL_HEADING.search(title)) and not _TRAIN_WORD.search(title)


_DATA_NOUN = (
    r"(?:data|dataset|datasets|corpus|corpora|tokens|hours|images|image-text|pairs|samples|"
    r"examples|conversations|dialogues|instructions|documents|languages|captions|subsets?|"
    r"mixture|texts|web\s*crawl|crawl)"
)
_DATA_SENTENCES = (
    re.compile(
        # "." inside a number ("1.2 trillion tokens") does not end the phrase.
        r"\b(?:pre-?trained|trained|fine-?tuned|finetuned|tuned|distilled)\b(?:[^.;]|\.\d){0,40}?"
        r"\b(?:on|using|with|in)\b(?:[^.;]|\.\d){0,80}?\b" + _DATA_NOUN + r"\b",
        re.I,
    ),
    re.compile(
        r"\b(?:training|pre-?training|fine-?tuning|finetuning|sft|instruction)[- ]"
        r"(?:data|dataset|datasets|corpus|corpora|mixture)\b[^.]{0,20}?"
        r"\b(?:includes?|included|consists?|consisted|comprises?|comprised|is|was|are|were|"
        r"comes?|came|contains?|contained|covers?|has|had)\b",
        re.I,
    ),
    re.compile(r"\bsynthetic\b[^.]{0,60}\btrain\w*|\btrain\w*\b[^.]{0,60}\bsynthetic\b", re.I),
    re.compile(
        r"(?:训练|预训练|微调)[^。]{0,30}(?:数据|语料|数据集|tokens?)|(?:数据|语料|数据集)[^。]{0,30}(?:训练|预训练|微调)"
    ),
)
_DATA_LABEL = re.compile(
    r"^\W*(?:training|pre-?training|fine-?tuning|sft)?\s*(?:data|dataset|datasets|corpus)"
    r"(?:\s+sources?)?\s*(?:\*\*|__)?\s*[:\uff1a]\s*(?:\*\*|__)?\s*(?P<value>.+)$",
    re.I,
)


def _data_sections(body: _Body) -> list[_Heading]:
    return [
        h for h in body.headings if _DATA_HEADING.search(h.title) and not _evaluation_only(h.title)
    ]


def _data_information(
    meta: _FrontMatter, body: _Body, path: str, relation: str
) -> tuple[bool | None, Source | None] | None:
    """Is the training data described? ``(True, where)``, ``(False, None)`` when nothing is said,
    ``(None, None)`` for a quantization or merge that says nothing (no new training: the data
    is the base model's, documented there)."""
    if meta.strings("datasets"):
        return True, Source(path, meta.line("datasets"), "datasets")
    for h in _data_sections(body):
        if body.section_words(h) >= 4:
            return True, Source(path, body.line_no(h.index), None)
    for i, line in enumerate(body.raw):
        label = _DATA_LABEL.match(_strip_marks(line)) if line.strip() else None
        if label and not _evaluation_only(line.split(":")[0]):
            value = _PLACEHOLDER.sub(" ", _plain(label.group("value")))
            if len(re.findall(r"\w+", value)) >= 4:
                return True, Source(path, body.line_no(i), None)
    for unit in body.units:
        if unit.kind == "table":
            continue
        for offset, sentence in unit.sentences():
            for pattern in _DATA_SENTENCES:
                m = pattern.search(sentence)
                if m and not _calibration(sentence) and not _DATA_UNKNOWN.search(sentence):
                    return True, Source(path, unit.line_at(offset + m.start()), None)
    if relation in {"quantized", "merge"}:
        return None, None
    return False, None


# "fine-tuned on an unknown dataset" (what the Trainer writes when it was not told), "the
# None dataset", "the data is not disclosed": the sentence names no data.
_DATA_UNKNOWN = re.compile(
    r"\b(?:unknown|none|undisclosed|unspecified|unnamed)\s+(?:data|dataset|datasets|corpus)\b|"
    r"\bnot\s+(?:be\s+)?(?:disclosed|released|made\s+public|shared)\b",
    re.I,
)


def _calibration(sentence: str) -> bool:
    """Quantization boilerplate talks about its calibration dataset, not the training data."""
    return bool(re.search(r"\b(?:gptq|awq|quanti[sz]ation|calibration)\b", sentence, re.I))


_DATASET_URL = re.compile(
    r"https?://(?:www\.)?(?:(?:huggingface\.co|hf\.co)/datasets/[\w.\-]+(?:/[\w.\-]+)?|"
    r"kaggle\.com/datasets/[\w.\-]+/[\w.\-]+|zenodo\.org/records?/\d+|"
    r"commoncrawl\.org|laion\.ai/blog/laion-[\w-]+)",
    re.I,
)


def _dataset_links(meta: _FrontMatter, body: _Body, path: str) -> list[Source]:
    """Where the training data itself is published: the ``datasets`` field (Hub datasets) and
    dataset links inside a training-data section."""
    out: list[Source] = []
    for _, line in meta.strings("datasets")[:1]:
        out.append(Source(path, line, "datasets"))
    for h in _data_sections(body):
        start, end = body.section(h)
        for i in range(start, end):
            if _DATASET_URL.search(body.raw[i]) and not _calibration(body.raw[i]):
                out.append(Source(path, body.line_no(i), None))
    return out


_CODE_URL = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org|gitee\.com)/"
    r"(?P<owner>[\w.\-]+)/(?P<repo>[\w.\-]+)(?P<rest>[^\s)\]\"'>]*)",
    re.I,
)
# Training code is named as such ("training code", "scripts to fine-tune", "both training and
# inference"); "trained on our format" or "pretrained encoder" near a link is not it.
_TRAIN_CONTEXT = re.compile(
    r"\b(?:training|fine-?tuning|finetuning|pre-?training)\s+(?:code|codes|scripts?|recipes?|"
    r"codebase|repo|repository)\b|\b(?:code|scripts?|recipes?)\s+(?:for|to)\s+(?:training|train|"
    r"fine-?tun\w*|finetun\w*|pre-?train\w*)\b|\btraining\s+and\s+inference\b|"
    r"\b(?:train|fine-?tune|finetune)\s+(?:your\s+own|the\s+model|a\s+model)\b|训练代码|微调代码",
    re.I,
)
_CODE_CONTEXT = re.compile(
    r"\b(?:code|codebase|repo|repository|github|gitlab|source\s+code|implementation|inference|"
    r"demo|scripts?)\b|代码|仓库",
    re.I,
)
# Links into a repository that are not its code: a license text, an image, an issue.
_NOT_CODE = re.compile(
    r"/(?:blob|raw|tree)/[^/]+/.*(?:licen[cs]e|\.png|\.jpe?g|\.gif|\.svg|\.pdf)|"
    r"/(?:issues|pulls|discussions|releases/download)\b",
    re.I,
)


def _code_links(body: _Body, path: str) -> tuple[list[Source], list[Source]]:
    """Links to code repositories, sorted into training code and other (inference) code by the
    words around them ("training code", "Repository:", "inference demo code")."""
    training: list[Source] = []
    other: list[Source] = []
    for i, line in enumerate(body.raw):
        for m in _CODE_URL.finditer(line):
            if m.group("owner").lower() in {"user-attachments", "assets"} or _NOT_CODE.search(
                m.group("rest")
            ):
                continue
            context = body.plain[i] + " " + m.group("repo")
            source = Source(path, body.line_no(i), None)
            if _TRAIN_CONTEXT.search(context):
                training.append(source)
            elif _CODE_CONTEXT.search(context):
                other.append(source)
    return _unique(training), _unique(other)


def _unique(sources: Iterable[Source]) -> list[Source]:
    return list(dict.fromkeys(sources))


_DOC_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("intended-use", re.compile(r"\b(?:intended|direct|downstream)\s+uses?\b|^uses?$|用途", re.I)),
    ("out-of-scope", re.compile(r"out[- ]of[- ]scope|prohibited\s+uses?|excluded\s+uses?", re.I)),
    ("misuse", re.compile(r"\bmisuse|malicious|\babuse", re.I)),
    ("limitations", re.compile(r"limitation|局限", re.I)),
    ("risks", re.compile(r"\brisks?\b|ethic|harm|风险|伦理", re.I)),
    ("bias", re.compile(r"\bbias|fairness|偏见", re.I)),
    ("safety", re.compile(r"\bsafety\b|responsible\s+ai|安全", re.I)),
    ("training-data", _DATA_HEADING),
    ("training", re.compile(r"^training\b|training\s+(?:procedure|details|setup)|训练", re.I)),
    ("evaluation", re.compile(r"evaluat|benchmark|results|performance|metrics|评测|评估", re.I)),
    ("environmental-impact", re.compile(r"environmental|carbon|co2|emission", re.I)),
)


def _documentation(body: _Body) -> tuple[str, ...]:
    """The topics the card documents: sections with something in them (not the template's
    "[More Information Needed]")."""
    found: set[str] = set()
    for h in body.headings:
        topics = {t for t, pattern in _DOC_TOPICS if pattern.search(h.title)}
        if "training-data" in topics and _evaluation_only(h.title):
            topics.discard("training-data")
        if topics and body.section_words(h) >= 4:
            found |= topics
    return tuple(t for t, _ in _DOC_TOPICS if t in found)

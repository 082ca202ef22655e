"""The model card's front matter: the YAML fields with their lines, and the facts read from them
alone (gating, datasets).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from openlicense.errors import ReleaseFormatError
from openlicense.model import Source
from openlicense.read.text import TextInput
from openlicense.release.hf.markdown import _Body
from openlicense.release.hf.phrases import words


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
        key = next((k for k in words("gate_fields") if k in keys), keys[0])
        return True, Source(path, meta.line(key), key)
    return None, None


def _datasets(meta: _FrontMatter, body: _Body, errors: list[str]) -> tuple[str, ...]:
    raw = meta.data.get("datasets")
    if raw is not None and not isinstance(raw, (str, list)):
        errors.append(f"README.md line {meta.line('datasets')}: 'datasets' is not a list")
    names = [v for v, _ in meta.strings("datasets")]
    return tuple(dict.fromkeys(names))

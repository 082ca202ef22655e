"""The YAML front matter of a model card: the block between a first ``---`` line and the next
``---`` (or ``...``) line, read into a mapping with the file line of every top-level key.

One reading for everyone: the Hugging Face reader (:mod:`openlicense.release.hf`) takes the
declared license, base models and datasets from it, and ``scan``'s pre-pass
(:func:`openlicense.batch.corpus.corpus_base_licenses`) takes the license of every model that
another model of the same corpus builds on. Both must agree on what a card declares.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from openlicense.errors import ReleaseFormatError
from openlicense.read.text import TextInput
from openlicense.read.yaml import load_yaml

__all__ = ["FrontMatter", "parse_front_matter", "read_front_matter"]


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The fields of the front matter, where each sits in the file, and where the body starts."""

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


def read_front_matter(doc: TextInput) -> FrontMatter:
    """The front matter of a card read with :func:`openlicense.read.text.read_text_file`."""
    return parse_front_matter(doc.text, path=doc.path)


def parse_front_matter(text: str, *, path: str | None = None) -> FrontMatter:
    """The YAML between the leading ``---`` lines, with the line of every top-level key.

    Text that does not open with a ``---`` line has no front matter (empty ``data``). The YAML
    is read by :func:`openlicense.read.yaml.load_yaml` (safe, with limits on size, depth and
    aliases checked before expansion). Front matter that is never closed, is not valid YAML,
    is past a limit, or is not a mapping raises
    :class:`~openlicense.errors.ReleaseFormatError` naming the line (``path`` is the file's).
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter({}, {}, {}, 0)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise ReleaseFormatError(
            "line 1: the front matter opened with '---' is never closed by a '---' line",
            path=path,
        )
    source = "\n".join(lines[1:end])
    first = 2  # file line of the front matter's first line
    root, data = load_yaml(source, path=path, first_line=first, what="the front matter")
    if root is None:
        return FrontMatter({}, {}, {}, end + 1)
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise ReleaseFormatError(
            f"line {first}: the front matter is {kind}, not a mapping of fields", path=path
        )
    key_lines: dict[str, int] = {}
    item_lines: dict[str, tuple[int, ...]] = {}
    errors: list[str] = []
    for key_node, value_node in root.value:
        key = str(key_node.value)
        line = first + key_node.start_mark.line
        if key in key_lines:
            errors.append(
                f"{Path(path or 'README.md').name} line {line}: duplicate front-matter "
                f"field {key!r} (YAML keeps the last one)"
            )
        key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = tuple(first + item.start_mark.line for item in value_node.value)
    return FrontMatter(
        {str(k): v for k, v in data.items()}, key_lines, item_lines, end + 1, tuple(errors)
    )

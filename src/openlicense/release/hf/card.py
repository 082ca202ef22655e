"""The model card's front matter: the YAML fields with their lines, and the facts read from them
alone (gating, datasets).
"""

from __future__ import annotations

import datetime
from typing import Any

from openlicense.model import Source
from openlicense.read.frontmatter import FrontMatter
from openlicense.release.hf.markdown import _Body
from openlicense.release.hf.phrases import words


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


def _gated(meta: FrontMatter, path: str) -> tuple[bool | None, Source | None]:
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


def _datasets(meta: FrontMatter, body: _Body, errors: list[str]) -> tuple[str, ...]:
    raw = meta.data.get("datasets")
    if raw is not None and not isinstance(raw, (str, list)):
        errors.append(f"README.md line {meta.line('datasets')}: 'datasets' is not a list")
    names = [v for v, _ in meta.strings("datasets")]
    return tuple(dict.fromkeys(names))

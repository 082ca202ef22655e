"""ScanCode's license matcher, loaded lazily and once per process.

Loading ScanCode's prebuilt index takes several seconds and over a gigabyte, so nothing here
happens at import: the index loads on the first text that the fast path of
:mod:`openlicense.identification` cannot settle, and is then shared by every later call (a
lock keeps two threads from loading it twice). Matches come back as plain values with
ScanCode's license expression, rule, coverage and lines; :func:`to_spdx` turns ScanCode keys
into the catalog's SPDX form.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from openlicense import expression as ex
from openlicense.catalog import Catalog, get_catalog

__all__ = ["ScanMatch", "index_loaded", "scancode_matches", "to_spdx"]

_lock = threading.Lock()
# The one ScanCode index of this process, once loaded (a dict, so no `global` is needed).
_loaded: dict[str, Any] = {}


@dataclass(frozen=True, slots=True)
class ScanMatch:
    """One ScanCode match of a rule against the text."""

    expression: str  # ScanCode license expression (ScanCode keys)
    rule: str  # rule identifier, e.g. "apache-2.0.LICENSE" or "mit_12.RULE"
    coverage: float  # how much of the rule matched, 0-100
    score: float
    start_line: int
    end_line: int
    matcher: str  # "1-hash", "2-aho", "3-seq", ...
    is_license_text: bool  # the rule is a whole license text, not a notice or a reference
    matched_words: int  # length of the match in ScanCode tokens
    rule_words: int  # length of the rule in ScanCode tokens


def _get_index() -> Any:
    if "index" not in _loaded:
        with _lock:
            if "index" not in _loaded:
                from licensedcode.cache import get_index

                _loaded["index"] = get_index()
    return _loaded["index"]


def index_loaded() -> bool:
    """Has this process loaded ScanCode's index (for tests and benchmarks of the fast path)?"""
    return "index" in _loaded


#: Longest time ScanCode's approximate matching may take on one text. Past it ScanCode
#: returns what it has matched so far, so one pathological file cannot stall a batch.
MATCH_DEADLINE_SECONDS = 60.0


def scancode_matches(text: str, *, deadline: float = MATCH_DEADLINE_SECONDS) -> list[ScanMatch]:
    """Run ScanCode's matcher over ``text`` (loading its index on first use)."""
    import time

    idx = _get_index()
    out = []
    for m in idx.match(query_string=text, deadline=time.time() + deadline):
        rule = m.rule
        start, end = m.lines()
        out.append(
            ScanMatch(
                expression=str(rule.license_expression),
                rule=str(rule.identifier),
                coverage=float(m.coverage()),
                score=float(m.score()),
                start_line=int(start),
                end_line=int(end),
                matcher=str(m.matcher),
                is_license_text=bool(
                    getattr(rule, "is_license_text", False)
                    or getattr(rule, "is_from_license", False)
                ),
                matched_words=int(m.len()),
                rule_words=int(getattr(rule, "length", 0) or m.len()),
            )
        )
    return out


def to_spdx(scancode_expression: str, catalog: Catalog | None = None) -> str | None:
    """A ScanCode license expression (``gpl-2.0-plus WITH classpath-exception-2.0``) in the
    catalog's canonical SPDX form, or None if a key is unknown."""
    catalog = catalog or get_catalog()
    try:
        tree = ex.parse(scancode_expression)
    except ValueError:
        return None

    def convert(leaf: ex.License | ex.LicenseRef | ex.With) -> ex.Expression:
        if isinstance(leaf, ex.With):
            base = convert(leaf.license)
            exception = catalog.scancode_exception(leaf.exception)
            if exception is None or not isinstance(base, (ex.License, ex.LicenseRef)):
                raise LookupError(leaf.exception)
            return ex.With(base, exception)
        key = leaf.id.lower()
        if key.startswith("licenseref-scancode-"):
            key = key.removeprefix("licenseref-scancode-")
        canonical = catalog.scancode(key + ("-plus" if getattr(leaf, "or_later", False) else ""))
        if canonical is None:
            raise LookupError(key)
        return catalog.expression(canonical)

    try:
        return ex.render(ex.simplify(ex.map_leaves(tree, convert)))
    except LookupError:
        return None

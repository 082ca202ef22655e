"""The reference texts: ScanCode's license texts and whole-text rules, read as data files.

Only the files of the installed ``licensedcode`` package are read (``data/licenses/*.LICENSE``
and ``data/rules/*.RULE``, each a YAML front matter between ``---`` lines followed by the text);
ScanCode's own index and matching engine are never imported. Locating the package with
:func:`importlib.util.find_spec` does not execute it.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from openlicense.errors import OpenLicenseError

__all__ = [
    "Reference",
    "ReferenceDataError",
    "data_version",
    "iter_references",
    "preferred",
    "reference_text",
    "scancode_data_dir",
    "spdx_id",
]


class ReferenceDataError(OpenLicenseError, RuntimeError):
    """The ScanCode license data files are not installed or not readable."""


@dataclass(frozen=True, slots=True)
class Reference:
    """One reference text and the license it is a text of."""

    key: str  # ScanCode license key
    spdx_id: str  # the id a report names: SPDX id, else LicenseRef-scancode-<key>
    kind: str  # "license" or "exception"
    path: str  # relative to the data folder: "licenses/mit.LICENSE", "rules/mit_12.RULE"

    @property
    def is_rule(self) -> bool:
        return self.path.startswith("rules/")


@functools.cache
def scancode_data_dir() -> Path:
    """The ``licensedcode/data`` folder of the installed scancode-toolkit."""
    spec = importlib.util.find_spec("licensedcode")
    if spec is None or not spec.submodule_search_locations:
        raise ReferenceDataError("scancode-toolkit is not installed: no license reference data")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    if not (data / "licenses").is_dir():
        raise ReferenceDataError(f"no ScanCode license data under {data}")
    return data


@functools.cache
def data_version() -> str:
    """The version of the installed ScanCode license data (the scancode-toolkit version)."""
    # the dist-info folder next to the package names the version; importlib.metadata would
    # scan every installed distribution, a tenth of a second at start-up
    site = scancode_data_dir().parent.parent
    for info in site.glob("scancode_toolkit-*.dist-info"):
        return info.name.removeprefix("scancode_toolkit-").removesuffix(".dist-info")
    import importlib.metadata

    try:
        return importlib.metadata.version("scancode-toolkit")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _split(raw: str) -> tuple[dict[str, str], str]:
    """Top-level ``key: value`` pairs of the front matter, and the text after it."""
    if not raw.startswith("---"):
        return {}, raw
    end = raw.find("\n---", 3)
    if end < 0:
        return {}, raw
    meta: dict[str, str] = {}
    for line in raw[3:end].splitlines():
        if line and not line[0].isspace() and ":" in line and not line.startswith("-"):
            name, _, value = line.partition(":")
            meta[name.strip()] = value.strip().strip("'\"")
    body_start = raw.find("\n", end + 4)
    return meta, raw[body_start + 1 :] if body_start >= 0 else ""


def spdx_id(key: str, spdx_license_key: str) -> str:
    """The id a report names for a ScanCode license (vocabulary, section 1)."""
    return spdx_license_key or f"LicenseRef-scancode-{key}"


def reference_text(path: str) -> str:
    """The text of a reference (without its front matter)."""
    raw = (scancode_data_dir() / path).read_text(encoding="utf-8", errors="replace")
    return _split(raw)[1]


def iter_references() -> Iterator[tuple[Reference, str]]:
    """Every non-deprecated license text and single-license whole-text rule, with its text."""
    data = scancode_data_dir()
    licenses: dict[str, tuple[str, str]] = {}
    texts: list[tuple[Reference, str]] = []
    for path in sorted((data / "licenses").glob("*.LICENSE")):
        meta, text = _split(path.read_text(encoding="utf-8", errors="replace"))
        key = meta.get("key", path.stem)
        if meta.get("is_deprecated") == "yes":
            continue
        kind = "exception" if meta.get("is_exception") == "yes" else "license"
        ident = spdx_id(key, meta.get("spdx_license_key", ""))
        licenses[key] = (ident, kind)
        if text.strip():
            texts.append((Reference(key, ident, kind, f"licenses/{path.name}"), text))
    # texts of SPDX-listed licenses first: where two licenses have the same text, an index keeps
    # the first, and a report should name the SPDX id
    texts.sort(key=lambda rt: rt[0].spdx_id.startswith("LicenseRef-"))
    yield from texts
    for path in sorted((data / "rules").glob("*.RULE")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        if "is_license_text: yes" not in raw[:2000]:
            continue
        meta, text = _split(raw)
        expression = meta.get("license_expression", "")
        if meta.get("is_license_text") != "yes" or meta.get("is_deprecated") == "yes":
            continue
        # A rule of several licenses ("mit and apache-2.0") is found as its parts, each with
        # its lines, by the greedy cover; one of one license whose key is gone is skipped.
        if " " in expression or expression not in licenses or not text.strip():
            continue
        ident, kind = licenses[expression]
        yield Reference(expression, ident, kind, f"rules/{path.name}"), text


def preferred(refs: Sequence[Reference]) -> Reference:
    """The one a match names, of references whose texts fold to exactly the same words.

    An index keeps such texts once (ScanCode files some texts under several keys: its rule
    ``other-permissive_295`` is the COIL-1.0 text), so which key the answer names is decided
    here, by a rule rather than by the order the data happened to be read in:

    1. a reference of a license on the SPDX list: its ScanCode ``spdx_license_key`` is an SPDX
       id, or the catalog maps its key to one (ScanCode lags the list: ``openmdw-1.0``);
    2. the text the catalog names for that license: the ``scancode:<key>`` of its ``text``
       locator, else (``spdx:<id>``) its ScanCode key; a license file, never a rule, which is
       ScanCode's extra copy and may be filed under another key (``ppl_1`` holds ODC-By's text);
    3. a stable order: license texts before rules, then by path.

    When all of them are of one key, 1 and 2 cannot tell them apart and the catalog is not read.
    """
    stable = sorted(refs, key=lambda r: (r.is_rule, r.path))
    if len({r.key for r in stable}) <= 1:
        return stable[0]
    from openlicense.catalog import get_catalog

    catalog = get_catalog()

    def rank(ref: Reference) -> tuple[bool, bool]:
        if ref.kind == "exception":
            canonical = catalog.scancode_exception(ref.key) or ref.spdx_id
        else:
            canonical = catalog.scancode(ref.key) or ref.spdx_id
        on_spdx_list = not ref.spdx_id.startswith("LicenseRef-") or not canonical.startswith(
            "LicenseRef-"
        )
        entry = catalog.get(canonical)
        own = False
        if entry is not None and not ref.is_rule:
            scheme, _, named = (entry.text or "").partition(":")
            if scheme == "spdx":
                named = entry.scancode_key or ""
            own = scheme in ("scancode", "spdx") and ref.key == named
        return (not on_spdx_list, not own)

    return min(stable, key=rank)  # the first of the best: ties keep the stable order

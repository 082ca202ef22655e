"""What the report formats share: paths as URIs, document namespaces, license references.

Nothing here reads a file: paths are handled as strings, and absolute ones are cited relative
to the subject's folder, so the same report gives the same output wherever the checkout lives.
The clock is read only by :func:`timestamp`, and only when the caller gives no time.
"""

from __future__ import annotations

import json
import posixpath
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from urllib.parse import quote

from openlicense import __version__
from openlicense.model import Component, Release
from openlicense.normalization import Normalized
from openlicense.report import Report

__all__ = [
    "AVAILABILITY",
    "DOWNLOAD_KEYS",
    "INFORMATION_URI",
    "PathMapper",
    "RefInfo",
    "cite",
    "component_sources",
    "describe_ref",
    "document_namespace",
    "license_comment",
    "metadata_text",
    "metadata_url",
    "one_line",
    "review_notes",
    "rule_help_uri",
    "slug",
    "timestamp",
    "verdict_details",
    "verdict_line",
]

#: Where people learn about openlicense (SARIF ``informationUri``, SPDX tool references).
INFORMATION_URI = "https://github.com/openlicense/openlicense"
_DOCS_URI = f"{INFORMATION_URI}/blob/main/docs"
_SCANCODE_LICENSEDB = "https://scancode-licensedb.aboutcode.org"
_SPDX_LICENSES = "https://spdx.org/licenses"


def rule_help_uri(name: str) -> str:
    """The documentation page of one rule (generated into ``docs/rules/``)."""
    return f"{_DOCS_URI}/rules/{name}.md"


def timestamp(created: datetime | None) -> datetime:
    """The creation time of a document: ``created`` in UTC to the second, or now.

    The clock is read only when the caller gives no time: pass one for reproducible output.
    """
    moment = created if created is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def slug(text: str, *, allowed: str = r"A-Za-z0-9.\-") -> str:
    """``text`` with every run of characters outside ``allowed`` replaced by one ``-``."""
    return re.sub(rf"[^{allowed}]+", "-", text).strip("-") or "x"


def document_namespace(report: Report, created: datetime, paths: PathMapper) -> str:
    """A URI unique to this report and creation time, the same for the same inputs.

    SPDX asks for a namespace unique to each document; a UUID derived (version 5) from the
    report's JSON (paths as cited) and the creation time is unique without a random source.
    """
    content = paths.text(json.dumps(report.to_dict(), sort_keys=True, default=str))
    ident = uuid.uuid5(uuid.NAMESPACE_URL, f"{INFORMATION_URI}#{content}#{created.isoformat()}")
    return f"https://spdx.org/spdxdocs/openlicense-{__version__}/{slug(report.name)}-{ident}"


# --------------------------------------------------------------------------------------------
# paths


class PathMapper:
    """Turns the paths a report cites into relative URIs, as SARIF and readers expect.

    Relative paths are kept as given (they are relative to where openlicense ran, the usual
    source root of a CI job). Absolute paths are made relative to ``base`` when given, else to
    the deepest folder that holds every subject, so that output does not depend on where a
    checkout lives. An absolute path outside that folder becomes a ``file://`` URI.
    """

    def __init__(self, reports: Sequence[Report], base: str | None = None) -> None:
        if base is None:
            folders = [_folder(r.path) for r in reports if r.path]
            absolute = [f for f in folders if PurePath(f).is_absolute()]
            base = posixpath.commonpath(absolute) if absolute else None
        self.base = PurePath(base).as_posix() if base else None

    def relative(self, path: str) -> str:
        """``path`` as a relative POSIX path when it can be one, else as an absolute one."""
        pure = PurePath(path)
        posix = pure.as_posix()
        if not pure.is_absolute():
            return posixpath.normpath(posix)
        if self.base is not None and (posix == self.base or posix.startswith(self.base + "/")):
            return posixpath.relpath(posix, self.base)
        return posix

    def text(self, text: str) -> str:
        """``text`` (a message that may cite files) with ``base/`` left out of its paths."""
        return text.replace(self.base.rstrip("/") + "/", "") if self.base else text

    def uri(self, path: str) -> tuple[str, bool]:
        """The URI for ``path`` and whether it is relative."""
        rel = self.relative(path)
        if PurePath(rel).is_absolute():
            return PurePath(path).as_uri(), False
        return quote(rel, safe="/"), True


def _folder(path: str) -> str:
    """The folder of a subject's evidence: the folder of the file read, or the folder named.

    A report's path is the file read (README.md, LICENSE, a MOT file) or, when reading failed,
    what the user named; without looking at the disk, a name with a suffix or a license-file
    name is taken for a file.
    """
    pure = PurePath(path)
    is_file = bool(pure.suffix) or pure.name.upper() in _FILE_NAMES
    return (pure.parent if is_file else pure).as_posix()


_FILE_NAMES = frozenset({"LICENSE", "COPYING", "NOTICE", "README"})


# --------------------------------------------------------------------------------------------
# license references


@dataclass(frozen=True, slots=True)
class RefInfo:
    """What a document says about one ``LicenseRef-`` it uses (never a copied license text)."""

    license_id: str
    name: str
    statement: str
    urls: tuple[str, ...]


def describe_ref(license_id: str, *, stands_for: str | None = None) -> RefInfo:
    """Name, statement and links for a license reference, from openlicense's catalog.

    ``stands_for`` is the SPDX expression (an id, or an id with an exception) a reference was
    made for because a tool's license list lacks it: SPDX 2.3 documents can only name the ids
    their tools know.
    """
    from openlicense.catalog import get_catalog

    entry = get_catalog().get((stands_for or license_id).removesuffix("+"))
    urls: list[str] = []
    if stands_for is not None and " " not in stands_for:
        urls.append(f"{_SPDX_LICENSES}/{stands_for.removesuffix('+')}.html")
    if entry is not None:
        urls.extend(u for u in entry.urls if _is_url(u))
        if entry.scancode_key and entry.namespace == "scancode":
            urls.append(f"{_SCANCODE_LICENSEDB}/{entry.scancode_key}.html")
    urls = list(dict.fromkeys(urls))

    name = entry.name if entry is not None else stands_for or _name_from_ref(license_id)
    if stands_for is not None:
        what = "license with this exception" if " " in stands_for else "identifier"
        statement = (
            f"Stands for {stands_for} ({name}), an SPDX {what} that the tools that wrote "
            f"this document do not know."
        )
    elif entry is not None:
        where = (
            "the ScanCode LicenseDB" if entry.namespace == "scancode" else "openlicense's catalog"
        )
        statement = f"{name}: a license in {where}, identified by openlicense."
    else:
        statement = (
            f"{name}: a license openlicense does not catalog; its terms are in the release "
            "that declares it."
        )
    statement += " Its text is not copied here" + (": see " + " ".join(urls) if urls else ".")
    return RefInfo(license_id, name, statement, tuple(urls))


def _name_from_ref(license_id: str) -> str:
    key = re.sub(r"^LicenseRef-(?:openlicense-(?:unlisted-)?|scancode-)?", "", license_id)
    return key.replace("-", " ").strip() or license_id


def _is_url(text: str) -> bool:
    return bool(re.match(r"^https?://[^\s]+$", text))


# --------------------------------------------------------------------------------------------
# texts the SPDX documents share


def metadata_text(release: Release | None, key: str) -> str | None:
    """A non-empty text field of the release's raw metadata (MOT ``producer``, ``version``...)."""
    value = release.metadata.get(key) if release else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def metadata_url(release: Release | None, *keys: str) -> str | None:
    """The first of ``keys`` whose metadata value is an http(s) URL (MOT ``huggingface``...)."""
    for key in keys:
        value = metadata_text(release, key)
        if value and _is_url(value):
            return value
    return None


#: The metadata keys that say where a component can be downloaded (Model Openness Tool files).
DOWNLOAD_KEYS = {
    "release": ("huggingface", "repository", "github"),
    "parameters": ("huggingface",),
    "code": ("repository", "github"),
}

AVAILABILITY = {True: "published", False: "not published", None: "availability unknown"}


def verdict_line(report: Report, paths: PathMapper) -> str:
    """One sentence: the verdict, the MOF class and the number of flags (or the error)."""
    if report.error:
        return paths.text(f"openlicense could not read the release: {report.error}")
    return (
        f"openlicense verdict against the Open Source AI Definition 1.0: {report.verdict}; "
        f"Model Openness Framework class: {report.mof_class}; flags: {len(report.flags)}."
    )


def verdict_details(report: Report, paths: PathMapper) -> str:
    """The verdict, its reasons, the four freedoms and where the release was read."""
    lines = [verdict_line(report, paths)]
    lines.extend(f"Reason: {paths.text(reason)}" for reason in report.reasons)
    lines.extend(f"Freedom to {name}: {s.status}." for name, s in report.freedoms.items())
    if report.path:
        lines.append(f"Read from {paths.relative(report.path)}.")
    return "\n".join(lines)


def license_comment(lic: Normalized | None) -> str:
    """How a component's license was declared and normalized."""
    if lic is None:
        return "No license declared for this component."
    text = f'Declared as "{lic.input}"; openlicense status: {lic.status}'
    if lic.matched_by:
        text += f" (matched by {lic.matched_by})"
    text += "."
    if lic.candidates:
        text += " Candidates: " + ", ".join(lic.candidates) + "."
    for warning in lic.warnings:
        text += f" {warning[:1].upper()}{warning[1:]}."
    return text


def cite(paths: PathMapper, path: str | None, line: int | None, fld: str | None) -> str:
    """``README.md:2 [license]``: a file, line and metadata field, as a person reads them."""
    text = paths.relative(path) if path else ""
    if line:
        text += f":{line}"
    if fld:
        text += f" [{fld}]" if text else f"[{fld}]"
    return text or "(no file)"


def one_line(text: str) -> str:
    """``text`` with every run of white space (line breaks included) made one space."""
    return " ".join(text.split())


def component_sources(component: Component, paths: PathMapper) -> str:
    if not component.sources:
        return "No source cites it."
    cited = ", ".join(cite(paths, s.path, s.line, s.field) for s in component.sources)
    return f"Read from {cited}."


def review_notes(report: Report, paths: PathMapper) -> list[str]:
    """The texts of the review annotations: the verdict, then one per flag."""
    notes = [verdict_line(report, paths)]
    for flag in report.flags:
        ev = flag.evidence
        message = paths.text(one_line(flag.message))
        text = f"{flag.code} {flag.name} ({flag.severity}): {message}"
        if ev.path or ev.field:
            text += f" Evidence: {cite(paths, ev.path, ev.line, ev.field)}."
        if ev.quote and one_line(ev.quote) not in message:
            text += f' Quote: "{one_line(ev.quote)}"'
        for more in flag.more_evidence:
            if more.path or more.field:
                text += f" Also: {cite(paths, more.path, more.line, more.field)}."
            if more.quote and one_line(more.quote) not in message:
                text += f' Quote: "{one_line(more.quote)}"'
        if flag.fix:
            text += f" How to fix: {one_line(flag.fix)}"
        notes.append(text)
    return notes

"""SARIF 2.1.0: the report as static-analysis results, for code scanning and review tools.

One run, whose driver is openlicense and whose rules are the rules that fired; one result per
flag, at the file and line of its evidence. The verdict and the MOF class of each subject ride
in the invocation's properties. Field by field mapping: ``docs/formats.md``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from openlicense import __version__
from openlicense.model import Evidence, Flag
from openlicense.report import Report
from openlicense.report.common import INFORMATION_URI, PathMapper, one_line, rule_help_uri

__all__ = ["SARIF_SCHEMA_URI", "to_sarif"]

#: The ``$schema`` of the documents written: the OASIS SARIF 2.1.0 schema (errata 01).
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_SECTIONS = ("What it does", "Why it matters", "Example", "How to fix", "References")
#: Name of the fingerprint in ``partialFingerprints``; bump the version if its recipe changes.
_FINGERPRINT = "openlicenseFinding/v1"


def to_sarif(report: Report | Sequence[Report], *, base: str | None = None) -> str:
    """A SARIF 2.1.0 log (JSON text) of one report or of several (one run in both cases).

    ``base`` is the folder that absolute evidence paths are made relative to; by default the
    deepest folder holding every subject (see :class:`~openlicense.report.common.PathMapper`).
    Output is deterministic: rules sorted by code, results by file, line and rule.
    """
    reports = [report] if isinstance(report, Report) else list(report)
    paths = PathMapper(reports, base)
    flags = [(r, f) for r in reports for f in r.flags]
    rule_names = sorted({f.name for _, f in flags}, key=lambda n: (_code(n), n))
    index = {name: i for i, name in enumerate(rule_names)}
    results = sorted((_result(r, f, index[f.name], paths) for r, f in flags), key=_result_order)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "openlicense",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(name) for name in rule_names],
            }
        },
        "invocations": [_invocation(reports, paths)],
        "results": results,
    }
    log = {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------------
# rules


def _code(name: str) -> str:
    from openlicense.catalog import get_catalog

    flags = get_catalog().flags
    return flags[name].code if name in flags else name


def _rule(name: str) -> dict[str, Any]:
    """The reportingDescriptor of one rule, from the registry and the flag vocabulary."""
    from openlicense.catalog import get_catalog
    from openlicense.judge.rules import RULES

    info = get_catalog().flags.get(name)
    rule = RULES.get(name)
    summary = rule.summary if rule else (info.summary if info else name)
    sections = [(title, rule.section(title)) for title in _SECTIONS] if rule else []
    sections = [(title, body) for title, body in sections if body]
    what = dict(sections).get("What it does", summary)
    severity = rule.severity if rule else (info.severity if info else "warning")
    concerns = rule.concerns if rule else "release"
    restricts = list(info.restricts) if info else []
    scope = info.scope if info else "release"
    tags = {scope, f"concerns:{concerns}", *(f"restricts:{f}" for f in restricts)}
    help_uri = rule_help_uri(name)
    return {
        "id": info.code if info else name,
        "name": name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": one_line(what)},
        "help": {
            "text": "\n\n".join(f"{title}: {one_line(body)}" for title, body in sections)
            or summary,
            "markdown": "\n\n".join(f"**{title}**\n\n{body}" for title, body in sections)
            + f"\n\n[Documentation]({help_uri})",
        },
        "helpUri": help_uri,
        "defaultConfiguration": {"level": _LEVELS.get(severity, "warning")},
        "properties": {
            "tags": sorted(tags),
            "concerns": concerns,
            "scope": scope,
            "restricts": restricts,
        },
    }


# --------------------------------------------------------------------------------------------
# results


def _result(report: Report, flag: Flag, rule_index: int, paths: PathMapper) -> dict[str, Any]:
    ev = flag.evidence
    text = paths.text(one_line(flag.message))
    if flag.fix:
        text += ("" if text.endswith(".") else ".") + f" How to fix: {one_line(flag.fix)}"
    result: dict[str, Any] = {
        "ruleId": flag.code,
        "ruleIndex": rule_index,
        "level": _LEVELS.get(flag.severity, "warning"),
        "message": {"text": text},
    }
    # A catalog flag quotes the license's clause, not the text at the cited line: the quote is
    # kept as a property, and only a quote read from the file itself becomes a snippet.
    from_file = not flag.source.startswith("catalog:")
    location: dict[str, Any] = {}
    uri = None
    if ev.path:
        uri, relative = paths.uri(ev.path)
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
        if relative:
            physical["artifactLocation"]["uriBaseId"] = "SRCROOT"
        if ev.line:
            region: dict[str, Any] = {"startLine": ev.line}
            if ev.quote and from_file:
                region["snippet"] = {"text": ev.quote}
            physical["region"] = region
        location["physicalLocation"] = physical
    if ev.field:
        location["logicalLocations"] = [
            {"name": ev.field, "fullyQualifiedName": ev.field, "kind": "property"}
        ]
    if location:
        result["locations"] = [location]
    related = [_related(ev, i, paths) for i, ev in enumerate(flag.more_evidence, 1) if ev.path]
    if related:
        # The other places that raise the same flag (another sentence, another license file).
        result["relatedLocations"] = related
    properties: dict[str, Any] = {
        "flag": flag.name,
        "severity": flag.severity,
        "subject": report.name,
    }
    if flag.source:
        properties["source"] = flag.source
    if ev.field:
        properties["field"] = ev.field
    if ev.quote:
        properties["quote"] = ev.quote
    result["properties"] = properties
    result["partialFingerprints"] = {_FINGERPRINT: _fingerprint(report, flag, uri, paths)}
    return result


def _related(ev: Evidence, index: int, paths: PathMapper) -> dict[str, Any]:
    """Another place of a merged flag; its quote is the location's message, not a snippet (it
    may be the catalog's wording of a clause, not the text at the line)."""
    assert ev.path is not None
    uri, relative = paths.uri(ev.path)
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if relative:
        physical["artifactLocation"]["uriBaseId"] = "SRCROOT"
    if ev.line:
        physical["region"] = {"startLine": ev.line}
    related: dict[str, Any] = {"id": index, "physicalLocation": physical}
    if ev.quote:
        related["message"] = {"text": one_line(ev.quote)}
    return related


def _fingerprint(report: Report, flag: Flag, uri: str | None, paths: PathMapper) -> str:
    """Stable across runs and line moves: rule, file, field, source and quoted text."""
    ev = flag.evidence
    parts = [
        flag.code,
        uri or report.name,
        ev.field or "",
        flag.source,
        one_line(ev.quote or paths.text(flag.message)),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _result_order(result: dict[str, Any]) -> tuple[str, int, str, str, str]:
    loc = (result.get("locations") or [{}])[0]
    physical = loc.get("physicalLocation", {})
    return (
        physical.get("artifactLocation", {}).get("uri", ""),
        physical.get("region", {}).get("startLine", 0),
        result["ruleId"],
        result["message"]["text"],
        result["partialFingerprints"][_FINGERPRINT],
    )


# --------------------------------------------------------------------------------------------
# the invocation: verdicts, MOF classes and reading problems


def _invocation(reports: Sequence[Report], paths: PathMapper) -> dict[str, Any]:
    subjects = [_subject(r, paths) for r in reports]
    notifications: list[dict[str, Any]] = []
    for r in reports:
        where = _artifact(r.path, paths)
        if r.error:
            notifications.append(
                {"level": "error", "message": {"text": paths.text(f"{r.name}: {r.error}")}, **where}
                | ({"descriptor": {"id": r.error_type}} if r.error_type else {})
            )
        for note in r.errors:
            notifications.append(
                {"level": "warning", "message": {"text": paths.text(f"{r.name}: {note}")}, **where}
            )
    properties: dict[str, Any] = {"subjects": subjects}
    if len(subjects) == 1:
        properties["verdict"] = subjects[0]["verdict"]
        properties["mofClass"] = subjects[0]["mofClass"]
    invocation: dict[str, Any] = {
        "executionSuccessful": all(r.ok for r in reports),
        "properties": properties,
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _subject(report: Report, paths: PathMapper) -> dict[str, Any]:
    return {
        "name": report.name,
        "path": paths.relative(report.path) if report.path else None,
        "verdict": report.verdict,
        "reasons": [paths.text(reason) for reason in report.reasons],
        "mofClass": report.mof_class,
        "freedoms": {name: status.status for name, status in report.freedoms.items()},
        "flags": len(report.flags),
        "error": paths.text(report.error) if report.error else None,
    }


def _artifact(path: str | None, paths: PathMapper) -> dict[str, Any]:
    if not path:
        return {}
    uri, relative = paths.uri(path)
    artifact = {"uri": uri} | ({"uriBaseId": "SRCROOT"} if relative else {})
    return {"locations": [{"physicalLocation": {"artifactLocation": artifact}}]}

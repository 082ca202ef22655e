"""What a text says: its kind, and the findings (catalog clauses, scanned clauses, changes to
a standard text) the rules turn into flags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from openlicense import expression as ex
from openlicense.catalog import LicenseEntry
from openlicense.identification.exact import content_tokens
from openlicense.identification.study import (
    _MIN_CHANGE_WORDS,
    _SUBSTANTIVE_WORDS,
    TextStudy,
    _entry,
    _is_notice_file,
    _title,
)
from openlicense.model import Evidence, Identification, IdentificationKind, TextFinding

_AUP_TITLE = re.compile(
    r"\b(?:acceptable|prohibited)\s+use\s+polic(?:y|ies)\b|\buse\s+polic(?:y|ies)\b", re.I
)
_TOS_TITLE = re.compile(r"\bterms\s+of\s+(?:service|use)\b", re.I)
_NOTICE = re.compile(r"\bthis\s+product\s+includes\b|\bnotice\b|\battribution\s+notice", re.I)
_GRANT = re.compile(
    r"\b(?:hereby grant|grants? (?:to )?you|permission is hereby granted|is licensed under|"
    r"you may not|you shall not)\b",
    re.I,
)
_LICENSE_WORDS = re.compile(
    r"\b(?:licen[cs]e|permission is hereby granted|redistribution|grant(?:s|ed)?\s+(?:to\s+)?you|"
    r"terms and conditions|you (?:may|must|shall|will) not)\b",
    re.I,
)


def _kind(work: TextStudy, entry: LicenseEntry | None, title: str | None) -> IdentificationKind:
    if entry is not None and entry.namespace != "user":
        return entry.kind  # type: ignore[return-value]
    head = title or ""
    if _AUP_TITLE.search(head):
        return "acceptable-use-policy"
    if _TOS_TITLE.search(head) and not re.search(r"licen[cs]e", head, re.I):
        return "terms-of-service"
    if _is_notice_file(work.doc.path) and work.method in {"contained", "exact", None}:
        return "notice"
    if work.variant_of or (work.expression and work.method != "title"):
        return "license"
    if _is_notice_file(work.doc.path) or (
        len(content_tokens(work.text)) < 200
        and _NOTICE.search(work.text)
        and not _GRANT.search(work.text)
    ):
        return "notice"
    if work.expression or _LICENSE_WORDS.search(work.text):
        return "license"
    return "not-a-license"


def _catalog_findings(work: TextStudy, entry: LicenseEntry) -> list[TextFinding]:
    """The catalog's flag clauses for ``entry``, cited where this file says them."""
    from openlicense.identification.clauses import scan_clauses

    out: list[TextFinding] = []
    hits = None
    for clause in entry.terms.flags:
        span = work.folded.find(clause.quote) if clause.quote else None
        if span is not None:
            evidence = work.evidence(*span)
        else:
            # Another edition of the text: cite this file's own clause for the flag if the
            # scanner finds one, else the catalog's quote (with its section).
            if hits is None:
                hits = scan_clauses(work.text)
            hit = next((h for h in hits if h.flag == clause.flag), None)
            if hit is not None:
                evidence = work.evidence(hit.start, hit.end)
            else:
                evidence = Evidence(path=work.doc.path, line=None, quote=clause.quote)
        out.append(
            TextFinding(
                clause.flag, "catalog-clause", evidence, f"catalog:{entry.id}", subject=entry.name
            )
        )
    return out


def _clause_findings(work: TextStudy) -> list[TextFinding]:
    from openlicense.identification.clauses import scan_clauses

    return [
        TextFinding(hit.flag, "clause", work.evidence(hit.start, hit.end), f"clause:{hit.pattern}")
        for hit in scan_clauses(work.text)
    ]


def _change_findings(work: TextStudy, base: str) -> list[TextFinding]:
    """The changes that make ``base`` a modified license: at most five added or changed
    clauses and three removed ones."""
    substantive = [c for c in work.changes if c.kind != "removed" and c.words >= _MIN_CHANGE_WORDS]
    if not substantive and not any(c.kind == "removed" for c in work.changes):
        return []
    # the aligner keeps only removals of clause size (identification.matchers._clause_size);
    # the other matchers' word diffs need a longer removal to call it one
    least_removed = _MIN_CHANGE_WORDS if work.method == "alignment" else _SUBSTANTIVE_WORDS
    removed = [c for c in work.changes if c.kind == "removed" and c.words >= least_removed]
    out = []
    for change in substantive[:5]:
        out.append(
            TextFinding(
                "modified-standard-license",
                "diff-added" if change.kind == "added" else "diff-changed",
                work.evidence(change.start, change.end),
                f"diff:{base}",
                subject=base,
            )
        )
    for change in removed[:3]:
        out.append(
            TextFinding(
                "modified-standard-license",
                "diff-removed",
                Evidence(path=work.doc.path, line=work.doc.line_of(change.start), quote=None),
                f"diff:{base}",
                subject=base,
                detail=change.reference_quote[:200],
            )
        )
    return out


def _dedupe(findings: Iterable[TextFinding]) -> list[TextFinding]:
    """One finding per flag and line, in line order."""
    seen: set[tuple[str, int | None]] = set()
    out = []
    for f in findings:
        key = (f.flag, f.evidence.line)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return sorted(out, key=lambda f: (f.evidence.line or 0, f.flag))


def findings_of(work: TextStudy) -> list[TextFinding]:
    """What the text says that bears on a flag.

    A catalogued license is cited from the catalog's clauses; a license the catalog has no
    terms for, or a text that departs from a standard one, is read by the clause scanner, and
    a departure adds its changes.
    """
    catalog = work.catalog
    entry = _entry(catalog, work.expression)
    found: list[TextFinding] = []
    if work.expression and work.variant_of is None:
        node = catalog.expression(work.expression) if entry is None else None
        leaves = (
            [entry]
            if entry
            else [
                catalog.get(leaf.id)
                for leaf in ex.iter_license_keys(node)  # type: ignore[arg-type]
            ]
        )
        for leaf_entry in leaves:
            if leaf_entry is not None and leaf_entry.curated_terms is not None:
                found += _catalog_findings(work, leaf_entry)
        if all(e is None or e.curated_terms is None for e in leaves):
            found += _clause_findings(work)
    else:
        base_entry = _entry(catalog, work.variant_of)
        found += _clause_findings(work)
        if work.variant_of:
            found += _change_findings(work, work.variant_of)
            if base_entry is not None and base_entry.curated_terms is not None:
                found += [
                    f for f in _catalog_findings(work, base_entry) if f.evidence.line is not None
                ]
    return _dedupe(found)


def finish(work: TextStudy) -> Identification:
    """The identification of the text: what it is and what it says (not yet judged)."""
    title = _title(work.text)
    entry = _entry(work.catalog, work.expression)
    return Identification(
        path=work.doc.path,
        kind=_kind(work, entry, title),
        expression=work.expression,
        variant_of=work.variant_of,
        coverage=work.coverage,
        method=work.method or "none",
        title=title,
        matches=tuple(work.matches),
        warnings=tuple(dict.fromkeys(work.warnings)),
        findings=tuple(findings_of(work)),
    )

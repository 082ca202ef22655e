"""What a text says: its kind, and the findings (catalog clauses, scanned clauses, changes to
a standard text) the rules turn into flags.
"""

from __future__ import annotations

import dataclasses
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
from openlicense.model import (
    Evidence,
    Identification,
    IdentificationKind,
    TextFinding,
    TextFreedom,
)

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


#: License-term flags that say what a text forbids its reader to do with what it governs.
_USE_TERMS = frozenset(
    {
        "field-of-use-restriction",
        "non-commercial",
        "output-restriction",
        "user-threshold",
        "revenue-threshold",
        "geographic-restriction",
    }
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
                clause.flag,
                "catalog-clause",
                evidence,
                f"catalog:{entry.id}",
                subject=entry.name,
                method="catalog",
                confidence=1.0,
            )
        )
    return out


def _clause_findings(work: TextStudy) -> list[TextFinding]:
    from openlicense.identification.clauses import scan_clauses

    return [
        TextFinding(
            hit.flag,
            "clause",
            work.evidence(hit.start, hit.end),
            f"clause:{hit.pattern}",
            method="pattern",
            confidence=SCANNER_CONFIDENCE,
        )
        for hit in scan_clauses(work.text)
    ]


# --------------------------------------------------------------------------------------------
# the provision reader beside the clause scanner (uncatalogued texts, residues of variants)

#: The confidence given to a clause-scanner hit: its phrases are exact wordings, precise on
#: unseen texts (0.81 in issue 10's measure) though they miss much.
SCANNER_CONFIDENCE = 0.9
#: A provision-reader hit the scanner does not confirm counts from this confidence up. Tuned
#: on fixtures/provisions/tune only (``tools/eval_provisions.py --threshold``): the highest
#: value at which the tune half keeps its recall (1.00; precision is 1.00 at every value, the
#: scanner alone has recall 0.43 there); see docs/provisions.md.
PROVISION_THRESHOLD = 0.75


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


def _provision_findings(
    work: TextStudy, scanned: list[TextFinding], residue: list[tuple[int, int]] | None
) -> tuple[list[TextFinding], tuple[TextFreedom, ...]]:
    """The clause scanner's findings combined with the provision reader's, and the freedoms
    the text's grant decides.

    ``residue``: for a variant of a standard text, only the spans it adds or changes are read
    for flags (the standard text is the catalog's business). A scanner finding the reader also
    raises on the same line becomes ``pattern+provision``; a reader hit the scanner lacks
    counts when its confidence reaches :data:`PROVISION_THRESHOLD`.
    """
    from openlicense.provisions import read_provisions

    reading = read_provisions(work.text)
    accepted: dict[tuple[str, int | None], TextFinding] = {}
    for hit in reading.hits:
        p = reading.provisions[hit.provision]
        if residue is not None and not _overlaps(p.start, p.end, residue):
            continue
        evidence = work.evidence(p.start, p.end)
        accepted.setdefault(
            (hit.flag, evidence.line),
            TextFinding(
                hit.flag,
                "clause",
                evidence,
                f"provision:{hit.rule}",
                method=f"provision-{hit.method}",
                confidence=hit.confidence,
            ),
        )
    out: list[TextFinding] = []
    for finding in scanned:
        agree = accepted.pop((finding.flag, finding.evidence.line), None)
        if agree is not None:
            confidence = max(SCANNER_CONFIDENCE, agree.confidence or 0.0)
            finding = dataclasses.replace(  # noqa: PLW2901 (the scanner's finding, confirmed)
                finding, method="pattern+provision", confidence=confidence
            )
        out.append(finding)
    out += [f for f in accepted.values() if (f.confidence or 0.0) >= PROVISION_THRESHOLD]
    grants = tuple(
        TextFreedom(
            g.freedom,
            g.status,
            Evidence(path=work.doc.path, line=g.line, quote=g.quote or None),
            g.reason,
        )
        for g in reading.grants
        if g.status != "unknown"
    )
    return out, grants


def _residue(work: TextStudy) -> list[tuple[int, int]]:
    return [(c.start, c.end) for c in work.changes if c.kind != "removed"]


def _unexplained(work: TextStudy) -> list[tuple[int, int]]:
    """The spans of the text that the matches leave unexplained: the lines outside every
    match (a README around a license, a rider after it) and what a match's alignment found
    added or changed. A match without lines (a fingerprint) explains the whole text."""
    doc = work.doc
    if any(m.start_line is None for m in work.matches):
        return _residue(work)
    ranges = sorted((m.start_line or 1, m.end_line or m.start_line or 1) for m in work.matches)
    out: list[tuple[int, int]] = []
    line = 1
    for first, last in ranges:
        if first > line:
            out.append((doc.line_start(line), doc.line_start(first)))
        line = max(line, last + 1)
    if line <= doc.line_count:
        out.append((doc.line_start(line), len(doc.text)))
    spans = [(a, b) for a, b in out if doc.text[a:b].strip()] + _residue(work)
    return sorted(spans)


def _change_findings(work: TextStudy, base: str) -> list[TextFinding]:
    """The changes that make ``base`` a modified license: at most five added or changed
    clauses and three removed ones."""
    substantive = [c for c in work.changes if c.kind != "removed" and c.words >= _MIN_CHANGE_WORDS]
    if not substantive and not any(c.kind == "removed" for c in work.changes):
        return []
    # the aligner keeps only removals of clause size (identification.aligner._clause_size);
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


def findings_of(work: TextStudy) -> tuple[list[TextFinding], tuple[TextFreedom, ...]]:
    """What the text says that bears on a flag, and what its own grant says of each freedom.

    A catalogued license is cited from the catalog's clauses; a license the catalog has no
    terms for, or a text that departs from a standard one, is read by the clause scanner and
    the provision reader (a departure only where it departs), and a departure adds its changes.
    """
    catalog = work.catalog
    entry = _entry(catalog, work.expression)
    found: list[TextFinding] = []
    grants: tuple[TextFreedom, ...] = ()
    if work.method == "notice":
        # A notice names the license it is under and quotes none of its clauses: the license's
        # terms are judged where the license is (the catalog), not cited in this file. What
        # the notice adds of its own ("... under CC BY 4.0, with the following additional
        # restriction") is read: a notice with a restricting rider states a modified license.
        read, _ = _provision_findings(work, _clause_findings(work), None)
        # a rider is a finding that restricts a freedom (flags.toml's `restricts`) and that the
        # named license does not already carry: "licensed under the Creative Commons
        # Attribution-NonCommercial-ShareAlike 4.0 International License" names a license
        # whose terms are non-commercial; it adds nothing to them
        own = {c.flag for c in entry.terms.flags} if entry is not None else set()
        riders = [f for f in read if catalog.flag(f.flag).restricts and f.flag not in own]
        if not riders or not work.expression:
            return [], grants
        work.variant_of, work.expression = work.expression, None
        added = [
            TextFinding(
                "modified-standard-license",
                "diff-added",
                f.evidence,
                f"diff:{work.variant_of}",
                subject=work.variant_of,
            )
            for f in riders[:5]
        ]
        return _dedupe(riders + added), grants
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
        if any(e is None or e.terms.basis == "unknown" for e in leaves):
            # terms nobody has judged: the text is all there is to read
            read, grants = _provision_findings(work, _clause_findings(work), None)
            found += read
        elif all(e is not None and e.curated_terms is None for e in leaves):
            # A license whose terms are known (OSI-approved, FSF-free): its own words are
            # judged already and reading them again could only mistake them (EPL-2.0's
            # "Modified Works", APSL's export clause). What the matches leave unexplained
            # around it (a README, a rider) is read.
            unexplained = _unexplained(work)
            if unexplained:
                read, grants = _provision_findings(work, _clause_findings(work), unexplained)
                found += read
    else:
        base_entry = _entry(catalog, work.variant_of)
        residue = _residue(work) if work.variant_of else None
        read, grants = _provision_findings(work, _clause_findings(work), residue)
        found += read
        if work.variant_of:
            found += _change_findings(work, work.variant_of)
            if base_entry is not None and base_entry.curated_terms is not None:
                found += [
                    f for f in _catalog_findings(work, base_entry) if f.evidence.line is not None
                ]
    return _dedupe(found), grants


def finish(work: TextStudy) -> Identification:
    """The identification of the text: what it is and what it says (not yet judged)."""
    title = _title(work.text)
    entry = _entry(work.catalog, work.expression)
    findings, grants = findings_of(work)
    kind = _kind(work, entry, title)
    if kind == "not-a-license" and any(g.status == "granted" for g in grants):
        kind = "license"  # a grant without the word ("You may use, copy, modify ...")
    elif kind == "not-a-license" and any(f.flag in _USE_TERMS for f in findings):
        # Rules of use and nothing granted ("Don't use Wren to ...", "Customers shall refrain
        # from using the models to ..."): a policy on using something, whatever its title.
        kind = "acceptable-use-policy"
    return Identification(
        path=work.doc.path,
        kind=kind,
        expression=work.expression,
        variant_of=work.variant_of,
        coverage=work.coverage,
        method=work.method or "none",
        title=title,
        matches=tuple(work.matches),
        warnings=tuple(dict.fromkeys(work.warnings)),
        findings=tuple(findings),
        text_freedoms=grants,
    )

"""Identify license texts: which license a file is, whether it was modified, what it restricts.

``identify(path_or_text)`` reads the text (typed errors for bad files become the result's
``error``), then tries, cheapest first:

1. an ``SPDX-License-Identifier`` tag, when the file is little more than the tag;
2. the exact-match index (:mod:`openlicense.identification.exact`): the text *is* a known
   license text (whitespace, case, punctuation, bullets and copyright lines aside),
   or *contains* one;
3. the catalog's fingerprints: verbatim phrases that identify licenses ScanCode lacks (the
   Llama 3 license of April 2024, the Llama acceptable-use policies, ...);
4. ScanCode's matcher (:mod:`openlicense.identification.scancode`, loaded on first need);
5. the text's title, read by the normalizer, for a license no matcher knows.

A match below 100 % coverage, or a known text with words added or changed, is reported as
``variant_of`` that license, never as the license: the changed clauses are quoted with their
lines and raise ``modified-standard-license``. The flags of a catalogued license come from the
catalog, cited at the clause in this file; the flags of anything else come from the clause
scanner (:mod:`openlicense.identification.clauses`), so a custom license is judged from what it
says.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openlicense import expression as ex
from openlicense.catalog import FREEDOMS, Catalog, FreedomStatus, LicenseEntry, get_catalog
from openlicense.catalog.texts import fold, reference_text
from openlicense.errors import InputError, OpenLicenseError
from openlicense.findings import Evidence, Flag, make_flag
from openlicense.identification.exact import (
    Change,
    FoldedText,
    content_tokens,
    diff_words,
    exact_index,
    words,
)
from openlicense.read.text import TextInput, read_text, read_text_file

__all__ = ["Identification", "Match", "identify", "identify_many"]

Kind = str  # license | acceptable-use-policy | terms-of-service | notice | not-a-license

#: Words outside a contained license text that are still "just a title and a copyright".
_MAX_FRAME_WORDS = 15
#: A change of fewer words than this is a filled-in template (a name, a year), not a clause.
_MIN_CHANGE_WORDS = 4
#: Changes of at least this many words make a modified license even without a flagged clause.
_SUBSTANTIVE_WORDS = 25
#: Least ScanCode coverage of a license text for a text to be called a variant of it.
_MIN_VARIANT_COVERAGE = 50.0
_SPDX_TAG = re.compile(r"SPDX-License-Identifier:\s*(?P<expr>[^\n*]+?)\s*(?:\*/|-->|$)", re.M)
# Words of obligation: text added to a license that uses them changes its terms.
_LEGAL = re.compile(
    r"\b(?:shall|must not|may not|you agree|notwithstanding|licensee|licensor|"
    r"is prohibited|are prohibited|you must)\b",
    re.I,
)
_COPYRIGHT = re.compile(r"^[\s#*/;>\-\"']*(?:copyright\b|\(c\)|©|all rights reserved)", re.I)
_TITLE_SKIP = re.compile(r"^[\s#=*_\-`>|]*$")
_UNKNOWN_FREEDOMS: tuple[tuple[str, FreedomStatus], ...] = tuple((f, "unknown") for f in FREEDOMS)


@dataclass(frozen=True, slots=True)
class Match:
    """A license found in the text, and how."""

    expression: str | None  # canonical SPDX form; None when ScanCode's keys are unknown
    method: str
    coverage: float | None
    start_line: int | None = None
    end_line: int | None = None
    detail: str = ""  # the ScanCode rule, the fingerprint, ...

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "method": self.method,
            "coverage": self.coverage,
            "lines": [self.start_line, self.end_line] if self.start_line else None,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Identification:
    """What a license file is (JSON shape ``openlicense/identification/v1``)."""

    path: str | None
    kind: Kind | None = None
    expression: str | None = None
    variant_of: str | None = None
    coverage: float | None = None
    method: str | None = None
    freedoms: tuple[tuple[str, FreedomStatus], ...] = tuple((f, "unknown") for f in FREEDOMS)
    osaid_conformant: bool | None = None
    flags: tuple[Flag, ...] = ()
    error: str | None = None
    error_type: str | None = None
    title: str | None = None
    matches: tuple[Match, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    def freedom(self, name: str) -> FreedomStatus:
        return dict(self.freedoms)[name]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "openlicense/identification/v1",
            "path": self.path,
            "kind": self.kind,
            "expression": self.expression,
            "variant_of": self.variant_of,
            "coverage": self.coverage,
            "method": self.method,
            "freedoms": dict(self.freedoms),
            "osaid_conformant": self.osaid_conformant,
            "flags": [f.to_dict() for f in self.flags],
            "error": self.error,
            "error_type": self.error_type,
            "title": self.title,
            "matches": [m.to_dict() for m in self.matches],
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------------------------


@dataclass
class _Work:
    """What identification has learnt about one text so far."""

    doc: TextInput
    catalog: Catalog
    expression: str | None = None
    variant_of: str | None = None
    coverage: float | None = None
    method: str | None = None
    matches: list[Match] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.doc.text

    @functools.cached_property
    def folded(self) -> FoldedText:
        return FoldedText(self.doc.text)

    def evidence(self, start: int, end: int) -> Evidence:
        quote = self.text[start:end].strip()
        if len(quote) > 300:
            quote = quote[:297].rstrip() + "..."
        return Evidence(path=self.doc.path, line=self.doc.line_of(start), quote=quote)


def _title(text: str) -> str | None:
    """The first non-decorative line, if it reads like a title (short, no sentence)."""
    for line in text.splitlines()[:8]:
        if _TITLE_SKIP.match(line):
            continue
        candidate = line.strip().strip("#*=_`> ").strip()
        if 3 <= len(candidate) <= 120 and not candidate.endswith((".", ",", ";", ":")):
            return candidate
        return None
    return None


def _entry(catalog: Catalog, expression: str | None) -> LicenseEntry | None:
    if not expression:
        return None
    try:
        node = catalog.expression(expression)
    except ValueError:
        return None
    if isinstance(node, (ex.License, ex.LicenseRef)):
        return catalog.get(node.id)
    return None


def _from_scancode_key(expression: str, catalog: Catalog) -> str | None:
    from openlicense.identification.scancode import to_spdx

    return to_spdx(expression, catalog)


def _is_generic(expression: str, catalog: Catalog) -> bool:
    try:
        node = catalog.expression(expression)
    except ValueError:
        return True
    return any(
        (entry := catalog.get(leaf.id)) is None or entry.generic
        for leaf in ex.iter_license_keys(node)
    )


# ---- steps ----


def _spdx_tag(work: _Work) -> bool:
    from openlicense.normalization import normalize

    tags = list(_SPDX_TAG.finditer(work.text))
    if not tags:
        return False
    rest = work.text
    for m in tags:
        rest = rest.replace(m.group(0), " ")
    if len(content_tokens(rest)) > _MAX_FRAME_WORDS:
        work.warnings.append("the file has an SPDX-License-Identifier tag and more text")
        return False
    exprs = []
    for m in tags:
        result = normalize(m.group("expr"), strictness="spdx")
        if result.expression:
            exprs.append(result.expression)
        else:
            work.warnings.append(f"line {work.doc.line_of(m.start())}: {result.error}")
    if not exprs:
        return False
    work.expression = _all_of(exprs, work.catalog)
    work.method, work.coverage = "spdx-tag", 100.0
    work.matches.append(
        Match(work.expression, "spdx-tag", 100.0, work.doc.line_of(tags[0].start()))
    )
    return True


def _all_of(expressions: Sequence[str], catalog: Catalog) -> str:
    """Canonical expressions joined with AND (each license of a file applies)."""
    nodes = tuple(catalog.expression(e) for e in expressions)
    return ex.render(ex.simplify(nodes[0] if len(nodes) == 1 else ex.And(nodes)))


def _exact(work: _Work) -> bool:
    index = exact_index()
    key = index.exact(content_tokens(work.text))
    if key is None:
        return False
    expression = _from_scancode_key(key, work.catalog)
    if expression is None or _is_generic(expression, work.catalog):
        return False
    work.expression, work.method, work.coverage = expression, "exact", 100.0
    work.matches.append(Match(expression, "exact", 100.0, 1, work.doc.line_of(len(work.text))))
    return True


def _fingerprint(work: _Work) -> bool:
    folded = work.folded.folded
    best: LicenseEntry | None = None
    for entry in work.catalog.fingerprinted():
        matched = all(fold(phrase) in folded for phrase in entry.identify_by)
        if matched and (best is None or len(entry.identify_by) > len(best.identify_by)):
            best = entry
    if best is None:
        return False
    work.expression, work.method = best.id, "fingerprint"
    work.matches.append(Match(best.id, "fingerprint", None, detail=" | ".join(best.identify_by)))
    return True


def _contained(work: _Work) -> bool:
    ws = words(work.text)
    found = []
    for c in exact_index().contained(ws):
        expression = _from_scancode_key(c.key, work.catalog)
        if expression and not _is_generic(expression, work.catalog):
            found.append((c, expression))
    if not found:
        return False
    covered = sum(c.last - c.first for c, _ in found)
    outside = [
        w
        for i, w in enumerate(ws)
        if not w.copyright and not any(c.first <= i < c.last for c, _ in found)
    ]
    for c, expression in found:
        start, end = ws[c.first].start, ws[c.last - 1].end
        work.matches.append(
            Match(expression, "exact", 100.0, work.doc.line_of(start), work.doc.line_of(end))
        )
    combined = _all_of([e for _, e in found], work.catalog)
    # The license text is there whole, with more around it: a title and a copyright line, an
    # appended rider, or a README that embeds the license. A rider speaks as a license does.
    extra = _spans_outside(ws, [(c.first, c.last) for c, _ in found])
    work.changes = [Change("added", s, e, n) for s, e, n in extra if n >= _MIN_CHANGE_WORDS]
    legal = any(_LEGAL.search(work.text[c.start : c.end]) for c in work.changes)
    if _is_notice_file(work.doc.path):
        # A NOTICE or third-party file collects the licenses of what a release bundles; text
        # between them is headings and notices, not a rider.
        legal = False
        work.changes = []
    if work.changes and (_rider_flags(work) or legal):
        work.coverage = round(100.0 * covered / max(1, covered + len(outside)), 2)
        work.variant_of, work.method = combined, "exact+diff"
        return True
    work.changes = []
    work.expression, work.coverage = combined, 100.0
    if len(outside) <= _MAX_FRAME_WORDS:
        work.method = "exact"
    else:
        work.method = "contained"
        work.warnings.append("a license text embedded in a larger document")
    return True


def _is_notice_file(path: str | None) -> bool:
    name = os.path.basename(path or "").lower().replace("_", "-")
    return (
        name.startswith("notice")
        or "third-party" in name
        or "thirdparty" in name
        or ".notice" in name
    )


def _spans_outside(
    ws: Sequence[Any], inside: Sequence[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """Runs of words outside the ``inside`` ranges: (start offset, end offset, word count)."""
    runs: list[tuple[int, int, int]] = []
    run: list[Any] = []
    for i, w in enumerate(ws):
        if any(a <= i < b for a, b in inside) or w.copyright:
            if run:
                runs.append((run[0].start, run[-1].end, len(run)))
                run = []
            continue
        run.append(w)
    if run:
        runs.append((run[0].start, run[-1].end, len(run)))
    return runs


def _rider_flags(work: _Work) -> list[Flag]:
    """Flags raised by the clauses in the added or changed parts of a known text."""
    from openlicense.identification.clauses import scan_clauses

    raised: list[Flag] = []
    for change in work.changes:
        if change.kind == "removed":
            continue
        # Scan whole lines around the change, so the clause is read as a sentence.
        lo = work.text.rfind("\n", 0, change.start) + 1
        hi = work.text.find("\n", change.end)
        hi = len(work.text) if hi < 0 else hi
        for hit in scan_clauses(work.text[lo:hi]):
            start = lo + hit.start
            raised.append(
                make_flag(
                    hit.flag,
                    f"added to a standard license text: {work.catalog.flag(hit.flag).summary}",
                    work.evidence(start, lo + hit.end),
                    source=f"clause:{hit.pattern}",
                )
            )
    return raised


def _scancode(work: _Work) -> bool:
    from openlicense.identification.scancode import scancode_matches

    matches = scancode_matches(work.text)
    usable = []
    covered: set[int] = set()
    for m in matches:
        expression = _from_scancode_key(m.expression, work.catalog)
        work.matches.append(
            Match(expression, "scancode", round(m.coverage, 2), m.start_line, m.end_line, m.rule)
        )
        covered.update(range(m.start_line, m.end_line + 1))
        if expression and not _is_generic(expression, work.catalog):
            usable.append((m, expression))
    # A whole license text, or a match over most of the text; a mere reference ("licensed
    # under the MIT license") in a longer text does not say what the text itself is.
    total = max(1, len(content_tokens(work.text)))
    usable = [(m, e) for m, e in usable if m.is_license_text or m.matched_words >= 0.5 * total]
    # A match of a small part of a license text says little: a "variant" needs at least half
    # of the license matched (coverage) and a fair share of this text explained by it.
    usable = [
        (m, e)
        for m, e in usable
        if m.coverage >= _MIN_VARIANT_COVERAGE and m.matched_words >= 0.2 * total
    ]
    if not usable:
        return False
    best, expression = max(usable, key=lambda p: (p[0].matched_words, p[0].coverage))
    work.coverage = round(best.coverage, 2)
    if best.coverage >= 100.0:
        # The whole license text is there. What no match covers is either a frame (a title, a
        # copyright line, a README around the license) or a rider that changes the terms.
        work.changes = _unmatched(work, covered)
        legal = any(_LEGAL.search(work.text[c.start : c.end]) for c in work.changes)
        if not _rider_flags(work) and not legal:
            work.changes = []
            work.expression, work.method = expression, "scancode"
            return True
    else:
        reference = _rule_text(best.rule)
        if reference is not None:
            work.changes = diff_words(work.text, reference, min_words=_MIN_CHANGE_WORDS)
            legal = any(_LEGAL.search(work.text[c.start : c.end]) for c in work.changes)
            if not work.changes and not legal:
                # Below ScanCode's 100 % only by words that are not clauses (a name filled
                # into the template, "Agreement" for "License"): the same license.
                work.expression, work.method = expression, "scancode+diff"
                work.warnings.append(
                    f"differs from the {expression} text only in words below clause level"
                )
                return True
    work.variant_of, work.method = expression, "scancode"
    return True


def _unmatched(work: _Work, covered_lines: set[int]) -> list[Change]:
    """Runs of text on lines no ScanCode match covers, as "added" changes."""
    changes: list[Change] = []
    offset = 0
    run_start: int | None = None
    run_end = 0
    for number, line in enumerate(work.text.split("\n"), start=1):
        end = offset + len(line)
        if number in covered_lines or _COPYRIGHT.match(line) or not line.strip():
            if run_start is not None and number in covered_lines:
                changes.append(_added(work, run_start, run_end))
                run_start = None
        else:
            if run_start is None:
                run_start = offset
            run_end = end
        offset = end + 1
    if run_start is not None:
        changes.append(_added(work, run_start, run_end))
    return [c for c in changes if c.words >= _MIN_CHANGE_WORDS]


def _added(work: _Work, start: int, end: int) -> Change:
    return Change("added", start, end, len(content_tokens(work.text[start:end])))


def _rule_text(rule: str) -> str | None:
    """The text of a ScanCode rule or license (``apache-2.0.LICENSE``, ``mit_12.RULE``)."""
    from openlicense.catalog.texts import scancode_license_dir, scancode_text

    if rule.endswith(".LICENSE"):
        return scancode_text(rule.removesuffix(".LICENSE"))
    folder = scancode_license_dir()
    if folder is None:
        return None
    path = folder.parent / "rules" / rule
    if not path.is_file():
        return None
    raw = path.read_text(encoding="utf-8", errors="replace")
    return raw.split("---", 2)[2] if raw.startswith("---") else raw


def _substantive(work: _Work) -> bool:
    added = sum(c.words for c in work.changes if c.kind != "removed")
    return added >= _SUBSTANTIVE_WORDS or bool(_rider_flags(work))


def _by_title(work: _Work) -> bool:
    """No matcher knows the text: read its title as a license name."""
    from openlicense.normalization import normalize

    title = _title(work.text)
    if not title:
        return False
    result = normalize(title)
    if result.status != "ok" or not result.expression:
        return False
    if work.variant_of and result.expression == work.variant_of:
        return False  # the title claims the license the text only resembles
    entry = _entry(work.catalog, result.expression)
    reference = reference_text(entry.text) if entry is not None and entry.text else None
    if reference is not None and work.variant_of is None:
        # The title names a license whose text we know, yet the text did not match it: it is
        # at most a variant of that license. Say how near, and what differs.
        from openlicense.identification.exact import compare

        near, changes = compare(work.text, reference, min_words=_MIN_CHANGE_WORDS, quick_floor=0.6)
        if near >= 0.6:
            work.variant_of, work.method = result.expression, "title+diff"
            work.coverage = round(100.0 * near, 2)
            work.changes = changes
        else:
            work.warnings.append(f"the title names {result.expression}, but the text is another")
        return True
    work.expression, work.method = result.expression, "title"
    if work.variant_of and entry is not None and entry.namespace != "openlicense":
        pass
    elif work.variant_of and not result.expression.startswith("LicenseRef-openlicense-unlisted-"):
        # A catalogued license ScanCode lacks, nearest to another one: it is that license.
        work.variant_of = None
    return True


# ---- kinds, flags and freedoms ----

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


def _kind(work: _Work, entry: LicenseEntry | None, title: str | None) -> Kind:
    if entry is not None and entry.namespace != "user":
        return entry.kind
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


def _catalog_flags(work: _Work, entry: LicenseEntry) -> list[Flag]:
    """The catalog's flags for ``entry``, cited where this file says them."""
    from openlicense.identification.clauses import scan_clauses

    out: list[Flag] = []
    hits = None
    for clause in entry.terms.flags:
        info = work.catalog.flag(clause.flag)
        message = f"{entry.name}: {info.summary}"
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
        out.append(make_flag(clause.flag, message, evidence, source=f"catalog:{entry.id}"))
    return out


def _clause_flags(work: _Work) -> list[Flag]:
    from openlicense.identification.clauses import scan_clauses

    out = []
    for hit in scan_clauses(work.text):
        info = work.catalog.flag(hit.flag)
        out.append(
            make_flag(
                hit.flag,
                info.summary,
                work.evidence(hit.start, hit.end),
                source=f"clause:{hit.pattern}",
            )
        )
    return out


def _modified_flag(work: _Work, base: str) -> list[Flag]:
    substantive = [c for c in work.changes if c.kind != "removed" and c.words >= _MIN_CHANGE_WORDS]
    if not substantive and not any(c.kind == "removed" for c in work.changes):
        return []
    removed = [c for c in work.changes if c.kind == "removed" and c.words >= _SUBSTANTIVE_WORDS]
    out = []
    for change in substantive[:5]:
        what = "added" if change.kind == "added" else "changed"
        out.append(
            make_flag(
                "modified-standard-license",
                f"{base} with a clause {what}",
                work.evidence(change.start, change.end),
                source=f"diff:{base}",
            )
        )
    for change in removed[:3]:
        out.append(
            make_flag(
                "modified-standard-license",
                f"{base} with a clause removed: {change.reference_quote[:200]}",
                Evidence(path=work.doc.path, line=work.doc.line_of(change.start), quote=None),
                source=f"diff:{base}",
            )
        )
    return out


def _dedupe(flags: Iterable[Flag]) -> list[Flag]:
    seen: set[tuple[str, int | None]] = set()
    out = []
    for f in flags:
        key = (f.name, f.evidence.line)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return sorted(out, key=lambda f: (f.evidence.line or 0, f.name))


def _freedoms(
    base: tuple[tuple[str, FreedomStatus], ...], flags: Sequence[Flag], catalog: Catalog
) -> tuple[tuple[str, FreedomStatus], ...]:
    status = dict(base)
    for f in flags:
        for freedom in catalog.flag(f.name).restricts:
            status[freedom] = "restricted"
    return tuple((name, status[name]) for name in FREEDOMS)


def _finish(work: _Work) -> Identification:
    catalog = work.catalog
    title = _title(work.text)
    entry = _entry(catalog, work.expression)
    flags: list[Flag] = []
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
                flags += _catalog_flags(work, leaf_entry)
        if all(e is None or e.curated_terms is None for e in leaves):
            flags += _clause_flags(work)
        from openlicense.normalization import osaid_conformant

        conformant = osaid_conformant(catalog.expression(work.expression), catalog)
        base = entry.terms.freedoms if entry else _UNKNOWN_FREEDOMS
        if entry is None and conformant:
            base = tuple((f, "granted") for f in FREEDOMS)
    else:
        base_entry = _entry(catalog, work.variant_of)
        flags += _clause_flags(work)
        if work.variant_of:
            flags += _modified_flag(work, work.variant_of)
            if base_entry is not None and base_entry.curated_terms is not None:
                flags += [
                    f for f in _catalog_flags(work, base_entry) if f.evidence.line is not None
                ]
        base = base_entry.terms.freedoms if base_entry else _UNKNOWN_FREEDOMS
        conformant = None
    flags = _dedupe(flags)
    catalogued = work.variant_of is None and entry is not None and entry.curated_terms is not None
    if catalogued:
        # The catalog's judgement of a known license stands: its flags are already its terms.
        assert entry is not None
        freedoms = entry.terms.freedoms
        conformant = entry.terms.osaid_conformant
    else:
        freedoms = _freedoms(base, flags, catalog)
        if any(catalog.flag(f.name).restricts for f in flags):
            conformant = False
        elif conformant is None and all(v == "granted" for _, v in freedoms):
            conformant = True
    kind = _kind(work, entry, title)
    return Identification(
        path=work.doc.path,
        kind=kind,
        expression=work.expression,
        variant_of=work.variant_of,
        coverage=work.coverage,
        method=work.method or "none",
        freedoms=freedoms,
        osaid_conformant=conformant if kind != "not-a-license" else None,
        flags=tuple(flags),
        title=title,
        matches=tuple(work.matches),
        warnings=tuple(dict.fromkeys(work.warnings)),
    )


# --------------------------------------------------------------------------------------------


def identify(
    source: str | os.PathLike[str] | TextInput,
    *,
    scancode: bool = True,
    catalog: Catalog | None = None,
) -> Identification:
    """Identify the license text in a file (a path) or a string.

    Never raises for a bad file: a missing, binary, empty, undecodable or too large file gives
    an Identification with ``error`` (and ``error_type``, the name of the typed error).
    ``scancode=False`` keeps to the fast path (no ScanCode index is loaded).
    """
    catalog = catalog or get_catalog()
    path = None if isinstance(source, TextInput) else os.fspath(source)
    try:
        if isinstance(source, str) and "\n" not in source:
            doc = read_text_file(source)  # one line: a path (wrap a one-line text in text_input)
        else:
            doc = read_text(source)
        if not doc.text.strip():
            from openlicense.errors import EmptyInputError

            raise EmptyInputError("the file is empty", path=doc.path)
    except InputError as exc:
        shown = path if path is not None and (os.sep in path or len(path) < 256) else None
        return Identification(
            path=getattr(exc, "path", None) or shown, error=str(exc), error_type=type(exc).__name__
        )
    key = (
        hashlib.blake2b(doc.text.encode("utf-8"), digest_size=16).digest(),
        scancode,
        id(catalog),
    )
    cached = _SEEN.get(key)
    if cached is not None:
        # Corpora repeat the same LICENSE files thousands of times: identify a text once per
        # process and give each file its own path in the same result.
        return _with_path(cached, doc.path)
    result = _identify_text(doc, scancode=scancode, catalog=catalog)
    if result.error is None:
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.pop(next(iter(_SEEN)))
        _SEEN[key] = result
    return result


_SEEN: dict[tuple[bytes, bool, int], Identification] = {}
_SEEN_MAX = 4096


def _with_path(result: Identification, path: str | None) -> Identification:
    if result.path == path:
        return result
    flags = tuple(
        dataclasses.replace(f, evidence=dataclasses.replace(f.evidence, path=path))
        for f in result.flags
    )
    return dataclasses.replace(result, path=path, flags=flags)


def _identify_text(doc: TextInput, *, scancode: bool, catalog: Catalog) -> Identification:
    work = _Work(doc=doc, catalog=catalog)
    try:
        found = _spdx_tag(work) or _exact(work) or _fingerprint(work) or _contained(work)
        if not found and scancode:
            found = _scancode(work)
            if work.variant_of and not work.expression:
                _by_title(work)
        if not found and not work.expression:
            _by_title(work)
        return _finish(work)
    except OpenLicenseError as exc:  # pragma: no cover - a bug, reported per file
        return Identification(path=doc.path, error=str(exc), error_type=type(exc).__name__)


def identify_many(
    sources: Iterable[str | os.PathLike[str]], *, scancode: bool = True
) -> list[Identification]:
    """Identify several files; one bad file never stops the others."""
    return [identify(s, scancode=scancode) for s in sources]

"""``--format html``: one self-contained page a person reads.

:func:`to_html` is a pure function of one report or several: the same reports give the same
bytes. The page has inline CSS only, no script, no image and no external resource, so it works
offline and from ``file://``; a Content-Security-Policy forbids anything else. Every value from
the report is escaped, since quotes from license files may contain ``<``, ``&`` and quotes.

Each release shows: a header (name, path), the verdict with its reasons, the four freedoms, the
MOF class with progress per class, the openness profile on a closed/partial/open scale, the
flags grouped by severity (message, quoted clause, where it was found, how to fix) and the
components table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from html import escape
from typing import Any, Final

from openlicense import __version__
from openlicense.judge.freedoms import FreedomAssessment as FreedomStatus
from openlicense.judge.verdict import Openness
from openlicense.model import Component, Flag, Source
from openlicense.report import Report

__all__ = ["to_html"]

_VERDICTS: Final[dict[str, tuple[str, str]]] = {
    # verdict -> (what a person reads, CSS class)
    "open-source-ai": ("Open source AI", "v-open"),
    "not-open-source-ai": ("Not open source AI", "v-not"),
    "insufficient-information": ("Insufficient information to decide", "v-unknown"),
}
_STATUS_MARK: Final = {"granted": "✓", "restricted": "✕", "unknown": "?"}
_GRADES: Final = ("closed", "partial", "open")
_SEVERITIES: Final = ("error", "warning", "info")
_SEVERITY_TITLE: Final = {"error": "Errors", "warning": "Warnings", "info": "Notes"}
# The Model Openness Framework's classes, from the most to the least demanding (vocabulary 3).
_MOF_LABELS: Final = {"I": "Open science", "II": "Open tooling", "III": "Open model"}

_CSS: Final = """
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#f6f8fa;color:#1f2328;font:15px/1.5 system-ui,-apple-system,"Segoe UI",
Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:24px}
h1,h2,h3,h4,h5{line-height:1.25;margin:0 0 8px}
code,.mono{font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono",Menlo,Consolas,monospace;
font-size:.9em;overflow-wrap:anywhere}
.release{background:#ffffff;color:#1f2328;border:1px solid #d0d7de;border-radius:8px;
padding:20px 24px;margin:0 0 24px}
.release>header{border-bottom:1px solid #d0d7de;margin:-4px 0 16px;padding-bottom:12px}
.release>header .where{color:#57606a;background:#ffffff;margin:0}
.release section{margin:20px 0 0}
.verdict{border-left:8px solid;border-radius:6px;padding:12px 16px;margin:0}
.verdict .label{font-size:1.6em;font-weight:700;margin:0}
.verdict .id{font-size:.85em}
.verdict ul{margin:8px 0 0;padding-left:20px}
.verdict p{margin:2px 0}
.verdict a{color:inherit}
.v-open{background:#dafbe1;color:#0f5323;border-color:#1a7f37}
.v-not{background:#ffebe9;color:#82071e;border-color:#cf222e}
.v-unknown{background:#fff8c5;color:#633c01;border-color:#9a6700}
.v-error{background:#eaeef2;color:#24292f;border-color:#57606a}
.badge{display:inline-block;border-radius:999px;padding:1px 10px;font-weight:600;font-size:.85em;
white-space:nowrap}
.s-granted{background:#1a7f37;color:#ffffff}
.s-restricted{background:#cf222e;color:#ffffff}
.s-unknown{background:#7d4e00;color:#ffffff}
.muted{color:#57606a;background:#ffffff}
.mof-class{font-size:1.25em;font-weight:700}
.bars{display:grid;grid-template-columns:max-content 1fr max-content;gap:6px 12px;
align-items:center;margin-top:8px}
.bar{height:12px;background:#eaeef2;border-radius:6px;overflow:hidden}
.bar>span{display:block;height:100%;background:#0969da}
details{font-size:.9em;grid-column:1/-1;margin:-2px 0 4px}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid #d0d7de}
th{background:#f6f8fa;color:#1f2328}
th[scope=row]{white-space:nowrap;width:1%}
td:has(>.badge),td:has(>.scale){white-space:nowrap;width:1%}
.p-no{background:#ffebe9;color:#82071e;font-weight:600;padding:0 6px;border-radius:4px}
td ul{margin:0;padding-left:16px}
.components td:first-child{white-space:nowrap}
.scale{display:inline-flex;border:1px solid #d0d7de;border-radius:4px;overflow:hidden;
white-space:nowrap}
.scale>span{padding:1px 8px;font-size:.8em;background:#f6f8fa;color:#57606a}
.scale>span.on{font-weight:700}
.scale>.on.g-closed{background:#cf222e;color:#ffffff}
.scale>.on.g-partial{background:#7d4e00;color:#ffffff}
.scale>.on.g-open{background:#1a7f37;color:#ffffff}
.flag{border:1px solid #d0d7de;border-left:6px solid;border-radius:6px;padding:10px 14px;
margin:10px 0;background:#ffffff;color:#1f2328}
.flag.sev-error{border-left-color:#cf222e}
.flag.sev-warning{border-left-color:#9a6700}
.flag.sev-info{border-left-color:#0969da}
.flag p{margin:6px 0}
.code{font-weight:700}
blockquote{margin:8px 0;padding:8px 12px;border-left:4px solid #8c959f;background:#f6f8fa;
color:#1f2328;white-space:pre-wrap;overflow-wrap:anywhere}
.cite{font-size:.85em;color:#57606a;background:#ffffff}
.fix{background:#ddf4ff;color:#0a3069;border-radius:4px;padding:6px 10px}
.error-text{background:#ffebe9;color:#82071e;padding:8px 12px;border-radius:6px}
nav table{background:#ffffff;color:#1f2328;border:1px solid #d0d7de;margin:0 0 24px}
footer{color:#57606a;background:#f6f8fa;font-size:.85em;text-align:center;padding:0 0 24px}
@media print{body{background:#ffffff}.release{border:0;padding:0}}
"""


def to_html(report: Report | Sequence[Report]) -> str:
    """One HTML5 page for one report or several: verdict, freedoms, MOF class, openness,
    flags and components. Self-contained (inline CSS, no script), deterministic, escaped."""
    reports = (report,) if isinstance(report, Report) else tuple(report)
    single = len(reports) == 1
    base = 1 if single else 2  # heading level of a release
    if single:
        title = f"openlicense: {reports[0].name} — {_verdict_label(reports[0])}"
    else:
        title = f"openlicense report: {len(reports)} releases"
    body: list[str] = []
    if not single:
        body.append(f"<h1>{_e(title)}</h1>")
        body.extend(_overview(reports))
    for index, r in enumerate(reports, 1):
        body.extend(_release(r, f"r{index}", base))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
            f'<meta name="generator" content="openlicense {_e(__version__)}">',
            f"<title>{_e(title)}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            "</main>",
            "<footer>Generated by openlicense "
            f"{_e(__version__)}: checked against the OSI Open Source AI Definition 1.0 and the "
            "Model Openness Framework.</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


# --------------------------------------------------------------------------------------------
# small pieces


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _h(level: int, text: str, id_: str | None = None) -> str:
    """A heading; ``text`` is already HTML. Levels past 6 stay at 6."""
    n = min(level, 6)
    attr = f' id="{_e(id_)}"' if id_ else ""
    return f"<h{n}{attr}>{text}</h{n}>"


def _prose(text: str) -> str:
    """Escaped prose from documentation: wrapped lines joined, `code` spans kept."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", _e(" ".join(text.split())))


def _items(values: Sequence[str], css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f"<ul{cls}>" + "".join(f"<li>{_e(v)}</li>" for v in values) + "</ul>"


def _table(*columns: str, css: str = "") -> str:
    """The start of a table, up to its open ``<tbody>``."""
    cls = f' class="{css}"' if css else ""
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in columns)
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>"


def _verdict_label(report: Report) -> str:
    if report.error is not None:
        return "could not be analyzed"
    return _VERDICTS.get(report.verdict or "", ("No verdict", ""))[0]


def _where(source: Source) -> str:
    """``path:line [field]`` as HTML."""
    where = _e(source.path or "")
    if source.line is not None:
        where += f":{source.line}"
    text = f"<code>{where}</code>" if where else ""
    if source.field:
        text += f" [<code>{_e(source.field)}</code>]"
    return text.strip() or "—"


# --------------------------------------------------------------------------------------------
# the page


def _overview(reports: Sequence[Report]) -> Iterator[str]:
    yield '<nav aria-label="Releases">' + _table("Release", "Verdict", "MOF class", "Flags")
    for index, r in enumerate(reports, 1):
        css = "v-error" if r.error is not None else _VERDICTS.get(r.verdict or "", ("", ""))[1]
        yield (
            f'<tr><td><a href="#r{index}">{_e(r.name)}</a></td>'
            f'<td><span class="badge {css}">{_e(_verdict_label(r))}</span></td>'
            f"<td>{_e(r.mof_class or '—')}</td><td>{len(r.flags)}</td></tr>"
        )
    yield "</tbody></table></nav>"


def _release(report: Report, rid: str, level: int) -> Iterator[str]:
    yield f'<article class="release" id="{rid}" aria-labelledby="{rid}-name">'
    yield "<header>"
    yield _h(level, _e(report.name), f"{rid}-name")
    fmt = report.release.format if report.release is not None else None
    where = f"<code>{_e(report.path)}</code>" if report.path else "no path"
    yield f'<p class="where">{where}' + (f" · read as {_e(fmt)}" if fmt else "") + "</p>"
    yield "</header>"
    yield from _verdict(report, rid)
    if report.error is None:
        sub = level + 1
        yield from _freedoms(report.freedoms, rid, sub)
        yield from _mof(report, rid, sub)
        yield from _openness(report.openness, rid, sub)
        yield from _flags(report.flags, rid, sub)
        yield from _components(report, rid, sub)
    if report.errors:
        yield f'<section aria-labelledby="{rid}-notes">'
        yield _h(level + 1, "Notes from reading the release", f"{rid}-notes")
        yield _items(report.errors)
        yield "</section>"
    yield "</article>"


def _severity_order(flags: Sequence[Flag]) -> list[str]:
    """The severities present: error, warning, info, then any other alphabetically."""
    present = {f.severity for f in flags}
    return [s for s in _SEVERITIES if s in present] + sorted(present - set(_SEVERITIES))


def _glance(report: Report, rid: str) -> str:
    """One line: the MOF class and how many flags of each severity."""
    counts = [
        f"{n} {_e(s)}{'' if n == 1 else 's'}"
        for s in _severity_order(report.flags)
        for n in [sum(1 for f in report.flags if f.severity == s)]
    ]
    flags = f'<a href="#{rid}-flags">{", ".join(counts)}</a>' if counts else "none"
    return (
        f'<p class="glance">MOF class: <strong>{_e(report.mof_class or "unclassified")}</strong>'
        f" · openwashing flags: <strong>{flags}</strong></p>"
    )


def _verdict(report: Report, rid: str) -> Iterator[str]:
    if report.error is not None:
        yield '<div class="verdict v-error" role="status">'
        yield '<p class="label">Could not be analyzed</p>'
        kind = f"{_e(report.error_type)}: " if report.error_type else ""
        yield f'<p class="error-text">{kind}{_e(report.error)}</p>'
        yield "</div>"
        return
    label, css = _VERDICTS.get(report.verdict or "", ("No verdict", "v-unknown"))
    yield f'<div class="verdict {css}" role="status">'
    yield f'<p class="label">{_e(label)}</p>'
    yield (
        f'<p class="id">Verdict against the OSI Open Source AI Definition 1.0: '
        f"<code>{_e(report.verdict or 'none')}</code></p>"
    )
    yield _glance(report, rid)
    if report.reasons:
        yield _items(report.reasons)
    yield "</div>"


def _freedoms(freedoms: dict[str, FreedomStatus], rid: str, level: int) -> Iterator[str]:
    yield f'<section aria-labelledby="{rid}-freedoms">'
    yield _h(level, "The four freedoms", f"{rid}-freedoms")
    yield _table("Freedom", "Status", "Why")
    for name, status in freedoms.items():
        mark = _STATUS_MARK.get(status.status, "?")
        if status.reasons:
            why = _items(status.reasons)
        elif status.status == "granted":
            why = '<span class="muted">no restriction found</span>'
        else:
            why = "—"
        yield (
            f'<tr><th scope="row">{_e(name)}</th><td><span class="badge s-{_e(status.status)}">'
            f"{mark} {_e(status.status)}</span></td><td>{why}</td></tr>"
        )
    yield "</tbody></table></section>"


def _percent(value: Any) -> float:
    try:
        return min(100.0, max(0.0, float(value)))
    except (TypeError, ValueError):
        return 0.0


def _mof(report: Report, rid: str, level: int) -> Iterator[str]:
    yield f'<section aria-labelledby="{rid}-mof">'
    yield _h(level, "Model Openness Framework", f"{rid}-mof")
    cls = report.mof_class or "unclassified"
    label = _MOF_LABELS.get(cls)
    text = f"Class {cls} ({label})" if label else cls.capitalize()
    yield f'<p><span class="mof-class">{_e(text)}</span></p>'
    progress = report.mof.get("progress")
    missing = report.mof.get("missing")
    if isinstance(progress, dict) and progress:
        yield '<div class="bars">'
        # Least demanding class first: III, II, I.
        for key in sorted(progress, key=str, reverse=True):
            roman = {"1": "I", "2": "II", "3": "III"}.get(str(key), str(key))
            value = _percent(progress[key])
            yield f"<span>Class {_e(roman)} ({_e(_MOF_LABELS.get(roman, ''))})</span>"
            bar = f'<span style="width:{value:g}%"></span>'
            yield f'<div class="bar" aria-hidden="true">{bar}</div>'
            yield f"<span>{value:g} %</span>"
            absent = missing.get(key) if isinstance(missing, dict) else None
            if absent:
                yield (
                    f"<details><summary>{len(absent)} missing for class {_e(roman)}</summary>"
                    + _items([str(a) for a in absent])
                    + "</details>"
                )
        yield "</div>"
    yield "</section>"


def _scale(grade: str) -> str:
    cells = "".join(
        f'<span class="g-{g} on">{g}</span>' if g == grade else f"<span>{g}</span>" for g in _GRADES
    )
    return f'<span class="scale" role="img" aria-label="{_e(grade)}">{cells}</span>'


def _openness(openness: dict[str, Openness], rid: str, level: int) -> Iterator[str]:
    yield f'<section aria-labelledby="{rid}-openness">'
    yield _h(level, "Openness profile", f"{rid}-openness")
    if not openness:
        yield '<p class="muted">No openness profile.</p></section>'
        return
    yield _table("Attribute", "Grade", "Evidence")
    for name, o in openness.items():
        yield (
            f'<tr><th scope="row">{_e(name)}</th><td>{_scale(o.grade)}</td>'
            f"<td>{_items(o.evidence) if o.evidence else '—'}</td></tr>"
        )
    yield "</tbody></table></section>"


def _flags(flags: Sequence[Flag], rid: str, level: int) -> Iterator[str]:
    yield f'<section aria-labelledby="{rid}-flags">'
    yield _h(level, f"Flags ({len(flags)})", f"{rid}-flags")
    if not flags:
        yield '<p class="muted">No openwashing flag raised.</p>'
    for severity in _severity_order(flags):
        group = [f for f in flags if f.severity == severity]
        title = _SEVERITY_TITLE.get(severity, severity.capitalize())
        yield _h(level + 1, f"{_e(title)} ({len(group)})")
        for flag in group:
            yield from _flag(flag, level + 2)
    yield "</section>"


def _split_message(flag: Flag) -> tuple[str, list[str | None]]:
    """The message without its ``(section 5: "quote")`` parts, and each place's clause label:
    every quote is shown once, in its blockquote (a merged flag has one part per place)."""
    message = flag.message
    labels: list[str | None] = []
    for ev in flag.all_evidence:
        label = None
        if ev.quote:
            pattern = r'\s*\(([^()"]*): "' + re.escape(ev.quote) + r'"\)'
            m = re.search(pattern, message, re.S)
            if m:
                label = m.group(1)
                message = message[: m.start()] + message[m.end() :]
        labels.append(label)
    return message.strip(), labels


def _cite(flag: Flag, clause: str | None) -> str:
    """Where the flag comes from: the file, line and field, and what produced it."""
    ev = flag.evidence
    where = _where(Source(ev.path, ev.line, ev.field))
    kind, _, value = flag.source.partition(":")
    section = f", {_e(clause)}" if clause else ""
    if kind == "catalog":
        # The quote is the catalog's, from the license's text; the place is where it was declared.
        return (
            f"clause of <code>{_e(value)}</code>{section} from the openlicense catalog; "
            f"license declared at {where}"
        )
    if kind == "clause":
        return f"at {where}{section}, matched by the clause pattern <code>{_e(value)}</code>"
    if kind == "diff":
        return f"at {where}{section}, compared with the standard text of <code>{_e(value)}</code>"
    return f"at {where}{section}"


def _flag(flag: Flag, level: int) -> Iterator[str]:
    ev = flag.evidence
    message, clauses = _split_message(flag)
    yield f'<div class="flag sev-{_e(flag.severity)}">'
    yield _h(
        level,
        f'<span class="code">{_e(flag.code)}</span> <code>{_e(flag.name)}</code> '
        f'<span class="muted">({_e(flag.severity)})</span>',
    )
    yield f"<p>{_e(message)}</p>"
    if ev.quote:
        yield f"<blockquote>{_e(ev.quote)}</blockquote>"
    yield f'<p class="cite">{_cite(flag, clauses[0])}</p>'
    for more, clause in zip(flag.more_evidence, clauses[1:], strict=True):
        if more.quote:
            yield f"<blockquote>{_e(more.quote)}</blockquote>"
        section = f", {_e(clause)}" if clause else ""
        where = _where(Source(more.path, more.line, more.field))
        yield f'<p class="cite">also at {where}{section}</p>'
    if flag.fix:
        yield f'<p class="fix"><strong>How to fix:</strong> {_prose(flag.fix)}</p>'
    yield "</div>"


def _license_cell(c: Component) -> str:
    if c.license is None:
        return '<span class="muted">none declared</span>'
    if c.license.expression:
        return f"<code>{_e(c.license.expression)}</code>"
    text = _e(c.license.status)
    if c.license.candidates:
        text += ": one of " + ", ".join(f"<code>{_e(x)}</code>" for x in c.license.candidates)
    return text


def _components(report: Report, rid: str, level: int) -> Iterator[str]:
    yield f'<section aria-labelledby="{rid}-components">'
    yield _h(level, "Components", f"{rid}-components")
    components = report.release.components if report.release is not None else ()
    if not components:
        yield '<p class="muted">No component found.</p></section>'
        return
    yield _table(
        "Component",
        "Name",
        "Published?",
        "License expression",
        "Declared",
        "Sources",
        css="components",
    )
    published = {True: "yes", False: "no", None: "unknown"}
    for c in components:
        declared = f"<code>{_e(c.license.input)}</code>" if c.license is not None else "—"
        sources = (
            "<ul>" + "".join(f"<li>{_where(s)}</li>" for s in c.sources) + "</ul>"
            if c.sources
            else "—"
        )
        yield (
            f"<tr><td>{_e(c.kind)}</td><td>{_e(c.name)}</td>"
            f'<td><span class="p-{published[c.available]}">{published[c.available]}</span></td>'
            f"<td>{_license_cell(c)}</td><td>{declared}</td><td>{sources}</td></tr>"
        )
    yield "</tbody></table></section>"

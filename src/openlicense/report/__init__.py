"""``analyze(path)``: the whole-release report, and the readers' dispatch.

The report is a value; every output format is a pure function of it (``to_dict`` for JSON,
:func:`format_text` for people). Flow: read the release (``readers``) → assess the verdict and
freedoms (``verdict``) → run the rules (``rules``) → compute the MOF class (``mof``) and the
openness profile → :class:`Report`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openlicense.catalog import Catalog, get_catalog
from openlicense.errors import InputError
from openlicense.judge.freedoms import FreedomAssessment
from openlicense.judge.verdict import Openness, assess, openness
from openlicense.model import FREEDOMS, Flag, Release, Verdict
from openlicense.read.discover import is_model_card_name, is_yaml_name
from openlicense.terminal import paint as _paint
from openlicense.terminal import visible

__all__ = [
    "Report",
    "analyze",
    "analyze_release",
    "failed_report",
    "format_text",
    "read_release",
]


@dataclass(frozen=True, slots=True)
class Report:
    """The report on one release (JSON shape ``openlicense/report/v1``)."""

    name: str
    path: str | None
    verdict: Verdict | None
    freedoms: dict[str, FreedomAssessment]
    mof_class: str | None
    openness: dict[str, Openness]
    flags: tuple[Flag, ...]
    release: Release | None = None
    reasons: tuple[str, ...] = ()
    mof: dict[str, Any] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    error: str | None = None
    error_type: str | None = None
    unknown: tuple[str, ...] = ()  # the required facts not known (listed in ``reasons`` too)

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        release = self.release
        return {
            "schema": "openlicense/report/v1",
            "subject": {
                "name": self.name,
                "path": self.path,
                "format": release.format if release else None,
            },
            "components": [c.to_dict() for c in release.components] if release else [],
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "freedoms": {f: s.to_dict() for f, s in self.freedoms.items()},
            "mof_class": self.mof_class,
            "mof": self.mof,
            "openness": {k: v.to_dict() for k, v in self.openness.items()},
            "flags": [f.to_dict() for f in self.flags],
            "files": [
                {
                    "path": i.path,
                    "kind": i.kind,
                    "expression": i.expression,
                    "variant_of": i.variant_of,
                }
                for i in (release.files if release else ())
            ],
            "errors": list(self.errors),
            "error": self.error,
            "error_type": self.error_type,
        }


# --------------------------------------------------------------------------------------------


def read_release(path: str | os.PathLike[str]) -> Release:
    """Read a release from a model repository folder, a model card, a Model Openness Tool
    YAML file or a license file (chosen by what the path is), or, named ``hf:ORG/NAME[@REV]``,
    a repository on the Hugging Face Hub (``openlicense[hub]``)."""
    if isinstance(path, str) and path.startswith("hf:"):
        from openlicense.release.hub import read_hub_repo

        return read_hub_repo(path)
    p = Path(path)
    if p.is_dir():
        from openlicense.release.hf import read_hf_repo

        return read_hf_repo(p)
    name = p.name.lower()
    if is_yaml_name(name):
        from openlicense.release.mot import read_mot

        return read_mot(p)
    if is_model_card_name(name):
        from openlicense.release.hf import read_model_card

        return read_model_card(p)
    from openlicense.release.files import read_license_file

    return read_license_file(p)


def analyze_release(
    release: Release,
    catalog: Catalog | None = None,
    *,
    corpus_licenses: Mapping[str, str] | None = None,
) -> Report:
    """Judge a release: verdict, freedoms, flags, MOF class, openness.

    ``corpus_licenses`` maps model names (Hugging Face ids) to license expressions of other
    releases in the same corpus, so that a derivative's base model license is known.
    """
    from openlicense.judge.mof import mof_class
    from openlicense.judge.rules import evaluate
    from openlicense.release.basemodels import resolve_base_licenses

    catalog = catalog or get_catalog()
    release = resolve_base_licenses(release, corpus_licenses)
    assessment = assess(release, catalog)
    flags = evaluate(release, assessment, catalog)
    mof = mof_class(release)
    return Report(
        name=release.name,
        path=release.path,
        verdict=assessment.verdict,
        freedoms=assessment.freedoms,
        mof_class=mof.mof_class,
        openness=openness(release, catalog),
        flags=tuple(flags),
        release=release,
        reasons=assessment.reasons,
        unknown=assessment.unknown,
        mof=mof.to_dict(),
        errors=release.errors,
    )


def analyze(
    path: str | os.PathLike[str], *, corpus_licenses: Mapping[str, str] | None = None
) -> Report:
    """Analyze one release. A release that cannot be read gives a report with ``error`` set.

    ``corpus_licenses``: licenses of other models of the same corpus by Hugging Face id, so a
    derivative's base model license is known (``scan`` passes them)."""
    try:
        release = read_release(path)
    except InputError as exc:
        return _failed(str(path), exc)
    return analyze_release(release, corpus_licenses=corpus_licenses)


def analyze_expression(expression: str, name: str = "expression") -> Report:
    """Analyze a release known only by the license of its weights (a plain expression)."""
    from openlicense.release.files import release_from_expression

    return analyze_release(release_from_expression(expression, name=name))


def _failed(path: str, exc: Exception) -> Report:
    return failed_report(path, str(exc), type(exc).__name__)


def failed_report(path: str, message: str, error_type: str, *, name: str | None = None) -> Report:
    """The report of a subject that could not be analyzed: every key, nothing judged."""
    return Report(
        name=Path(path).name if name is None else name,
        path=path,
        verdict=None,
        freedoms={f: FreedomAssessment("unknown") for f in FREEDOMS},
        mof_class=None,
        openness={},
        flags=(),
        error=message,
        error_type=error_type,
    )


# --------------------------------------------------------------------------------------------
# text


_VERDICT_TEXT = {
    "open-source-ai": "open source AI",
    "not-open-source-ai": "NOT open source AI",
    "insufficient-information": "insufficient information to decide",
}


def format_text(report: Report, *, color: bool = False) -> str:
    """A summary a person can act on: verdict, freedoms, flags with their clauses, components.

    Names, paths and quoted texts from the input go through :func:`~openlicense.terminal.visible`:
    a control character in a file name is shown as an escape, never sent to the terminal."""

    def paint(text: str, code: str) -> str:
        return _paint(text, code, color)

    v = visible
    lines = [paint(v(report.name), "1") + (f"  ({v(report.path)})" if report.path else "")]
    if report.error:
        lines.append(paint(f"  error: {v(report.error)}", "31"))
        return "\n".join(lines)
    vcolor = {"open-source-ai": "32", "not-open-source-ai": "31"}.get(report.verdict or "", "33")
    lines.append(
        f"  verdict: {paint(_VERDICT_TEXT.get(report.verdict or '', '?'), vcolor)}"
        f"   MOF class: {report.mof_class}"
    )
    for reason in report.reasons[:8]:
        lines.append(f"    - {v(reason)}")
    lines.append("  freedoms:")
    for name, status in report.freedoms.items():
        scolor = {"granted": "32", "restricted": "31"}.get(status.status, "33")
        lines.append(f"    {name:7} {paint(status.status, scolor)}")
        for reason in status.reasons[:3]:
            lines.append(f"            {v(reason[:160])}")
    if report.release is not None:
        lines.append("  components:")
        for c in report.release.components:
            avail = {True: "published", False: "NOT published", None: "availability unknown"}[
                c.available
            ]
            lic = c.expression or (c.license.status if c.license else "no license declared")
            lines.append(f"    {c.kind:17} {v(c.name[:32]):32} {avail:20} {v(str(lic))}")
    if report.flags:
        lines.append("  flags:")
        for f in report.flags:
            fcolor = {"error": "31", "warning": "33"}.get(f.severity, "36")
            where = f.evidence.path or ""
            if f.evidence.line:
                where += f":{f.evidence.line}"
            if f.evidence.field:
                where += f" [{f.evidence.field}]"
            lines.append(f"    {paint(f'{f.code} {f.name}', fcolor)} {v(where)}")
            lines.append(f"        {v(f.message[:200])}")
            if f.evidence.quote:
                lines.append(f'        "{v(f.evidence.quote[:160])}"')
            for ev in f.more_evidence:
                also = (ev.path or "") + (f":{ev.line}" if ev.line else "")
                also += f" [{ev.field}]" if ev.field else ""
                lines.append(f"        also {v(also)}" if also else "        also")
                if ev.quote:
                    lines.append(f'        "{v(ev.quote[:160])}"')
            if f.fix:
                lines.append(f"        fix: {v(f.fix[:200])}")
    if report.openness:
        lines.append(
            "  openness: " + ", ".join(f"{k} {v.grade}" for k, v in report.openness.items())
        )
    for e in report.errors:
        lines.append(f"  note: {v(e)}")
    return "\n".join(lines)

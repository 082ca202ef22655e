#!/usr/bin/env python3
"""Measure whole-release judgments: the release fixtures, and OSI's own validation of the OSAID.

    python tools/eval_releases.py                  # both splits and the OSI table
    python tools/eval_releases.py --split tune     # only the split you may tune on
    python tools/eval_releases.py --details        # every disagreement, fixture by fixture
    python tools/eval_releases.py --json           # the figures as one JSON document
    python tools/eval_releases.py --subprocess     # exit statuses from fresh processes

**Release fixtures** (``fixtures/releases/{tune,heldout}/<name>/expect.toml``, conventions in
``fixtures/releases/README.md``): each folder is run through :func:`openlicense.report.analyze`
and through ``openlicense check --format json`` (for the exit status, under the default policy:
the repository's pyproject.toml has no ``[tool.openlicense]`` table). Figures per split:

- weights: the parameters' expression (the AND of the distinct expressions of the parameters
  components) means the labelled one (operands as a set, ``LicenseRef-openlicense-?`` for any own
  id, the same number of licenses); ``models``: every labelled model's license is among them;
- sources: every labelled ``file:line`` of a component is among the sources of the report's
  components of that kind (``path+line``), or at least the file is (``path``);
- training code and data information: published or not, as labelled;
- verdict; flags (micro precision / recall over (fixture, flag) pairs, the rate of exactly right
  sets, and reports that list one flag more than once); exit status.

**OSI table** (``src/openlicense/data/osi-validation.toml``): every Model Openness Tool record of a
system OSI validated, judged by ``analyze``; OSI's conclusion (passes → ``open-source-ai``; fails,
or would pass with other terms → ``not-open-source-ai``) against ours. Whether a record lists
released weights is read from the YAML itself, not from openlicense.

Keep ``heldout/`` unseen while changing the readers: its figure is the only one that says how
the change does on releases it was not built from.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "releases"
OSI_TABLE = ROOT / "src" / "openlicense" / "data" / "osi-validation.toml"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SPLITS = ("tune", "heldout")
COMPONENTS = ("parameters", "code", "data-information")

if str(ROOT / "src") not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))


# ----------------------------------------------------------------------------------------------
# expectations


@dataclass(frozen=True, slots=True)
class Expected:
    """One fixture's ``expect.toml``."""

    name: str
    split: str
    path: Path
    kind: str
    traits: tuple[str, ...]
    verdict: str
    flags: frozenset[str]
    exit_status: int
    components: dict[str, dict[str, Any]]
    models: tuple[dict[str, Any], ...]


def load_expected(split: str, base: Path = FIXTURES) -> list[Expected]:
    cases = []
    for expect in sorted((base / split).glob("*/expect.toml")):
        data = tomllib.loads(expect.read_text(encoding="utf-8"))
        cases.append(
            Expected(
                name=expect.parent.name,
                split=split,
                path=expect.parent,
                kind=data["kind"],
                traits=tuple(data.get("traits", ())),
                verdict=data["verdict"],
                flags=frozenset(data["flags"]),
                exit_status=int(data["exit_status"]),
                components=dict(data.get("components", {})),
                models=tuple(data.get("models", ())),
            )
        )
    return cases


# ----------------------------------------------------------------------------------------------
# what openlicense says


@dataclass(frozen=True, slots=True)
class Produced:
    verdict: str | None
    flags: tuple[str, ...]  # in report order, duplicates kept
    expressions: dict[str, tuple[str, ...]]  # component kind -> distinct expressions, in order
    # component kind -> (path relative to the fixture, line)
    sources: dict[str, frozenset[tuple[str, int | None]]]
    training_code: bool | None
    data_information: bool | None
    exit_status: int | None
    error: str | None = None


def _relative(path: str | None, folder: Path) -> str:
    if not path:
        return ""
    p = Path(path)
    p = p if p.is_absolute() else (Path.cwd() / p)
    try:
        return p.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def produce(folder: Path, *, exit_status: int | None) -> Produced:
    from openlicense.report import analyze

    report = analyze(folder)
    release = report.release
    expressions: dict[str, list[str]] = {}
    sources: dict[str, set[tuple[str, int | None]]] = {}
    training: bool | None = None
    data_info: bool | None = None
    for c in release.components if release else ():
        if c.expression and c.expression not in expressions.setdefault(c.kind, []):
            expressions[c.kind].append(c.expression)
        bucket = sources.setdefault(c.kind, set())
        for s in c.sources:
            bucket.add((_relative(s.path, folder), s.line))
        if c.kind == "code" and "training" in c.name.lower():
            training = c.available if training is None else (training or bool(c.available))
        if c.kind == "data-information":
            data_info = c.available if data_info is None else (data_info or bool(c.available))
    return Produced(
        verdict=report.verdict,
        flags=tuple(f.name for f in report.flags),
        expressions={k: tuple(v) for k, v in expressions.items()},
        sources={k: frozenset(v) for k, v in sources.items()},
        training_code=training,
        data_information=data_info,
        exit_status=exit_status,
        error=report.error,
    )


def check_exit_status(folder: Path, *, subprocess_run: bool = False) -> int:
    """``openlicense check --format json FOLDER``: in this process through the CLI's ``main``
    (the command's own code path, without reloading ScanCode's index each time), or in a fresh
    process with ``subprocess_run``."""
    argv = ["check", "--format", "json", str(folder)]
    if subprocess_run:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        done = subprocess.run(
            [sys.executable, "-m", "openlicense", *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.returncode
    from openlicense.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return int(main(argv))


# ----------------------------------------------------------------------------------------------
# comparing


_OPERATORS = {"AND", "OR", "WITH"}


def _leaves(expression: str) -> int:
    tokens = re.findall(r"[^\s()]+", expression)
    return sum(1 for t in tokens if t.upper() not in _OPERATORS)


def expression_agrees(
    produced: str | None, expected: str | None, alternatives: Iterable[str] = ()
) -> bool:
    """Does the produced expression mean the labelled one? ``expected`` None: no license can be
    named, and none must be produced."""
    if expected is None:
        return produced is None
    if produced is None:
        return False
    from openlicense.errors import OpenLicenseError
    from openlicense.evaluation import expression_matches

    for label in (expected, *alternatives):
        try:
            same = expression_matches(produced, label)
        except (OpenLicenseError, ValueError):
            same = False
        # Two own ids in a label are two licenses: the wildcard must not fold them into one.
        if same and _leaves(produced) == _leaves(label):
            return True
    return False


def combined(expressions: Sequence[str]) -> str | None:
    if not expressions:
        return None
    if len(expressions) == 1:
        return expressions[0]
    return " AND ".join(f"({e})" if " OR " in e else e for e in expressions)


def _source_key(text: str) -> tuple[str, int]:
    path, _, line = text.rpartition(":")
    return path, int(line)


@dataclass(slots=True)
class Tally:
    agree: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.agree += int(ok)

    @property
    def rate(self) -> float | None:
        return self.agree / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {"agree": self.agree, "total": self.total, "rate": self.rate}


@dataclass(slots=True)
class SplitScore:
    split: str
    fixtures: int = 0
    weights: Tally = field(default_factory=Tally)
    models: Tally = field(default_factory=Tally)
    sources_line: Tally = field(default_factory=Tally)
    sources_path: Tally = field(default_factory=Tally)
    training_code: Tally = field(default_factory=Tally)
    data_information: Tally = field(default_factory=Tally)
    verdict: Tally = field(default_factory=Tally)
    flags_exact: Tally = field(default_factory=Tally)
    exit_status: Tally = field(default_factory=Tally)
    flag_tp: int = 0
    flag_fp: int = 0
    flag_fn: int = 0
    duplicated_flags: int = 0  # reports listing one flag name more than once
    contradictions: int = 0  # exit status that contradicts the report's own verdict
    errors: int = 0
    by_kind: dict[str, dict[str, Tally]] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)
    # misses where the fixture's label follows the README's older conventions and the code the
    # corpus gold (fixtures/releases/README.md): counted, so a split's figure can be read
    # without its cases being shown
    conventions: Counter[str] = field(default_factory=Counter)

    @property
    def flag_precision(self) -> float | None:
        found = self.flag_tp + self.flag_fp
        return self.flag_tp / found if found else None

    @property
    def flag_recall(self) -> float | None:
        wanted = self.flag_tp + self.flag_fn
        return self.flag_tp / wanted if wanted else None

    def to_dict(self) -> dict[str, Any]:
        tallies = (
            "weights", "models", "sources_line", "sources_path", "training_code",
            "data_information", "verdict", "flags_exact", "exit_status",
        )  # fmt: skip
        return {
            "split": self.split,
            "fixtures": self.fixtures,
            **{name: getattr(self, name).to_dict() for name in tallies},
            "flags": {
                "tp": self.flag_tp,
                "fp": self.flag_fp,
                "fn": self.flag_fn,
                "precision": self.flag_precision,
                "recall": self.flag_recall,
            },
            "duplicated_flags": self.duplicated_flags,
            "contradictions": self.contradictions,
            "errors": self.errors,
            "by_kind": {k: {n: t.to_dict() for n, t in v.items()} for k, v in self.by_kind.items()},
            "misses": self.misses,
        }


def _ids(expression: str | None) -> frozenset[str]:
    """The license ids of an expression, empty for none or one that does not parse (a
    ``LicenseRef-openlicense-?`` placeholder)."""
    if not expression:
        return frozenset()
    from openlicense import expression as ex

    try:
        return frozenset(leaf.id for leaf in ex.iter_license_keys(ex.parse(expression)))
    except ValueError:
        return frozenset()


@functools.cache
def _binding_bases() -> frozenset[str]:
    """The licenses of the well-known bases that bind their derivatives (not conformant)."""
    from openlicense.normalization import normalize
    from openlicense.release.basemodels import known_bases

    return frozenset(
        b.license for b in known_bases() if normalize(b.license).osaid_conformant is False
    )


def weights_convention(expected: str | None, got: str | None) -> str | None:
    """Which of the conventions where fixtures and gold disagree explains a weights miss, if
    one does: a restrictive label kept over a binding base (the gold's lzlv-70b), or no
    license named where the fixture expects the base's (the gold's Pygmalion-7b has none when
    the card states none; a statement by reference the readers do not read looks the same)."""
    want, have, bases = _ids(expected), _ids(got), _binding_bases()
    extra = want - have
    if not want or not extra or not extra <= bases:
        return None
    if have and have < want and not have & bases:
        return "restrictive label kept over a binding base"
    if not have:
        return "base expected, none named (no statement, or one not read)"
    return None


def conformant(expression: str | None) -> bool:
    if not expression:
        return False
    from openlicense.normalization import normalize

    return normalize(expression).osaid_conformant is True


def score_case(score: SplitScore, exp: Expected, got: Produced) -> None:
    score.fixtures += 1
    miss: dict[str, Any] = {}
    if got.error:
        score.errors += 1
        miss["error"] = got.error

    params = exp.components.get("parameters", {})
    weights = combined(got.expressions.get("parameters", ()))
    ok = expression_agrees(weights, params.get("expression"), params.get("alternatives", ()))
    score.weights.add(ok)
    if not ok:
        miss["weights"] = {"expected": params.get("expression"), "got": weights}
        convention = weights_convention(params.get("expression"), weights)
        if convention:
            score.conventions[convention] += 1

    produced_params = got.expressions.get("parameters", ())
    for model in exp.models:
        ok = any(expression_agrees(e, model["expression"]) for e in produced_params)
        score.models.add(ok)
        if not ok:
            miss.setdefault("models", []).append(model["name"])

    for kind in COMPONENTS:
        want = [_source_key(s) for s in exp.components.get(kind, {}).get("sources", ())]
        if not want:
            continue
        have = got.sources.get(kind, frozenset())
        line_ok = all(w in have for w in want)
        path_ok = all(any(p == w[0] for p, _ in have) for w in want)
        score.sources_line.add(line_ok)
        score.sources_path.add(path_ok)
        if not line_ok:
            miss.setdefault("sources", {})[kind] = {
                "expected": [f"{p}:{n}" for p, n in want],
                "got": sorted(f"{p}:{n}" for p, n in have),
            }

    code = exp.components.get("code", {})
    if "training_code" in code:
        ok = got.training_code is code["training_code"]
        score.training_code.add(ok)
        if not ok:
            miss["training_code"] = {"expected": code["training_code"], "got": got.training_code}
    data = exp.components.get("data-information", {})
    if "available" in data:
        ok = got.data_information is data["available"]
        score.data_information.add(ok)
        if not ok:
            miss["data_information"] = {"expected": data["available"], "got": got.data_information}

    verdict_ok = got.verdict == exp.verdict
    score.verdict.add(verdict_ok)
    if not verdict_ok:
        miss["verdict"] = {"expected": exp.verdict, "got": got.verdict}

    produced = set(got.flags)
    if "open-claim-mismatch" in exp.flags - produced and conformant(weights):
        score.conventions["open claim over conformant weights"] += 1
    score.flag_tp += len(produced & exp.flags)
    score.flag_fp += len(produced - exp.flags)
    score.flag_fn += len(exp.flags - produced)
    flags_ok = produced == exp.flags
    score.flags_exact.add(flags_ok)
    if not flags_ok:
        miss["flags"] = {
            "missed": sorted(exp.flags - produced),
            "extra": sorted(produced - exp.flags),
        }
    repeated = sorted(n for n, c in Counter(got.flags).items() if c > 1)
    if repeated:
        score.duplicated_flags += 1
        miss["repeated_flags"] = repeated

    exit_ok = got.exit_status == exp.exit_status
    score.exit_status.add(exit_ok)
    if not exit_ok:
        miss["exit_status"] = {"expected": exp.exit_status, "got": got.exit_status}
    judged = got.exit_status is not None and got.verdict is not None
    if judged and (got.exit_status == 0) != (got.verdict == "open-source-ai"):
        score.contradictions += 1
        miss["contradiction"] = f"verdict {got.verdict} with exit status {got.exit_status}"

    per_kind = score.by_kind.setdefault(
        exp.kind, {"verdict": Tally(), "flags_exact": Tally(), "weights": Tally()}
    )
    per_kind["verdict"].add(verdict_ok)
    per_kind["flags_exact"].add(flags_ok)
    per_kind["weights"].add("weights" not in miss)
    if miss:
        score.misses.append({"fixture": f"{exp.split}/{exp.name}", "kind": exp.kind, **miss})


def evaluate_split(
    split: str, *, base: Path = FIXTURES, cli: bool = True, subprocess_run: bool = False
) -> SplitScore:
    score = SplitScore(split)
    for exp in load_expected(split, base):
        status = check_exit_status(exp.path, subprocess_run=subprocess_run) if cli else None
        score_case(score, exp, produce(exp.path, exit_status=status))
    return score


# ----------------------------------------------------------------------------------------------
# OSI's validation


def load_osi_table(path: Path = OSI_TABLE) -> list[dict[str, Any]]:
    return list(tomllib.loads(path.read_text(encoding="utf-8"))["system"])


def lists_weights(record: Path) -> bool:
    """Does the MOT record list released final weights? (From the YAML, not from openlicense.)"""
    import yaml

    data = yaml.safe_load(record.read_text(encoding="utf-8")) or {}
    components = (data.get("release") or {}).get("components") or []
    return any(str(c.get("name", "")).strip() == "Model parameters (Final)" for c in components)


@dataclass(frozen=True, slots=True)
class OsiRow:
    system: str
    record: str
    osi: str
    in_scope: bool
    weights_listed: bool
    verdict: str | None
    flags: tuple[str, ...]

    @property
    def expected(self) -> str:
        return "open-source-ai" if self.osi == "passes" else "not-open-source-ai"

    @property
    def agrees(self) -> bool:
        return self.verdict == self.expected


def evaluate_osi(corpus: Path, table: Path = OSI_TABLE) -> list[OsiRow]:
    from openlicense.report import analyze

    rows = []
    for system in load_osi_table(table):
        for name in system["records"]:
            record = corpus / "mot" / "models" / name
            report = analyze(record)
            rows.append(
                OsiRow(
                    system=system["name"],
                    record=name,
                    osi=system["osi"],
                    in_scope=bool(system.get("in_issue_scope", True)),
                    weights_listed=lists_weights(record),
                    verdict=report.verdict,
                    flags=tuple(dict.fromkeys(f.name for f in report.flags)),
                )
            )
    return rows


def osi_summary(rows: Sequence[OsiRow]) -> dict[str, Any]:
    def tally(selected: Iterable[OsiRow]) -> dict[str, Any]:
        t = Tally()
        for r in selected:
            t.add(r.agrees)
        return t.to_dict()

    scoped = [r for r in rows if r.in_scope]
    return {
        "in_scope_with_weights": tally(r for r in scoped if r.weights_listed),
        "in_scope_all": tally(scoped),
        "all_records": tally(rows),
        "rows": [
            {
                "system": r.system,
                "record": r.record,
                "osi": r.osi,
                "in_issue_scope": r.in_scope,
                "weights_listed": r.weights_listed,
                "verdict": r.verdict,
                "agrees": r.agrees,
                "flags": list(r.flags),
            }
            for r in rows
        ],
    }


# ----------------------------------------------------------------------------------------------
# printing


def _pct(t: Tally) -> str:
    return f"{t.agree}/{t.total}" + (f" ({100 * t.rate:.0f}%)" if t.rate is not None else "")


def _ratio(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def format_split(score: SplitScore, *, details: bool) -> str:
    label = {"tune": "tune (seen while building)", "heldout": "held-out (unseen)"}.get(
        score.split, score.split
    )
    lines = [
        f"== {label}: {score.fixtures} releases",
        f"  weights expression     {_pct(score.weights)}",
        f"  per-model licenses     {_pct(score.models)}",
        f"  sources (file+line)    {_pct(score.sources_line)}"
        f"   file only: {_pct(score.sources_path)}",
        f"  training code known    {_pct(score.training_code)}",
        f"  data information       {_pct(score.data_information)}",
        f"  verdict                {_pct(score.verdict)}",
        f"  flags: precision {_ratio(score.flag_precision)}  recall {_ratio(score.flag_recall)}"
        f"  (tp {score.flag_tp}, fp {score.flag_fp}, fn {score.flag_fn});"
        f"  exact set {_pct(score.flags_exact)}",
        f"  reports repeating a flag {score.duplicated_flags}",
        f"  exit status            {_pct(score.exit_status)}"
        f"   exit contradicting own verdict: {score.contradictions}",
    ]
    if score.errors:
        lines.append(f"  reports with an error  {score.errors}")
    if score.conventions:
        explained = ", ".join(f"{what} {n}" for what, n in sorted(score.conventions.items()))
        lines.append(f"  misses the fixtures' older conventions explain (gold wins): {explained}")
    lines.append("  by kind (verdict / exact flags / weights):")
    for kind, t in sorted(score.by_kind.items()):
        cells = "  ".join(
            f"{t[k].agree}/{t[k].total}" for k in ("verdict", "flags_exact", "weights")
        )
        lines.append(f"    {kind:32} {cells}")
    if details:
        for miss in score.misses:
            lines.append("  - " + json.dumps(miss, ensure_ascii=False))
    return "\n".join(lines)


def format_osi(rows: Sequence[OsiRow]) -> str:
    summary = osi_summary(rows)
    lines = ["== OSI validation (MOT records): OSI's conclusion vs ours"]
    lines.append(f"  {'system':12} {'record':32} {'weights':7} {'OSI':11} {'ours':25} agree")
    for r in rows:
        scope = "" if r.in_scope else "  (not in issue 11's list)"
        lines.append(
            f"  {r.system:12} {r.record:32} {'yes' if r.weights_listed else 'no':7} {r.osi:11} "
            f"{r.verdict or 'error':25} {'yes' if r.agrees else 'NO'}{scope}"
        )
    s = summary
    lines.append(
        "  agreement: records listing weights (issue's systems) "
        f"{s['in_scope_with_weights']['agree']}/{s['in_scope_with_weights']['total']}; "
        "all records of the issue's systems "
        f"{s['in_scope_all']['agree']}/{s['in_scope_all']['total']}; "
        f"every record {s['all_records']['agree']}/{s['all_records']['total']}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="the shared corpus (for the OSI table)"
    )
    parser.add_argument("--no-osi", action="store_true", help="skip the OSI table")
    parser.add_argument("--no-cli", action="store_true", help="skip the exit statuses")
    parser.add_argument(
        "--subprocess", action="store_true", help="exit statuses from fresh processes (slow)"
    )
    parser.add_argument("--details", action="store_true", help="list every disagreement")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    splits = SPLITS if args.split == "all" else (args.split,)
    scores = [
        evaluate_split(s, cli=not args.no_cli, subprocess_run=args.subprocess) for s in splits
    ]
    rows: list[OsiRow] = []
    osi_note = None
    if not args.no_osi:
        if (args.corpus / "mot" / "models").is_dir():
            rows = evaluate_osi(args.corpus)
        else:
            osi_note = f"OSI table skipped: no {args.corpus / 'mot' / 'models'}"
    if args.json:
        doc: dict[str, Any] = {
            "schema": "openlicense/release-evaluation/v1",
            "splits": {s.split: s.to_dict() for s in scores},
        }
        if rows:
            doc["osi"] = osi_summary(rows)
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        for s in scores:
            print(format_split(s, details=args.details))
            print()
        if rows:
            print(format_osi(rows))
        if osi_note:
            print(osi_note)
    return 0


if __name__ == "__main__":
    sys.exit(main())

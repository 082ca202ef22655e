"""Golden reports: whole model repositories in fixtures/repos/ and their expected reports.

The expected reports in fixtures/golden/ were generated, then read and checked by hand against
the repositories. Regenerate after a deliberate change with

    OPENLICENSE_UPDATE_GOLDEN=1 pytest tests/test_golden.py

and review the diff: it is the change in what openlicense tells its users. To add a golden
repository, put it in fixtures/repos/<name>, write ``{}`` to fixtures/golden/<name>.json and
regenerate: the test finds every report there.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, REPO
from openlicense.report import analyze

GOLDEN = FIXTURES / "golden"
REPOS_FOLDER = FIXTURES / "repos"
# Every expected report names its repository: fixtures/golden/<name>.json is the report of
# fixtures/repos/<name>. A new golden repository needs no change here.
REPOS = sorted(path.stem for path in GOLDEN.glob("*.json"))


def test_every_golden_report_has_its_repository() -> None:
    assert REPOS, f"no golden reports in {GOLDEN}"
    missing = [name for name in REPOS if not (REPOS_FOLDER / name).is_dir()]
    assert missing == [], f"golden reports without a repository in {REPOS_FOLDER}"


def projection(report_dict: dict[str, Any]) -> dict[str, Any]:
    """The stable part of a report: what a user acts on, with paths relative to the repo."""

    def rel(path: str | None) -> str | None:
        if path is None:
            return None
        p = Path(path)
        return str(p.relative_to(REPO)) if p.is_absolute() and p.is_relative_to(REPO) else path

    return {
        "verdict": report_dict["verdict"],
        "mof_class": report_dict["mof_class"],
        "freedoms": {k: v["status"] for k, v in report_dict["freedoms"].items()},
        "components": [
            {
                "component": c["component"],
                "name": c["name"],
                "available": c["available"],
                "expression": c["expression"],
            }
            for c in report_dict["components"]
        ],
        "openness": {k: v["grade"] for k, v in report_dict["openness"].items()},
        # A flag raised at several places is listed once; the further places follow its own.
        "flags": sorted(
            (
                f["code"],
                f["name"],
                rel(f["evidence"]["path"]),
                f["evidence"]["line"],
                f["evidence"].get("field"),
                *(
                    [[[rel(e["path"]), e["line"], e.get("field")] for e in f["more_evidence"]]]
                    if f.get("more_evidence")
                    else []
                ),
            )
            for f in report_dict["flags"]
        ),
    }


@pytest.mark.parametrize("name", REPOS)
def test_golden_report(name: str) -> None:
    folder = REPOS_FOLDER / name
    report = analyze(folder.relative_to(REPO) if Path.cwd() == REPO else folder)
    got = json.loads(json.dumps(projection(report.to_dict())))
    path = GOLDEN / f"{name}.json"
    if os.environ.get("OPENLICENSE_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got == expected

"""Golden reports: whole model repositories in fixtures/repos/ and their expected reports.

The expected reports in fixtures/golden/ were generated, then read and checked by hand against
the repositories. Regenerate after a deliberate change with

    OPENLICENSE_UPDATE_GOLDEN=1 pytest tests/test_golden.py

and review the diff: it is the change in what openlicense tells its users.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, REPO
from openlicense.report import analyze

REPOS = ["olmo-open", "llama2-relabelled-mit", "sd-gated-rail", "nc-fully-open", "no-data-info"]
GOLDEN = FIXTURES / "golden"


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
        "flags": sorted(
            (
                f["code"],
                f["name"],
                rel(f["evidence"]["path"]),
                f["evidence"]["line"],
                f["evidence"].get("field"),
            )
            for f in report_dict["flags"]
        ),
    }


@pytest.mark.parametrize("name", REPOS)
def test_golden_report(name: str) -> None:
    folder = FIXTURES / "repos" / name
    report = analyze(folder.relative_to(REPO) if Path.cwd() == REPO else folder)
    got = json.loads(json.dumps(projection(report.to_dict())))
    path = GOLDEN / f"{name}.json"
    if os.environ.get("OPENLICENSE_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got == expected

"""Release policies: which flags and verdicts fail a release, and which are accepted, why.

A policy is a TOML table, in its own file (``openlicense check --policy FILE``) or as
``[tool.openlicense]`` in the ``pyproject.toml`` of the checked folder or one of its parents::

    [tool.openlicense]
    fail-on = "error"                        # lowest severity that fails: error|warning|info|never
    fail-verdicts = ["not-open-source-ai"]   # verdicts that fail the release by themselves

    [tool.openlicense.severity]              # change a flag's severity for this project
    gated-access = "error"

    [[tool.openlicense.accept]]              # accepted findings stay in the report, marked
    flag = "withheld-training-data"
    reason = "Data card in preparation, tracked in issue 12"
    path = "README.md"                       # optional: only for evidence in this file

A policy only decides pass or fail; the report itself is the same with or without one.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from openlicense.errors import OpenLicenseError
from openlicense.model import Flag, Severity, Verdict

__all__ = ["Accept", "Decision", "Policy", "PolicyError", "find_policy"]

_LEVELS = {s.value for s in Severity}
_FAIL_ON = {*_LEVELS, "never"}
_VERDICTS = set(get_args(Verdict))


class PolicyError(OpenLicenseError, ValueError):
    """A policy file is malformed: names the file and what is wrong."""


@dataclass(frozen=True, slots=True)
class Accept:
    flag: str
    reason: str
    path: str | None = None

    def covers(self, flag: Flag) -> bool:
        if self.flag not in {flag.name, flag.code}:
            return False
        if self.path is None:
            return True
        where = flag.evidence.path or ""
        return where == self.path or where.endswith(os.sep + self.path)


@dataclass(frozen=True, slots=True)
class Decision:
    """What a policy says of one report."""

    passed: bool
    failing: tuple[Flag, ...]
    accepted: tuple[tuple[Flag, str], ...]
    verdict_failed: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "verdict_failed": self.verdict_failed,
            "failing": [f"{f.code} {f.name}" for f in self.failing],
            "accepted": [{"flag": f.name, "code": f.code, "reason": r} for f, r in self.accepted],
        }


@dataclass(frozen=True, slots=True)
class Policy:
    fail_on: str = "error"
    fail_verdicts: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    accept: tuple[Accept, ...] = ()
    source: str | None = None

    @classmethod
    def from_table(cls, table: dict[str, Any], source: str) -> Policy:
        def fail(msg: str) -> PolicyError:
            return PolicyError(f"{source}: {msg}")

        known = {"fail-on", "fail-verdicts", "severity", "accept"}
        unknown = set(table) - known
        if unknown:
            raise fail(f"unknown key(s) {', '.join(sorted(unknown))}; expected {sorted(known)}")
        fail_on = str(table.get("fail-on", "error"))
        if fail_on not in _FAIL_ON:
            raise fail(f"fail-on = {fail_on!r}; expected one of {sorted(_FAIL_ON)}")
        verdicts = tuple(str(v) for v in table.get("fail-verdicts", ()))
        bad = [v for v in verdicts if v not in _VERDICTS]
        if bad:
            raise fail(f"fail-verdicts: unknown verdict(s) {bad}")
        from openlicense.catalog import get_catalog

        flags = get_catalog().flags
        severity = {str(k): str(v) for k, v in dict(table.get("severity", {})).items()}
        for name, level in severity.items():
            if name not in flags:
                raise fail(f"severity: unknown flag {name!r}")
            if level not in _LEVELS:
                raise fail(f"severity.{name} = {level!r}; expected info, warning or error")
        accepts = []
        for i, row in enumerate(table.get("accept", [])):
            if not isinstance(row, dict) or not row.get("flag") or not row.get("reason"):
                raise fail(f"accept[{i}] needs a flag and a reason")
            name = str(row["flag"])
            if name not in flags and not any(f.code == name for f in flags.values()):
                raise fail(f"accept[{i}]: unknown flag {name!r}")
            accepts.append(Accept(name, str(row["reason"]), row.get("path")))
        return cls(fail_on, verdicts, severity, tuple(accepts), source)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Policy:
        """A policy file: either a bare table or a pyproject.toml with [tool.openlicense]."""
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise PolicyError(f"{p}: no such policy file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PolicyError(f"{p}: cannot read the policy: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError(f"{p}: malformed TOML: {exc}") from None
        if p.name == "pyproject.toml" or "tool" in data:
            data = data.get("tool", {}).get("openlicense", {})
        return cls.from_table(data, str(p))

    def decide(self, flags: tuple[Flag, ...] | list[Flag], verdict: str | None) -> Decision:
        accepted: list[tuple[Flag, str]] = []
        failing: list[Flag] = []
        threshold = None if self.fail_on == "never" else Severity(self.fail_on).rank
        for flag in flags:
            rule = next((a for a in self.accept if a.covers(flag)), None)
            if rule is not None:
                accepted.append((flag, rule.reason))
                continue
            level_name = str(self.severity.get(flag.name, flag.severity))
            level = Severity(level_name).rank if level_name in _LEVELS else 0
            if threshold is not None and level >= threshold:
                failing.append(flag)
        verdict_failed = verdict in self.fail_verdicts
        return Decision(
            passed=not failing and not verdict_failed,
            failing=tuple(failing),
            accepted=tuple(accepted),
            verdict_failed=verdict_failed,
        )


def find_policy(start: str | os.PathLike[str]) -> Policy | None:
    """The ``[tool.openlicense]`` table of the nearest pyproject.toml at or above ``start``."""
    here = Path(start).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return None
            table = data.get("tool", {}).get("openlicense")
            return Policy.from_table(table, str(candidate)) if table is not None else None
    return None

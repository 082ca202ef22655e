"""Release policies: which flags and verdicts fail a release, and which are accepted, why.

A policy is a TOML table, in its own file (``openlicense check --policy FILE``) or as
``[tool.openlicense]`` in the ``pyproject.toml`` of the checked folder or one of its parents::

    [tool.openlicense]
    fail-on = "error"                        # lowest severity that fails: error|warning|info|never
    fail-verdicts = ["not-open-source-ai"]   # verdicts that fail the release by themselves
                                             # (default: not-open-source-ai and
                                             # insufficient-information)

    [tool.openlicense.severity]              # change a flag's severity for this project
    gated-access = "error"

    [[tool.openlicense.accept]]              # accepted findings stay in the report, marked
    flag = "withheld-training-data"
    reason = "Data card in preparation, tracked in issue 12"
    path = "README.md"                       # optional: only for evidence in this file

A policy only decides pass or fail; the report itself is the same with or without one.

The default policy's decision follows the verdict: a release that is not open source AI fails,
and so does one whose verdict cannot be reached (``insufficient-information``), listing the facts
that are missing; a policy accepts the latter by leaving it out of ``fail-verdicts``.
``fail-on = "never"`` fails on no flag and, unless ``fail-verdicts`` is given, on no verdict.
An accepted finding names the policy line that accepted it.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from openlicense.errors import OpenLicenseError
from openlicense.model import Flag, Severity, Verdict

__all__ = [
    "DEFAULT_FAIL_VERDICTS",
    "Accept",
    "Decision",
    "Policy",
    "PolicyError",
    "find_policy",
]

_LEVELS = {s.value for s in Severity}
_FAIL_ON = {*_LEVELS, "never"}
_VERDICTS = set(get_args(Verdict))


class PolicyError(OpenLicenseError, ValueError):
    """A policy file is malformed: names the file and what is wrong."""


#: The verdicts that fail a release when a policy does not say otherwise.
DEFAULT_FAIL_VERDICTS: tuple[str, ...] = ("not-open-source-ai", "insufficient-information")


@dataclass(frozen=True, slots=True)
class Accept:
    flag: str
    reason: str
    path: str | None = None
    line: int | None = None  # the line of its [[accept]] table in the policy file

    def where(self, source: str | None) -> str:
        """Which policy line this is, for the report: ``pyproject.toml line 12``."""
        if source is None:
            return "policy"
        return f"{source} line {self.line}" if self.line else source

    def covers(self, flag: Flag) -> bool:
        if self.flag not in {flag.name, flag.code}:
            return False
        if self.path is None:
            return True
        # A flag raised in several files is accepted only where every one of them is covered.
        return all(
            (where := ev.path or "") == self.path or where.endswith(os.sep + self.path)
            for ev in flag.all_evidence
        )


@dataclass(frozen=True, slots=True)
class Decision:
    """What a policy says of one report."""

    passed: bool
    failing: tuple[Flag, ...]
    accepted: tuple[tuple[Flag, Accept], ...]
    verdict_failed: bool
    verdict: str | None = None
    missing: tuple[str, ...] = ()  # the facts an insufficient-information verdict lacks
    source: str | None = None  # the policy file, None for the default policy

    def reasons(self) -> list[str]:
        """Why the release fails, one line each (empty when it passes)."""
        out = []
        if self.verdict_failed:
            line = f"the verdict is {self.verdict}"
            if self.missing:
                line += "; missing: " + "; ".join(self.missing)
            out.append(line)
        out += [f"{f.code} {f.name} ({f.severity})" for f in self.failing]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "verdict_failed": self.verdict_failed,
            "missing": list(self.missing),
            "failing": [f"{f.code} {f.name}" for f in self.failing],
            "accepted": [
                {"flag": f.name, "code": f.code, "reason": a.reason, "by": a.where(self.source)}
                for f, a in self.accepted
            ],
        }


@dataclass(frozen=True, slots=True)
class Policy:
    fail_on: str = "error"
    #: None: the default, :data:`DEFAULT_FAIL_VERDICTS` (none with ``fail-on = "never"``).
    fail_verdicts: tuple[str, ...] | None = None
    severity: dict[str, str] = field(default_factory=dict)
    accept: tuple[Accept, ...] = ()
    source: str | None = None

    @property
    def failing_verdicts(self) -> tuple[str, ...]:
        """The verdicts that fail a release under this policy."""
        if self.fail_verdicts is not None:
            return self.fail_verdicts
        return () if self.fail_on == "never" else DEFAULT_FAIL_VERDICTS

    @classmethod
    def from_table(
        cls, table: dict[str, Any], source: str, *, lines: tuple[int, ...] = ()
    ) -> Policy:
        """A policy from its TOML table; ``lines`` are the lines of its ``[[accept]]`` tables."""

        def fail(msg: str) -> PolicyError:
            return PolicyError(f"{source}: {msg}")

        known = {"fail-on", "fail-verdicts", "severity", "accept"}
        unknown = set(table) - known
        if unknown:
            raise fail(f"unknown key(s) {', '.join(sorted(unknown))}; expected {sorted(known)}")
        fail_on = str(table.get("fail-on", "error"))
        if fail_on not in _FAIL_ON:
            raise fail(f"fail-on = {fail_on!r}; expected one of {sorted(_FAIL_ON)}")
        given = table.get("fail-verdicts")
        verdicts = None if given is None else tuple(str(v) for v in given)
        bad = [v for v in verdicts or () if v not in _VERDICTS]
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
            line = lines[i] if i < len(lines) else None
            accepts.append(Accept(name, str(row["reason"]), row.get("path"), line))
        return cls(fail_on, verdicts, severity, tuple(accepts), source)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Policy:
        """A policy file: either a bare table or a pyproject.toml with [tool.openlicense]."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except FileNotFoundError:
            raise PolicyError(f"{p}: no such policy file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PolicyError(f"{p}: cannot read the policy: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError(f"{p}: malformed TOML: {exc}") from None
        nested = p.name == "pyproject.toml" or "tool" in data
        if nested:
            data = data.get("tool", {}).get("openlicense", {})
        header = "[[tool.openlicense.accept]]" if nested else "[[accept]]"
        return cls.from_table(data, str(p), lines=_table_lines(text, header))

    def decide(
        self,
        flags: tuple[Flag, ...] | list[Flag],
        verdict: str | None,
        missing: tuple[str, ...] | list[str] = (),
    ) -> Decision:
        """Pass or fail: ``missing`` are the facts an insufficient-information verdict lacks,
        reported with the failure."""
        accepted: list[tuple[Flag, Accept]] = []
        failing: list[Flag] = []
        threshold = None if self.fail_on == "never" else Severity(self.fail_on).rank
        for flag in flags:
            rule = next((a for a in self.accept if a.covers(flag)), None)
            if rule is not None:
                accepted.append((flag, rule))
                continue
            level_name = str(self.severity.get(flag.name, flag.severity))
            level = Severity(level_name).rank if level_name in _LEVELS else 0
            if threshold is not None and level >= threshold:
                failing.append(flag)
        verdict_failed = verdict in self.failing_verdicts
        return Decision(
            passed=not failing and not verdict_failed,
            failing=tuple(failing),
            accepted=tuple(accepted),
            verdict_failed=verdict_failed,
            verdict=verdict,
            missing=tuple(missing) if verdict == "insufficient-information" else (),
            source=self.source,
        )


def _table_lines(text: str, header: str) -> tuple[int, ...]:
    """The 1-based line of each ``header`` (an array-of-tables header) in a TOML text."""
    return tuple(
        number
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip().replace(" ", "") == header
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
            if data.get("tool", {}).get("openlicense") is None:
                return None
            return Policy.load(candidate)
    return None

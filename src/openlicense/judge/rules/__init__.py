"""The rule engine: a registry of rules, each raising one flag of the vocabulary.

Every rule has a stable code and kebab-case name, a default severity, the freedom or component
it concerns (declared once, in ``data/flags.toml``), and its documentation in its docstring,
with the sections What it does / Why it matters / Example / How to fix / References. Rules read
the release, the findings of its license texts and the catalog; they hold no license lists.
``docs/rules/`` is generated from this registry (``python tools/gen_docs.py``).

The rules live by theme: :mod:`~.terms` (clauses of licenses), :mod:`~.licenses` (modified
texts, conflicting declarations), :mod:`~.facts` (what the release publishes and claims);
:mod:`~.text` turns one text's findings into flags; :mod:`~.registry` holds the records.
Importing this package registers the rules and loads nothing (no catalog, no data file).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from openlicense.catalog import Catalog, get_catalog
from openlicense.judge.rules import facts, licenses, terms  # noqa: F401  (they register)
from openlicense.judge.rules.registry import RULES, Context, Rule, get_rule, raise_flag, rule
from openlicense.judge.verdict import Assessment
from openlicense.model import Evidence, Flag, Release

__all__ = [
    "RULES",
    "Context",
    "Rule",
    "evaluate",
    "get_rule",
    "merge_flags",
    "raise_flag",
    "rule",
]


def evaluate(
    release: Release, assessment: Assessment, catalog: Catalog | None = None
) -> list[Flag]:
    """Run every rule over the release; flags in a deterministic order."""
    ctx = Context(release, catalog or get_catalog(), assessment)
    flags: list[Flag] = []
    for r in RULES.values():
        flags.extend(r.check(ctx))
    order = {name: i for i, name in enumerate(RULES)}
    # Stable: at one place, a rule's own order stands (a license's clause before the clause of
    # the policy it incorporates), and the merged flag quotes them in that order.
    return merge_flags(
        sorted(flags, key=lambda f: (order[f.name], f.evidence.path or "", f.evidence.line or 0))
    )


def merge_flags(flags: Iterable[Flag]) -> list[Flag]:
    """One flag per name, severity and component, with the evidence of every place that
    raised it.

    A release's flag is one finding however many sentences or files say it (the README and the
    LICENSE both non-commercial, two licenses forbidding the same use of outputs): the first
    flag keeps its place, code and source; the others' evidence follows its own, in the order
    given, each place once; their messages, where they say something else, are appended.
    Severity and component stay apart: a warning on an optional component is not the error on a
    required one, and each withheld code component is a finding of its own.
    """
    merged: dict[tuple[str, str, str | None], tuple[Flag, list[Evidence], list[str]]] = {}
    for f in flags:
        key = (f.name, str(f.severity), f.component)
        if key not in merged:
            merged[key] = (f, list(f.all_evidence), [f.message])
            continue
        _, evidence, messages = merged[key]
        evidence.extend(e for e in f.all_evidence if e not in evidence)
        if f.message not in messages:
            messages.append(f.message)
    return [
        dataclasses.replace(
            first,
            message="; ".join(messages),
            evidence=evidence[0],
            more_evidence=tuple(evidence[1:]),
        )
        for first, evidence, messages in merged.values()
    ]

"""The four OSAID freedoms as a text decides them, each with the clause that decides it.

- ``restricted``: a hit restricts it. Every license-term flag but ``brand-requirement`` (a
  naming duty, like attribution) restricts use, modify and share; ``no-derivatives`` restricts
  modify and share only; study is restricted only by a ban on studying the model (reverse
  engineering, inspecting the weights).
- ``granted``: a grant provision (or a grant whose proviso holds a negation) names it (use,
  run; modify, adapt, fine-tune; distribute, share, publish; use is implied by copying,
  modifying or distributing "for any purpose") or grants every right at once ("to deal in
  the Model Materials without restriction"), or the text licenses itself under a standard
  open license by name ("Licensed under the Apache License, Version 2.0"). Study is granted
  with use: the freedom to run the model and read what ships with it, unless a ban says
  otherwise.
- ``unknown`` otherwise: a freedom the text never grants stays unknown.
"""

from __future__ import annotations

from collections.abc import Sequence

from openlicense.provisions.detection import Reading
from openlicense.provisions.model import FREEDOMS, FreedomReading, Hit

__all__ = ["NON_RESTRICTING", "conformant", "read_freedoms"]

#: Flags that restrict no freedom.
NON_RESTRICTING = frozenset({"brand-requirement"})
_RESTRICTS: dict[str, tuple[str, ...]] = {"no-derivatives": ("modify", "share")}
_GRANT_VERBS = {"use": "use-verb", "modify": "modify-verb", "share": "share-verb"}


def _grant_with_proviso(r: Reading) -> bool:
    """A grant whose proviso holds a negation: "Permission to use, copy, modify and distribute
    ... is hereby granted, provided that ... the name of the author not be used in advertising"
    (HPND). The provision reads as a prohibition, yet it grants; whatever the proviso forbids
    is a hit of its own and restricts the freedom it touches."""
    positions = r.positions
    grants, conds, negs = positions.get("grant"), positions.get("cond"), positions.get("neg")
    if not grants or not conds or not negs:
        return False
    grant, neg = grants[0], negs[0]
    return any(grant < c < neg for c in conds)


def read_freedoms(readings: Sequence[Reading], hits: Sequence[Hit]) -> tuple[FreedomReading, ...]:
    restricted: dict[str, Hit] = {}
    for hit in sorted(hits, key=lambda h: (h.line, h.flag)):
        if hit.flag in NON_RESTRICTING:
            continue
        for freedom in _RESTRICTS.get(hit.flag, ("use", "modify", "share")):
            restricted.setdefault(freedom, hit)
    granted: dict[str, Reading] = {}
    study_ban: Reading | None = None
    for r in readings:
        if r.provision.is_heading:
            continue
        if "study-ban" in r.own and r.modality == "prohibition" and study_ban is None:
            study_ban = r
        by_reference = "open-license-ref" in r.own and "neg" not in r.own
        if r.modality != "grant" and not by_reference and not _grant_with_proviso(r):
            continue
        blanket = ("blanket-grant" in r.own and "any-purpose" in r.own) or "blanket-all" in r.own
        # "Permission to copy, modify, and distribute ... for any purpose" (W3C): whoever may
        # copy, change and pass on a work for any purpose may use it.
        implied_use = "any-purpose" in r.own and (
            _GRANT_VERBS["modify"] in r.own or _GRANT_VERBS["share"] in r.own
        )
        for freedom, verb in _GRANT_VERBS.items():
            if by_reference or blanket or verb in r.own or (freedom == "use" and implied_use):
                granted.setdefault(freedom, r)
    out: list[FreedomReading] = []
    for freedom in FREEDOMS:
        if freedom == "study":
            if study_ban is not None:
                p = study_ban.provision
                out.append(
                    FreedomReading("study", "restricted", p.line, p.quote, "studying is banned")
                )
                continue
            basis = granted.get("use")
            if basis is not None or "use" in restricted:
                src = basis.provision if basis is not None else None
                out.append(
                    FreedomReading(
                        "study",
                        "granted",
                        src.line if src else None,
                        src.quote if src else "",
                        "the model may be run and inspected; nothing forbids studying it",
                    )
                )
            else:
                out.append(FreedomReading("study", "unknown", None, "", "the text grants no use"))
            continue
        restricting = restricted.get(freedom)
        if restricting is not None:
            out.append(
                FreedomReading(
                    freedom, "restricted", restricting.line, restricting.quote, restricting.flag
                )
            )
            continue
        basis = granted.get(freedom)
        if basis is not None:
            p = basis.provision
            out.append(FreedomReading(freedom, "granted", p.line, p.quote, "granted"))
        else:
            out.append(FreedomReading(freedom, "unknown", None, "", "the text does not grant it"))
    return tuple(out)


def conformant(freedoms: Sequence[FreedomReading], hits: Sequence[Hit]) -> bool:
    """True only when all four freedoms are granted and no hit restricts anything."""
    return all(f.status == "granted" for f in freedoms) and not any(
        h.flag not in NON_RESTRICTING for h in hits
    )

"""Reading one identifier, name or loosely written expression against the catalog."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from openlicense import expression as ex
from openlicense.catalog import Catalog, NameTarget
from openlicense.errors import InvalidLicenseExpression
from openlicense.normalization.cleaning import expression_ids
from openlicense.normalization.result import MAX_CANDIDATES, Status, Strictness

__all__ = ["IdReader", "Reading", "expand", "substitute"]


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read (part of) the input."""

    node: ex.Expression | None = None
    candidates: tuple[ex.Expression, ...] = ()
    status: Status = "ok"
    how: str = ""
    alternatives: tuple[str, ...] = ()
    deprecated: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    kind: str = "license"


class IdReader:
    """Reads SPDX expressions, catalogued names and loosely written ids (steps 1 to 3)."""

    def __init__(self, catalog: Catalog, strictness: Strictness, upgrade: bool) -> None:
        self.catalog = catalog
        self.strictness = strictness
        self.upgrade = upgrade
        # A reader serves one input, whose pieces are tried by several steps (the whole text
        # as a name, then as the one part of a compound): each reading is made once.
        self._spdx_memo: dict[str, Reading | None] = {}  # None: not an expression
        self._name_memo: dict[str, Reading | None] = {}
        self._loose_memo: dict[str, Reading | None] = {}

    # -- identifiers --

    def _leaf_canonical(
        self, leaf: ex.License | ex.LicenseRef | ex.With, deprecated: list[str]
    ) -> ex.Expression:
        """Put catalogued LicenseRefs in canonical case and upgrade deprecated ids."""
        if isinstance(leaf, ex.With):
            inner = self._leaf_canonical(leaf.license, deprecated)
            if isinstance(inner, (ex.License, ex.LicenseRef)):
                return ex.With(inner, leaf.exception)
            return inner  # pragma: no cover - a deprecated id with a WITH is left as it was
        if isinstance(leaf, ex.LicenseRef):
            if leaf.document_ref is None:
                canonical = self.catalog.license_id(leaf.id)
                if canonical is not None:
                    # A retired ScanCode reference may now be an SPDX id (OpenMDW-1.0).
                    return self.catalog.expression(canonical)
            return leaf
        entry = self.catalog.get(leaf.id)
        if entry is None or not entry.deprecated:
            return leaf
        deprecated.append(leaf.id + ("+" if leaf.or_later else ""))
        replacement = self.catalog.replacement(leaf.id)
        if not self.upgrade or not replacement:
            return leaf
        if leaf.or_later:
            if replacement.endswith("-only"):
                replacement = replacement.removesuffix("-only") + "-or-later"
            elif "-or-later" not in replacement:
                return leaf
        return self.catalog.expression(replacement)

    def finish(self, node: ex.Expression) -> tuple[ex.Expression, tuple[str, ...]]:
        deprecated: list[str] = []
        node = ex.map_leaves(node, lambda leaf: self._leaf_canonical(leaf, deprecated))
        if not isinstance(node, ex.License):  # simplify() leaves a License as it is
            node = ex.simplify(node)
        return node, tuple(dict.fromkeys(deprecated))

    def _target_reading(self, target: NameTarget, how: str | None = None) -> Reading:
        how = how or target.how
        if target.status is not None:
            return Reading(status=target.status, how=how)  # type: ignore[arg-type]
        if target.candidates:
            cands = tuple(self.catalog.expression(c) for c in target.candidates)
            return Reading(candidates=cands, status="ambiguous", how="family")
        assert target.expression is not None
        node = self.catalog.expression(target.expression)
        return Reading(node=node, how=how, alternatives=target.alternatives, kind=self._kind(node))

    def _kind(self, node: ex.Expression) -> str:
        if isinstance(node, (ex.License, ex.LicenseRef)):
            entry = self.catalog.get(node.id)
            if entry is not None:
                return entry.kind
        return "license"

    def spdx(self, text: str, *, explain: bool = True) -> Reading:
        """Read ``text`` as an SPDX expression with catalogued ids; raise if it is not one
        (``explain=False``: without saying where the syntax is wrong, which is cheaper)."""
        if not explain and text in self._spdx_memo:
            known = self._spdx_memo[text]
            if known is None:
                raise InvalidLicenseExpression("not an SPDX expression", expression=text)
            return known
        self._spdx_memo[text] = None
        if self.strictness == "lenient":
            ids = expression_ids(text)
            if ids is None or (not explain and not all(map(self._may_resolve, ids))):
                raise InvalidLicenseExpression("not an SPDX expression", expression=text)
        node = ex.parse(text, self.catalog, strict=self.strictness == "strict", explain=explain)
        single = isinstance(node, (ex.License, ex.LicenseRef))
        how = "spdx-id" if isinstance(node, ex.License) else "spdx-expression"
        if single and isinstance(node, ex.LicenseRef):
            how = "licenseref"
        reading = self._spdx_memo[text] = Reading(node=node, how=how, kind=self._kind(node))
        return reading

    def spdx_part(self, text: str, ids: Sequence[str]) -> Reading | None:
        """``spdx(text, explain=False)``, or None where it raises: for a text whose identifier
        tokens are ``ids`` (``cleaning.expression_ids``), asked only whether it is one."""
        if text in self._spdx_memo:
            return self._spdx_memo[text]
        if not all(map(self._may_resolve, ids)):
            self._spdx_memo[text] = None
            return None
        try:
            return self.spdx(text, explain=False)
        except InvalidLicenseExpression:
            return None

    def _may_resolve(self, token: str) -> bool:
        """Whether an identifier token can stand in an expression with catalogued ids: a
        license id (with its "+"), an exception id or a reference. Any other token makes the
        parser fail on it, so the parse is not tried (when the error is not wanted)."""
        catalog = self.catalog
        core = token.removesuffix("+")
        return (
            catalog.license_id(core) is not None
            or catalog.exception_id(token) is not None
            or ex.is_reference(core)
        )

    def _may_read_loosely(self, token: str) -> bool:
        """Whether an identifier token can be a leaf of a loose expression (what ``fix`` in
        ``_loose_expression`` accepts): an id, a reference, an exception, or a name."""
        if self._may_resolve(token) or token.startswith(("AdditionRef-", "DocumentRef-")):
            return True
        core = token.removesuffix("+")
        return any(
            r is not None and r.status in {"ok", "ambiguous"}
            for r in (self.name(token), self.name(core) if core != token else None)
        )

    def name(self, text: str) -> Reading | None:
        """One name: HF id, ScanCode key, alias, official name, placeholder or family."""
        if text in self._name_memo:
            return self._name_memo[text]
        found = self._name_memo[text] = self._name(text)
        return found

    def _name(self, text: str) -> Reading | None:
        catalog = self.catalog
        stripped = text.strip()
        hf = catalog.hf_id(stripped)
        if hf is not None:
            return self._target_reading(hf.target, "hf-id")
        target = catalog.lookup_name(stripped)
        if target is not None and (target.status or target.candidates):
            return self._target_reading(target)  # placeholders and families before keys
        sc = catalog.scancode(stripped)
        if sc is not None and " " not in stripped:
            return self._target_reading(NameTarget(expression=sc), "scancode-key")
        if target is not None:
            return self._with_gnu_alternative(self._target_reading(target), stripped)
        return None

    def _with_gnu_alternative(self, reading: Reading, text: str) -> Reading:
        """A GNU license named without "only" or "or later" may mean either: say so."""
        node = reading.node
        if not isinstance(node, ex.License) or not node.id.endswith("-only"):
            return reading
        if re.search(r"\bonly\b|or.later|\+", text, re.I):
            return reading
        later = self.catalog.license_id(node.id.removesuffix("-only") + "-or-later")
        if later is None or later in reading.alternatives:
            return reading
        return dataclasses.replace(reading, alternatives=(*reading.alternatives, later))

    def loose_expression(self, text: str) -> Reading | None:
        """An expression whose leaves are loosely written ids ("apache-2 and gpl-3")."""
        if text in self._loose_memo:
            return self._loose_memo[text]
        found = self._loose_memo[text] = self._loose_expression(text)
        return found

    def _loose_expression(self, text: str) -> Reading | None:
        ids = expression_ids(text)
        if ids is None or len(ids) < 2:
            return None  # a single word was already tried as a name
        if not all(map(self._may_read_loosely, ids)):
            return None
        try:
            tree = ex.parse(text, explain=False)
        except InvalidLicenseExpression:
            return None
        ambiguous: list[tuple[ex.Expression, tuple[ex.Expression, ...]]] = []

        def fix(leaf: ex.License | ex.LicenseRef | ex.With) -> ex.Expression:
            if isinstance(leaf, ex.With):
                inner = fix(leaf.license)
                exc = self.catalog.exception_id(leaf.exception)
                if exc is None and not leaf.exception.startswith(("AdditionRef-", "DocumentRef-")):
                    raise LookupError(leaf.exception)
                exc = exc or leaf.exception
                if isinstance(inner, (ex.License, ex.LicenseRef)):
                    return ex.With(inner, exc)
                return inner
            if isinstance(leaf, ex.LicenseRef):
                return leaf
            canonical = self.catalog.license_id(leaf.id)
            if canonical is not None:
                return ex.License(canonical, leaf.or_later)
            reading = self.name(leaf.id + ("+" if leaf.or_later else ""))
            if reading is None and leaf.or_later:
                reading = self.name(leaf.id)
            if reading is None or reading.status not in {"ok", "ambiguous"}:
                raise LookupError(leaf.id)
            if reading.status == "ambiguous":
                placeholder = ex.LicenseRef(f"LicenseRef-ambiguous-{len(ambiguous)}")
                ambiguous.append((placeholder, reading.candidates))
                return placeholder
            assert reading.node is not None
            return reading.node

        try:
            node = ex.map_leaves(tree, fix)
        except (LookupError, InvalidLicenseExpression):
            return None
        if ambiguous:
            return Reading(candidates=expand(node, ambiguous), status="ambiguous", how="family")
        return Reading(node=node, how="corrected-expression")


def substitute(node: ex.Expression, mapping: dict[ex.Expression, ex.Expression]) -> ex.Expression:
    return ex.map_leaves(node, lambda leaf: mapping.get(leaf, leaf))


def expand(
    node: ex.Expression, ambiguous: Sequence[tuple[ex.Expression, tuple[ex.Expression, ...]]]
) -> tuple[ex.Expression, ...]:
    out: list[ex.Expression] = []
    for combo in itertools.islice(
        itertools.product(*(cands for _, cands in ambiguous)), MAX_CANDIDATES
    ):
        mapping = {
            placeholder: cand for (placeholder, _), cand in zip(ambiguous, combo, strict=True)
        }
        out.append(ex.simplify(substitute(node, mapping)))
    return tuple(out)

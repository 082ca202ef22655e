"""The Model Openness Framework's component table: the 17 components and MOT's license lists.

The table is data (``data/mof.toml``), derived from the Model Openness Tool (MOT) at a pinned
commit. Readers need it to know a component by name (:mod:`openlicense.release.mot`), the judge
to classify a release (:mod:`openlicense.judge.mof`); it lives here, below both, so that
reading a MOT file does not need the judge.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Final, Literal

from openlicense.errors import CatalogError

if TYPE_CHECKING:
    from openlicense.model import ComponentKind

__all__ = [
    "MOF_CLASSES",
    "ContentType",
    "MofComponent",
    "MofTable",
    "mof_component",
    "mof_table",
]

ContentType = Literal["code", "data", "document"]
#: The class numbers: 1 (Class I, open science) is the most demanding, 3 the least.
MOF_CLASSES: Final = (1, 2, 3)
_CONTENT_TYPES: Final = frozenset({"code", "data", "document"})
_KINDS: Final = frozenset({"parameters", "code", "data-information", "datasets", "documentation"})


@dataclass(frozen=True, slots=True)
class MofComponent:
    """One of the 17 MOF components, as MOT configures it (``data/mof.toml``)."""

    id: int
    name: str
    mof_class: int  # 1, 2 or 3: the lowest-numbered class is the most demanding
    content_type: ContentType  # what kind of license fits it: code, data or document
    required: bool  # False: listed for information, never needed for a class
    kind: ComponentKind  # the vocabulary's component (docs/vocabulary.md section 2)
    weight: int  # MOT's display order
    description: str


@dataclass(frozen=True, slots=True)
class MofTable:
    """The component table and the license lists of ``data/mof.toml``."""

    components: tuple[MofComponent, ...]
    commit: str  # the MOT commit the table was derived from
    labels: Mapping[int, str]  # class number -> MOT's label ("Class I - Open Science Model")
    technical_report: int
    research_paper: int
    mot_open: frozenset[str]  # MOT: OSI-approved or FSF-libre in its license store
    mot_open_data: frozenset[str]  # MOT: LicenseHandler::OPEN_DATA_LICENSES
    open_content: frozenset[str]  # openlicense: open for data and documents when terms unknown
    not_included: re.Pattern[str]  # a component "license" saying the part is not published

    def required(self, mof_class: int) -> tuple[int, ...]:
        """Ids of the components a class adds to the classes above it."""
        return tuple(c.id for c in self.components if c.mof_class == mof_class and c.required)

    def cumulative(self, mof_class: int) -> tuple[int, ...]:
        """Ids of every component a class needs: its own and those of the classes above it."""
        return tuple(cid for k in range(3, mof_class - 1, -1) for cid in self.required(k))

    def by_id(self, component_id: int) -> MofComponent | None:
        return next((c for c in self.components if c.id == component_id), None)

    def by_name(self, name: str) -> MofComponent | None:
        key = name.strip().casefold()
        return next((c for c in self.components if c.name.casefold() == key), None)


# --------------------------------------------------------------------------------------------
# the data


@functools.cache
def mof_table() -> MofTable:
    """The MOF table shipped in ``data/mof.toml`` (loaded once, on first use)."""
    raw = tomllib.loads(
        resources.files("openlicense").joinpath("data", "mof.toml").read_text(encoding="utf-8")
    )
    try:
        components = tuple(_component(row) for row in raw["component"])
        mot = raw["mot"]
        table = MofTable(
            components=components,
            commit=str(raw["source"]["commit"]),
            labels={int(k): str(v) for k, v in raw["classes"].items()},
            technical_report=int(mot["technical_report"]),
            research_paper=int(mot["research_paper"]),
            mot_open=frozenset(mot["osi_or_fsf"]),
            mot_open_data=frozenset(mot["open_data"]),
            open_content=frozenset(raw["openlicense"]["open_content"]),
            not_included=re.compile(raw["openlicense"]["not_included"]),
        )
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise CatalogError(f"data/mof.toml is malformed: {exc!r}") from exc
    ids = [c.id for c in components]
    if len(set(ids)) != len(ids) or len({c.name.casefold() for c in components}) != len(ids):
        raise CatalogError("data/mof.toml lists a component id or name twice")
    for cid in (table.technical_report, table.research_paper):
        if table.by_id(cid) is None:
            raise CatalogError(f"data/mof.toml: [mot] names component {cid}, which is not listed")
    return table


def _component(row: Mapping[str, Any]) -> MofComponent:
    content_type, kind, mof_class = row["content_type"], row["kind"], row["class"]
    if content_type not in _CONTENT_TYPES or kind not in _KINDS or mof_class not in MOF_CLASSES:
        raise ValueError(f"component {row.get('name')!r}: bad content_type, kind or class")
    return MofComponent(
        id=int(row["id"]),
        name=str(row["name"]),
        mof_class=int(mof_class),
        content_type=content_type,
        required=bool(row["required"]),
        kind=kind,
        weight=int(row["weight"]),
        description=str(row["description"]),
    )


def mof_component(key: int | str) -> MofComponent | None:
    """The MOF component with this id, or this name (case and outer spaces ignored)."""
    table = mof_table()
    return table.by_id(key) if isinstance(key, int) else table.by_name(key)

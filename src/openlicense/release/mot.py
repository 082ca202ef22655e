"""Model Openness Tool (MOT) YAML files: one model release each, component by component.

The MOT (https://mot.isitopen.ai) publishes every model it rates as a YAML file::

    framework: {name: Model Openness Framework, version: '1.0', date: '2024-12-15'}
    release:
      name: Amber
      version: 7B
      producer: LLM360
      license:                     # global licenses, by content type
        distribution: {name: Apache-2.0, path: ...}
        code: {name: MIT}          # also data, document
      components:
        - name: Model architecture # one of the 17 MOF components
          license: Apache-2.0      # optional: the component's own license
          license_path: ...
          component_path: ...

As in MOT, every component listed is part of the release, whether or not it names a license;
a component without a ``license`` key takes the global license of its content type, else the
distribution license; ``license: unlicensed`` or an empty license means published without a
license, and "Component not included" means not published at all.

:func:`parse_mot` returns the file as written, with line numbers; :func:`read_mot` turns it into
a :class:`~openlicense.model.Release` with normalized licenses.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Final

import yaml

from openlicense.errors import ReleaseFormatError
from openlicense.model import Component, Release, Source
from openlicense.normalization import normalize
from openlicense.read.text import read_text_file
from openlicense.read.yaml import compose_yaml
from openlicense.release.moftable import MofComponent, mof_table

__all__ = ["MotComponent", "MotDocument", "MotScalar", "parse_mot", "read_mot"]

_FRAMEWORK: Final = "Model Openness Framework"
_NULL_TAG: Final = "tag:yaml.org,2002:null"
#: The global license scopes MOT reads: one per content type, and the release-wide one.
_SCOPES: Final = ("distribution", "code", "data", "document")
#: Release fields kept as metadata, in this order.
_METADATA: Final = (
    "version",
    "date",
    "type",
    "architecture",
    "treatment",
    "origin",
    "producer",
    "contact",
    "repository",
    "huggingface",
    "github",
)
#: Versions that say nothing and would only clutter the release name.
_NO_VERSION: Final = frozenset({"", "undisclosed", "unknown", "n/a", "none"})


@dataclass(frozen=True, slots=True)
class MotScalar:
    """A scalar as written in the file (YAML's own typing undone) and its 1-based line."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class MotComponent:
    """One entry of ``release.components``."""

    index: int  # position in the list, from 0
    name: str
    line: int  # where the entry starts
    license: MotScalar | None  # None when the key is absent or null
    license_path: MotScalar | None = None
    component_path: MotScalar | None = None


@dataclass(frozen=True, slots=True)
class MotDocument:
    """A MOT file as written: scalar fields, global licenses and component entries."""

    path: str
    release: dict[str, MotScalar]  # the scalar fields of ``release``
    framework: dict[str, MotScalar]
    license_names: dict[str, MotScalar]  # global license name by scope (distribution, code...)
    license_paths: dict[str, MotScalar]
    components: tuple[MotComponent, ...]
    errors: tuple[str, ...] = field(default=())  # problems that do not stop the reading

    @property
    def licenses(self) -> dict[str, str | None]:
        """Global license names by scope, as MOT sees them."""
        return {scope: value.text for scope, value in self.license_names.items()}


# --------------------------------------------------------------------------------------------
# YAML with line numbers


class _Reader:
    """Walks the composed YAML nodes: structure from the nodes, lines from their marks."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: yaml.Node | None, message: str) -> ReleaseFormatError:
        line = node.start_mark.line + 1 if node is not None else 1
        return ReleaseFormatError(f"line {line}: {message}", path=self.path)

    def mapping(self, node: yaml.Node, where: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{where} must be a mapping, not {_shape(node)}")
        result: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise self.fail(key, f"{where} has a key that is not a plain value")
            if key.value in result:
                # YAML forbids it and MOT's parser rejects it: which one was meant is unknowable.
                raise self.fail(key, f"{where} has the key {key.value!r} twice")
            result[key.value] = value
        return result

    def scalar(self, node: yaml.Node, where: str) -> MotScalar | None:
        """The text of a scalar, or None for null; a list or mapping is an error."""
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{where} must be a single value, not {_shape(node)}")
        if node.tag == _NULL_TAG:
            return None
        # node.value is the text as written: "yes" stays "yes" and "1.0" stays "1.0", as MOT's
        # YAML 1.2 parser reads them, where PyYAML's YAML 1.1 typing would say True and 1.0.
        return MotScalar(str(node.value), node.start_mark.line + 1)

    def optional_mapping(self, node: yaml.Node | None, where: str) -> dict[str, yaml.Node]:
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG):
            return {}
        return self.mapping(node, where)


def _key(node: yaml.Node, key: str) -> yaml.Node:
    """The node of a key in a mapping node (where ``key:`` is written), for error lines."""
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    return next((k for k, _ in pairs if isinstance(k, yaml.ScalarNode) and k.value == key), node)


def _shape(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"the value {str(node.value)[:40]!r}"


def _compose(text: str, path: str) -> yaml.Node | None:
    # Nodes only, as written: no Python objects are built, no tags are executed; the limits on
    # size, depth and aliases are checked before any alias is expanded.
    return compose_yaml(text, path=path, what="the file")


def parse_mot(path: str | os.PathLike[str]) -> MotDocument:
    """Read a MOT YAML file as written, with line numbers.

    Raises a :class:`~openlicense.errors.InputError` when the file cannot be read as text, and
    :class:`~openlicense.errors.ReleaseFormatError` (naming the file and the line) when it is
    not valid YAML or not a MOT file: no ``release`` mapping, a ``framework`` other than the
    MOF, or fields of the wrong shape.
    """
    document = read_text_file(path)
    name = document.path or os.fspath(path)
    root = _compose(document.text, name)
    reader = _Reader(name)
    if root is None:
        raise ReleaseFormatError(
            "line 1: empty; not a Model Openness Tool file (no `release`)", path=name
        )
    top = reader.mapping(root, "the document")
    framework = reader.optional_mapping(top.get("framework"), "framework")
    framework_fields = _scalars(reader, framework, "framework")
    declared = framework_fields.get("name")
    if declared is not None and declared.text.strip() != _FRAMEWORK:
        raise reader.fail(
            framework["name"],
            f"not a Model Openness Tool file: framework is {declared.text!r}, not {_FRAMEWORK!r}",
        )
    if "release" not in top:
        raise reader.fail(root, "not a Model Openness Tool file: no `release` mapping")
    release = reader.mapping(top["release"], "release")
    if "components" not in release:
        raise reader.fail(
            _key(root, "release"), "not a Model Openness Tool file: no release.components"
        )

    names: dict[str, MotScalar] = {}
    paths: dict[str, MotScalar] = {}
    licenses = reader.optional_mapping(release.get("license"), "release.license")
    for scope, node in licenses.items():
        entry = reader.optional_mapping(node, f"release.license.{scope}")
        for key, target in (("name", names), ("path", paths)):
            if key in entry:
                value = reader.scalar(entry[key], f"release.license.{scope}.{key}")
                if value is not None:
                    target[scope] = value

    components_node = release["components"]
    entries: list[MotComponent] = []
    errors: list[str] = []
    if not (isinstance(components_node, yaml.ScalarNode) and components_node.tag == _NULL_TAG):
        if not isinstance(components_node, yaml.SequenceNode):
            raise reader.fail(
                components_node, f"release.components must be a list, not {_shape(components_node)}"
            )
        for index, item in enumerate(components_node.value):
            where = f"release.components[{index}]"
            fields = reader.mapping(item, where)
            label = reader.scalar(fields["name"], f"{where}.name") if "name" in fields else None
            if label is None or not label.text.strip():
                errors.append(f"line {item.start_mark.line + 1}: {where} has no name; ignored")
                continue
            values = {
                key: reader.scalar(fields[key], f"{where}.{key}")
                for key in ("license", "license_path", "component_path")
                if key in fields
            }
            entries.append(
                MotComponent(
                    index=index,
                    name=label.text,
                    line=item.start_mark.line + 1,
                    license=values.get("license"),
                    license_path=values.get("license_path"),
                    component_path=values.get("component_path"),
                )
            )
    return MotDocument(
        path=name,
        release=_scalars(reader, release, "release"),
        framework=framework_fields,
        license_names=names,
        license_paths=paths,
        components=tuple(entries),
        errors=tuple(errors),
    )


def _scalars(reader: _Reader, fields: Mapping[str, yaml.Node], where: str) -> dict[str, MotScalar]:
    """The scalar, non-null fields of a mapping (lists and mappings are read elsewhere)."""
    result: dict[str, MotScalar] = {}
    for key, node in fields.items():
        if isinstance(node, yaml.ScalarNode):
            value = reader.scalar(node, f"{where}.{key}")
            if value is not None:
                result[key] = value
    return result


# --------------------------------------------------------------------------------------------
# the release


def read_mot(path: str | os.PathLike[str]) -> Release:
    """Read a MOT YAML file as a :class:`~openlicense.model.Release` (``format="mot"``).

    One component per MOF component listed, in file order; its license is the normalization of
    the component's license, else of the global license for its content type, else of the
    distribution license, and its sources are the lines the component and its license are on.
    A name that is not a MOF component, or a component listed twice (the later entry is kept,
    as in MOT), is reported in ``errors``. Raises as :func:`parse_mot` does.
    """
    document = parse_mot(path)
    table = mof_table()
    where = document.path
    errors = list(document.errors)
    found: dict[int, Component] = {}
    for entry in document.components:
        mof = table.by_name(entry.name)
        if mof is None:
            errors.append(
                f"line {entry.line}: {entry.name!r} is not a Model Openness Framework component;"
                " ignored"
            )
            continue
        if mof.id in found:
            errors.append(
                f"line {entry.line}: {mof.name!r} is listed twice; the later entry is used"
            )
            del found[mof.id]  # keep file order: the component sits where it was last listed
        found[mof.id] = _component(entry, mof, document)
    for mof in _unlisted_required(found):
        found[mof.id] = Component(
            kind=mof.kind,
            name=mof.name,
            available=False,
            sources=(Source(where, None, "release.components"),),
            mof_id=mof.id,
        )

    release = document.release
    name_value = release.get("name")
    title = name_value.text.strip() if name_value is not None else ""
    if not title:
        errors.append("release.name is missing; the file name is used")
        title = Path(where).stem
    version = release["version"].text.strip() if "version" in release else ""
    # "Pythia-1B" version "1B" is already named; "Codex" version "Undisclosed" says nothing.
    if version.casefold() not in _NO_VERSION and version.casefold() not in title.casefold():
        title = f"{title} {version}"

    distribution = document.license_names.get("distribution")
    declared = None
    declared_source = None
    if distribution is not None and distribution.text.strip():
        declared = normalize(distribution.text)
        declared_source = Source(where, distribution.line, "release.license.distribution.name")

    metadata: dict[str, object] = {
        key: release[key].text for key in _METADATA if key in release and release[key].text
    }
    if name_value is not None:
        metadata["name"] = name_value.text
    if document.framework:
        metadata["framework"] = {k: v.text for k, v in document.framework.items()}
    if document.license_names or document.license_paths:
        metadata["licenses"] = {
            scope: {
                "name": _text(document.license_names.get(scope)),
                "path": _text(document.license_paths.get(scope)),
            }
            for scope in _SCOPES
            if scope in document.license_names or scope in document.license_paths
        }
    return Release(
        name=title,
        path=where,
        format="mot",
        components=tuple(found.values()),
        declared=declared,
        declared_source=declared_source,
        metadata=metadata,
        errors=tuple(errors),
    )


@functools.cache
def _osaid_required() -> tuple[tuple[tuple[str, ...], bool], ...]:
    """The components the Open Source AI Definition requires (``data/osaid.toml``): names,
    and whether one of them suffices."""
    raw = tomllib.loads(
        resources.files("openlicense").joinpath("data").joinpath("osaid.toml").read_text("utf-8")
    )
    return tuple((tuple(r["names"]), bool(r["any"])) for r in raw["required"])


def _unlisted_required(found: Mapping[int, Component]) -> list[MofComponent]:
    """The required components a record does not list. In MOT a component that is not listed
    was not released (the tool lists every component a release includes, and OSI's validation
    failed Grok and Mixtral for the training code and data information their records omit):
    they are read as not published, never as unknown."""
    table = mof_table()
    listed = {c.name for c in found.values()}
    out: list[MofComponent] = []
    for names, any_of in _osaid_required():
        missing = [n for n in names if n not in listed]
        if any_of and len(missing) < len(names):
            continue
        for n in missing[:1] if any_of else missing:
            mof = table.by_name(n)
            if mof is not None:
                out.append(mof)
    return out


def _text(value: MotScalar | None) -> str | None:
    return value.text if value is not None else None


def _component(entry: MotComponent, mof: MofComponent, document: MotDocument) -> Component:
    where = document.path
    listed = f"release.components[{entry.index}]"
    sources = [Source(where, entry.line, listed)]
    declared: MotScalar | None
    if entry.license is not None:
        # Set, even to "" or "unlicensed": MOT does not fall back to the global licenses then.
        declared, field_name = entry.license, f"{listed}.license"
    else:
        declared, field_name = None, ""
        for scope in (mof.content_type, "distribution"):
            value = document.license_names.get(scope)
            if value is not None and value.text.strip():
                declared, field_name = value, f"release.license.{scope}.name"
                break
    license = None
    available = True
    if declared is not None:
        license = normalize(declared.text)
        sources.append(Source(where, declared.line, field_name))
        if entry.license is not None and mof_table().not_included.search(entry.license.text):
            available = False
    return Component(
        kind=mof.kind,
        name=mof.name,
        available=available,
        license=license,
        sources=tuple(sources),
        mof_id=mof.id,
    )

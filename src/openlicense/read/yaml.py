"""The one way openlicense reads YAML: safe, bounded, and with the file's line in every error.

Every reader of YAML (a model card's front matter, a Model Openness Tool record) goes through
:func:`compose_yaml` (the node graph, for readers that take text as written and need lines) or
:func:`load_yaml` (the nodes and the plain data built from them).

The limits are checked on the parser's event stream, before any node is built or any alias is
expanded, so a "billion laughs" bomb costs the length of its text and nothing more:

- at most :data:`MAX_CHARS` characters of YAML;
- at most :data:`MAX_DEPTH` nested lists and mappings;
- at most :data:`MAX_ALIASES` alias uses (``*name``);
- at most :data:`MAX_NODES` values once every alias is expanded (counted, never expanded: each
  anchor's expanded size is remembered when its node ends, and an alias adds it).

Past a limit, or on any YAML error, the reader raises
:class:`~openlicense.errors.ReleaseFormatError` naming the file and the line. Building the
data uses PyYAML's safe constructor (plain strings, numbers, lists and mappings; never a Python
object); a scalar it cannot build (a month 13 date, ``!!int`` over text) is a
``ReleaseFormatError`` at that scalar's line, not a ``ValueError``. libyaml's ``CSafeLoader``
is used when PyYAML was built with it, the pure-Python ``SafeLoader`` otherwise: both give the
same nodes and data (a test checks it on the corpus).
"""

from __future__ import annotations

from typing import Any, Final

import yaml

from openlicense.errors import ReleaseFormatError

__all__ = [
    "MAX_ALIASES",
    "MAX_CHARS",
    "MAX_DEPTH",
    "MAX_NODES",
    "compose_yaml",
    "load_yaml",
    "yaml_loader",
]

#: Largest YAML text read, in characters (front matter and MOT records are a few KB).
MAX_CHARS: Final = 2_000_000
#: Deepest nesting of lists and mappings.
MAX_DEPTH: Final = 100
#: Most alias uses (``*name``) in one document.
MAX_ALIASES: Final = 10_000
#: Most values (scalars, lists, mappings) once every alias is expanded.
MAX_NODES: Final = 200_000

_BaseLoader: type[yaml.SafeLoader]
try:
    _BaseLoader = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


def _checked_constructor(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    class Loader(base):  # type: ignore[valid-type,misc]
        """The safe loader, with scalar construction errors given the node's place."""

        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep=deep)
            except yaml.YAMLError:
                raise
            # PyYAML builds a tagged scalar with plain Python and lets its error escape:
            # ValueError (a month 13), KeyError (`!!bool 123`), IndexError (`!!int ''`),
            # OverflowError (a huge float), whatever the tag and the value make of it.
            except (ArithmeticError, LookupError, ValueError, TypeError, AttributeError) as exc:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"the value {str(node.value)[:40]!r} tagged {_short_tag(node.tag)} "
                    f"cannot be read ({exc})",
                    node.start_mark,
                ) from None

    return Loader


def _short_tag(tag: str) -> str:
    return "!!" + tag.rsplit(":", 1)[-1] if tag.startswith("tag:yaml.org,2002:") else tag


_LOADERS: Final = {
    "libyaml": _checked_constructor(_BaseLoader),
    "python": _checked_constructor(yaml.SafeLoader),
}


def yaml_loader() -> str:
    """Which loader :func:`load_yaml` uses by default: ``"libyaml"`` or ``"python"``."""
    return "libyaml" if _BaseLoader is not yaml.SafeLoader else "python"


def compose_yaml(
    text: str, *, path: str | None, first_line: int = 1, what: str = "the YAML", loader: str = ""
) -> yaml.Node | None:
    """The node graph of one YAML document (aliases share nodes), within the limits.

    ``first_line`` is the file line of the text's first line (front matter starts on line 2);
    ``what`` names the text in messages. ``None`` for an empty document.
    """
    node, _ = _load(text, path, first_line, what, loader, build=False)
    return node


def load_yaml(
    text: str, *, path: str | None, first_line: int = 1, what: str = "the YAML", loader: str = ""
) -> tuple[yaml.Node | None, Any]:
    """The node graph and the data of one YAML document, within the limits."""
    return _load(text, path, first_line, what, loader, build=True)


def _load(
    text: str, path: str | None, first_line: int, what: str, loader: str, *, build: bool
) -> tuple[yaml.Node | None, Any]:
    name = loader or yaml_loader()
    try:
        return _load_with(_LOADERS[name], text, path, first_line, what, build=build)
    except ReleaseFormatError:
        if name == "python":
            raise
        # libyaml words some errors differently and marks some on another line: the message
        # of a bad file comes from the pure reader, so it is the same whichever is installed.
        return _load_with(_LOADERS["python"], text, path, first_line, what, build=build)


def _load_with(
    cls: type[yaml.SafeLoader],
    text: str,
    path: str | None,
    first_line: int,
    what: str,
    *,
    build: bool,
) -> tuple[yaml.Node | None, Any]:
    fail = _Failure(text, path, first_line, what)
    if len(text) > MAX_CHARS:
        raise ReleaseFormatError(
            f"line {first_line}: {what} is {len(text):,} characters, more than the "
            f"{MAX_CHARS:,} read",
            path=path,
        )
    try:
        _check_limits(cls, text, fail)
        instance = cls(text)
        try:
            node = instance.get_single_node()
            data = instance.construct_document(node) if build and node is not None else None
        finally:
            instance.dispose()
    except yaml.MarkedYAMLError as exc:
        raise fail.marked(exc) from None
    except yaml.reader.ReaderError as exc:
        raise fail.reader(exc) from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH is far below the recursion limit
        raise ReleaseFormatError(f"{what} {_TOO_DEEP}", path=path) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every other YAML error carries a mark
        raise ReleaseFormatError(
            f"line {first_line}: {what} is not valid YAML: {exc}", path=path
        ) from None
    return node, data


def _check_limits(cls: type[yaml.SafeLoader], text: str, fail: _Failure) -> None:
    """Walk the events once: depth, alias uses and expanded size, before anything is built."""
    parser = cls(text)
    try:
        depth = 0
        aliases = 0
        sizes: list[int] = [0]  # expanded values under each open collection
        open_anchors: list[str | None] = [None]
        anchored: dict[str, int] = {}  # anchor -> expanded size of its node
        total = 0
        while (event := parser.get_event()) is not None:  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.ScalarEvent):
                if event.anchor is not None:
                    anchored[event.anchor] = 1
                sizes[-1] += 1
            elif isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise fail.limit(event, _TOO_DEEP)
                sizes.append(1)
                open_anchors.append(event.anchor)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                size = sizes.pop()
                anchor = open_anchors.pop()
                if anchor is not None:
                    anchored[anchor] = size
                sizes[-1] += size
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise fail.limit(event, f"uses more than {MAX_ALIASES:,} aliases")
                if event.anchor in open_anchors:
                    raise fail.limit(event, f"has an alias *{event.anchor} inside its own anchor")
                sizes[-1] += anchored.get(event.anchor or "", 1)
            else:
                continue
            total = sum(sizes)
            if total > MAX_NODES:
                raise fail.limit(
                    event, f"expands to more than {MAX_NODES:,} values (an alias bomb?)"
                )
    finally:
        parser.dispose()


_TOO_DEEP: Final = f"is nested too deeply: more than {MAX_DEPTH} lists and mappings in each other"


class _Failure:
    """Turns PyYAML's errors into ``ReleaseFormatError`` with the line counted in the file."""

    def __init__(self, text: str, path: str | None, first_line: int, what: str) -> None:
        self.text = text
        self.path = path
        self.first_line = first_line
        self.what = what

    def limit(self, event: yaml.Event, problem: str) -> ReleaseFormatError:
        mark = event.start_mark
        line = self.first_line + (mark.line if mark is not None else 0)
        return ReleaseFormatError(f"line {line}: {self.what} {problem}", path=self.path)

    def marked(self, exc: yaml.MarkedYAMLError) -> ReleaseFormatError:
        mark = exc.problem_mark or exc.context_mark
        line = self.first_line + mark.line if mark is not None else self.first_line
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit, at 1000
            return ReleaseFormatError(f"line {line}: {self.what} {_TOO_DEEP}", path=self.path)
        message = f"line {line}: {self.what} is not valid YAML: {exc.problem or exc.context}"
        # Where the broken construct began: an unclosed quote is only noticed at the end of
        # the text, and the line to fix is the one it opened on.
        if exc.context and exc.problem and exc.context_mark is not None:
            message += f" ({exc.context} on line {self.first_line + exc.context_mark.line})"
        return ReleaseFormatError(message, path=self.path)

    def reader(self, exc: yaml.reader.ReaderError) -> ReleaseFormatError:
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        # libyaml counts the position in UTF-8 bytes, the pure reader in characters: find the
        # character itself, which is what the message is about.
        position = self.text.find(character)
        if position < 0:
            position = exc.position if isinstance(exc.position, int) else 0
        line = self.first_line + self.text.count("\n", 0, position)
        return ReleaseFormatError(
            f"line {line}: {self.what} is not valid YAML: the character "
            f"U+{ord(character):04X} is not allowed",
            path=self.path,
        )

"""The import layers of the package, kept by a test rather than by goodwill.

Each stage may import only the stages below it (docs/architecture.md draws the same ladder).
Every import counts: top-level, inside a function, and under ``TYPE_CHECKING``, because a lazy
import is still a dependency and a type-only one still ties the layers together. A new module
must be given a layer here; a circle between stages, or a value type that imports a stage, fails.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "src" / "openlicense"

# Lowest first. A module belongs to the first entry its dotted name starts with.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "exitcodes", "terminal", "cachefolder", "lazy", "collector"),
    ("expression",),
    ("model",),
    ("catalog",),
    ("read",),
    ("normalization",),
    ("matching",),
    ("provisions",),
    ("identification",),
    ("release",),
    ("judge",),
    ("report",),
    ("batch",),
    ("evaluation",),
    ("cli",),
)
# The package facade re-exports lazily, and `python -m openlicense` starts the CLI.
FACADES = {"openlicense", "openlicense.__main__"}
# What modules may take from the facade itself: the version, nothing that loads a stage.
FROM_FACADE = {"__version__"}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "grammars" in path.parts:
            continue
        found[module_name(path)] = path
    return found


def layer_of(module: str) -> int | None:
    if module in FACADES:
        return None
    stage = module.split(".")[1]
    for index, names in enumerate(LAYERS):
        if stage in names:
            return index
    raise AssertionError(f"{module} has no layer: add its stage to LAYERS in {__file__}")


def imports_of(module: str, path: Path, known: set[str]) -> list[tuple[int, str, str | None]]:
    """(line, imported module, name taken from the facade or None) for each openlicense import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name, None) for a in node.names if a.name.startswith("openlicense")
            ]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if not base.startswith("openlicense"):
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in known:
                    found.append((node.lineno, sub, None))
                elif base == "openlicense":
                    found.append((node.lineno, base, alias.name))
                else:
                    found.append((node.lineno, base, None))
    return found


MODULES = modules()


def test_every_module_has_a_layer() -> None:
    for name in MODULES:
        layer_of(name)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_go_down(module: str) -> None:
    mine = layer_of(module)
    if mine is None:
        return
    own_stage = module.split(".")[1]
    wrong = []
    for line, target, facade_name in imports_of(module, MODULES[module], set(MODULES)):
        if target in FACADES:
            if facade_name not in FROM_FACADE:
                wrong.append(
                    f"line {line}: takes {facade_name!r} from the facade; import its module"
                )
            continue
        theirs = layer_of(target)
        assert theirs is not None
        same_stage = target.split(".")[1] == own_stage
        if theirs > mine or (theirs == mine and not same_stage):
            wrong.append(f"line {line}: imports {target} (layer {theirs}, this is layer {mine})")
    assert not wrong, f"{module}:\n" + "\n".join(wrong)


def test_no_circle_between_modules() -> None:
    """Within a stage modules may call each other, but never in a circle."""
    known = set(MODULES)
    graph = {
        name: {t for _, t, _ in imports_of(name, path, known) if t in known and t not in FACADES}
        for name, path in MODULES.items()
        if name not in FACADES
    }
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                circles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert not circles, "import circles:\n" + "\n".join(" -> ".join(c) for c in circles)

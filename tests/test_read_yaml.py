"""The one YAML reading path (``openlicense.read.yaml``): limits before expansion, typed errors
with the file's line, and the same data from libyaml and the pure-Python loader."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from openlicense.errors import ReleaseFormatError
from openlicense.read import yaml as safe_yaml
from openlicense.read.frontmatter import parse_front_matter
from openlicense.release.mot import parse_mot

LOADERS = ["python", "libyaml"] if hasattr(yaml, "CSafeLoader") else ["python"]

BOMB = "\n".join(
    ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
)


def _shape(node: yaml.Node | None) -> Any:
    """The node graph as plain values: tag, text and line of every node."""
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value, node.start_mark.line)
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, [_shape(n) for n in node.value], node.start_mark.line)
    return (node.tag, [(_shape(k), _shape(v)) for k, v in node.value], node.start_mark.line)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        pytest.param(BOMB, 7, "expands to more than", id="billion-laughs"),
        pytest.param("a: &a [*a]", 2, "inside its own anchor", id="recursive-alias"),
        pytest.param("x: " + "[" * 200 + "]" * 200, 2, "nested too deeply", id="deep-200"),
        pytest.param("x: " + "[" * 5000 + "]" * 5000, 2, "nested too deeply", id="deep-5000"),
        pytest.param("a: &a x\n" + "b: *a\n" * 10_001, 10_003, "aliases", id="many-aliases"),
        pytest.param("date: 2024-13-01", 2, "!!timestamp cannot be read", id="month-13"),
        pytest.param("x: !!int hello", 2, "!!int cannot be read", id="int-over-text"),
        pytest.param("x: !!float abc", 2, "!!float cannot be read", id="float-over-text"),
        pytest.param("x: [!!bool 123]", 2, "!!bool cannot be read", id="bool-over-number"),
        pytest.param("x: !!int ''", 2, "!!int cannot be read", id="int-empty"),
        pytest.param("x: !!timestamp 99999-1-1", 2, "!!timestamp cannot be read", id="year-99999"),
        pytest.param("x: !!python/object:os.system ls", 2, "constructor", id="python-tag"),
        pytest.param("x: 1\ny: \x07", 3, r"U\+0007", id="bell"),
        pytest.param("x: é\ny: \x07", 3, r"U\+0007", id="bell-after-non-ascii"),
        pytest.param("x: [a, b\n", 3, "not valid YAML", id="unclosed-flow"),
    ],
)
@pytest.mark.parametrize("loader", LOADERS)
def test_bad_yaml_is_a_format_error_with_the_file_line(
    text: str, line: int, words: str, loader: str
) -> None:
    start = time.monotonic()
    with pytest.raises(ReleaseFormatError, match=rf"^card\.md: line {line}: .*{words}"):
        safe_yaml.load_yaml(
            text, path="card.md", first_line=2, what="the front matter", loader=loader
        )
    assert time.monotonic() - start < 2


def test_a_bomb_in_a_card_is_refused_before_expansion(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_text(f"---\nlicense: mit\n{BOMB}\n---\n# x\n", encoding="utf-8")
    with pytest.raises(ReleaseFormatError, match=r"README\.md: line 8: .*alias bomb"):
        parse_front_matter(card.read_text(), path=str(card))


def test_a_bomb_in_a_mot_record_is_refused(tmp_path: Path) -> None:
    record = tmp_path / "model.yml"
    record.write_text(f"release:\n  components: []\n{BOMB}\n", encoding="utf-8")
    with pytest.raises(ReleaseFormatError, match=r"model\.yml: line 8: .*alias bomb"):
        parse_mot(record)


def test_a_text_over_the_size_limit_is_refused() -> None:
    with pytest.raises(ReleaseFormatError, match="more than"):
        safe_yaml.load_yaml("x: " + "a" * safe_yaml.MAX_CHARS, path="big.yml")


def test_aliases_within_the_limits_are_read() -> None:
    _, data = safe_yaml.load_yaml("a: &a [1, 2]\nb: *a\n", path="x.yml")
    assert data == {"a": [1, 2], "b": [1, 2]}


def _front_matter(text: str) -> str | None:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    return None if end is None else "\n".join(lines[1:end])


@pytest.mark.skipif(len(LOADERS) < 2, reason="PyYAML was built without libyaml")
def test_both_loaders_read_the_corpus_identically(corpus: Path) -> None:
    sources: list[tuple[str, str]] = []
    for card in sorted((corpus / "modelcards").glob("*.md")):
        front = _front_matter(card.read_text(encoding="utf-8", errors="replace"))
        if front is not None:
            sources.append((card.name, front))
    sources += [
        (record.name, record.read_text(encoding="utf-8"))
        for record in sorted((corpus / "mot" / "models").glob("*.y*ml"))
    ]
    assert len(sources) > 100
    for name, text in sources:
        results = []
        for loader in LOADERS:
            try:
                node, data = safe_yaml.load_yaml(text, path=name, loader=loader)
                results.append((_shape(node), repr(data)))
            except ReleaseFormatError as exc:
                results.append((None, str(exc)))
        assert results[0] == results[1], name

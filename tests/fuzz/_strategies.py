"""Hypothesis strategies for realistic hostile input: expressions, license names, YAML.

Shapes, not noise: most inputs are near-valid (a real expression with one thing wrong), since
that is where parsers break; the rest is raw text with odd unicode. YAML uses anchors, aliases,
merge keys, tags and dates, but never more than a few aliases, so a run cannot build a
"billion laughs" bomb by chance (the bomb is a case of its own in tests/test_hostile.py).
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st

IDS = [
    "MIT", "Apache-2.0", "GPL-3.0-only", "GPL-2.0-or-later", "LGPL-2.1+", "BSD-3-Clause",
    "CC-BY-4.0", "CC-BY-NC-SA-4.0", "MPL-2.0", "0BSD", "Unlicense", "AGPL-3.0", "GPL-2.0+",
    "OpenRAIL-M", "CreativeML-OpenRAIL-M", "Llama-3.1", "NOASSERTION", "NONE", "mit",
    "apache-2.0", "gpl-3.0", "LicenseRef-foo", "LicenseRef-scancode-mit-1995",
    "DocumentRef-doc:LicenseRef-bar", "licenseref-x", "GPL-99999999999999999999999-only",
]  # fmt: skip
EXCEPTIONS = [
    "Classpath-exception-2.0", "LLVM-exception", "GCC-exception-3.1", "AdditionRef-x",
    "Autoconf-exception-3.0", "not-an-exception",
]  # fmt: skip
NAMES = [
    "Apache 2.0", "Apache License, Version 2.0", "MIT License", "the MIT license", "GPLv3",
    "GNU GPL v2 or later", "BSD 3-clause", "CC BY-NC 4.0", "Creative Commons Attribution",
    "Llama 3 Community License", "OpenRAIL++", "research only", "proprietary", "other",
    "see LICENSE", "public domain", "bigscience-openrail-m", "llama2", "cc-by-nc-sa-4.0",
    "Gemma Terms of Use", "Tongyi Qianwen LICENSE AGREEMENT", "apache2", "mit/x11",
]  # fmt: skip
ODD = [
    "\u00a0", "\u200b", "\u202e", "\ufeff", "\u0000", "\x1b[31m", "\r", "\t", "\u2028", "\u00e9",
    "\u0130", "\u017f", "\ufb01", "\uff2d\uff29\uff34", "\U0001f600", "\u0301", "\\", '"', "'",
    "\u2013", "\u2014", "\u00ad", "(", ")", "+", ":", ",", ";", "/", ".", "-", "*", "&", "|",
]  # fmt: skip
OPERATORS = ["AND", "OR", "and", "or", "And", "oR", "&&", "||", "/", ","]


@functools.cache
def _spaces() -> st.SearchStrategy[str]:
    return st.sampled_from([" ", "  ", "\t", " \n ", "", "\u00a0"])


@functools.cache
def leaves() -> st.SearchStrategy[str]:
    plus = st.sampled_from(["", "", "", "+"])
    return st.builds(lambda i, p: i + p, st.sampled_from(IDS), plus) | st.from_regex(
        r"\A[A-Za-z0-9.\-]{1,20}\Z", fullmatch=True
    )


@functools.cache
def expressions(max_leaves: int = 12) -> st.SearchStrategy[str]:
    """SPDX-shaped expressions: nested parentheses, operators in odd cases, WITH."""

    def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.builds(
            lambda a, op, b, s1, s2: f"{a}{s1 or ' '}{op}{s2 or ' '}{b}",
            children,
            st.sampled_from(OPERATORS),
            children,
            _spaces(),
            _spaces(),
        )
        with_ = st.builds(
            lambda a, w, e: f"{a} {w} {e}",
            children,
            st.sampled_from(["WITH", "with", "With"]),
            st.sampled_from(EXCEPTIONS),
        )
        group = st.builds(lambda a, s: f"({s}{a}{s})", children, _spaces())
        return binary | with_ | group

    return st.recursive(leaves(), extend, max_leaves=max_leaves)


@functools.cache
def deep_nesting() -> st.SearchStrategy[str]:
    """Parentheses hundreds deep, balanced or not, with operators inside."""
    return st.builds(
        lambda depth, inner, op, close: (
            (f"(MIT {op} " * depth if op else "(" * depth) + inner + ")" * (depth - close)
        ),
        st.integers(min_value=1, max_value=1100),
        st.sampled_from(IDS),
        st.sampled_from(["", "OR", "AND"]),
        st.integers(min_value=0, max_value=2),
    )


def mutate(base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A valid-looking string with characters inserted, deleted or replaced."""

    def apply(text: str, edits: list[tuple[int, int, str]]) -> str:
        for kind, position, piece in edits:
            at = position % (len(text) + 1)
            if kind == 0:
                text = text[:at] + piece + text[at:]
            elif kind == 1:
                text = text[:at] + text[at + 1 :]
            else:
                text = text[:at] + piece + text[at + 1 :]
        return text

    edit = st.tuples(
        st.integers(0, 2), st.integers(0, 10_000), st.sampled_from(ODD) | st.text(max_size=3)
    )
    return st.builds(apply, base, st.lists(edit, max_size=4))


@functools.cache
def odd_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Any unicode, lone surrogates included, and the characters that confuse readers."""
    pieces = st.characters(codec=None) | st.sampled_from(ODD) | st.just("\ud800")
    return st.lists(pieces, max_size=max_size).map("".join)


@functools.cache
def license_strings() -> st.SearchStrategy[str]:
    """What people put in a ``license:`` field: ids, names, lists, expressions, junk."""
    names = st.sampled_from(NAMES)
    listed = st.builds(
        lambda items, sep: sep.join(items),
        st.lists(names | st.sampled_from(IDS), min_size=1, max_size=8),
        st.sampled_from([", ", " / ", " or ", " and ", "; ", " & ", "\n- ", ","]),
    )
    decorated = st.builds(
        lambda pre, x, post: f"{pre}{x}{post}",
        st.sampled_from(["", "", "- ", "* ", "(", "License: ", '"', "`", "1. "]),
        names | st.sampled_from(IDS),
        st.sampled_from(["", "", ".", ",", ")", " license", " (see LICENSE)", '"', "!", ":"]),
    )
    return st.one_of(
        expressions(), mutate(expressions()), names, listed, decorated, mutate(names), odd_text()
    )


# --------------------------------------------------------------------------------------------
# YAML


@functools.cache
def _yaml_scalars() -> st.SearchStrategy[str]:
    plain = st.sampled_from(
        [
            "mit", "apache-2.0", "other", "yes", "no", "on", "off", "~", "null", "true",
            "0x1F", "0o17", "1_000", "1e400", "-.inf", ".nan", "2024-01-31", "2024-13-01",
            "2024-02-30", "2024-01-31T25:61:00Z", "12:30:45", "0000-00-00", "9999999999-01-01",
            "'quoted'", '"double \\u00e9"', '"\\ud800"', "|\n  block\n  text", ">-\n  folded",
            "'unterminated", "[unclosed", "{a: 1", "@reserved", "`backtick", "%percent",
        ]
    )  # fmt: skip
    huge = st.integers(min_value=-(10**500), max_value=10**500).map(str)
    tagged = st.builds(
        lambda tag, value: f"{tag} {value}",
        st.sampled_from(
            [
                "!!int",
                "!!float",
                "!!bool",
                "!!str",
                "!!null",
                "!!timestamp",
                "!!binary",
                "!!set",
                "!!omap",
                "!!python/object:os.system",
                "!!python/name:os.system",
                "!custom",
                "!<tag:yaml.org,2002:int>",
                "!!map",
                "!!seq",
            ]
        ),
        st.sampled_from(["hello", "abc", "12", "2024-13-01", "3.5", "''", "=", "!@#", "[1, 2]"])
        | huge,
    )
    words = st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20
    ).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return st.one_of(plain, huge, tagged, words)


KEYS = [
    "license", "license_name", "license_link", "base_model", "datasets", "tags", "language",
    "pipeline_tag", "date", "extra_gated_prompt", "model-index", "library_name", "inference",
    "<<", "? complex", "1", "true", "null", "license ",
]  # fmt: skip


@functools.cache
def yaml_values(depth: int = 2) -> st.SearchStrategy[str]:
    """One YAML value written flow-style (one line), possibly nested."""
    base = _yaml_scalars()
    return st.recursive(
        base,
        lambda children: (
            st.builds(lambda xs: "[" + ", ".join(xs) + "]", st.lists(children, max_size=4))
            | st.builds(
                lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}",
                st.lists(st.tuples(st.sampled_from(KEYS[:8]), children), max_size=3),
            )
        ),
        max_leaves=6 if depth else 1,
    )


@st.composite
def yaml_documents(draw: st.DrawFn, *, mot: bool = False) -> str:
    """A YAML mapping of realistic fields, with anchors, aliases, merge keys and tags."""
    lines: list[str] = []
    anchors: list[str] = []
    aliases = 0
    if mot:
        lines += draw(st.sampled_from([["framework:", "  name: Model Openness Framework"], []]))
        lines.append(draw(st.sampled_from(["release:", "release: ~", "release: [a]", "release:"])))
        indent = "  "
        lines += [
            f"{indent}name: {draw(_yaml_scalars())}",
            f"{indent}version: {draw(_yaml_scalars())}",
        ]
        lines.append(f"{indent}license:")
        for scope in draw(
            st.lists(st.sampled_from(["distribution", "code", "data", "document"]), max_size=3)
        ):
            lines += [
                f"{indent}  {scope}:",
                f"{indent}    name: {draw(_quoted())}",
            ]
        lines.append(f"{indent}components:" + draw(st.sampled_from(["", " ~", " {}", " oops"])))
        for _ in range(draw(st.integers(0, 5))):
            lines.append(f"{indent}  - name: {draw(st.sampled_from(_COMPONENTS))}")
            if draw(st.booleans()):
                lines.append(f"{indent}    license: {draw(_quoted())}")
            if draw(st.booleans()):
                field = draw(st.sampled_from(["license_path", "date", "x"]))
                lines.append(f"{indent}    {field}: {draw(_yaml_scalars())}")
    for _ in range(draw(st.integers(0, 8))):
        key = draw(st.sampled_from(KEYS))
        value = draw(st.one_of(yaml_values(), _quoted()))
        choice = draw(st.integers(0, 9))
        if choice == 0:
            name = f"a{len(anchors)}"
            anchors.append(name)
            value = f"&{name} {value}"
        elif choice == 1 and anchors and aliases < 4:
            aliases += 1
            value = "*" + draw(st.sampled_from(anchors))
        elif choice == 2 and anchors and aliases < 4:
            aliases += 1
            lines.append(f"{key}:\n  <<: *{draw(st.sampled_from(anchors))}\n  extra: 1")
            continue
        elif choice == 3:
            items = draw(st.lists(st.one_of(_yaml_scalars(), _quoted()), max_size=4))
            lines.append(f"{key}:" + "".join(f"\n  - {item}" for item in items))
            continue
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


_COMPONENTS = [
    "Model architecture", "Training code", "Model parameters (Final)", "Datasets",
    "Research paper", "Model card", "Data card", "Evaluation results", "Unknown thing",
]  # fmt: skip


@functools.cache
def _quoted() -> st.SearchStrategy[str]:
    return license_strings().map(_quote)


def _quote(text: str) -> str:
    """A license string as a YAML double-quoted scalar (escapes kept valid)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    escaped = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'


def mutate_yaml(doc: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return mutate(doc)


#: Pieces of a card's body in the shapes the readers look for (headings of every style, tables
#: with license columns and label rows, statements by reference, base models in prose), to be
#: joined in any order and number, with odd text between them.
_CARD_PIECES = (
    "## License\n\nThis model is released under the Apache 2.0 license.\n",
    "Licensed under [MIT](https://opensource.org/licenses/MIT). Contact a@b.co\n",
    "- item\n  - nested: value\n    - deeper:\n",
    "```yaml\nlicense: gpl\n```\n",
    "<!-- license: proprietary -->\n",
    "| a | b |\n|---|---|\n| license | mit |\n",
    "Base model\n----------\n\nLLaMA 13B. From Meta.\n",
    "Licence\n=======\n",
    "---\n",
    "| Model | Size | Weights licence |\n| --- | --- | --- |\n| X-7B | 7B | CC-BY-NC-4.0 |\n",
    "| Model | Licence |\n|--|\n| | |\n|||\n| X-1B |\n",
    "| Terms | inherited from the base model |\n",
    "The weights carry the same licence as LLaMA itself.\n",
    "Its weights are subject to the LLaMA license.\n",
    "X-13B is Meta's LLaMA-13B, further trained on notes.\n",
    "We adopt LLaMA-7B (Touvron et al., 2023) as our starting point.\n",
    "A LLaMA-13B fine-tune; nor will the scripts.\n",
    "Code and model weights are both released under MIT.\n",
    "- X-70B weights: Llama 2 Community License, inherited from its base model.\n",
    "Training code\n-------------\n\nIt ran on https://github.com/a/b.\n",
    "after applying through Meta's research access request form\n",
)


@functools.cache
def card_bodies() -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(_CARD_PIECES), odd_text(80))
    return st.one_of(
        st.just("# A model\n"),
        st.sampled_from(_CARD_PIECES),
        odd_text(200),
        st.lists(piece, min_size=2, max_size=8).map("\n".join),
    )

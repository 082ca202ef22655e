"""Which license covers which part of the release: the statements of a README's license section,
its lists and tables ("The source code is under Apache-2.0 (LICENSE)", "The weights of X-34B
are under the X Model License", a table linking ``models/*/LICENSE``), each with its line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from openlicense.identification import Identification
from openlicense.model import Source
from openlicense.normalization import Normalized, normalize
from openlicense.release.hf.licenses import _license_in_line
from openlicense.release.hf.markdown import (
    _LINK,
    _TABLE_ROW,
    _Body,
    _cells,
    _plain,
    is_separator_row,
)
from openlicense.release.hf.phrases import pattern

Scope = Literal["parameters", "code"]


@dataclass(frozen=True, slots=True)
class _Scoped:
    """One statement: the component it covers, the license, the file it points to, where."""

    scope: Scope
    license: Normalized
    ident: Identification | None
    source: Source
    file: str | None  # the repository file the statement points to, if any
    models: tuple[str, ...] = ()


def _known(n: Normalized) -> bool:
    return n.ok and n.matched_by not in {"unlisted-name", "heuristic"}


def _file_refs(line: str, by_name: Mapping[str, Identification]) -> list[str]:
    """The repository's license files a line names (a link target, a path in backticks or bare)."""
    out: list[str] = []
    for original in sorted(by_name, key=len, reverse=True):
        forms = {original, original.removesuffix(".txt")}
        for form in forms:
            rx = rf"(?<![\w/.\-]){re.escape(form)}(?![\w/\-]|\.\w)"
            # A longer path already found (models/x/LICENSE) is not also "LICENSE".
            if (
                re.search(r"(?:\./)?" + rx, line)
                and original not in out
                and not any(o.endswith("/" + original) for o in out)
            ):
                out.append(original)
    return out


def _names_in(line: str) -> list[Normalized]:
    """Licenses a line names by a name the catalog knows."""
    found: list[Normalized] = []
    stated = _license_in_line(line)
    if stated is not None:
        found.append(stated)
    for m in _LINK.finditer(line):
        n = normalize(_plain(m.group(1)).strip(" *_`"))
        if _known(n):
            found.append(n)
    plain = _plain(line)
    for rx in ("statement_under", "statement_subject", "statement_paren", "statement_colon"):
        for m in pattern(rx).finditer(plain):
            text = m.group("value").strip(" *_`.:")
            if 1 < len(text) <= 80:
                n = normalize(text)
                if _known(n):
                    found.append(n)
    return found


def _scope(text: str, is_row: bool) -> Scope | None:
    code = pattern("scope_code").search(text)
    weights = pattern("scope_weights").search(text)
    if is_row and not code:
        return "parameters"
    if code and (weights is None or code.start() < weights.start()):
        return "code"
    if weights or pattern("model_name").search(text):
        return "parameters"
    return None


#: "Code and model weights are both released under ...": a statement of two components.
_BOTH = re.compile(r"^\s*(?:,|and|&|as\s+well\s+as|\+)\s*(?:the\s+|its\s+|our\s+)?", re.I)


def _scopes(text: str, is_row: bool) -> tuple[Scope, ...]:
    """The components a statement covers: one, or the code and the weights when it names
    both together as its subject ("Code and model weights are released under MIT")."""
    code = pattern("scope_code").search(text)
    weights = pattern("scope_weights").search(text)
    if code and weights and not is_row:
        first, second = sorted((code, weights), key=lambda m: m.start())
        if _BOTH.match(text[first.end() : second.start()]):
            return ("code", "parameters")
    scope = _scope(text, is_row)
    return (scope,) if scope else ()


def _model_names(line: str, files: list[str], is_row: bool) -> tuple[str, ...]:
    if is_row:
        first = _plain(line.strip().strip("|").split("|")[0]).strip(" *_`")
        return (first,) if first else ()
    names = [m.group(0) for m in pattern("model_name").finditer(_plain(line))]
    for f in files:
        p = PurePosixPath(f)
        if len(p.parts) > 1:
            names.append(
                p.parent.name if p.parent.name.lower() not in {"model_licenses"} else p.stem
            )
    return tuple(dict.fromkeys(names))


def _license_columns(body: _Body) -> dict[int, tuple[int, tuple[str, ...]]]:
    """For each data row of a table whose header names a license column ("| Checkpoint | ... |
    Weights licence |"), that column's index and header."""
    out: dict[int, tuple[int, tuple[str, ...]]] = {}
    raw = body.raw
    i = 0
    while i + 1 < len(raw):
        if not (_TABLE_ROW.match(raw[i]) and is_separator_row(raw[i + 1])):
            i += 1
            continue
        header = _cells(raw[i])
        column = next(
            (
                (k, tuple(header))
                for k, h in enumerate(header)
                if k > 0 and pattern("licensing_word").search(h)
            ),
            None,
        )
        i += 2
        while i < len(raw) and _TABLE_ROW.match(raw[i]):
            if column is not None:
                out[i] = column
            i += 1
    return out


def _scoped_statements(
    body: _Body, path: str, by_name: Mapping[str, Identification]
) -> tuple[_Scoped, ...]:
    """Every license statement of the card's text that says which component (code, weights)
    and which model it covers."""
    in_license_section: set[int] = set()
    for h in body.headings:
        if pattern("license_heading").search(h.title):
            start, end = body.section(h)
            in_license_section.update(range(start, end))
    columns = _license_columns(body)
    out: list[_Scoped] = []
    for i, raw in enumerate(body.raw):
        if not raw.strip():
            continue
        is_row = bool(_TABLE_ROW.match(raw))
        if i in columns:
            column = _column_statement(raw, columns[i], Source(path, body.line_no(i), None))
            if column is not None:
                out.append(column)
                continue
        files = _file_refs(raw, by_name)
        files = [f for f in files if by_name[f].kind == "license" and not by_name[f].error]
        licensing = bool(pattern("licensing_word").search(raw)) or any(
            _known(normalize(m.group("value").strip(" *_`.:")))
            for m in pattern("statement_paren").finditer(_plain(raw))
        )
        if not (files or licensing or i in in_license_section):
            continue
        names = [] if files else _names_in(raw)
        if not files and not names:
            continue
        text = _plain(raw)
        scopes = _scopes(text, is_row)
        if not scopes and not is_row and i > 0 and body.plain[i - 1]:
            # A sentence carried over from the line before: its subject is there.
            joined = body.plain[i - 1] + " " + text
            scopes = _scopes(re.split(r"[.;]\s+", joined)[-1], is_row=False)
        source = Source(path, body.line_no(i), None)
        for scope in scopes:
            models = _model_names(raw, files, is_row) if scope == "parameters" else ()
            if files:
                for f in files:
                    ident = by_name[f]
                    n = normalize(ident.expression) if ident.expression else None
                    if n is None:
                        continue
                    out.append(_Scoped(scope, n, ident, source, f, models))
            else:
                seen: set[str] = set()
                for n in names:
                    if n.expression and n.expression not in seen:
                        seen.add(n.expression)
                        out.append(_Scoped(scope, n, None, source, None, models))
    return tuple(out)


#: The header of a table's first column when its rows are models ("Model", "Checkpoint").
_MODEL_COLUMN = re.compile(r"\b(?:models?|checkpoints?|variants?|weights|sizes?)\b", re.I)


def _column_statement(
    raw: str, column: tuple[int, tuple[str, ...]], source: Source
) -> _Scoped | None:
    """The license a table row gives in its license column, for the model of its first cell
    (the component the column's header names: "Code license" the code, else the weights)."""
    index, header = column
    cells = _cells(raw)
    if index >= len(cells) or not cells[0]:
        return None
    if not (pattern("model_name").search(cells[0]) or _MODEL_COLUMN.search(header[0])):
        return None  # a table of datasets or libraries with their licenses, not of models
    n = normalize(cells[index].strip(" *_`"))
    if not _known(n):
        return None
    scope: Scope = "code" if pattern("scope_code").search(header[index]) else "parameters"
    models = (cells[0].strip(" *_`"),) if scope == "parameters" else ()
    return _Scoped(scope, n, None, source, None, models)

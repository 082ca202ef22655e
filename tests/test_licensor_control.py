"""licensor-control needs a power the licensor holds over the licensee's rights (to revoke,
suspend, disable, restrict remotely, audit), not its discretion in granting what the licensee
asks for (a license above a threshold, permission after a registration, gated access).

Every sentence is written for these tests; each is the one clause of an invented license.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from openlicense.report import analyze

HEAD = (
    "Wren Model License\n\n"
    "1. Grant. Wren Labs grants you a worldwide, royalty-free license to use, copy, modify and "
    "distribute the Wren Model and its derivatives.\n"
)

RAISE = [
    "2. Wren Labs may revoke this license at any time, for any reason, at its sole discretion.",
    "2. Wren Labs may suspend your access to the Wren Model at its sole discretion.",
    "2. Wren Labs reserves the right to restrict (remotely or otherwise) usage of the Wren Model.",
    "2. Wren Labs may disable the Wren Model remotely through pre-installed disabling code.",
    "2. Wren Labs may audit your use of the Wren Model at any time upon ten days' notice.",
    "2. This license is revocable: Wren Labs may withdraw the rights granted to you.",
]

NOT_RAISE = [
    # a license above a threshold, granted at the licensor's discretion: user-threshold
    "2. If your products had more than 50 million monthly active users in the preceding "
    "calendar month, you must request a separate license from Wren Labs, which Wren Labs may "
    "grant at its sole discretion.",
    "2. Entities with annual revenue above US$5,000,000 must request a license from Wren Labs, "
    "which it may grant to you in its sole and absolute discretion.",
    # gated access approved at the licensor's discretion: gated-access, not a license term
    "2. Access to the Wren Model weights is approved at our discretion after you submit the "
    "request form.",
    # a request the licensor may grant, with no power over rights already granted
    "2. You may apply to Wren Labs for permission to use the Wren Model in a medical device; "
    "Wren Labs will review each application.",
    # termination for breach only
    "2. This license ends if you breach its terms and do not cure the breach within 30 days.",
]


def _flags(tmp_path: Path, clause: str) -> set[str]:
    path = tmp_path / "LICENSE"
    path.write_text(f"{HEAD}{clause}\n", encoding="utf-8")
    report = analyze(path)
    assert report.error is None, report.error
    return {f.name for f in report.flags}


@pytest.mark.parametrize("clause", RAISE)
def test_a_power_over_the_licensees_rights_is_licensor_control(tmp_path: Path, clause: str) -> None:
    assert "licensor-control" in _flags(tmp_path, clause)


@pytest.mark.parametrize("clause", NOT_RAISE)
def test_discretion_in_granting_a_request_is_not_licensor_control(
    tmp_path: Path, clause: str
) -> None:
    assert "licensor-control" not in _flags(tmp_path, clause)


def test_the_threshold_is_still_flagged_as_a_threshold(tmp_path: Path) -> None:
    flags = _flags(tmp_path, NOT_RAISE[0])
    assert "user-threshold" in flags
    assert "revenue-threshold" in _flags(tmp_path, NOT_RAISE[1])

"""Folding of texts for matching (SPDX Matching Guidelines) and SPDX-License-Identifier tags."""

from __future__ import annotations

import pytest

from openlicense.matching.normalize import tokenize
from openlicense.matching.notices import spdx_tags


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("THE SOFTWARE IS PROVIDED", "the   software\nis provided", id="case-space"),
        pytest.param("“as is” — without", '"as is" - without', id="quotes-dashes"),
        pytest.param("1. Redistributions", "(a) Redistributions", id="numbering"),
        pytest.param("(c) You must retain", "c. You must retain", id="list-item-c"),
        pytest.param("* Redistributions", "• Redistributions", id="bullets"),
        pytest.param("see http://x.org", "see https://x.org", id="http"),
        pytest.param("the licence of the organisation", "the license of the organization", id="uk"),
        pytest.param("may sub-license it", "may sublicense it", id="sub-license"),
        pytest.param("no non-commercial use", "no noncommercial use", id="non-commercial"),
        pytest.param("the copyright owner", "the copyright holder", id="copyright-owner"),
        pytest.param(
            "Copyright (c) 2020 Ada\nPermission is granted",
            "Copyright 1999 Someone Else\nAll rights reserved.\nPermission is granted",
            id="copyright-lines",
        ),
        pytest.param(
            "© Ada Corp\n1999, 2000 by Ada\nPermission", "Permission", id="notice-continued"
        ),
    ],
)
def test_equivalent_texts_fold_to_the_same_words(a: str, b: str) -> None:
    assert tokenize(a).words == tokenize(b).words


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("you may use", "you may not use", id="negation"),
        pytest.param(
            "copyright holder, and you cure the violation within 30 days",
            "and you cure the violation within 30 days",
            id="wrapped-copyright-word",
        ),
    ],
)
def test_different_texts_stay_different(a: str, b: str) -> None:
    assert tokenize(a).words != tokenize(b).words


def test_a_list_item_c_is_not_a_copyright_line() -> None:
    assert tokenize("(c) You must retain").words == ("you", "must", "retain")


def test_words_remember_their_lines_and_quotes() -> None:
    tokens = tokenize("Title\r\n\r\nFirst line,\nsecond “line”.\n")
    assert tokens.words == ("title", "first", "line", "second", "line")
    assert [tokens.line_of(s) for s in tokens.starts] == [1, 3, 3, 4, 4]
    assert tokens.quote(3, 4) == "second “line”."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("// SPDX-License-Identifier: MIT", ["MIT"]),
        (
            "/* SPDX-License-Identifier: GPL-2.0-or-later WITH Linux-syscall-note */",
            ["GPL-2.0-or-later WITH Linux-syscall-note"],
        ),
        ("# SPDX-License-Identifier: MIT or Apache-2.0", ["MIT OR Apache-2.0"]),
        (
            "SPDX-License-Identifier: (MIT OR Apache-2.0) AND BSD-3-Clause",
            ["(MIT OR Apache-2.0) AND BSD-3-Clause"],
        ),
        ("<!-- SPDX-License-Identifier: CC-BY-4.0 -->", ["CC-BY-4.0"]),
        ("SPDX-License-Identifier: see the LICENSE file for details", []),
        ("SPDX-License-Identifier: MIT AND", []),
        ("a\nb\nSPDX-License-Identifier: MIT\nc\n# SPDX-License-Identifier: 0BSD", ["MIT", "0BSD"]),
    ],
)
def test_spdx_tags_give_the_whole_expression(text: str, expected: list[str]) -> None:
    assert [n.expression for n in spdx_tags(text)] == expected


def test_spdx_tags_carry_their_line() -> None:
    (tag,) = spdx_tags("#!/bin/sh\n\n# SPDX-License-Identifier: Apache-2.0\n")
    assert tag.line == 3
    assert tag.quote == "SPDX-License-Identifier: Apache-2.0"

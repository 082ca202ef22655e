"""Behaviour of the provision reader: structure, definitions, modality, flags, freedoms."""

from __future__ import annotations

import pytest

from openlicense.provisions import FLAGS, read_provisions
from openlicense.provisions.definitions import find_definitions
from openlicense.provisions.structure import split_provisions

# --------------------------------------------------------------------------------------------
# structure


def test_quotes_are_verbatim_slices_with_their_line() -> None:
    text = "Title\n\n1. First sentence here. Second one follows it.\n2. An item\n   that wraps.\n"
    provisions = split_provisions(text)
    for p in provisions:
        assert text[p.start : p.end].startswith(p.quote)
        assert text.count("\n", 0, p.start) + 1 == p.line
    quotes = [p.quote for p in provisions]
    assert quotes == [
        "Title",
        "First sentence here.",
        "Second one follows it.",
        "An item\n   that wraps.",
    ]


def test_lead_in_applies_to_nested_items() -> None:
    text = (
        "You agree not to use the Model to:\n"
        "  a. engage in illegal activity, including:\n"
        "     i. trafficking;\n"
        "  b. harass people.\n"
        "\n"
        "Other text.\n"
    )
    ps = split_provisions(text)
    by_quote = {p.quote.split()[0]: p for p in ps}
    lead = by_quote["You"]
    assert by_quote["engage"].lead_in == lead.index
    assert by_quote["trafficking;"].lead_in == by_quote["engage"].index
    assert by_quote["harass"].lead_in == lead.index
    assert by_quote["Other"].lead_in is None


def test_run_in_labels_stay_with_their_sentence() -> None:
    ps = split_provisions("Section 1. Acme grants you a licence. You must keep notices.\n")
    assert [p.quote for p in ps] == [
        "Section 1. Acme grants you a licence.",
        "You must keep notices.",
    ]


def test_appendix_items_point_to_the_clause_that_names_the_appendix() -> None:
    text = (
        "1. We grant you a licence, subject to the restrictions in Schedule 2.\n\n"
        "SCHEDULE 2 - RESTRICTIONS\n\n"
        "1. Operating weapons.\n"
    )
    ps = split_provisions(text)
    item = ps[-1]
    assert item.section == "schedule 2"
    assert item.referenced_by == 0


def test_chinese_sentences_split_at_the_full_stop() -> None:
    ps = split_provisions("“输出”指生成的内容。您不得使用输出。\n")
    assert [p.quote for p in ps] == ["“输出”指生成的内容。", "您不得使用输出。"]


# --------------------------------------------------------------------------------------------
# definitions

DEFINITIONS = [
    pytest.param(
        '"Generations" means any text produced by the Model.',
        "Generations",
        "outputs",
        id="quoted-means",
    ),
    pytest.param(
        "As used herein, \u201cSeat\u201d shall mean each named user of the service.",
        "Seat",
        "users",
        id="as-used-herein",
    ),
    pytest.param(
        'the weights and code (the "Kestrel Materials").',
        "Kestrel Materials",
        "model",
        id="parenthetical",
    ),
    pytest.param("“输出”指通过运行本模型生成的任何内容。", "输出", "outputs", id="chinese"),
    pytest.param(
        "Subscriber shall mean any natural person holding an account.",
        "Subscriber",
        "users",
        id="unquoted",
    ),
]


@pytest.mark.parametrize(("text", "term", "concept"), DEFINITIONS)
def test_definitions_denote(text: str, term: str, concept: str) -> None:
    index = find_definitions(text, split_provisions(text))
    assert [(d.term, d.concepts) for d in index.definitions] == [(term, (concept,))]


def test_a_restriction_phrased_with_a_defined_term_is_read_with_its_meaning() -> None:
    text = (
        '"Echoes" means any content produced by running the Weights.\n\n'
        "You may not use Echoes to train any other model.\n"
    )
    hits = [h for h in read_provisions(text).hits if h.flag == "output-restriction"]
    assert [(h.line, h.method) for h in hits] == [(3, "definition")]


# --------------------------------------------------------------------------------------------
# modality

MODALITIES = [
    pytest.param("Acme grants you a licence to use the Model.", "grant", id="grant"),
    pytest.param("You may not use the Model for weapons.", "prohibition", id="prohibition"),
    pytest.param("No rights are granted to persons in Narnia.", "prohibition", id="negated-grant"),
    pytest.param("These permissions extend only to small companies.", "limitation", id="scope"),
    pytest.param(
        "If you distribute the Model, you must include this notice.", "condition", id="condition"
    ),
    pytest.param("You must include a copy of this licence.", "obligation", id="obligation"),
    pytest.param("We may revoke this licence at any time.", "licensor-power", id="licensor-power"),
    pytest.param("Acme reserves the right to audit your use.", "licensor-power", id="reserved"),
    pytest.param("您不得将本模型用于军事用途。", "prohibition", id="chinese-prohibition"),
    pytest.param(
        "Il est interdit d'utiliser le modèle à des fins militaires.", "prohibition", id="french"
    ),
    pytest.param("The model is provided as is.", "statement", id="statement"),
]


@pytest.mark.parametrize(("text", "modality"), MODALITIES)
def test_modality(text: str, modality: str) -> None:
    assert read_provisions(text).modalities == (modality,)


def test_items_take_prohibition_from_their_lead_in() -> None:
    text = "You agree not to use the Model to:\n- plan attacks on hospitals;\n"
    reading = read_provisions(text)
    assert reading.modalities == ("prohibition", "prohibition")


# --------------------------------------------------------------------------------------------
# flags: each must fire on its line with its quote; look-alikes must stay silent

FIRES = [
    pytest.param(
        "field-of-use-restriction",
        "Preamble.\n\nYou shall not use the Model to design weapons.\n",
        3,
        id="fou-inline",
    ),
    pytest.param(
        "field-of-use-restriction",
        (
            "Conduct\n\nYou agree not to use the Model to:\n- defeat the security of computer "
            "networks.\n"
        ),
        4,
        id="fou-list",
    ),
    pytest.param(
        "field-of-use-restriction",
        "Licensee shall not use the model to monitor people without their knowledge.\n",
        1,
        id="fou-described",
    ),
    pytest.param(
        "field-of-use-restriction",
        (
            "1. Licence to use and copy the Model, subject to the restrictions in Exhibit "
            "B.\n\nEXHIBIT B\n\n1. Predicting whether a person will commit a crime.\n"
        ),
        5,
        id="fou-appendix",
    ),
    pytest.param(
        "user-threshold",
        "This licence lapses for services with more than 2 million subscribers.\n",
        1,
        id="users",
    ),
    pytest.param(
        "revenue-threshold",
        "If your annual revenue exceeds USD 3 million, you need a separate licence.\n",
        1,
        id="revenue",
    ),
    pytest.param(
        "non-commercial",
        "The Weights may be used solely for academic research.\n",
        1,
        id="nc-research-only",
    ),
    pytest.param(
        "non-commercial",
        "You may not use the Weights to earn remuneration of any kind.\n",
        1,
        id="nc-remuneration",
    ),
    pytest.param("no-derivatives", "You may not fine-tune or quantize the Weights.\n", 1, id="nd"),
    pytest.param(
        "output-restriction",
        "You must not use any output of the Model to train another model.\n",
        1,
        id="outputs",
    ),
    pytest.param(
        "brand-requirement",
        'Any derivative model must use the prefix "Acme-" in its name.\n',
        1,
        id="brand",
    ),
    pytest.param(
        "terms-changeable",
        "Acme may amend these terms at any time by posting them online.\n",
        1,
        id="terms",
    ),
    pytest.param(
        "geographic-restriction",
        "No rights are granted to persons located in Narnia.\n",
        1,
        id="geo",
    ),
    pytest.param(
        "licensor-control",
        "Acme grants a licence.\n\nAcme may revoke this licence at any time for any reason.\n",
        3,
        id="control",
    ),
    pytest.param(
        "non-commercial", "如需将本模型用于商业用途\uff0c您应当获得书面授权。\n", 1, id="nc-chinese"
    ),
    pytest.param(
        "user-threshold", "如果您的产品月活跃用户超过1亿\uff0c须申请许可。\n", 1, id="users-chinese"
    ),
    pytest.param("non-commercial", "Jede gewerbliche Nutzung ist untersagt.\n", 1, id="nc-german"),
    pytest.param(
        "user-threshold",
        (
            "If the services of Licensee had more than 5 million monthly active users last "
            "year, Licensee must request a licence, which Kite may grant, and Licensee is not "
            "authorized to exercise these rights until Kite grants them.\n"
        ),
        1,
        id="users-not-authorized-unless-granted",
    ),
    pytest.param(
        "geographic-restriction",
        "These rights are not being granted to anyone domiciled in Freedonia.\n",
        1,
        id="territory-not-being-granted",
    ),
    pytest.param(
        "terms-changeable",
        "Kite reserves the right to update this Kite Prohibited Use Policy from time to time.\n",
        1,
        id="changeable-prohibited-use-policy-name",
    ),
    pytest.param(
        "terms-changeable",
        "Kite may revise this Policy by posting the revised text online.\n",
        1,
        id="changeable-party-may-revise",
    ),
    pytest.param(
        "terms-changeable", "These Terms are subject to change.\n", 1, id="changeable-subject-to"
    ),
    pytest.param(
        "user-threshold",
        (
            "You must obtain a separate licence from Kite if, last year:\n"
            "(i) your services had more than 3 million monthly active users; or\n"
            "(ii) you employed more than 40 people.\n"
        ),
        2,
        id="users-item-of-a-condition",
    ),
    pytest.param(
        "user-threshold",
        (
            "If (i) your services had more than 8 million monthly active users, or (ii) you make "
            "available a service that competes with Kite, then you must request a licence from "
            "Kite.\n"
        ),
        1,
        id="users-condition-with-a-grant-word-inside",
    ),
]


@pytest.mark.parametrize(("flag", "text", "line"), FIRES)
def test_flag_fires_on_its_clause(flag: str, text: str, line: int) -> None:
    reading = read_provisions(text)
    hits = [h for h in reading.hits if h.flag == flag and h.line == line]
    assert hits, reading.hits
    hit = hits[0]
    assert hit.quote
    assert hit.quote in text
    on_line = text.splitlines()[line - 1]
    assert on_line.strip() in hit.quote or hit.quote in on_line
    assert 0 < hit.confidence <= 1
    assert hit.method in {"pattern", "classifier", "definition", "appendix"}


SILENT = [
    pytest.param(
        (
            "The names of Acme may not be used to endorse or promote products derived from the "
            "Model without prior written permission."
        ),
        id="endorse",
    ),
    pytest.param(
        (
            "This licence does not grant permission to use the trade names, trademarks or logos of "
            "Acme."
        ),
        id="trademark",
    ),
    pytest.param(
        "You must comply with all applicable export control laws when you distribute the Model.",
        id="export",
    ),
    pytest.param(
        "This licence terminates automatically if you fail to comply with its terms.",
        id="termination-on-breach",
    ),
    pytest.param(
        (
            "THE MODEL IS PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND. ACME SHALL NOT BE LIABLE "
            "FOR ANY DAMAGES."
        ),
        id="warranty",
    ),
    pytest.param(
        "Redistributions must retain the above copyright notice and this list of conditions.",
        id="attribution",
    ),
    pytest.param(
        (
            "If you distribute a modified version, you must license it under this licence and make "
            "its source available."
        ),
        id="copyleft",
    ),
    pytest.param(
        (
            "You may choose to follow this version of the licence or any later version published "
            "by the steward."
        ),
        id="later-version",
    ),
    pytest.param(
        (
            "You may not impose any further restrictions on the recipients' exercise of the rights "
            "granted."
        ),
        id="no-further-restrictions",
    ),
    pytest.param(
        "Permission is granted to use, copy, modify and sell copies of the Model for any purpose.",
        id="permissive-grant",
    ),
    pytest.param(
        "Neither the Weights nor any of their shards may be sold by themselves.",
        id="sold-by-itself-ofl",
    ),
    pytest.param(
        (
            'Licensed under the Apache License, Version 2.0 (the "License"); you may not use '
            "this file except in compliance with the License."
        ),
        id="apache-notice-except-in-compliance",
    ),
    pytest.param(
        (
            "Privacy rights are not licensed under this Licence; however, the Licensor agrees "
            "not to assert such rights to the extent needed for You to use the Model, but not "
            "otherwise."
        ),
        id="licensor-covenant-not-to-assert",
    ),
    pytest.param(
        (
            "If You share modified weights, the licence You apply must not prevent recipients "
            "from complying with this Licence."
        ),
        id="duty-not-to-prevent-recipients",
    ),
]


@pytest.mark.parametrize("text", SILENT)
def test_benign_look_alikes_stay_silent(text: str) -> None:
    assert read_provisions(text).hits == ()


# --------------------------------------------------------------------------------------------
# freedoms

PERMISSIVE = (
    "Copyright 2025 Acme\n\n"
    "Acme grants everyone a licence to use, study, copy, modify and distribute the Model for any "
    "purpose. Copies must keep this notice.\n\n"
    "THE MODEL IS PROVIDED AS IS, WITHOUT WARRANTY.\n"
)


def test_a_permissive_text_grants_all_four_freedoms_with_evidence() -> None:
    reading = read_provisions(PERMISSIVE)
    assert {f.freedom: f.status for f in reading.freedoms} == dict.fromkeys(
        ("use", "study", "modify", "share"), "granted"
    )
    assert all(f.line == 3 and "grants everyone" in f.quote for f in reading.freedoms)
    assert reading.osaid_conformant is True


def test_a_restriction_restricts_and_breaks_conformance() -> None:
    reading = read_provisions(PERMISSIVE + "\nYou may not use the Model for military purposes.\n")
    assert reading.freedom("use").status == "restricted"
    assert reading.freedom("use").line == 7
    assert reading.osaid_conformant is False


def test_no_derivatives_leaves_use_granted() -> None:
    text = (
        "Acme grants you a licence to use and share the Model.\nYou may not fine-tune the Model.\n"
    )
    reading = read_provisions(text)
    statuses = {f.freedom: f.status for f in reading.freedoms}
    assert statuses["use"] == "granted"
    assert statuses["modify"] == "restricted"


def test_a_text_that_grants_nothing_leaves_freedoms_unknown() -> None:
    reading = read_provisions("This file describes the training data.\n")
    assert {f.status for f in reading.freedoms} == {"unknown"}
    assert reading.osaid_conformant is False


@pytest.mark.parametrize(
    ("text", "granted"),
    [
        (
            "This work is licensed under a Creative Commons Attribution 4.0 International "
            "License.\n",
            True,
        ),
        ("The weights are released under CC BY 4.0.\n", True),
        ("spdx__CC-BY-4.0\tcontrast-open\tSPDX test file\n", False),
        ("Creative Commons Attribution 4.0 International\n", False),
    ],
)
def test_a_license_named_as_the_terms_grants_and_a_name_alone_does_not(
    text: str, granted: bool
) -> None:
    reading = read_provisions(text)
    assert (reading.freedom("use").status == "granted") is granted


def test_flags_are_the_vocabulary_s() -> None:
    reading = read_provisions(PERMISSIVE + "\nYou may not use the Model for weapons.\n")
    assert set(reading.flags) <= set(FLAGS)


def test_a_blanket_grant_grants_every_freedom_with_its_clause() -> None:
    text = (
        "Permission is granted, free of charge, to anyone who obtains the weights to deal in\n"
        "them without restriction.\n"
    )
    reading = read_provisions(text)
    assert [reading.freedom(f).status for f in ("use", "study", "modify", "share")] == [
        "granted"
    ] * 4
    assert reading.freedom("share").line == 1
    assert reading.osaid_conformant is True
    # "deal in" without "without restriction" or another any-purpose phrase grants nothing
    # by itself (the disjunction asserted before held through the research-only hit alone)
    bare = read_provisions("You may deal in the weights.\n")
    assert [bare.freedom(f).status for f in ("use", "modify", "share")] == ["unknown"] * 3
    assert bare.osaid_conformant is False


def test_a_threshold_that_only_decides_a_naming_duty_is_a_brand_requirement() -> None:
    text = (
        "If a commercial product built with the Model serves more than 5 million monthly users,\n"
        'that product shall prominently display "Kite inside" on its about page.\n'
    )
    reading = read_provisions(text)
    assert "brand-requirement" in reading.flags
    assert "user-threshold" not in reading.flags
    # "built with" describing products is no naming duty: the threshold on rights stays
    scope = read_provisions(
        "The licence is available only to entities that serve fewer than 5,000,000 end\n"
        "customers through products built with the Model.\n"
    )
    assert "user-threshold" in scope.flags


@pytest.mark.parametrize(
    ("flag", "sentence"),
    [
        ("no-derivatives", "Modified versions of the Model may not be distributed."),
        ("non-commercial", "Use in exchange for payment requires a separate agreement with us."),
        (
            "output-restriction",
            "You may not use anything the Model produces to train another machine learning system.",
        ),
        (
            "revenue-threshold",
            "Companies employing more than 250 people must buy a commercial licence.",
        ),
        (
            "revenue-threshold",
            "Organisations whose annual turnover is above EUR 50 million need a separate licence.",
        ),
        (
            "brand-requirement",
            "Any model derived from the Model must have a name that starts with 'Kite'.",
        ),
        (
            "non-commercial",
            "Die Nutzung des Modells ist nur für nicht-kommerzielle Zwecke gestattet.",
        ),
    ],
)
def test_terms_in_wording_of_their_kind(flag: str, sentence: str) -> None:
    reading = read_provisions(sentence + "\n")
    assert flag in reading.flags, reading.hits
    assert all(h.line == 1 and h.quote == sentence for h in reading.hits)


@pytest.mark.parametrize(
    "sentence",
    [
        "Modified versions may not be distributed under a different licence.",
        "Modified copies may not be distributed without the copyright notice.",
        "Modified versions of the Software must not be misrepresented as being the original.",
    ],
)
def test_conditions_on_passing_on_modified_versions_stay_silent(sentence: str) -> None:
    assert read_provisions(sentence + "\n").flags == ()


#: Whole short texts of the kinds issue 10 names (an annex the grant refers to, a defined name
#: for outputs or users, "Do not" items under a heading, descriptions instead of keywords, a
#: licensor's power by name, a scope that does not apply, Chinese), and benign look-alikes.
KIND_TEXTS = [
    (
        {"field-of-use-restriction"},
        """Kite Model Licence
1. Kite grants you a licence to use, copy, modify and share the Model, except for the uses
listed in Annex B.

Annex B - Excluded uses
(a) profiling people for law enforcement from their biometric data;
(b) designing chemical weapons.
""",
    ),
    (
        {"output-restriction"},
        """1. Definitions. "Kite Content" means any text, image or audio created by the Model.
2. You may use the Model for any purpose. You shall not use Kite Content to train a model
that competes with Kite.
""",
    ),
    (
        {"user-threshold"},
        """1. "Member" means any natural person who holds an account on a service that uses
the Model.
2. This licence covers you only while your services have fewer than 2 million Members.
""",
    ),
    (
        {"field-of-use-restriction"},
        """Restrictions
Do not use the Model to:
- spread disinformation about elections;
- harass or bully any person.
""",
    ),
    (
        {"non-commercial"},
        """Kite grants you a licence to use the Model. Any use of the Model in a product or
service that is sold, or that earns money, is outside this licence.""",
    ),
    (
        {"licensor-control"},
        """Kite may, at its sole discretion and without notice, suspend or terminate your
access to the Model.""",
    ),
    (
        {"geographic-restriction"},
        """This licence does not apply to users located in the European Union.""",
    ),
    (
        {"no-derivatives"},
        """You may run the Model as delivered. You may not create derivative models from it
by fine-tuning, distillation or merging.""",
    ),
    (
        {"terms-changeable"},
        """Kite may update this Licence. The updated Licence binds you from the date it is
published.""",
    ),
    (
        {"field-of-use-restriction", "geographic-restriction"},
        """本许可证授予您使用、复制、修改和分发本模型的权利。
您不得将本模型用于监控他人。
本许可不适用于居住在甲国的个人。
""",
    ),
    (
        set[str](),
        """Kite Permissive Licence
Kite grants everyone the right to use, copy, modify, merge, publish and distribute the
Model, for any purpose, free of charge.
The above notice must be included in all copies.
Kite's name and logo are not licensed.
THE MODEL IS PROVIDED WITHOUT WARRANTY.
""",
    ),
    (
        set[str](),
        """Copyleft Model Licence
You may use, modify and distribute the Model for any purpose. If you distribute a modified
Model, you must license it under this Licence and provide its weights and training code.
You may not impose any further restrictions on the recipients' exercise of the rights granted here.
This licence ends automatically if you fail to comply with it.
""",
    ),
    (
        set[str](),
        """You may use the Model commercially. You must comply with export control laws and
sanctions regulations applicable to you.""",
    ),
]


@pytest.mark.parametrize(("flags", "text"), KIND_TEXTS)
def test_whole_texts_of_each_kind(flags: set[str], text: str) -> None:
    reading = read_provisions(text)
    assert set(reading.flags) == flags, reading.hits
    for hit in reading.hits:
        assert hit.quote in text
        assert hit.quote.split("\n")[0] in text.splitlines()[hit.line - 1]


#: One sentence each: terms in more wordings and languages (Spanish, Italian, Chinese), and
#: benign clauses every license has (patent retaliation, indemnity, governing law, "except as
#: expressly provided", trademarks, termination on breach, fees for transfer, patent grants).
SENTENCES = [
    (
        {"field-of-use-restriction"},
        (
            "Your use of the Model must comply with the Kite Acceptable Use Policy, which "
            "is incorporated into this Agreement by reference."
        ),
    ),
    (
        {"terms-changeable"},
        "We may modify these Terms at any time by posting a revised version on our website.",
    ),
    ({"terms-changeable"}, "Kite can change this Agreement whenever it wants."),
    (
        {"output-restriction"},
        (
            "The results generated by the Model may not be used to create training data for"
            " other AI models."
        ),
    ),
    (
        {"non-commercial"},
        (
            "You may not use the Model, or any part of it, for commercial purposes without "
            "our written permission."
        ),
    ),
    ({"non-commercial"}, "The Model is licensed for non-commercial research use only."),
    (
        {"no-derivatives"},
        "No right is granted to modify, adapt, or create derivative works of the Model.",
    ),
    ({"licensor-control"}, "Kite reserves the right to revoke this licence at any time."),
    (
        {"user-threshold"},
        (
            "If your platform has over 50,000,000 registered accounts, this licence does "
            "not apply to you."
        ),
    ),
    (
        {"revenue-threshold"},
        (
            "This free licence is limited to organisations with annual gross revenue below "
            "USD 1 million."
        ),
    ),
    ({"non-commercial"}, "Queda prohibido el uso comercial del modelo."),
    ({"field-of-use-restriction"}, "È vietato utilizzare il modello per scopi militari."),
    ({"non-commercial"}, "本模型仅供学术研究使用\uff0c不得用于商业目的\u3002"),
    ({"terms-changeable"}, "我们有权随时修改本协议。"),
    (
        set[str](),
        (
            "If you institute patent litigation against any entity alleging that the Model "
            "infringes a patent, your patent licence terminates."
        ),
    ),
    (set[str](), "You will indemnify Kite against claims arising from your use of the Model."),
    (set[str](), "This Agreement is governed by the laws of England and Wales."),
    (
        set[str](),
        (
            "You may not propagate or modify the Model except as expressly provided under "
            "this License."
        ),
    ),
    (
        set[str](),
        (
            "This licence does not grant permission to use the trade names, trademarks or "
            "product names of Kite."
        ),
    ),
    (
        set[str](),
        (
            "Kite may terminate this licence if you fail to comply with any of its terms "
            "and do not cure the failure within 30 days."
        ),
    ),
    (set[str](), "You may charge a fee for the physical act of transferring a copy."),
    (
        set[str](),
        (
            "Each contributor grants you a perpetual, worldwide, non-exclusive, royalty-"
            "free patent licence to make, use, sell and import the Model."
        ),
    ),
    (set[str](), "The Model may be used for commercial and non-commercial purposes alike."),
    (
        set[str](),
        (
            "Nothing in this Licence limits the rights you have under fair use or other "
            "exceptions to copyright."
        ),
    ),
]


@pytest.mark.parametrize(("flags", "sentence"), SENTENCES)
def test_sentences_of_each_kind(flags: set[str], sentence: str) -> None:
    assert set(read_provisions(sentence + "\n").flags) == flags


def test_a_definition_does_not_hide_the_next_sentence_on_its_line() -> None:
    text = (
        'You agree to this Acceptable Use Policy (the "Policy"). The most recent copy of this\n'
        "Policy is the one on our website. You may not use the Model to build weapons.\n"
    )
    reading = read_provisions(text)
    assert [d.term for d in reading.definitions] == ["Policy"]
    assert {"terms-changeable", "field-of-use-restriction"} <= set(reading.flags)
    assert next(h for h in reading.hits if h.flag == "terms-changeable").line == 1


@pytest.mark.parametrize(
    "sentence",
    [
        (
            "Accompany the work with a written offer, valid for at least three years, to give "
            "the same user the source for a charge no more than the cost of distribution."
        ),
        (
            "The Source You are required to provide under subsection 4.1 need not include any "
            "user data."
        ),
        "You must include the notice in at least one location where a user would look for it.",
    ],
)
def test_numbers_that_count_no_users_raise_no_threshold(sentence: str) -> None:
    assert "user-threshold" not in read_provisions(sentence + "\n").flags


def test_a_threshold_with_a_period_beside_it_still_counts() -> None:
    sentence = (
        "If your services had more than 1 million monthly active users in any of the last "
        "3 months, you must request a licence."
    )
    assert "user-threshold" in read_provisions(sentence + "\n").flags


def test_a_licensors_revisions_change_nothing_the_licensee_may_keep() -> None:
    revisable = "The Kite Foundation may revise this license from time to time.\n"
    assert "terms-changeable" in read_provisions(revisable).flags
    kept = revisable + (
        "You may use the Model under this revision or, at your option, any subsequent revision.\n"
    )
    assert "terms-changeable" not in read_provisions(kept).flags


def test_the_amendment_clause_of_a_contract_bans_no_modification() -> None:
    sentence = (
        "This Agreement constitutes the entire agreement of the parties and may not be "
        "superseded, modified or amended except by further written agreement of the parties.\n"
    )
    assert read_provisions(sentence).flags == ()


def test_a_grant_with_a_proviso_that_forbids_grants_and_the_proviso_is_judged_apart() -> None:
    hpnd_like = (
        "Permission to use, copy, modify and distribute these weights for any purpose and "
        "without fee is hereby granted, provided that the above notice appears in all copies "
        "and that the name of Kite not be used in advertising without prior permission.\n"
    )
    reading = read_provisions(hpnd_like)
    assert reading.flags == ()
    assert reading.osaid_conformant is True
    restrictive = (
        "Permission to use, copy, modify and distribute these weights is hereby granted, "
        "provided that you do not use them to design weapons.\n"
    )
    reading = read_provisions(restrictive)
    assert "field-of-use-restriction" in reading.flags
    assert reading.freedom("use").status == "restricted"


def test_copying_modifying_and_distributing_for_any_purpose_implies_use() -> None:
    reading = read_provisions(
        "Permission to copy, modify, and distribute the weights, for any purpose, is granted.\n"
    )
    assert reading.freedom("use").status == "granted"


def test_use_confined_to_one_named_purpose_is_a_field_of_use() -> None:
    confined = read_provisions("You agree to use the Corpus solely for Machine Translation.\n")
    assert "field-of-use-restriction" in confined.flags
    for benign in (
        "You may use the Model solely for lawful purposes.\n",
        "You may use the Model only in accordance with this Licence.\n",
        "You may use the Model for any purpose, not only for research.\n",
    ):
        assert "field-of-use-restriction" not in read_provisions(benign).flags, benign

"""The rule engine: a registry of rules, each raising one flag of the vocabulary.

Every rule has a stable code and kebab-case name (those of ``data/flags.toml``), a default
severity, the freedom or component it concerns, and its documentation in its docstring, with
the sections What it does / Why it matters / Example / How to fix / References. Rules read the
release and the catalog; they hold no license lists. ``docs/rules/`` is generated from this
registry (``python tools/gen_docs.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from openlicense import expression as ex
from openlicense.catalog import Catalog, get_catalog
from openlicense.findings import Evidence, Flag, make_flag
from openlicense.judge.verdict import Assessment, binds_derivatives
from openlicense.model import Component, Release, Source

__all__ = ["RULES", "Context", "Rule", "evaluate", "get_rule"]


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule may look at."""

    release: Release
    catalog: Catalog
    assessment: Assessment


Check = Callable[[Context], Iterator[Flag]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: str
    concerns: str  # a freedom ("use") or a component ("data-information") or "release"
    doc: str
    check: Check

    def section(self, title: str) -> str:
        """One section of the documentation ("What it does", "How to fix", ...)."""
        m = re.search(
            rf"^{re.escape(title)}\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", self.doc, re.M | re.S
        )
        return m.group(1).strip() if m else ""

    @property
    def summary(self) -> str:
        """The first line of the documentation: what the rule flags, in one sentence."""
        return self.doc.split("\n", 1)[0].strip()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "concerns": self.concerns,
            "summary": self.summary,
        }


RULES: dict[str, Rule] = {}
_SECTIONS = ("What it does", "Why it matters", "Example", "How to fix", "References")


def rule(name: str, concerns: str) -> Callable[[Check], Check]:
    """Register a rule for the flag ``name``; code and severity come from the vocabulary."""

    def register(fn: Check) -> Check:
        info = get_catalog().flag(name)
        doc = _dedent(fn.__doc__ or "")
        missing = [s for s in _SECTIONS if f"\n{s}\n" not in f"\n{doc}"]
        if missing:
            raise AssertionError(f"rule {name}: docstring lacks {missing}")
        RULES[name] = Rule(info.code, name, info.severity, concerns, doc, fn)
        return fn

    return register


def _dedent(doc: str) -> str:
    import textwrap

    first, _, rest = doc.partition("\n")
    return (first.strip() + "\n" + textwrap.dedent(rest)).strip()


def get_rule(name_or_code: str) -> Rule | None:
    key = name_or_code.strip()
    return RULES.get(key) or next((r for r in RULES.values() if r.code == key.upper()), None)


def _fix(name: str) -> str:
    rule_ = RULES.get(name)
    return rule_.section("How to fix").split("\n\n")[0] if rule_ else ""


def _flag(name: str, message: str, evidence: Evidence, source: str) -> Flag:
    return make_flag(name, message, evidence, source=source, fix=_fix(name))


def _evidence(source: Source | None, quote: str | None = None) -> Evidence:
    if source is None:
        return Evidence(quote=quote)
    return Evidence(path=source.path, line=source.line, quote=quote, field=source.field)


# --------------------------------------------------------------------------------------------
# license terms: one rule per flag, read from the identified files and the catalog


def _license_components(release: Release) -> list[Component]:
    return [c for c in release.components if c.license is not None or c.identification]


def _term_flags(ctx: Context, flag: str) -> Iterator[Flag]:
    """The ``flag`` clauses of every license the release's components are under."""
    seen: set[tuple[str | None, int | None, str]] = set()
    from_files: set[str] = set()
    for ident in ctx.release.files:
        for f in ident.flags:
            if f.name == flag and (f.evidence.path, f.evidence.line, flag) not in seen:
                seen.add((f.evidence.path, f.evidence.line, flag))
                if ident.expression:
                    from_files.add(ident.expression)
                yield _flag(flag, f.message, f.evidence, f.source)
    for c in _license_components(ctx.release):
        if c.license is None or not c.expression or c.expression in from_files:
            continue
        for leaf in ex.iter_license_keys(ctx.catalog.expression(c.expression)):
            entry = ctx.catalog.get(leaf.id)
            if entry is None or entry.curated_terms is None or entry.id in from_files:
                continue
            for clause in entry.terms.flags:
                if clause.flag != flag:
                    continue
                source = c.sources[0] if c.sources else None
                # One flag per clause of a license, however many components it covers.
                key = (None, None, f"{entry.id}:{clause.section}")
                if key in seen:
                    continue
                seen.add(key)
                info = ctx.catalog.flag(flag)
                yield _flag(
                    flag,
                    f"{c.name} is under {entry.name}: {info.summary} "
                    f'(section {clause.section}: "{clause.quote}")',
                    _evidence(source, clause.quote),
                    f"catalog:{entry.id}",
                )


@rule("field-of-use-restriction", concerns="use")
def field_of_use(ctx: Context) -> Iterator[Flag]:
    """Flags licenses that prohibit some uses, users or fields.

    What it does
    ------------
    Raises the flag when a license of the release, or a policy it incorporates, prohibits
    uses, users or fields of endeavour: an acceptable-use or prohibited-use policy, a RAIL
    use-restriction attachment, a ban on military or medical use.

    Why it matters
    --------------
    The first freedom of the Open Source AI Definition is to use the system for any purpose,
    without having to ask for permission. A list of prohibited uses, however well meant, takes
    that freedom away and makes the licensor the judge of what is allowed.

    Example
    -------
    The Llama 2 Community License incorporates the Llama 2 Acceptable Use Policy; the
    CreativeML OpenRAIL-M license forbids the uses in its Attachment A.

    How to fix
    ----------
    Release under an OSI-approved license (Apache-2.0, MIT) without use restrictions; put
    responsible-use guidance in the model card as advice, not as license terms.

    References
    ----------
    OSAID 1.0, "Use the system for any purpose and without having to ask for permission";
    Open Source Definition, criterion 6 (no discrimination against fields of endeavor).
    """
    yield from _term_flags(ctx, "field-of-use-restriction")


@rule("user-threshold", concerns="use")
def user_threshold(ctx: Context) -> Iterator[Flag]:
    """Flags licenses whose rights depend on the number of users.

    What it does
    ------------
    Raises the flag when a license withdraws or conditions the grant above a number of users,
    such as monthly active users.

    Why it matters
    --------------
    A right that ends at a scale is not a freedom to use: the licensor keeps a veto over every
    successful product built on the model.

    Example
    -------
    Llama 2, section 2: licensees with more than 700 million monthly active users must request
    a license "which Meta may grant to you in its sole discretion".

    How to fix
    ----------
    Remove the threshold or choose a license without one.

    References
    ----------
    OSAID 1.0, freedom to use; Open Source Definition, criteria 5 and 6.
    """
    yield from _term_flags(ctx, "user-threshold")


@rule("revenue-threshold", concerns="use")
def revenue_threshold(ctx: Context) -> Iterator[Flag]:
    """Flags licenses whose rights depend on revenue or company size.

    What it does
    ------------
    Raises the flag when a license grants rights only below an annual revenue or company size,
    or requires a paid license above it.

    Why it matters
    --------------
    It discriminates against persons and groups by their size and makes commercial use depend
    on the licensor's consent.

    Example
    -------
    The Stability AI Community License requires an enterprise license above US$1,000,000 of
    annual revenue.

    How to fix
    ----------
    Release without a revenue condition.

    References
    ----------
    OSAID 1.0, freedom to use; Open Source Definition, criterion 5 (no discrimination against
    persons or groups).
    """
    yield from _term_flags(ctx, "revenue-threshold")


@rule("non-commercial", concerns="use")
def non_commercial(ctx: Context) -> Iterator[Flag]:
    """Flags licenses that prohibit commercial use.

    What it does
    ------------
    Raises the flag when a license forbids commercial use or limits use to research or
    evaluation (CC-BY-NC, research licenses, FLUX [dev]).

    Why it matters
    --------------
    Commercial use is a use like any other; excluding it excludes a field of endeavour, and
    companies cannot build on the model without a separate agreement.

    Example
    -------
    CC-BY-NC-4.0, section 2(a)(1): rights are granted "for NonCommercial purposes only".

    How to fix
    ----------
    Release under a license that allows commercial use (Apache-2.0, MIT, CC-BY-4.0 for data).

    References
    ----------
    OSAID 1.0, freedom to use for any purpose; Open Source Definition, criterion 6.
    """
    yield from _term_flags(ctx, "non-commercial")


@rule("no-derivatives", concerns="modify")
def no_derivatives(ctx: Context) -> Iterator[Flag]:
    """Flags licenses that prohibit modification or sharing modified versions.

    What it does
    ------------
    Raises the flag when a license forbids modifying, fine-tuning or distributing modified
    versions of the model.

    Why it matters
    --------------
    The freedoms to modify and to share modifications are two of the four freedoms; a model
    that cannot be fine-tuned and shared cannot be built upon.

    Example
    -------
    CC-BY-NC-ND-4.0 grants sharing only "in unmodified form".

    How to fix
    ----------
    Allow derivative works under the same or an open license.

    References
    ----------
    OSAID 1.0, freedoms to modify and to share; Open Source Definition, criterion 3.
    """
    yield from _term_flags(ctx, "no-derivatives")


@rule("output-restriction", concerns="use")
def output_restriction(ctx: Context) -> Iterator[Flag]:
    """Flags licenses that restrict what may be done with the model's outputs.

    What it does
    ------------
    Raises the flag when a license restricts the use of outputs, for example forbidding their
    use to improve other models.

    Why it matters
    --------------
    Outputs are the result of using the model; controlling them restricts use and blocks
    research such as distillation and evaluation against other systems.

    Example
    -------
    Llama 2, section 1(b)(v): "You will not use the Llama Materials or any output or results of
    the Llama Materials to improve any other large language model".

    How to fix
    ----------
    Drop the output restriction.

    References
    ----------
    OSAID 1.0, freedom to use and to study.
    """
    yield from _term_flags(ctx, "output-restriction")


@rule("brand-requirement", concerns="share")
def brand_requirement(ctx: Context) -> Iterator[Flag]:
    """Flags licenses that require the licensor's brand on derivatives.

    What it does
    ------------
    Raises the flag when derivatives must carry the licensor's name or a "Built with" notice,
    beyond ordinary attribution.

    Why it matters
    --------------
    It ties every derivative to the licensor's marketing. It does not by itself remove a
    freedom (the OSD allows requiring a changed name), so it is a warning.

    Example
    -------
    Llama 3: "include 'Llama 3' at the beginning of any such AI model name".

    How to fix
    ----------
    Ask for attribution in a NOTICE file instead of a brand in the name or interface.

    References
    ----------
    Open Source Definition, criterion 4 (integrity of the author's source code).
    """
    yield from _term_flags(ctx, "brand-requirement")


@rule("terms-changeable", concerns="use")
def terms_changeable(ctx: Context) -> Iterator[Flag]:
    """Flags licenses whose terms the licensor may change unilaterally.

    What it does
    ------------
    Raises the flag when the licensor may change the terms, or a policy the license
    incorporates by reference, after the fact ("as updated from time to time").

    Why it matters
    --------------
    Rights that can be changed at will are not a stable grant: what is allowed today may be
    prohibited tomorrow for models already deployed.

    Example
    -------
    The Gemma Prohibited Use Policy "may be updated from time to time".

    How to fix
    ----------
    Fix the terms at release; publish new versions as new licenses.

    References
    ----------
    OSAID 1.0, freedoms granted "without having to ask for permission".
    """
    yield from _term_flags(ctx, "terms-changeable")


@rule("geographic-restriction", concerns="use")
def geographic_restriction(ctx: Context) -> Iterator[Flag]:
    """Flags licenses that withhold rights in some territories.

    What it does
    ------------
    Raises the flag when a license or its policy withholds rights from people or companies in
    some countries or regions.

    Why it matters
    --------------
    Discrimination against persons by place is excluded by the Open Source Definition; users in
    the excluded territory have no rights at all.

    Example
    -------
    The Llama 3.2 Acceptable Use Policy withholds the multimodal models' rights from
    individuals and companies domiciled in the European Union.

    How to fix
    ----------
    Grant the same rights everywhere; comply with local law by guidance, not by exclusion.

    References
    ----------
    Open Source Definition, criterion 5.
    """
    yield from _term_flags(ctx, "geographic-restriction")


@rule("licensor-control", concerns="use")
def licensor_control(ctx: Context) -> Iterator[Flag]:
    """Flags licenses that let the licensor restrict, revoke or approve use.

    What it does
    ------------
    Raises the flag when the licensor may restrict use remotely, terminate at will, or must
    approve uses.

    Why it matters
    --------------
    A licensor who can switch off use at will has not granted a freedom.

    Example
    -------
    OpenRAIL-M, section 7: the licensor "reserves the right to restrict (remotely or otherwise)
    usage of the Model".

    How to fix
    ----------
    Remove the control clauses; termination only for breach.

    References
    ----------
    OSAID 1.0, freedom to use "without having to ask for permission".
    """
    yield from _term_flags(ctx, "licensor-control")


# --------------------------------------------------------------------------------------------
# facts of the release


@rule("withheld-training-data", concerns="data-information")
def withheld_training_data(ctx: Context) -> Iterator[Flag]:
    """Flags releases with no information about the training data.

    What it does
    ------------
    Raises the flag when the release neither publishes its training data nor describes it
    (no data card, datasets list, or paper describing the data).

    Why it matters
    --------------
    Data information is a required component of the Open Source AI Definition: without it the
    system cannot be studied, and a skilled person cannot build a substantially equivalent
    system.

    Example
    -------
    A model card with no datasets metadata and no training-data section.

    How to fix
    ----------
    Publish a data card, or list the datasets in the card's `datasets` metadata and describe
    their provenance, scope, selection and processing.

    References
    ----------
    OSAID 1.0, "Data Information"; Model Openness Framework, Data card (Class I/II).
    """
    release = ctx.release
    components = release.component("data-information")
    if components and all(c.available is False for c in components):
        source = next((s for c in components for s in c.sources), None)
        if source is None:
            # Nothing to quote: the evidence is the absence of the card's datasets field.
            card = release.declared_source.path if release.declared_source else release.path
            source = Source(card, None, "datasets")
        yield _flag(
            "withheld-training-data",
            "no information about the training data: "
            + ", ".join(c.name for c in components)
            + " not published",
            _evidence(source),
            "release",
        )


@rule("withheld-training-code", concerns="code")
def withheld_training_code(ctx: Context) -> Iterator[Flag]:
    """Flags releases that do not publish their training code.

    What it does
    ------------
    Raises the flag when the release says its training code (or data-processing code) is not
    published.

    Why it matters
    --------------
    The complete code used to train and run the system is a required component of the Open
    Source AI Definition; weights alone can be used but not rebuilt or studied.

    Example
    -------
    A Model Openness Tool record whose "Training code" is "Component not included".

    How to fix
    ----------
    Publish the training and data-processing code under an OSI-approved license.

    References
    ----------
    OSAID 1.0, "Code"; Model Openness Framework, Training code (Class II).
    """
    for c in ctx.release.component("code"):
        if c.available is False and c.name in {"Training code", "Data preprocessing code", "code"}:
            yield _flag(
                "withheld-training-code",
                f"{c.name} is not published",
                _evidence(c.sources[0] if c.sources else None),
                "release",
            )


@rule("gated-access", concerns="parameters")
def gated_access(ctx: Context) -> Iterator[Flag]:
    """Flags weights that can only be downloaded after accepting terms or approval.

    What it does
    ------------
    Raises the flag when the model repository is gated: a form, an approval, or terms to accept
    before download (Hugging Face `extra_gated_*` fields, `gated: true`).

    Why it matters
    --------------
    Having to ask for access contradicts using and sharing the system without permission, and
    lets the licensor choose who may use the model.

    Example
    -------
    The Llama 2 repositories ask for name, email and acceptance of Meta's license before
    download.

    How to fix
    ----------
    Make the weights downloadable without a gate.

    References
    ----------
    OSAID 1.0, "without having to ask for permission".
    """
    if ctx.release.gated:
        yield _flag(
            "gated-access",
            "the weights can only be downloaded after accepting terms or being approved",
            _evidence(ctx.release.gated_source),
            "release",
        )


@rule("open-claim-mismatch", concerns="release")
def open_claim_mismatch(ctx: Context) -> Iterator[Flag]:
    """Flags releases that call themselves open while the verdict is not open source AI.

    What it does
    ------------
    Raises the flag when the model card or name calls the model open, open source or fully
    open, and the verdict is `not-open-source-ai` because its terms restrict a freedom or a
    required component is under non-conforming terms: openwashing proper. A release under
    conformant terms that withholds its data is flagged `withheld-training-data` instead.

    Why it matters
    --------------
    "Open source" has a definition. Users, regulators (the EU AI Act exempts open-source models
    from some duties) and researchers rely on the claim.

    Example
    -------
    A card that says "we are openly releasing these models" over the Llama 2 Community License.

    How to fix
    ----------
    Either release under terms that meet the definition, or describe the model accurately
    ("open weights under the X license, with use restrictions").

    References
    ----------
    OSAID 1.0; Liesenfeld & Dingemanse (2024), "Rethinking open source generative AI:
    open-washing and the EU AI Act".
    """
    assessment = ctx.assessment
    if assessment.verdict != "not-open-source-ai":
        return
    restricted = [f for f, s in assessment.freedoms.items() if s.status == "restricted"]
    if not restricted and not assessment.nonconforming:
        # Open weights under conformant terms with the data or code withheld: the claim is
        # supported by the terms, and withheld-training-data says what is missing.
        return
    for claim in ctx.release.claims[:3]:
        yield _flag(
            "open-claim-mismatch",
            f'the release calls itself open ("{claim.text}") but is not open source AI: '
            + "; ".join(ctx.assessment.reasons[:3]),
            _evidence(claim.source, claim.text),
            "release",
        )


@rule("modified-standard-license", concerns="release")
def modified_standard_license(ctx: Context) -> Iterator[Flag]:
    """Flags standard licenses with clauses added, removed or changed.

    What it does
    ------------
    Raises the flag when a license file of the release is a standard license (Apache-2.0, MIT,
    ...) with clauses added, removed or changed, such as an appended "no military use" rider.

    Why it matters
    --------------
    People read the name of the standard license and assume its terms; the changed clause is
    what actually binds them, and usually removes a freedom.

    Example
    -------
    An Apache-2.0 text followed by "You may not use the Work for any military purpose".

    How to fix
    ----------
    Use the standard text unchanged, or name the license for what it is.

    References
    ----------
    OSI license review: modified licenses are not the approved license.
    """
    for ident in ctx.release.files:
        for f in ident.flags:
            if f.name == "modified-standard-license":
                yield _flag(f.name, f.message, f.evidence, f.source)


@rule("license-conflict", concerns="release")
def license_conflict(ctx: Context) -> Iterator[Flag]:
    """Flags declared licenses that disagree.

    What it does
    ------------
    Raises the flag when the card metadata names one license and the license file another, when
    the card states two different licenses, or when a derivative declares a license different
    from its base model's while the base model's terms bind derivatives (restrictions that must
    be passed on, or copyleft): license laundering. A permissive base (Apache-2.0, MIT) allows
    its derivatives any license.

    Why it matters
    --------------
    A derivative of a restrictively licensed model remains bound by the base model's terms; a
    more permissive label misleads everyone downstream.

    Example
    -------
    A Llama 2 fine-tune labelled `license: mit`.

    How to fix
    ----------
    Declare the license that actually applies: the base model's terms for a derivative, the same
    license in metadata and LICENSE file.

    References
    ----------
    Llama 2 Community License, section 1(b)(i); Hugging Face model card metadata guide.
    """
    release = ctx.release
    declared = release.declared
    if declared is not None and declared.status == "ok" and declared.expression:
        for ident in release.files:
            if ident.kind != "license" or ident.error:
                continue
            found = ident.expression or ident.variant_of
            if found and not _same(found, declared.expression, ctx.catalog):
                yield _flag(
                    "license-conflict",
                    f"the card declares {declared.expression} but {ident.path} is {found}",
                    _evidence(release.declared_source, declared.input),
                    "release",
                )
        for statement, source in release.license_statements:
            if (
                statement.status == "ok"
                and statement.expression
                and not _same(statement.expression, declared.expression, ctx.catalog)
            ):
                yield _flag(
                    "license-conflict",
                    f"the card declares {declared.expression} in its metadata and "
                    f"{statement.expression} in its text",
                    _evidence(source, statement.input),
                    "release",
                )
    own = declared.expression if declared is not None and declared.status == "ok" else None
    for base in release.base_models:
        if base.license is None or base.license.status != "ok" or not base.license.expression:
            continue
        if not binds_derivatives(base.license.expression, ctx.catalog):
            continue  # a permissive base allows its derivatives any license
        if own and not _same(own, base.license.expression, ctx.catalog):
            yield _flag(
                "license-conflict",
                f"derived from {base.name} ({base.license.expression}) but declared {own}: "
                "a derivative stays under its base model's terms",
                _evidence(base.source, base.name),
                "release",
            )


def _same(a: str, b: str, catalog: Catalog) -> bool:
    """Do two canonical expressions mean the same licenses? (Two different own ids differ.)"""
    return ex.shape(catalog.expression(a)) == ex.shape(catalog.expression(b))


@rule("missing-license", concerns="parameters")
def missing_license(ctx: Context) -> Iterator[Flag]:
    """Flags releases whose weights have no identifiable license.

    What it does
    ------------
    Raises the flag when the model parameters have no license, or one that cannot be identified
    (`license: other` with no name or file, "Undisclosed", an ambiguous family name).

    Why it matters
    --------------
    Without a license nobody has any right to use, study, modify or share the model; with an
    unidentifiable one, nobody can know which rights they have.

    Example
    -------
    A card with `license: other` and no `license_name`, `license_link` or LICENSE file.

    How to fix
    ----------
    Declare an SPDX license id in the card metadata and add the LICENSE file.

    References
    ----------
    OSAID 1.0, "Parameters shall be made available under OSI-approved terms"; Hugging Face
    model card metadata guide.
    """
    params = [c for c in ctx.release.component("parameters") if c.available is not False]
    for c in params:
        ident = c.identification
        if ident is not None and (ident.expression or ident.variant_of):
            continue
        if c.license is not None and c.license.status == "ok":
            continue
        what = (
            f'"{c.license.input}" ({c.license.status})' if c.license is not None else "no license"
        )
        yield _flag(
            "missing-license",
            f"{c.name} has {what}",
            _evidence(c.sources[0] if c.sources else None, c.license.input if c.license else None),
            "release",
        )


# --------------------------------------------------------------------------------------------


def evaluate(
    release: Release, assessment: Assessment, catalog: Catalog | None = None
) -> list[Flag]:
    """Run every rule over the release; flags in a deterministic order."""
    ctx = Context(release, catalog or get_catalog(), assessment)
    flags: list[Flag] = []
    for r in RULES.values():
        flags.extend(r.check(ctx))
    order = {name: i for i, name in enumerate(RULES)}
    return sorted(
        flags,
        key=lambda f: (order[f.name], f.evidence.path or "", f.evidence.line or 0, f.message),
    )

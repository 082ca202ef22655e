"""The rules on facts of the release: what it publishes, how, and what it claims."""

from __future__ import annotations

from collections.abc import Iterator

from openlicense.judge.rules.registry import Context, evidence_at, raise_flag, rule
from openlicense.judge.verdict import required_components
from openlicense.model import Flag, Severity, Source


@rule("withheld-training-data")
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
        yield raise_flag(
            "withheld-training-data",
            "no information about the training data: "
            + ", ".join(c.name for c in components)
            + " not published",
            evidence_at(source),
            "release",
        )


@rule("withheld-training-code")
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
            yield raise_flag(
                "withheld-training-code",
                f"{c.name} is not published",
                evidence_at(c.sources[0] if c.sources else None),
                "release",
                component=c.name,
            )


@rule("gated-access")
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
        yield raise_flag(
            "gated-access",
            "the weights can only be downloaded after accepting terms or being approved",
            evidence_at(ctx.release.gated_source),
            "release",
        )


@rule("open-claim-mismatch")
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
        yield raise_flag(
            "open-claim-mismatch",
            f'the release calls itself open ("{claim.text}") but is not open source AI: '
            + "; ".join(ctx.assessment.reasons[:3]),
            evidence_at(claim.source, claim.text),
            "release",
        )


@rule("missing-license")
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

    Parameters the definition does not require (intermediate checkpoints, when the final
    parameters are listed apart) get the flag as a warning: it is worth fixing, but it does not
    decide whether the release is open source AI.

    References
    ----------
    OSAID 1.0, "Parameters shall be made available under OSI-approved terms"; Hugging Face
    model card metadata guide.
    """
    params = [c for c in ctx.release.component("parameters") if c.available is not False]
    required = {
        id(c)
        for req, components in required_components(ctx.release)
        if req.kind == "parameters"
        for c in components
    }
    for c in params:
        ident = c.identification
        if ident is not None and (ident.expression or ident.variant_of):
            continue
        if c.license is not None and c.license.status == "ok":
            continue
        what = (
            f'"{c.license.input}" ({c.license.status})' if c.license is not None else "no license"
        )
        optional = id(c) not in required
        yield raise_flag(
            "missing-license",
            f"{c.name} has {what}"
            + (" (a component the definition does not require)" if optional else ""),
            evidence_at(
                c.sources[0] if c.sources else None, c.license.input if c.license else None
            ),
            "release",
            severity=Severity.WARNING if optional else None,
            component=c.name,
        )

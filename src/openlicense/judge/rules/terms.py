"""The license-term rules: one per flag a clause of a license raises.

Each reads the clauses of every license the release is under: the findings of its license
files (judged by :mod:`openlicense.judge.rules.text`), and the catalog's clauses of the
licenses its components declare.
"""

from __future__ import annotations

from collections.abc import Iterator

from openlicense import expression as ex
from openlicense.catalog import Catalog, LicenseEntry
from openlicense.catalog.entries import FlagClause
from openlicense.judge.freedoms import binds_derivatives, license_tree
from openlicense.judge.rules.registry import RULES, Context, evidence_at, raise_flag, rule
from openlicense.judge.rules.text import text_flags
from openlicense.model import Component, Evidence, Flag, Release


def _license_components(release: Release) -> list[Component]:
    return [c for c in release.components if c.license is not None or c.identification]


def _incorporated(entry: LicenseEntry, catalog: Catalog) -> Iterator[LicenseEntry]:
    """The policies ``entry`` incorporates by reference, and theirs, each once (a license's
    acceptable-use policy binds the licensee as the license does)."""
    seen = {entry.id}
    todo = list(entry.incorporates)
    while todo:
        policy = catalog.get(todo.pop(0))
        if policy is None or policy.id in seen:
            continue
        seen.add(policy.id)
        yield policy
        todo.extend(policy.incorporates)


def _binding_clauses(
    entry: LicenseEntry, catalog: Catalog, flag: str
) -> Iterator[tuple[LicenseEntry, LicenseEntry | None, FlagClause]]:
    """The ``flag`` clauses that bind a licensee of ``entry``: its own, then those of every
    policy it incorporates (with that policy). Only curated terms count."""
    if entry.curated_terms is not None:
        for clause in entry.terms.flags:
            if clause.flag == flag:
                yield entry, None, clause
    for policy in _incorporated(entry, catalog):
        if policy.curated_terms is None:
            continue
        for clause in policy.terms.flags:
            if clause.flag == flag:
                yield entry, policy, clause


def _clause_message(subject: str, entry: LicenseEntry, policy: LicenseEntry | None) -> str:
    if policy is None:
        return f"{subject} is under {entry.name}"
    return f"{subject} is under {entry.name}, which incorporates {policy.name}"


def _term_flags(ctx: Context, flag: str) -> Iterator[Flag]:
    """The ``flag`` clauses of every license the release's components are under, and of the
    policies those licenses incorporate by reference."""
    catalog = ctx.catalog
    seen: set[tuple[str | None, int | None, str]] = set()
    from_files: set[str] = set()
    files_read = {i.expression for i in ctx.release.files if i.expression}
    for ident in ctx.release.files:
        for f in text_flags(ident, catalog):
            if f.name == flag and (f.evidence.path, f.evidence.line, flag) not in seen:
                seen.add((f.evidence.path, f.evidence.line, flag))
                if ident.expression:
                    from_files.add(ident.expression)
                yield raise_flag(flag, f.message, f.evidence, f.source)
    for ident in ctx.release.files:
        # A license file read for its text binds by the policies it incorporates too, unless
        # the policy's own text is among the files (its findings are then its own).
        if ident.kind != "license" or not ident.expression or ident.error is not None:
            continue  # a notice naming the license holds none of its clauses
        for leaf in ex.iter_license_keys(catalog.expression(ident.expression)):
            entry = catalog.get(leaf.id)
            if entry is None:
                continue
            for _, policy, clause in _binding_clauses(entry, catalog, flag):
                key = (None, None, f"{(policy or entry).id}:{clause.section}")
                if policy is None or policy.id in files_read or key in seen:
                    continue
                seen.add(key)
                from_files.add(ident.expression)
                yield raise_flag(
                    flag,
                    f"{_clause_message(ident.path or 'the license file', entry, policy)}: "
                    f'{RULES[flag].vocabulary} (section {clause.section}: "{clause.quote}")',
                    Evidence(path=ident.path, line=None, quote=clause.quote),
                    f"catalog:{policy.id}",
                )
    for c in _license_components(ctx.release):
        if c.license is None or not c.expression or c.expression in from_files:
            continue
        source = c.sources[0] if c.sources else None
        tree = license_tree(c.license, catalog)
        for entry, policy, clause in _new_clauses(
            tree, ctx, flag, seen=seen, files_read=files_read, from_files=from_files
        ):
            yield _clause_flag(
                flag, c.name, entry, policy, clause, evidence=evidence_at(source, clause.quote)
            )
    for base in ctx.release.base_models:
        # A derivative stays under its base model's terms whatever it declares (a card under
        # CC-BY-NC of its own over the original LLaMA is bound by LLaMA's clauses too).
        if base.license is None or base.license.status != "ok" or not base.license.expression:
            continue
        tree = license_tree(base.license, catalog)
        if not binds_derivatives(tree, catalog):
            continue
        subject = f"derived from {base.name}, which"
        for entry, policy, clause in _new_clauses(
            tree, ctx, flag, seen=seen, files_read=files_read, from_files=from_files
        ):
            yield _clause_flag(
                flag, subject, entry, policy, clause, evidence=evidence_at(base.source, base.name)
            )


def _clause_flag(
    flag: str,
    subject: str,
    entry: LicenseEntry,
    policy: LicenseEntry | None,
    clause: FlagClause,
    *,
    evidence: Evidence,
) -> Flag:
    """The flag a catalogued clause raises: "<subject> is under <license>: <what it means>
    (section <n>: "<quote>")", sourced to the catalog entry that holds the clause."""
    return raise_flag(
        flag,
        f"{_clause_message(subject, entry, policy)}: {RULES[flag].vocabulary} "
        f'(section {clause.section}: "{clause.quote}")',
        evidence,
        f"catalog:{(policy or entry).id}",
    )


def _new_clauses(
    tree: ex.Expression,
    ctx: Context,
    flag: str,
    *,
    seen: set[tuple[str | None, int | None, str]],
    files_read: set[str],
    from_files: set[str],
) -> Iterator[tuple[LicenseEntry, LicenseEntry | None, FlagClause]]:
    """The ``flag`` clauses of the licenses in ``tree`` not raised yet (marked raised as they
    are given): one flag per clause of a license, however many components or bases it covers;
    a license read from a file, or a policy whose text the release holds, is judged by that
    text instead."""
    for leaf in ex.iter_license_keys(tree):
        entry = ctx.catalog.get(leaf.id)
        if entry is None or entry.id in from_files:
            continue
        for _, policy, clause in _binding_clauses(entry, ctx.catalog, flag):
            key = (None, None, f"{(policy or entry).id}:{clause.section}")
            if key in seen or (policy is not None and policy.id in files_read):
                continue
            seen.add(key)
            yield entry, policy, clause


@rule("field-of-use-restriction")
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


@rule("user-threshold")
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


@rule("revenue-threshold")
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


@rule("non-commercial")
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


@rule("no-derivatives")
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


@rule("output-restriction")
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


@rule("brand-requirement")
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


@rule("terms-changeable")
def terms_changeable(ctx: Context) -> Iterator[Flag]:
    """Flags licenses whose terms the licensor may change unilaterally.

    What it does
    ------------
    Raises the flag when the licensor may change the terms, or a policy the license
    incorporates by reference, after the fact ("as updated from time to time"). A policy's
    clause binds through every license that incorporates it (the catalog's `incorporates`):
    a release under the Llama 2 Community License, or derived from a Llama 2 model, is flagged
    for the Llama 2 Acceptable Use Policy's "most recent copy of this policy", quoted from the
    catalog, unless the policy's own text is among the release's files (then that text is read).

    Why it matters
    --------------
    Rights that can be changed at will are not a stable grant: what is allowed today may be
    prohibited tomorrow for models already deployed.

    Example
    -------
    The Gemma Prohibited Use Policy "may be updated from time to time"; the Gemma Terms of Use
    incorporate it, so a Gemma release is flagged although the terms themselves say nothing of
    changes.

    How to fix
    ----------
    Fix the terms at release; publish new versions as new licenses.

    References
    ----------
    OSAID 1.0, freedoms granted "without having to ask for permission".
    """
    yield from _term_flags(ctx, "terms-changeable")


@rule("geographic-restriction")
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


@rule("licensor-control")
def licensor_control(ctx: Context) -> Iterator[Flag]:
    """Flags licenses that let the licensor restrict, revoke or approve use.

    What it does
    ------------
    Raises the flag when the licensor holds a power over the rights it granted: to restrict use
    remotely, disable the model, revoke, suspend or terminate at will (not only on breach), or
    audit the licensee's use. The licensor's discretion in granting what the licensee asks for is
    not control: a license above a user or revenue threshold "which the licensor may grant in its
    sole discretion" is `user-threshold` or `revenue-threshold`, permission for commercial use
    after a registration is `non-commercial`, and access "approved at our discretion" is
    `gated-access`.

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

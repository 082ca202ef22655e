"""What the card's text says: claims of openness, whether the training data is described and
where it is published, where the code is, and which topics the card documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from openlicense.model import Claim, Source
from openlicense.read.frontmatter import FrontMatter
from openlicense.release.hf.markdown import (
    _PLACEHOLDER,
    _Body,
    _Heading,
    _plain,
    _strip_marks,
)
from openlicense.release.hf.phrases import (
    ClaimKind,
    claim_kinds,
    data_sentences,
    documentation_topics,
    pattern,
    words,
)


def _claims(body: _Body, path: str) -> Iterator[Claim]:
    """Sentences in which the card says that this model (or the release it builds on) is open.

    Not claims: the phrase describing someone else ("outperforms open-source chat models",
    "compared with other open-source models"), a community or dataset ("shout out to the open
    source community", "open source instruction datasets"), or a negation ("not open source")."""
    seen: set[tuple[int, str]] = set()
    for unit in body.units:
        for offset, sentence in unit.sentences():
            for m in pattern("claim").finditer(sentence):
                group = m.lastgroup or ""
                if not _is_claim(sentence, m, group):
                    continue
                line = unit.line_at(offset + m.start())
                text = _quote(sentence, m.start(), m.end())
                if (line, text) in seen:
                    break
                seen.add((line, text))
                yield Claim(text=text, source=Source(path, line, None), kind=_claim_kind(m))
                break


def _tag_claims(meta: FrontMatter, path: str) -> Iterator[Claim]:
    """Tags the card gives itself that call it open ("open-source", "fully-open"): the
    metadata's word for what the release is, read like a sentence of the text."""
    for tag, line in meta.strings("tags"):
        text = re.sub(r"[-_]+", " ", tag).strip()
        m = pattern("claim").search(text)
        if m is None or not _is_claim(text, m, m.lastgroup or ""):
            continue
        yield Claim(text=tag, source=Source(path, line, "tags"), kind=_claim_kind(m))


def _claim_kind(m: re.Match[str]) -> ClaimKind:
    """The kind of claim a match of the claim pattern makes: its group's (``[claim_kinds]``),
    and open-source whenever "source" follows ("fully open source", "truly open-source")."""
    if re.match(r"[- ]?sourc", m.string[m.end() :], re.I):
        return "open-source"
    return claim_kinds().get(m.lastgroup or "", "open")


def _is_claim(sentence: str, m: re.Match[str], group: str) -> bool:
    before = sentence[: m.start()]
    after = sentence[m.end() :]
    if pattern("gratitude").search(before):
        return False  # "thanks to the authors for open-sourcing X" credits someone else
    if group.startswith("zh"):
        if pattern("zh_negation").search(before) or pattern("zh_not_self").match(after):
            return False
        # "开源模型中" (among open-source models) and comparisons name other models.
        return not (
            after.startswith(words("zh_among"))
            # "超过了同尺寸开源法律模型": other models, a few characters may qualify them
            or (
                re.match("[\u4e00-\u9fff]{0,4}模型", after) is not None
                and bool(pattern("zh_comparison").search(before))
            )
        )
    if pattern("negation").search(before[-30:]):
        return False
    # The words the phrase qualifies ("open source datasets"), not those after a colon or a
    # comma ("fully open: weights, training data and code are public" lists what is open).
    qualified = re.split(r"[:;,.!?()\uff1a\uff0c]", after, maxsplit=1)[0]
    next_words = re.findall(r"[\w/-]+", qualified.lower())[:4]
    if any(w.strip("-/") in words("not_self") for w in next_words[:3]):
        return False
    if group == "license" and re.match(r"\s*(?:agreement|terms)", after, re.I):
        return True
    if group == "model" and re.match(r"\s*licen[cs]e", after, re.I):
        return False  # a license named "Open Model License" is a name, not a statement
    noun_plural = group == "model" and m.group(0).lower().endswith("s")
    # "open-source models" in a comparison are other models; "these open models" are ours.
    plural = (
        noun_plural
        or any(w in words("plural_others") for w in next_words)
        # "beats every open model", "than any other open 7B model": others, one at a time
        or re.search(r"\b(?:every|any|each|other)\s+(?:other\s+)?$", before, re.I) is not None
    )
    ours = pattern("ours").search(before)
    return not (plural and pattern("comparison").search(sentence) and not ours)


def _quote(sentence: str, start: int, end: int, width: int = 300) -> str:
    if len(sentence) <= width:
        return sentence.strip()
    lo = max(0, min(start - width // 3, len(sentence) - width))
    text = sentence[lo : lo + width].strip()
    return ("..." if lo else "") + text + ("..." if lo + width < len(sentence) else "")


def _evaluation_only(title: str) -> bool:
    """An evaluation or calibration heading ("Evaluation data", "GPTQ dataset"), unless it is
    also about training ("Training and evaluation data")."""
    evaluation = pattern("evaluation_heading").search(title)
    return bool(evaluation) and not pattern("training_word").search(title)


def _data_sections(body: _Body) -> list[_Heading]:
    return [
        h
        for h in body.headings
        if pattern("data_heading").search(h.title) and not _evaluation_only(h.title)
    ]


def _data_information(
    meta: FrontMatter,
    body: _Body,
    path: str,
    relation: str,
    cards: Sequence[tuple[_Body, str]] = (),
) -> tuple[bool | None, Source | None] | None:
    """Is the training data described? ``(True, where)``, ``(False, where it was only counted)``
    when nothing is said of its sources or composition, ``(None, None)`` for a quantization or
    merge that says nothing of training data (no new training: the data is the base model's,
    documented there); one whose text (often the original card it quotes) speaks of the
    training data without describing it is ``(False, where)`` like any card.

    The card is read first, then its companion cards (``MODEL_CARD.md``): a training-data
    section, a labelled line or a sentence about the training data describes it when it names
    sources or gives the composition; the ``datasets`` field lists the datasets."""
    counted: Source | None = None
    for doc, doc_path in ((body, path), *cards):
        found, only_counted = _described_in(doc, doc_path)
        if found is not None:
            return True, found
        counted = counted or only_counted
    if meta.strings("datasets"):
        return True, Source(path, meta.line("datasets"), "datasets")
    if relation in {"quantized", "merge"} and counted is None:
        return None, None  # a quantization that speaks of no training data at all
    # Nothing said of the data: the evidence is the card itself (not a field it lacks).
    return False, counted or Source(path, None, None)


def _described_in(body: _Body, path: str) -> tuple[Source | None, Source | None]:
    """(where the text describes the training data, where it only mentions it)."""
    counted: Source | None = None
    for h in _data_sections(body):
        if body.section_words(h) >= 4:
            where = Source(path, body.line_no(h.index), None)
            # A paragraph or more on the data says something of it; a line that only counts
            # tokens or languages does not, unless it names sources or shares.
            text = _section_text(body, h)
            if pattern("data_not_described").search(text):
                # "The e-mails are private and are not described further": the section says
                # the data is not described, however long it is
                counted = counted or where
                continue
            if _describes_data(text) or _section_has_table(body, h):
                return where, None
            counted = counted or where
    for i, line in enumerate(body.raw):
        label = pattern("data_label").match(_strip_marks(line)) if line.strip() else None
        if label and not _evaluation_only(line.split(":")[0]):
            value = _PLACEHOLDER.sub(" ", _plain(label.group("value")))
            if len(re.findall(r"\w+", value)) >= 4:
                where = Source(path, body.line_no(i), None)
                if _describes_data(label.group("value")):
                    return where, None
                counted = counted or where
    for unit in body.units:
        if unit.kind == "table":
            continue
        for offset, sentence in unit.sentences():
            for cue in data_sentences():
                m = cue.search(sentence)
                if (
                    m
                    and not _calibration(sentence)
                    and not pattern("data_unknown").search(sentence)
                ):
                    where = Source(path, unit.line_at(offset + m.start()), None)
                    if _describes_data(sentence):
                        return where, None
                    counted = counted or where
    return None, counted


def _calibration(sentence: str) -> bool:
    """Quantization boilerplate talks about its calibration dataset, not the training data."""
    return bool(pattern("calibration").search(sentence))


def _dataset_links(meta: FrontMatter, body: _Body, path: str) -> list[Source]:
    """Where the training data itself is published: the ``datasets`` field (Hub datasets) and
    dataset links inside a training-data section."""
    out: list[Source] = []
    for _, line in meta.strings("datasets")[:1]:
        out.append(Source(path, line, "datasets"))
    for h in _data_sections(body):
        start, end = body.section(h)
        for i in range(start, end):
            if pattern("dataset_url").search(body.raw[i]) and not _calibration(body.raw[i]):
                out.append(Source(path, body.line_no(i), None))
    return out


def _code_links(body: _Body, path: str) -> tuple[list[Source], list[Source]]:
    """Links to code repositories, sorted into training code and other (inference) code by the
    words around them ("training code", "Repository:", "inference demo code")."""
    training: list[Source] = []
    other: list[Source] = []
    # the heading of each line's section: a link under "Training code" is the training code
    # ("Both stages ran on https://github.com/..."), whatever the line's own words
    section: dict[int, str] = {}
    for h in body.headings:
        start, end = body.section(h)
        for k in range(start, end):
            section[k] = h.title
    for i, line in enumerate(body.raw):
        for m in pattern("code_url").finditer(line):
            attachment = m.group("owner").lower() in words("not_code_owners")
            if attachment or pattern("not_code_link").search(m.group("rest")):
                continue
            context = section.get(i, "") + " | " + body.plain[i] + " " + m.group("repo")
            source = Source(path, body.line_no(i), None)
            if pattern("training_code_context").search(context):
                training.append(source)
            elif pattern("code_context").search(context):
                other.append(source)
    return _unique(training), _unique(other)


def _unique(sources: Iterable[Source]) -> list[Source]:
    return list(dict.fromkeys(sources))


def _documentation(body: _Body) -> tuple[str, ...]:
    """The topics the card documents: sections with something in them (not the template's
    "[More Information Needed]")."""
    found: set[str] = set()
    for h in body.headings:
        topics = {t for t, heading in documentation_topics() if heading.search(h.title)}
        if "training-data" in topics and _evaluation_only(h.title):
            topics.discard("training-data")
        if topics and body.section_words(h) >= 4:
            found |= topics
    return tuple(t for t, _ in documentation_topics() if t in found)


def _training_code_withheld(body: _Body, path: str) -> Source | None:
    """Where the text says the training code is not published ("the training code is not
    released", "we release the weights only, without the training code", 训练代码暂不开放), or
    that the repository holds inference code only: the training code is withheld."""
    for rx in ("training_code_withheld", "inference_only"):
        for unit in body.units:
            if unit.kind != "text":
                continue
            for offset, sentence in unit.sentences():
                m = pattern(rx).search(sentence)
                if m:
                    return Source(path, unit.line_at(offset + m.start()), None)
    return None


def _describes_data(text: str) -> bool:
    """Does text about the training data say where it comes from or what it is made of (a named
    corpus, a dataset link, the shares of its sources)? A token or language count does not."""
    return bool(pattern("data_described").search(text))


def _section_text(body: _Body, heading: _Heading) -> str:
    start, end = body.section(heading)
    return " ".join(body.raw[i] for i in range(start, end))


def _section_has_table(body: _Body, heading: _Heading) -> bool:
    """A table of two or more rows under a training-data heading lists its sources."""
    start, end = body.section(heading)
    rows = [i for i in range(start, end) if body.raw[i].lstrip().startswith("|")]
    return len(rows) >= 4  # header, delimiter and at least two sources


def _gated_in_text(body: _Body, path: str) -> Source | None:
    """A gate the card's text describes ("request access by filling the form", "once your
    request is approved", "access to the Base model requires manual approval")."""
    title = body.headings[0].title.split()[0].casefold() if body.headings else ""
    for unit in body.units:
        for offset, sentence in unit.sentences():
            for m in pattern("gate_prose").finditer(sentence):
                party = _ANOTHER_PARTYS.search(sentence, max(0, m.start() - 80), m.start())
                if party and not title.startswith(party.group("name").casefold()):
                    continue  # "through Meta's research access request form": the base's gate
                return Source(path, unit.line_at(offset + m.start()), None)
    return None


#: Words just before a gate naming whose it is, another party's ("Meta's research access
#: request form"): that gate is the one of the model obtained from them, not this repository's.
_ANOTHER_PARTYS = re.compile(
    "(?<![\\w'\u2019])(?!(?:[Oo]ur|[Tt]his|[Tt]he)\\b)(?P<name>[A-Z][\\w&.\\-]{1,30})['\u2019]s"
    "(?:\\s+[\\w\\-]{1,20}){0,3}\\s+\\Z"
)

"""What the card's text says: claims of openness, whether the training data is described and
where it is published, where the code is, and which topics the card documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal

from openlicense.model import Claim, Source
from openlicense.release.hf.card import _FrontMatter
from openlicense.release.hf.markdown import (
    _PLACEHOLDER,
    _Body,
    _Heading,
    _plain,
    _strip_marks,
)

_CLAIM = re.compile(
    r"(?P<src>\bopen[- ]?sourc(?:e[ds]?|ing)\b)|"
    r"(?P<weights>\bopen[- ]weights?\b)|"
    r"(?P<openly>\bopenly\s+(?:releas\w*|licen[cs]ed|available|shar\w*|publish\w*|accessible))|"
    r"(?P<fully>\b(?:fully|truly|completely|totally|100\s?%)\s+open\b)|"
    r"(?P<science>\bopen\s+science\b)|"
    r"(?P<license>\bopen(?:ly)?[- ]licen[cs](?:e[ds]?)\b)|"
    r"(?P<model>\bopen\s+(?:(?:ai|foundation|language|generative)\s+)?(?:models?|llms?)\b)|"
    r"(?P<zh_src>开源|开放源代码)|(?P<zh_fully>完全开放|全面开放|开放权重)",
    re.I,
)
# A phrase that names who or what is open other than this release: "the open-source
# community", "open source datasets", "the Open LLM Leaderboard".
_NOT_SELF = frozenset(
    """community communities ecosystem contributors contributor developers projects project
    software tools tooling libraries library frameworks framework datasets dataset data corpus
    corpora leaderboard initiative initiatives movement world spirit collaboration collaborations
    culture principles values efforts effort research researchers alternative""".split()  # noqa: SIM905 - a word list reads best as prose
)
_PLURAL_OTHERS = frozenset(
    "models llms lms alternatives baselines counterparts competitors peers systems".split()  # noqa: SIM905
)
_COMPARISON = re.compile(
    r"\b(?:outperform\w*|surpass\w*|compar\w*|than|versus|vs\.?|among|other|existing|similar|"
    r"rival\w*|beat\w*|on par|competitive|leading|best|top|previous|prior|mainstream|popular|"
    r"state-of-the-art|sota|many|most|like)\b",
    re.I,
)
_NEGATED = re.compile(
    r"\b(?:not|n't|never|non|nor|no longer|neither)\b(?:[\s-]+\w+){0,2}[\s-]*$", re.I
)
_ZH_NOT_SELF = re.compile(r"^(?:的)?.{0,3}?(?:社区|生态|语料|数据|项目|工具|软件|框架)")
_ZH_COMPARISON = re.compile(r"超越|超过|相比|对比|优于|领先|主流|现有|其他|其它|同类|同等|之中")
_CLAIM_KIND: dict[str, Literal["open-source", "open", "open-weights", "open-science"]] = {
    "src": "open-source",
    "zh_src": "open-source",
    "weights": "open-weights",
    "science": "open-science",
}


def _claims(body: _Body, path: str) -> Iterator[Claim]:
    """Sentences in which the card says that this model (or the release it builds on) is open.

    Not claims: the phrase describing someone else ("outperforms open-source chat models",
    "compared with other open-source models"), a community or dataset ("shout out to the open
    source community", "open source instruction datasets"), or a negation ("not open source")."""
    seen: set[tuple[int, str]] = set()
    for unit in body.units:
        for offset, sentence in unit.sentences():
            for m in _CLAIM.finditer(sentence):
                group = m.lastgroup or ""
                if not _is_claim(sentence, m, group):
                    continue
                line = unit.line_at(offset + m.start())
                text = _quote(sentence, m.start(), m.end())
                if (line, text) in seen:
                    break
                seen.add((line, text))
                kind = _CLAIM_KIND.get(group, "open")
                if re.match(r"[- ]?sourc", sentence[m.end() :], re.I):
                    kind = "open-source"  # "fully open source", "truly open-source"
                yield Claim(text=text, source=Source(path, line, None), kind=kind)
                break


def _is_claim(sentence: str, m: re.Match[str], group: str) -> bool:
    before = sentence[: m.start()]
    after = sentence[m.end() :]
    if group.startswith("zh"):
        if _ZH_NOT_SELF.match(after):
            return False
        # "开源模型中" (among open-source models) and comparisons name other models.
        return not (
            after.startswith(("模型中", "模型里"))
            or (after.startswith("模型") and bool(_ZH_COMPARISON.search(before)))
        )
    if _NEGATED.search(before[-30:]):
        return False
    next_words = re.findall(r"[\w/-]+", after.lower())[:4]
    if any(w.strip("-/") in _NOT_SELF for w in next_words[:3]):
        return False
    if group == "license" and re.match(r"\s*(?:agreement|terms)", after, re.I):
        return True
    if group == "model" and re.match(r"\s*licen[cs]e", after, re.I):
        return False  # a license named "Open Model License" is a name, not a statement
    noun_plural = group == "model" and m.group(0).lower().endswith("s")
    # "open-source models" in a comparison are other models; "these open models" are ours.
    plural = noun_plural or any(w in _PLURAL_OTHERS for w in next_words)
    ours = re.search(
        r"\b(?:these|our|its)\s*$|\bone\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", before, re.I
    )
    return not (plural and _COMPARISON.search(sentence) and not ours)


def _quote(sentence: str, start: int, end: int, width: int = 300) -> str:
    if len(sentence) <= width:
        return sentence.strip()
    lo = max(0, min(start - width // 3, len(sentence) - width))
    text = sentence[lo : lo + width].strip()
    return ("..." if lo else "") + text + ("..." if lo + width < len(sentence) else "")


_DATA_HEADING = re.compile(
    r"(?:\b(?:training|pre-?training|fine-?tuning|finetuning|sft|instruction|tuning|train)\s*"
    r"(?:data|dataset|datasets|corpus|corpora|mixture|set)\b)|"
    r"^(?:the\s+)?(?:data|dataset|datasets|data\s*sets?|corpus|data\s+sources?|datasets?\s+used|"
    r"training\s+and\s+evaluation\s+data|data\s+collection)\s*:?$|训练数据|预训练数据|数据集|训练语料",
    re.I,
)
_EVAL_HEADING = re.compile(r"evaluat|test|benchmark|calibrat|gptq|quanti|eval\b|评测|评估", re.I)
_TRAIN_WORD = re.compile(r"train|tun|sft|训练|微调", re.I)


def _evaluation_only(title: str) -> bool:
    """An evaluation or calibration heading ("Evaluation data", "GPTQ dataset"), unless it is
    also about training ("Training and evaluation data")."""
    return bool(_EVAL_HEADING.search(title)) and not _TRAIN_WORD.search(title)


_DATA_NOUN = (
    r"(?:data|dataset|datasets|corpus|corpora|tokens|hours|images|image-text|pairs|samples|"
    r"examples|conversations|dialogues|instructions|documents|languages|captions|subsets?|"
    r"mixture|texts|web\s*crawl|crawl)"
)
_DATA_SENTENCES = (
    re.compile(
        # "." inside a number ("1.2 trillion tokens") does not end the phrase.
        r"\b(?:pre-?trained|trained|fine-?tuned|finetuned|tuned|distilled)\b(?:[^.;]|\.\d){0,40}?"
        r"\b(?:on|using|with|in)\b(?:[^.;]|\.\d){0,80}?\b" + _DATA_NOUN + r"\b",
        re.I,
    ),
    re.compile(
        r"\b(?:training|pre-?training|fine-?tuning|finetuning|sft|instruction)[- ]"
        r"(?:data|dataset|datasets|corpus|corpora|mixture)\b[^.]{0,20}?"
        r"\b(?:includes?|included|consists?|consisted|comprises?|comprised|is|was|are|were|"
        r"comes?|came|contains?|contained|covers?|has|had)\b",
        re.I,
    ),
    re.compile(r"\bsynthetic\b[^.]{0,60}\btrain\w*|\btrain\w*\b[^.]{0,60}\bsynthetic\b", re.I),
    re.compile(
        r"(?:训练|预训练|微调)[^。]{0,30}(?:数据|语料|数据集|tokens?)|(?:数据|语料|数据集)[^。]{0,30}(?:训练|预训练|微调)"
    ),
)
_DATA_LABEL = re.compile(
    r"^\W*(?:training|pre-?training|fine-?tuning|sft)?\s*(?:data|dataset|datasets|corpus)"
    r"(?:\s+sources?)?\s*(?:\*\*|__)?\s*[:\uff1a]\s*(?:\*\*|__)?\s*(?P<value>.+)$",
    re.I,
)


def _data_sections(body: _Body) -> list[_Heading]:
    return [
        h for h in body.headings if _DATA_HEADING.search(h.title) and not _evaluation_only(h.title)
    ]


def _data_information(
    meta: _FrontMatter, body: _Body, path: str, relation: str
) -> tuple[bool | None, Source | None] | None:
    """Is the training data described? ``(True, where)``, ``(False, None)`` when nothing is said,
    ``(None, None)`` for a quantization or merge that says nothing (no new training: the data
    is the base model's, documented there)."""
    if meta.strings("datasets"):
        return True, Source(path, meta.line("datasets"), "datasets")
    for h in _data_sections(body):
        if body.section_words(h) >= 4:
            return True, Source(path, body.line_no(h.index), None)
    for i, line in enumerate(body.raw):
        label = _DATA_LABEL.match(_strip_marks(line)) if line.strip() else None
        if label and not _evaluation_only(line.split(":")[0]):
            value = _PLACEHOLDER.sub(" ", _plain(label.group("value")))
            if len(re.findall(r"\w+", value)) >= 4:
                return True, Source(path, body.line_no(i), None)
    for unit in body.units:
        if unit.kind == "table":
            continue
        for offset, sentence in unit.sentences():
            for pattern in _DATA_SENTENCES:
                m = pattern.search(sentence)
                if m and not _calibration(sentence) and not _DATA_UNKNOWN.search(sentence):
                    return True, Source(path, unit.line_at(offset + m.start()), None)
    if relation in {"quantized", "merge"}:
        return None, None
    return False, None


# "fine-tuned on an unknown dataset" (what the Trainer writes when it was not told), "the
# None dataset", "the data is not disclosed": the sentence names no data.
_DATA_UNKNOWN = re.compile(
    r"\b(?:unknown|none|undisclosed|unspecified|unnamed)\s+(?:data|dataset|datasets|corpus)\b|"
    r"\bnot\s+(?:be\s+)?(?:disclosed|released|made\s+public|shared)\b",
    re.I,
)


def _calibration(sentence: str) -> bool:
    """Quantization boilerplate talks about its calibration dataset, not the training data."""
    return bool(re.search(r"\b(?:gptq|awq|quanti[sz]ation|calibration)\b", sentence, re.I))


_DATASET_URL = re.compile(
    r"https?://(?:www\.)?(?:(?:huggingface\.co|hf\.co)/datasets/[\w.\-]+(?:/[\w.\-]+)?|"
    r"kaggle\.com/datasets/[\w.\-]+/[\w.\-]+|zenodo\.org/records?/\d+|"
    r"commoncrawl\.org|laion\.ai/blog/laion-[\w-]+)",
    re.I,
)


def _dataset_links(meta: _FrontMatter, body: _Body, path: str) -> list[Source]:
    """Where the training data itself is published: the ``datasets`` field (Hub datasets) and
    dataset links inside a training-data section."""
    out: list[Source] = []
    for _, line in meta.strings("datasets")[:1]:
        out.append(Source(path, line, "datasets"))
    for h in _data_sections(body):
        start, end = body.section(h)
        for i in range(start, end):
            if _DATASET_URL.search(body.raw[i]) and not _calibration(body.raw[i]):
                out.append(Source(path, body.line_no(i), None))
    return out


_CODE_URL = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org|gitee\.com)/"
    r"(?P<owner>[\w.\-]+)/(?P<repo>[\w.\-]+)(?P<rest>[^\s)\]\"'>]*)",
    re.I,
)
# Training code is named as such ("training code", "scripts to fine-tune", "both training and
# inference"); "trained on our format" or "pretrained encoder" near a link is not it.
_TRAIN_CONTEXT = re.compile(
    r"\b(?:training|fine-?tuning|finetuning|pre-?training)\s+(?:code|codes|scripts?|recipes?|"
    r"codebase|repo|repository)\b|\b(?:code|scripts?|recipes?)\s+(?:for|to)\s+(?:training|train|"
    r"fine-?tun\w*|finetun\w*|pre-?train\w*)\b|\btraining\s+and\s+inference\b|"
    r"\b(?:train|fine-?tune|finetune)\s+(?:your\s+own|the\s+model|a\s+model)\b|训练代码|微调代码",
    re.I,
)
_CODE_CONTEXT = re.compile(
    r"\b(?:code|codebase|repo|repository|github|gitlab|source\s+code|implementation|inference|"
    r"demo|scripts?)\b|代码|仓库",
    re.I,
)
# Links into a repository that are not its code: a license text, an image, an issue.
_NOT_CODE = re.compile(
    r"/(?:blob|raw|tree)/[^/]+/.*(?:licen[cs]e|\.png|\.jpe?g|\.gif|\.svg|\.pdf)|"
    r"/(?:issues|pulls|discussions|releases/download)\b",
    re.I,
)


def _code_links(body: _Body, path: str) -> tuple[list[Source], list[Source]]:
    """Links to code repositories, sorted into training code and other (inference) code by the
    words around them ("training code", "Repository:", "inference demo code")."""
    training: list[Source] = []
    other: list[Source] = []
    for i, line in enumerate(body.raw):
        for m in _CODE_URL.finditer(line):
            if m.group("owner").lower() in {"user-attachments", "assets"} or _NOT_CODE.search(
                m.group("rest")
            ):
                continue
            context = body.plain[i] + " " + m.group("repo")
            source = Source(path, body.line_no(i), None)
            if _TRAIN_CONTEXT.search(context):
                training.append(source)
            elif _CODE_CONTEXT.search(context):
                other.append(source)
    return _unique(training), _unique(other)


def _unique(sources: Iterable[Source]) -> list[Source]:
    return list(dict.fromkeys(sources))


_DOC_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("intended-use", re.compile(r"\b(?:intended|direct|downstream)\s+uses?\b|^uses?$|用途", re.I)),
    ("out-of-scope", re.compile(r"out[- ]of[- ]scope|prohibited\s+uses?|excluded\s+uses?", re.I)),
    ("misuse", re.compile(r"\bmisuse|malicious|\babuse", re.I)),
    ("limitations", re.compile(r"limitation|局限", re.I)),
    ("risks", re.compile(r"\brisks?\b|ethic|harm|风险|伦理", re.I)),
    ("bias", re.compile(r"\bbias|fairness|偏见", re.I)),
    ("safety", re.compile(r"\bsafety\b|responsible\s+ai|安全", re.I)),
    ("training-data", _DATA_HEADING),
    ("training", re.compile(r"^training\b|training\s+(?:procedure|details|setup)|训练", re.I)),
    ("evaluation", re.compile(r"evaluat|benchmark|results|performance|metrics|评测|评估", re.I)),
    ("environmental-impact", re.compile(r"environmental|carbon|co2|emission", re.I)),
)


def _documentation(body: _Body) -> tuple[str, ...]:
    """The topics the card documents: sections with something in them (not the template's
    "[More Information Needed]")."""
    found: set[str] = set()
    for h in body.headings:
        topics = {t for t, pattern in _DOC_TOPICS if pattern.search(h.title)}
        if "training-data" in topics and _evaluation_only(h.title):
            topics.discard("training-data")
        if topics and body.section_words(h) >= 4:
            found |= topics
    return tuple(t for t, _ in _DOC_TOPICS if t in found)

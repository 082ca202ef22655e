"""How a release derives from other models: its relation (quantized, merge, adapter, finetune)
and the base models the metadata or the text names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from openlicense.model import BaseModel, Source
from openlicense.release.hf.card import _FrontMatter
from openlicense.release.hf.markdown import (
    _LINK,
    _LIST_ITEM,
    _PLACEHOLDER,
    _Body,
    _plain,
    _strip_marks,
)

_RELATIONS = {"adapter", "merge", "quantized", "finetune"}
_QUANT_TAGS = re.compile(
    r"^(?:gptq|awq|gguf|ggml|exl2|bnb|bitsandbytes|[248]-?bit|quantized|nf4)$", re.I
)
_QUANT_TITLE = re.compile(r"\b(?:GPTQ|AWQ|GGUF|GGML|EXL2|NF4|quant|quants|quantized)\b", re.I)
_QUANT_TEXT = re.compile(
    r"\b(?:quanti[sz]ed\s+(?:version|model|weights|from)|quanti[sz]ation\s+of|"
    r"(?:was|were|been|is|are)\s+quanti[sz]ed|quants?\s+of|"
    r"(?:GPTQ|AWQ|GGUF|EXL2|NF4)\s+(?:quant\w*|version|model|files|format))\b",
    re.I,
)
_MERGE_TEXT = re.compile(
    r"\b(?:merge\s+of|merged\s+(?:model|from|with)|model\s+merge|mergekit)\b", re.I
)


def _relation(meta: _FrontMatter, body: _Body, formats: Sequence[str]) -> str:
    """How this release relates to its base: quantized, merge, adapter or finetune."""
    given = meta.text("base_model_relation")
    if given and given.lower() in _RELATIONS:
        return given.lower()
    tags = [t for t, _ in meta.strings("tags")]
    if meta.data.get("quantized_by") or any(_QUANT_TAGS.match(t) for t in tags):
        return "quantized"
    if any(t.lower() in {"merge", "mergekit"} for t in tags):
        return "merge"
    if (meta.text("library_name") or "").lower() == "peft":
        return "adapter"
    # The opening of the card says what kind of release it is ("NF4 quant of X", "a merge of
    # X and Y"); later mentions are about other releases, so the earliest one counts.
    lines = [line for line in body.plain if line]
    title = " ".join(lines[:2])
    opening = " ".join(lines[:12])
    found = [
        (m.start(), kind)
        for kind, pattern, text in (
            ("quantized", _QUANT_TITLE, title),
            ("quantized", _QUANT_TEXT, opening),
            ("merge", _MERGE_TEXT, opening),
        )
        if (m := pattern.search(text))
    ]
    if found:
        return min(found)[1]
    if formats == ("gguf",):
        return "quantized"
    return "finetune"


# A model page on the Hub: owner/name, or a legacy id without owner ("bert-base-uncased").
_HF_MODEL_URL = re.compile(
    r"^https?://(?:www\.)?(?:huggingface\.co|hf\.co)/"
    r"(?!(?:datasets|spaces|docs|papers|blog|models|organizations|collections|posts|tasks|learn|"
    r"join|login|pricing|settings|enterprise|api)(?:[/?#]|$))"
    r"(?P<id>[\w.\-]+(?:/(?!blob/|tree/|resolve/|raw/)[\w.\-]+)?)",
    re.I,
)
_HF_ID = re.compile(r"^(?P<id>[A-Za-z0-9][\w.\-]*/[A-Za-z0-9][\w.\-]*)")
_BASE_LABEL = re.compile(
    r"^\W*(?:base(?:\s+pretrained)?\s+model(?:\s+type)?|fine-?tuned\s+from(?:\s+model)?|"
    r"finetuned\s+from(?:\s+model)?|parent\s+model|original\s+model|foundation\s+model)"
    r"(?:\s*\[optional\])?\W*[:\uff1a]\s*(?P<value>.+)$",
    re.I,
)
_BASE_CUE = re.compile(
    r"\b(?:(?:fine-?tuned|finetuned|fine\s+tuned)\s+(?:from|on\s+the\s+(?:foundation|basis)\s+of)|"
    r"(?:fine-?tuned|finetuned|quanti[sz]ed)\s+version\s+of|built\s+(?:up)?on(?:\s+top\s+of)?|"
    r"based\s+on|initiali[sz]ed\s+(?:from|with\s+(?:the\s+)?weights\s+of)|distilled\s+from|derived\s+from|quanti[sz]ation\s+of|"
    r"merge\s+of|merged\s+from|converted\s+from|continued\s+pre-?training\s+(?:of|from))\s+",
    re.I,
)
_CUE_RELATION = (
    (re.compile(r"merge", re.I), "merge"),
    (re.compile(r"quanti", re.I), "quantized"),
    (re.compile(r"tun|distill|continued|initiali", re.I), "finetune"),
)
_NAME_LEAD = re.compile(
    r"^(?:(?:the|a|an|of|several|multiple|selected|some|few|two|three|four|these|those)\s+|"
    r"[\w.\-]+['\u2019]s\s+|open[- ]?source\s+|pre-?trained\s+|original\s+)+",
    re.I,
)
_NAME_TAIL = re.compile(
    r"(?:\s+(?:parameter|base|pretrained|pre-trained|language|chat|instruct))*\s+"
    r"(?:models?|fine-?tunes|finetunes|checkpoints?|weights|llms?)\s*$",
    re.I,
)
_NOT_A_MODEL = re.compile(
    r"^\s*(?:architecture|framework|approach|method|paper|structure|technique|design|idea|"
    r"library|pipeline|format|code|repository|dataset|data|(?:model\s+)?card)\b",
    re.I,
)
# A link to a paper, documentation or a model card describes an architecture or a text, not
# the weights a release derives from.
_NOT_A_MODEL_LINK = re.compile(
    r"\bcard\b|model_card|arxiv\.org|openreview\.net|huggingface\.co/(?:docs|papers)/|"
    r"paperswithcode|\.pdf\b",
    re.I,
)
# "evaluation framework based on GPT-4", "images based on text prompts": the thing based on
# something is not the model.
_NOT_DERIVED = re.compile(
    r"\b(?:framework|evaluation|method|approach|benchmark|metrics?|pipeline|system|card|"
    r"tokenizer|scores?|images?|videos?|text|prompts?|outputs?|answers?|responses?|format)\W*$",
    re.I,
)


def _base_models(
    meta: _FrontMatter, body: _Body, path: str, *, name: str, relation: str, errors: list[str]
) -> tuple[BaseModel, ...]:
    """``base_model`` from the metadata, then the bases the text names ("Finetuned from model:
    X", "fine-tuned from X", "a merge of X"). Their licenses are looked up by the release layer."""
    out: list[BaseModel] = []
    # The model itself is not its own base ("based on the pretrained Qwen-72B, we release
    # Qwen-72B-Chat" in Qwen-72B's card).
    own = {name.rsplit("/", 1)[-1].casefold()}
    if body.headings:
        own.add(body.headings[0].title.casefold())
    seen: set[str] = set()

    def add(name: str, source: Source, rel: str) -> None:
        key = name.casefold().strip()
        short = key.rsplit("/", 1)[-1]
        if not key or key in seen or any(s.rsplit("/", 1)[-1] == short for s in seen):
            return
        seen.add(key)
        out.append(BaseModel(name=name, license=None, source=source, relation=rel))

    raw = meta.data.get("base_model")
    if raw is not None and not isinstance(raw, (str, list)):
        errors.append(f"README.md line {meta.line('base_model')}: 'base_model' is not a model id")
    for value, item_line in meta.strings("base_model"):
        add(_model_id(value), Source(path, item_line, "base_model"), relation)

    for i, line in enumerate(body.raw):
        if not line.strip():
            continue
        label = _BASE_LABEL.match(_strip_marks(line))
        if label:
            value = label.group("value")
            found = None if _PLACEHOLDER.search(value) else _model_name(value, strict=False)
            if found:
                add(found, Source(path, body.line_no(i), None), relation)
            continue
        for cue in _BASE_CUE.finditer(line):
            if _NOT_DERIVED.search(_plain(line[: cue.start()])):
                continue
            found = _model_name(line[cue.end() :], strict=True)
            if found and found.casefold() not in own:
                rel = next((r for p, r in _CUE_RELATION if p.search(cue.group(0))), "base")
                add(found, Source(path, body.line_no(i), None), rel)
        if relation == "merge" and _LIST_ITEM.match(line):
            # The models a merge combines are listed one per item: "- **org/model** - ...".
            item = _strip_marks(_LIST_ITEM.sub("", line, count=1))
            m = _HF_ID.match(item)
            if m:
                add(m.group("id").rstrip("."), Source(path, body.line_no(i), None), "merge")
    return tuple(out)


def _model_id(value: str) -> str:
    m = _HF_MODEL_URL.match(value.strip())
    return m.group("id").rstrip("/") if m else value.strip().rstrip("/")


def _model_name(text: str, *, strict: bool) -> str | None:
    """The model named at the start of ``text``: a Hub link or id, or a versioned name."""
    text = _strip_marks(text).strip()
    text = _NAME_LEAD.sub("", text)
    link = _LINK.match(text)
    if link:
        url_id = _HF_MODEL_URL.match(link.group(2))
        after = text[link.end() :]
        if url_id and not re.search(r"\bcard\b", link.group(1), re.I):
            return url_id.group("id").rstrip("/")
        if _NOT_A_MODEL.match(after) or _NOT_A_MODEL_LINK.search(
            link.group(1) + " " + link.group(2)
        ):
            return None
        text = link.group(1) + after
    text = _plain(text)
    text = _NAME_LEAD.sub("", text)
    m = _HF_ID.match(text)
    if m and not re.match(r"^\d+/\d+", m.group("id")):
        return m.group("id").rstrip(".")
    phrase = re.split(
        r"[,;:()\[\]。\uff0c]|\.\s|\.$|\s(?:on|with|using|and|for|to|in|by|which|that)\s",
        text,
        maxsplit=1,
    )[0]
    words = phrase.split()[:6]
    phrase = _NAME_TAIL.sub("", " ".join(words)).strip(" .*_")
    rest = text[len(phrase) :]
    if not phrase or _NOT_A_MODEL.match(rest.strip()):
        return None
    tokens = phrase.split()
    if not strict:
        return phrase if len(phrase) <= 80 else None
    # A model is named with a version or size ("LLaMA-7B", "Llama V2 70B", "Granite-3B-Code"),
    # which keeps "the BERT framework" or "a transformer" out.
    named = any(re.search(r"\d", t) and re.search(r"[A-Za-z]{2,}", t) for t in tokens) or (
        any(re.search(r"[A-Za-z]{2,}", t) for t in tokens)
        and any(re.fullmatch(r"v?\d+(?:\.\d+)*[bmk]?", t, re.I) for t in tokens)
    )
    if not named or any(re.fullmatch(r"\d+(?:\.\d+)?[bmk]", t, re.I) for t in tokens[:1]):
        return None
    return phrase

"""How a release derives from other models: its relation (quantized, merge, adapter, finetune)
and the base models the metadata or the text names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from openlicense.model import BaseModel, Source
from openlicense.read.frontmatter import FrontMatter
from openlicense.release.basemodels import first_release, is_known_base, size_after_name
from openlicense.release.hf.markdown import (
    _LINK,
    _LIST_ITEM,
    _PLACEHOLDER,
    _Body,
    _plain,
    _strip_marks,
    html_row,
)
from openlicense.release.hf.phrases import base_cue_relations, pattern, words


def _relation(meta: FrontMatter, body: _Body, formats: Sequence[str]) -> str:
    """How this release relates to its base: quantized, merge, adapter or finetune."""
    given = meta.text("base_model_relation")
    if given and given.lower() in words("relations"):
        return given.lower()
    tags = [t for t, _ in meta.strings("tags")]
    if meta.data.get("quantized_by") or any(pattern("quantization_tag").match(t) for t in tags):
        return "quantized"
    if any(t.lower() in words("merge_tags") for t in tags):
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
        for kind, cue, text in (
            ("quantized", "quantization_title", title),
            ("quantized", "quantization_text", opening),
            ("merge", "merge_text", opening),
        )
        if (m := pattern(cue).search(text))
    ]
    if found:
        return min(found)[1]
    if formats == ("gguf",):
        return "quantized"
    return "finetune"


_HF_ID = re.compile(r"^(?P<id>[A-Za-z0-9][\w.\-]*/[A-Za-z0-9][\w.\-]*)")

#: Where a PEFT adapter repository names the model its adapter applies to: the field
#: ``base_model_name_or_path`` of ``adapter_config.json`` (Hugging Face PEFT's ``PeftConfig``).
ADAPTER_CONFIG = "adapter_config.json"
_ADAPTER_BASE_FIELD = "base_model_name_or_path"
_MAX_CONFIG_BYTES = 1_000_000


def adapter_bases(folder: Path) -> list[BaseModel]:
    """The base model an adapter's configuration names, when it is a Hub id. A config that
    cannot be read (too large, not UTF-8, not JSON, nested too deep) names none: it is not
    the card, and the card's own statements still count."""
    path = folder / ADAPTER_CONFIG
    try:
        if not path.is_file() or path.stat().st_size > _MAX_CONFIG_BYTES:
            return []
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return []
    value = data.get(_ADAPTER_BASE_FIELD) if isinstance(data, dict) else None
    if not isinstance(value, str) or not _HF_ID.fullmatch(value.strip().rstrip("/")):
        return []
    field = f'"{_ADAPTER_BASE_FIELD}"'
    line = next((n for n, raw in enumerate(text.splitlines(), 1) if field in raw), None)
    return [
        BaseModel(
            name=value.strip().rstrip("/"),
            license=None,
            source=Source(str(path), line, _ADAPTER_BASE_FIELD),
            relation="adapter",
        )
    ]


def _base_models(
    meta: FrontMatter, body: _Body, path: str, *, name: str, relation: str, errors: list[str]
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

    for i, raw_line in enumerate(body.raw):
        if not raw_line.strip():
            continue
        line = html_row(raw_line) or raw_line
        label = pattern("base_label").match(_strip_marks(line))
        if label:
            value = label.group("value")
            # a table row may be a header ("| Base model | License |"): only a versioned name,
            # a Hub id or a link counts there
            in_table = line.lstrip().startswith("|")
            found = None if _PLACEHOLDER.search(value) else _model_name(value, strict=in_table)
            if found:
                add(found, Source(path, body.line_no(i), None), relation)
            continue
        for cue in pattern("base_cue").finditer(line):
            if pattern("not_derived").search(_plain(line[: cue.start()])):
                continue
            found = _model_name(_continued(line[cue.end() :], body.raw, i), strict=True)
            if found and found.casefold() not in own:
                rel = next((r for p, r in base_cue_relations() if p.search(cue.group(0))), "base")
                add(found, Source(path, body.line_no(i), None), rel)
        for around in pattern("base_cue_en_around").finditer(line):
            found = _model_name(around.group("name"), strict=True)
            if found and found.casefold() not in own:
                add(found, Source(path, body.line_no(i), None), "finetune")
        for role in pattern("base_cue_as").finditer(body.plain[i]):
            found = _model_name(role.group("name"), strict=True)
            if found and not _is_own(found, own):
                add(found, Source(path, body.line_no(i), None), "finetune")
        for tune in pattern("base_cue_en_tune").finditer(line):
            found = _model_name(tune.group("name"), strict=True)
            if found and not _is_own(found, own):
                add(found, Source(path, body.line_no(i), None), "finetune")
        for found in _copula_bases(body.plain[i], own):
            add(found, Source(path, body.line_no(i), None), "finetune")
        for around in pattern("base_cue_zh_around").finditer(line):
            found = _model_name(around.group("name") or around.group("name2") or "", strict=True)
            if found and found.casefold() not in own:
                add(found, Source(path, body.line_no(i), None), "finetune")
        for found in _lineage(_plain(_strip_marks(line)), own):
            add(found, Source(path, body.line_no(i), None), "finetune")
        if relation == "merge" and _LIST_ITEM.match(line):
            # The models a merge combines are listed one per item: "- **org/model** - ...".
            item = _strip_marks(_LIST_ITEM.sub("", line, count=1))
            m = _HF_ID.match(item)
            if m:
                add(m.group("id").rstrip("."), Source(path, body.line_no(i), None), "merge")
    for h in body.headings:
        # A "Base model" heading over the name: the labelled line written as a section.
        if not pattern("base_label").match(f"{h.title}: x"):
            continue
        start, end = body.section(h)
        first = next((k for k in range(start, end) if body.plain[k]), None)
        # Only a line that opens with the name alone ("LLaMA 30B. Obtained from ..."); a
        # sentence there ("X was trained starting from Y") is read by the cues above.
        lead = re.split(r"(?<=[.!?])\s", body.plain[first], maxsplit=1)[0] if first else ""
        if first is not None and len(lead.split()) <= _NAME_WORDS:
            found = _model_name(lead, strict=True)
            if found and not _is_own(found, own):
                add(found, Source(path, body.line_no(first), None), relation)
    return tuple(out)


#: The most words a model's name standing alone takes ("Meta LLaMA 30B (first release)").
_NAME_WORDS = 6


def _copula_bases(plain: str, own: set[str]) -> list[str]:
    """The base a sentence says the release is, changed ("Kite-13B is Meta's LLaMA-13B,
    further trained on ..."): the subject is the release itself, the name a known base model
    or a Hub id, and a word about training follows it."""
    out: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", plain):
        m = pattern("base_copula").match(sentence)
        if m is None or not _is_own(m.group("subject"), own):
            continue
        rest = m.group("rest")
        if pattern("base_cue").match(rest):
            continue  # "X is a fine-tune of Y": the cue's own reading finds Y
        found = _model_name(rest, strict=True)
        if (
            found
            and not _is_own(found, own)
            and ("/" in found or is_known_base(found))
            and not re.search(r"\bof\b", found)  # "a full fine-tune of Y": a cue, not a name
            and pattern("training_word").search(rest)
        ):
            out.append(found)
    return out


#: "LLaMA-13B → Vicuna-13B v1.1 → Kite-13B": a model's lineage, oldest first.
_ARROW = re.compile(r"(?:(?<!\s)\s+)?(?:→|->|⟶|➔|=>)\s*")  # a run of spaces entered once
#: "Kite-7B = LLaMA-7B + 31k instructions": a model as its base plus what was added.
_EQUATION = re.compile(r"^\W{0,8}(?P<own>[^=+\s][^=+]{0,79}?)\s?=\s?(?P<base>[^=+]{1,120}?)\s?\+")


def _name_key(text: str) -> str:
    """A model's name as the release's own names are compared: case folded, spaces and
    underscores as hyphens."""
    return re.sub(r"[\s_]+", "-", text.strip(" .*_`").casefold())


def _is_own(text: str, own: set[str]) -> bool:
    """Does ``text`` name the model itself (its repository's name or its card's title, or
    the start of one of them: "Kite-7B" for the repository kite-7b-gguf)?"""
    key = _name_key(text)
    return bool(key) and any(k == key or k.startswith(key + "-") for k in map(_name_key, own))


def _is_variant_of_own(text: str, own: set[str]) -> bool:
    """Does ``text`` name a variant of the model itself ("kapok-70b-chat" in the repository
    kapok-70b)?"""
    key = _name_key(text)
    return any(key.startswith(k + "-") for k in map(_name_key, own) if k)


def _lineage(line: str, own: set[str]) -> list[str]:
    """The models a lineage line or an equation puts before the model itself."""
    segments = _ARROW.split(line)
    if len(segments) > 1:
        for k, segment in enumerate(segments[1:], start=1):
            if _is_own(re.split(r"\s*[(\uff08]", segment, maxsplit=1)[0], own):
                named = (_model_name(s, strict=True) for s in segments[:k])
                return [n for n in named if n and not _is_own(n, own)]
        # "kapok-70b-chat · Llama-2-70b → continued pre-training → SFT": the model, then its
        # base, then the steps that made it from the base
        parts = re.split(r"\s+[\u00b7|:\u2022]\s+", segments[0].strip(" -*`"))
        first = parts[0].strip(" `*").rsplit("/", 1)[-1]
        if (
            len(parts) > 1
            and (_is_own(first, own) or _is_variant_of_own(first, own))
            and pattern("training_word").search(segments[1])
        ):
            found = _model_name(parts[-1], strict=True)
            return [found] if found and not _is_own(found, own) else []
        return []
    m = _EQUATION.match(line)
    if m and _is_own(m.group("own"), own):
        found = _model_name(m.group("base"), strict=True)
        return [found] if found and not _is_own(found, own) else []
    return []


#: A name that starts this few words before a line ends may go on on the next line.
_WRAP_WORDS = 4


def _continued(rest: str, lines: Sequence[str], i: int) -> str:
    """What follows a cue on line ``i``, with the next line when the paragraph wraps there
    ("... an instruction tune of the original" / "LLaMA 65B release."): not after a blank
    line, and not into a heading, a list item or a table row."""
    if len(rest.split()) >= _WRAP_WORDS or i + 1 >= len(lines):
        return rest
    following = lines[i + 1]
    if (
        not following.strip()
        or re.match(r"\s*(?:#|\||>)", following)
        or _LIST_ITEM.match(following)
    ):
        return rest
    return rest.rstrip() + " " + following.strip()


def _model_id(value: str) -> str:
    m = pattern("hub_model_url").match(value.strip())
    return m.group("id").rstrip("/") if m else value.strip().rstrip("/")


def _model_name(text: str, *, strict: bool) -> str | None:
    """The model named at the start of ``text``: a Hub link or id, or a versioned name."""
    text = size_after_name(_strip_marks(text).strip())
    first = first_release(text)
    if first:
        # "the original LLaMA": a release named by an ordinal, which name_lead would strip
        return first
    text = pattern("name_lead").sub("", text)
    link = _LINK.match(text)
    if link:
        url_id = pattern("hub_model_url").match(link.group(2))
        after = text[link.end() :]
        if url_id and not re.search(r"\bcard\b", link.group(1), re.I):
            return url_id.group("id").rstrip("/")
        if pattern("not_a_model").match(after) or pattern("not_a_model_link").search(
            link.group(1) + " " + link.group(2)
        ):
            return None
        text = link.group(1) + after
    text = _plain(text)
    text = pattern("name_lead").sub("", text)
    m = _HF_ID.match(text)
    if m and not re.match(r"^\d+/\d+", m.group("id")):
        return m.group("id").rstrip(".")
    phrase = re.split(
        r"[,;:()\[\]。\uff0c\uff08\uff09\u3001\u4e00-\u9fff]|\.\s|\.$"
        r"|\s(?:on|with|using|and|for|to|in|by|which|that|from|weights)\s",
        text,
        maxsplit=1,
    )[0]
    first_words = phrase.split()[:6]
    phrase = pattern("name_tail").sub("", " ".join(first_words)).strip(" .*_")
    rest = text[len(phrase) :]
    if not phrase or pattern("not_a_model").match(rest.strip()):
        return None
    tokens = phrase.split()
    if strict and tokens[0].lower() in words("not_a_name_start"):
        return None  # "we trained for 3 epochs": the cue met no name
    if len(tokens) > 1 and pattern("not_a_model").match(tokens[-1]):
        return None  # "adapted from the GPT-3 paper": the phrase ends with what it is
    if not strict:
        return phrase if len(phrase) <= 80 else None
    # A model is named with a version or size ("LLaMA-7B", "Llama V2 70B", "Granite-3B-Code"),
    # which keeps "the BERT framework" or "a transformer" out.
    named = any(re.search(r"\d", t) and re.search(r"[A-Za-z]{2,}", t) for t in tokens) or (
        any(re.search(r"[A-Za-z]{2,}", t) for t in tokens)
        and any(re.fullmatch(r"v?\d+(?:\.\d+)*[bmk]?", t, re.I) for t in tokens)
    )
    # A phrase that opens with a number counts something ("7B parameters", "46 billion
    # tokens of text"): a model's name opens with a word.
    if not named or re.fullmatch(r"~?\d[\d.,]*[bmkt]?", tokens[0], re.I):
        return None
    return phrase

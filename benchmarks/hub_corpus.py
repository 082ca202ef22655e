"""A generated corpus that looks like a slice of the Hugging Face Hub, of any size.

    python benchmarks/hub_corpus.py OUT_DIR --items 10000 [--modified-share 0.02] [--seed 13]

Deterministic for a given size, share and seed. The layout and mix (``items`` counts the items
``openlicense scan`` will find):

- 93 % model repositories ``hub/<owner>/<name>/``: a ``README.md`` with YAML front matter
  (``license``, ``datasets``, a model card body) and a ``config.json``; 75 % of them also ship
  a ``LICENSE``.
  - 10 % of the repositories are base models; 40 % are derivatives naming a ``base_model``:
    half of those a base model of this corpus (anywhere in it, so as often after the derivative
    in the scan's order as before it; a third of these relabel a ``cc-by-nc-4.0`` base as
    ``apache-2.0``, license laundering), a quarter a well-known base outside the corpus (Llama,
    Gemma, Mistral), a quarter an id nobody knows.
  - 5 % are gated (``extra_gated_prompt``).
  - ``license: other`` with a ``license_name`` in 8 %.
- 5 % flat model cards ``cards/<owner>__<name>.README.md`` with a ``LICENSE.txt`` companion.
- 2 % Model Openness Tool files ``mot/<name>.yml`` (the fixtures' class I-III records).

The LICENSE files are ScanCode's installed reference texts (``licensedcode/data/licenses/
*.LICENSE``, front matter stripped), drawn with the Hub's skew (Apache-2.0 and MIT most, then
the model licenses, then a long tail drawn from all of ScanCode's texts), 85 % of them the text of
the license the card declares: most are exact copies,
half of the MIT and BSD ones start with their own copyright line, and ``--modified-share`` of
them are edited (words changed, a sentence dropped, a clause added), which only a matcher
settles (today, ScanCode's index).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

#: (ScanCode key, weight): what LICENSE files on the Hub mostly are.
COMMON = (
    ("apache-2.0", 35),
    ("mit", 22),
    ("cc-by-nc-4.0", 7),
    ("llama-2-license-2023", 6),
    ("llama-3.1-license-2024", 5),
    ("gemma-tou-2024-04-01", 3),
    ("bsd-new", 4),
    ("cc-by-4.0", 4),
    ("gpl-3.0", 3),
    ("qwen-2024", 2),
    ("deepseek-la-1.0", 1),
    ("falcon-2-11b-1.0", 1),
)
#: Roughly the share of LICENSE files drawn uniformly from every ScanCode text (the long tail;
#: ``--long-tail``): some of those only a matcher settles.
LONG_TAIL = 0.10
#: (card license lines, weight).
CARD_LICENSES = (
    ("license: apache-2.0", 38),
    ("license: mit", 20),
    ("license: cc-by-nc-4.0", 8),
    ("license: llama2", 6),
    ("license: llama3.1", 5),
    ("license: openrail", 4),
    ("license: creativeml-openrail-m", 3),
    ("license: gemma", 3),
    ("license: cc-by-4.0", 3),
    ("license: gpl-3.0", 2),
    ("license: other\nlicense_name: acme-model-license\nlicense_link: LICENSE", 8),
)
#: The LICENSE a card's license usually ships with (85 % of the time; otherwise another one).
SHIPS_WITH = {
    "license: apache-2.0": "apache-2.0",
    "license: mit": "mit",
    "license: cc-by-nc-4.0": "cc-by-nc-4.0",
    "license: llama2": "llama-2-license-2023",
    "license: llama3.1": "llama-3.1-license-2024",
    "license: gemma": "gemma-tou-2024-04-01",
    "license: cc-by-4.0": "cc-by-4.0",
    "license: gpl-3.0": "gpl-3.0",
}
KNOWN_BASES = ("meta-llama/Llama-2-7b-hf", "google/gemma-7b", "mistralai/Mistral-7B-v0.1")
DATASETS = ("allenai/dolma", "EleutherAI/pile", "HuggingFaceFW/fineweb", "bigcode/the-stack")
BODY = """
# {name}

{name} is a {size}B-parameter language model{derived}.

## Training data

It was trained on {dataset} ({tokens}T tokens); see the dataset card.

## Intended uses and limitations

The model can produce inaccurate or biased text. Evaluate it before deploying it.
"""
EDITS = (
    ("Software", "Model"),
    ("software", "model"),
    ("permission", "leave"),
    ("copyright", "rights"),
    ("Licensor", "Provider"),
)
ADDED_CLAUSE = "\n\nThe Model may not be used for commercial purposes without written consent.\n"


def reference_texts() -> tuple[dict[str, str], list[str]]:
    """The common texts by key, and every ScanCode text (for the long tail)."""
    from openlicense.catalog.texts import scancode_license_dir, scancode_text

    folder = scancode_license_dir()
    if folder is None:
        raise SystemExit("hub_corpus: ScanCode's license data is not installed")
    common = {key: scancode_text(key) or "" for key, _ in COMMON}
    missing = [k for k, v in common.items() if not v]
    if missing:
        raise SystemExit(f"hub_corpus: no ScanCode text for {missing}")
    tail = []
    for path in sorted(folder.glob("*.LICENSE")):
        text = scancode_text(path.name.removesuffix(".LICENSE"))
        if text and 200 < len(text) < 40_000:  # not a stub, not a whole book
            tail.append(text)
    return common, tail


def modified(text: str, rng: random.Random) -> str:
    """A real text edited as people edit licenses: some words, a sentence less, a clause more."""
    for old, new in rng.sample(EDITS, 2):
        text = text.replace(old, new)
    sentences = re.split(r"(?<=\.)\s+", text)
    if len(sentences) > 4:
        del sentences[rng.randrange(1, len(sentences) - 1)]
    return " ".join(sentences) + ADDED_CLAUSE


def generate(
    folder: Path,
    n: int,
    *,
    modified_share: float = 0.02,
    long_tail: float = LONG_TAIL,
    seed: int = 13,
) -> dict[str, int]:
    """Write ``n`` items under ``folder``; returns how many of each kind and mix."""
    rng = random.Random(f"{seed}-{n}")
    common, tail = reference_texts()
    keys, weights = zip(*COMMON, strict=True)
    card_lines, card_weights = zip(*CARD_LICENSES, strict=True)
    mot = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "mot").glob("class*.yml"))]
    counts = dict.fromkeys(
        ("hf-repo", "model-card", "mot", "license", "modified", "base", "derived", "in-corpus",
         "laundered", "gated"),
        0,
    )  # fmt: skip
    n_mot = max(1, round(n * 0.02)) if n >= 50 else 0
    n_flat = max(1, round(n * 0.05)) if n >= 20 else 0
    n_repo = n - n_mot - n_flat
    owners = max(1, n_repo // 5)
    names = [f"org{rng.randrange(owners):05d}/model-{i:07d}" for i in range(n_repo)]
    bases = [i for i in range(n_repo) if rng.random() < 0.10]
    nc_bases = set(bases[::3])  # a third of the bases are non-commercial
    base_set = set(bases)

    holders = ("Acme Labs", "The Authors", "Example AI Inc.", "Open Models Collective")

    def license_text(card_line: str) -> str:
        counts["license"] += 1
        key = SHIPS_WITH.get(card_line) if rng.random() < 0.85 else None
        key = key or rng.choices(keys, weights)[0]
        if rng.random() < modified_share:
            counts["modified"] += 1
            return modified(common[key], rng)
        if card_line not in SHIPS_WITH and rng.random() < long_tail * 4:
            return rng.choice(tail)  # "other" and the rest: the long tail
        text = common[key]
        if key in ("mit", "bsd-new") and rng.random() < 0.5:
            text = f"Copyright (c) {rng.randrange(2015, 2026)} {rng.choice(holders)}\n\n{text}"
        return text

    for i, name in enumerate(names):
        repo = folder / "hub" / name
        front = ["---"]
        derived = ""
        if i in base_set:
            counts["base"] += 1
            line = "license: cc-by-nc-4.0" if i in nc_bases else "license: apache-2.0"
            front.append(line)
        else:
            line = rng.choices(card_lines, card_weights)[0]
            base_model = None
            roll = rng.random()
            if roll < 0.40:
                counts["derived"] += 1
                kind = rng.random()
                if kind < 0.5 and bases:
                    counts["in-corpus"] += 1
                    base = rng.choice(bases)
                    base_model = names[base]
                    if base in nc_bases and rng.random() < 1 / 3:
                        counts["laundered"] += 1
                        line = "license: apache-2.0"
                elif kind < 0.75:
                    base_model = rng.choice(KNOWN_BASES)
                else:
                    base_model = f"someone{rng.randrange(10**6)}/private-{rng.randrange(10**6)}"
                derived = f", fine-tuned from {base_model}"
            front.append(line)
            if base_model:
                front.append(f"base_model: {base_model}")
        front.append(f"datasets:\n- {rng.choice(DATASETS)}")
        if rng.random() < 0.05:
            counts["gated"] += 1
            front.append(
                "extra_gated_prompt: You agree to share your contact information to access "
                "this model.\nextra_gated_fields:\n  Name: text\n  I agree: checkbox"
            )
        front.append("---")
        body = BODY.format(
            name=name.split("/")[1],
            size=rng.choice((1, 3, 7, 8, 13, 70)),
            derived=derived,
            dataset=rng.choice(DATASETS),
            tokens=rng.randrange(1, 16),
        )
        _write(repo / "README.md", "\n".join(front) + "\n" + body)
        _write(repo / "config.json", json.dumps({"model_type": "llama"}) + "\n")
        if rng.random() < 0.75:
            _write(repo / "LICENSE", license_text(line))
        counts["hf-repo"] += 1
    for i in range(n_flat):
        prefix = folder / "cards" / f"user{i % 97:02d}__card-{i:06d}."
        line = rng.choices(card_lines, card_weights)[0]
        _write(Path(f"{prefix}README.md"), f"---\n{line}\n---\n# Card {i}\n")
        _write(Path(f"{prefix}LICENSE.txt"), license_text(line))
        counts["model-card"] += 1
    for i in range(n_mot):
        _write(folder / "mot" / f"release-{i:06d}.yml", f"# {i}\n{mot[i % len(mot)]}")
        counts["mot"] += 1
    return counts


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--modified-share", type=float, default=0.02)
    parser.add_argument("--long-tail", type=float, default=LONG_TAIL)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    counts = generate(
        args.folder,
        args.items,
        modified_share=args.modified_share,
        long_tail=args.long_tail,
        seed=args.seed,
    )
    print(json.dumps(counts))


if __name__ == "__main__":
    main()

"""The files of a model repository: which one is the card, which are its companions (license,
policy, notice) and which hold the weights.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from openlicense.read.discover import CODE_SUFFIXES, is_companion

#: Weight file extensions and the format each is reported as. ``.bin``, ``.pt``, ``.pth``,
#: ``.ckpt`` and ``.pkl`` are PyTorch/Python pickles: loading them runs code.
_WEIGHT_FORMATS = {
    ".safetensors": "safetensors",
    ".gguf": "gguf",
    ".onnx": "onnx",
    ".bin": "pickle",
    ".pt": "pickle",
    ".pth": "pickle",
    ".ckpt": "pickle",
    ".pkl": "pickle",
    ".h5": "h5",
    ".msgpack": "msgpack",
}
_WEIGHT_ORDER = ("safetensors", "gguf", "onnx", "pickle", "h5", "msgpack")
#: Most files looked at when walking a repository for weights: a model repository has tens of
#: files; a folder with far more is not one, and walking it all would be slow.
_MAX_WALK = 20_000


def outside_link(path: Path, root: Path) -> str | None:
    """Why ``path`` is not read as part of the repository at ``root``: it is, or passes
    through, a symbolic link that leads out of it (or nowhere, or round in a loop). ``None``
    for a path of the repository. A repository is read as the tree it is: a link to a file
    elsewhere on the machine is not the repository's license file."""
    try:
        real = path.resolve(strict=True)
        inside = real.is_relative_to(root.resolve(strict=True))
    except (OSError, RuntimeError):  # a dangling link, a loop
        return (
            f"{_shown(path, root)}: a symbolic link that leads nowhere or round in a loop, not read"
        )
    if inside:
        return None
    return f"{_shown(path, root)}: a symbolic link out of the repository (to {real}), not read"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _weight_format(name: str) -> str | None:
    return _WEIGHT_FORMATS.get(Path(name.lower()).suffix)


def _walk_weights(folder: Path) -> list[Path]:
    found: list[Path] = []
    seen = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for n in sorted(names):
            seen += 1
            if _weight_format(n):
                found.append(Path(root) / n)
        if seen > _MAX_WALK:
            break
    return found


# Folders in which a repository that publishes several models keeps one license per model:
# ``models/<model>/LICENSE`` and ``model_licenses/<model>.txt``.
_PER_MODEL_DIRS = re.compile(
    r"^(?:models?|checkpoints?|weights)/[^/]+/[^/]+$|^model[_\-]?licen[cs]es/[^/]+$", re.I
)
_PER_MODEL_FOLDER = re.compile(r"^(?:models?|checkpoints?|weights)/[^/]+$", re.I)
# A companion model or data card: the card's Training Data section may live there.
_COMPANION_CARD = re.compile(
    r"^(?:model|data)[_\-. ]?card[^/]*\.(?:md|markdown|txt)$|^datasheet[^/]*\.md$", re.I
)
_CODE_SUFFIXES = frozenset(".py .sh .ipynb .js .ts .rs .go .c .cc .cpp .cu .jl .java".split())  # noqa: SIM905
# Files or folders of training code: train.py, finetune.sh, training/, pretrain/ ...
_TRAINING_CODE = re.compile(
    r"(?:^|/)(?:(?:pre|post)?[_\-]?train\w*|fine[_\-]?tun\w*|finetun\w*|sft|rlhf|dpo)(?:/|\.\w+$)",
    re.I,
)


def _per_model_licenses(folder: Path) -> tuple[list[tuple[str, Path]], list[str]]:
    """License files kept per model in subfolders (``models/x/LICENSE``, ``model_licenses/x.txt``),
    named by their path in the repository; and why those that are links out of it were not
    read."""
    found: list[tuple[str, Path]] = []
    skipped: list[str] = []
    subfolders = (p for p in folder.iterdir() if not p.name.startswith("."))
    for sub in sorted(p for p in subfolders if p.is_dir() and not p.is_symlink()):
        for file in sorted(sub.rglob("*")):
            rel = file.relative_to(folder).as_posix()
            if _PER_MODEL_FOLDER.match(rel) and file.is_symlink():
                why = outside_link(file, folder)  # a model's folder elsewhere: not walked
                if why:
                    skipped.append(why)
                continue
            if not _PER_MODEL_DIRS.match(rel) or not _is_license_of_a_model(sub.name, rel):
                continue
            why = outside_link(file, folder)
            if why:
                skipped.append(why)
            elif file.is_file():
                found.append((rel, file))
    return found, skipped


def _is_license_of_a_model(top: str, rel: str) -> bool:
    if top.lower().startswith(("model_lic", "model-lic")):
        return Path(rel).suffix.lower() not in CODE_SUFFIXES
    return is_companion(Path(rel).name)


def _companion_cards(entries: list[Path]) -> list[Path]:
    return [p for p in entries if p.is_file() and _COMPANION_CARD.match(p.name)]


def _code_files(folder: Path) -> tuple[list[str], list[str]]:
    """The code files of the repository, as paths in it: (training code, other code)."""
    training: list[str] = []
    other: list[str] = []
    seen = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for n in sorted(names):
            seen += 1
            if Path(n).suffix.lower() not in _CODE_SUFFIXES:
                continue
            rel = (Path(root) / n).relative_to(folder).as_posix()
            (training if _TRAINING_CODE.search(rel) else other).append(rel)
        if seen > _MAX_WALK:
            break
    return training, other

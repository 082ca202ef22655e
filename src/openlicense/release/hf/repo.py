"""The files of a model repository: which one is the card, which are its companions (license,
policy, notice) and which hold the weights.
"""

from __future__ import annotations

import os
from pathlib import Path

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

"""Train the provision reader's sentence classifier and write its JSON weights.

    PYTHONPATH=src python tools/train_provisions.py [--scancode DIR] [--out FILE]

Reads ScanCode's OSI-approved license texts (negatives), the catalog's quoted clauses
(positives) and fixtures/provisions/tune (both); never the held-out half or the development
corpus. Writes src/openlicense/provisions/data/classifier.json: weights, biases, thresholds and
provenance (sources, counts, scikit-learn version). No pickle: the reader needs only json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    import licensedcode
    import sklearn

    from openlicense.provisions.training import rows_from_sources, train

    default_scancode = Path(licensedcode.__file__).parent / "data" / "licenses"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scancode", type=Path, default=default_scancode)
    parser.add_argument("--tune", type=Path, default=ROOT / "fixtures/provisions/tune")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "src/openlicense/provisions/data/classifier.json"
    )
    args = parser.parse_args(argv)
    rows = rows_from_sources(args.scancode, args.tune)
    provenance = {
        "trained_by": "tools/train_provisions.py",
        "date": datetime.date.today().isoformat(),
        "scikit_learn": sklearn.__version__,
        "sources": [
            "negatives: provisions of OSI-approved licenses in scancode-toolkit licensedcode data",
            "positives: quoted clauses of src/openlicense/data/licenses/*.toml",
            "fixtures/provisions/tune (labelled clauses; provisions of flag-free texts)",
        ],
        "not_used": ["fixtures/provisions/heldout", "the development corpus"],
    }
    model = train(rows, provenance)
    args.out.write_text(
        json.dumps(model.to_json(), ensure_ascii=False, sort_keys=False, separators=(",", ":"))
        + "\n",
        encoding="utf-8",
    )
    size = args.out.stat().st_size
    print(
        f"{len(rows)} rows, {sum(len(w) for w in model.weights.values())} weights, "
        f"{size // 1024} KiB -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

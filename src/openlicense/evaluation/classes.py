"""Openness classes against other people's judgement: :func:`evaluate_mot` compares
openlicense's MOF class with MOT's own algorithm (``mot/models``) and with the classes encoded
in the names of ``mot/Test_Data``, and :func:`evaluate_eosai` builds the confusion matrix of
the EOSAI experts' ``licenses`` grade against openlicense's license grade, which
:func:`format_confusion` prints.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path


def evaluate_mot(corpus: Path) -> tuple[int, int, int, int, list[str]]:
    """MOF class: openlicense (normalized licenses) against MOT's own algorithm on mot/models,
    and against the expected classes encoded in the names of mot/Test_Data."""
    import re

    from openlicense.judge.mof import mof_class, mot_reference
    from openlicense.release.mot import read_mot

    misses: list[str] = []
    agree = total = 0
    for path in sorted((corpus / "mot" / "models").glob("*.yml")):
        total += 1
        ours = mof_class(read_mot(path)).mof_class
        theirs = mot_reference(path).mof_class
        agree += ours == theirs
        if ours != theirs:
            misses.append(f"{path.name}: openlicense {ours}, MOT {theirs}")
    test_ok = test_total = 0
    for path in sorted((corpus / "mot" / "Test_Data").glob("*.yml")):
        m = re.search(r"_C1_(\d+)%-C2_(\d+)%-C3_(\d+)%", path.name)
        if not m:
            continue
        test_total += 1
        p1, p2, p3 = (int(x) for x in m.groups())
        expected = (
            "I" if p1 == 100 else "II" if p2 == 100 else "III" if p3 == 100 else "unclassified"
        )
        got = mof_class(read_mot(path)).mof_class
        test_ok += got == expected
        if got != expected:
            misses.append(f"Test_Data {path.name}: expected {expected}, got {got}")
    return agree, total, test_ok, test_total, misses


def evaluate_eosai(corpus: Path) -> tuple[dict[tuple[str, str], int], int]:
    """Confusion matrix: EOSAI experts' `licenses` grade against openlicense's license grade."""
    import yaml

    from openlicense.judge.verdict import license_grade
    from openlicense.normalization import normalize

    matrix: Counter[tuple[str, str]] = Counter()
    n = 0
    for path in sorted((corpus / "eosai" / "models").glob("*.y*ml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue
        if not isinstance(data, dict):
            continue
        expert = str((data.get("licenses") or {}).get("class") or "").strip().lower()
        declared = str((data.get("system") or {}).get("endmodellicense") or "")
        if expert not in {"open", "partial", "closed"}:
            continue
        result = normalize(declared)
        grade, _ = license_grade(result.expression)
        matrix[(expert, grade)] += 1
        n += 1
    return dict(matrix), n


def format_confusion(matrix: dict[tuple[str, str], int], n: int) -> str:
    grades = ("open", "partial", "closed")
    agree = sum(matrix.get((g, g), 0) for g in grades)
    lines = [
        f"EOSAI licenses grade (rows: experts) vs openlicense license grade (columns), {n} models:",
        "            " + "".join(f"{g:>9}" for g in grades),
    ]
    for row in grades:
        lines.append(f"  {row:9} " + "".join(f"{matrix.get((row, col), 0):>9}" for col in grades))
    lines.append(f"  agreement {agree}/{n} = {agree / max(1, n):.1%}")
    return "\n".join(lines)

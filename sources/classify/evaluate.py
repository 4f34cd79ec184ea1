"""Evaluation of the classifier against labelled appeals: accuracy, macro-F1 over the 8 sector blocks,
per-sector precision and recall, the confusion matrix, and how much a person could place but the classifier
left in «Прочие вопросы».

Labels are `{appeal_id: category_code | sector_code | "other" | "unknown"}`; "unknown" marks messages nobody
could place and counts only toward the review share.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sources.classify.decide import AppealInput, Label
from sources.classify.reference import MISC

BLOCKS = ("health", "education", "social", "housing", "waste", "roads", "transport", "energy")


def read_events(path: Path) -> list[AppealInput]:
    """One input per appeal of an appeal-event/1 file: its latest rubric and its first text."""
    found: dict[tuple[str, str], dict] = {}
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                e = json.loads(line)
                key = (e["source"], e["appeal_id"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{line_no}: not an appeal-event/1 line ({exc})") from None
            a = found.setdefault(key, {})
            category = e.get("category") or {}
            if category.get("name"):
                a["rubric"], a["parent"] = category.get("name"), category.get("parent_name")
            if e.get("text") and "text" not in a:
                a["text"] = e["text"]
    return [AppealInput(s, i, a.get("rubric"), a.get("parent"), a.get("text")) for (s, i), a in found.items()]


@dataclass
class Report:
    items: int
    placeable: int
    sector_accuracy: float
    macro_f1: float
    category_accuracy: float | None
    category_items: int
    misc_share: float
    review_share: float
    per_sector: dict[str, dict[str, float]]
    confusion: dict[str, dict[str, int]]
    methods: dict[str, int]

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _sector(label: str, sector_of: dict[str, str]) -> str:
    return sector_of.get(label, label)


def evaluate(labels: list[Label], truth: dict[str, str], sector_of: dict[str, str]) -> Report:
    """Compare labels with the truth; appeals without a truth label are ignored."""
    rows = [(lab, truth[lab.appeal_id]) for lab in labels if lab.appeal_id in truth]
    known = [(lab, _sector(t, sector_of)) for lab, t in rows if t != "unknown"]
    placeable = [(lab, s) for lab, s in known if s in BLOCKS]
    correct = sum(lab.sector_code == s for lab, s in known)
    per_sector, f1s = {}, []
    for block in BLOCKS:
        tp = sum(lab.sector_code == block and s == block for lab, s in known)
        predicted = sum(lab.sector_code == block for lab, s in known)
        actual = sum(s == block for _, s in known)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_sector[block] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": actual,
        }
        f1s.append(f1)
    categories = [(lab, t) for lab, t in rows if t in sector_of]
    confusion: dict[str, dict[str, int]] = {}
    for lab, s in known:
        confusion.setdefault(s, Counter())[lab.sector_code] += 1
    return Report(
        items=len(rows),
        placeable=len(placeable),
        sector_accuracy=round(correct / len(known), 4) if known else 0.0,
        macro_f1=round(sum(f1s) / len(f1s), 4),
        category_accuracy=round(sum(lab.category_code == t for lab, t in categories) / len(categories), 4)
        if categories
        else None,
        category_items=len(categories),
        misc_share=round(sum(lab.category_code == MISC for lab, _ in placeable) / len(placeable), 4)
        if placeable
        else 0.0,
        review_share=round(sum(lab.needs_review for lab, _ in rows) / len(rows), 4) if rows else 0.0,
        per_sector=per_sector,
        confusion={s: dict(sorted(c.items())) for s, c in sorted(confusion.items())},
        methods=dict(Counter(lab.method for lab, _ in rows)),
    )


def format_report(r: Report) -> str:
    lines = [
        f"обращений с разметкой: {r.items}; блок различим человеком: {r.placeable}",
        f"точность по блокам: {r.sector_accuracy:.3f}; macro-F1 по 8 блокам: {r.macro_f1:.3f}",
        f"точность по категориям: {r.category_accuracy if r.category_accuracy is not None else '—'}"
        f" ({r.category_items} обращений с категорией)",
        f"оставлено в «Прочие вопросы» из различимых: {r.misc_share:.1%}; на разметку: {r.review_share:.1%}",
        "способ: " + ", ".join(f"{k} {v}" for k, v in sorted(r.methods.items())),
        "",
        f"{'блок':<10} {'точн.':>6} {'полн.':>6} {'F1':>6} {'n':>5}",
    ]
    for block, m in r.per_sector.items():
        lines.append(f"{block:<10} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} {m['support']:>5}")
    cols = [*BLOCKS, "other"]
    lines += [
        "",
        "матрица ошибок (строки — истина, столбцы — решение):",
        " " * 10 + "".join(f"{c[:6]:>7}" for c in cols),
    ]
    for s in cols:
        row = r.confusion.get(s, {})
        lines.append(f"{s:<10}" + "".join(f"{row.get(c, 0):>7}" for c in cols))
    return "\n".join(lines)

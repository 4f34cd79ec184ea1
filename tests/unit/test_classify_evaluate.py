"""Evaluation figures against hand-computed values, and the reading of evaluation files."""

import json

import pytest

from sources.classify.decide import Label
from sources.classify.evaluate import evaluate, read_events

SECTOR_OF = {
    "housing.heating": "housing",
    "housing.other": "housing",
    "roads.snow": "roads",
    "roads.other": "roads",
    "other.misc": "other",
}


def lab(appeal_id: str, code: str) -> Label:
    return Label("s", appeal_id, code, SECTOR_OF[code], 0.9, "text_model", code.endswith(("other", "misc")), ())


def test_figures_by_hand():
    labels = [
        lab("1", "housing.heating"),
        lab("2", "housing.other"),
        lab("3", "roads.snow"),
        lab("4", "other.misc"),
        lab("5", "housing.heating"),
        lab("6", "other.misc"),
    ]
    truth = {
        "1": "housing.heating",
        "2": "housing.heating",
        "3": "roads",
        "4": "roads.snow",
        "5": "roads.other",
        "6": "unknown",
    }
    r = evaluate(labels, truth, SECTOR_OF)
    # Known sectors: 1 h→h, 2 h→h, 3 r→r, 4 r→other, 5 r→h: 3 of 5 right.
    assert r.sector_accuracy == 0.6 and r.placeable == 5
    # housing: tp 2, predicted 3, actual 2 → P 2/3, R 1, F1 0.8; roads: tp 1, predicted 1, actual 3 → F1 0.5.
    assert r.per_sector["housing"]["f1"] == 0.8 and r.per_sector["roads"]["f1"] == 0.5
    assert r.macro_f1 == round((0.8 + 0.5) / 8, 4)  # the six blocks without support count as 0
    # Category labels: 1 right, 2 wrong, 4 wrong, 5 wrong.
    assert r.category_accuracy == 0.25 and r.category_items == 4
    assert r.misc_share == 0.2  # appeal 4 of the five placeable
    assert r.confusion["roads"] == {"housing": 1, "other": 1, "roads": 1}


def test_events_file_gives_latest_rubric_and_first_text(tmp_path):
    path = tmp_path / "e.jsonl"
    lines = [
        {
            "source": "s",
            "appeal_id": "1",
            "event_type": "received",
            "text": "первый текст",
            "category": {"name": "Старая", "parent_name": "Группа"},
        },
        {"source": "s", "appeal_id": "1", "event_type": "categorized", "category": {"name": "Новая"}},
        {"source": "s", "appeal_id": "2", "event_type": "received"},
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n", encoding="utf-8")
    found = {a.appeal_id: a for a in read_events(path)}
    assert (found["1"].rubric, found["1"].parent, found["1"].text) == ("Новая", None, "первый текст")
    assert found["2"].text is None


def test_a_broken_line_names_its_place(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"source": "s", "appeal_id": "1"}\n{not json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:2"):
        read_events(path)

"""The classifier against a real PostgreSQL: labels as a reconciling batch, only what changed, no text stored."""

import json

import openpyxl
import pytest

from sources.classify import run
from sources.classify.review import read_decisions
from sources.events import load_event_file


def received(appeal_id: str, text: str, **extra) -> dict:
    return {
        "event_id": f"{appeal_id}-r",
        "source": "gorod",
        "channel": "incident",
        "appeal_id": appeal_id,
        "event_type": "received",
        "occurred_at": "2025-11-03T10:00:00+03:00",
        "text": text,
        **extra,
    }


def write(path, events) -> None:
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")


def classify(warehouse) -> run.RunReport:
    with warehouse.connect() as read_conn, warehouse.connect() as write_conn:
        return run.classify_new(read_conn, write_conn)


def labels(conn) -> dict[str, tuple]:
    return {
        r[0]: r[1:]
        for r in conn.execute(
            "select appeal_id, category_code, method, batch_id from raw.appeal_labels order by batch_id"
        )
    }


def test_only_new_or_changed_appeals_are_labelled(warehouse, conn, tmp_path):
    first = tmp_path / "a.jsonl"
    write(
        first,
        [
            received("1", "атапления нет третий день батареи ледяные"),
            received("2", "мусор не вывозят неделю, контейнеры переполнены"),
            received("3", "во дворе яма", category={"name": "ЯМЫ ВО ДВОРАХ", "parent_name": "БЛАГОУСТРОЙСТВО"}),
        ],
    )
    load_event_file(conn, first)
    report = classify(warehouse)
    assert (report.considered, report.written) == (3, 3)
    got = labels(conn)
    assert {k: v[:2] for k, v in got.items()} == {
        "1": ("housing.heating", "text_model"),
        "2": ("waste.removal", "text_model"),
        "3": ("other.landscaping", "category_map"),
    }
    assert classify(warehouse).batch_id is None  # nothing new: no batch at all

    second = tmp_path / "b.jsonl"
    write(
        second,
        [
            {
                "event_id": "1-a",
                "source": "gorod",
                "channel": "incident",
                "appeal_id": "1",
                "event_type": "answered",
                "occurred_at": "2025-11-05T10:00:00+03:00",
                "result": "explained",
            },
            received("4", "скорая ехала два часа"),
        ],
    )
    load_event_file(conn, second)
    report = classify(warehouse)
    # Appeal 1 was touched but its rubric and text did not change: considered, not labelled again.
    assert (report.considered, report.written) == (2, 1)
    assert labels(conn)["4"][:2] == ("health.ambulance", "text_model")
    batch = conn.execute(
        "select lines_read, loaded, duplicates, quarantined from raw.load_batches where batch_id = %s",
        (report.batch_id,),
    ).fetchone()
    assert batch == (2, 1, 1, 0)


def test_labels_hold_no_text(warehouse, conn, tmp_path):
    path = tmp_path / "a.jsonl"
    write(path, [received("1", "Иванов Пётр, тел. 8-900-000-00-00: в подъезде не горит свет")])
    load_event_file(conn, path)
    classify(warehouse)
    row = conn.execute("select t::text from raw.appeal_labels as t").fetchone()[0]
    assert "Иванов" not in row and "900" not in row and "подъезд" not in row


def test_a_worklist_with_a_changed_header_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Разметка"
    book.active.append(["Обращение", "Решение"])
    book.save(tmp_path / "w.xlsx")
    with pytest.raises(ValueError, match="header"):
        read_decisions(tmp_path / "w.xlsx")
    book.active.title = "Лист1"
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(ValueError, match="not a worklist"):
        read_decisions(tmp_path / "other.xlsx")

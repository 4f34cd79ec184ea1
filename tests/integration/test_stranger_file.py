"""A file of real appeals from a system we have never seen: every valid line kept, facts correct."""

import json

from tests.conftest import run_dbt

EVENTS = [
    # Out of order on purpose; only what the contract requires, plus what such a system would say.
    {
        "event_id": "9",
        "appeal_id": "77",
        "event_type": "answered",
        "occurred_at": "2025-06-20T12:00:00+03:00",
        "result": "explained",
    },
    {
        "event_id": "1",
        "appeal_id": "77",
        "event_type": "received",
        "occurred_at": "2025-06-02T09:30:00+03:00",
        "category": {"code": "ВОДА-7", "name": "Нет холодной воды", "totk": "0005.0005.0056.1154.0001"},
        "agency": {"name": "ООО «Водоканал Севера»"},
        "municipality": {"oktmo": "11851000"},
    },
    {
        "event_id": "2",
        "appeal_id": "78",
        "event_type": "received",
        "occurred_at": "2025-06-02T10:00:00",
        "category": {"code": "ПРОЧЕЕ", "name": "Вопрос о работе сайта"},
    },
    {
        "event_id": "3",
        "appeal_id": "78",
        "event_type": "rated",
        "occurred_at": "2025-06-30T10:00:00+03:00",
        "rating": 4,
    },
]


def test_strangers_events_load_and_fold(warehouse, conn, tsur_env, dbt_manifest):
    from orchestration.cli import main

    path = tsur_env / "gorod.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for e in EVENTS:
            fh.write(json.dumps({"source": "gorod-feedback", "channel": "portal", **e}, ensure_ascii=False) + "\n")
    assert main(["ingest", str(path)]) == 0
    conn.commit()
    run_dbt(warehouse, "build", "--vars", '{"as_of": "2025-07-01T00:00:00+03:00"}')
    rows = conn.execute(
        "select appeal_id, category_code, category_method, sector_code, agency_code, agency_name, due_at,"
        " is_answered, is_overdue, answer_working_days, rating, is_satisfied from marts.fct_appeals"
        " order by appeal_id"
    ).fetchall()
    first, second = rows
    # ТОТК 0005.0005.0056.1154.* is water supply; the portal's fallback term is 10 working days after
    # 2 June 2025: 3-6, 9-11 June (12 June is a holiday), 16-18 June → 18 June, end of day Moscow time.
    assert first[:4] == ("77", "housing.water", "source_code", "housing")
    assert first[4].startswith("unlisted:") and first[5] == "ООО «Водоканал Севера»"
    assert first[6].isoformat() == "2025-06-18T20:59:59+00:00"
    assert first[7] is True and first[8] is True  # answered on 20 June, after the deadline
    assert first[9] == 12  # working days from 2 June to 20 June
    assert second[1:4] == ("other.misc", "fallback", "other")
    assert second[7] is False and second[10] == 4 and second[11] is True
    # 78 is open with its deadline (16 June) passed at the as_of moment.
    assert second[8] is True
    flags = conn.execute("select flags from raw.appeal_events where event_id = '2'").fetchone()[0]
    assert flags == ["occurred_at_without_offset"]

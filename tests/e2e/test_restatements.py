"""As-of reporting on a real PostgreSQL: October 2025 is reported at its close; events that occurred in
October but arrive later change the figures as known now and never the figures as of the report.

Expected figures come from tests/oracle_marts.py reading the same event files, not from the warehouse."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import run_dbt
from tests.oracle_marts import cell_figures, population, read, rounded

pytestmark = pytest.mark.slow
PERIOD = "2025-10"
HEADLINE = (
    "incoming",
    "answered",
    "answered_on_time",
    "overdue_open",
    "returned",
    "rated",
    "satisfied",
    "on_time_share",
    "return_share",
    "satisfaction_share",
    "rating_coverage",
    "repeat_share",
    "first_reaction_median_hours",
    "resolution_median_days",
    "appeals_per_1000",
    "reaction_8h_share",
    "reaction_median_minutes",
)
SECTOR = {"housing.heating": "housing", "roads.snow": "roads", "waste.removal": "waste"}
AGENCY = {
    "code": "dsgkhet",
    "name": "Департамент строительства, жилищно-коммунального хозяйства, "
    "энергетики и транспорта Ненецкого автономного округа",
}


def event(appeal: str, n: int, kind: str, at: str, **fields) -> dict:
    return {
        "schema": "appeal-event/1",
        "event_id": f"{appeal}-{n}",
        "source": "epgu-pos",
        "channel": "pos",
        "appeal_id": appeal,
        "event_type": kind,
        "occurred_at": f"2025-{at}:00+03:00",
        **fields,
    }


def received(appeal: str, at: str, category: str, due: str) -> list[dict]:
    return [
        event(
            appeal,
            1,
            "received",
            at,
            category={"code": category},
            due_at=f"2025-{due}:00+03:00",
            municipality={"oktmo": "11851000"},
            author={"id": f"esia-{appeal}"},
            legal_regime="message",
        ),
        event(appeal, 2, "assigned", at[:-5] + "11:00", agency=AGENCY),
    ]


# Known at the close of October: three appeals; A3 is open past its deadline.
FIRST_BATCH = [
    *received("A1", "10-06T10:00", "housing.heating", "11-05T10:00"),
    event("A1", 3, "answered", "10-10T12:00", result="measures_taken"),
    event("A1", 4, "rated", "10-12T12:00", rating=5),
    *received("A2", "10-07T10:00", "roads.snow", "11-06T10:00"),
    event("A2", 3, "answered", "10-20T12:00", result="explained"),
    *received("A3", "10-08T10:00", "housing.heating", "10-20T18:00"),
]
# Loaded in November, all but the last two events occurred in October: a late rating, a late answer, an appeal
# nobody had loaded; then A1 closed and a November appeal.
LATE_BATCH = [
    event("A2", 4, "rated", "10-25T12:00", rating=2),
    event("A3", 3, "answered", "10-30T12:00", result="supported"),
    *received("A5", "10-15T10:00", "waste.removal", "11-14T10:00"),
    event("A5", 3, "answered", "10-16T12:00", result="explained"),
    event("A1", 5, "closed", "11-03T12:00"),
    *received("A6", "11-05T10:00", "housing.heating", "12-05T10:00"),
]


def write(path: Path, events: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")
    return path


def expected_figures(landing: Path, as_of: datetime) -> dict:
    """Headline figures of October for the okrug and each sector, as the files in `landing` tell them."""
    appeals = [a for a in read(landing, set(), as_of).values() if a["month"].strftime("%Y-%m") == PERIOD]
    residents = sum(population()[m] for m in ("11851000", "11811000"))
    slices = {("region", "nao"): appeals}
    for a in appeals:
        slices.setdefault(("sector", SECTOR[a["category"]]), []).append(a)
    figures = {}
    for (kind, code), members in slices.items():
        values = cell_figures(members, residents)
        for indicator in HEADLINE:
            value = values[indicator]
            figures[(kind, code, indicator)] = rounded(value, 2) if isinstance(value, float) else value
    return figures


def test_late_events_restate_the_figures_but_not_the_report(warehouse, conn, tmp_path):
    from exports.kpi_history import headline_figures, record_kpis, recorded_figures
    from lib.asof import build_as_of, drop_suffix_schemas
    from lib.periods import period_close, suffix_for
    from sources.events import load_event_file

    close = period_close(PERIOD)
    landing = tmp_path / "files"
    load_event_file(conn, write(landing / "first" / "pos.jsonl", FIRST_BATCH))

    # The monthly report: built as of the close from what was loaded then, and recorded.
    suffix = suffix_for(PERIOD)
    first = build_as_of(warehouse, as_of=close, batch_hwm=None, schema_suffix=suffix, select="+mart_kpi_values")
    assert first["batch_hwm"] == 1
    assert record_kpis(conn, PERIOD, suffix, close, first["batch_hwm"]) == 1
    as_reported = recorded_figures(conn, PERIOD, 1)
    assert as_reported == expected_figures(landing / "first", close)
    assert as_reported[("region", "nao", "overdue_open")] == 1
    assert ("sector", "waste", "incoming") not in as_reported

    # October's late events arrive (the loader's transaction must not nest in our open read).
    conn.commit()
    load_event_file(conn, write(landing / "late" / "pos.jsonl", LATE_BATCH))

    # The past picture rebuilt with the recorded clocks is the report to the digit; recording it adds nothing.
    build_as_of(warehouse, as_of=close, batch_hwm=1, schema_suffix=suffix + "_again", select="+mart_kpi_values")
    assert headline_figures(conn, PERIOD, f"marts__{suffix}_again") == as_reported
    assert record_kpis(conn, PERIOD, suffix + "_again", close, 1) == 1

    # The current build knows the late events: restated figures, and the restatements against the report.
    now = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
    run_dbt(
        warehouse,
        "build",
        "--select",
        "+mart_restatements",
        "--exclude-resource-type",
        "unit_test",
        "--indirect-selection",
        "cautious",
        "--vars",
        json.dumps({"as_of": now.isoformat()}),
    )
    as_now = expected_figures(landing, now)
    assert headline_figures(conn, PERIOD, "marts") == as_now
    changed = {key for key in as_reported.keys() | as_now.keys() if as_reported.get(key) != as_now.get(key)}
    restated = {
        (r[0], r[1], r[2]): (r[3], r[4], r[5])
        for r in conn.execute(
            "select slice_kind, slice_code, indicator, first_value, now_value, difference"
            " from marts.mart_restatements where period = %s and is_restated",
            (PERIOD,),
        ).fetchall()
    }
    assert set(restated) == changed
    for key in changed:
        before, after = as_reported.get(key), as_now.get(key)
        difference = after - before if before is not None and after is not None else None
        assert restated[key] == (before, after, difference), key
    # What the late events did, in plain words: two more answers, one late; the open overdue appeal answered;
    # a second rating, a bad one; a sector nobody had reported. Rating coverage happens to stay at one half.
    assert restated[("region", "nao", "answered")] == (2, 4, 2)
    assert restated[("region", "nao", "on_time_share")][:2] == (1, rounded(0.75, 4))
    assert restated[("region", "nao", "overdue_open")] == (1, 0, -1)
    assert restated[("sector", "waste", "incoming")] == (None, 1, None)
    assert ("region", "nao", "rating_coverage") not in restated
    assert ("region", "nao", "returned") not in restated
    unchanged = conn.execute(
        "select count(*) from marts.mart_restatements where period = %s and not is_restated", (PERIOD,)
    ).fetchone()[0]
    assert unchanged == len((as_reported.keys() | as_now.keys()) - changed)

    # A corrected report is revision 2, from the current marts; revision 1 stays as first reported.
    assert record_kpis(conn, PERIOD, "", now, 2) == 2
    assert recorded_figures(conn, PERIOD, 2) == as_now and recorded_figures(conn, PERIOD, 1) == as_reported

    # Past pictures are dropped by suffix; the current marts stay.
    assert drop_suffix_schemas(conn, suffix) == [
        f"intermediate__{suffix}",
        f"marts__{suffix}",
        f"reference__{suffix}",
        f"staging__{suffix}",
    ]
    assert conn.execute("select count(*) from marts.mart_kpi_values").fetchone()[0] > 0
    assert conn.execute("select to_regclass(%s)", (f"marts__{suffix}_again.mart_kpi_values",)).fetchone()[0]

"""The marts of the bodies' work against the independent reading: mart_agency_rating's scores and ranks,
mart_deadline_control's open and late appeals, mart_workload's volumes and staff."""

import csv
from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.e2e.marts.checks import rows
from tests.oracle import SEEDS, working
from tests.oracle_marts import cell_figures, local_date, rounded, signed_working_days, working_days_between

pytestmark = pytest.mark.slow


def test_agency_rating_matches_the_independent_reading(built):
    truth, _, conn = built
    with open(SEEDS / "rating_weights.csv", encoding="utf-8") as fh:
        weights = {r["component"]: Decimal(r["weight"]) for r in csv.DictReader(fh)}
    with open(SEEDS / "rating_params.csv", encoding="utf-8") as fh:
        params = next(csv.DictReader(fh))
    minimum, reference = int(params["min_monthly_volume"]), Decimal(params["speed_reference_working_days"])
    bodies = defaultdict(list)
    for a in truth.values():
        if a["agency"]:
            bodies[(a["month"], a["agency"])].append(a)
    got = {
        (r["period_start"], r["agency_code"]): r
        for r in rows(conn, "select * from marts.mart_agency_rating where period_kind = 'month'")
    }
    assert set(got) == set(bodies)
    for key, members in bodies.items():
        f, r = cell_figures(members, None), got[key]
        assert (
            r["incoming"],
            r["answered"],
            r["on_time_share"],
            r["satisfaction_share"],
            r["return_share"],
            r["completeness"],
            r["substantive_share"],
        ) == (
            f["incoming"],
            f["answered"],
            f["on_time_share"],
            f["satisfaction_share"],
            f["return_share"],
            f["completeness"],
            f["substantive_share"],
        ), key
        if len(members) < minimum:
            assert r["rating_status_name"] == "недостаточно данных"
            assert (r["score"], r["score_rank"]) == (None, None)
            continue
        median = f["resolution_median_days"]
        components = {
            "timeliness": f["on_time_share"],
            "satisfaction": f["satisfaction_share"],
            "no_returns": None if f["return_share"] is None else 1 - f["return_share"],
            "completeness": f["completeness"],
            "substantive": f["substantive_share"],
            "speed": None if median is None else max(Decimal(0), 1 - rounded(median, 2) / reference),
        }
        present = {k: v for k, v in components.items() if v is not None}
        score = 100 * sum(weights[k] * v for k, v in present.items()) / sum(weights[k] for k in present)
        assert r["rating_status_name"] == "оценен" and abs(r["score"] - score) <= Decimal("0.06"), key
    for (month, _), r in got.items():  # ranks: 1 for the best score of the month, ties share
        if r["score"] is not None:
            better = sum(
                1 for (m, _), o in got.items() if m == month and o["score"] is not None and o["score"] > r["score"]
            )
            assert r["score_rank"] == better + 1


def test_deadline_control_lists_open_and_late_appeals(built):
    truth, as_of, conn = built
    today = local_date(as_of)
    want = {}
    for key, a in truth.items():
        if a["open"]:
            status = "open_overdue" if a["open_overdue"] else "open"
            want[key] = (
                status,
                signed_working_days(today, local_date(a["due"])),
                working_days_between(local_date(a["due"]), today) if a["open_overdue"] else None,
            )
        elif a["late"]:
            want[key] = (
                "answered_late",
                None,
                working_days_between(local_date(a["due"]), local_date(a["first_answer"])),
            )
    got = {
        r["appeal_key"]: (r["control_status"], r["working_days_left"], r["overdue_working_days"])
        for r in rows(conn, "select * from marts.mart_deadline_control")
    }
    assert got == want
    assert Counter(v[0] for v in got.values())["answered_late"] > 0


def test_workload_reconciles_with_the_appeals(built):
    truth, as_of, conn = built
    work = rows(conn, "select * from marts.mart_workload")
    by_kind = defaultdict(int)
    for r in work:
        by_kind[r["period_kind"]] += r["incoming"]
        if r["working_days"]:
            capacity = r["working_days"] * r["fte_minutes_per_day"]
            assert r["staff_needed"] == rounded(r["workload_minutes"] / capacity, 2)
    arrived = 0  # appeals whose working day of receipt (the next one after a day off) has come
    for a in truth.values():
        day = local_date(a["received"])
        while not working(day):
            day += timedelta(days=1)
        arrived += day <= local_date(as_of)
    assert by_kind["day"] == by_kind["week"] == by_kind["month"] == arrived
    last = max(r["period_start"] for r in work if r["period_kind"] == "month")
    in_work = sum(r["in_work_at_end"] for r in work if r["period_kind"] == "month" and r["period_start"] == last)
    assert in_work == sum(a["open"] for a in truth.values())

"""The BI marts on the sample year, built by the Dagster job, against figures computed from the same event
files by tests/oracle_marts.py; and what a BI user sees in PostgreSQL: a comment on every table and column."""

import csv
import json
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from orchestration.defs.transform.assets import dbt_run_config
from tests.conftest import fresh_database, project_env
from tests.oracle import SEEDS, classifier_decisions, working
from tests.oracle_marts import (
    cell_figures,
    conflicts,
    local_date,
    population,
    read,
    repeat_chains,
    rounded,
    share,
    signed_working_days,
    working_days_between,
)

pytestmark = pytest.mark.slow
COUNTS = (
    "incoming",
    "answered",
    "answered_on_time",
    "overdue_open",
    "with_interim",
    "redirected",
    "returned",
    "rated",
    "satisfied",
    "repeated",
    "substantive",
)
SHARES = (
    "on_time_share",
    "interim_share",
    "redirect_share",
    "return_share",
    "satisfaction_share",
    "rating_coverage",
    "repeat_share",
    "completeness",
    "substantive_share",
    "appeals_per_1000",
)
QUANTILES = ("first_reaction_median_hours", "first_reaction_p90_hours", "resolution_median_days", "resolution_p90_days")
REACTION = ("reaction_judged", "reacted_within_8h", "reaction_8h_share")  # incidents only (channel incident)


@pytest.fixture(scope="module")
def built(server_url, dbt_manifest, tmp_path_factory):
    """The sample year at scale 0.04, loaded and built through the Dagster job as of a fixed moment."""
    import dagster as dg

    from lib.warehouse import Warehouse
    from orchestration.definitions import defs
    from sources.sample import generate_sample

    with fresh_database(server_url) as url, project_env(url, tmp_path_factory.mktemp("marts")):
        warehouse = Warehouse().start()
        summary = generate_sample(warehouse.settings.landing_dir, scale=0.04, formats="canonical")
        write_fast_incidents(warehouse.settings.landing_dir)
        as_of = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
        job = defs.resolve_job_def("tsur_all")
        assert job.execute_in_process(asset_selection=[dg.AssetKey(["raw", "appeal_events"])]).success
        assert job.execute_in_process(run_config=dbt_run_config(job, as_of=as_of.isoformat())).success
        damaged = {(str(i.path), i.line_no) for i in summary.canonical.injected}
        with warehouse.connect() as conn:
            truth = read(warehouse.settings.landing_dir, damaged, as_of, classifier_decisions(conn))
            yield truth, as_of, conn


def write_fast_incidents(landing) -> None:
    """Incidents reacted to within 8 working hours, which the sample's office hours hardly give: Friday 16:30 →
    Monday 10:00 (1.5 working hours) and an answer 1.5 hours after a Tuesday receipt."""

    def event(appeal, n, kind, at, **fields):
        return {
            "schema": "appeal-event/1",
            "event_id": f"{appeal}-{n}",
            "source": "medialogia-im",
            "channel": "incident",
            "appeal_id": appeal,
            "event_type": kind,
            "occurred_at": f"2025-10-{at}:00+03:00",
            **fields,
        }

    received = dict(legal_regime="message", category={"code": "housing.management"})
    agency = {"code": "nkk", "name": "ГУП НАО «Ненецкая коммунальная компания»"}
    events = [
        event(
            "IMX-FAST1",
            1,
            "received",
            "10T16:30",
            municipality={"oktmo": "11851000"},
            author={"id": "esia-fast-1"},
            **received,
        ),
        event("IMX-FAST1", 2, "assigned", "10T16:40", agency=agency),
        event("IMX-FAST1", 3, "interim_answer", "13T10:00", answer_text="Информация передана исполнителю."),
        event(
            "IMX-FAST2",
            1,
            "received",
            "14T10:00",
            municipality={"oktmo": "11811111"},
            author={"id": "esia-fast-2"},
            **received,
        ),
        event("IMX-FAST2", 2, "assigned", "14T10:05", agency=agency),
        event("IMX-FAST2", 3, "answered", "14T11:30", result="explained"),
    ]
    path = landing / "incident" / "medialogia-im-2025-10-fast.jsonl"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")


def rows(conn, sql: str) -> list[dict]:
    cur = conn.execute(sql)
    names = [c.name for c in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def test_sector_kpi_matches_the_independent_reading(built):
    truth, _, conn = built
    residents = population()
    cells = defaultdict(list)
    for a in truth.values():
        cells[(a["month"], a["category"], a["channel"], a["oktmo"])].append(a)
    got = {
        (r["month"], r["category_code"], r["channel_code"], r["municipality_oktmo"]): r
        for r in rows(conn, "select * from marts.mart_sector_kpi")
    }
    assert set(got) == set(cells)
    mismatches = []
    for key, members in cells.items():
        want, have = cell_figures(members, residents.get(key[3])), got[key]
        for field in COUNTS + SHARES:
            if have[field] != want[field]:
                mismatches.append((key, field, have[field], want[field]))
        for field in QUANTILES:  # percentile_cont interpolates in double precision, then rounds
            if (have[field] is None) != (want[field] is None) or (
                want[field] is not None and abs(float(have[field]) - want[field]) > 0.011
            ):
                mismatches.append((key, field, have[field], want[field]))
    assert not mismatches, mismatches[:5]
    assert sum(r["incoming"] for r in got.values()) == len(truth) > 400
    assert sum(r["repeated"] for r in got.values()) > 0 and sum(r["overdue_open"] for r in got.values()) > 0


def test_region_figures_by_month_match(built):
    truth, _, conn = built
    months = defaultdict(list)
    for a in truth.values():
        months[a["month"].strftime("%Y-%m")].append(a)
    got = defaultdict(dict)
    for r in rows(
        conn,
        "select period, indicator, value from marts.mart_kpi_values"
        " where slice_kind = 'region' and period_kind = 'month'",
    ):
        got[r["period"]][r["indicator"]] = r["value"]
    assert set(got) == set(months)
    for period, members in months.items():
        want = cell_figures(members, sum(population()[m] for m in ("11851000", "11811000")))
        for field in COUNTS + SHARES + REACTION:
            assert got[period][field] == want[field], (period, field)
        assert close(got[period]["reaction_median_minutes"], want["reaction_median_minutes"]), period


def close(have, want) -> bool:
    """percentile_cont interpolates in double precision, then rounds to two places."""
    return (have is None) == (want is None) and (want is None or abs(float(have) - want) <= 0.011)


@pytest.mark.parametrize("kind", ["municipality", "agency"])
def test_municipality_and_body_slices_match(built, kind):
    """Every indicator by municipality and by body, the reaction to incidents among them, from the events."""
    truth, _, conn = built
    residents = population()
    field = {"municipality": "oktmo", "agency": "agency"}[kind]
    cells = defaultdict(list)
    for a in truth.values():
        cells[(a["month"], a[field] or "none")].append(a)
    got = defaultdict(dict)
    for r in rows(
        conn,
        "select period_start, slice_code, indicator, value from marts.mart_kpi_values"
        f" where slice_kind = '{kind}' and period_kind = 'month'",
    ):
        got[(r["period_start"], r["slice_code"])][r["indicator"]] = r["value"]
    assert set(got) == set(cells)
    mismatches = []
    for key, members in cells.items():
        want = cell_figures(members, residents.get(key[1]) if kind == "municipality" else None)
        for name in COUNTS + SHARES + REACTION:
            if got[key][name] != want[name]:
                mismatches.append((key, name, got[key][name], want[name]))
        for name in (*QUANTILES, "reaction_median_minutes"):
            if not close(got[key][name], want[name]):
                mismatches.append((key, name, got[key][name], want[name]))
    assert not mismatches, mismatches[:5]
    # The sample's incidents are reacted to, some within 8 working hours and some not.
    reacted = [v for v in got.values() if v["reaction_judged"]]
    assert sum(v["reacted_within_8h"] for v in reacted) > 0
    assert sum(v["reaction_judged"] - v["reacted_within_8h"] for v in reacted) > 0
    assert any(v["reaction_median_minutes"] is not None for v in reacted)


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


def test_repeat_clusters_match(built):
    truth, _, conn = built
    want = Counter()
    for chain in repeat_chains(truth):
        members = chain["members"]
        bodies = {truth[k]["agency"] for k in members if truth[k]["agency"]}
        want[(chain["kind"], members[0], members[-1], len(members), len(bodies))] += 1
    got = Counter(
        (r["cluster_kind"], r["first_appeal_key"], r["last_appeal_key"], r["appeal_count"], r["agency_count"])
        for r in rows(conn, "select * from marts.mart_repeat_appeals")
    )
    assert got == want and sum(want.values()) > 5


def test_conflicts_match_by_reason(built):
    truth, _, conn = built
    got = Counter(dict(conn.execute("select reason_code, count(*) from marts.mart_conflicts group by 1").fetchall()))
    want = +conflicts(truth)
    assert got == want
    assert want["negative_rating"] > 0 and want["returned"] > 0 and want["redirect_back"] > 0


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


def test_regional_problems_cover_every_sector_and_decompose_the_buckets(built):
    truth, _, conn = built
    got = rows(conn, "select * from marts.mart_regional_problems where period_kind = 'month'")
    per_sector = Counter((r["period"], r["sector_code"]) for r in got if r["row_kind"] == "category")
    assert min(per_sector.values()) >= 3
    volumes = Counter((a["month"], a["category"]) for a in truth.values())
    categories = {(r["period_start"], r["category_code"]): r["incoming"] for r in got if r["row_kind"] == "category"}
    assert {k: v for k, v in categories.items() if v} == dict(volumes)
    problems = Counter()
    for r in got:
        if r["row_kind"] == "problem":
            problems[(r["period_start"], r["category_code"])] += r["incoming"]
    buckets = {k: v for k, v in categories.items() if k[1].endswith((".other", ".misc")) and v}
    assert dict(problems - Counter()) == buckets
    themes = {r["problem_name"] for r in got if r["problem_basis"] == "theme"}
    assert "Шум от соседей" in themes or "Грызуны в подвале" in themes


def test_category_targets_check_every_category(built):
    _, _, conn = built
    got = rows(conn, "select * from marts.mart_category_targets")
    months = {r["period"] for r in got if r["period_kind"] == "month"}
    with open(SEEDS / "categories.csv", encoding="utf-8") as fh:
        categories = {r["category_code"] for r in csv.DictReader(fh)}
    for month in months:
        assert {r["category_code"] for r in got if r["period"] == month} == categories
    for r in got:
        if r["actual"] is None:
            assert r["is_met"] is None and r["status_name"] == "нет данных"
        else:
            met = r["actual"] >= r["target"] if r["direction"] == "at_least" else r["actual"] <= r["target"]
            assert r["is_met"] is met
    assert {r["set_by"] for r in got} == {"federal", "curator"}


def test_every_mart_table_and_column_is_documented_for_bi(built):
    _, _, conn = built
    tables = [
        t
        for (t,) in conn.execute(
            "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname = 'marts' and c.relkind in ('r', 'v') order by 1"
        ).fetchall()
    ]
    assert {
        "mart_sector_kpi",
        "mart_agency_rating",
        "mart_regional_problems",
        "mart_deadline_control",
        "mart_workload",
        "mart_conflicts",
        "mart_repeat_appeals",
        "mart_restatements",
        "mart_kpi_values",
        "mart_category_targets",
        "dim_kpis",
    } <= set(tables)
    undocumented = conn.execute(
        "select c.relname, a.attname from pg_class c"
        " join pg_namespace n on n.oid = c.relnamespace"
        " join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped"
        " where n.nspname = 'marts' and c.relkind in ('r', 'v')"
        " and coalesce(col_description(c.oid, a.attnum), '') = ''"
    ).fetchall()
    assert undocumented == []
    bare = conn.execute(
        "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'marts' and c.relkind in ('r', 'v')"
        " and coalesce(obj_description(c.oid, 'pg_class'), '') = ''"
    ).fetchall()
    assert bare == []
    # Formulas reach the BI tool with the column.
    comment = conn.execute(
        "select col_description(a.attrelid, a.attnum) from pg_attribute a"
        " where a.attrelid = 'marts.mart_sector_kpi'::regclass and a.attname = 'on_time_share'"
    ).fetchone()[0]
    assert "answered_on_time / answered" in comment
    indexed = {t for (t,) in conn.execute("select tablename from pg_indexes where schemaname = 'marts'").fetchall()}
    assert {"mart_sector_kpi", "mart_agency_rating", "mart_deadline_control", "mart_workload"} <= indexed


def test_no_personal_data_in_the_marts(built):
    _, _, conn = built
    names = {
        c
        for (c,) in conn.execute(
            "select column_name from information_schema.columns where table_schema = 'marts'"
        ).fetchall()
    }
    assert not names & {"name", "phone", "email", "address", "text", "author_name", "answer_text"}
    keys = conn.execute("select subject_key from marts.mart_repeat_appeals").fetchall()
    assert keys and all(len(k) == 64 and set(k) <= set("0123456789abcdef") for (k,) in keys)


def test_shares_are_computed_from_the_counts(built):
    _, _, conn = built
    for r in rows(conn, "select * from marts.mart_sector_kpi"):
        assert r["on_time_share"] == share(r["answered_on_time"], r["answered"])
        assert r["satisfaction_share"] == share(r["satisfied"], r["rated"])

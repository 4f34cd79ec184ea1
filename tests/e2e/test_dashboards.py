"""The ten benchmark dashboards (orchestration/bench/dashboards.py) on a small sample year built by the
Dagster job: the mart and the event-fact side of each give the same non-empty answer, and several figures
match what tests/oracle_marts.py reads from the sample files without the warehouse."""

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from orchestration.bench.dashboards import DASHBOARDS, answer, dashboard_params, measure
from orchestration.defs.transform.assets import dbt_run_config
from tests.conftest import fresh_database, project_env
from tests.oracle import classifier_decisions
from tests.oracle_marts import NEGATIVE, local_date, read

pytestmark = pytest.mark.slow
BY_NAME = {d.name: d for d in DASHBOARDS}


@pytest.fixture(scope="module")
def built(server_url, dbt_manifest, tmp_path_factory):
    """The sample year at scale 0.04, loaded and built through the Dagster job as of a fixed moment."""
    import dagster as dg

    from lib.warehouse import Warehouse
    from orchestration.definitions import defs
    from sources.sample import generate_sample

    with fresh_database(server_url) as url, project_env(url, tmp_path_factory.mktemp("dashboards")):
        warehouse = Warehouse().start()
        summary = generate_sample(warehouse.settings.landing_dir, scale=0.04, formats="canonical")
        as_of = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
        job = defs.resolve_job_def("tsur_all")
        assert job.execute_in_process(asset_selection=[dg.AssetKey(["raw", "appeal_events"])]).success
        assert job.execute_in_process(run_config=dbt_run_config(job, as_of=as_of.isoformat())).success
        damaged = {(str(i.path), i.line_no) for i in summary.canonical.injected}
        with warehouse.connect() as conn:
            truth = read(warehouse.settings.landing_dir, damaged, as_of, classifier_decisions(conn))
            yield truth, conn, dashboard_params(conn)


def facts_answer(conn, name: str, params: dict) -> list[tuple]:
    return answer(conn, BY_NAME[name].facts_sql, params)


def test_ten_dashboards_read_only_their_own_side():
    assert len(DASHBOARDS) == 10 == len(BY_NAME)
    for d in DASHBOARDS:
        assert re.fullmatch(r"[a-z_]+", d.name) and re.search("[а-я]", d.label)
        mart_tables = re.findall(r"\b([a-z_]\w*)\.([a-z_]\w*)", d.mart_sql)
        assert mart_tables and all(s == "marts" and t.startswith(("mart_", "dim_")) for s, t in mart_tables)
        facts_tables = set(re.findall(r"\b([a-z_]\w*)\.([a-z_]\w*)", d.facts_sql))
        assert ("marts", "fct_appeal_events") in facts_tables
        for schema, table in facts_tables:
            if schema in ("marts", "intermediate", "staging", "raw", "reference"):
                assert schema == "marts" and (table == "fct_appeal_events" or table.startswith("dim_")), table


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_mart_and_facts_give_the_same_answer(built, name):
    _, conn, params = built
    mart = answer(conn, BY_NAME[name].mart_sql, params)
    assert mart, f"{name}: empty answer with {params}"
    assert mart == facts_answer(conn, name, params)


def test_parameters_are_the_busiest_month_and_its_periods(built):
    truth, _, params = built
    by_month = Counter(a["month"] for a in truth.values())
    busiest = max(sorted(by_month), key=lambda m: by_month[m])
    assert params["month"] == busiest
    assert params["quarter"] == busiest.replace(month=(busiest.month - 1) // 3 * 3 + 1)
    assert params["year"] == busiest.replace(month=1)


def test_sector_kpi_month_matches_the_files(built):
    truth, conn, params = built
    want = defaultdict(lambda: [0] * 5)
    for a in truth.values():
        if a["month"] == params["month"]:
            figures = want[a["sector"]]
            for i, flag in enumerate(
                (True, a["first_answer"] is not None, a["interim"], a["redirected"], a["returned"])
            ):
                figures[i] += flag
    got = {row[0]: list(row[2:]) for row in facts_answer(conn, "sector_kpi_month", params)}
    assert got == dict(want) and sum(f[0] for f in got.values()) > 10


def test_monthly_trend_matches_the_files(built):
    truth, conn, params = built
    want = defaultdict(lambda: [0] * 4)
    for a in truth.values():
        if a["month"].year == params["year"].year:
            figures = want[a["month"]]
            for i, flag in enumerate((True, a["first_answer"] is not None, a["rated"], bool(a["satisfied"]))):
                figures[i] += flag
    got = {row[0]: list(row[1:]) for row in facts_answer(conn, "monthly_trend_year", params)}
    assert got == dict(want) and len(got) == 12


def test_open_appeals_of_the_body_match_the_files(built):
    truth, conn, params = built
    want = {k for k, a in truth.items() if a["open"] and a["agency"] == params["agency"]}
    got = {row[0] for row in facts_answer(conn, "agency_open_appeals", params)}
    assert got == want and want


def test_negative_ratings_match_the_files(built):
    truth, conn, params = built
    want = sorted(
        (a["key"], e["at"], e["rating"])
        for a in truth.values()
        for e in a["events"]
        if e["event_type"] == "rated"
        and e.get("rating") is not None
        and e["rating"] <= NEGATIVE
        and local_date(e["at"]).replace(day=1) == params["conflict_month"]
    )
    got = sorted(row[:3] for row in facts_answer(conn, "negative_ratings_month", params))
    assert got == want and want


def test_measure_checks_and_times_every_dashboard(built):
    _, conn, _ = built
    results = measure(conn, repeats=1)
    assert [r["name"] for r in results] == [d.name for d in DASHBOARDS]
    assert all(r["equal"] and r["rows"] > 0 for r in results), results
    assert all(r["mart_median_ms"] > 0 and r["facts_median_ms"] > 0 and r["ratio"] > 0 for r in results)

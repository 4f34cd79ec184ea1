"""The whole path on a small sample year: landing files → raw → dbt → marts → CSV, checked against
figures computed independently from the same files (tests/oracle.py)."""

import csv
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from orchestration.defs.transform.assets import dbt_run_config
from tests.conftest import fresh_database, project_env
from tests.oracle import classifier_decisions, expected, median

pytestmark = pytest.mark.slow


def run_all(as_of: datetime):
    from orchestration.definitions import defs

    result = defs.resolve_job_def("tsur_all").execute_in_process(
        run_config=dbt_run_config(defs.resolve_job_def("tsur_all"), as_of=as_of.isoformat())
    )
    assert result.success


@pytest.fixture(scope="module")
def built(server_url, dbt_manifest, tmp_path_factory):
    """A sample year at scale 0.04 loaded and built through the Dagster job, as of a fixed moment."""
    import dagster as dg

    from lib.warehouse import Warehouse
    from orchestration.definitions import defs
    from sources.sample import generate_sample

    with fresh_database(server_url) as url, project_env(url, tmp_path_factory.mktemp("e2e")):
        warehouse = Warehouse().start()
        summary = generate_sample(warehouse.settings.landing_dir, scale=0.04, formats="canonical").canonical
        loaded = defs.resolve_job_def("tsur_all").execute_in_process(
            asset_selection=[dg.AssetKey(["raw", "appeal_events"])]
        )
        assert loaded.success
        as_of = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
        run_all(as_of)
        damaged = {(str(i.path), i.line_no) for i in summary.injected}
        with warehouse.connect() as conn:
            truth = expected(warehouse.settings.landing_dir, damaged, as_of, classifier_decisions(conn))
            yield summary, truth, as_of, conn, warehouse


@pytest.fixture(scope="module")
def conn(built):
    return built[3]


def test_raw_layer_reconciles_with_the_files(built, conn):
    summary, truth = built[:2]
    read, loaded, dups, quarantined = conn.execute(
        "select sum(lines_read), sum(loaded), sum(duplicates), sum(quarantined) from raw.load_batches"
        " where loader <> 'classifier'"
    ).fetchone()  # the classifier's batches hold labels, not lines of files
    assert read == summary.lines
    assert loaded == summary.events
    assert dups == summary.exact_duplicates
    assert quarantined == sum(summary.malformed.values())
    reasons = dict(conn.execute("select reason_code, count(*) from raw.quarantine group by 1").fetchall())
    assert reasons == summary.malformed


def test_fct_appeals_matches_the_independent_reading(built, conn):
    truth = built[1]
    rows = conn.execute(
        "select appeal_key, channel, legal_regime, sector_code, is_rejected, is_answered, is_overdue,"
        " is_answered_on_time, rating, is_satisfied, answer_hours, answer_working_days, due_at"
        " from marts.fct_appeals"
    ).fetchall()
    got = {r[0]: r for r in rows}
    assert len(got) == len(truth)
    mismatches = []
    for t in truth:
        r = got[t["key"]]
        want = (
            t["key"],
            t["channel"],
            t["regime"],
            t["sector"],
            t["rejected"],
            t["is_answered"],
            t["overdue"],
            t["on_time"],
            t["rating"],
            t["satisfied"],
        )
        if r[:10] != want or r[12] != t["due"] or r[11] != t["answer_working_days"]:
            mismatches.append((want, r))
    assert not mismatches, mismatches[:3]
    assert sum(r[4] for r in rows) == sum(t["rejected"] for t in truth)
    assert sum(bool(r[6]) for r in rows) == sum(t["overdue"] for t in truth) > 0
    hours = median([float(r[10]) if r[10] is not None else None for r in rows])
    assert hours == pytest.approx(median([t["answer_hours"] for t in truth]), abs=0.01)


def test_mart_sector_monthly_matches_the_independent_reading(built, conn):
    truth, warehouse = built[1], built[4]
    want = defaultdict(Counter)
    for t in truth:
        if t["rejected"]:
            continue
        cell = want[(t["month"], t["sector"], t["channel"])]
        cell["incoming"] += 1
        cell["answered"] += t["first_answer"] is not None
        cell["answered_on_time"] += bool(t["on_time"])
        cell["overdue_open"] += t["overdue_open"]
        cell["rated"] += t["rating"] is not None
        cell["satisfied"] += bool(t["satisfied"])
    rows = conn.execute(
        "select month, sector_code, channel_code, incoming, answered, answered_on_time, overdue_open,"
        " rated, satisfied, on_time_share from marts.mart_sector_monthly"
    ).fetchall()
    got = {
        (r[0], r[1], r[2]): dict(
            zip(["incoming", "answered", "answered_on_time", "overdue_open", "rated", "satisfied"], r[3:9])
        )
        for r in rows
    }
    fields = ("incoming", "answered", "answered_on_time", "overdue_open", "rated", "satisfied")
    assert got == {k: {f: v[f] for f in fields} for k, v in want.items()}
    for r in rows:
        if r[4]:
            assert r[9] == round(Decimal(r[5]) / Decimal(r[4]), 4)
    # The export holds the mart, row for row.
    with open(warehouse.settings.export_dir / "mart_sector_monthly.csv", encoding="utf-8") as fh:
        exported = list(csv.DictReader(fh))
    assert len(exported) == len(rows)
    assert sum(int(r["incoming"]) for r in exported) == sum(1 for t in truth if not t["rejected"])


def test_second_run_loads_nothing_and_changes_no_figure(built, conn):
    as_of = built[2]
    before = conn.execute("select count(*), max(batch_id) from raw.load_batches").fetchone()
    mart = conn.execute("select * from marts.mart_sector_monthly order by 1, 2, 4").fetchall()
    conn.commit()
    run_all(as_of)
    assert conn.execute("select count(*), max(batch_id) from raw.load_batches").fetchone() == before
    assert conn.execute("select * from marts.mart_sector_monthly order by 1, 2, 4").fetchall() == mart

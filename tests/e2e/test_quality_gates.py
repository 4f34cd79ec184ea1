"""Validation on a built sample year: every suite and reconciliation passes; bad rows in a mart stop its export
with a clear message; damaged raw rows, tampered batches and wrong totals are caught; silent channels warn."""

import os
from datetime import UTC, datetime, timedelta

import pytest

from expectations import batches, reconcile
from expectations.freshness import assess_all
from expectations.gate import PACKAGE_MARTS, all_passed, describe, validate_marts
from expectations.runner import run_suite
from expectations.suites import BY_MODEL, SUITES
from orchestration.defs.transform.assets import dbt_run_config
from tests.conftest import fresh_database, project_env
from tests.e2e.quality_cases import EXPECTATION_CASES, TOTALS_CASES, broken_copy
from tests.oracle import classifier_decisions, expected

pytestmark = pytest.mark.slow
MART_CHECK = "gx_mart_sector_monthly"


def evaluations(result) -> dict[str, object]:
    return {
        e.event_specific_data.check_name: e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }


@pytest.fixture(scope="module")
def built(server_url, dbt_manifest, tmp_path_factory):
    """A sample year at scale 0.04 loaded and built through the Dagster job with every check, as of now."""
    from lib.warehouse import Warehouse
    from orchestration.definitions import defs
    from sources.sample import generate_sample

    with fresh_database(server_url) as url, project_env(url, tmp_path_factory.mktemp("quality")):
        warehouse = Warehouse().start()
        summary = generate_sample(warehouse.settings.landing_dir, scale=0.04, formats="canonical").canonical
        as_of = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
        result = defs.resolve_job_def("tsur_all").execute_in_process(
            run_config=dbt_run_config(defs.resolve_job_def("tsur_all"), as_of=as_of.isoformat())
        )
        assert result.success
        damaged = {(str(i.path), i.line_no) for i in summary.injected}
        with warehouse.connect() as conn:
            truth = expected(warehouse.settings.landing_dir, damaged, as_of, classifier_decisions(conn))
            yield {
                "summary": summary,
                "truth": truth,
                "result": result,
                "conn": conn,
                "warehouse": warehouse,
                "defs": defs,
            }


def stored(conn, check_name: str) -> tuple:
    return conn.execute(
        "select success, evaluated, failed, failed_expectations, stats from quality.validation_runs"
        " where check_name = %s order by validation_id desc limit 1",
        (check_name,),
    ).fetchone()


def test_every_suite_and_reconciliation_passes_on_the_sample(built):
    conn, truth, summary = built["conn"], built["truth"], built["summary"]
    checks = evaluations(built["result"])
    ours = (
        {f"gx_{s.name}" for s in SUITES}
        | {f"{s.name}_totals_reconcile" for s in SUITES if s.totals}
        | {"load_batches_reconcile", "appeals_events_reconcile", "appeal_events_raw_staged_fact_reconcile"}
    )
    assert ours <= set(checks)
    assert {name: checks[name].passed for name in ours} == dict.fromkeys(ours, True)
    for suite in SUITES:
        success, evaluated, failed, _, stats = stored(conn, f"gx_{suite.name}")
        assert (success, evaluated, failed) == (True, len(suite.rules), 0), suite.name
    # The reconciliations saw the figures the files hold (the independent reading, tests/oracle.py).
    batches = stored(conn, "load_batches_reconcile")[4]
    assert (batches["lines_read"], batches["loaded"], batches["duplicates"]) == (
        summary.lines,
        summary.events,
        summary.exact_duplicates,
    )
    flow = stored(conn, "appeal_events_raw_staged_fact_reconcile")[4]
    assert flow["raw"] == flow["staged"] == flow["fact"] == summary.events
    assert stored(conn, "appeals_events_reconcile")[4]["rows_in_fct_appeals"] == len(truth)
    totals = stored(conn, "mart_sector_monthly_totals_reconcile")[4]
    assert totals["mart_incoming"] == totals["fact_incoming"] == sum(not t["rejected"] for t in truth)
    # Details reach the UI as metadata.
    assert checks[MART_CHECK].metadata["evaluated"].value == len(
        next(s for s in SUITES if s.name == "mart_sector_monthly").rules
    )


def test_every_channel_of_the_sample_is_fresh(built):
    checks = evaluations(built["result"])
    silence = {name: c.passed for name, c in checks.items() if name.startswith("channel_silence_")}
    assert silence == {f"channel_silence_{c}": True for c in ("pos", "incident", "portal", "letter", "hotline")}


@pytest.mark.parametrize(("model", "breaking", "named"), EXPECTATION_CASES, ids=[c[0] for c in EXPECTATION_CASES])
def test_one_bad_row_fails_the_marts_suite(built, model, breaking, named):
    """A copy of the built mart with one row broken, validated as a picture (schema marts__<suffix>)."""
    suffix = f"bad_{model}"
    broken_copy(built["conn"], model, suffix, breaking)
    found = run_suite(built["warehouse"].sqlalchemy_url(), BY_MODEL[model], schema_suffix=suffix)
    assert not found.success and found.relation == f"marts__{suffix}.{model}"
    assert named in {f.note for f in found.failures} | {f.column for f in found.failures}, found.message(10)
    # Only rules that the broken row really breaks fail (a rule that fails on anything would prove nothing).
    assert found.failed <= 4, found.message(10)


@pytest.mark.parametrize(("model", "breaking"), TOTALS_CASES, ids=[c[0] for c in TOTALS_CASES])
def test_one_slice_off_fails_the_marts_totals(built, model, breaking):
    suffix = f"badt_{model}"
    broken_copy(built["conn"], model, suffix, breaking)
    suite = BY_MODEL[model]
    found = reconcile.suite_totals(built["conn"], "t", suite.relation, suite.totals_list, suffix)
    assert found.error is None and found.failed == 1, found.message()


def test_the_package_gate_passes_the_built_marts_and_refuses_a_broken_picture(built):
    url = built["warehouse"].sqlalchemy_url()
    now = validate_marts(url, PACKAGE_MARTS, record_run="gate-test")
    assert all_passed(now), describe(now)
    assert {f"gx_{m}" for m in PACKAGE_MARTS} <= set(now) and "mart_sector_kpi_totals_reconcile" in now
    stored_rows = (
        built["conn"]
        .execute("select count(*), bool_and(success) from quality.validation_runs where run_id = 'gate-test'")
        .fetchone()
    )
    assert stored_rows == (len(now), True)
    broken_copy(
        built["conn"],
        "mart_workload",
        "gate",
        "update {t} set incoming = incoming + 1 where ctid = (select min(ctid) from {t} where period_kind = 'month')",
    )
    refused = validate_marts(url, ["mart_workload"], schema="marts__gate")
    assert not all_passed(refused)
    assert set(refused) == {"gx_mart_workload", "mart_workload_totals_reconcile"}
    assert not refused["mart_workload_totals_reconcile"].success
    assert "mart_workload_totals_reconcile on marts__gate.mart_workload: 1 of" in describe(refused)


def test_bad_rows_in_a_mart_stop_its_export_with_a_clear_message(built):
    conn, defs, warehouse = built["conn"], built["defs"], built["warehouse"]
    csv_path = warehouse.settings.export_dir / "mart_sector_monthly.csv"
    before = csv_path.read_bytes()
    os.utime(csv_path, (0, 0))
    columns = (
        "month, sector_code, sector_name, channel_code, channel_name, incoming, answered, answered_on_time,"
        " on_time_share, overdue_open, resolution_median_days, rated, satisfied, satisfaction_share"
    )
    first = conn.execute(f"select {columns} from marts.mart_sector_monthly order by 1, 2, 4 limit 1").fetchone()
    try:
        bad_share = first[:8] + (1.7,) + first[9:]  # also a second row with the same key
        null_sector = (first[0], None) + first[2:]
        for row in (bad_share, null_sector):
            conn.execute(f"insert into marts.mart_sector_monthly ({columns}) values ({', '.join(['%s'] * 14)})", row)
        conn.commit()
        result = defs.resolve_job_def("tsur_export").execute_in_process(raise_on_error=False)
        assert not result.success
        export_steps = {e.step_key: e.event_type_value for e in result.all_events if e.step_key == "sector_monthly_csv"}
        assert "STEP_SUCCESS" not in export_steps.values()
        assert not result.asset_materializations_for_node("sector_monthly_csv")
        assert os.stat(csv_path).st_mtime == 0 and csv_path.read_bytes() == before
        check = evaluations(result)[MART_CHECK]
        assert not check.passed and check.blocking
        message = check.description
        assert message.startswith("mart_sector_monthly on marts.mart_sector_monthly: ")
        assert "expect_column_values_to_be_between(on_time_share)" in message and "e.g. 1.7" in message
        assert "expect_column_values_to_not_be_null(sector_code)" in message
        assert "expect_compound_columns_to_be_unique(month, sector_code, channel_code)" in message
        failures = {f["rule"] + ":" + (f["column"] or ""): f for f in stored(conn, MART_CHECK)[3]}
        assert failures["expect_column_values_to_be_between:on_time_share"]["sample"] == [1.7]
        assert failures["expect_column_values_to_not_be_null:sector_code"]["unexpected_count"] == 1
        assert stored(conn, MART_CHECK)[:1] == (False,)
        assert not evaluations(result)["mart_sector_monthly_totals_reconcile"].passed
    finally:
        conn.execute("delete from marts.mart_sector_monthly where on_time_share = 1.7 or sector_code is null")
        conn.commit()
    # The same job exports once the mart is sound again: it was the checks that held the file back.
    assert defs.resolve_job_def("tsur_export").execute_in_process().success
    assert os.stat(csv_path).st_mtime > 0 and csv_path.read_bytes() == before


def test_reconciliation_failures_are_caught(built):
    conn = built["conn"]
    flow = reconcile.FLOWS[0]
    try:
        batch, source, event_id = conn.execute(
            "select batch_id, source, event_id from raw.appeal_events order by batch_id, line_no limit 1"
        ).fetchone()
        conn.execute("set session_replication_role = replica")  # tampering as a superuser past the raw guard
        conn.execute("delete from raw.appeal_events where source = %s and event_id = %s", (source, event_id))
        lost = batches.load_batches(conn)
        assert [f.column.split()[:2] for f in lost.failures] == [["batch", str(batch)]]
        assert lost.failures[0].observed["loaded"] - lost.failures[0].observed["rows_stored"] == 1
        staged = reconcile.staged_flow(conn, flow)
        assert [(f.column, f.observed["fact"] - f.observed["raw"]) for f in staged.failures] == [(f"batch {batch}", 1)]
        conn.execute(
            "update raw.load_batches set loaded = loaded + 1, duplicates = duplicates - 1"
            " where batch_id = (select max(batch_id) from raw.load_batches where duplicates > 0"
            " and batch_id <> %s)",
            (batch,),
        )
        assert len(batches.load_batches(conn).failures) == 2
        key = conn.execute(
            "delete from marts.fct_appeals where appeal_key = (select min(appeal_key)"
            " from marts.fct_appeals where not is_rejected) returning appeal_key"
        ).fetchone()[0]
        appeals = reconcile.appeals_in_events(conn)
        assert appeals.failures[0].sample == (key,)
        mart = next(s for s in SUITES if s.name == "fct_appeal_measures")  # counts what fct_appeals holds
        totals = reconcile.fact_totals(conn, "t", mart.relation, mart.totals)
        assert totals.failures and all("incoming" in f.observed["mart"] for f in totals.failures)
        assert totals.stats["mart_incoming"] - totals.stats["fact_incoming"] == 1
    finally:
        conn.rollback()
    assert batches.load_batches(conn).success


def test_a_silent_channel_warns_without_failing_the_run(built):
    import dagster as dg

    from orchestration.defs.ingest.assets import raw_appeal_events
    from orchestration.defs.ingest.native import native_assets
    from orchestration.defs.open311.assets import raw_open311_requests
    from orchestration.defs.quality.freshness_checks import channel_freshness
    from orchestration.resources import WarehouseResource

    conn = built["conn"]
    last = dict(conn.execute("select payload->>'channel', max(loaded_at) from raw.appeal_events group by 1"))
    later = assess_all(conn, now=last["letter"] + timedelta(hours=100))
    assert not later["hotline"].success and later["letter"].success
    conn.execute("set session_replication_role = replica")  # tampering as a superuser past the raw guard
    conn.execute(
        "update raw.appeal_events set loaded_at = loaded_at - interval '200 hours' where payload->>'channel' = 'letter'"
    )
    conn.commit()
    try:
        job = dg.define_asset_job("freshness", selection=dg.AssetSelection.checks(channel_freshness))
        defs = dg.Definitions(
            assets=[raw_appeal_events, *native_assets, raw_open311_requests],
            asset_checks=[channel_freshness],
            jobs=[job],
            resources={"warehouse": WarehouseResource()},
        )
        result = defs.resolve_job_def("freshness").execute_in_process()
        assert result.success
        checks = evaluations(result)
        assert not checks["channel_silence_letter"].passed
        assert checks["channel_silence_letter"].severity == dg.AssetCheckSeverity.WARN
        assert "expected silence <= 120 h; observed 200." in checks["channel_silence_letter"].description
        assert checks["channel_silence_hotline"].passed
    finally:
        conn.execute(
            "update raw.appeal_events set loaded_at = loaded_at + interval '200 hours'"
            " where payload->>'channel' = 'letter'"
        )
        conn.commit()

"""The Dagster definitions load and wire raw loads → dbt models → exports."""

import dagster as dg


def test_asset_graph_connects_raw_to_exports(dbt_manifest):
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    parents = {key.to_user_string(): {p.to_user_string() for p in graph.get(key).parent_keys}
               for key in graph.get_all_asset_keys()}
    assert "raw/appeal_events" in parents["staging/stg_events__appeal_events"]
    assert "marts/fct_appeal_measures" in parents["marts/mart_sector_monthly"]
    assert "marts/fct_appeals" in parents["marts/fct_appeal_measures"]
    # Exports read what was published, and publication waits for every mart (write–audit–publish).
    assert parents["sector_monthly_csv"] == {"marts/mart_sector_monthly", "marts/published"}
    assert parents["exports/deadline_alerts"] == {"marts/published"}
    assert {"marts/fct_appeals", "marts/mart_kpi_values", "marts/mart_other_topics"} <= parents["marts/published"]
    checks = {key.name for key in graph.asset_check_keys}
    assert "load_batches_reconcile" in checks
    assert any(name.startswith("unique_fct_appeals_appeal_key") for name in checks)  # dbt tests are checks


def test_every_asset_has_a_description(dbt_manifest):
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    missing = [k.to_user_string() for k in graph.get_all_asset_keys()
               if graph.get(k).is_materializable and not graph.get(k).description]
    assert not missing, missing


def test_jobs_run_in_process():
    from orchestration.definitions import defs

    assert defs.executor is dg.in_process_executor
    assert {"tsur_all", "tsur_build"} <= {job.name for job in defs.resolve_all_job_defs()}

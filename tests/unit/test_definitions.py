"""The Dagster definitions load and wire raw loads → dbt models → exports."""

import dagster as dg
import pytest


def test_asset_graph_connects_raw_to_exports(dbt_manifest):
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    parents = {
        key.to_user_string(): {p.to_user_string() for p in graph.get(key).parent_keys}
        for key in graph.get_all_asset_keys()
    }
    assert "raw/appeal_events" in parents["staging/stg_events__appeal_events"]
    # Each snapshot system's staging reads the asset that loads it, not the shared table's bare name.
    assert "raw/pos_exports" in parents["staging/stg_pos__messages"]
    assert "raw/open311_requests" in parents["staging/stg_open311__requests"]
    assert "raw/source_rows" not in parents
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
    missing = [k.to_user_string() for k in graph.get_all_asset_keys() if not graph.get(k).description]
    assert not missing, missing
    multi_line = [k.to_user_string() for k in graph.get_all_asset_keys() if "\n" in graph.get(k).description]
    assert not multi_line, multi_line


def test_assets_are_grouped_by_layer(dbt_manifest):
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    group = {k.to_user_string(): graph.get(k).group_name for k in graph.get_all_asset_keys()}
    assert set(group.values()) == {"raw", "staging", "intermediate", "marts", "quality", "exports"}
    expected = {
        "raw/appeal_events": "raw",  # the loader's asset
        "raw/load_batches": "raw",  # a dbt source no asset writes
        "reference/production_calendar": "raw",  # a seed
        "staging/stg_events__appeal_events": "staging",
        "intermediate/int_appeal_events": "intermediate",
        "intermediate/int_kpi_periods": "intermediate",  # a step of the marts build, kept out of marts
        "raw/appeal_labels": "intermediate",  # the classifier: derived, kept append-only in raw
        "marts/fct_appeals": "marts",
        "marts/published": "marts",
        "quality/flagged_rows": "quality",
        "reports/kpi_snapshots": "exports",
        "federal_package": "exports",
    }
    assert {key: group[key] for key in expected} == expected


def test_layer_and_one_line_description_of_dbt_nodes():
    from orchestration.defs.transform.translator import layer_of, one_line

    model = {"resource_type": "model", "name": "m", "config": {"schema": "marts"}, "original_file_path": "x"}
    assert layer_of(model) == "marts"
    assert layer_of({**model, "config": {"schema": "intermediate"}}) == "intermediate"
    assert layer_of({"resource_type": "seed"}) == "raw"
    assert layer_of({"resource_type": "source", "source_name": "reports"}) == "exports"
    with pytest.raises(ValueError, match="outside"):
        layer_of({**model, "config": {"schema": None}})
    assert one_line("Первая строка\n  продолжение.\n\nВторой абзац.") == "Первая строка продолжение."
    assert one_line("  \n") is None


def test_jobs_run_in_process():
    from orchestration.definitions import defs

    assert defs.executor is dg.in_process_executor
    assert {"tsur_all", "tsur_build"} <= {job.name for job in defs.resolve_all_job_defs()}

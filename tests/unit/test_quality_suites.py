"""Suites as data: each sits on the asset that writes its table, package marts block, the KPI catalogue agrees."""

import re
from pathlib import Path

import pytest

from expectations.gate import PACKAGE_MARTS, suffix_of
from expectations.reconcile import resolve
from expectations.suite import FactTotals, Suite, pairs_in, violations
from expectations.suites import BY_MODEL, SUITES
from expectations.suites.kpis import KINDS, SHARES
from expectations.suites.raw_assets import INGESTS

ROOT = Path(__file__).resolve().parents[2]


def test_the_marts_the_package_reads_have_blocking_suites_with_totals_where_they_count():
    assert all(BY_MODEL[m].blocking for m in PACKAGE_MARTS)
    with_totals = {s.name for s in SUITES if s.totals}
    assert {
        "mart_sector_kpi",
        "mart_agency_rating",
        "mart_workload",
        "mart_deadline_control",
        "mart_kpi_values",
        "mart_regional_problems",
        "mart_conflicts",
        "mart_sector_monthly",
    } <= with_totals


def test_every_loader_of_the_sources_belongs_to_one_ingest_asset():
    from sources.events import LOADER as EVENTS
    from sources.native import CONNECTORS
    from sources.open311.poll import LOADER as OPEN311
    from sources.open311.services import LOADER as SERVICES

    loaders = [loader for ingest in INGESTS for loader in ingest.loaders]
    assert sorted(loaders) == sorted({EVENTS, OPEN311, SERVICES, *(c.loader for c in CONNECTORS.values())})
    assert len(loaders) == len(set(loaders))


def test_tables_every_loader_writes_have_a_suite_per_asset():
    for table, assets in (
        ("raw.load_batches", {i.name for i in INGESTS}),
        ("raw.quarantine", {i.name for i in INGESTS}),
        ("raw.source_rows", {i.name for i in INGESTS if i.channels}),
    ):
        found = {s.asset[1]: s for s in SUITES if s.relation == table}
        assert set(found) == assets, table
        for name, suite in found.items():
            ingest = next(i for i in INGESTS if i.name == name)
            assert suite.restricted and all(f"'{loader}'" in suite.where for loader in ingest.loaders)


def test_checks_attach_to_the_asset_that_writes_the_table(dbt_manifest):
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    on = {key.name: key.asset_key.to_user_string() for key in graph.asset_check_keys}
    assets = {key.to_user_string() for key in graph.get_all_asset_keys()}
    for suite in SUITES:
        expected = f"{suite.schema}/{suite.table}" if suite.model else "/".join(suite.asset)
        assert on[f"gx_{suite.name}"] == expected and expected in assets, suite.name
        if suite.totals:
            assert on[f"{suite.name}_totals_reconcile"] == expected
    # Blocking as the suite says: a failing package mart stops the exports downstream.
    specs = {spec.key.name: spec for check in defs.asset_checks for spec in check.check_specs}
    assert all(specs[f"gx_{m}"].blocking for m in PACKAGE_MARTS)
    assert not specs["gx_dim_channels"].blocking


def test_every_loaders_batches_reconcile_on_its_asset(dbt_manifest):
    from orchestration.definitions import defs

    described = {}
    for check in defs.asset_checks:
        for spec in check.check_specs:
            if spec.key.name.endswith("batches_reconcile"):
                described.setdefault(spec.asset_key.to_user_string(), []).append(spec.description)
    for ingest in INGESTS:
        texts = described.get("raw/" + ingest.name, [])
        assert any(all(loader in text for loader in ingest.loaders) for text in texts), ingest.name


def test_freshness_checks_sit_on_each_channels_ingest_asset(dbt_manifest):
    from orchestration.definitions import defs

    specs = {
        spec.key.name: spec
        for check in defs.asset_checks
        for spec in check.check_specs
        if spec.key.name.startswith("channel_silence_")
    }
    where = {name: spec.asset_key.to_user_string() for name, spec in specs.items()}
    assert where == {
        "channel_silence_pos": "raw/pos_exports",
        "channel_silence_incident": "raw/incident_exports",
        "channel_silence_portal": "raw/open311_requests",
        "channel_silence_letter": "raw/sed_letters",
        "channel_silence_hotline": "raw/appeal_events",
    }
    # Each channel may also arrive as appeal-event/1 files: the canonical feed is read too.
    assert all(
        "raw/appeal_events" in {d.asset_key.to_user_string() for d in spec.additional_deps}
        for name, spec in specs.items()
        if name != "channel_silence_hotline"
    )


def test_the_kpi_catalogue_matches_the_dbt_macro():
    text = (ROOT / "dbt_project" / "macros" / "kpi_definitions.sql").read_text(encoding="utf-8")
    macro = dict(re.findall(r"'code': '(\w+)', 'name': '[^']*', 'kind': '(\w+)'", text))
    assert macro == KINDS
    shares = {m[0]: (m[1], m[2]) for m in re.findall(r"'code': '(\w+)'[^}]*'num': '(\w+)', 'den': '(\w+)'", text)}
    assert shares == SHARES


def test_schema_names_of_pictures():
    assert suffix_of("marts") == ""
    assert suffix_of("marts__asof_2025_10") == "asof_2025_10"
    for bad in ("staging", "marts__", "public"):
        with pytest.raises(ValueError):
            suffix_of(bad)


def test_relations_named_in_totals_follow_the_picture():
    assert (
        resolve("as_of from {intermediate.int_build_horizon}", "asof_x")
        == 'as_of from "intermediate__asof_x"."int_build_horizon"'
    )
    assert resolve("{marts.dim_dates} and {raw.load_batches}", "") == '"marts"."dim_dates" and "raw"."load_batches"'
    totals = FactTotals(
        fact="marts.f", slice={"m": "m"}, measures={"n": "count(*)"}, mart_measures={"n": "count(*) filter (where x)"}
    )
    assert (
        totals.mart_measure("n") == "count(*) filter (where x)"
        and FactTotals(fact="marts.f", slice={}, measures={"n": "count(*)"}).mart_measure("n") is None
    )
    suite = Suite(name="s", relation="marts.s", model="s", expectations=(), totals=totals)
    assert suite.totals_list == (totals,)


def test_queries_join_with_commas_and_pairs_are_listed():
    with pytest.raises(ValueError, match="JOIN"):
        violations("select 1 from (select * from {batch}) as a join x using (k)", "note")
    rule = pairs_in(("category_code", "sector_code"), [("health.care", "health"), ("o'k", "x")], "пары")
    assert rule.kwargs["unexpected_rows_query"].endswith(
        "where category_code is not null and (category_code, sector_code) not in (('health.care', 'health'), "
        "('o''k', 'x'))"
    )

"""The pure parts of `tsur query`: short names, filters, the manifest pointed at the published marts, the
generated KPI catalogue and what MetricFlow can answer — no database."""

import json

import pytest

from exports.query.engine import ALIASES, SemanticLayer, group_by_item, published_manifest, where_clause
from orchestration.semantic import CATALOG_MACRO, catalog_from_manifest, render_macro

DIMENSIONS = (
    "sector",
    "category",
    "channel",
    "agency",
    "municipality",
    "legal_regime",
    "source",
    "sector_name",
    "category_name",
    "channel_name",
    "agency_name",
    "municipality_name",
    "is_repeat",
    "is_returned",
    "is_negative_rating",
    "is_open_overdue",
    "day",
    "week",
    "month",
    "quarter",
    "year",
)


def test_short_names_and_filters():
    assert group_by_item("month") == "metric_time__month"
    assert group_by_item("body") == group_by_item("agency") == "appeal__agency_code"
    assert group_by_item("appeal__source") == "appeal__source"  # MetricFlow's own names pass through
    assert where_clause("sector = 'housing' and month >= '2025-06-01'") == (
        "{{ Dimension('appeal__sector_code') }} = 'housing' and "
        "{{ TimeDimension('metric_time', 'month') }} >= '2025-06-01'"
    )
    # A word inside a literal is data, not a dimension; an entity becomes an Entity reference.
    assert where_clause("municipality = 'sector month'") == "{{ Entity('municipality') }} = 'sector month'"
    assert where_clause("{{ Dimension('appeal__source') }} = 'pos'") == "{{ Dimension('appeal__source') }} = 'pos'"


def test_relations_point_at_the_published_marts(dbt_manifest):
    manifest = published_manifest(dbt_manifest.parent / "semantic_manifest.json")
    relations = [m["node_relation"] for m in manifest["semantic_models"]]
    assert {r["relation_name"] for r in relations} >= {'"marts"."fct_appeal_measures"', '"marts"."dim_sectors"'}
    assert all(r["schema_name"] == "marts" and r["database"] is None for r in relations)


def test_the_generated_catalogue_is_current(dbt_manifest):
    manifest = json.loads(dbt_manifest.read_text(encoding="utf-8"))
    specs = catalog_from_manifest(manifest)
    assert CATALOG_MACRO.read_text(encoding="utf-8") == render_macro(specs)
    by_code = {s["code"]: s for s in specs}
    # Spot checks against the metric YAML as written, not against this module's reading of it.
    assert (by_code["on_time_share"]["num"], by_code["on_time_share"]["den"]) == ("answered_on_time", "answered")
    assert by_code["resolution_median_days"]["p"] == 0.5
    assert (
        by_code["reaction_median_minutes"]["expr"] == "case when channel = 'incident' then first_reaction_minutes end"
    )
    assert by_code["incoming"]["name"] == "Поступило" and by_code["overdue_open"]["higher_is_better"] is False
    assert [s["order"] for s in specs] == list(range(1, len(specs) + 1))
    assert len(specs) == 29


@pytest.fixture(scope="module")
def layer(dbt_manifest):
    return SemanticLayer(dbt_manifest.parent / "semantic_manifest.json")


def test_every_kpi_by_every_dimension_it_has(layer, dbt_manifest):
    metrics = [s["code"] for s in catalog_from_manifest(json.loads(dbt_manifest.read_text(encoding="utf-8")))]
    for metric in metrics:
        # Residents are kept by municipality and month: the rate has those dimensions only.
        dims = (
            ("municipality", "municipality_name", "month", "quarter", "year")
            if metric == "appeals_per_1000"
            else DIMENSIONS
        )
        for dim in dims:
            sql, items = layer.sql([metric], [dim])
            assert '"marts".' in sql and items == [ALIASES[dim]], (metric, dim)
        sql, _ = layer.sql([metric], ["month", dims[0]])
        assert "marts_build" not in sql


def test_saved_queries_of_the_package(layer):
    names = {q.name for q in layer.manifest.saved_queries}
    assert names == {
        "package_summary",
        "package_sectors",
        "package_reaction_municipalities",
        "package_reaction_agencies",
    }
    sql, _ = layer.sql(saved_query="package_sectors")
    assert "fct_appeal_measures" in sql

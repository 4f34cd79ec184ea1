"""marts.dim_kpis: the indicators of ЦУР; the federal package reads it, so failures block."""

from expectations.reference import contract_types
from expectations.suite import Suite, columns, expect, no_rows, not_null, unique
from expectations.suites.kpis import INDICATORS, KINDS

KEY = "indicator"

SUITE = Suite(
    name="dim_kpis",
    relation="marts.dim_kpis",
    model="dim_kpis",
    blocking=True,
    description="Справочник показателей: ровно каталог ЦУР, вид и единица каждого показателя.",
    expectations=(
        *columns(contract_types("dim_kpis")),
        *not_null("indicator_name", "indicator_kind", "unit", "is_headline", "sort_order"),
        unique("sort_order"),
        expect(
            "expect_column_distinct_values_to_equal_set",
            "ровно показатели каталога",
            column="indicator",
            value_set=list(INDICATORS),
        ),
        no_rows(
            f"{KEY}, indicator_kind",
            "indicator_kind <> case indicator " + " ".join(f"when '{i}' then '{k}'" for i, k in KINDS.items()) + " end",
            "вид показателя по каталогу",
        ),
        no_rows(
            f"{KEY}, unit",
            "unit <> case indicator_kind when 'count' then 'обращений' when 'share' then"
            " 'доля (0–1)' when 'rate' then 'на 1 000 жителей' else case when indicator like '%minutes' then"
            " 'минут' when indicator like '%hours' then 'рабочих часов' else 'рабочих дней' end end",
            "единица по виду показателя",
        ),
    ),
)

"""marts.mart_restatements: reported headline figures as first reported, as last reported and as now."""

from expectations.reference import contract_types
from expectations.suite import Suite, between, columns, dates, in_set, no_rows, not_null, same_as
from expectations.suites.kpis import INDICATORS

KEY = "period, slice_kind, slice_code, indicator"
YEAR = "'[0-9][0-9][0-9][0-9]'"  # GX formats the query: no {n} quantifiers

SUITE = Suite(
    name="mart_restatements",
    relation="marts.mart_restatements",
    model="mart_restatements",
    blocking=True,
    description="Пересчеты: ключ, период и разрез записаны верно, разница и признаки пересчета по формулам.",
    expectations=(
        *columns(contract_types("mart_restatements")),
        *not_null("period_kind", "period_start", "last_revision", "is_restated", "is_revised_in_reports"),
        in_set("period_kind", ("month", "quarter", "year")),
        in_set("slice_kind", ("region", "sector")),
        in_set("indicator", INDICATORS),
        between("last_revision", 1, note="ревизии с 1"),
        *dates("period_start", "first_as_of", "first_recorded_at", "last_as_of"),
        no_rows(
            f"{KEY}, period_kind",
            "period !~ case period_kind when 'month' then '^' || Y || '-[0-9][0-9]$'"
            " when 'quarter' then '^' || Y || '-Q[1-4]$' else '^' || Y || '$' end".replace("Y", YEAR),
            "период записан по своему виду",
        ),
        no_rows(
            f"{KEY}, period_start", "to_char(period_start, 'YYYY') <> left(period, 4)", "начало периода в его году"
        ),
        no_rows(f"{KEY}", "(slice_kind = 'region') <> (slice_code = 'nao')", "округ — код nao"),
        same_as("difference", "now_value - first_value", KEY, "разница = сейчас − впервые"),
        same_as("is_restated", "first_value is distinct from now_value", KEY, "пересчитано ⇔ сейчас ≠ впервые"),
        same_as(
            "is_revised_in_reports",
            "first_value is distinct from last_value",
            KEY,
            "изменено в отчетах ⇔ последняя ревизия ≠ первой",
        ),
        no_rows(
            f"{KEY}, first_batch_hwm, last_batch_hwm",
            "last_batch_hwm < first_batch_hwm",
            "последняя ревизия знает не меньше партий, чем первая",
        ),
    ),
)

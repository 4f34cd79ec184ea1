"""marts.mart_category_targets: each category's targets against the actual value of the period."""

from expectations.reference import contract_types, seed_values
from expectations.suite import Suite, columns, dates, in_set, not_null, same_as
from expectations.suites.kpis import INDICATORS, category_in_sector, period_text

KEY = "period_kind, period_start, category_code, indicator"
MET = "case direction when 'at_least' then actual >= target else actual <= target end"

SUITE = Suite(
    name="mart_category_targets",
    relation="marts.mart_category_targets",
    model="mart_category_targets",
    blocking=True,
    description="Целевые показатели категорий: ключ, цели из справочника, выполнение = сравнение факта с целью.",
    expectations=(
        *columns(contract_types("mart_category_targets")),
        *not_null(
            "period", "sector_code", "target_id", "indicator_name", "set_by", "direction", "target", "status_name"
        ),
        in_set("period_kind", ("month", "quarter", "year")),
        in_set("target_id", seed_values("kpi_targets", "target_id")),
        in_set("indicator", INDICATORS),
        in_set("set_by", ("federal", "curator")),
        in_set("direction", ("at_least", "at_most")),
        in_set("category_code", seed_values("categories", "category_code")),
        category_in_sector(),
        *dates("period_start"),
        period_text(KEY),
        same_as("gap", "actual - target", KEY, "отклонение = факт − цель"),
        same_as("is_met", MET, KEY, "выполнен ⇔ факт не ниже (at_least) или не выше (at_most) цели"),
        same_as(
            "status_name",
            "case when is_met is null then 'нет данных' when is_met then 'выполнен' else 'не выполнен' end",
            KEY,
            "статус соответствует выполнению",
        ),
        same_as(
            "set_by_name",
            "case set_by when 'federal' then 'обязательный' else 'дополнительный (куратор)' end",
            KEY,
            "название вида цели",
        ),
        same_as(
            "direction_name",
            "case direction when 'at_least' then 'не менее' else 'не более' end",
            KEY,
            "название сравнения",
        ),
    ),
    deps=("mart_kpi_values",),
)

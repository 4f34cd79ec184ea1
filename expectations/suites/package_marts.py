"""The package's KPI sheets (marts mart_package_*): pivots of mart_kpi_values, so their checks are the key
(declared in each model's YAML), the shares and the counts; the package is refused when they fail."""

from expectations.suite import Suite, in_set, non_negative, not_null, shares

SUITES = [
    Suite(
        name="mart_package_summary",
        relation="marts.mart_package_summary",
        model="mart_package_summary",
        blocking=True,
        description="Сводка пакета: показатель округа — одна строка на период.",
        expectations=(*not_null("indicator_name", "sort_order"), in_set("period_kind", ("month", "quarter", "year"))),
    ),
    Suite(
        name="mart_package_sectors",
        relation="marts.mart_package_sectors",
        model="mart_package_sectors",
        blocking=True,
        description="Отрасли пакета: блок — одна строка на период, доли в [0, 1].",
        expectations=(
            *not_null("incoming"),
            *non_negative(
                "incoming",
                "answered",
                "answered_on_time",
                "overdue_open",
                "returned",
                "rated",
                "satisfied",
                "resolution_median_days",
                "appeals_per_1000",
            ),
            *shares("on_time_share", "satisfaction_share"),
        ),
    ),
    Suite(
        name="mart_package_reaction",
        relation="marts.mart_package_reaction",
        model="mart_package_reaction",
        blocking=True,
        description="Реакция пакета: муниципалитет или орган — одна строка на период.",
        expectations=(
            *not_null("slice_code"),
            in_set("slice_kind", ("municipality", "agency")),
            *non_negative("reaction_judged", "reacted_within_8h", "reaction_median_minutes"),
            *shares("reaction_8h_share"),
        ),
    ),
]

"""marts.mart_sector_monthly: sector × month × channel; exported as CSV, so failures block the export."""

from expectations.reference import contract_types, seed_values
from expectations.suite import (
    FactTotals,
    Suite,
    at_most,
    between,
    columns,
    dates,
    in_set,
    no_rows,
    non_negative,
    not_null,
    shares,
)

SUITE = Suite(
    name="mart_sector_monthly",
    relation="marts.mart_sector_monthly",
    model="mart_sector_monthly",
    blocking=True,
    description="Отраслевой блок × месяц × канал: ключ, доли в [0, 1], части не больше целого, итоги = факт.",
    expectations=(
        *columns(contract_types("mart_sector_monthly")),
        *not_null(
            "sector_name",
            "channel_name",
            "incoming",
            "answered",
            "answered_on_time",
            "overdue_open",
            "rated",
            "satisfied",
        ),
        in_set("sector_code", seed_values("sectors", "sector_code")),
        in_set("channel_code", seed_values("channels", "channel_code")),
        *dates("month"),
        between("incoming", 1, note="строка витрины есть только при поступлениях"),
        *non_negative("answered", "answered_on_time", "overdue_open", "rated", "satisfied", "resolution_median_days"),
        *shares("on_time_share", "satisfaction_share"),
        at_most("answered", "incoming"),
        at_most("answered_on_time", "answered"),
        at_most("overdue_open", "incoming"),
        at_most("rated", "incoming"),
        at_most("satisfied", "rated"),
        no_rows(
            "month, sector_code, channel_code",
            "month <> date_trunc('month', month)::date",
            "месяц — первый день месяца",
        ),
        no_rows(
            "month, sector_code, channel_code, on_time_share",
            "on_time_share is distinct from round(answered_on_time::numeric / nullif(answered, 0), 4)",
            "доля в срок = answered_on_time / answered",
        ),
        no_rows(
            "month, sector_code, channel_code, satisfaction_share",
            "satisfaction_share is distinct from round(satisfied::numeric / nullif(rated, 0), 4)",
            "доля удовлетворенных = satisfied / rated",
        ),
    ),
    totals=FactTotals(
        fact="marts.fct_appeal_measures",
        where="true",
        slice={"month": "received_month", "sector_code": "sector_code", "channel_code": "channel"},
        measures={
            "incoming": "count(*)",
            "answered": "count(*) filter (where has_answer)",
            "answered_on_time": "count(*) filter (where is_answered_on_time)",
            "overdue_open": "count(*) filter (where is_open_overdue)",
            "rated": "count(*) filter (where is_rated)",
            "satisfied": "count(*) filter (where is_satisfied)",
        },
    ),
    deps=("fct_appeal_measures",),
)

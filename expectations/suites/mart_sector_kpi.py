"""marts.mart_sector_kpi: every indicator by sector, category, channel, municipality and month; exported."""

from expectations.reference import contract_types, seed_values
from expectations.suite import FactTotals, Suite, between, columns, dates, in_set, no_rows, not_null, same_as
from expectations.suites.kpis import category_in_sector, kpi_columns

TYPES = contract_types("mart_sector_kpi")
KEY = "month, category_code, channel_code, municipality_oktmo"

SUITE = Suite(
    name="mart_sector_kpi",
    relation="marts.mart_sector_kpi",
    model="mart_sector_kpi",
    blocking=True,
    description="Показатели ЦУР по блоку, категории, каналу, МО и месяцу: ключ, доли = формулы, части ≤ целого, "
    "итоги = факт.",
    expectations=(
        *columns(TYPES),
        *not_null(
            "sector_name",
            "category_name",
            "channel_name",
            "municipality_name",
            "answered",
            "answered_on_time",
            "overdue_open",
        ),
        in_set("sector_code", seed_values("sectors", "sector_code")),
        in_set("category_code", seed_values("categories", "category_code")),
        in_set("channel_code", seed_values("channels", "channel_code")),
        category_in_sector(),
        *dates("month"),
        no_rows(KEY, "month <> date_trunc('month', month)::date", "месяц — первый день месяца"),
        between("incoming", 1, note="строка витрины есть только при поступлениях"),
        *kpi_columns(KEY, set(TYPES)),
        same_as(
            "appeals_per_1000",
            "round(incoming * 1000.0 / nullif(population, 0), 3)",
            KEY,
            "обращений на 1 000 жителей = incoming × 1000 / population",
        ),
        no_rows(
            KEY,
            "(municipality_oktmo is null) <> (municipality_name = 'не указано')",
            "МО «не указано» ровно у строк без ОКТМО",
        ),
    ),
    totals=FactTotals(
        fact="marts.fct_appeals",
        where="not is_rejected",
        slice={
            "month": "received_month",
            "category_code": "category_code",
            "channel_code": "channel",
            "municipality_oktmo": "municipality_oktmo",
        },
        measures={
            "incoming": "count(*)",
            "answered": "count(*) filter (where first_answer_at is not null)",
            "answered_on_time": "count(*) filter (where is_answered_on_time)",
            "overdue_open": "count(*) filter (where is_open and due_at < (select as_of from "
            "{intermediate.int_build_horizon}))",
            "with_interim": "count(*) filter (where first_interim_at is not null)",
            "redirected": "count(*) filter (where redirect_count > 0)",
            "returned": "count(*) filter (where return_count > 0)",
            "rated": "count(*) filter (where rating is not null)",
            "satisfied": "count(*) filter (where is_satisfied)",
        },
    ),
    deps=("fct_appeals", "int_build_horizon"),
)

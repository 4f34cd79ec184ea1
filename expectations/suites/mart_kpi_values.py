"""marts.mart_kpi_values: every indicator by period for the region, each sector, category, municipality and
body; exported."""

from expectations.reference import contract_types, seed_values
from expectations.suite import BATCH, FactTotals, Suite, columns, dates, in_set, no_rows, not_null, sql_list, violations
from expectations.suites.kpis import COUNTS, INDICATORS, KINDS, QUANTILES, SHARES, category_in_sector, period_text

KEY = "period_kind, period_start, slice_kind, slice_code, indicator"


# One row per period and slice with every indicator as a column: the rules below read it in one pass.
WIDE = (
    "(select period_kind, period_start, slice_kind, slice_code, "
    + ", ".join(f"max(value) filter (where indicator = '{i}') as {i}" for i in INDICATORS)
    + f" from {BATCH} as b group by 1, 2, 3, 4)"
)


def _adds_up(part: str, whole: str) -> object:
    """Counts of the finer slices add up to the coarser one (categories → sector; sectors, municipalities and
    bodies → region)."""
    sector = ", sector_code" if whole == "sector" else ""
    return violations(
        f"select s.* from (select period_kind, period_start{sector}, indicator,"
        f" sum(value) filter (where slice_kind = '{part}') as parts,"
        f" max(value) filter (where slice_kind = '{whole}') as whole from {BATCH} as b"
        f" where indicator in {sql_list(COUNTS)} and slice_kind in ('{part}', '{whole}')"
        f" group by period_kind, period_start{sector}, indicator) as s where s.whole is distinct from s.parts",
        f"количества: сумма по разрезу {part} = значение разреза {whole}",
    )


SUITE = Suite(
    name="mart_kpi_values",
    relation="marts.mart_kpi_values",
    model="mart_kpi_values",
    blocking=True,
    description="Показатели по периодам и разрезам: ключ, словари, доли = формулы, количества складываются "
    "(категории → блок → округ; муниципалитеты и органы → округ), итоги = факт.",
    expectations=(
        *columns(contract_types("mart_kpi_values")),
        *not_null("slice_name", "indicator_name", "is_headline"),
        in_set("indicator", INDICATORS),
        in_set("sector_code", seed_values("sectors", "sector_code")),
        *dates("period_start"),
        period_text(KEY),
        no_rows(
            f"{KEY}, sector_code",
            "(slice_kind = 'region') <> (slice_code = 'nao' and sector_code is null)"
            " or (slice_kind = 'sector' and slice_code <> sector_code)",
            "округ — nao без блока; блок — его код",
        ),
        no_rows(
            f"{KEY}, sector_code",
            "slice_kind in ('municipality', 'agency') and sector_code is not null",
            "у муниципалитета и органа нет блока",
        ),
        no_rows(
            f"{KEY}, slice_code",
            "slice_kind = 'category' and slice_code not in " + sql_list(seed_values("categories", "category_code")),
            "категория из справочника",
        ),
        category_in_sector("case when slice_kind = 'category' then slice_code end"),
        no_rows(
            f"{KEY}, value",
            "indicator in "
            + sql_list([i for i, k in KINDS.items() if k in ("count", "rate", "quantile")])
            + " and value < 0",
            "количества, длительности и удельные значения не отрицательны",
        ),
        no_rows(
            f"{KEY}, value",
            "indicator in " + sql_list(list(SHARES)) + " and value not between 0 and 1",
            "доля в пределах [0, 1]",
        ),
        no_rows(
            f"{KEY}, value",
            "indicator in " + sql_list(COUNTS) + " and value is distinct from trunc(value)",
            "количество — целое",
        ),
        no_rows(f"{KEY}, value", "indicator in " + sql_list(COUNTS) + " and value is null", "количество есть всегда"),
        violations(
            f"select w.* from {WIDE} as w where "
            + " or ".join(
                f"w.{share} is distinct from round(w.{num} / nullif(w.{den}, 0), 4)"
                for share, (num, den) in SHARES.items()
            ),
            "доля = числитель / знаменатель того же периода и разреза",
        ),
        violations(
            f"select w.* from {WIDE} as w where "
            + " or ".join(f"w.{median} > w.{p90}" for median, p90 in QUANTILES.items()),
            "90-й процентиль не меньше медианы",
        ),
        _adds_up("category", "sector"),
        _adds_up("sector", "region"),
        _adds_up("municipality", "region"),
        _adds_up("agency", "region"),
    ),
    totals=FactTotals(
        fact="marts.fct_appeals",
        where="not is_rejected",
        mart_where="period_kind = 'month' and slice_kind = 'sector'",
        slice={"period_start": "received_month", "slice_code": "sector_code"},
        mart_measures={m: f"sum(value) filter (where indicator = '{m}')" for m in ("incoming", "answered", "rated")},
        measures={
            "incoming": "count(*)",
            "answered": "count(*) filter (where first_answer_at is not null)",
            "rated": "count(*) filter (where rating is not null)",
        },
    ),
    deps=("fct_appeals",),
)

"""marts.mart_kpi_values: every indicator by period for the region, each sector and category; exported."""

from expectations.reference import contract_types, seed_values
from expectations.suite import (BATCH, FactTotals, Suite, columns, dates, in_set, no_rows, not_null, sql_list,
                                unique, violations)
from expectations.suites.kpis import COUNTS, INDICATORS, KINDS, QUANTILES, SHARES, category_in_sector, period_text

KEY = "period_kind, period_start, slice_kind, slice_code, indicator"
PERIOD = "period_kind, period_start"


def _value(alias: str, indicator: str) -> str:
    """The value of another indicator of the same period and slice."""
    return (f"(select o.value from {BATCH} as o where o.period_kind = {alias}.period_kind and o.period_start = "
            f"{alias}.period_start and o.slice_kind = {alias}.slice_kind and o.slice_code = {alias}.slice_code "
            f"and o.indicator = '{indicator}')")


def _adds_up(part: str, whole: str) -> object:
    """Counts of the finer slices add up to the coarser one (categories → sector, sectors → region)."""
    key = "w.sector_code" if whole == "sector" else "'nao'"
    parts = (f"(select coalesce(sum(p.value), 0) from {BATCH} as p where p.period_kind = w.period_kind and "
             f"p.period_start = w.period_start and p.slice_kind = '{part}' and p.indicator = w.indicator"
             + (" and p.sector_code = w.sector_code)" if whole == "sector" else ")"))
    return violations(f"select w.period_kind, w.period_start, w.slice_code, w.indicator, w.value from {BATCH} as w"
                      f" where w.slice_kind = '{whole}' and w.indicator in {sql_list(COUNTS)} and"
                      f" w.slice_code = {key} and w.value <> {parts}",
                      f"количества: сумма по разрезу {part} = значение разреза {whole}")


SUITE = Suite(
    name="mart_kpi_values",
    relation="marts.mart_kpi_values",
    model="mart_kpi_values",
    blocking=True,
    description="Показатели по периодам и разрезам: ключ, словари, доли = формулы, количества складываются "
                "(категории → блок → округ), итоги = факт.",
    expectations=(
        *columns(contract_types("mart_kpi_values")),
        *not_null("period_kind", "period_start", "period", "slice_kind", "slice_code", "slice_name", "indicator",
                  "indicator_name", "is_headline"),
        unique(*KEY.split(", ")),
        in_set("period_kind", ("month", "quarter", "year")),
        in_set("slice_kind", ("region", "sector", "category")),
        in_set("indicator", INDICATORS),
        in_set("sector_code", seed_values("sectors", "sector_code")),
        *dates("period_start"),
        period_text(KEY),
        no_rows(f"{KEY}, sector_code", "(slice_kind = 'region') <> (slice_code = 'nao' and sector_code is null)"
                " or (slice_kind = 'sector' and slice_code <> sector_code)",
                "округ — nao без блока; блок — его код"),
        no_rows(f"{KEY}, slice_code", "slice_kind = 'category' and slice_code not in "
                + sql_list(seed_values("categories", "category_code")), "категория из справочника"),
        category_in_sector("case when slice_kind = 'category' then slice_code end"),
        no_rows(f"{KEY}, value", "indicator in " + sql_list([i for i, k in KINDS.items() if k in ("count", "rate",
                "quantile")]) + " and value < 0", "количества, длительности и удельные значения не отрицательны"),
        no_rows(f"{KEY}, value", "indicator in " + sql_list(list(SHARES)) + " and value not between 0 and 1",
                "доля в пределах [0, 1]"),
        no_rows(f"{KEY}, value", "indicator in " + sql_list(COUNTS) + " and value is distinct from trunc(value)",
                "количество — целое"),
        no_rows(f"{KEY}, value", "indicator in " + sql_list(COUNTS) + " and value is null", "количество есть всегда"),
        violations(f"select s.period_kind, s.period_start, s.slice_code, s.indicator, s.value from {BATCH} as s"
                   " where " + " or ".join(
                       f"(s.indicator = '{share}' and s.value is distinct from round({_value('s', num)}"
                       f" / nullif({_value('s', den)}, 0), 4))" for share, (num, den) in SHARES.items()),
                   "доля = числитель / знаменатель того же периода и разреза"),
        violations(f"select m.period_kind, m.period_start, m.slice_code, m.indicator, m.value from {BATCH} as m"
                   " where " + " or ".join(f"(m.indicator = '{median}' and m.value > {_value('m', p90)})"
                                           for median, p90 in QUANTILES.items()),
                   "90-й процентиль не меньше медианы"),
        _adds_up("category", "sector"),
        _adds_up("sector", "region"),
    ),
    totals=FactTotals(
        fact="marts.fct_appeals",
        where="not is_rejected",
        mart_where="period_kind = 'month' and slice_kind = 'sector'",
        slice={"period_start": "received_month", "slice_code": "sector_code"},
        mart_measures={m: f"sum(value) filter (where indicator = '{m}')" for m in ("incoming", "answered", "rated")},
        measures={"incoming": "count(*)", "answered": "count(*) filter (where first_answer_at is not null)",
                  "rated": "count(*) filter (where rating is not null)"},
    ),
    deps=("fct_appeals",),
)

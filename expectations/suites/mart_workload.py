"""marts.mart_workload: incoming, in work and staff needed per sector by working day, week and month."""

from expectations.dbt_vars import LOCAL_TZ
from expectations.reference import contract_types, seed_values
from expectations.suite import (
    BATCH,
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
    same_as,
    violations,
)

KEY = "period_kind, period_start, sector_code"
SECTORS = seed_values("sectors", "sector_code")
FTE = seed_values("workload_capacity", "fte_minutes_per_day")[0]
CAPACITY = "nullif(working_days * fte_minutes_per_day, 0)"
AS_OF_DATE = f"(select (as_of at time zone '{LOCAL_TZ}')::date from {{intermediate.int_build_horizon}})"
# An appeal is worked on its day of receipt or the next working day: counted once that day has come.
WORKED = (
    "exists (select 1 from {marts.dim_dates} as d where d.is_working_day and d.calendar_date between "
    f"(received_at at time zone '{LOCAL_TZ}')::date and {AS_OF_DATE})"
)

SUITE = Suite(
    name="mart_workload",
    relation="marts.mart_workload",
    model="mart_workload",
    blocking=True,
    description="Загруженность блоков: ключ, периоды, расчет штатной численности, дни = недели = месяцы, итоги = факт.",
    expectations=(
        *columns(contract_types("mart_workload")),
        *not_null(
            "period_end",
            "sector_name",
            "working_days",
            "incoming",
            "in_work_at_end",
            "workload_minutes",
            "fte_minutes_per_day",
        ),
        in_set("sector_code", SECTORS),
        *dates("period_start", "period_end"),
        *non_negative(
            "working_days", "incoming", "in_work_at_end", "workload_minutes", "staff_needed", "staff_proposed"
        ),
        at_most("period_start", "period_end"),
        between("fte_minutes_per_day", float(FTE), float(FTE), note=f"минут сотрудника в день = {FTE} (seed)"),
        no_rows(
            f"{KEY}, period_end, working_days",
            "period_kind = 'day' and (period_end <> period_start or working_days <> 1)",
            "рабочий день — один день",
        ),
        no_rows(
            f"{KEY}, period_end",
            "period_kind = 'week' and (extract(isodow from period_start) <> 1 or period_end > period_start + 6)",
            "неделя с понедельника, не длиннее 7 дней",
        ),
        no_rows(
            f"{KEY}, period_end",
            "period_kind = 'month' and (period_start <> date_trunc('month', period_start)"
            " or date_trunc('month', period_end) <> period_start)",
            "месяц с первого числа, в пределах месяца",
        ),
        no_rows(
            f"{KEY}, working_days", "working_days > period_end - period_start + 1", "рабочих дней не больше календарных"
        ),
        same_as(
            "staff_needed",
            f"round(workload_minutes / {CAPACITY}, 2)",
            KEY,
            "нужно сотрудников = минуты / (рабочие дни × минуты сотрудника)",
        ),
        same_as(
            "staff_proposed",
            f"ceil(workload_minutes / {CAPACITY})::integer",
            KEY,
            "предложение = нужно сотрудников, вверх до целого",
        ),
        no_rows(
            f"{KEY}, incoming, workload_minutes",
            "(incoming = 0) <> (workload_minutes = 0)",
            "трудозатраты есть ровно при поступлениях",
        ),
        violations(
            f"select k.period_kind, k.period_start, count(*) from {BATCH} as k group by 1, 2"
            f" having count(*) <> {len(SECTORS)}",
            f"в каждом периоде все {len(SECTORS)} блоков",
        ),
        violations(
            f"select w.sector_code, w.period_kind, sum(w.incoming) from {BATCH} as w group by 1, 2"
            f" having sum(w.incoming) <> (select sum(d.incoming) from {BATCH} as d"
            " where d.sector_code = w.sector_code and d.period_kind = 'day')",
            "поступило за недели и месяцы = за рабочие дни",
        ),
    ),
    totals=FactTotals(
        fact="marts.fct_appeals",
        where=f"not is_rejected and {WORKED}",
        mart_where="period_kind = 'month'",
        slice={"sector_code": "sector_code"},
        measures={"incoming": "count(*)"},
    ),
    deps=("fct_appeals", "int_build_horizon", "dim_dates"),
)

"""Bad rows per mart for the quality e2e: a copy of the mart in a picture's schemas, one row broken.

Each case: the model, SQL that breaks one row of the copy `{t}`, and what the failure must name (the rule's
note, or the columns of a part-within-whole rule)."""

from __future__ import annotations

import psycopg
from psycopg import sql


def one(condition: str = "true") -> str:
    return f"ctid = (select min(ctid) from {{t}} where {condition})"


EXPECTATION_CASES = [
    ("mart_sector_monthly", "update {t} set answered = incoming + 1 where " + one(), "incoming >= answered"),
    (
        "mart_sector_kpi",
        "update {t} set first_reaction_p90_hours = first_reaction_median_hours - 1 where "
        + one("first_reaction_median_hours > 0"),
        "first_reaction_p90_hours >= first_reaction_median_hours",
    ),
    (
        "mart_agency_rating",
        "update {t} set score = 50 where " + one("incoming < min_volume"),
        "ниже минимального объема оценки нет",
    ),
    (
        "mart_deadline_control",
        "update {t} set working_days_left = null where " + one("control_status = 'open_overdue'"),
        "остаток времени есть ровно у обращений в работе",
    ),
    (
        "mart_conflicts",
        "update {t} set rating = 4 where " + one("reason_code = 'negative_rating'"),
        "негативная оценка — не выше 2",
    ),
    (
        "mart_kpi_values",
        "update {t} set value = value + 1 where " + one("slice_kind = 'category' and indicator = 'incoming'"),
        "количества: сумма по разрезу category = значение разреза sector",
    ),
    (
        "mart_category_targets",
        "update {t} set is_met = not is_met where " + one("is_met is not null"),
        "выполнен ⇔ факт не ниже (at_least) или не выше (at_most) цели",
    ),
    (
        "mart_regional_problems",
        "update {t} set volume_rank = volume_rank + 5 where " + one("row_kind = 'category'"),
        "место по объему = 1 + больших в блоке",
    ),
    (
        "mart_repeat_appeals",
        "update {t} set subject_key = 'Иванов Иван Иванович' where " + one(),
        "псевдоним — HMAC-SHA256 (64 hex), не персональные данные",
    ),
    (
        "mart_restatements",
        "insert into {t} (period, period_kind, period_start, slice_kind, slice_code, indicator,"
        " first_value, now_value, difference, is_restated, is_revised_in_reports, last_revision) values ('2025-10',"
        " 'month', '2025-10-01', 'region', 'nao', 'incoming', 10, 12, 2, false, false, 1)",
        "пересчитано ⇔ сейчас ≠ впервые",
    ),
    (
        "mart_workload",
        "update {t} set staff_proposed = staff_proposed + 1 where " + one("incoming > 0"),
        "предложение = нужно сотрудников, вверх до целого",
    ),
    ("dim_kpis", "delete from {t} where " + one(), "ровно показатели каталога"),
]

# One slice of the mart off by one against the fact.
TOTALS_CASES = [
    ("mart_sector_monthly", "update {t} set incoming = incoming + 1 where " + one()),
    ("mart_sector_kpi", "update {t} set answered = answered + 1 where " + one()),
    ("mart_agency_rating", "update {t} set incoming = incoming + 1 where " + one("period_kind = 'quarter'")),
    ("mart_deadline_control", "delete from {t} where " + one("control_status = 'answered_late'")),
    ("mart_conflicts", "delete from {t} where " + one("reason_code = 'returned'")),
    (
        "mart_kpi_values",
        "update {t} set value = value + 1 where "
        + one("period_kind = 'month' and slice_kind = 'sector' and indicator = 'answered'"),
    ),
    (
        "mart_regional_problems",
        "update {t} set incoming = incoming + 1 where " + one("row_kind = 'category' and period_kind = 'month'"),
    ),
    ("mart_workload", "update {t} set incoming = incoming + 1 where " + one("period_kind = 'month'")),
]

# What the totals read besides the mart, copied into the same picture.
SHARED = (
    "marts.fct_appeals",
    "marts.fct_appeal_events",
    "marts.fct_appeal_measures",
    "marts.dim_dates",
    "intermediate.int_build_horizon",
)


def broken_copy(conn: psycopg.Connection, model: str, suffix: str, breaking: str) -> None:
    """marts__<suffix>.<model> and the facts it is compared with, copied from the built marts; one row broken."""
    for relation in (f"marts.{model}", *SHARED):
        schema, table = relation.split(".")
        target = sql.Identifier(f"{schema}__{suffix}", table)
        conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(f"{schema}__{suffix}")))
        conn.execute(sql.SQL("create table {} as select * from {}").format(target, sql.Identifier(schema, table)))
    changed = conn.execute(breaking.replace("{t}", f'"marts__{suffix}"."{model}"')).rowcount
    conn.commit()
    assert changed == 1, f"{model}: the breaking statement changed {changed} rows"

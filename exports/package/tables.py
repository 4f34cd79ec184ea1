"""The package's tables, read from a period's as-of marts: aggregates only, never an appeal or a person."""

from __future__ import annotations

from datetime import date

import psycopg

from exports.package.period import Period
from exports.package.tabular import Column, Table, fetch, kpi_columns, kpi_sheet

C = Column
AGENCY_INDICATORS = (
    "incoming",
    "answered",
    "rated",
    "on_time_share",
    "satisfaction_share",
    "return_share",
    "resolution_median_days",
)


def summary(conn, schema: str, month: date) -> Table:
    rows = fetch(
        conn,
        """
        select indicator, indicator_name, unit, value from {marts}.mart_package_summary
        where period_kind = 'month' and period_start = %(month)s
        order by sort_order, indicator""",
        schema,
        {"month": month},
    )
    return Table(
        "Сводка",
        "summary",
        (
            C("indicator", "Код показателя"),
            C("indicator_name", "Показатель"),
            C("unit", "Единица"),
            C("value", "Значение", "num"),
        ),
        ("indicator",),
        rows,
    )


def sectors(conn, schema: str, month: date) -> Table:
    columns, rows = kpi_sheet(
        conn,
        schema,
        "mart_package_sectors",
        (C("sector_code", "Код блока"), C("sector_name", "Отраслевой блок")),
        "period_kind = 'month' and period_start = %(month)s",
        "sector_code",
        {"month": month},
    )
    return Table("Отрасли", "sectors", columns, ("sector_code",), rows)


def agencies(conn, schema: str, month: date) -> Table:
    rows = fetch(
        conn,
        """
        with rating as (select * from {marts}.mart_agency_rating),
        final as (
            select agency_code, agency_name, agency_short_name, agency_sector_name, incoming, answered, rated,
                on_time_share, satisfaction_share, return_share, resolution_median_days, score, score_rank,
                rating_status_name
            from rating
            where period_kind = 'month' and period_start = %(month)s
            order by score_rank nulls last, incoming desc, agency_code
        )
        select * from final""",
        schema,
        {"month": month},
    )
    columns = [
        C("agency_code", "Код органа"),
        C("agency_name", "Орган или организация"),
        C("agency_short_name", "Краткое название"),
        C("agency_sector_name", "Основной блок"),
    ]
    kpis = {c.name: c for c in kpi_columns(conn, schema, AGENCY_INDICATORS)}
    columns += [
        kpis[i]
        for i in (
            "incoming",
            "answered",
            "rated",
            "on_time_share",
            "satisfaction_share",
            "return_share",
            "resolution_median_days",
        )
    ]
    columns += [
        C("score", "Оценка (0–100)", "num"),
        C("score_rank", "Место", "int"),
        C("rating_status_name", "Статус оценки"),
    ]
    return Table("Ведомства", "agencies", tuple(columns), ("agency_code",), rows)


def problems(conn, schema: str, month: date) -> Table:
    rows = fetch(
        conn,
        """
        with problems as (select * from {marts}.mart_regional_problems),
        final as (
            select sector_code, sector_name, category_code, category_name, coalesce(problem_code, '') as problem_code,
                problem_name, incoming, incoming_previous, growth, growth_share, volume_rank, is_priority,
                targets_met, targets_total
            from problems
            where period_kind = 'month' and period_start = %(month)s
            order by sector_code, row_kind, volume_rank, category_code, problem_code
        )
        select * from final""",
        schema,
        {"month": month},
    )
    return Table(
        "Проблемы",
        "problems",
        (
            C("sector_code", "Код блока"),
            C("sector_name", "Отраслевой блок"),
            C("category_code", "Код категории"),
            C("category_name", "Категория"),
            C("problem_code", "Код проблемы"),
            C("problem_name", "Конкретная проблема"),
            C("incoming", "Поступило", "int"),
            C("incoming_previous", "В прошлом месяце", "int"),
            C("growth", "Рост", "int"),
            C("growth_share", "Темп роста", "share"),
            C("volume_rank", "Место по объему", "int"),
            C("is_priority", "Приоритет"),
            C("targets_met", "Целей выполнено", "int"),
            C("targets_total", "Целей всего", "int"),
        ),
        ("category_code", "problem_code"),
        rows,
    )


def deadlines(conn, schema: str, period: Period) -> Table:
    """Per body: open and overdue at the close, answered late within the period (no appeal is named)."""
    rows = fetch(
        conn,
        """
        with control as (select * from {marts}.mart_deadline_control),
        final as (
            select coalesce(agency_code, '') as agency_code, coalesce(agency_name, 'не назначен') as agency_name,
                (count(*) filter (where control_status = 'open'))::integer as open,
                (count(*) filter (where control_status = 'open_overdue'))::integer as open_overdue,
                (count(*) filter (where control_status = 'answered_late'
                    and first_answer_at >= %(start)s and first_answer_at < %(end)s))::integer as answered_late,
                max(overdue_working_days) filter (where control_status = 'open_overdue') as max_overdue_days
            from control
            group by 1, 2
            having count(*) filter (where control_status <> 'answered_late'
                or (first_answer_at >= %(start)s and first_answer_at < %(end)s)) > 0
            order by open_overdue desc, answered_late desc, agency_code
        )
        select * from final""",
        schema,
        {"start": period.start, "end": period.end},
    )
    return Table(
        "Сроки",
        "deadlines",
        (
            C("agency_code", "Код органа"),
            C("agency_name", "Ответственный орган"),
            C("open", "В работе, срок не истек", "int"),
            C("open_overdue", "В работе, срок истек", "int"),
            C("answered_late", "Отвечено с нарушением срока за период", "int"),
            C("max_overdue_days", "Наибольшая просрочка в работе (раб. дн.)", "int"),
        ),
        ("agency_code",),
        rows,
    )


def conflicts(conn, schema: str, period: Period) -> Table:
    rows = fetch(
        conn,
        """
        with situations as (select * from {marts}.mart_conflicts),
        final as (
            select reason_code, reason_name, coalesce(sector_code, '') as sector_code, sector_name,
                count(*)::integer as situations, count(distinct appeal_key)::integer as appeals
            from situations
            where occurred_at >= %(start)s and occurred_at < %(end)s
            group by 1, 2, 3, 4
            order by reason_code, sector_code
        )
        select * from final""",
        schema,
        {"start": period.start, "end": period.end},
    )
    return Table(
        "Конфликты",
        "conflicts",
        (
            C("reason_code", "Код причины"),
            C("reason_name", "Причина"),
            C("sector_code", "Код блока"),
            C("sector_name", "Отраслевой блок"),
            C("situations", "Ситуаций", "int"),
            C("appeals", "Обращений", "int"),
        ),
        ("reason_code", "sector_code"),
        rows,
    )


def reaction(conn, schema: str, month: date) -> Table:
    """The reaction to social-network incidents (channel incident) by municipality and by body, as ЦУРs are
    rated: the share reacted to within 8 working hours and the median minutes; slices without incidents left out."""
    keys = (C("slice_kind", "Разрез"), C("slice_code", "Код (ОКТМО или код органа)"), C("slice_name", "Название"))
    columns, rows = kpi_sheet(
        conn,
        schema,
        "mart_package_reaction",
        keys,
        "period_kind = 'month' and period_start = %(month)s",
        "case slice_kind when 'municipality' then 1 else 2 end, slice_code",
        {"month": month},
    )
    return Table("Реакция", "reaction", columns, ("slice_kind", "slice_code"), rows)


def package_tables(conn: psycopg.Connection, schema: str, period: Period) -> list[Table]:
    """The seven sheets in workbook order."""
    month = period.month
    return [
        summary(conn, schema, month),
        sectors(conn, schema, month),
        agencies(conn, schema, month),
        problems(conn, schema, month),
        deadlines(conn, schema, period),
        conflicts(conn, schema, period),
        reaction(conn, schema, month),
    ]

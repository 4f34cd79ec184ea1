"""The short report `tsur run` prints: what the warehouse holds now."""

from __future__ import annotations

import psycopg

_QUERIES = {
    "appeals": "select count(*) from marts.fct_appeals",
    "events": "select count(*) from marts.fct_appeal_events",
    "load_batches": "select count(*) from raw.load_batches",
    "quarantined": "select count(*) from raw.quarantine",
    "classified": "select count(*) from marts.fct_appeals where category_method in ('rubric_name', 'text_model')",
    "review_queue": "select count(*) from marts.mart_classification_review",
    "other_topics": "select count(distinct (sector_code, topic_no)) from marts.mart_other_topics",
}


# Indicators shown for the okrug's latest year: read from mart_kpi_values, named as the catalogue names them.
KPIS = ("incoming", "on_time_share", "overdue_open", "satisfaction_share", "resolution_median_days")


def kpi_figures(conn: psycopg.Connection) -> dict[str, object]:
    """The headline KPIs of the latest year with appeals, as `<label>, <year>` → value."""
    rows = conn.execute(
        """
        with latest as (
            select max(period_start) as period_start from marts.mart_kpi_values
            where period_kind = 'year' and slice_kind = 'region'
        )
        select k.indicator_name, k.period, k.value
        from marts.mart_kpi_values as k
        inner join latest as l using (period_start)
        inner join marts.dim_kpis as d using (indicator)
        where k.period_kind = 'year' and k.slice_kind = 'region' and k.indicator = any(%s)
        order by d.sort_order""",
        (list(KPIS),),
    ).fetchall()
    return {f"{name}, {period}": value for name, period, value in rows}


def warehouse_summary(conn: psycopg.Connection) -> dict[str, object]:
    from expectations.plausibility import open_flags

    figures: dict[str, object] = {name: conn.execute(sql).fetchone()[0] for name, sql in _QUERIES.items()}
    figures |= kpi_figures(conn)
    flags = open_flags(conn)
    figures["flagged"] = (
        f"{sum(flags.values())} (" + ", ".join(f"{k} {v}" for k, v in flags.items()) + ")" if flags else 0
    )
    published = conn.execute(
        "select publication_id, to_char(published_at, 'YYYY-MM-DD HH24:MI:SS TZ')"
        " from quality.publications order by publication_id desc limit 1"
    ).fetchone()
    figures["published"] = f"№ {published[0]}, {published[1]}" if published else "не было"
    return figures


def format_summary(figures: dict[str, object]) -> str:
    labels = {
        "appeals": "Обращений",
        "events": "Событий",
        "load_batches": "Партий загрузки",
        "quarantined": "В карантине строк",
        "classified": "Категория определена классификатором (нет кода источника)",
        "review_queue": "В очереди разметки (tsur review export)",
        "other_topics": "Тем в «прочих по направлению»",
        "flagged": "Отмечено правилами правдоподобия (не блокирует, marts.mart_quality_flags)",
        "published": "Витрины опубликованы (после проверок; tsur status)",
        "export": "Выгрузка",
    }
    return "\n".join(f"  {labels.get(k, k)}: {v}" for k, v in figures.items())

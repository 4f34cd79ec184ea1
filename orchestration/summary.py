"""The short report `tsur run` prints: what the warehouse holds now."""

from __future__ import annotations

import psycopg

_QUERIES = {
    "appeals": "select count(*) from marts.fct_appeals",
    "events": "select count(*) from marts.fct_appeal_events",
    "load_batches": "select count(*) from raw.load_batches",
    "quarantined": "select count(*) from raw.quarantine",
    "on_time_share": "select round(avg(is_answered_on_time::int), 4) from marts.fct_appeals"
                     " where first_answer_at is not null and due_at is not null",
    "overdue": "select count(*) from marts.fct_appeals where is_overdue",
    "classified": "select count(*) from marts.fct_appeals where category_method in ('rubric_name', 'text_model')",
    "review_queue": "select count(*) from marts.mart_classification_review",
    "other_topics": "select count(distinct (sector_code, topic_no)) from marts.mart_other_topics",
}


def warehouse_summary(conn: psycopg.Connection) -> dict[str, object]:
    return {name: conn.execute(sql).fetchone()[0] for name, sql in _QUERIES.items()}


def format_summary(figures: dict[str, object]) -> str:
    labels = {"appeals": "Обращений", "events": "Событий", "load_batches": "Партий загрузки",
              "quarantined": "В карантине строк", "on_time_share": "Доля ответов в срок",
              "overdue": "Просрочено", "classified": "Категория определена классификатором (нет кода источника)",
              "review_queue": "В очереди разметки (tsur review export)",
              "other_topics": "Тем в «прочих по направлению»", "export": "Выгрузка"}
    return "\n".join(f"  {labels.get(k, k)}: {v}" for k, v in figures.items())

"""marts.fct_appeals: one row per appeal; feeds every mart and export, so failures block."""

from expectations.dbt_vars import LOCAL_TZ
from expectations.reference import contract_types, seed_values
from expectations.suite import Suite, between, columns, dates, in_set, no_rows, non_negative, not_null

SUITE = Suite(
    name="fct_appeals",
    relation="marts.fct_appeals",
    model="fct_appeals",
    blocking=True,
    description="Факт обращений: ключ, словари, согласованность статусов, сроки и даты.",
    expectations=(
        *columns(contract_types("fct_appeals")),
        *not_null("received_month", "status", "is_rejected", "is_answered", "is_open", "event_count"),
        in_set("channel", seed_values("channels", "channel_code")),
        in_set("sector_code", seed_values("sectors", "sector_code")),
        in_set("category_code", seed_values("categories", "category_code")),
        between("rating", 1, 5, note="оценка от 1 до 5"),
        *dates(
            "received_at",
            "registered_at",
            "first_reaction_at",
            "first_interim_at",
            "first_answer_at",
            "last_answer_at",
            "closed_at",
            "rejected_at",
        ),
        *non_negative("answer_hours", "answer_working_days", "redirect_count", "extension_count", "return_count"),
        between("event_count", 1, note="у обращения есть хотя бы одно событие"),
        # A source may date an answer before the receipt: kept, but never counted in speed figures.
        no_rows(
            "appeal_key, received_at, first_answer_at, is_answered_on_time",
            f"(first_answer_at at time zone '{LOCAL_TZ}')::date"
            f" < (received_at at time zone '{LOCAL_TZ}')::date and is_answered_on_time is not null",
            "ответ раньше дня поступления не участвует в показателях скорости",
        ),
        no_rows(
            "appeal_key, first_answer_at, due_at",
            "is_answered_on_time <> (first_answer_at <= due_at)",
            "в срок ⇔ первый ответ не позже срока",
        ),
        no_rows("appeal_key, status", "is_open <> (status = 'open')", "в работе ⇔ статус open"),
        no_rows("appeal_key, status", "is_rejected <> (status = 'rejected')", "отклонено ⇔ статус rejected"),
        no_rows(
            "appeal_key, rating, is_satisfied",
            "rating is not null and is_satisfied <> (rating >= 4)",
            "удовлетворен ⇔ оценка 4–5",
        ),
        no_rows(
            "appeal_key, received_at, received_month",
            f"received_month <> date_trunc('month', received_at at time zone '{LOCAL_TZ}')::date",
            "месяц поступления по московскому времени",
        ),
    ),
)

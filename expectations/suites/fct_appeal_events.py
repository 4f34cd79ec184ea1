"""marts.fct_appeal_events: one row per event of any channel, in one vocabulary."""

from expectations.dbt_vars import LOCAL_TZ
from expectations.reference import contract_types, event_enum, seed_values
from expectations.suite import Suite, between, columns, dates, in_set, no_rows, not_null, unique

SUITE = Suite(
    name="fct_appeal_events",
    relation="marts.fct_appeal_events",
    model="fct_appeal_events",
    blocking=True,
    description="Факт событий: ключи, словари, порядок событий, даты.",
    expectations=(
        *columns(contract_types("fct_appeal_events")),
        *not_null(
            "source",
            "appeal_id",
            "event_id",
            "event_type",
            "event_order",
            "occurred_at",
            "occurred_date",
            "channel",
            "derived_from",
            "batch_id",
            "loaded_at",
        ),
        unique("appeal_key", "event_order"),
        in_set("event_type", event_enum("event_type")),
        in_set("channel", seed_values("channels", "channel_code")),
        in_set("derived_from", ("event", "snapshot")),
        between("event_order", 1, note="порядок событий с 1"),
        between("rating", 1, 5, note="оценка от 1 до 5"),
        *dates("occurred_at", "occurred_date", "loaded_at"),
        no_rows("appeal_key, event_id", "appeal_key <> source || '/' || appeal_id", "ключ = источник/номер"),
        no_rows(
            "appeal_key, event_id, occurred_date",
            f"occurred_date <> (occurred_at at time zone '{LOCAL_TZ}')::date",
            "дата события по московскому времени",
        ),
    ),
)

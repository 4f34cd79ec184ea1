"""raw.appeal_events: events as received. Personal data inside payload: counts only, never sample values."""

from expectations.reference import event_enum
from expectations.suite import Suite, between, columns, dates, expect, no_rows, not_null, sql_list, unique

SUITE = Suite(
    name="raw_appeal_events",
    relation="raw.appeal_events",
    asset=("raw", "appeal_events"),
    restricted=True,
    description="События appeal-event/1 в ограниченном слое: типы, ключ, словари, даты.",
    expectations=(
        *columns(
            {
                "source": "text",
                "event_id": "text",
                "payload": "jsonb",
                "occurred_at": "timestamp with time zone",
                "flags": "text[]",
                "batch_id": "bigint",
                "origin": "text",
                "line_no": "integer",
                "line_sha256": "text",
                "loaded_at": "timestamp with time zone",
            }
        ),
        *not_null(
            "source", "event_id", "payload", "occurred_at", "batch_id", "origin", "line_no", "line_sha256", "loaded_at"
        ),
        unique("source", "event_id"),
        *dates("occurred_at", "loaded_at"),
        between("line_no", 1, note="строки файла нумеруются с 1"),
        expect("expect_column_values_to_match_regex", "sha256 строки", column="line_sha256", regex="^[0-9a-f]{64}$"),
        no_rows(
            "source, event_id",
            "coalesce(payload->>'channel', '') not in " + sql_list(event_enum("channel")),
            "канал из контракта appeal-event/1",
        ),
        no_rows(
            "source, event_id",
            "coalesce(payload->>'event_type', '') not in " + sql_list(event_enum("event_type")),
            "тип события из контракта appeal-event/1",
        ),
        no_rows("source, event_id", "coalesce(payload->>'appeal_id', '') = ''", "у события есть номер обращения"),
        no_rows(
            "source, event_id",
            "jsonb_typeof(payload->'rating') = 'number' and (payload->>'rating')::numeric not between 1 and 5",
            "оценка от 1 до 5",
        ),
    ),
)

"""raw.source_rows: rows of snapshot exports (ПОС, ИМ, СЭД, Open311) as read."""

from expectations.reference import seed_values
from expectations.suite import Suite, columns, dates, expect, in_set, not_null, unique

SUITE = Suite(
    name="raw_source_rows",
    relation="raw.source_rows",
    # The snapshot loaders' assets are not on this branch yet; re-point to them when they land.
    asset=("raw", "appeal_events"),
    restricted=True,
    description="Строки выгрузок-снимков: ключ, канал из справочника, даты.",
    expectations=(
        *columns({"source": "text", "channel": "text", "appeal_id": "text",
                  "exported_at": "timestamp with time zone", "record": "jsonb", "payload": "jsonb",
                  "flags": "text[]", "origin": "text", "sheet": "text", "line_no": "integer",
                  "line_sha256": "text", "batch_id": "bigint", "loaded_at": "timestamp with time zone"}),
        *not_null("source", "channel", "appeal_id", "exported_at", "record", "payload", "origin", "line_sha256",
                  "batch_id", "loaded_at"),
        unique("source", "appeal_id", "exported_at"),
        in_set("channel", seed_values("channels", "channel_code")),
        *dates("exported_at", "loaded_at"),
        expect("expect_column_values_to_match_regex", "sha256 строки", column="line_sha256", regex="^[0-9a-f]{64}$"),
    ),
)

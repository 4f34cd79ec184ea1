"""raw.source_rows: rows of snapshot exports (ПОС, ИМ, СЭД, Open311) as read."""

from expectations.reference import seed_values
from expectations.suite import Suite, columns, dates, expect, in_set, not_null, unique
from expectations.suites.raw_assets import SNAPSHOT_INGESTS, channel_is, per_asset

TEMPLATE = Suite(
    name="raw_source_rows",
    relation="raw.source_rows",
    asset=("raw", "pos_exports"),  # a template: per_asset gives each snapshot loader's asset its own suite
    restricted=True,
    description="Строки выгрузок-снимков: ключ, канал из справочника, даты.",
    expectations=(
        *columns(
            {
                "source": "text",
                "channel": "text",
                "appeal_id": "text",
                "exported_at": "timestamp with time zone",
                "record": "jsonb",
                "payload": "jsonb",
                "flags": "text[]",
                "origin": "text",
                "sheet": "text",
                "line_no": "integer",
                "line_sha256": "text",
                "batch_id": "bigint",
                "loaded_at": "timestamp with time zone",
            }
        ),
        *not_null(
            "source",
            "channel",
            "appeal_id",
            "exported_at",
            "record",
            "payload",
            "origin",
            "line_sha256",
            "batch_id",
            "loaded_at",
        ),
        unique("source", "appeal_id", "exported_at"),
        in_set("channel", seed_values("channels", "channel_code")),
        *dates("exported_at", "loaded_at"),
        expect("expect_column_values_to_match_regex", "sha256 строки", column="line_sha256", regex="^[0-9a-f]{64}$"),
    ),
)
SUITES = per_asset(
    TEMPLATE,
    "batch_id in (select batch_id from raw.load_batches where loader in {loaders})",
    SNAPSHOT_INGESTS,
    channel_is,
)

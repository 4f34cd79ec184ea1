"""raw.load_batches: every load batch with its counts; they must add up."""

from expectations.suite import Suite, columns, dates, expect, no_rows, non_negative, not_null, unique
from expectations.suites.raw_assets import per_asset

TEMPLATE = Suite(
    name="raw_load_batches",
    relation="raw.load_batches",
    asset=("raw", "appeal_events"),
    restricted=True,
    description="Партии загрузки: прочитано = загружено + дубликаты + карантин.",
    expectations=(
        *columns(
            {
                "batch_id": "bigint",
                "loader": "text",
                "source": "text",
                "origin": "text",
                "origin_sha256": "text",
                "started_at": "timestamp with time zone",
                "finished_at": "timestamp with time zone",
                "lines_read": "integer",
                "blank_lines": "integer",
                "loaded": "integer",
                "duplicates": "integer",
                "quarantined": "integer",
            }
        ),
        *not_null(
            "batch_id",
            "loader",
            "origin",
            "started_at",
            "finished_at",
            "lines_read",
            "loaded",
            "duplicates",
            "quarantined",
        ),
        unique("batch_id"),
        *non_negative("lines_read", "blank_lines", "loaded", "duplicates", "quarantined"),
        *dates("started_at", "finished_at"),
        expect("expect_column_values_to_match_regex", "sha256 файла", column="origin_sha256", regex="^[0-9a-f]{64}$"),
        no_rows(
            "batch_id, lines_read, loaded, duplicates, quarantined",
            "lines_read <> loaded + duplicates + quarantined",
            "прочитано = загружено + дубликаты + карантин",
        ),
        no_rows("batch_id, started_at, finished_at", "finished_at < started_at", "партия закончилась после начала"),
    ),
)
SUITES = per_asset(TEMPLATE, "loader in {loaders}")

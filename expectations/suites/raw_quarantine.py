"""raw.quarantine: every rejected line keeps its reason and what arrived."""

from expectations.suite import Suite, columns, dates, expect, no_rows, not_null, unique
from expectations.suites.raw_assets import per_asset

TEMPLATE = Suite(
    name="raw_quarantine",
    relation="raw.quarantine",
    asset=("raw", "appeal_events"),
    restricted=True,
    description="Карантин: у каждой строки есть причина и исходный текст.",
    expectations=(
        *columns(
            {
                "quarantine_id": "bigint",
                "batch_id": "bigint",
                "loader": "text",
                "source": "text",
                "origin": "text",
                "sheet": "text",
                "line_no": "integer",
                "record_key": "text",
                "reason_code": "text",
                "reason": "text",
                "raw_text": "text",
                "raw_bytes": "bytea",
                "quarantined_at": "timestamp with time zone",
            }
        ),
        *not_null("quarantine_id", "batch_id", "loader", "origin", "reason_code", "reason", "quarantined_at"),
        unique("quarantine_id"),
        *dates("quarantined_at"),
        expect(
            "expect_column_values_to_match_regex",
            "код причины: строчные латинские буквы и _",
            column="reason_code",
            regex="^[a-z][a-z0-9_]*$",
        ),
        no_rows("quarantine_id, batch_id", "raw_text is null and raw_bytes is null", "исходная строка сохранена"),
    ),
)
SUITES = per_asset(TEMPLATE, "loader in {loaders}")

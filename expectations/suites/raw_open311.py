"""Open311 polling state in the raw layer: cursors, the ledger of windows read, the service list."""

from expectations.suite import Suite, at_most, columns, dates, expect, no_rows, non_negative, not_null, unique

ASSET = ("raw", "open311_requests")
SHA = expect("expect_column_values_to_match_regex", "sha256 строки", column="line_sha256", regex="^[0-9a-f]{64}$")

CURSORS = Suite(
    name="raw_open311_cursors",
    relation="raw.open311_cursors",
    asset=ASSET,
    restricted=True,
    description="Курсоры опроса Open311: один на конечную точку, даты в разумных пределах.",
    expectations=(
        *columns(
            {
                "source": "text",
                "endpoint": "text",
                "window_end": "timestamp with time zone",
                "batch_id": "bigint",
                "updated_at": "timestamp with time zone",
            }
        ),
        *not_null("source", "endpoint", "window_end", "updated_at"),
        unique("source", "endpoint"),
        *dates("window_end", "updated_at"),
    ),
)

WINDOWS = Suite(
    name="raw_open311_windows",
    relation="raw.open311_windows",
    asset=ASSET,
    restricted=True,
    description="Окна опроса Open311: окно не пусто, счетчики не отрицательны, повторно битых не больше прочитанных.",
    expectations=(
        *columns(
            {
                "batch_id": "bigint",
                "source": "text",
                "endpoint": "text",
                "window_start": "timestamp with time zone",
                "window_end": "timestamp with time zone",
                "pages": "integer",
                "http_requests": "integer",
                "objects_read": "integer",
                "repeated_broken": "integer",
                "complete": "boolean",
            }
        ),
        *not_null(
            "batch_id",
            "source",
            "endpoint",
            "window_start",
            "window_end",
            "pages",
            "http_requests",
            "objects_read",
            "repeated_broken",
            "complete",
        ),
        unique("batch_id"),
        *dates("window_start", "window_end"),
        *non_negative("pages", "http_requests", "objects_read", "repeated_broken"),
        at_most("window_start", "window_end"),
        at_most("repeated_broken", "objects_read"),
    ),
)

SERVICES = Suite(
    name="raw_open311_services",
    relation="raw.open311_services",
    asset=ASSET,
    restricted=True,
    description="Справочник услуг Open311: ключ, код услуги совпадает с прочитанным объектом.",
    expectations=(
        *columns(
            {
                "source": "text",
                "service_code": "text",
                "payload": "jsonb",
                "origin": "text",
                "line_no": "integer",
                "line_sha256": "text",
                "batch_id": "bigint",
                "loaded_at": "timestamp with time zone",
            }
        ),
        *not_null("source", "service_code", "payload", "origin", "line_sha256", "batch_id", "loaded_at"),
        unique("source", "service_code", "line_sha256"),
        *dates("loaded_at"),
        SHA,
        no_rows(
            "source, service_code",
            "payload->>'service_code' is distinct from service_code",
            "код услуги = service_code прочитанного объекта",
        ),
    ),
)

SUITES = [CURSORS, WINDOWS, SERVICES]

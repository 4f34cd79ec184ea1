"""The two clocks of a build: world time (`as_of`) and knowledge time (`batch_hwm`), fixed once per build."""

from __future__ import annotations

from datetime import UTC, datetime


def last_batch(conn) -> int:
    """The newest committed load batch: a build reads batches up to it and no further."""
    return conn.execute("select coalesce(max(batch_id), 0) from raw.load_batches").fetchone()[0]


def build_vars(conn, as_of: str | None, batch_hwm: int | None = None, schema_suffix: str = "") -> dict:
    """Fix both clocks once per build, so every model sees the same events and the same whole batches."""
    moment = datetime.fromisoformat(as_of) if as_of else datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError(f"as_of needs a time zone offset: {as_of}")
    if batch_hwm is None:
        batch_hwm = last_batch(conn)
    return {"as_of": moment.isoformat(), "batch_hwm": int(batch_hwm), "schema_suffix": schema_suffix}

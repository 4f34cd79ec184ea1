"""Where a build put each relation, and what every reconciliation shares: quoting, existence, the failure limit."""

from __future__ import annotations

import psycopg
from psycopg import sql

LIMIT = 50  # failures kept per outcome; the counts in stats are always complete

# The current build writes the marts here; `marts` is what was last published (orchestration/publish.py).
BUILD_SCHEMA = "marts_build"
# Not a valid schema suffix: "the current build, before it is published" (checks run there).
STAGED = "+staged"


def suffixed(relation: str, suffix: str) -> str:
    """Where a build put a dbt relation: past pictures (schema_suffix) in suffixed schemas, the current
    build's marts (STAGED) in the build schema; "" is what BI reads. The raw layer never moves."""
    schema, table = relation.split(".", 1)
    if suffix == STAGED:
        return f"{BUILD_SCHEMA}.{table}" if schema == "marts" else relation
    return relation if not suffix or schema == "raw" else f"{schema}__{suffix}.{table}"


def rel(relation: str) -> sql.Composable:
    """A schema.table relation as a quoted identifier."""
    return sql.Identifier(*relation.split(".", 1))


def absent(conn: psycopg.Connection, *relations: str) -> str | None:
    """The first relation that does not exist, as an error message; None when they all do."""
    for relation in relations:
        if conn.execute("select to_regclass(%s) is null", (relation,)).fetchone()[0]:
            return f"relation {relation} does not exist"
    return None

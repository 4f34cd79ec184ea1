"""Apply the raw layer's SQL migrations once each, in order, under a lock."""

from __future__ import annotations

from importlib import resources

import psycopg

_LOCK = 746_001  # advisory lock id shared by every process that migrates


def migration_files() -> list[tuple[str, str]]:
    folder = resources.files("lib") / "migrations"
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(p.name.removesuffix(".sql"), p.read_text(encoding="utf-8")) for p in files]


def migrate(conn: psycopg.Connection) -> list[str]:
    """Apply what is missing; return the versions applied now."""
    applied_now: list[str] = []
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", (_LOCK,))
        # Only when missing: CREATE SCHEMA checks the database privilege even if the schema exists, and
        # the loader role (lib/roles.py) may create in raw but not in the database.
        if conn.execute("select to_regnamespace('raw')").fetchone()[0] is None:
            conn.execute("create schema if not exists raw")
        conn.execute(
            "create table if not exists raw.schema_migrations"
            " (version text primary key, applied_at timestamptz not null default now())"
        )
        done = {row[0] for row in conn.execute("select version from raw.schema_migrations")}
        for version, sql in migration_files():
            if version in done:
                continue
            conn.execute(sql)
            conn.execute("insert into raw.schema_migrations (version) values (%s)", (version,))
            applied_now.append(version)
    return applied_now

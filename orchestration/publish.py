"""Write–audit–publish of the marts: dbt builds them in the private schema marts_build, the blocking checks
run there, and only then do they become `marts` — one transaction renames the schemas, so a BI tool or an
export sees the old marts or the new ones, never a mix and never a build that failed.

The swapped-out schema becomes the next build schema. Its incremental models are one build behind, which
they catch up by themselves (each rebuilds what is newer than its own last build: macros/incremental.sql).
Only a build of every mart may be published: a mart not rebuilt would go back one build.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg import sql

from expectations.relations import BUILD_SCHEMA

PUBLISHED = "marts"
_SWAP = "marts_swap"  # lives for one transaction only
_LOCK = 746_004  # one publication at a time


class PublishRefused(Exception):
    """The build may not be published; the message says why. The published marts are unchanged."""


@dataclass(frozen=True)
class Publication:
    publication_id: int
    published_at: datetime
    relations: int
    as_of: datetime | None
    batch_hwm: int | None


def failed_checks(conn: psycopg.Connection, run_id: str) -> list[str]:
    """Blocking checks of this run that failed (quality.validation_runs), by name."""
    rows = conn.execute(
        "select distinct check_name from quality.validation_runs"
        " where run_id = %s and blocking and not success order by 1",
        (run_id,),
    ).fetchall()
    return [r[0] for r in rows]


def _exists(conn: psycopg.Connection, schema: str) -> bool:
    return conn.execute("select to_regnamespace(%s) is not null", (schema,)).fetchone()[0]


def _horizon(conn: psycopg.Connection) -> tuple[datetime | None, int | None]:
    if conn.execute("select to_regclass('intermediate.int_build_horizon')").fetchone()[0] is None:
        return None, None
    row = conn.execute("select as_of, batch_hwm from intermediate.int_build_horizon").fetchone()
    return (row[0], row[1]) if row else (None, None)


def publish(conn: psycopg.Connection, *, run_id: str | None, bi_role: str = "") -> Publication:
    """Publish the build schema as `marts` if no blocking check of `run_id` failed; returns the record."""
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", (_LOCK,))
        # Readers finish their queries first; a reader holding a lock for minutes must not hang the build.
        conn.execute("set local lock_timeout = '10min'")
        if not _exists(conn, BUILD_SCHEMA):
            raise PublishRefused(f"nothing to publish: schema {BUILD_SCHEMA} does not exist (run `tsur build`)")
        failed = failed_checks(conn, run_id) if run_id else []
        if failed:
            raise PublishRefused(
                f"blocking checks failed: {', '.join(failed)}; the published marts stay as "
                "they were (see `tsur status`)"
            )
        relations = conn.execute(
            "select count(*) from pg_class where relnamespace = to_regnamespace(%s)"
            " and relkind in ('r', 'v', 'm', 'p')",
            (BUILD_SCHEMA,),
        ).fetchone()[0]
        as_of, hwm = _horizon(conn)
        published, build, swap = (sql.Identifier(s) for s in (PUBLISHED, BUILD_SCHEMA, _SWAP))
        had = _exists(conn, PUBLISHED)
        if had:
            conn.execute(sql.SQL("alter schema {} rename to {}").format(published, swap))
        conn.execute(sql.SQL("alter schema {} rename to {}").format(build, published))
        if had:
            conn.execute(sql.SQL("alter schema {} rename to {}").format(swap, build))
        if bi_role:
            _grant(conn, bi_role, had)
        passed = (
            conn.execute(
                "select count(*) from quality.validation_runs where run_id = %s and success", (run_id,)
            ).fetchone()[0]
            if run_id
            else 0
        )
        row = conn.execute(
            "insert into quality.publications (run_id, as_of, batch_hwm, relations, checks_passed)"
            " values (%s, %s, %s, %s, %s) returning publication_id, published_at",
            (run_id, as_of, hwm, relations, passed),
        ).fetchone()
    return Publication(row[0], row[1], relations, as_of, hwm)


def _grant(conn: psycopg.Connection, role: str, had_previous: bool) -> None:
    """BI reads the published schema, all of it, and nothing of the build schema (its tables keep the
    grants they had when they were published, so they are taken back)."""
    if conn.execute("select 1 from pg_roles where rolname = %s", (role,)).fetchone() is None:
        return
    bi, published, build = sql.Identifier(role), sql.Identifier(PUBLISHED), sql.Identifier(BUILD_SCHEMA)
    conn.execute(sql.SQL("grant usage on schema {} to {}").format(published, bi))
    conn.execute(sql.SQL("grant select on all tables in schema {} to {}").format(published, bi))
    conn.execute(sql.SQL("alter default privileges in schema {} grant select on tables to {}").format(published, bi))
    if had_previous:
        conn.execute(sql.SQL("revoke all on all tables in schema {} from {}").format(build, bi))
        conn.execute(sql.SQL("revoke all on schema {} from {}").format(build, bi))
        conn.execute(sql.SQL("alter default privileges in schema {} revoke select on tables from {}").format(build, bi))


def last_publication(conn: psycopg.Connection) -> Publication | None:
    if conn.execute("select to_regclass('quality.publications')").fetchone()[0] is None:
        return None
    row = conn.execute(
        "select publication_id, published_at, relations, as_of, batch_hwm from quality.publications"
        " order by publication_id desc limit 1"
    ).fetchone()
    return Publication(*row) if row else None

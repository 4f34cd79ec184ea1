"""Write–audit–publish: the build schema becomes `marts` in one swap, only when no blocking check of its run
failed; BI keeps reading through the swap and never sees the build schema; `tsur status` tells what happened."""

import pytest
from psycopg import sql

from lib.roles import ensure_roles, scram_verifier
from orchestration.publish import PublishRefused, last_publication, publish
from orchestration.status import format_status, read_status
from tests.dbroles import connect_as, is_denied, private_roles


def build(conn, figure: int) -> None:
    """What a dbt build leaves: the marts in marts_build (here one table holding `figure`)."""
    conn.execute("drop schema if exists marts_build cascade; create schema marts_build")
    conn.execute(f"create table marts_build.kpi as select {figure} as value")
    conn.execute("create view marts_build.kpi_view as select value * 2 as doubled from marts_build.kpi")


def check(conn, run_id: str, passed: bool) -> None:
    conn.execute(
        "insert into quality.validation_runs (run_id, check_name, kind, suite, asset_key, relation, blocking,"
        " severity, success, evaluated, failed, started_at, finished_at)"
        " values (%s, 'gx_kpi', 'expectations', 'kpi', 'marts/kpi', 'marts_build.kpi', true, 'error', %s, 1,"
        " %s, now(), now())",
        (run_id, passed, 0 if passed else 1),
    )


def published(conn) -> tuple:
    return conn.execute("select (select value from marts.kpi), (select doubled from marts.kpi_view)").fetchone()


def test_publish_swaps_only_audited_builds_and_bi_keeps_its_grants(warehouse, database_url, server_url):
    with private_roles(database_url, server_url) as names, warehouse.connect(autocommit=True) as conn:
        ensure_roles(conn, names)
        conn.execute(
            sql.SQL("alter role {} login password {}").format(
                sql.Identifier(names.bi), sql.Literal(scram_verifier("bi-pass"))
            )
        )
        assert last_publication(conn) is None
        with pytest.raises(PublishRefused, match="marts_build does not exist"):
            publish(conn, run_id="run-0", bi_role=names.bi)

        build(conn, 1)
        check(conn, "run-1", True)
        first = publish(conn, run_id="run-1", bi_role=names.bi)
        assert (first.relations, published(conn)) == (2, (1, 2))
        assert conn.execute("select to_regnamespace('marts_build')").fetchone()[0] is None

        # A later build whose blocking check failed: refused, the published marts stay row for row.
        build(conn, 2)
        check(conn, "run-2", False)
        with pytest.raises(PublishRefused, match="blocking checks failed: gx_kpi"):
            publish(conn, run_id="run-2", bi_role=names.bi)
        assert published(conn) == (1, 2)
        status = read_status(conn)
        assert status.held and status.build_run == "run-2" and status.publication.publication_id == first.publication_id
        text = format_status(status)
        assert "БЛОКИРУЕТ: gx_kpi" in text and "Сборка не опубликована" in text

        with connect_as(database_url, names.bi, "bi-pass") as bi:
            assert bi.execute("select value from marts.kpi").fetchone() == (1,)
            assert is_denied(bi, "select * from marts_build.kpi")
            # The next good build is published while BI is connected: its grants survive the swap.
            build(conn, 3)
            check(conn, "run-3", True)
            third = publish(conn, run_id="run-3", bi_role=names.bi)
            assert bi.execute("select value from marts.kpi").fetchone() == (3,)
            assert bi.execute("select doubled from marts.kpi_view").fetchone() == (6,)
            # The swapped-out marts are the next build schema, closed to BI.
            assert conn.execute("select value from marts_build.kpi").fetchone() == (1,)
            assert is_denied(bi, "select * from marts_build.kpi")
        assert third.publication_id == first.publication_id + 1
        status = read_status(conn)
        assert not status.held and status.published_run == "run-3"
        assert "Сборка не опубликована" not in format_status(status)

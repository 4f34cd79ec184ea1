"""`tsur db roles`: the loader writes raw only, the transformer builds from raw, BI reads the marts only; raw
is append-only for every role. Logging in as the roles is in test_role_logins.py."""

import json

import psycopg
import pytest
from psycopg import sql

from lib.roles import bi_role_for_build, ensure_roles, scram_verifier
from sources.events import load_event_file
from tests.conftest import run_dbt
from tests.dbroles import connect_as, is_denied, private_roles
from tests.integration.roles_helpers import event_line

AS_OF = "2026-01-20T00:00:00+00:00"


def privileges(conn, role: str) -> dict[str, bool]:
    checks = {
        "db create": "has_database_privilege(%(r)s, current_database(), 'create')",
        "raw usage": "has_schema_privilege(%(r)s, 'raw', 'usage')",
        "raw create": "has_schema_privilege(%(r)s, 'raw', 'create')",
        "raw.appeal_events select": "has_table_privilege(%(r)s, 'raw.appeal_events', 'select')",
        "raw.appeal_events insert": "has_table_privilege(%(r)s, 'raw.appeal_events', 'insert')",
        "raw.appeal_events update": "has_table_privilege(%(r)s, 'raw.appeal_events', 'update')",
        "raw.appeal_events delete": "has_table_privilege(%(r)s, 'raw.appeal_events', 'delete')",
        "raw.load_batches update": "has_table_privilege(%(r)s, 'raw.load_batches', 'update')",
        "raw.load_batch_seq usage": "has_sequence_privilege(%(r)s, 'raw.load_batch_seq', 'usage')",
        "staging usage": "has_schema_privilege(%(r)s, 'staging', 'usage')",
        "marts usage": "has_schema_privilege(%(r)s, 'marts', 'usage')",
        "marts.t select": "has_table_privilege(%(r)s, 'marts.t', 'select')",
        "marts.t insert": "has_table_privilege(%(r)s, 'marts.t', 'insert')",
    }
    row = conn.execute("select " + ", ".join(checks.values()), {"r": role}).fetchone()
    return dict(zip(checks, row))


def test_roles_are_created_once_and_each_reaches_only_its_layer(warehouse, database_url, server_url, tmp_path):
    with private_roles(database_url, server_url) as names, warehouse.connect(autocommit=True) as conn:
        # Layers as a build leaves them, made here by the administrator.
        conn.execute(
            "create schema staging; create view staging.v as select 1 as a;"
            " create schema marts; create table marts.t as select 1 as a"
        )
        assert ensure_roles(conn, names) == [f"role {n} created" for n in names.all()]
        assert ensure_roles(conn, names) == []
        logins = conn.execute(
            "select rolname, rolcanlogin from pg_roles where rolname = any(%s)", (list(names.all()),)
        ).fetchall()
        assert sorted(logins) == sorted((n, False) for n in names.all())  # external server: groups, no logins
        yes = lambda *keys: {k: True for k in keys}  # noqa: E731
        every = privileges(conn, names.loader).keys()
        expected = {
            names.loader: yes(
                "raw usage",
                "raw create",
                "raw.appeal_events select",
                "raw.appeal_events insert",
                "raw.load_batches update",
                "raw.load_batch_seq usage",
            ),
            # Layers the administrator made before the roles pass to the transformer, which rebuilds them.
            names.transformer: yes(
                "db create",
                "raw usage",
                "raw.appeal_events select",
                "staging usage",
                "marts usage",
                "marts.t select",
                "marts.t insert",
            ),
            names.bi: yes("marts usage", "marts.t select"),
            names.reporter: yes("marts usage", "marts.t select"),  # as a member of BI; it writes reports too
        }
        for role, granted in expected.items():
            assert privileges(conn, role) == {k: granted.get(k, False) for k in every}, role
        # A table a later migration adds to raw, or a build to marts, gets the same grants by default.
        conn.execute("create table raw.later (a int); create table marts.later as select 2 as a")
        assert conn.execute(
            "select has_table_privilege(%s, 'raw.later', 'insert'),"
            " has_table_privilege(%s, 'raw.later', 'select'),"
            " has_table_privilege(%s, 'marts.later', 'select')",
            (names.loader, names.transformer, names.bi),
        ).fetchone() == (True, True, True)

        # What each role can do, tried for real.
        path = tmp_path / "a.jsonl"
        path.write_text(event_line("e1") + "\n" + event_line("e1") + "\n{broken\n", encoding="utf-8")
        with connect_as(database_url, names.loader) as loader:
            loader.autocommit = False
            report = load_event_file(loader, path)
            assert (report.loaded, report.duplicates, report.quarantined) == (1, 1, 1)
            loader.autocommit = True
            assert is_denied(loader, "select * from marts.t")
            assert is_denied(loader, "select * from staging.v")
            assert is_denied(loader, "delete from raw.appeal_events")
            assert is_denied(loader, "create table staging.x (a int)")
        with connect_as(database_url, names.transformer) as transformer:
            assert transformer.execute("select count(*) from raw.appeal_events").fetchone()[0] == 1
            assert is_denied(transformer, "insert into raw.load_batches select * from raw.load_batches")
            assert is_denied(transformer, "update raw.appeal_events set flags = '{}'")
        with connect_as(database_url, names.bi) as bi:
            assert bi.execute("select a from marts.t").fetchone() == (1,)
            for query in (
                "select * from raw.appeal_events",
                "select * from raw.quarantine",
                "select * from raw.load_batches",
                "select * from staging.v",
                "insert into marts.t values (3)",
            ):
                assert is_denied(bi, query), query


def test_a_build_grants_to_the_bi_role_only_once_it_exists(warehouse, database_url, server_url, tmp_path):
    with private_roles(database_url, server_url) as names, warehouse.connect(autocommit=True) as conn:
        assert bi_role_for_build(conn, names, None) == ""  # external server, roles not made yet
        assert bi_role_for_build(conn, names, {n: "pw-" + n for n in names.all()}) == names.bi  # embedded
        assert bi_role_for_build(conn, names, None) == names.bi
        assert conn.execute(
            "select bool_and(rolcanlogin) from pg_roles where rolname = any(%s)", (list(names.all()),)
        ).fetchone() == (True,)


@pytest.mark.slow
def test_a_transformer_build_is_readable_by_bi_and_nothing_else_is(warehouse, database_url, server_url):
    from sources.landing import event_files
    from sources.sample import generate_sample

    generate_sample(warehouse.settings.landing_dir, scale=0.02, formats="canonical")
    with warehouse.connect() as conn:
        for path in event_files(warehouse.settings.landing_dir):
            load_event_file(conn, path)
    with private_roles(database_url, server_url) as names:
        with warehouse.connect(autocommit=True) as conn:
            ensure_roles(conn, names)
            conn.execute(
                sql.SQL("alter role {} login password {}").format(
                    sql.Identifier(names.bi), sql.Literal(scram_verifier("bi-test-password"))
                )
            )
        # dbt as the transformer: the administrator's session switches to that role at connection.
        base = warehouse.dbt_env()
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(
                warehouse, "dbt_env", lambda: {**base, "PGOPTIONS": f"{base['PGOPTIONS']} -c role={names.transformer}"}
            )
            run_dbt(
                warehouse,
                "build",
                "--exclude-resource-type",
                "test",
                "unit_test",
                "--vars",
                json.dumps({"as_of": AS_OF, "bi_role": names.bi}),
            )
        with warehouse.connect(autocommit=True) as conn:
            owners = dict(
                conn.execute(
                    "select nspname, pg_get_userbyid(nspowner) from pg_namespace"
                    " where nspname in ('staging', 'intermediate', 'marts', 'reference')"
                ).fetchall()
            )
            assert owners == dict.fromkeys(("staging", "intermediate", "marts", "reference"), names.transformer)
            appeals = conn.execute("select count(*) from marts.fct_appeals").fetchone()[0]
            relations = conn.execute(
                "select n.nspname, c.relname from pg_class as c join pg_namespace as n on n.oid = c.relnamespace"
                " where c.relkind in ('r', 'v', 'm', 'p') and n.nspname not in ('pg_catalog', 'information_schema')"
                " and n.nspname not like 'pg\\_%%' order by 1, 2"
            ).fetchall()
        assert appeals > 100
        with connect_as(database_url, names.bi, "bi-test-password") as bi:
            assert bi.execute("select count(*) from marts.fct_appeals").fetchone()[0] == appeals
            readable = [
                (s, r)
                for s, r in relations
                if not is_denied(
                    bi,
                    sql.SQL("select * from {}.{} limit 0").format(sql.Identifier(s), sql.Identifier(r)).as_string(bi),
                )
            ]
        marts = [(s, r) for s, r in relations if s == "marts"]
        assert len(marts) >= 8 and readable == marts
        assert {s for s, _ in relations} >= {"raw", "staging", "intermediate", "reference", "marts"}
        with connect_as(database_url, names.transformer) as transformer:
            assert is_denied(transformer, "insert into raw.load_batches select * from raw.load_batches")
            assert is_denied(transformer, "delete from raw.appeal_events")


def test_raw_is_append_only_for_every_role_and_only_an_audited_erasure_changes_it(
    warehouse, database_url, server_url, tmp_path
):
    path = tmp_path / "a.jsonl"
    path.write_text(event_line("e1") + "\n{broken\n", encoding="utf-8")
    changes = (
        "update raw.appeal_events set flags = '{}'",
        "delete from raw.appeal_events",
        "truncate raw.appeal_events cascade",
        "update raw.load_batches set loaded = loaded",
        "delete from raw.quarantine",
        "update raw.source_rows set flags = '{}'",
    )
    with private_roles(database_url, server_url) as names:
        with warehouse.connect(autocommit=True) as conn:
            ensure_roles(conn, names)
        with connect_as(database_url, names.loader) as loader:
            loader.autocommit = False
            assert load_event_file(loader, path).loaded == 1  # inserting, and finishing its batch row, works
            loader.autocommit = True
            assert loader.execute("select loaded_by from raw.load_batches").fetchall() == [(names.loader,)]
            for query in changes:  # its UPDATE grant on load_batches does not reach a finished batch
                assert is_denied(loader, query), query
        with connect_as(database_url, names.transformer) as transformer:
            assert transformer.execute("select count(*) from raw.appeal_events").fetchone() == (1,)
            for query in changes + ("insert into raw.quarantine select * from raw.quarantine",):
                assert is_denied(transformer, query), query
        with connect_as(database_url, names.bi) as bi:
            assert is_denied(bi, "select * from raw.appeal_events")
        # The owner too: the trigger refuses whoever asks, outside an erasure's transaction.
        with warehouse.connect() as owner:
            for query in changes:
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                    owner.execute(query)
                owner.rollback()
            owner.execute(
                "insert into privacy.erasure_requests (kind, target_sha256, requested_by)"
                " values ('appeal', 'test', 'test')"
            )
            assert owner.execute("update raw.appeal_events set flags = '{erased}'").rowcount == 1
            owner.rollback()  # the request and the change go together, or neither
            assert owner.execute("select count(*) from privacy.erasure_requests").fetchone() == (0,)

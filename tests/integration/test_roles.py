"""`tsur db roles`: the loader writes raw only, the transformer builds from raw, BI reads the marts only."""

import json
import shutil
import tempfile
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from lib.embedded import EmbeddedPostgres
from lib.roles import bi_role_for_build, ensure_roles, scram_verifier
from orchestration.cli import main
from sources.events import load_event_file
from tests.conftest import run_dbt
from tests.dbroles import connect_as, is_denied, login_url, private_roles

AS_OF = "2026-01-20T00:00:00+00:00"


def event_line(event_id: str) -> str:
    return json.dumps(
        {
            "event_id": event_id,
            "source": "hotline-nao",
            "channel": "hotline",
            "appeal_id": "HL-1",
            "event_type": "received",
            "occurred_at": "2025-03-03T10:00:00+03:00",
            "author": {"name": "Иванов Иван Иванович", "phone": "+7 911 555-11-22"},
        }
    )


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


def _user_url(database_url: str, user: str, password: str) -> str:
    tcp = login_url(database_url, user, password)
    params = psycopg.conninfo.conninfo_to_dict(tcp or database_url)
    host = params["host"]
    where = (
        f"@{host}:{params['port']}/{params['dbname']}"
        if not host.startswith("/")
        else f"@/{params['dbname']}?host={host}&port={params['port']}"
    )
    return f"postgresql://{user}:{password}{where}"


def test_roles_need_createrole_and_the_message_says_so(tsur_env, database_url, server_url, capsys, monkeypatch):
    owner, password = f"tsur_owner_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    with private_roles(database_url, server_url, extra=(owner,)) as names:
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("create role {} login password {}").format(
                    sql.Identifier(owner), sql.Literal(scram_verifier(password))
                )
            )
            admin.execute(
                sql.SQL("alter database {} owner to {}").format(
                    sql.Identifier(admin.info.dbname), sql.Identifier(owner)
                )
            )
        monkeypatch.setenv("TSUR_DATABASE_URL", _user_url(database_url, owner, password))
        assert main(["db", "roles"]) == 1
        err = capsys.readouterr().err
        assert "lacks CREATEROLE" in err and names.bi in err and password not in err
        # Once an administrator made the roles, the warehouse's owner can keep their grants up to date.
        with psycopg.connect(database_url, autocommit=True) as admin:
            for name in names.all():
                admin.execute(sql.SQL("create role {} nologin").format(sql.Identifier(name)))
        assert main(["db", "roles"]) == 0
        out = capsys.readouterr().out
        assert "roles already in place" in out and f"grant {names.bi} to" in out
        with psycopg.connect(database_url) as admin:
            assert admin.execute(
                "select has_table_privilege(%s, 'raw.appeal_events', 'insert')", (names.loader,)
            ).fetchone() == (True,)


def test_a_loader_login_runs_tsur_ingest_and_nothing_more(tsur_env, database_url, server_url, capsys, monkeypatch):
    from lib.warehouse import Warehouse

    Warehouse().start()  # the administrator migrates once
    path = tsur_env / "a.jsonl"
    path.write_text(event_line("e1") + "\n", encoding="utf-8")
    with private_roles(database_url, server_url) as names:
        with psycopg.connect(database_url, autocommit=True) as admin:
            ensure_roles(admin, names)
            admin.execute(
                sql.SQL("alter role {} login password {}").format(
                    sql.Identifier(names.loader), sql.Literal(scram_verifier("loader-pw"))
                )
            )
        monkeypatch.setenv("TSUR_DATABASE_URL", _user_url(database_url, names.loader, "loader-pw"))
        assert main(["ingest", str(path)]) == 0
        assert "loaded 1" in capsys.readouterr().out
        with Warehouse().connect() as conn:
            assert conn.execute("select current_user").fetchone() == (names.loader,)
            assert is_denied(conn, "create schema staging")


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


@pytest.fixture
def embedded_home(monkeypatch):
    monkeypatch.delenv("TSUR_DATABASE_URL", raising=False)
    monkeypatch.delenv("TSUR_ROLE_PREFIX", raising=False)
    monkeypatch.delenv("TSUR_BI_ROLE", raising=False)
    path = Path(tempfile.mkdtemp(prefix="tsur-roles-"))
    path.chmod(0o755)
    monkeypatch.setenv("TSUR_HOME", str(path))
    yield path
    EmbeddedPostgres(path).stop()
    shutil.rmtree(path, ignore_errors=True)


def test_embedded_roles_log_in_over_tcp_with_a_kept_password(embedded_home, capsys):
    # The embedded server makes the pipeline's roles when it starts: the command finds them in place.
    assert main(["db", "roles"]) == 0
    assert "roles already in place" in capsys.readouterr().out
    assert main(["db", "url", "--bi"]) == 0
    url = capsys.readouterr().out.strip()
    stored = json.loads((embedded_home / "role-passwords.json").read_text())
    assert (embedded_home / "role-passwords.json").stat().st_mode & 0o777 == 0o600
    assert url.startswith(f"postgresql://tsur_bi:{stored['tsur_bi']}@127.0.0.1:")
    with psycopg.connect(url, connect_timeout=10) as bi:
        assert bi.execute("select current_user").fetchone() == ("tsur_bi",)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bi.execute("select * from raw.appeal_events")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(url.replace(stored["tsur_bi"], "wrong"), connect_timeout=10)
    assert main(["db", "roles"]) == 0  # nothing to change the second time, the password included
    assert "roles already in place" in capsys.readouterr().out
    assert main(["db", "status"]) == 0 and stored["tsur_bi"] not in capsys.readouterr().out


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


def test_a_role_of_its_own_login_is_taken_from_its_url(warehouse, database_url, server_url, monkeypatch):
    with private_roles(database_url, server_url) as names:
        with warehouse.connect(autocommit=True) as conn:
            ensure_roles(conn, names)
            conn.execute(
                sql.SQL("alter role {} login password {}").format(
                    sql.Identifier(names.transformer), sql.Literal(scram_verifier("tr-pw"))
                )
            )
        url = _user_url(database_url, names.transformer, "tr-pw")
        monkeypatch.setenv("TSUR_TRANSFORMER_URL", url)
        with warehouse.connect("transformer") as conn:
            assert conn.execute("select session_user, current_user").fetchone() == (names.transformer,) * 2
        assert warehouse.dbt_env()["TSUR_PG_USER"] == names.transformer
        assert "role=" not in warehouse.dbt_env()["PGOPTIONS"]
        assert names.transformer in warehouse.sqlalchemy_url(role="transformer")
        # Without its own URL, the URL's user switches to the role.
        monkeypatch.delenv("TSUR_TRANSFORMER_URL")
        with warehouse.connect("loader") as conn:
            assert conn.execute("select current_user").fetchone() == (names.loader,)
        assert f"-c role={names.transformer}" in warehouse.dbt_env()["PGOPTIONS"]

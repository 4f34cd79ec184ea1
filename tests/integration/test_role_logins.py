"""Logging in as the pipeline's roles: `tsur db roles` needs CREATEROLE and says so, a loader login runs
`tsur ingest` and nothing more, the embedded server's roles log in over TCP with a kept password, and a role
with a login of its own is taken from its URL."""

import json
import shutil
import tempfile
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from lib.embedded import EmbeddedPostgres
from lib.roles import ensure_roles, scram_verifier
from orchestration.cli import main
from tests.dbroles import is_denied, login_url, private_roles
from tests.integration.roles_helpers import event_line


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

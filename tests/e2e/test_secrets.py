"""Secrets stay secret: a whole run with a distinctive database password and pseudonym key, then failing
connections, and neither the password, nor the key, nor its HMAC pads appear in any output, log, Dagster
event, dbt file, server log or table."""

import time
import traceback
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from lib import pii
from lib.config import DBT_PROJECT_DIR
from lib.roles import scram_verifier
from tests.conftest import fresh_database, project_env
from tests.dbroles import drop_roles, login_url
from tests.pii_scan import PiiScanner

pytestmark = pytest.mark.slow
AS_OF = "2026-01-25T00:00:00+00:00"


def _socket_or_tcp_url(database_url: str, user: str, password: str) -> str:
    """The test database for `user` over TCP with the password when the server listens there; else the
    same socket URL with the password written in (the socket trusts, but the URL still carries it)."""
    tcp = login_url(database_url, user, password)
    if tcp:
        p = psycopg.conninfo.conninfo_to_dict(tcp)
        return f"postgresql://{user}:{password}@127.0.0.1:{p['port']}/{p['dbname']}"
    p = psycopg.conninfo.conninfo_to_dict(database_url)
    return f"postgresql://{user}:{password}@/{p['dbname']}?host={p['host']}&port={p['port']}"


def _files_with(root: Path, secrets: dict[str, str], since: float) -> list[str]:
    hits = []
    for path in (p for p in root.rglob("*") if p.is_file() and p.stat().st_mtime >= since):
        data = path.read_bytes()
        hits += [f"{path}: {name}" for name, value in secrets.items() if value.encode() in data]
    return hits


def _server_log(server_url: str) -> Path | None:
    with psycopg.connect(server_url) as conn:
        data_dir = Path(conn.execute("show data_directory").fetchone()[0])
    log = data_dir.parent / "server.log"  # where lib.embedded keeps it
    return log if log.exists() else None


def test_no_secret_in_outputs_logs_events_or_tables(server_url, dbt_manifest, tmp_path, capfd):
    from sources.sample import generate_sample

    started = time.time() - 1
    owner = f"tsur_secret_{uuid.uuid4().hex[:8]}"
    password = f"Pw-{uuid.uuid4().hex}-zq"
    key = f"pii-key-{uuid.uuid4().hex}"
    inner, outer = pii.hmac_pads(key.encode())
    secrets = {"password": password, "key": key, "inner pad": inner, "outer pad": outer}
    with fresh_database(server_url) as admin_url, project_env(admin_url, tmp_path), pytest.MonkeyPatch.context() as mp:
        try:
            with psycopg.connect(admin_url, autocommit=True) as admin:
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
            url = _socket_or_tcp_url(admin_url, owner, password)
            mp.setenv("TSUR_DATABASE_URL", url)
            mp.setenv("TSUR_PII_KEY", key)
            generate_sample(tmp_path / "landing", scale=0.01)
            said = run_and_fail(url, password, tmp_path, capfd)
            assert "Готово." in said
            assert not [name for name, value in secrets.items() if value in said]

            # Everything the run wrote: its home (logs, Dagster's storage), exports, dbt's files, the server log.
            written = _files_with(tmp_path, secrets, started) + _files_with(DBT_PROJECT_DIR, secrets, started)
            log = _server_log(server_url)
            if log:
                written += _files_with(log.parent, secrets, 0)
            assert written == []
            assert any((tmp_path / "home").rglob("*.log")), "the run left no log to look into"
            # And everything stored in the database, Dagster's runs and events included.
            scanner = PiiScanner({name: [value] for name, value in secrets.items()}, shapes=False)
            with psycopg.connect(admin_url, options=pii.pgoptions(key.encode())) as conn:
                schemas = [
                    s
                    for (s,) in conn.execute(
                        "select nspname from pg_namespace where nspname not like 'pg\\_%%'"
                        " and nspname <> 'information_schema'"
                    )
                ]
                report = scanner.scan_schemas(conn, schemas)
                events = conn.execute("select count(*) from dagster.event_logs").fetchone()[0]
            assert {"raw", "staging", "marts", "dagster"} <= set(schemas)
            assert events > 100 and report.rows > 1000
            assert report.findings == []
        finally:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("alter database {} owner to current_user").format(sql.Identifier(admin.info.dbname))
                )
            drop_roles(admin_url, server_url, [owner])


def run_and_fail(url: str, password: str, tmp_path: Path, capfd) -> str:
    """A whole run the way people start it, with Dagster's log on the console; then connections that fail
    (refused for the password, and URLs libpq cannot parse, whose errors quote the password). Returns
    everything printed."""
    from lib.warehouse import Warehouse
    from orchestration.cli import main
    from orchestration.definitions import defs

    assert main(["run", "-v", "--as-of", AS_OF]) == 0
    assert main(["db", "status"]) == 0 and main(["db", "start"]) == 0
    with Warehouse().connect() as conn:
        assert conn.execute("select count(*) from marts.fct_appeals").fetchone()[0] > 50
        over_tcp = conn.info.host == "127.0.0.1"
    errors: list[str] = []
    broken = [url.replace(password, f"{password} x"), url.replace(password, password + "%zz")]
    if over_tcp:  # a socket that trusts would let a wrong password in
        broken.insert(0, url.replace(password, password + "-wrong"))
    with pytest.MonkeyPatch.context() as mp:
        for bad in broken:
            mp.setenv("TSUR_DATABASE_URL", bad)
            with pytest.raises(psycopg.Error) as caught:
                main(["ingest", str(tmp_path / "landing")])
            errors.append("".join(traceback.format_exception(caught.value)))
        result = defs.resolve_job_def("tsur_build").execute_in_process(raise_on_error=False)
    assert not result.success
    failures = [e.step_failure_data.error for e in result.all_events if e.is_step_failure]
    assert failures
    errors += [f.to_string() for f in failures] + [str(e) for e in result.all_events]
    assert not [m for m in errors if password in m]
    assert sum("***" in m for m in errors) >= 3  # the password was there to leak, and was redacted
    captured = capfd.readouterr()
    return captured.out + captured.err + "\n".join(errors)

"""Test fixtures: a real PostgreSQL (embedded by default, TSUR_DATABASE_URL if set), a fresh database per test."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from lib.dbt import dbt_args, dbt_executable
from lib.embedded import EmbeddedPostgres
from lib.warehouse import conninfo_uri

TEST_PII_KEY = "test-key-not-secret"
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")


def pytest_sessionstart(session):
    """Parse dbt before collection: modules that define the dbt assets read its manifest on import."""
    from orchestration.defs.transform.project import ensure_manifest

    ensure_manifest()


@pytest.fixture(scope="session")
def server_url() -> str:
    """Admin URL of the server the tests use: TSUR_DATABASE_URL's server, else a private embedded one."""
    external = os.environ.get("TSUR_DATABASE_URL")
    if external:
        yield external
        return
    # Not under pytest's temp folder: pytest keeps it private (0700), and the server may run as another user.
    home = Path(tempfile.mkdtemp(prefix="tsur-test-"))
    home.chmod(0o755)
    server = EmbeddedPostgres(home)
    server.acquire()
    yield server.url(database="postgres")
    server.release()
    shutil.rmtree(home, ignore_errors=True)


def _with_database(url: str, name: str) -> str:
    params = psycopg.conninfo.conninfo_to_dict(url)
    params["dbname"] = name
    return psycopg.conninfo.make_conninfo(**params)


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    name = f"tsur_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    try:
        yield conninfo_uri(_with_database(server_url, name))
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


@contextmanager
def project_env(database_url: str, folder: Path) -> Iterator[Path]:
    """Point every part of the project at a database and private folders, then restore the environment."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TSUR_DATABASE_URL", database_url)
        mp.setenv("TSUR_PII_KEY", TEST_PII_KEY)
        mp.setenv("TSUR_HOME", str(folder / "home"))
        mp.setenv("TSUR_LANDING_DIR", str(folder / "landing"))
        mp.setenv("TSUR_EXPORT_DIR", str(folder / "out"))
        yield folder


@pytest.fixture
def database_url(server_url) -> str:
    with fresh_database(server_url) as url:
        yield url


@pytest.fixture
def tsur_env(database_url, tmp_path):
    with project_env(database_url, tmp_path) as folder:
        yield folder


@pytest.fixture
def warehouse(tsur_env):
    from lib.warehouse import Warehouse

    return Warehouse().start()


@pytest.fixture
def conn(warehouse):
    # Autocommit: loaders run their own transaction per file and refuse to run inside an open one.
    with warehouse.connect(autocommit=True) as connection:
        yield connection


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """dbt's manifest, parsed once: DbtProject.prepare_if_dev() does nothing under pytest."""
    from orchestration.defs.transform.project import ensure_manifest

    return ensure_manifest()


def run_dbt(warehouse, *args: str) -> subprocess.CompletedProcess:
    """Run the dbt CLI against the test database and fail with its output if it fails."""
    env = {**os.environ, **warehouse.dbt_env()}
    result = subprocess.run([dbt_executable(), *dbt_args(*args)], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    if args and args[0] in ("build", "run") and "schema_suffix" not in " ".join(args):
        publish_build(warehouse)  # as `tsur build` does after its checks: tests read the published marts
    return result


def publish_build(warehouse) -> None:
    """Publish marts_build as marts (orchestration/publish.py), granted to the BI role if it exists."""
    from lib.roles import RoleNames
    from orchestration.publish import publish

    with warehouse.connect() as conn:
        publish(conn, run_id=None, bi_role=RoleNames.from_env().bi)

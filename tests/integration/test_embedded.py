"""The embedded PostgreSQL: starts on demand, listens on a socket and on 127.0.0.1, stops with its last user."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from lib.embedded import EmbeddedPostgres


@pytest.fixture
def home(monkeypatch):
    monkeypatch.delenv("TSUR_DATABASE_URL", raising=False)
    monkeypatch.delenv("TSUR_PII_KEY", raising=False)
    path = Path(tempfile.mkdtemp(prefix="tsur-embedded-"))
    path.chmod(0o755)
    monkeypatch.setenv("TSUR_HOME", str(path))
    yield path
    EmbeddedPostgres(path).stop()
    shutil.rmtree(path, ignore_errors=True)


def test_warehouse_starts_its_own_server_and_migrates(home):
    from lib.warehouse import Warehouse

    wh = Warehouse().start()
    assert wh.server is not None and wh.url().startswith("postgresql://postgres@/tsur?host=")
    with wh.connect() as conn:
        assert conn.execute("select count(*) from raw.schema_migrations").fetchone()[0] >= 2
    info = wh.server.postmaster()
    # BI tools reach it over TCP on loopback, with a password (scram), never trust.
    with socket.create_connection(("127.0.0.1", info.port), timeout=5):
        pass
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(f"postgresql://postgres@127.0.0.1:{info.port}/tsur", connect_timeout=5)
    # With no TSUR_PII_KEY, a key is generated once and kept private.
    key = wh.settings.pii_key
    assert len(key) == 64 and (home / "pii.key").stat().st_mode & 0o777 == 0o600
    assert Warehouse().settings.pii_key == key
    wh.server.release()
    assert wh.server.postmaster() is None


def test_server_stays_while_another_process_holds_it(home):
    server = EmbeddedPostgres(home)
    code = (
        "import sys, time; from pathlib import Path; from lib.embedded import EmbeddedPostgres;"
        "s = EmbeddedPostgres(Path(sys.argv[1])); s.acquire(); print('up', flush=True); sys.stdin.read()"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(home)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env=os.environ.copy(),
    )
    assert child.stdout.readline().strip() == "up"
    server.acquire()
    server.release()
    assert server.postmaster() is not None, "the child still holds the server"
    child.stdin.close()
    child.wait(timeout=60)
    assert server.postmaster() is None, "the last user stopped it"


def test_persistent_start_survives_its_process(home):
    code = (
        "import sys; from pathlib import Path; from lib.embedded import EmbeddedPostgres;"
        "EmbeddedPostgres(Path(sys.argv[1])).acquire(persistent=True)"
    )
    subprocess.run([sys.executable, "-c", code, str(home)], check=True, cwd=Path(__file__).resolve().parents[2])
    server = EmbeddedPostgres(home)
    assert server.postmaster() is not None
    assert server.stop() is True
    assert server.postmaster() is None

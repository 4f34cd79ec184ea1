"""`tsur serve`: with the daemon running, a file dropped in the landing folder reaches the published marts with
no other command (landing sensor → load → build sensor → build, checks, publication), and SIGTERM stops it."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.slow
APPEAL = "SERVE-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def published(url: str) -> int | None:
    with psycopg.connect(url) as conn:
        if conn.execute("select to_regclass('marts.fct_appeals')").fetchone()[0] is None:
            return None
        return conn.execute("select count(*) from marts.fct_appeals where appeal_id = %s", (APPEAL,)).fetchone()[0]


def test_a_dropped_file_reaches_the_marts_with_no_other_command(tsur_env, database_url):
    landing = tsur_env / "landing" / "hotline"
    landing.mkdir(parents=True)
    env = {**os.environ, "TSUR_SENSOR_SECONDS": "5", "TSUR_LANDING_SETTLE_SECONDS": "1"}
    tsur = Path(sys.executable).parent / "tsur"
    log = (tsur_env / "serve.log").open("w")
    serve = subprocess.Popen(
        [str(tsur), "serve", "--port", str(free_port())],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        event = {
            "schema": "appeal-event/1",
            "event_id": f"{APPEAL}-1",
            "source": "hotline-nao",
            "channel": "hotline",
            "appeal_id": APPEAL,
            "event_type": "received",
            "occurred_at": "2026-11-30T10:00:00+03:00",
            "category": {"code": "roads.snow"},
        }
        (landing / "dropped.jsonl").write_text(json.dumps(event, ensure_ascii=False) + "\n", encoding="utf-8")
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and not published(database_url):
            assert serve.poll() is None, (tsur_env / "serve.log").read_text()[-3000:]
            time.sleep(5)
        assert published(database_url) == 1, (tsur_env / "serve.log").read_text()[-3000:]
        with psycopg.connect(database_url) as conn:
            runs = conn.execute("select count(*) from quality.publications").fetchone()[0]
        assert runs >= 1
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            code = serve.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            raise
        log.close()
    assert code == 0, (tsur_env / "serve.log").read_text()[-3000:]

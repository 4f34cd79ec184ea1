"""Fault suite 2: a load killed with SIGKILL at a random moment, then run again to the end, leaves raw
tables equal to those of a clean run, row for row (lineage aside, see cases.py).

Each kill is aimed into the load itself: the loader runs in its own process, tagged through PGAPPNAME; the
test waits until a random number of files is committed and the next file's transaction is open in the
server, waits a random few milliseconds more, and kills. Whatever was open then must vanish whole.
"""

import os
import random
import signal
import subprocess
import time

import pytest

from expectations.batches import load_batches
from lib.config import PROJECT_ROOT
from tests.conftest import fresh_database, project_env
from tests.faults.cases import CASES, first_difference, raw_state

pytestmark = pytest.mark.slow
SEEDS = (11, 23, 37, 41)


def start_loader(case, files, app_name: str) -> subprocess.Popen:
    env = {**os.environ, "PGAPPNAME": app_name}
    return subprocess.Popen(
        case.command(files), cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def open_transaction(conn, app_name: str) -> bool:
    return (
        conn.execute(
            "select count(*) from pg_stat_activity where application_name = %s and xact_start is not null", (app_name,)
        ).fetchone()[0]
        > 0
    )


def committed_batches(conn, case) -> int:
    return conn.execute(
        "select count(*) from raw.load_batches where loader = any(%s)", (list(case.loaders),)
    ).fetchone()[0]


def kill_during_a_load(case, files, conn, rng: random.Random, app_name: str) -> dict:
    """Start the loader, kill it inside a file's transaction after a random number of committed files."""
    target = rng.randrange(len(files) - 1)
    process = start_loader(case, files, app_name)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if committed_batches(conn, case) >= target and open_transaction(conn, app_name):
            break
        time.sleep(0.002)
    time.sleep(rng.uniform(0, 0.01))  # short: a small export's transaction lasts tens of milliseconds
    # The sleep may end between two files' transactions: wait for the next one to open, then kill at once,
    # so the kill lands inside a transaction at a random point of it (CI once saw 2 of 4 land between).
    in_transaction = open_transaction(conn, app_name)
    while not in_transaction and time.monotonic() < deadline and process.poll() is None:
        in_transaction = open_transaction(conn, app_name)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    while open_transaction(conn, app_name):  # the server notices the dead client and rolls back
        time.sleep(0.01)
    return {"target": target, "in_transaction": in_transaction, "killed": process.returncode == -signal.SIGKILL}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_killed_load_rerun_equals_a_clean_load(case, server_url, tmp_path):
    from lib.warehouse import Warehouse

    files = case.write(tmp_path / "landing", 0.05)
    with fresh_database(server_url) as url, project_env(url, tmp_path / "clean"):
        with Warehouse().start().connect() as conn:
            clean_run = start_loader(case, files, "tsur-clean")
            assert clean_run.wait(timeout=300) == 0, clean_run.stderr.read()
            clean = raw_state(conn, case)
    assert len(clean["raw.load_batches"]) == len(files)

    kills = []
    for seed in SEEDS:
        app_name = f"tsur-kill-{seed}"
        with fresh_database(server_url) as url, project_env(url, tmp_path / str(seed)):
            with Warehouse().start().connect(autocommit=True) as conn:
                kill = kill_during_a_load(case, files, conn, random.Random(seed), app_name)
                kill["committed"] = committed_batches(conn, case)
                # What survived the kill is whole: each committed batch with all its rows, nothing else.
                assert load_batches(conn).success, load_batches(conn).message()
                survived = raw_state(conn, case)
                for table, rows in survived.items():
                    assert set(rows) <= set(clean[table]), table
                rerun = start_loader(case, files, f"{app_name}-rerun")
                out, err = rerun.communicate(timeout=300)
                assert rerun.returncode == 0, err
                assert out.count(": already loaded, skipped") == kill["committed"]
                after = raw_state(conn, case)
            for table in clean:
                assert after[table] == clean[table], (
                    f"seed {seed}, {table}: {first_difference(after[table], clean[table])}"
                )
            kills.append(kill)
    # The kills really hit loads in progress: killed processes, most inside an open transaction, at
    # different points of the run.
    assert all(k["killed"] for k in kills)
    assert sum(k["in_transaction"] for k in kills) >= len(SEEDS) - 1
    assert len({k["committed"] for k in kills}) >= 2 and all(k["committed"] < len(files) for k in kills)
    print(f"\nSIGKILL suite ({case.name}): {len(files)} files, kills {kills}")

"""Fault suite 1: the same files loaded twice, forced again, and in reverse order — no duplicate rows, and
the same raw rows and the same facts whatever the order."""

import pytest

from expectations.batches import load_batches
from tests.conftest import fresh_database, project_env
from tests.faults.cases import CASES, LINEAGE, build, first_difference, raw_state, schema_digests

pytestmark = pytest.mark.slow
VARIABLES = {"as_of": "2026-01-25T00:00:00+00:00", "batch_hwm": None}


def load_twice_and_forced(case, conn, files) -> dict[str, list[str]]:
    """Loads the files, then again (skipped), then forced (every line met again); returns the raw state
    after the first pass, checking that the repetitions changed no stored row."""
    first = [case.load(conn, path) for path in files]
    assert not any(r.skipped_file for r in first)
    state = raw_state(conn, case)
    assert all(case.load(conn, path).skipped_file for path in files)
    assert raw_state(conn, case) == state
    again = [case.load(conn, path, force=True) for path in files]
    for before, after in zip(first, again):
        # Valid lines come back as duplicates, bad ones are quarantined again; nothing new is stored.
        assert (after.lines_read, after.loaded) == (before.lines_read, 0)
        assert after.duplicates == before.loaded + before.duplicates
        assert after.quarantined == before.quarantined
    for table in case.tables:
        assert raw_state(conn, case)[table] == state[table], table
    return state


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_twice_and_reversed_give_the_same_rows_and_facts(case, server_url, dbt_manifest, tmp_path):
    from lib.warehouse import Warehouse

    files = case.write(tmp_path / "landing", 0.03)
    assert len(files) >= 20
    states, facts = {}, {}
    for order in ("forward", "reversed"):
        with fresh_database(server_url) as url, project_env(url, tmp_path / order):
            warehouse = Warehouse().start()
            with warehouse.connect(autocommit=True) as conn:
                if order == "forward":
                    states[order] = load_twice_and_forced(case, conn, files)
                else:
                    assert not any(case.load(conn, path).skipped_file for path in reversed(files))
                    states[order] = raw_state(conn, case)
                assert load_batches(conn).success, load_batches(conn).message()
                for table in case.tables:  # no key twice (the primary key says so too; this says it here)
                    total, distinct = conn.execute(
                        f"select count(*), count(distinct ({case.key})) from {table}"
                    ).fetchone()
                    assert total == distinct > 0
            build(warehouse, VARIABLES)
            with warehouse.connect(autocommit=True) as conn:
                facts[order] = schema_digests(conn, "marts", LINEAGE)
    for table, forward in states["forward"].items():
        backward = states["reversed"][table]
        assert sorted(forward) == sorted(backward), f"{table}: {first_difference(forward, backward)}"
    assert facts["forward"] == facts["reversed"]
    assert facts["forward"]["fct_appeals"][0] > 200 and len(facts["forward"]) >= 8

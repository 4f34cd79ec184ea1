"""152-ФЗ erasure on a sample year built by the Dagster job: one author's names, contacts, addresses and texts
gone from every table, the request audited without them, figures after the rebuild unchanged but for what the
erased data alone decided, and a second erasure changing nothing. Text retention blanks closed appeals only."""

import hashlib
from datetime import UTC, datetime

import psycopg
import pytest

from orchestration.defs.transform.assets import dbt_run_config
from sources.classify import store
from sources.sample import build_world, generate_sample
from tests.conftest import TEST_PII_KEY, fresh_database, project_env
from tests.dbroles import private_roles
from tests.e2e.test_personal_data import _hmac, author_identity, exported_author, pseudonymous_session
from tests.pii_scan import PiiScanner, sample_identities

pytestmark = pytest.mark.slow
SCALE = 0.03
AS_OF = datetime(2026, 1, 25, tzinfo=UTC)
# What an author's erasure may move, and why (docs/privacy.md): repeats and conflicts found by the author or
# the address; nothing else.
MOVABLE = {"repeated", "repeat_share"}
RAW = ("appeal_events", "source_rows", "quarantine", "load_batches", "appeal_labels")


@pytest.fixture(scope="module")
def built(server_url, dbt_manifest, tmp_path_factory):
    from lib.roles import ensure_roles
    from lib.warehouse import Warehouse
    from orchestration.definitions import defs

    with (
        fresh_database(server_url) as url,
        project_env(url, tmp_path_factory.mktemp("erase")),
        private_roles(url, server_url) as names,
    ):
        warehouse = Warehouse().start()
        generate_sample(warehouse.settings.landing_dir, scale=SCALE)
        with warehouse.connect(autocommit=True) as conn:
            ensure_roles(conn, names)
        job = defs.resolve_job_def("tsur_all")
        assert job.execute_in_process(run_config=dbt_run_config(job, as_of=AS_OF.isoformat())).success
        yield warehouse, names, build_world(2025, 20251, SCALE)


def rebuild() -> None:
    from orchestration.definitions import defs

    job = defs.resolve_job_def("tsur_build")
    assert job.execute_in_process(run_config=dbt_run_config(job, as_of=AS_OF.isoformat())).success


def raw_digest(conn) -> dict[str, str]:
    return {
        t: conn.execute(
            f"select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from raw.{t} as t"
        ).fetchone()[0]
        for t in RAW
    }


def figures(conn) -> dict[tuple, object]:
    return {
        tuple(r[:5]): r[5]
        for r in conn.execute(
            "select period_kind, period_start, slice_kind, slice_code, indicator, value from marts.mart_kpi_values"
        )
    }


def chosen_author(conn, world):
    """An author with two or more appeals in the marts, whose identities no one else in the sample shares."""
    by_key = {f"{a.source}/{a.appeal_id}": a for a in world.appeals}
    rows = conn.execute(
        "select author_key, array_agg(appeal_key) from marts.fct_appeals where author_key is not null"
        " group by 1 having count(*) >= 2 order by count(*) desc, 1"
    ).fetchall()
    for key, appeals in rows:
        mine = [by_key[a] for a in appeals]
        if len({id(a.person) for a in mine}) != 1:
            continue
        if {id(a) for a in world.appeals if a.person is mine[0].person} != {id(a) for a in mine}:
            continue  # they also wrote under another key (a name in one channel, a phone in another)
        others = sample_identities([a for a in world.appeals if a.person is not mine[0].person])
        own = {kind: values - others[kind] for kind, values in sample_identities(mine).items()}
        if own["name"] and own["phone"] and own["address"]:
            # The key the marts show is the HMAC of the identity, computed here from the world itself.
            assert _hmac(TEST_PII_KEY, author_identity(exported_author(mine[0]))) == key
            return key, mine, own
    raise AssertionError("no author with identities of their own in the sample")


def test_an_erased_author_is_gone_and_only_their_figures_move(built, capsys):
    from orchestration.cli import main

    warehouse, names, world = built
    with warehouse.connect() as conn:
        key, appeals, own = chosen_author(conn, world)
        before = figures(conn)
    theirs = [a.text.casefold() for a in world.appeals if a.person is not appeals[0].person]
    texts = {a.text[:40] for a in appeals if len(a.text) >= 40}
    texts = {t for t in texts if not any(t.casefold() in o for o in theirs)}  # templated phrasings are shared
    assert texts
    scanner = PiiScanner({**own, "text": texts}, shapes=False)
    others = PiiScanner(
        sample_identities([a for a in world.appeals if a.person is not appeals[0].person]), shapes=False
    )
    with warehouse.connect() as conn:
        assert scanner.scan_schemas(conn, ["raw"]).findings  # the scanner sees them before
    assert main(["erase", "--author-key", key, "--reason", "заявление № 17"]) == 0
    out = capsys.readouterr().out
    assert f"{len(appeals)} appeals" in out and "marker batch" in out
    rebuild()
    schemas = ["raw", "staging", "intermediate", "marts", "marts_build", "reference", "quality", "privacy", "reports"]
    with pseudonymous_session(warehouse) as conn:  # the staging views compute pseudonyms with the key
        found = scanner.scan_schemas(conn, schemas)
        assert found.findings == [] and found.rows > 10_000, found.findings[:8]
        assert others.scan_schemas(conn, ["raw"]).findings  # everyone else is still there
        audit = conn.execute(
            "select kind, target_sha256, reason, appeals, rows_changed, finished_at is not null,"
            " batch_id is not null, row(r.*)::text from privacy.erasure_requests as r"
        ).fetchall()
        assert [a[:4] for a in audit] == [
            ("author_key", hashlib.sha256(key.encode()).hexdigest(), "заявление № 17", len(appeals))
        ]
        assert sum(audit[0][4].values()) >= len(appeals) and audit[0][5] and audit[0][6] and key not in audit[0][7]
        # The marts forget the key; the appeals stay, with every figure but the repeats the author made.
        assert conn.execute("select count(*) from marts.fct_appeals where author_key = %s", (key,)).fetchone() == (0,)
        kept = conn.execute(
            "select count(*) from marts.fct_appeals where appeal_key = any(%s)",
            ([f"{a.source}/{a.appeal_id}" for a in appeals],),
        ).fetchone()
        assert kept == (len(appeals),)
        after = figures(conn)
        texts_left = conn.execute(
            "select count(*) from raw.appeal_events where 'erased' = any(flags) and payload->>'text' is not null"
        ).fetchone()
        digest = raw_digest(conn)
        # What the classifier trains on and the review worklist shows is read from raw: their texts are gone.
        inputs = conn.execute(
            store.inputs_sql("%(keys)s"), {"keys": [f"{a.source}/{a.appeal_id}" for a in appeals]}
        ).fetchall()
    assert texts_left == (0,)
    assert len(inputs) == len(appeals) and all(row[4] is None for row in inputs)
    moved = {k[4] for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert moved <= MOVABLE, moved
    # Again: nothing left to erase, nothing changes; the request is recorded all the same.
    assert main(["erase", "--author-key", key]) == 0
    assert "nothing left to erase" in capsys.readouterr().out
    with warehouse.connect() as conn:
        assert raw_digest(conn) == digest
        assert conn.execute("select count(*), count(batch_id) from privacy.erasure_requests").fetchone() == (2, 1)


def test_an_appeal_and_a_line_are_erased_by_their_own_handles_and_the_roles_cannot(built, capsys):
    from orchestration.cli import main

    warehouse, names, _ = built
    with warehouse.connect() as conn:
        source, appeal_id = conn.execute(
            "select source, payload->>'appeal_id' from raw.appeal_events"
            " where payload->>'text' is not null order by 1, 2 limit 1"
        ).fetchone()
        origin, line_no = conn.execute(
            "select origin, line_no from raw.quarantine where raw_text is not null order by quarantine_id limit 1"
        ).fetchone()
    assert main(["erase", "--appeal", f"{source}:{appeal_id}"]) == 0
    assert main(["erase", "--source-row", f"{origin}:{line_no}"]) == 0
    assert main(["erase", "--appeal", "no-colon"]) == 1 and "SOURCE:APPEAL_ID" in capsys.readouterr().err
    with warehouse.connect() as conn:
        left = conn.execute(
            "select count(*) from raw.appeal_events where source = %s and payload->>'appeal_id' = %s"
            " and (payload->>'text' is not null or payload->'author'->>'name' is not null)",
            (source, appeal_id),
        ).fetchone()
        line = conn.execute(
            "select raw_text, raw_bytes from raw.quarantine where origin = %s and line_no = %s", (origin, line_no)
        ).fetchall()
    assert left == (0,) and line and all(r == (None, None) for r in line)
    # The pipeline's roles cannot take the erasure's way round the guard: they cannot write its audit.
    for role in (names.loader, names.transformer):
        with psycopg.connect(warehouse.url(), autocommit=True) as conn:
            conn.execute(f'set role "{role}"')
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(
                    "insert into privacy.erasure_requests (kind, target_sha256, requested_by)"
                    " values ('appeal', 'x', 'me')"
                )


def test_the_package_is_read_as_the_reporter_with_its_small_cells_hidden(built, capsys):
    """Exports run as the reporter: the as-of picture must be granted to it, as the current marts are."""
    from orchestration.cli import main

    warehouse, names, _ = built
    assert main(["export", "--period", "2025-10"]) == 0, capsys.readouterr().err
    with warehouse.connect() as conn:
        assert conn.execute(
            "select has_schema_privilege(%s, 'marts__asof_2025_10', 'usage'),"
            " has_schema_privilege(%s, 'intermediate__asof_2025_10', 'usage')",
            (names.reporter, names.reporter),
        ).fetchone() == (True, False)
    rows = (warehouse.settings.export_dir / "2025-10" / "r1" / "territories.csv").read_text().splitlines()
    assert len(rows) > 10 and any(",<3" in r for r in rows)


def test_retention_blanks_texts_of_long_closed_appeals_only(built):
    from orchestration.retention import run_retention

    warehouse, _, _ = built
    query = """
        select source || '/' || (payload->>'appeal_id'), bool_or(payload->>'text' is not null),
            bool_or(payload->>'event_type' in ('closed', 'rejected', 'answered')), max(occurred_at)
        from raw.appeal_events group by 1"""
    with warehouse.connect() as conn:
        before = {r[0]: r[1:] for r in conn.execute(query)}
    moment = datetime(2025, 9, 1, tzinfo=UTC)
    report = run_retention(warehouse, now=moment, days=30)
    assert report.rows_changed["appeal_events"] > 0
    with warehouse.connect() as conn:
        after = {r[0]: r[1:] for r in conn.execute(query)}
        people = conn.execute(
            "select count(*) from raw.appeal_events where 'erased' = any(flags)"
            " and payload->'author'->>'name' is not null"
        ).fetchone()[0]
    cutoff = datetime(2025, 8, 2, tzinfo=UTC)
    blanked = {k for k in before if before[k][0] and not after[k][0]}
    assert blanked and all(before[k][1] and before[k][2] < cutoff for k in blanked)
    # Appeals still open, or touched after the cutoff, keep their texts; authors are not retention's business.
    assert all(after[k][0] for k in before if before[k][0] and before[k][2] >= cutoff)
    assert people > 0
    assert run_retention(warehouse, now=moment, days=30).batch_id is None  # nothing more to blank

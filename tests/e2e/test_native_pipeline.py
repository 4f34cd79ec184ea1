"""The sample year in every channel's own format — ПОС/ИМ XLSX, ПОС CSV, СЭД CSV in Windows-1251, Open311 over
HTTP, appeal-event/1 for the hotline — through the whole Dagster job, checked against the simulated world."""

import random
from collections import Counter

import pytest

from tests.conftest import fresh_database, project_env

pytestmark = pytest.mark.slow
SCALE = 0.04


@pytest.fixture(scope="module")
def built(server_url, dbt_manifest, tmp_path_factory):
    from lib.warehouse import Warehouse
    from orchestration.definitions import defs
    from sources.sample import build_world, generate_sample

    with fresh_database(server_url) as url, project_env(url, tmp_path_factory.mktemp("native")):
        warehouse = Warehouse().start()
        sample = generate_sample(warehouse.settings.landing_dir, scale=SCALE)
        world = build_world(2025, 20251, SCALE, rng=random.Random(20251))
        result = defs.resolve_job_def("tsur_all").execute_in_process()
        assert result.success
        with warehouse.connect(autocommit=True) as conn:
            yield sample, world, conn


def test_every_channel_counts_every_appeal_of_the_world(built):
    _, world, conn = built
    want = Counter(a.channel for a in world.appeals)
    got = dict(conn.execute("select channel, count(*) from marts.fct_appeals group by 1").fetchall())
    assert got == dict(want)
    keys = {r[0] for r in conn.execute("select appeal_key from marts.fct_appeals")}
    assert keys == {f"{a.source}/{a.appeal_id}" for a in world.appeals}


def test_facts_agree_with_the_world_where_the_format_carries_them(built):
    _, world, conn = built
    rows = {
        r[0]: r[1:]
        for r in conn.execute(
            "select appeal_key, received_at, category_code, is_rejected, rating from marts.fct_appeals"
        )
    }
    wrong = []
    for a in world.appeals:
        received, category, rejected, rating = rows[f"{a.source}/{a.appeal_id}"]
        state = a.state_at(world.data_end)
        final_category = state.category_code
        # Exports keep time to the minute; Open311 and events to the second.
        if abs((received - a.received_at).total_seconds()) >= 60:
            wrong.append((a.appeal_id, "received_at", received, a.received_at))
        # A source that states no category (text only) leaves it to the classifier: tests/e2e/test_classification.
        if category != final_category and (a.stated != "none" or final_category != a.category_code):
            wrong.append((a.appeal_id, "category", category, final_category))
        if a.channel in ("pos", "hotline") and rating != state.rating:  # Open311 has no ratings
            wrong.append((a.appeal_id, "rating", rating, state.rating))
        # GeoReport knows only open and closed: a rejected request is just closed there.
        if a.channel in ("pos", "incident", "hotline") and rejected != (state.status == "rejected"):
            wrong.append((a.appeal_id, "rejected", rejected, state.status))
    assert not wrong, (Counter((w[1], w[0][:2]) for w in wrong), wrong[:5])


def test_every_broken_row_is_quarantined_and_batches_reconcile(built):
    sample, _, conn = built
    want = Counter(row.kind for row in sample.native.injected)
    want.update(sample.canonical.malformed)
    want.update({"missing_field": 2})  # the two unusable Open311 requests of the feed
    got = Counter(dict(conn.execute("select reason_code, count(*) from raw.quarantine group by 1").fetchall()))
    assert got == want
    bad = conn.execute(
        "select count(*) from raw.load_batches where lines_read <> loaded + duplicates + quarantined"
    ).fetchone()[0]
    assert bad == 0


def test_the_same_landing_folder_again_changes_nothing(built):
    from orchestration.definitions import defs

    _, _, conn = built
    before = conn.execute("select count(*), max(batch_id) from raw.load_batches").fetchone()
    facts = conn.execute(
        "select md5(string_agg(appeal_key || ':' || status || ':' || coalesce(rating, 0)::text,"
        " ',' order by appeal_key)) from marts.fct_appeals"
    ).fetchone()
    assert defs.resolve_job_def("tsur_all").execute_in_process().success
    assert conn.execute("select count(*), max(batch_id) from raw.load_batches").fetchone() == before
    assert (
        conn.execute(
            "select md5(string_agg(appeal_key || ':' || status || ':' || coalesce(rating, 0)::text,"
            " ',' order by appeal_key)) from marts.fct_appeals"
        ).fetchone()
        == facts
    )

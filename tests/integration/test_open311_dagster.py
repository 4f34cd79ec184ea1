"""The Open311 asset, its check and schedule, and `tsur poll-open311`, on a real PostgreSQL and real HTTP."""

import json

import pytest

from orchestration.cli import main
from sources.open311.server import Feed, Open311Server
from sources.sample.open311_feed import write_open311_feed
from sources.sample.world import build_world
from tests.integration.open311_helpers import make_requests, snapshots

DATA = make_requests(30)


@pytest.fixture(autouse=True)
def manifest(dbt_manifest):
    """orchestration.definitions loads the dbt project, which needs its manifest."""
    return dbt_manifest


def run_poll_job():
    from orchestration.definitions import defs

    return defs.resolve_job_def("open311_poll").execute_in_process(raise_on_error=False)


def test_the_asset_loads_the_sample_feed_through_the_local_server(warehouse):
    world = build_world(2025, 20251, 0.05)
    summary = write_open311_feed(world, warehouse.settings.landing_dir / "portal" / "open311.json")
    result = run_poll_job()
    assert result.success
    portal = {a.appeal_id for a in world.appeals if a.channel == "portal"}
    with warehouse.connect() as conn:
        ids = [
            r[0]
            for r in conn.execute(
                "select appeal_id from raw.source_rows where source = 'open311-naryan-mar'"
            ).fetchall()
        ]
        assert sorted(ids) == sorted(portal)  # each real request once, none lost
        quarantine = conn.execute(
            "select reason_code, reason, record_key from raw.quarantine order by reason"
        ).fetchall()
        flags = dict(conn.execute("select appeal_id, flags from raw.source_rows where flags <> '{}'").fetchall())
        batches = conn.execute("select count(*) from raw.load_batches").fetchone()[0]
        origin = conn.execute("select min(origin) from raw.source_rows").fetchone()[0]
    assert [(code, reason.split(":")[0]) for code, reason, _ in quarantine] == [
        ("missing_field", "requested_datetime is missing"),
        ("missing_field", "service_request_id is missing"),
    ]
    assert quarantine[0][2] == f"open311-naryan-mar/{summary.damaged_ids['missing_requested_datetime']}"
    damaged = summary.damaged_ids
    assert flags[damaged["duplicate_key"]] == ["duplicate_key:service_name", "duplicate_key:updated_datetime"]
    assert "bad_media_url" in flags[damaged["null_strings"]]
    assert "bad_updated_at" in flags[damaged["bad_updated_datetime"]]
    assert origin.startswith("http://127.0.0.1:")  # read over HTTP, not from the file
    checks = [e for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    passed = {e.event_specific_data.check_name: e.event_specific_data.passed for e in checks}
    # Batches and windows reconcile; the raw suites and the channel's freshness run on the asset too.
    assert {
        "open311_batches_reconcile",
        "open311_windows_reconcile",
        "gx_raw_open311_windows",
        "gx_raw_source_rows__open311_requests",
        "channel_silence_portal",
    } <= set(passed)
    assert all(passed.values()), passed
    # The next run finds the cursor and nothing new.
    assert run_poll_job().success
    with warehouse.connect() as conn:
        assert conn.execute("select count(*) from raw.load_batches").fetchone()[0] == batches


def test_no_endpoints_and_no_sample_feed_is_a_quiet_no_op(warehouse):
    result = run_poll_job()
    assert result.success
    [materialization] = result.asset_materializations_for_node("raw__open311_requests")
    assert materialization.metadata["endpoints"].value == 0


def test_configured_endpoints_come_from_the_environment_and_one_failure_fails_the_run(warehouse, monkeypatch):
    with Open311Server(Feed(make_requests(4))) as up:
        down = Open311Server(Feed([])).start()
        down_url = down.url
        down.stop()
        monkeypatch.setenv(
            "TSUR_OPEN311_ENDPOINTS",
            json.dumps(
                [
                    {"source": "city-up", "base_url": up.url, "since": "2025-01-25", "window_days": 30, "max_rps": 500},
                    {"source": "city-down", "base_url": down_url, "since": "2025-01-25", "max_rps": 500, "retries": 1},
                ]
            ),
        )
        result = run_poll_job()
    assert not result.success
    with warehouse.connect() as conn:
        assert conn.execute("select count(*) from raw.source_rows where source = 'city-up'").fetchone()[0] == 4


def test_the_schedule_polls_every_fifteen_minutes():
    from orchestration.definitions import defs

    schedule = defs.resolve_schedule_def("open311_every_15_minutes")
    assert schedule.cron_schedule == "*/15 * * * *"
    assert schedule.job_name == "open311_poll"


def test_the_command_prints_each_batch(warehouse, capsys):
    with Open311Server(Feed(DATA)) as server:
        code = main(
            [
                "poll-open311",
                server.url,
                "--source",
                "test-city",
                "--since",
                "2025-02-01",
                "--window-days",
                "60",
                "--page-size",
                "7",
                "--max-rps",
                "500",
            ]
        )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "read 30, loaded 30, duplicates 0, quarantined 0, skipped 0 (quarantined before)" in out
    assert "services.json: " in out and "loaded 1" in out
    with warehouse.connect() as conn:
        rows = conn.execute("select appeal_id, exported_at from raw.source_rows").fetchall()
    assert set(rows) == snapshots(DATA)


def test_the_command_says_clearly_when_the_endpoint_is_unreachable(warehouse, capsys):
    server = Open311Server(Feed(DATA)).start()
    url = server.url
    server.stop()
    code = main(
        ["poll-open311", url, "--source", "test-city", "--since", "2025-02-01", "--retries", "1", "--max-rps", "500"]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("tsur: test-city: poll stopped: ") and "unreachable after 1 retries" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--api-key-env", "NO_SUCH_VARIABLE_311"], "NO_SUCH_VARIABLE_311 (api key) is not set"),
        (["--since", "yesterday"], "since: not an RFC 3339 date-time"),
    ],
)
def test_the_command_rejects_bad_options(warehouse, capsys, args, message):
    code = main(["poll-open311", "http://127.0.0.1:9/open311/v2", "--source", "x", *args])
    assert code == 1 and message in capsys.readouterr().err

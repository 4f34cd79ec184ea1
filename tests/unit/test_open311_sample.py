"""The sample Open311 feed: repeatable bytes, every portal appeal once, broken objects where the summary says."""

import json
from collections import Counter

import pytest

from sources.sample.open311_feed import write_open311_feed
from sources.sample.world import build_world


@pytest.fixture(scope="module")
def world():
    return build_world(2025, 20251, 0.05)


@pytest.fixture(scope="module")
def feed(world, tmp_path_factory):
    path = tmp_path_factory.mktemp("feed") / "portal" / "open311.json"
    return path, write_open311_feed(world, path)


def test_the_same_world_gives_the_same_bytes(world, feed, tmp_path):
    path, _ = feed
    again = write_open311_feed(build_world(2025, 20251, 0.05), tmp_path / "again.json")
    assert again.path.read_bytes() == path.read_bytes()


def test_every_portal_appeal_is_one_request_and_two_broken_copies_are_extra(world, feed):
    path, summary = feed
    portal = [a for a in world.appeals if a.channel == "portal"]
    document = json.loads(path.read_text(encoding="utf-8"))  # the standard parser: repeated keys, last wins
    assert document["source"] == "open311-naryan-mar"
    assert summary.requests == len(portal) and summary.objects == len(portal) + 2
    assert len(document["requests"]) == summary.objects
    ids = Counter(obj.get("service_request_id") for obj in document["requests"])
    assert set(ids) - {None} == {a.appeal_id for a in portal}
    assert ids[None] == 1  # the copy without an id
    assert ids[summary.damaged_ids["missing_requested_datetime"]] == 2  # the real one and its broken copy
    assert summary.broken == {
        "duplicate_key": 1,
        "null_strings": 1,
        "bad_updated_datetime": 1,
        "missing_id": 1,
        "missing_requested_datetime": 1,
    }
    assert summary.quarantined == 2
    # One service per category, and the portal's catch-all for what fits none (text only, for the classifier).
    assert summary.services == len(world.reference.categories) + 1 == len(document["services"])


def test_real_states_are_what_the_world_says(world, feed):
    path, summary = feed
    document = json.loads(path.read_text(encoding="utf-8"))
    by_id = {
        o["service_request_id"]: o
        for o in document["requests"]
        if "service_request_id" in o and "requested_datetime" in o
    }
    for appeal in (a for a in world.appeals if a.channel == "portal"):
        obj = by_id[appeal.appeal_id]
        events = [e for e in appeal.events if e.occurred_at <= world.data_end]
        closed = (
            any(e.event_type in ("answered", "closed", "rejected") for e in events)
            and events[-1].event_type != "returned"
        )
        assert obj["status"] == ("closed" if closed else "open"), appeal.appeal_id
        assert obj["requested_datetime"] == appeal.received_at.isoformat()
        assert obj["description"] == appeal.text
        if appeal.appeal_id != summary.damaged_ids["bad_updated_datetime"]:
            assert obj["updated_datetime"] == max(e.occurred_at for e in events).isoformat()


def test_broken_objects_are_broken_as_real_feeds_break(feed):
    path, summary = feed
    lines = {
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if "service_request_id" in line or "requested_datetime" in line
    }
    line_of = {
        kind: next(
            line
            for line in lines
            if f'"{summary.damaged_ids[kind]}"' in line
            and ("requested_datetime" in line or kind == "missing_requested_datetime")
        )
        for kind in ("duplicate_key", "null_strings", "bad_updated_datetime")
    }
    assert line_of["duplicate_key"].count('"updated_datetime"') == 2
    assert '"updated_datetime": "не указано"' in line_of["duplicate_key"]
    assert line_of["duplicate_key"].count('"service_name"') == 2
    assert '"media_url": "true"' in line_of["null_strings"] and '"service_notice": "null"' in line_of["null_strings"]
    assert "/2025 " in line_of["bad_updated_datetime"] or "/2026 " in line_of["bad_updated_datetime"]
    no_id = [line for line in lines if '"service_request_id"' not in line and '"requested_datetime"' in line]
    assert len(no_id) == 1
    twins = [line for line in lines if f'"{summary.damaged_ids["missing_requested_datetime"]}"' in line]
    assert len(twins) == 2 and sum('"requested_datetime"' not in line for line in twins) == 1

"""The sample year: byte-for-byte repeatable, valid where it should be, broken where it should be, realistic."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from sources.events import EventJudge
from sources.files import LineReader
from sources.sample import generate_sample
from sources.sample.reference import CHANNELS, WorkCalendar, load_reference
from sources.sample.world import build_world

NOW = datetime(2026, 11, 29, tzinfo=UTC)
SCALE = 0.05
KINDS = {
    "invalid_json",
    "missing_field",
    "unknown_value",
    "bad_date",
    "not_utf8",
    "not_an_object",
    "future_date",
    "conflict",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    landing = tmp_path_factory.mktemp("landing")
    return landing, generate_sample(landing, scale=SCALE, formats="canonical").canonical


@pytest.fixture(scope="module")
def year():
    return build_world(2025, 20251, 1.0)


def _load(summary):
    """What the loader would do: judge each line, then keep the first of each (source, event_id)."""
    verdicts, first = {}, {}
    for path in summary.paths:
        judge = EventJudge(str(path), now=NOW)
        for line_no, raw, too_long in LineReader(path):
            record = judge.judge(line_no, raw, too_long)
            if not record.ok:
                verdicts[path, line_no] = record.reason_code
                continue
            event = json.loads(raw)
            key = (event["source"], event["event_id"])
            if key not in first:
                first[key] = event
                verdicts[path, line_no] = "new"
            else:
                verdicts[path, line_no] = "duplicate" if first[key] == event else "conflict"
    return verdicts, first


def test_two_runs_write_byte_identical_files(sample, tmp_path):
    landing, summary = sample
    again = generate_sample(tmp_path, scale=SCALE, formats="canonical").canonical
    assert [p.relative_to(landing) for p in summary.paths] == [p.relative_to(tmp_path) for p in again.paths]
    for one, two in zip(summary.paths, again.paths):
        assert one.read_bytes() == two.read_bytes(), one.name
    assert sorted(p for p in landing.rglob("*") if p.is_file()) == sorted(summary.paths)


def test_files_per_source_and_month(sample):
    landing, summary = sample
    sources = {plan.source: channel for channel, plan in CHANNELS.items()}
    for path in summary.paths:
        match = re.fullmatch(r"(.+)-(\d{4})-(\d{2})\.jsonl", path.name)
        assert match and sources[match[1]] == path.parent.name
        assert path.read_bytes().endswith(b"\n") and b"\r" not in path.read_bytes()
    names = {p.name for p in summary.paths}
    assert {f"epgu-pos-2025-{m:02d}.jsonl" for m in range(1, 13)} <= names
    assert "epgu-pos-2026-01.jsonl" in names  # late-December appeals are answered in January
    assert summary.files == len(summary.paths)


def test_valid_lines_pass_and_injected_lines_fail_as_intended(sample):
    _, summary = sample
    verdicts, first = _load(summary)
    injected = {(line.path, line.line_no): line.kind for line in summary.injected}
    for where, verdict in verdicts.items():
        assert verdict == injected.get(where, "new"), where
    counts = Counter(verdicts.values())
    assert counts["new"] == summary.events == len(first)
    assert counts["duplicate"] == summary.exact_duplicates >= 1
    assert {kind: counts[kind] for kind in KINDS} == summary.malformed
    assert all(n >= 1 for n in summary.malformed.values()) and set(summary.malformed) == KINDS
    assert sum(counts.values()) == summary.lines
    assert len({line.path for line in summary.injected}) > 1  # spread over a few files


def test_lines_are_compact_utf8_with_moscow_offsets(sample):
    _, summary = sample
    injected = {(line.path, line.line_no) for line in summary.injected}
    for path in summary.paths:
        for line_no, raw, _ in LineReader(path):
            if (path, line_no) in injected:
                continue
            text = raw.decode("utf-8")
            event = json.loads(text)
            assert text == json.dumps(event, ensure_ascii=False, separators=(",", ":"))
            assert event["schema"] == "appeal-event/1" and event["occurred_at"].endswith("+03:00")
            assert event["event_id"].startswith(event["appeal_id"] + "-")
            assert re.fullmatch(r"(POS|IM|NM|SED|HL)-2025-\d{6}", event["appeal_id"])


def test_every_appeal_starts_with_received(sample):
    _, summary = sample
    _, events = _load(summary)
    by_appeal = defaultdict(list)
    for event in events.values():
        by_appeal[event["source"], event["appeal_id"]].append(event)
    out_of_order = 0
    for appeal in by_appeal.values():
        received = [e for e in appeal if e["event_type"] == "received"]
        assert len(received) == 1
        start = datetime.fromisoformat(received[0]["occurred_at"])
        assert all(datetime.fromisoformat(e["occurred_at"]) >= start for e in appeal)
        numbered = sorted(appeal, key=lambda e: e["event_id"])
        assert numbered[0]["event_type"] == "received"
        out_of_order += numbered != sorted(appeal, key=lambda e: (e["occurred_at"], e["event_id"]))
    assert out_of_order == 0  # event numbers follow time


def test_tiny_scale_keeps_channels_sectors_and_damage(tmp_path):
    summary = generate_sample(tmp_path, scale=0.002, formats="canonical").canonical
    assert all(n >= 1 for n in summary.malformed.values()) and summary.exact_duplicates >= 1
    injected = {(line.path, line.line_no) for line in summary.injected}
    received = [
        json.loads(raw)
        for path in summary.paths
        for line_no, raw, _ in LineReader(path)
        if (path, line_no) not in injected and b'"event_type":"received"' in raw
    ]
    assert {e["channel"] for e in received} == set(CHANNELS)
    # Codes where the source states them (the appeals written first cover every sector); the rest carry a
    # foreign rubric or text only, for the classifier.
    assert {e["category"]["parent_code"] for e in received if "code" in e.get("category", {})} == set(
        load_reference().sectors
    )


def test_year_volume_and_coverage(year):
    ref = load_reference()
    assert 10_000 <= len(year.appeals) <= 15_000
    shares = Counter(a.channel for a in year.appeals)
    assert set(shares) == set(CHANNELS)
    for channel, plan in CHANNELS.items():
        assert abs(shares[channel] / len(year.appeals) - plan.share) < 0.02
    assert {a.sector_code for a in year.appeals} == set(ref.sectors)
    assert {a.category_code for a in year.appeals} == set(ref.categories)
    city = Counter(ref.municipalities[a.oktmo].settlement == "Нарьян-Мар" for a in year.appeals)
    assert 0.5 < city[True] / len(year.appeals) < 0.65
    assert 8_000 <= len({a.person.person_id for a in year.appeals}) <= 10_000


def test_year_has_seasons(year):
    def month_count(code, month):
        return sum(1 for a in year.appeals if a.category_code == code and a.received_at.month == month)

    assert month_count("housing.heating", 1) > 3 * month_count("housing.heating", 7)
    assert month_count("roads.snow", 2) > 3 * month_count("roads.snow", 7)
    assert month_count("waste.removal", 7) > 2 * month_count("waste.removal", 1)
    assert month_count("transport.water", 8) > 3 * month_count("transport.water", 2)
    assert month_count("transport.winter_roads", 2) > 3 * month_count("transport.winter_roads", 8)


def test_year_lifecycle_shares(year):
    n = len(year.appeals)
    kinds = [{e.event_type for e in a.events} for a in year.appeals]
    rejected = sum("rejected" in k for k in kinds)
    assert 0.02 <= rejected / n <= 0.04
    answered = sum("answered" in k for k in kinds)
    assert 0.9 <= answered / (n - rejected) <= 0.96
    for a in year.appeals:
        assert a.events[0].event_type == "received"
        assert all(x.occurred_at < y.occurred_at for x, y in zip(a.events, a.events[1:])), a.appeal_id
        if a.events[-1].event_type == "rejected":
            assert len(a.events) == 2
    regimes = Counter((a.channel, a.legal_regime) for a in year.appeals)
    assert regimes["letter", "message"] == regimes["incident", "fz59"] == regimes["portal", "fz59"] == 0


def test_year_other_buckets_and_repeats(year):
    ref = load_reference()
    for sector in ref.sectors:
        appeals = [a for a in year.appeals if a.sector_code == sector]
        bucket = [a for a in appeals if ref.categories[a.category_code].is_other_bucket]
        assert 0.08 < len(bucket) / len(appeals) < 0.16, sector
        assert all(a.attrs.get("theme") for a in bucket)
    repeats = [a for a in year.appeals if a.repeat_of is not None]
    assert 0.03 < len(repeats) / len(year.appeals) < 0.05
    for a in repeats:
        first = a.repeat_of
        assert (a.person, a.category_code, a.address) == (first.person, first.category_code, first.address)
        assert timedelta(0) < a.received_at - first.received_at < timedelta(days=30)


def test_source_deadlines_and_state(year):
    calendar = WorkCalendar(2025, 2026)
    for a in year.appeals[:2000]:
        due = a.events[0].fields.get("due_at")
        if a.channel == "pos":
            assert due == a.received_at + timedelta(days=30)
        elif a.channel == "portal":
            assert due == calendar.add_working_days(a.received_at, 10)
        else:
            assert due is None
    appeal = next(a for a in year.appeals if [e.event_type for e in a.events][-2:] == ["rated", "closed"])
    assert appeal.state_at(appeal.received_at - timedelta(seconds=1)) is None
    assert appeal.state_at(appeal.received_at).status == "received"
    end = appeal.state_at(year.data_end)
    assert end.status == "closed" and end.rating is not None and end.result is not None
    assert all(e.occurred_at <= year.data_end for a in year.appeals for e in a.events)

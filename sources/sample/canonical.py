"""Writes the world as appeal-event/1 JSON Lines, one file per source and month, with realistic damage.

Real feeds arrive slightly out of order, re-send events and now and then carry broken lines; the loader
must quarantine those and keep everything valid. So every real event is written intact, and the broken
lines are extra copies beside them, at known places (`InjectedLine`) so that tests can check the verdicts.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sources.sample.appeal import Appeal, SimEvent
from sources.sample.world import World

SCHEMA = "appeal-event/1"
SHUFFLED_SHARE = 0.05  # swaps of near neighbours; each swap moves two lines, so ≈ 10 % are out of order
TARGET_FILES = 4  # the broken lines are spread over a few files, as a few bad exports would be
# How many lines of each kind at scale 1.0; at least one of each at any scale.
# The keys are the quarantine reason codes the loader gives ("conflict" is found at load time).
MALFORMED = {
    "invalid_json": 6,
    "missing_field": 4,
    "unknown_value": 3,
    "bad_date": 3,
    "not_utf8": 2,
    "not_an_object": 2,
    "future_date": 2,
    "conflict": 3,
}
EXACT_DUPLICATES = 40
UNKNOWN_EVENT_TYPES = ("escalated", "reopened", "archived")


@dataclass(frozen=True)
class InjectedLine:
    path: Path
    line_no: int  # 1-based, as the loader counts
    kind: str  # a quarantine reason code from MALFORMED, or "duplicate" for an exact re-send


@dataclass
class SampleSummary:
    appeals: int
    events: int  # valid distinct events written
    files: int
    lines: int  # every line written: events, exact duplicates, malformed and conflicting lines
    malformed: dict[str, int]  # reason code → lines, "conflict" included
    exact_duplicates: int
    paths: list[Path] = field(default_factory=list)
    injected: list[InjectedLine] = field(default_factory=list)


def rfc3339(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def event_id(appeal_id: str, n: int) -> str:
    return f"{appeal_id}-{n:02d}"


def event_object(appeal: Appeal, n: int, event: SimEvent) -> dict:
    obj = {
        "schema": SCHEMA,
        "event_id": event_id(appeal.appeal_id, n),
        "source": appeal.source,
        "channel": appeal.channel,
        "appeal_id": appeal.appeal_id,
        "event_type": event.event_type,
        "occurred_at": rfc3339(event.occurred_at),
    }
    for key, value in event.fields.items():
        obj[key] = rfc3339(value) if isinstance(value, datetime) else value
    return obj


def dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class _Line:
    __slots__ = ("raw", "obj", "kind")

    def __init__(self, raw: bytes, obj: dict | None, kind: str | None = None):
        self.raw, self.obj, self.kind = raw, obj, kind


def _shuffle_locally(rng: random.Random, lines: list[_Line]) -> None:
    n = len(lines)
    for _ in range(round(n * SHUFFLED_SHARE) if n > 1 else 0):
        i = rng.randrange(n - 1)
        j = min(n - 1, i + rng.randint(1, 3))
        lines[i], lines[j] = lines[j], lines[i]


def _damaged(rng: random.Random, kind: str, obj: dict, year: int) -> bytes:
    """A broken or conflicting copy of a real event, as a faulty exporter would write it."""
    o = dict(obj)
    if kind == "invalid_json":
        text = dumps(o)
        # Cut on characters, not bytes: a cut inside a UTF-8 sequence would be not_utf8 instead.
        return text[: rng.randint(len(text) // 3, 2 * len(text) // 3)].encode()
    if kind == "missing_field":
        del o["appeal_id"]
    elif kind == "unknown_value":
        o["event_type"] = rng.choice(UNKNOWN_EVENT_TYPES)
    elif kind == "bad_date":
        o["occurred_at"] = f"{year}-02-30T10:00:00+03:00"
    elif kind == "not_utf8":
        return dumps(o).encode("cp1251", errors="replace")  # a received event: its Cyrillic breaks UTF-8
    elif kind == "not_an_object":
        return dumps([o]).encode()
    elif kind == "future_date":
        stamp = o["occurred_at"].replace("-02-29T", "-02-28T")  # 2031 is no leap year
        o["occurred_at"] = "2031" + stamp[4:]
    elif kind == "conflict":  # the same event_id re-sent with another time: immutable events must not change
        moved = datetime.fromisoformat(o["occurred_at"]) + timedelta(minutes=rng.randint(7, 300))
        o["occurred_at"] = rfc3339(moved)
    return dumps(o).encode()


def _inject(rng: random.Random, files: dict[Path, list[_Line]], scale: float, year: int) -> None:
    paths = sorted(files)
    sizable = [p for p in paths if len(files[p]) >= 20] or paths
    targets = sorted(rng.sample(sizable, min(TARGET_FILES, len(sizable))))
    used: set[int] = set()  # an event is damaged at most once, so each injected line has one verdict
    plan = [(kind, max(1, round(count * scale))) for kind, count in MALFORMED.items()]
    plan.append(("duplicate", max(1, round(EXACT_DUPLICATES * scale))))
    for kind, count in plan:
        for _ in range(count):
            first = rng.randrange(len(targets))
            for lines in (files[targets[(first + k) % len(targets)]] for k in range(len(targets))):
                fits = [
                    i
                    for i, line in enumerate(lines)
                    if line.kind is None
                    and id(line) not in used
                    and (kind != "not_utf8" or line.obj["event_type"] == "received")
                ]
                if fits:
                    break
            else:
                raise RuntimeError(f"no event left to damage for {kind}")
            pos = rng.choice(fits)
            line = lines[pos]
            used.add(id(line))
            raw = line.raw if kind == "duplicate" else _damaged(rng, kind, line.obj, year)
            # A re-send comes after the original: the loader keeps the first occurrence of an event_id.
            resend = kind in ("conflict", "duplicate")
            at = pos + rng.randint(1, 5) if resend else rng.randrange(len(lines) + 1)
            lines.insert(min(at, len(lines)), _Line(raw, None, kind))


def write_canonical(
    world: World, landing_dir: Path, rng: random.Random, channels: frozenset[str] | None = None
) -> SampleSummary:
    """Write the appeals of `channels` (default: all) as appeal-event/1 files."""
    landing_dir = Path(landing_dir)
    files: dict[Path, list[_Line]] = {}
    stamps: dict[Path, list[str]] = {}
    events = 0
    appeals = [a for a in world.appeals if channels is None or a.channel in channels]
    for appeal in appeals:
        for n, event in enumerate(appeal.events, start=1):
            obj = event_object(appeal, n, event)
            path = landing_dir / appeal.channel / f"{appeal.source}-{event.occurred_at:%Y-%m}.jsonl"
            files.setdefault(path, []).append(_Line(dumps(obj).encode(), obj))
            stamps.setdefault(path, []).append(obj["occurred_at"])
            events += 1
    for path in sorted(files):  # exports come in time order; all stamps are +03:00: text order is time order
        order = sorted(range(len(files[path])), key=stamps[path].__getitem__)
        files[path] = [files[path][i] for i in order]
        _shuffle_locally(rng, files[path])
    _inject(rng, files, world.scale, world.year)
    summary = SampleSummary(
        appeals=len(appeals),
        events=events,
        files=len(files),
        lines=0,
        malformed={kind: 0 for kind in MALFORMED},
        exact_duplicates=0,
    )
    for path in sorted(files):
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = files[path]
        path.write_bytes(b"".join(line.raw + b"\n" for line in lines))
        summary.paths.append(path)
        summary.lines += len(lines)
        for line_no, line in enumerate(lines, start=1):
            if line.kind == "duplicate":
                summary.exact_duplicates += 1
            elif line.kind:
                summary.malformed[line.kind] += 1
            if line.kind:
                summary.injected.append(InjectedLine(path, line_no, line.kind))
    return summary

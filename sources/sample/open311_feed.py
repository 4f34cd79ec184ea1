"""The portal channel of the sample world as an Open311 GeoReport v2 feed: the local server's data file.

Each portal appeal is one request object at its state when the world's data ends. A few objects carry
what real feeds carry: repeated keys, "null" and "true" strings, a malformed date; two extra objects
(copies of real requests, so nothing real is lost) lack service_request_id or requested_datetime and
must end in quarantine. The summary says which, so that tests can check the verdicts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sources.open311.jsontext import Pairs, dumps
from sources.sample.appeal import Appeal
from sources.sample.reference import CHANNELS
from sources.sample.rubrics import CATCH_ALL_SERVICE, stated
from sources.sample.world import World

SOURCE = CHANNELS["portal"].source
CLOSED = ("answered", "closed", "rejected")  # GeoReport knows only open and closed
REJECTED_NOTES = {
    "spam": "Отклонено: спам",
    "duplicate": "Отклонено: повторное сообщение",
    "moderation": "Отклонено: не прошло модерацию",
}
CLOSED_NOTES = {"withdrawn": "Закрыто: отозвано автором", "informational": "Закрыто: информационное сообщение"}
# Damaged in place, still loadable (flags) / extra copies that must go to quarantine.
FLAGGED = ("duplicate_key", "null_strings", "bad_updated_datetime")
QUARANTINED = ("missing_id", "missing_requested_datetime")


@dataclass
class Open311FeedSummary:
    path: Path
    requests: int  # distinct real requests (portal appeals), each must load
    objects: int  # objects in the feed: the requests and the extra broken copies
    services: int
    broken: dict[str, int]  # kind → objects
    quarantined: int  # objects the connector must quarantine
    damaged_ids: dict[str, str] = field(default_factory=dict)  # kind → service_request_id it touched


def service_code(category_code: str) -> str:
    return "nm-" + category_code.replace(".", "-").replace("_", "-")


def _stamp(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def request_pairs(world: World, appeal: Appeal) -> list[tuple[str, Any]]:
    """The GeoReport v2 request object of an appeal at `world.data_end`, as (key, value) pairs."""
    ref = world.reference
    state = appeal.state_at(world.data_end)
    seen = [e for e in appeal.events if e.occurred_at <= world.data_end]
    notes = None
    for event in seen:
        if event.event_type == "answered":
            notes = event.fields.get("answer_text")
        elif event.event_type == "rejected":
            notes = REJECTED_NOTES.get(event.fields.get("attrs", {}).get("reason"), "Отклонено")
        elif event.event_type == "closed" and "attrs" in event.fields:
            notes = CLOSED_NOTES.get(event.fields["attrs"].get("reason"), "Закрыто")
    category = stated(ref, appeal.stated, appeal.rubric, appeal.category_code, state.category_code)
    code, name = (service_code(category.code), category.name) if category.code else CATCH_ALL_SERVICE
    agency = ref.agencies[state.agency_code].name if state.agency_code else None
    lat, lon = appeal.location if appeal.location else (None, None)
    return [
        ("service_request_id", appeal.appeal_id),
        ("status", "closed" if state.status in CLOSED else "open"),
        ("status_notes", notes),
        ("service_name", name),
        ("service_code", code),
        ("description", appeal.text),
        ("agency_responsible", agency),
        ("service_notice", None),
        ("requested_datetime", _stamp(appeal.received_at)),
        ("updated_datetime", _stamp(max(e.occurred_at for e in seen))),
        ("expected_datetime", _stamp(state.due_at)),
        ("address", appeal.address),
        ("lat", lat),
        ("long", lon),
        ("media_url", None),
    ]


def _damage(kind: str, pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    out = list(pairs)
    if kind == "duplicate_key":  # an unusable first value, then the real one; and a stale second name
        at = next(i for i, (k, _) in enumerate(out) if k == "updated_datetime")
        out.insert(at, ("updated_datetime", "не указано"))
        out.append(("service_name", "Прочее"))
    elif kind == "null_strings":
        out = [(k, "null" if v is None and k != "media_url" else v) for k, v in out]
        out = [(k, "true" if k == "media_url" else v) for k, v in out]
    elif kind == "bad_updated_datetime":  # day-first with slashes: not ISO 8601, not dd.mm.yyyy either
        out = [
            (k, datetime.fromisoformat(v).strftime("%d/%m/%Y %H:%M") if k == "updated_datetime" else v) for k, v in out
        ]
    elif kind == "missing_id":
        out = [(k, v) for k, v in out if k != "service_request_id"]
    elif kind == "missing_requested_datetime":
        out = [(k, v) for k, v in out if k != "requested_datetime"]
    return out


def services(world: World) -> list[dict]:
    ref = world.reference
    listed = [
        {
            "service_code": service_code(c.code),
            "service_name": c.name,
            "description": c.name,
            "metadata": False,
            "type": "realtime",
            "keywords": c.sector_code,
            "group": ref.sectors[c.sector_code].name,
        }
        for c in ref.categories.values()
    ]
    code, name = CATCH_ALL_SERVICE
    return [
        *listed,
        {
            "service_code": code,
            "service_name": name,
            "description": "Обращение в свободной форме",
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "Прочее",
        },
    ]


def write_open311_feed(world: World, path: Path) -> Open311FeedSummary:
    """Write the feed as JSON {source, services, requests}; the same world always gives the same bytes."""
    portal = [a for a in world.appeals if a.channel == "portal" and a.state_at(world.data_end)]
    rng = random.Random(f"open311-{world.seed}-{world.year}")  # its own stream: the world's stays untouched
    objects = [request_pairs(world, appeal) for appeal in portal]
    kinds = FLAGGED + QUARANTINED
    chosen = rng.sample(range(len(portal)), len(kinds)) if len(portal) >= len(kinds) else []
    damaged: dict[str, str] = {}
    extra: dict[int, list] = {}
    for kind, index in zip(kinds, chosen):
        damaged[kind] = portal[index].appeal_id
        if kind in QUARANTINED:
            extra[index] = _damage(kind, objects[index])  # beside the real one, which stays intact
        else:
            objects[index] = _damage(kind, objects[index])
    objects = [obj for i, pairs in enumerate(objects) for obj in ([pairs, extra[i]] if i in extra else [pairs])]
    service_list = services(world)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f'{{"source": {dumps(SOURCE)}, "generated_at": {dumps(_stamp(world.data_end))},',
        f' "services": {dumps(service_list)},',
        ' "requests": [',
    ]
    lines.append(",\n".join("  " + dumps(Pairs(pairs)) for pairs in objects))
    lines.append(" ]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Open311FeedSummary(
        path,
        requests=len(portal),
        objects=len(objects),
        services=len(service_list),
        broken={k: 1 for k in damaged},
        quarantined=sum(k in QUARANTINED for k in damaged),
        damaged_ids=damaged,
    )

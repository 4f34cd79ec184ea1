"""The fast path of the event judge (msgspec struct generated from the schema, C date parsing) must decide
every line exactly as the full path (the schema validator and the full date parser) does."""

import json
import random
from datetime import UTC, datetime

import msgspec
import pytest

from sources.contract import ContractError, _type, fast_decoder
from sources.copytext import copy_line, field_text
from sources.events import EventJudge

NOW = datetime(2026, 11, 29, tzinfo=UTC)
FULL = {
    "schema": "appeal-event/1",
    "event_id": "HL-2025-000691-01",
    "source": "hotline-nao",
    "channel": "hotline",
    "appeal_id": "HL-2025-000691",
    "event_type": "received",
    "occurred_at": "2025-07-01T09:24:33+03:00",
    "legal_regime": "message",
    "due_at": "2025-07-31T18:00:00.000+03:00",
    "category": {"code": "other.misc", "name": "Прочие вопросы", "totk": "0003.0009.0097.0700"},
    "agency": {"code": "dtszn", "name": "Департамент"},
    "municipality": {"oktmo": "11811452", "name": "Коткино"},
    "text": "собака укусила ребенка у магазина\tпомогите",
    "result": "explained",
    "rating": 4,
    "author": {"name": "Черных В. А.", "phone": "+79511485535"},
    "address": "с. Коткино",
    "location": {"lat": 67.6, "lon": 53.0},
    "attrs": {"form": "Телефон", "n": [1, 2]},
}
# Values that break one rule each, for any field: wrong types, empties, out of range, unknown codes.
ODD_VALUES = [
    None,
    "",
    "x" * 201,
    0,
    -1,
    6,
    4.0,
    4.5,
    True,
    [],
    {},
    "fax",
    "2025-02-30T10:00:00+03:00",
    "2025-07-01T09:24:33",
    "2025-07-01 09:24:33+03:00",
    "2025-07-01T09:24:33Z",
    "2025-07-01T09:24:33+24:00",
    "2025-07-01T09:24:33.1234567+03:00",
    "2031-01-01T00:00:00+03:00",
    "1999-12-31T23:59:60+03:00",
    "HOTLINE",
    "hotline",
    "123456789",
    "12345678",
    "1234.5678.9012.3456",
    91,
    -181,
    "NaN",
]


def mutations(seed: int, count: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        event = json.loads(json.dumps(FULL))
        for _ in range(rng.randint(1, 3)):
            target = event
            path = [rng.choice(sorted(event))]
            if isinstance(event[path[0]], dict) and event[path[0]] and rng.random() < 0.6:
                target = event[path[0]]
                path.append(rng.choice(sorted(target)))
            action = rng.random()
            if action < 0.15:
                target.pop(path[-1], None)
            elif action < 0.25:
                target[path[-1] + "_extra"] = 1
            else:
                target[path[-1]] = rng.choice(ODD_VALUES)
        out.append(event)
    return out


def judges() -> tuple[EventJudge, EventJudge]:
    return (EventJudge("f.jsonl", now=NOW, render_copy=True), EventJudge("f.jsonl", now=NOW))


@pytest.mark.parametrize("seed", range(4))
def test_fast_and_full_paths_decide_every_line_alike(seed):
    fast, full = judges()
    accepted = 0
    for n, event in enumerate(mutations(seed, 600)):
        raw = json.dumps(event, ensure_ascii=False).encode()
        got, want = fast.judge(n, raw), full.judge_fully(n, raw)
        assert (got.values, got.reason_code, got.reason, got.record_key) == (
            want.values,
            want.reason_code,
            want.reason,
            want.record_key,
        ), raw
        accepted += got.ok
        if got.ok:  # the COPY text is the row: read back, every field is the value
            assert field_text(got.copy_line, 2) == want.values[2]
    assert 50 < accepted < 550  # both kinds were tried


def test_the_fast_decoder_refuses_what_the_schema_refuses_and_takes_the_usual_line():
    decode = fast_decoder().decode
    decode(json.dumps(FULL).encode())
    for bad in (
        {**FULL, "rating": None},
        {**FULL, "rating": 4.0},
        {**FULL, "surprise": 1},
        {**FULL, "agency": {"code": "x"}},
        {**FULL, "municipality": {"oktmo": "1234"}},
    ):
        with pytest.raises(msgspec.ValidationError):
            decode(json.dumps(bad).encode())


def test_duplicate_keys_nan_and_lone_surrogates_are_judged_as_json_and_postgresql_would():
    fast, full = judges()
    base = json.dumps(FULL, ensure_ascii=False)[:-1]
    for tail, code in (
        (', "rating": 5, "rating": 9}', "schema_violation"),
        (', "attrs": {"x": NaN}}', "invalid_json"),
        (', "address": "\\ud800"}', "invalid_json"),
    ):
        raw = (base + tail).encode()
        assert fast.judge(1, raw).reason_code == code == full.judge_fully(1, raw).reason_code


def test_the_generator_refuses_keywords_it_cannot_compile():
    with pytest.raises(ContractError, match="oneOf"):
        _type({"oneOf": [{"type": "string"}]}, "x")
    with pytest.raises(ContractError):
        _type({"type": "array", "items": {"type": "string"}}, "x")


def test_copy_text_escapes_and_reads_back():
    values = ("a\tb", "x\\y\nz\r", None, ['п"1', "b\\c"], datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), 7)
    line = copy_line(values)
    assert line == 'a\\tb\tx\\\\y\\nz\\r\t\\N\t{"п\\\\"1","b\\\\\\\\c"}\t2025-01-02T03:04:05+00:00\t7'.encode()
    assert [field_text(line, i) for i in range(3)] == ["a\tb", "x\\y\nz\r", None]

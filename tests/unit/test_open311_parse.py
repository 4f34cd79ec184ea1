"""Open311 request objects as real feeds write them: exact verdicts, values and flags for tricky objects."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from sources.open311.endpoints import Endpoint, endpoints_from_json, parse_since
from sources.open311.jsontext import BodyError, Pairs, dumps, loads
from sources.open311.parse import request_list, request_record
from sources.open311.windows import GRID_ORIGIN, WideningGrid, halves, w3
from sources.snapshot import SnapshotJudge

MSK = timezone(timedelta(hours=3))


def judge(origin: str = "http://x/requests.json?page=1") -> SnapshotJudge:
    return SnapshotJudge(source="city", channel="portal", origin=origin, bad_optional="flag")


def one(text: str, line_no: int = 1):
    return request_record(loads(text), judge=judge(), line_no=line_no, page="page=1")


def fields(record) -> dict:
    source, channel, appeal_id, exported_at, rec, payload, flags, origin, sheet, line_no, sha = record.values
    return {
        "appeal_id": appeal_id,
        "exported_at": exported_at,
        "record": json.loads(rec),
        "payload": json.loads(payload),
        "flags": flags,
        "origin": origin,
        "sheet": sheet,
        "line_no": line_no,
    }


def test_a_clean_request_maps_every_field():
    r = fields(
        one(
            '{"service_request_id": "NM-1", "status": "closed", "status_notes": "Сделано",'
            ' "service_name": "Уборка снега", "service_code": "nm-roads-snow", "description": "Не чистят",'
            ' "agency_responsible": "Администрация", "requested_datetime": "2025-01-10T09:00:00+03:00",'
            ' "updated_datetime": "2025-01-12T15:30:00+03:00", "expected_datetime": "2025-01-24T09:00:00+03:00",'
            ' "address": "ул. Ленина, д. 1", "lat": 67.638, "long": "53.006", "media_url": "http://m/1.jpg"}'
        )
    )
    assert r["appeal_id"] == "NM-1"
    assert r["exported_at"] == datetime(2025, 1, 12, 15, 30, tzinfo=MSK)
    assert r["record"] == {
        "appeal_id": "NM-1",
        "status": "closed",
        "status_notes": "Сделано",
        "category_name": "Уборка снега",
        "category_code": "nm-roads-snow",
        "text": "Не чистят",
        "agency_name": "Администрация",
        "created_at": "2025-01-10T09:00:00+03:00",
        "updated_at": "2025-01-12T15:30:00+03:00",
        "due_at": "2025-01-24T09:00:00+03:00",
        "address": "ул. Ленина, д. 1",
        "lat": 67.638,
        "lon": 53.006,
        "media_url": "http://m/1.jpg",
        "closed_at": "2025-01-12T15:30:00+03:00",
    }
    assert r["flags"] == []
    assert (r["origin"], r["sheet"], r["line_no"]) == ("http://x/requests.json?page=1", "page=1", 1)


def test_a_repeated_key_keeps_the_first_value_that_parses_and_says_so():
    r = fields(
        one(
            '{"service_request_id": 7, "requested_datetime": "2025-02-01T10:00:00Z",'
            ' "updated_datetime": "never", "updated_datetime": "2025-02-03T10:00:00Z",'
            ' "service_name": "Ямы", "service_name": "Прочее", "status": "open"}'
        )
    )
    assert r["appeal_id"] == "7"
    assert r["record"]["updated_at"] == "2025-02-03T10:00:00+00:00"
    assert r["record"]["category_name"] == "Ямы"
    assert r["exported_at"] == datetime(2025, 2, 3, 10, tzinfo=UTC)
    assert r["flags"] == ["duplicate_key:service_name", "duplicate_key:updated_datetime"]
    # The payload holds the kept value; the raw text of the object keeps both.
    assert r["payload"]["updated_datetime"] == "2025-02-03T10:00:00Z"
    assert r["payload"]["service_name"] == "Ямы"


def test_null_and_true_strings_are_no_values():
    r = fields(
        one(
            '{"service_request_id": "A", "requested_datetime": "2025-02-01T10:00:00+03:00",'
            ' "updated_datetime": "null", "status_notes": "null", "lat": "true", "long": "null",'
            ' "media_url": "true", "address": false, "description": "NULL"}'
        )
    )
    assert r["record"] == {"appeal_id": "A", "created_at": "2025-02-01T10:00:00+03:00"}
    assert r["flags"] == ["bad_address", "bad_lat", "bad_media_url", "exported_at_from_requested_datetime"]
    assert r["exported_at"] == datetime(2025, 2, 1, 10, tzinfo=MSK)
    assert r["payload"]["lat"] == "true"  # as received


def test_malformed_optional_dates_are_flagged_not_fatal():
    r = fields(
        one(
            '{"service_request_id": "B", "requested_datetime": "2025-03-01 08:15",'
            ' "updated_datetime": "15/03/2025 14:22", "expected_datetime": "2025-02-30T10:00:00+03:00",'
            ' "status": "closed"}'
        )
    )
    assert r["record"] == {"appeal_id": "B", "created_at": "2025-03-01T08:15:00+03:00", "status": "closed"}
    assert r["flags"] == ["bad_due_at", "bad_updated_at", "exported_at_from_requested_datetime"]


def test_media_url_as_a_list_of_objects_gives_its_first_url():
    r = fields(
        one(
            '{"service_request_id": 200012223, "requested_datetime": "2018-09-06T19:51:48.000Z",'
            ' "media_url": [{"id": "a0", "url": "https://img.example/1.png", "tags": ["Create"]}]}'
        )
    )
    assert r["record"] == {
        "appeal_id": "200012223",
        "created_at": "2018-09-06T19:51:48+00:00",
        "media_url": "https://img.example/1.png",
    }
    assert r["payload"]["media_url"][0]["id"] == "a0"  # as received


def test_unknown_status_is_kept_as_sent_and_flagged():
    r = fields(
        one(
            '{"service_request_id": "C", "requested_datetime": "2025-03-01T08:15:00Z",'
            ' "updated_datetime": "2025-03-02T08:15:00Z", "status": "In Progress"}'
        )
    )
    assert r["record"]["status"] == "In Progress"
    assert "closed_at" not in r["record"]
    assert r["flags"] == ["unknown_status"]


@pytest.mark.parametrize(
    "text, code, reason",
    [
        ('{"requested_datetime": "2025-03-01T08:15:00Z"}', "missing_field", "service_request_id is missing"),
        (
            '{"service_request_id": "null", "requested_datetime": "2025-03-01T08:15:00Z"}',
            "missing_field",
            "service_request_id is null or empty",
        ),
        (
            '{"service_request_id": true, "requested_datetime": "2025-03-01T08:15:00Z"}',
            "missing_field",
            "service_request_id is unusable (a yes/no value where text belongs: True)",
        ),
        (
            '{"service_request_id": "", "service_request_id": "D", "status": "open"}',
            "missing_field",
            "requested_datetime is missing",
        ),
        (
            '{"service_request_id": "E", "requested_datetime": "2025-02-29T10:00:00+03:00"}',
            "bad_date",
            "requested_datetime is unusable (impossible date-time",
        ),
        (
            '{"service_request_id": "F", "requested_datetime": null}',
            "missing_field",
            "requested_datetime is null or empty",
        ),
        ('"just a string"', "not_an_object", "a JSON string, not a request object"),
    ],
)
def test_requests_without_a_usable_id_or_time_go_to_quarantine(text, code, reason):
    record = one(text, line_no=4)
    assert not record.ok
    assert record.reason_code == code
    assert record.reason.startswith(reason)
    assert (record.line_no, record.sheet) == (4, "page=1")
    assert record.raw_text == dumps(loads(text))  # the object as read, repeated keys included


def test_quarantined_text_keeps_repeated_keys_verbatim():
    text = '{"service_request_id": null, "service_request_id": "null", "description": "Двор"}'
    assert one(text).raw_text == text


def test_the_same_object_gives_the_same_record_and_hash():
    text = '{"service_request_id": "G", "requested_datetime": "2025-03-01T08:15:00Z", "status": "open"}'
    assert one(text).values == one(text).values


def test_bodies_that_are_not_request_lists():
    with pytest.raises(BodyError, match="not complete JSON"):
        loads(b'[{"service_request_id": "1", "desc')
    with pytest.raises(BodyError, match="not UTF-8"):
        loads('["Двор"]'.encode("cp1251"))
    with pytest.raises(BodyError, match="answered with an error: 403 bad key"):
        request_list(loads(b'{"code": 403, "description": "bad key"}'))
    assert request_list(loads(b'{"service_requests": [{"a": 1}]}')) == [{"a": 1}]
    assert isinstance(request_list(loads(b'[{"a": 1}]'))[0], Pairs)


def walk(grid: WideningGrid, requests_in) -> list[tuple[datetime, datetime]]:
    windows = []
    while (window := grid.next()) is not None:
        windows.append(window)
        grid.done(window, requests_in(window))
    return windows


def test_windows_lie_on_a_fixed_grid():
    day = timedelta(days=1)
    start = datetime(2025, 2, 3, 17, 45, tzinfo=UTC)
    end = datetime(2025, 2, 20, 6, 0, tzinfo=UTC)
    windows = walk(WideningGrid(start, end, 7 * day), lambda w: 3)  # busy: every window stays a week
    # 2000-01-01 is a Saturday; seven-day windows start on Saturdays at midnight UTC.
    assert windows == [
        (datetime(2025, 2, 1, tzinfo=UTC), datetime(2025, 2, 8, tzinfo=UTC)),
        (datetime(2025, 2, 8, tzinfo=UTC), datetime(2025, 2, 15, tzinfo=UTC)),
        (datetime(2025, 2, 15, tzinfo=UTC), end),
    ]
    assert WideningGrid(start + timedelta(hours=1), end, 7 * day).next() == windows[0]
    assert halves(windows[0]) == [
        (windows[0][0], datetime(2025, 2, 4, 12, tzinfo=UTC)),
        (datetime(2025, 2, 4, 12, tzinfo=UTC), windows[0][1]),
    ]
    assert w3(datetime(2025, 2, 1, 3, tzinfo=MSK)) == "2025-02-01T00:00:00Z"


def test_empty_windows_widen_on_their_own_grid_and_busy_ones_narrow_again():
    day = timedelta(days=1)
    start, end = datetime(2015, 3, 1, tzinfo=UTC), datetime(2025, 3, 1, tzinfo=UTC)
    busy = (datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 7, 1, tzinfo=UTC))
    windows = walk(WideningGrid(start, end, 7 * day), lambda w: int(w[0] < busy[1] and w[1] > busy[0]))
    # Contiguous from the first week to the end, ten years in a few dozen windows instead of 522.
    assert windows[0][0] <= start and windows[-1][1] == end
    assert all(a[1] == b[0] for a, b in zip(windows, windows[1:]))
    assert len(windows) < 60
    widths = {w[1] - w[0] for w in windows[:-1]}
    assert max(widths) == 7 * day * 32 and all((w // (7 * day)) & (w // (7 * day) - 1) == 0 for w in widths)
    assert all((w[0] - GRID_ORIGIN) % (w[1] - w[0]) == timedelta(0) for w in windows[:-1])  # on their own grid
    # A window with requests is followed by a week-wide one: the width goes back to the base.
    touched = [i for i, w in enumerate(windows) if w[0] < busy[1] and w[1] > busy[0]]
    assert touched and all(windows[i + 1][1] - windows[i + 1][0] == 7 * day for i in touched)


def test_endpoints_from_the_environment_value():
    text = json.dumps(
        [
            {
                "source": "nm",
                "base_url": "https://city.example/open311/v2/",
                "jurisdiction_id": "nm",
                "api_key_env": "NM_KEY",
                "since": "2025-01-01",
                "page_size": 50,
            }
        ]
    )
    [endpoint] = endpoints_from_json(text)
    assert endpoint.identity == "https://city.example/open311/v2#jurisdiction_id=nm"
    assert endpoint.since == datetime(2024, 12, 31, 21, tzinfo=UTC)  # local midnight in Moscow
    assert endpoints_from_json(None) == [] and endpoints_from_json(" ") == []
    with pytest.raises(ValueError, match="unknown keys \\['api_key'\\]"):
        endpoints_from_json('[{"source": "x", "base_url": "http://h", "api_key": "secret"}]')
    with pytest.raises(ValueError, match="not in base_url"):
        Endpoint("x", "http://h/v2?api_key=secret")
    with pytest.raises(ValueError, match="NM_KEY"):
        Endpoint("x", "http://h", api_key_env="NM_KEY_THAT_IS_NOT_SET").api_key()
    assert parse_since("2025-03-01T00:00:00Z") == datetime(2025, 3, 1, tzinfo=UTC)

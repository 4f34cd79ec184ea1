"""The Open311 client against the local server over real HTTP on loopback, one injected fault at a time."""

import logging
import time
from dataclasses import replace

import pytest

from sources.open311.client import Open311Client, Open311Error
from sources.open311.server import Feed, Open311Server
from tests.integration.open311_helpers import FAST, make_requests

DATA = make_requests(12)
QUERY = {"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-12-31T00:00:00Z"}


@pytest.fixture
def server():
    with Open311Server(Feed(DATA)) as running:
        yield running


def ids(document) -> list[str]:
    return [obj["service_request_id"] for obj in document]


def test_a_plain_get(server):
    with Open311Client(server.url, settings=FAST) as client:
        document, url = client.get_json("requests.json", QUERY)
    assert ids(document) == [r["service_request_id"] for r in DATA]
    assert url == f"{server.url}/requests.json?start_date=2025-01-01T00%3A00%3A00Z&end_date=2025-12-31T00%3A00%3A00Z"


def test_500s_are_retried_until_an_answer(server):
    server.faults.status(500, times=2)
    with Open311Client(server.url, settings=FAST) as client:
        document, _ = client.get_json("requests.json", QUERY)
    assert len(document) == 12
    assert len(server.log) == 3


def test_429_waits_as_long_as_retry_after_says(server):
    server.faults.status(429, times=1, retry_after="1")
    with Open311Client(server.url, settings=FAST) as client:
        document, _ = client.get_json("requests.json", QUERY)
    assert len(document) == 12
    waited = server.log[1]["t"] - server.log[0]["t"]
    assert 1.0 <= waited < 1.8, waited  # the backoff alone would be 0.05 s at most


def test_too_many_failures_end_in_a_clear_error(server):
    server.faults.status(503, times=100)
    with Open311Client(server.url, settings=FAST) as client, pytest.raises(Open311Error) as caught:
        client.get_json("requests.json", QUERY)
    assert "HTTP 503 after 3 retries" in str(caught.value)
    assert caught.value.status == 503
    assert len(server.log) == 4  # the request and three retries


def test_a_response_slower_than_the_read_timeout_is_asked_again(server):
    server.faults.slow(1.0, times=1)
    with Open311Client(server.url, settings=FAST) as client:
        started = time.monotonic()
        document, _ = client.get_json("requests.json", QUERY)
    assert len(document) == 12
    assert len(server.log) == 2
    assert time.monotonic() - started < 1.0  # it did not wait for the slow answer


def test_a_body_cut_short_is_fetched_again(server):
    server.faults.truncate(times=1)
    with Open311Client(server.url, settings=FAST) as client:
        document, _ = client.get_json("requests.json", QUERY)
    assert len(document) == 12
    assert len(server.log) == 2


def test_bodies_cut_short_every_time_fail_the_request_cleanly(server):
    server.faults.truncate(times=100)
    with Open311Client(server.url, settings=FAST) as client, pytest.raises(Open311Error) as caught:
        client.get_json("requests.json", QUERY)
    assert "no complete JSON body in 3 attempts" in str(caught.value)
    assert caught.value.status is None


def test_an_unreachable_endpoint_fails_after_the_retries():
    server = Open311Server(Feed(DATA)).start()
    url = server.url
    server.stop()
    with Open311Client(url, settings=FAST) as client, pytest.raises(Open311Error) as caught:
        client.get_json("requests.json", QUERY)
    assert "unreachable after 3 retries" in str(caught.value)


def test_the_request_rate_is_bounded(server):
    with Open311Client(server.url, settings=replace(FAST, max_rps=20)) as client:
        for _ in range(10):
            client.get_json("services.json")
    # 20 per second: sent 50 ms apart. Arrival times jitter by a few ms on a busy machine, and the first
    # request also opened the connection, so the span from the second to the last is what is measured.
    span = server.log[-1]["t"] - server.log[1]["t"]
    assert span >= 8 * 0.05 - 0.02, span


def test_retries_keep_to_the_rate_too(server):
    server.faults.status(502, times=3)
    with Open311Client(server.url, settings=replace(FAST, max_rps=10)) as client:
        client.get_json("requests.json", QUERY)
    assert len(server.log) == 4
    assert server.log[-1]["t"] - server.log[0]["t"] >= 3 * 0.1 - 0.02


def test_jurisdiction_and_api_key_are_sent_and_the_key_is_never_shown(caplog):
    secret = "s3cr3t-KEY-0451"
    caplog.set_level(logging.DEBUG)
    with Open311Server(Feed(DATA), jurisdiction_id="nm", api_key=secret) as server:
        with Open311Client(server.url, jurisdiction_id="nm", api_key=secret, settings=FAST) as client:
            document, url = client.get_json("requests.json", QUERY)
            assert len(document) == 12
            assert "jurisdiction_id=nm" in url and secret not in url and "api_key" not in url
        with (
            Open311Client(server.url, jurisdiction_id="nm", api_key="wrong", settings=FAST) as client,
            pytest.raises(Open311Error, match="HTTP 403: invalid api_key"),
        ):
            client.get_json("requests.json", QUERY)
        with (
            Open311Client(server.url, api_key=secret, settings=FAST) as client,
            pytest.raises(Open311Error, match="HTTP 404: jurisdiction_id not found"),
        ):
            client.get_json("requests.json", QUERY)
        server.faults.status(500, times=100)
        with (
            Open311Client(server.url, jurisdiction_id="nm", api_key=secret, settings=FAST) as client,
            pytest.raises(Open311Error) as caught,
        ):
            client.get_json("requests.json", QUERY)
        assert secret not in str(caught.value)
    assert "requests.json" in caplog.text  # urllib3 did log the URLs ...
    assert "api_key=***" in caplog.text
    assert secret not in caplog.text  # ... without the key

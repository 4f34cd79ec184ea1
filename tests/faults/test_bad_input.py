"""Fault suite 3: a corpus of bad input of every format goes through `tsur ingest`'s code path and the Open311
poller into one warehouse; every row is loaded or quarantined with its reason, each batch reconciles, the
valid rows of a bad file are kept, and one `dbt build` over all of it succeeds.

Answers before receipt are caught where one record shows them: a ПОС, ИМ or СЭД row whose answer (or first
response, interim answer, closing) falls on an earlier day than its receipt is quarantined at load
(`answer_before_receipt`); a feed (Open311) keeps the request and drops the impossible moment with a flag.
In the event stream the answer and the receipt are separate events, possibly in separate files loaded in any
order, so both are loaded and the appeal is flagged in intermediate (`has_answer_before_receipt`) and left
out of the speed figures (answer hours, working days, on time) of fct_appeals.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from sources.detect import ingest_file
from sources.open311.jsontext import loads
from sources.open311.poll import poll_endpoint
from sources.open311.server import Feed, Open311Server
from tests.conftest import fresh_database, project_env, run_dbt
from tests.faults.corpus import CASES, INJECTION, OPEN311_BROKEN, OPEN311_FLAGGED, SOURCE
from tests.integration.open311_helpers import FAST, endpoint, make_requests

OPEN311_VALID = make_requests(12)
AS_OF = "2025-04-01T00:00:00+03:00"


@pytest.fixture(scope="module")
def corpus(server_url, tmp_path_factory):
    """Every case loaded, in order, into one fresh warehouse; the Open311 feed polled once."""
    from lib.warehouse import Warehouse

    folder = tmp_path_factory.mktemp("corpus")
    with fresh_database(server_url) as url, project_env(url, folder):
        warehouse = Warehouse().start()
        reports = {}
        with warehouse.connect(autocommit=True) as conn:
            for case in CASES:
                path = folder / "landing" / case.folder / case.name
                path.parent.mkdir(parents=True, exist_ok=True)
                case.write(path)
                reports[case.id] = ingest_file(conn, path)[1]  # what `tsur ingest` calls for each file
            feed = Feed(OPEN311_VALID)
            for text in [*OPEN311_BROKEN.values(), *(t for t, _ in OPEN311_FLAGGED.values())]:
                feed.put(loads(text))
            with Open311Server(feed) as server:
                reports["open311"] = poll_endpoint(
                    conn,
                    endpoint(server, source="corpus-city"),
                    since=datetime(2025, 2, 1, tzinfo=UTC),
                    now=datetime(2025, 3, 1, tzinfo=UTC),
                    client_settings=FAST,
                )
        yield warehouse, reports


@pytest.fixture
def db(corpus):
    with corpus[0].connect(autocommit=True) as connection:
        yield connection


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_bad_file_is_loaded_or_quarantined_with_its_reason(corpus, db, case):
    report = corpus[1][case.id]
    assert not report.skipped_file and report.batch_id is not None
    stored = db.execute(
        "select lines_read, loaded, duplicates, quarantined from raw.load_batches where batch_id = %s",
        (report.batch_id,),
    ).fetchone()
    assert stored == (case.read, case.loaded, case.duplicates, case.quarantined)
    assert stored[0] == stored[1] + stored[2] + stored[3]
    rows = db.execute(
        "select reason_code, reason, line_no from raw.quarantine where batch_id = %s", (report.batch_id,)
    ).fetchall()
    codes: dict[str, int] = {}
    for code, _, _ in rows:
        codes[code] = codes.get(code, 0) + 1
    assert codes == case.reasons
    assert all(reason for _, reason, _ in rows)
    for word in case.words:
        assert any(word in reason for _, reason, _ in rows), (word, [r[1] for r in rows])
    if case.whole_file:
        assert [line for _, _, line in rows] == [None]
    table, key = ("raw.appeal_events", "event_id") if case.folder == "events" else ("raw.source_rows", "appeal_id")
    kept = {k for (k,) in db.execute(f"select {key} from {table} where batch_id = %s", (report.batch_id,))}
    assert set(case.keys) <= kept and len(kept) <= case.loaded


def test_an_open311_feed_with_broken_requests_loads_the_rest(corpus, db):
    report = corpus[1]["open311"]
    assert report.complete
    reasons = dict(
        db.execute(
            "select reason_code, count(*) from raw.quarantine where source = 'corpus-city' group by 1"
        ).fetchall()
    )
    assert reasons == dict.fromkeys(OPEN311_BROKEN, 1)  # each once, though some windows send it again
    loaded = dict(db.execute("select appeal_id, flags from raw.source_rows where source = 'corpus-city'").fetchall())
    assert set(loaded) == {r["service_request_id"] for r in OPEN311_VALID} | set(OPEN311_FLAGGED)
    for appeal_id, (_, flags) in OPEN311_FLAGGED.items():
        assert set(flags) <= set(loaded[appeal_id]), (appeal_id, loaded[appeal_id])
    early = db.execute("select record from raw.source_rows where appeal_id = 'O-EARLY'").fetchone()[0]
    assert "closed_at" not in early and early["created_at"] == "2025-02-07T10:00:00+03:00"
    unbalanced = db.execute(
        "select count(*) from raw.open311_windows w join raw.load_batches b using (batch_id)"
        " where w.objects_read <> b.lines_read + w.repeated_broken"
        " or b.lines_read <> b.loaded + b.duplicates + b.quarantined"
    ).fetchone()[0]
    assert unbalanced == 0


def test_nothing_is_lost_and_text_shaped_as_sql_is_just_text(corpus, db):
    expected = sum(c.read for c in CASES)
    batches = db.execute(
        "select sum(lines_read), sum(loaded), sum(duplicates), sum(quarantined)"
        " from raw.load_batches where source is distinct from 'corpus-city'"
    ).fetchone()
    assert batches[0] == expected and batches[0] == batches[1] + batches[2] + batches[3]
    in_raw = db.execute(
        "select (select count(*) from raw.appeal_events) + (select count(*) from raw.source_rows"
        " where source <> 'corpus-city'), (select count(*) from raw.quarantine"
        " where source is distinct from 'corpus-city')"
    ).fetchone()
    assert in_raw == (sum(c.loaded for c in CASES), sum(c.quarantined for c in CASES))
    payload = db.execute("select payload from raw.appeal_events where event_id = %s", (INJECTION,)).fetchone()[0]
    assert payload["text"] == "'; delete from raw.appeal_events where ''='"
    assert (
        db.execute(
            "select payload->>'Номер сообщения' from raw.source_rows where appeal_id = %s", (INJECTION,)
        ).fetchone()[0]
        == INJECTION
    )


def test_the_pipeline_goes_on_dbt_builds_over_the_whole_corpus(corpus, db):
    run_dbt(corpus[0], "build", "--vars", json.dumps({"as_of": AS_OF}))
    early = db.execute(
        "select received_at, first_answer_at, answer_hours, answer_working_days, is_answered_on_time,"
        " is_answered from marts.fct_appeals where source = %s and appeal_id = 'A-ABR'",
        (SOURCE,),
    ).fetchone()
    assert early[0] == datetime(2025, 3, 10, 7, tzinfo=UTC)
    assert early[1] == datetime(2025, 3, 5, 7, tzinfo=UTC)
    assert early[2:] == (None, None, None, True)  # answered, but no speed figure from an impossible order
    flagged = {
        k
        for (k,) in db.execute(
            "select source || '/' || appeal_id from intermediate.int_appeals__folded where has_answer_before_receipt"
        )
    }
    # O-EARLY: the feed's closing moment was dropped at load, but its snapshot (taken at updated_datetime,
    # before the receipt) already says "closed"; P-E2's bare answer date on the day of receipt is no error.
    assert flagged == {f"{SOURCE}/A-ABR", "corpus-city/O-EARLY"}
    speed = db.execute(
        "select appeal_key, received_at, first_answer_at, answer_hours, answer_working_days"
        " from marts.fct_appeals where answer_hours < 0 or answer_working_days < 0"
        " or appeal_key = 'corpus-city/O-EARLY' and answer_hours is not null"
    ).fetchall()
    assert speed == []
    measures = db.execute(
        "select count(*) from marts.fct_appeal_measures"
        " where first_reaction_working_hours < 0 or resolution_working_days < 0"
    ).fetchone()[0]
    assert measures == 0
    # P-E2: answered on the day of receipt with a bare date: 0 working days, no hours, on time.
    assert db.execute(
        "select answer_hours, answer_working_days, is_answered_on_time from marts.fct_appeals"
        " where appeal_key = 'epgu-pos/P-E2'"
    ).fetchone() == (None, 0, True)
    appeals = {k for (k,) in db.execute("select appeal_key from marts.fct_appeals")}
    assert {
        f"{SOURCE}/A-SQL",
        f"{SOURCE}/A-SQL'--",
        "epgu-pos/P-CP1",
        "sed-nao/Ч-1",
        "medialogia-im/IM-2",
        "corpus-city/O-SQL",
    } <= appeals

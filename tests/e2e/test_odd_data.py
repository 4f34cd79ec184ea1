"""Real data is odd: deadlines years ahead, a municipal feed from 2010, a date from 1970, an answer after nine
years. They load, build and export; plausibility rules flag them (quality.flagged_rows, mart_quality_flags,
the run summary) and keep the speed figures honest; a rule blocks only above its share of odd rows."""

import csv
import json
import socket
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest

from lib.config import DBT_PROJECT_DIR
from orchestration.defs.transform.assets import dbt_run_config
from tests.conftest import fresh_database, project_env

pytestmark = pytest.mark.slow
PORTAL = {
    "code": "dsgkhet",
    "name": "Департамент строительства, жилищно-коммунального хозяйства, энергетики и "
    "транспорта Ненецкого автономного округа",
}


def event(source: str, appeal: str, n: int, kind: str, at: str, **fields) -> dict:
    return {
        "schema": "appeal-event/1",
        "event_id": f"{appeal}-{n}",
        "source": source,
        "channel": "portal",
        "appeal_id": appeal,
        "event_type": kind,
        "occurred_at": at,
        **fields,
    }


def odd_events() -> list[dict]:
    out = []
    # A regional portal's planned works: due in 2031 and 2032.
    for n, (received, due) in enumerate(
        (
            ("2025-03-10T10:00:00+03:00", "2032-06-30T18:00:00+03:00"),
            ("2025-04-01T10:00:00+03:00", "2031-01-01T18:00:00+03:00"),
        ),
        start=1,
    ):
        out.append(
            event(
                "region-portal",
                f"PW-{n}",
                1,
                "received",
                received,
                due_at=due,
                category={"code": "roads.maintenance"},
                agency=PORTAL,
            )
        )
    # A municipal feed of 2010: legitimate history, one answer nine years late.
    for n in range(1, 9):
        at = f"2010-{n:02d}-15T10:00:00+03:00"
        out.append(event("gorod-2010", f"G-{n}", 1, "received", at, category={"code": "housing.water"}))
        answered = f"2010-{n:02d}-25T10:00:00+03:00" if n > 1 else "2019-05-20T10:00:00+03:00"
        out.append(event("gorod-2010", f"G-{n}", 2, "answered", answered, result="explained"))
    # The epoch: a date nobody typed, in a source whose appeals are all of 2025.
    out.append(
        {
            **event("region-portal", "EPOCH-1", 1, "received", "1970-01-01T00:00:00+00:00"),
            "category": {"code": "roads.snow"},
        }
    )
    return out


@contextmanager
def mail_server(folder):
    """A real SMTP server on loopback (aiosmtpd) and an address for every body of the reference list."""
    from aiosmtpd.controller import Controller

    class Mailbox(list):
        async def handle_DATA(self, server, session, envelope):
            self.append(tuple(sorted(envelope.rcpt_tos)))
            return "250 Message accepted for delivery"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    codes = [
        r["agency_code"]
        for r in csv.DictReader((DBT_PROJECT_DIR / "seeds" / "reference" / "agencies.csv").open(encoding="utf-8"))
    ]
    book = folder / "recipients.yaml"
    book.write_text(
        "".join(f"{c}: [kontrol@{c}.example.org]\n" for c in codes) + "unassigned: [duty@cur.example.org]\n",
        encoding="utf-8",
    )
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("TSUR_SMTP_HOST", "127.0.0.1")
            mp.setenv("TSUR_SMTP_PORT", str(port))
            mp.setenv("TSUR_ALERT_RECIPIENTS", str(book))
            yield mailbox
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def built(server_url, dbt_manifest, tmp_path_factory):
    from lib.warehouse import Warehouse
    from orchestration.definitions import defs
    from orchestration.summary import warehouse_summary
    from sources.sample import generate_sample

    folder = tmp_path_factory.mktemp("odd")
    with fresh_database(server_url) as url, project_env(url, folder), mail_server(folder) as mailbox:
        warehouse = Warehouse().start()
        landing = warehouse.settings.landing_dir
        generate_sample(landing, scale=0.02, formats="canonical")
        (landing / "portal").mkdir(parents=True, exist_ok=True)
        (landing / "portal" / "odd.jsonl").write_text(
            "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in odd_events()), encoding="utf-8"
        )
        as_of = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
        job = defs.resolve_job_def("tsur_all")
        first = job.execute_in_process(run_config=dbt_run_config(job, as_of=as_of.isoformat()))
        mailed_first = list(mailbox)
        second = job.execute_in_process(run_config=dbt_run_config(job, as_of=as_of.isoformat()))
        with warehouse.connect() as conn:
            yield {
                "runs": (first, second),
                "conn": conn,
                "summary": warehouse_summary(conn),
                "export": warehouse.settings.export_dir / "mart_sector_monthly.csv",
                "mail": (mailed_first, list(mailbox)),
            }


def test_odd_rows_do_not_stop_the_run_or_the_export(built):
    assert all(run.success for run in built["runs"])
    assert built["export"].exists()
    conn = built["conn"]
    assert (
        conn.execute(
            "select count(*) from marts.fct_appeals where source in ('region-portal', 'gorod-2010')"
        ).fetchone()[0]
        == 2 + 8 + 1
    )


def test_each_odd_row_is_flagged_once_and_visible(built):
    conn = built["conn"]
    flags = {
        (r[0], r[1])
        for r in conn.execute(
            "select rule, row_key from marts.mart_quality_flags where is_open and row_key not like 'epgu%'"
            " and row_key like any(array['region-portal/%', 'gorod-2010/%'])"
        )
    }
    assert flags == {
        ("deadline_far_ahead", "region-portal/PW-1"),
        ("deadline_far_ahead", "region-portal/PW-2"),
        ("received_long_before_its_source", "region-portal/EPOCH-1"),
        ("answer_after_years", "gorod-2010/G-1"),
    }
    # 2010 is the feed's own range: none of its receipts is odd.
    value = conn.execute("select value_seen from quality.flagged_rows where row_key = 'region-portal/PW-1'").fetchone()
    assert value[0].startswith("2032-06-30")
    # The second run saw them again: first seen stays, nothing doubled.
    first, last = conn.execute("select min(first_seen_at), max(last_seen_at) from quality.flagged_rows").fetchone()
    assert last > first
    assert "deadline_far_ahead 2" in str(built["summary"]["flagged"])


def test_the_late_answer_stays_out_of_the_speed_figures(built):
    conn = built["conn"]
    late, kept = conn.execute(
        "select max(resolution_working_days) filter (where appeal_key = 'gorod-2010/G-1'),"
        " count(resolution_working_days) filter (where source = 'gorod-2010') from marts.fct_appeal_measures"
    ).fetchone()
    assert late is None and kept == 7
    answer_days = conn.execute(
        "select answer_working_days from marts.fct_appeals where appeal_key = 'gorod-2010/G-1'"
    ).fetchone()[0]
    assert answer_days > 750  # the fact keeps what happened; only the speed figures leave it out


def test_a_rule_blocks_only_above_its_share(built, monkeypatch):
    from expectations import plausibility

    conn = built["conn"]
    rule = plausibility.BY_NAME["deadline_far_ahead"]
    outcome, flagged = plausibility.evaluate(conn, rule)
    assert outcome.success and len(flagged) == 2
    monkeypatch.setattr(plausibility, "MAX_SHARE", 1 / 10_000)  # as if a source had switched its date format
    outcome, _ = plausibility.evaluate(conn, rule)
    assert not outcome.success and "deadline_far_ahead" in outcome.message()


def published_digest(conn) -> tuple:
    return conn.execute(
        "select count(*), md5(string_agg(appeal_key || coalesce(category_code, ''), ',' order by"
        " appeal_key)) from marts.fct_appeals"
    ).fetchone()


def test_a_broken_blocking_rule_leaves_the_published_marts_and_says_so(built, monkeypatch):
    """Write–audit–publish: a build whose blocking rule fails stays in marts_build; BI keeps the last good marts."""
    from expectations import plausibility
    from lib.warehouse import Warehouse
    from orchestration.definitions import defs
    from orchestration.status import format_status, read_status
    from sources.events import load_event_file

    conn = built["conn"]
    before, publications = (
        published_digest(conn),
        conn.execute("select count(*) from quality.publications").fetchone()[0],
    )
    wh = Warehouse()
    late = wh.settings.landing_dir / "portal" / "late.jsonl"
    late.write_text(
        json.dumps(
            event(
                "region-portal",
                "PW-3",
                1,
                "received",
                "2025-05-05T10:00:00+03:00",
                due_at="2033-01-01T18:00:00+03:00",
                category={"code": "roads.maintenance"},
            ),
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    conn.commit()
    load_event_file(conn, late)
    monkeypatch.setattr(plausibility, "MAX_SHARE", 1 / 10_000)  # as if a source had switched its date format
    build = defs.resolve_job_def("tsur_build")
    held = build.execute_in_process(raise_on_error=False)
    assert not held.success
    assert not held.asset_materializations_for_node("marts__published")
    assert published_digest(conn) == before  # row for row
    assert (
        conn.execute("select count(*) from marts_build.fct_appeals where appeal_key = 'region-portal/PW-3'").fetchone()[
            0
        ]
        == 1
    )
    status = read_status(conn)
    assert status.held and status.build_run == held.run_id
    assert "БЛОКИРУЕТ: plausible_deadline_far_ahead" in format_status(status)
    assert conn.execute("select count(*) from quality.publications").fetchone()[0] == publications

    monkeypatch.undo()
    assert build.execute_in_process().success
    assert (
        conn.execute("select count(*) from marts.fct_appeals where appeal_key = 'region-portal/PW-3'").fetchone()[0]
        == 1
    )
    status = read_status(conn)
    assert not status.held and status.published_run == status.build_run


def test_each_body_gets_its_deadline_list_once(built):
    """After the publication each body with appeals due within a working day or overdue gets one mail; the
    second run, with nothing changed, sends nothing."""
    conn = built["conn"]
    first, after_second = built["mail"]
    due = {
        r[0]
        for r in conn.execute(
            "select distinct coalesce(agency_code, 'unassigned') from marts.mart_deadline_control"
            " where control_status = 'open_overdue' or (control_status = 'open' and working_days_left <= 1)"
        )
    }
    assert due  # the sample year has overdue appeals as of now
    known = {
        r["agency_code"]
        for r in csv.DictReader((DBT_PROJECT_DIR / "seeds" / "reference" / "agencies.csv").open(encoding="utf-8"))
    }
    expected = sorted(
        (f"kontrol@{code}.example.org",) if code != "unassigned" else ("duty@cur.example.org",)
        for code in due
        if code in known or code == "unassigned"
    )
    assert sorted(first) == expected
    assert after_second == first

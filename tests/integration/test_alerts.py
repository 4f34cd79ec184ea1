"""Deadline alerts on a real PostgreSQL with a local SMTP server (aiosmtpd on loopback).

The deadline mart is a stand-in table with the columns the alerts read (building dbt is slow); every expected
value below is written out from the rows inserted here (alerts_helpers.SAMPLE), not computed by the code under test.
"""

from __future__ import annotations

import logging
from datetime import datetime

import psycopg
import pytest
from aiosmtpd.controller import Controller

from exports.alerts import send_alerts
from tests.integration.alerts_helpers import (
    AS_OF_1,
    AS_OF_2,
    BOOK,
    DSG,
    DUTY,
    DZO,
    HEADERS,
    MSK,
    NAMES,
    NAO,
    NOW_1,
    NOW_2,
    NOW_3,
    NOW_4,
    SAMPLE,
    ZR,
    Recorder,
    create_mart,
    data_rows,
    due,
    expected_alerts,
    free_port,
    index_rows,
    logged,
    parsed,
    sheet_of,
    xlsx_rows,
)
from tests.pii_scan import PiiScanner


@pytest.fixture
def smtp_server():
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def mart(conn):
    return create_mart(conn)


@pytest.fixture
def mail_env(monkeypatch, tmp_path, smtp_server):
    book = tmp_path / "recipients.yaml"
    book.write_text("".join(f"{code}: [{', '.join(addrs)}]\n" for code, addrs in BOOK.items()), encoding="utf-8")
    monkeypatch.setenv("TSUR_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TSUR_SMTP_PORT", str(smtp_server[1]))
    monkeypatch.setenv("TSUR_SMTP_FROM", "tsur@cur.example.org")
    monkeypatch.setenv("TSUR_ALERT_RECIPIENTS", str(book))
    for name in ("TSUR_SMTP_USER", "TSUR_SMTP_PASSWORD", "TSUR_SMTP_STARTTLS"):
        monkeypatch.delenv(name, raising=False)
    return smtp_server[0]


def test_each_body_gets_its_list_once(mart, mail_env, warehouse):
    out = warehouse.settings.export_dir
    report = send_alerts(mart, out, now=NOW_1)
    expected = expected_alerts(SAMPLE)
    assert set(expected) == {"dzo", "dsgkhet", "doks", "unassigned"}
    assert [r["appeal_key"] for r in expected["dzo"]] == ["letter/SED-77", "pos/POS-1001", "pos/POS-1002"]

    # Mails: one per body with addresses; doks has none, dtszn has no alerts.
    mails = {tuple(m[0]): m for m in parsed(mail_env.messages)}
    assert set(mails) == {DZO, DSG, DUTY}
    dzo, dsg, duty = mails[DZO], mails[DSG], mails[DUTY]
    assert dzo[1] == "Контроль сроков: 2 обращения с истекающим сроком, 1 просроченное"
    assert dsg[1] == "Контроль сроков: 0 обращений с истекающим сроком, 2 просроченных"
    assert duty[1] == "Контроль сроков: 1 обращение с истекающим сроком, 0 просроченных"
    assert dzo[5]["From"] == "tsur@cur.example.org"
    assert all(m[0] == "tsur@cur.example.org" for m in mail_env.messages)
    scanner = PiiScanner(shapes=True)
    for code, mail in (("dzo", dzo), ("dsgkhet", dsg), ("unassigned", duty)):
        to, subject, text, attachment, filename, _ = mail
        assert filename.endswith(".xlsx")
        sheet = sheet_of(attachment)
        cells = [[c.value for c in r] for r in sheet.iter_rows()]
        assert cells[0] == HEADERS and sheet.freeze_panes == "A2"
        assert cells[1:] == xlsx_rows(expected[code])
        for r in expected[code]:  # the plain-text table lists every appeal with its Moscow deadline
            assert r["appeal_key"] in text and r["due_at"].astimezone(MSK).strftime("%d.%m.%Y %H:%M") in text
        others = {r["appeal_key"] for r in SAMPLE} - {r["appeal_key"] for r in expected[code]}
        assert not [k for k in others if k in text]
        found = scanner.scan_text(subject + "\n" + text, "mail") + [
            f for r in cells for v in r if v is not None for f in scanner.scan_text(str(v), "xlsx")
        ]
        assert found == []
    assert "15.10.2025 23:59" in dzo[2]  # POS-1001: due at the end of 15 October, Moscow time

    # Files: one per body (doks too), under the Moscow date of the build; an index.
    folder = out / "alerts" / "2025-10-15"
    assert report.folder == folder and report.as_of == AS_OF_1
    assert sorted(p.name for p in folder.iterdir()) == [
        "doks.xlsx",
        "dsgkhet.xlsx",
        "dzo.xlsx",
        "index.csv",
        "unassigned.xlsx",
    ]
    for code, rows in expected.items():
        assert data_rows((folder / f"{code}.xlsx").read_bytes()) == xlsx_rows(rows)
    assert (folder / "dzo.xlsx").read_bytes() == dzo[3]
    assert index_rows(folder / "index.csv") == [
        ["agency_code", "agency_name", "due_soon", "overdue", "emailed", "recipients"],
        ["doks", "Департамент образования НАО", "0", "1", "no", "0"],
        ["dsgkhet", "Департамент ЖКХ НАО", "0", "2", "yes", "1"],
        ["dzo", "Департамент здравоохранения НАО", "2", "1", "yes", "2"],
        ["unassigned", "Орган не назначен", "1", "0", "yes", "1"],
    ]

    # The log: each alerted appeal once, with its state, deadline and how it went out.
    count = {"dzo": 2, "dsgkhet": 1, "unassigned": 1}
    assert logged(mart) == sorted(
        (
            r["appeal_key"],
            "overdue" if r["control_status"] == "open_overdue" else "due_soon",
            r["due_at"],
            r["agency_code"],
            NOW_1,
            AS_OF_1,
            code in count,
            count.get(code, 0),
        )
        for code, rows in expected.items()
        for r in rows
    )
    assert report.failed == () and report.logged == 7 and report.email_enabled


def test_the_next_run_sends_and_writes_nothing(mart, mail_env, warehouse):
    out = warehouse.settings.export_dir
    send_alerts(mart, out, now=NOW_1)
    before = logged(mart)
    assert len(before) == 7 and len(mail_env.messages) == 3
    again = send_alerts(mart, out, now=NOW_2)
    assert again.bodies == () and again.folder is None and again.logged == 0
    assert len(mail_env.messages) == 3
    assert logged(mart) == before
    assert sorted(p.name for p in (out / "alerts").iterdir()) == ["2025-10-15"]


def test_a_new_state_or_a_new_deadline_alerts_again_once(mart, mail_env, warehouse):
    out = warehouse.settings.export_dir
    send_alerts(mart, out, now=NOW_1)
    first = logged(mart)
    assert len(mail_env.messages) == 3
    # The next build, two days later: POS-1001 answered; POS-1002 now overdue; POS-2001 extended to 16
    # October but still overdue; POS-3001 redirected to dzo with a new deadline on Monday 20 October.
    mart.execute("update marts.mart_deadline_control set _built_as_of = %s", (AS_OF_2,))
    mart.execute("delete from marts.mart_deadline_control where appeal_key = 'pos/POS-1001'")
    mart.execute(
        "update marts.mart_deadline_control set control_status = 'open_overdue',"
        " working_days_left = -1, overdue_working_days = 1 where appeal_key = 'pos/POS-1002'"
    )
    mart.execute(
        "update marts.mart_deadline_control set due_at = %s, overdue_working_days = 1"
        " where appeal_key = 'pos/POS-2001'",
        (due(16),),
    )
    mart.execute(
        "update marts.mart_deadline_control set due_at = %s, agency_code = 'dzo', agency_name = %s,"
        " working_days_left = 1 where appeal_key = 'pos/POS-3001'",
        (due(20), NAMES["dzo"]),
    )
    report = send_alerts(mart, out, now=NOW_3)
    mails = {tuple(m[0]): m for m in parsed(mail_env.messages[3:])}
    assert set(mails) == {DZO, DSG}
    dzo, dsg = mails[DZO], mails[DSG]
    assert dzo[1] == "Контроль сроков: 1 обращение с истекающим сроком, 1 просроченное"
    assert dsg[1] == "Контроль сроков: 0 обращений с истекающим сроком, 1 просроченное"
    assert data_rows(dzo[3]) == [
        [
            "pos/POS-1002",
            "просрочено",
            datetime(2025, 10, 16, 23, 59, 59),
            None,
            1,
            "Работа медицинских учреждений",
            ZR,
        ],
        ["pos/POS-3001", "срок истекает", datetime(2025, 10, 20, 23, 59, 59), 1, None, "Прочие по направлению", None],
    ]
    assert data_rows(dsg[3]) == [
        ["pos/POS-2001", "просрочено", datetime(2025, 10, 16, 23, 59, 59), None, 1, "Теплоснабжение", NAO]
    ]
    folder = out / "alerts" / "2025-10-17"
    assert report.folder == folder
    assert sorted(p.name for p in folder.iterdir()) == ["dsgkhet.xlsx", "dzo.xlsx", "index.csv"]
    added = sorted(set(logged(mart)) - set(first))
    assert added == [
        ("pos/POS-1002", "overdue", due(16), "dzo", NOW_3, AS_OF_2, True, 2),
        ("pos/POS-2001", "overdue", due(16), "dsgkhet", NOW_3, AS_OF_2, True, 1),
        ("pos/POS-3001", "due_soon", due(20), "dzo", NOW_3, AS_OF_2, True, 2),
    ]
    assert set(first) <= set(logged(mart))  # nothing rewritten

    # Once: the same states at the run after send nothing more.
    again = send_alerts(mart, out, now=NOW_4)
    assert again.bodies == () and len(mail_env.messages) == 5 and len(logged(mart)) == len(first) + 3


def test_a_body_whose_mail_fails_is_retried_next_run(mart, mail_env, warehouse):
    out = warehouse.settings.export_dir
    mail_env.down = {"kontrol@dsgkhet.example.org"}
    report = send_alerts(mart, out, now=NOW_1)
    assert report.failed == ("dsgkhet",)
    assert sorted(tuple(m[1]) for m in mail_env.messages) == [
        ("duty@cur.example.org",),
        ("priem@dzo.example.org", "kontrol@dzo.example.org"),
    ]
    keys = {r[0] for r in logged(mart)}
    assert keys == {"letter/SED-77", "pos/POS-1001", "pos/POS-1002", "open311/MUN-9", "pos/POS-3001"}
    folder = out / "alerts" / "2025-10-15"
    assert index_rows(folder / "index.csv")[2] == ["dsgkhet", "Департамент ЖКХ НАО", "0", "2", "failed", "0"]
    assert any("dsgkhet" in line and "повтор" in line for line in report.lines())

    mail_env.down = set()
    retry = send_alerts(mart, out, now=NOW_2)
    assert retry.failed == () and [b.code for b in retry.bodies] == ["dsgkhet"]
    assert [m[1] for m in mail_env.messages[2:]] == [["kontrol@dsgkhet.example.org"]]
    (dsg,) = parsed(mail_env.messages[2:])
    assert dsg[1] == "Контроль сроков: 0 обращений с истекающим сроком, 2 просроченных"
    assert data_rows(dsg[3]) == [
        ["pos/POS-2002", "просрочено", datetime(2025, 10, 1, 23, 59, 59), None, 10, "Содержание дорог", ZR],
        ["pos/POS-2001", "просрочено", datetime(2025, 10, 13, 23, 59, 59), None, 2, "Теплоснабжение", NAO],
    ]
    assert {r[0]: (r[4], r[6], r[7]) for r in logged(mart) if r[3] == "dsgkhet"} == {
        "pos/POS-2001": (NOW_2, True, 1),
        "pos/POS-2002": (NOW_2, True, 1),
    }
    # The retry's files go beside the first run's, which stay as they were; the same list, the same bytes.
    second = out / "alerts" / "2025-10-15_2"
    assert retry.folder == second
    assert sorted(p.name for p in second.iterdir()) == ["dsgkhet.xlsx", "index.csv"]
    assert (second / "dsgkhet.xlsx").read_bytes() == (folder / "dsgkhet.xlsx").read_bytes()
    assert len((folder / "dzo.xlsx").read_bytes()) > 0
    assert send_alerts(mart, out, now=NOW_3).bodies == () and len(mail_env.messages) == 3


def test_an_unreachable_server_logs_only_bodies_without_mail(mart, mail_env, warehouse, monkeypatch, caplog):
    monkeypatch.setenv("TSUR_SMTP_PORT", str(free_port()))  # nothing listens there
    monkeypatch.setenv("TSUR_SMTP_USER", "tsur")
    monkeypatch.setenv("TSUR_SMTP_PASSWORD", "smtp-pass-not-secret")
    with caplog.at_level(logging.DEBUG):
        report = send_alerts(mart, warehouse.settings.export_dir, now=NOW_1)
    assert report.failed == ("dsgkhet", "dzo", "unassigned")
    assert {(r[0], r[6]) for r in logged(mart)} == {("open311/MUN-9", False)}  # doks: file only, logged
    assert "smtp-pass-not-secret" not in "\n".join(report.lines()) + caplog.text + repr(report)


def test_without_smtp_host_files_are_written_and_nothing_is_sent(mart, mail_env, warehouse, monkeypatch):
    monkeypatch.delenv("TSUR_SMTP_HOST")
    out = warehouse.settings.export_dir
    # Not in autocommit, as a Dagster asset's connection: the log must be committed when send_alerts returns.
    with warehouse.connect() as other:
        report = send_alerts(other, out, now=NOW_1)
        assert other.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert not report.email_enabled and report.failed == () and report.emailed == ()
    assert "TSUR_SMTP_HOST" in report.lines()[0]
    assert mail_env.messages == []
    expected = expected_alerts(SAMPLE)
    folder = out / "alerts" / "2025-10-15"
    assert sorted(p.name for p in folder.glob("*.xlsx")) == sorted(f"{code}.xlsx" for code in expected)
    for code, rows in expected.items():
        assert data_rows((folder / f"{code}.xlsx").read_bytes()) == xlsx_rows(rows)
    assert [r[4] for r in index_rows(folder / "index.csv")[1:]] == ["no"] * 4
    rows = logged(mart)
    assert len(rows) == sum(len(v) for v in expected.values()) == 7
    assert {(r[6], r[7]) for r in rows} == {(False, 0)}
    assert send_alerts(mart, out, now=NOW_2).bodies == ()

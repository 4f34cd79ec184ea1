"""Deadline alerts on a real PostgreSQL with a local SMTP server (aiosmtpd on loopback).

The deadline mart is a stand-in table with the columns the alerts read (building dbt is slow); every expected
value below is written out from the rows inserted here, not computed by the code under test.
"""

from __future__ import annotations

import csv
import email
import io
import logging
import socket
from datetime import UTC, datetime
from email import policy
from zoneinfo import ZoneInfo

import psycopg
import pytest
from aiosmtpd.controller import Controller
from openpyxl import load_workbook

from exports.alerts import send_alerts
from tests.pii_scan import PiiScanner

UTC = UTC
MSK = ZoneInfo("Europe/Moscow")
AS_OF_1 = datetime(2025, 10, 14, 22, 30, tzinfo=UTC)  # 15.10.2025 01:30 in Moscow: the folder is 2025-10-15
AS_OF_2 = datetime(2025, 10, 17, 6, 0, tzinfo=UTC)  # Friday 17.10.2025 09:00 in Moscow
NOW_1 = datetime(2025, 10, 14, 22, 45, tzinfo=UTC)
NOW_2 = datetime(2025, 10, 14, 23, 45, tzinfo=UTC)
NOW_3 = datetime(2025, 10, 17, 6, 15, tzinfo=UTC)
NOW_4 = datetime(2025, 10, 17, 7, 15, tzinfo=UTC)

COLUMNS = (
    "appeal_key",
    "source",
    "appeal_id",
    "control_status",
    "category_name",
    "sector_name",
    "agency_code",
    "agency_name",
    "municipality_name",
    "due_at",
    "due_date",
    "working_days_left",
    "overdue_working_days",
    "_built_as_of",
)
NAO = "городской округ «Город Нарьян-Мар»"
NAMES = {
    "dzo": "Департамент здравоохранения НАО",
    "dsgkhet": "Департамент ЖКХ НАО",
    "doks": "Департамент образования НАО",
}
ZR = "муниципальный район «Заполярный район»"


def due(day: int, month: int = 10) -> datetime:
    """The end of a Moscow day, as deadlines are stored (20:59:59 UTC)."""
    return datetime(2025, month, day, 20, 59, 59, tzinfo=UTC)


def row(source, appeal_id, status, agency, category, municipality, due_at, left, overdue):
    return {
        "appeal_key": f"{source}/{appeal_id}",
        "source": source,
        "appeal_id": appeal_id,
        "control_status": status,
        "category_name": category,
        "sector_name": "Сектор",
        "agency_code": agency,
        "agency_name": NAMES.get(agency, "орган не назначен"),
        "municipality_name": municipality,
        "due_at": due_at,
        "due_date": due_at.astimezone(MSK).date() if due_at else None,
        "working_days_left": left,
        "overdue_working_days": overdue,
        "_built_as_of": AS_OF_1,
    }


SAMPLE = [
    row("pos", "POS-1001", "open", "dzo", "Лечение и оказание медицинской помощи", NAO, due(15), 0, None),
    row("pos", "POS-1002", "open", "dzo", "Работа медицинских учреждений", ZR, due(16), 1, None),
    row("letter", "SED-77", "open_overdue", "dzo", "Лекарственное обеспечение", NAO, due(10), -3, 3),
    row("im", "IM-5", "open", "dzo", "Работа медицинских учреждений", NAO, due(22), 5, None),  # not yet due
    row("pos", "POS-2001", "open_overdue", "dsgkhet", "Теплоснабжение", NAO, due(13), -2, 2),
    row("pos", "POS-2002", "open_overdue", "dsgkhet", "Содержание дорог", ZR, due(1), -10, 10),
    row("pos", "POS-2003", "answered_late", "dsgkhet", "Теплоснабжение", NAO, due(2), None, 4),  # history
    row("open311", "MUN-9", "open_overdue", "doks", "Работа школ", ZR, due(14), -1, 1),  # no address: a file
    row("pos", "POS-3001", "open", None, "Прочие по направлению", None, due(16), 1, None),  # no body
    row("pos", "POS-3002", "open", "dzo", "Работа медицинских учреждений", NAO, None, None, None),  # no term
]
DZO = ("kontrol@dzo.example.org", "priem@dzo.example.org")  # sorted
DSG = ("kontrol@dsgkhet.example.org",)
DUTY = ("duty@cur.example.org",)
BOOK = {
    "dzo": [DZO[1], DZO[0]],
    "dsgkhet": list(DSG),
    "dtszn": ["priem@dtszn.example.org"],
    "unassigned": list(DUTY),
}  # dtszn has nothing due: it gets no mail
STATE = {"open": "срок истекает", "open_overdue": "просрочено"}
HEADERS = [
    "Номер обращения",
    "Состояние",
    "Срок ответа (МСК)",
    "Осталось рабочих дней",
    "Просрочка, рабочих дней",
    "Категория",
    "Муниципальное образование",
]


class Recorder:
    """An SMTP handler that keeps every message and refuses the addresses in `down` (451, try later)."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.down: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.down:
            return "451 4.3.0 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def mart(conn):
    conn.execute("create schema if not exists marts")
    conn.execute(
        "create table marts.mart_deadline_control (appeal_key text primary key, source text,"
        " appeal_id text, control_status text not null, category_name text, sector_name text,"
        " agency_code text, agency_name text, municipality_name text, due_at timestamptz,"
        " due_date date, working_days_left integer, overdue_working_days integer,"
        " _built_as_of timestamptz)"
    )
    with conn.cursor() as cur:
        cur.executemany(
            f"insert into marts.mart_deadline_control ({', '.join(COLUMNS)})"
            f" values ({', '.join(['%s'] * len(COLUMNS))})",
            [[r[c] for c in COLUMNS] for r in SAMPLE],
        )
    return conn


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


def expected_alerts(rows) -> dict[str, list[dict]]:
    """Body → its alerted rows (overdue first, then by deadline), from the rows themselves."""
    alerted = [
        r
        for r in rows
        if r["due_at"] is not None
        and (r["control_status"] == "open_overdue" or (r["control_status"] == "open" and r["working_days_left"] <= 1))
    ]
    bodies: dict[str, list[dict]] = {}
    order = lambda r: (r["control_status"] != "open_overdue", r["due_at"], r["appeal_key"])  # noqa: E731
    for r in sorted(alerted, key=order):
        bodies.setdefault(r["agency_code"] or "unassigned", []).append(r)
    return bodies


def xlsx_rows(rows) -> list[list]:
    return [
        [
            r["appeal_key"],
            STATE[r["control_status"]],
            r["due_at"].astimezone(MSK).replace(tzinfo=None),
            r["working_days_left"] if r["control_status"] == "open" else None,
            r["overdue_working_days"] if r["control_status"] == "open_overdue" else None,
            r["category_name"],
            r["municipality_name"],
        ]
        for r in rows
    ]


def parsed(messages):
    """Messages by their single body: (to, subject, text, attachment bytes, attachment name)."""
    out = []
    for _, rcpt, content in messages:
        msg = email.message_from_bytes(content, policy=policy.default)
        text = msg.get_body(("plain",)).get_content()
        (part,) = list(msg.iter_attachments())
        out.append((sorted(rcpt), str(msg["Subject"]), text, part.get_content(), part.get_filename(), msg))
    return out


def sheet_of(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return book.active


def data_rows(data: bytes) -> list[list]:
    return [[c.value for c in r] for r in sheet_of(data).iter_rows()][1:]


def logged(conn):
    # Sorted here, not by the server: its collation may order '/' and '-' otherwise.
    return sorted(
        conn.execute(
            "select appeal_key, state, due_at, agency_code, first_alerted_at, as_of, emailed,"
            " recipients from reports.deadline_alerts"
        ).fetchall()
    )


def index_rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


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

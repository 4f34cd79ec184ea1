"""What tests/integration/test_alerts.py feeds the deadline alerts and reads back: the rows of a stand-in
deadline mart with the moments of the runs, the recipient book, an SMTP handler that records (or refuses)
mail, and readers of the mails, workbooks, index files and alert log, plus the alerts expected from the rows
themselves."""

from __future__ import annotations

import csv
import email
import io
import socket
from datetime import UTC, datetime
from email import policy
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

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


def create_mart(conn):
    """marts.mart_deadline_control as a stand-in table holding SAMPLE; the connection, for the fixture."""
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

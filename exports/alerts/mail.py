"""E-mail of a body's alert list: settings from the environment, the Russian message, sending over SMTP.

Standard library only (smtplib, email.message). The password is read from the environment and kept out of
reprs, logs and error texts. The message carries appeal numbers, categories, municipalities and deadlines —
what the deadline mart holds — and never anything about the people who wrote.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import yaml

from exports.alerts.lists import MOSCOW, STATE_NAMES, Alert, BodyList

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DEFAULT_SENDER = "tsur-alerts@localhost"


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send; host None means e-mail is off (files are still written)."""

    host: str | None = None
    port: int = 25
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False
    sender: str = DEFAULT_SENDER
    recipients: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    timeout: float = 30.0

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MailSettings:
        env = os.environ if environ is None else environ
        port = env.get("TSUR_SMTP_PORT") or "25"
        if not port.isdigit():
            raise ValueError(f"TSUR_SMTP_PORT must be a port number, not {port!r}")
        starttls = (env.get("TSUR_SMTP_STARTTLS") or "no").strip().lower()
        if starttls not in ("yes", "no", "true", "false", "1", "0"):
            raise ValueError(f"TSUR_SMTP_STARTTLS must be yes or no, not {starttls!r}")
        user = env.get("TSUR_SMTP_USER") or None
        book = env.get("TSUR_ALERT_RECIPIENTS")
        return cls(
            host=env.get("TSUR_SMTP_HOST") or None,
            port=int(port),
            user=user,
            password=env.get("TSUR_SMTP_PASSWORD") or None,
            starttls=starttls in ("yes", "true", "1"),
            sender=env.get("TSUR_SMTP_FROM") or (user if user and "@" in user else DEFAULT_SENDER),
            recipients=load_recipients(Path(book)) if book else {},
        )


def load_recipients(path: Path) -> dict[str, tuple[str, ...]]:
    """The YAML address book: agency_code (or «unassigned») → list of addresses (or one address)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of agency codes to lists of addresses")
    book: dict[str, tuple[str, ...]] = {}
    for code, addresses in data.items():
        addresses = [addresses] if isinstance(addresses, str) else (addresses or [])
        if not isinstance(addresses, list) or not all(isinstance(a, str) and "@" in a for a in addresses):
            raise ValueError(f"{path}: the entry {code!r} must be a list of e-mail addresses")
        book[str(code)] = tuple(dict.fromkeys(a.strip() for a in addresses))  # order kept, repeats dropped
    return book


def plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def subject(body: BodyList) -> str:
    n, m = body.due_soon, body.overdue
    return (
        f"Контроль сроков: {n} {plural(n, 'обращение', 'обращения', 'обращений')} с истекающим сроком, "
        f"{m} {plural(m, 'просроченное', 'просроченных', 'просроченных')}"
    )


def _days(alert: Alert) -> str:
    if alert.state == "overdue":
        return f"просрочка {alert.overdue_working_days}" if alert.overdue_working_days is not None else ""
    return f"осталось {alert.working_days_left}" if alert.working_days_left is not None else ""


def text_table(body: BodyList) -> str:
    """A fixed-width table: mail readers show plain text in a monospace font more often than not."""
    header = ["Номер обращения", "Состояние", "Срок (МСК)", "Раб. дней", "Категория", "Муниципальное образование"]
    rows = [
        [
            a.number,
            STATE_NAMES[a.state],
            a.due_local.strftime("%d.%m.%Y %H:%M"),
            _days(a),
            a.category_name or "",
            a.municipality_name or "",
        ]
        for a in body.alerts
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def compose(
    body: BodyList,
    *,
    to: tuple[str, ...],
    sender: str,
    as_of: datetime,
    now: datetime,
    attachment: bytes,
    filename: str,
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject(body)
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = format_datetime(now.astimezone(MOSCOW))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies back to the warehouse
    when = as_of.astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M")
    text = (
        f"{body.name}\n\n"
        f"Контроль сроков ответа на обращения граждан по состоянию на {when} (МСК).\n"
        f"Новые с прошлого оповещения: срок истекает не позднее чем через 1 рабочий день — {body.due_soon}, "
        f"просрочено — {body.overdue}.\n\n"
        f"{text_table(body)}\n\n"
        f"Тот же список — во вложении {filename}.\n"
        "Письмо сформировано автоматически хранилищем обращений ЦУР Ненецкого автономного округа. "
        "Сведений о заявителях в письме нет: обращение открывайте по номеру в системе-источнике.\n"
    )
    # base64: servers without 8BITMIME take it, and long table lines are not folded.
    message.set_content(text, charset="utf-8", cte="base64")
    message.add_attachment(attachment, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=filename)
    return message


class MailError(Exception):
    """Sending to one body failed; the text names the error, never the password."""


def send(settings: MailSettings, message: EmailMessage, to: tuple[str, ...]) -> tuple[int, list[str]]:
    """Send over one connection; returns the number of addresses that accepted it and those that refused.

    Raises MailError when no address accepted it. A partial refusal counts as sent: sending again would
    duplicate the mail for the addresses that got it; the refused ones are reported.
    """
    try:
        client_class = smtplib.SMTP_SSL if settings.port == 465 else smtplib.SMTP  # 465: TLS from the start
        with client_class(settings.host, settings.port, timeout=settings.timeout) as client:
            if settings.starttls and client_class is smtplib.SMTP:
                client.starttls(context=ssl.create_default_context())
            if settings.user:
                client.login(settings.user, settings.password or "")
            refused = client.send_message(message, from_addr=settings.sender, to_addrs=list(to))
    except (smtplib.SMTPException, OSError) as exc:
        text = f"{type(exc).__name__}: {exc}"
        if settings.password:
            text = text.replace(settings.password, "***")
        raise MailError(text) from None  # not chained: the original may carry the login exchange
    return len(to) - len(refused), sorted(refused)

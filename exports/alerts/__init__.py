"""Deadline alerts to the responsible bodies (issue 12, part 4), run after each build.

From `marts.mart_deadline_control` every body (agency) gets the appeals due within one working day
(state due_soon: control_status open, working_days_left <= 1) and those overdue (state overdue: open_overdue),
by e-mail with an XLSX attached, and the same lists are written under
`<export_dir>/alerts/<YYYY-MM-DD>/<agency_code>.xlsx` with `index.csv` (agency_code, agency_name, due_soon,
overdue, emailed yes/no/failed, recipients); the date is the build's as_of in Moscow time (a later run of the
same day writes `<YYYY-MM-DD>_2/`, …). Appeals without a body go to the pseudo-body `unassigned`.
An appeal is alerted once per (state, deadline), recorded in `reports.deadline_alerts`
(lib/migrations/008_alerts.sql): files and mails hold only the new alerts of the run, and a run with
nothing new writes and sends nothing. A body whose mail fails is not recorded and is retried next run.

Entry point: `send_alerts(conn, export_dir, *, now=None, smtp=None) -> AlertReport` (exports.alerts.run).

Environment (read when `smtp` is not given; nothing secret or any address lives in the repository):

| variable | default | meaning |
|---|---|---|
| `TSUR_SMTP_HOST` | unset → e-mail off | SMTP server; unset: files are still written and logged as not e-mailed |
| `TSUR_SMTP_PORT` | `25` | SMTP port; `465` means TLS from the start (SMTPS) |
| `TSUR_SMTP_USER` | unset → no login | SMTP login name |
| `TSUR_SMTP_PASSWORD` | unset | SMTP password: read from the environment only, never logged or shown in errors |
| `TSUR_SMTP_STARTTLS` | `no` | `yes`: upgrade the connection with STARTTLS (certificate checked) before login |
| `TSUR_SMTP_FROM` | `TSUR_SMTP_USER` if it is an address, else `tsur-alerts@localhost` | sender address |
| `TSUR_ALERT_RECIPIENTS` | unset → files only | path of the recipients file below |

The recipients file maps `<agency_code>: [address, …]`, plus an optional `unassigned: [duty address]` for
appeals no body holds; bodies without an entry get files only.

Example of the recipients file (kept outside the repository):

    dzo: [priemnaya@dzo.example]
    dsgkhet: [kontrol@dsgkhet.example, zam@dsgkhet.example]
    unassigned: [dezhurny@cur.example]
"""

from exports.alerts.mail import MailSettings
from exports.alerts.run import AlertReport, BodyResult, send_alerts

__all__ = ["AlertReport", "BodyResult", "MailSettings", "send_alerts"]

"""Text retention on a schedule: every night, texts of appeals closed longer ago than TSUR_TEXT_RETENTION_DAYS
are blanked by the audited erasure routine; with no setting, texts are kept and the run says so."""

import dagster as dg

from orchestration.resources import WarehouseResource
from orchestration.retention import retention_days, run_retention


@dg.op(description="Очистка текстов обращений, закрытых раньше срока хранения (TSUR_TEXT_RETENTION_DAYS)")
def blank_expired_texts(context: dg.OpExecutionContext, warehouse: WarehouseResource) -> None:
    """Blanks expired texts through sources/privacy/erase.py; the next build forgets them too."""
    report = run_retention(warehouse.get())
    context.log.info(report.line() if report else "TSUR_TEXT_RETENTION_DAYS is not set: texts are kept")


@dg.job(
    name="tsur_text_retention",
    description="Срок хранения текстов обращений (152-ФЗ)",
    executor_def=dg.in_process_executor,
)
def text_retention_job():
    blank_expired_texts()


def _configured() -> bool:
    try:
        return retention_days() is not None
    except Exception:  # a malformed value fails the run that reads it, with its message, not the code location
        return True


text_retention_schedule = dg.ScheduleDefinition(
    name="text_retention_nightly",
    job=text_retention_job,
    cron_schedule="30 1 * * *",
    execution_timezone="Europe/Moscow",
    default_status=dg.DefaultScheduleStatus.RUNNING if _configured() else dg.DefaultScheduleStatus.STOPPED,
    description="В 01:30 МСК: тексты обращений, закрытых раньше TSUR_TEXT_RETENTION_DAYS дней назад, стираются",
)

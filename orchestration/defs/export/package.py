"""The monthly federal package in Dagster: a month-partitioned asset, its job and the schedule.

The schedule looks every day at 09:00 Moscow time and asks for the previous month's partition only on the
second working day of the month by the production calendar; backfills of past months come from the UI."""

from datetime import datetime

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from exports.package.gate import PACKAGE_MODELS
from exports.package.period import is_package_day, previous_month
from lib.periods import REPORTING_TZ
from orchestration.defs.transform.assets import tsur_dbt_assets
from orchestration.resources import WarehouseResource

federal_partitions = dg.MonthlyPartitionsDefinition(start_date="2025-01-01", timezone="Europe/Moscow")


@dg.asset(
    partitions_def=federal_partitions,
    deps=[get_asset_key_for_model([tsur_dbt_assets], model) for model in PACKAGE_MODELS],
    group_name="exports",
    kinds={"xlsx", "csv", "pdf"},
    description="Ежемесячный пакет федеральной отчетности: витрины на момент закрытия месяца, проверки, "
    "XLSX, CSV, сводка (PNG, HTML, PDF) и manifest.json в папке выгрузок.",
)
def federal_package(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Builds the month as of its close, validates its marts and writes the package (a new revision if changed)."""
    from exports.package.build import export_package
    from exports.package.gate import PackageRefused

    period = context.partition_key[:7]
    try:
        result = export_package(warehouse.get(), period)
    except PackageRefused as exc:
        raise dg.Failure(description=str(exc)) from None
    for warning in result.warnings:
        context.log.warning(warning)
    verdict = "новая ревизия" if result.created else "данные не изменились, ревизия прежняя"
    context.log.info(f"{period}: r{result.revision} ({verdict}) -> {result.path}")
    metadata = {
        "path": dg.MetadataValue.path(str(result.path)),
        "revision": result.revision,
        "created": result.created,
        "as_of": result.as_of,
        "batch_hwm": result.batch_hwm,
        "rows": dg.MetadataValue.json(result.rows),
    }
    if result.diff is not None:
        metadata["diff"] = dg.MetadataValue.md((result.path / "diff.md").read_text(encoding="utf-8"))
    return dg.MaterializeResult(metadata=metadata)


federal_package_job = dg.define_asset_job(
    "federal_package_monthly",
    selection=dg.AssetSelection.assets(federal_package),
    partitions_def=federal_partitions,
    description="Пакет федеральной отчетности за месяц (раздел — месяц).",
)


@dg.schedule(
    job=federal_package_job,
    cron_schedule="0 9 * * *",
    execution_timezone="Europe/Moscow",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="2-й рабочий день месяца по производственному календарю, 09:00 МСК: пакет за прошлый месяц.",
)
def federal_package_schedule(context: dg.ScheduleEvaluationContext):
    """Requests the previous month's package on the second working day of the month."""
    moment = context.scheduled_execution_time or datetime.now(REPORTING_TZ)
    day = moment.astimezone(REPORTING_TZ).date()
    if not is_package_day(day):
        return dg.SkipReason(f"{day.isoformat()} — не второй рабочий день месяца")
    partition = previous_month(day) + "-01"
    return dg.RunRequest(run_key=f"federal_package_{partition}", partition_key=partition)

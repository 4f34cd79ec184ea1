"""Fresh marts without anyone: the build job, a build after every load, and a daily build after midnight.

The build is always the whole project: its incremental models rebuild only what new batches touched, and a
publication needs every mart rebuilt (orchestration/publish.py). A load that lands during a build is seen
by the sensor after that build ends (its cursor is the last batch a requested build could see).
"""

import os

import dagster as dg

from orchestration.defs.classify.assets import raw_appeal_labels, raw_other_topics
from orchestration.defs.export.alerts import deadline_alerts
from orchestration.defs.publish.assets import published_marts
from orchestration.defs.transform.assets import tsur_dbt_assets
from orchestration.resources import WarehouseResource

BUILD_JOB = "tsur_build"
# How often the sensors look (seconds); shorter in tests.
SENSOR_SECONDS = int(os.environ.get("TSUR_SENSOR_SECONDS", "30"))
# Appeals without codes are classified first (only what new batches touched, or all after a new model
# version); the «прочие» topics follow the facts; the marts are published when the checks pass, and the
# bodies get their deadline alerts from what was published.
build_job = dg.define_asset_job(
    BUILD_JOB,
    selection=dg.AssetSelection.assets(
        raw_appeal_labels, tsur_dbt_assets, raw_other_topics, published_marts, deadline_alerts
    ),
    description="Классификация новых обращений, dbt build (модели, тесты) в marts_build, темы «прочих», "
    "публикация витрин после проверок, оповещения о сроках",
)

_LAST_LOAD = "select coalesce(max(batch_id), 0) from raw.load_batches where loader <> all(%s)"
_ACTIVE = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def build_request(last_load: int, cursor: int, building: bool) -> tuple[bool, str]:
    """(request a build?, why): a load newer than the last requested build, and no build running now."""
    if last_load <= cursor:
        return False, f"no load after batch {cursor}"
    if building:
        return False, f"batch {last_load} waits for the build in progress"
    return True, f"loads up to batch {last_load}"


@dg.sensor(
    name="build_after_loads",
    job=build_job,
    minimum_interval_seconds=SENSOR_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="После каждой загрузки (файл, ПОС, Инцидент, СЭД, Open311) — сборка и публикация витрин; "
    "загрузки во время сборки подхватит следующая.",
)
def build_after_loads(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    """Requests a build when a load batch arrived after the last build this sensor requested."""
    from sources.classify.store import DERIVED_LOADERS

    with warehouse.get().connect(autocommit=True) as conn:
        last_load = conn.execute(_LAST_LOAD, (list(DERIVED_LOADERS),)).fetchone()[0]
    cursor = int(context.cursor or 0)
    building = bool(context.instance.get_run_records(dg.RunsFilter(job_name=BUILD_JOB, statuses=_ACTIVE), limit=1))
    wanted, why = build_request(last_load, cursor, building)
    if not wanted:
        return dg.SkipReason(why)
    context.update_cursor(str(last_load))
    return dg.RunRequest(run_key=f"loads-{last_load}", tags={"tsur/trigger": "loads", "tsur/batch": str(last_load)})


daily_build_schedule = dg.ScheduleDefinition(
    name="daily_build_after_midnight",
    job=build_job,
    cron_schedule="10 0 * * *",
    execution_timezone="Europe/Moscow",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Ежедневная сборка в 00:10 по Москве: сроки (просрочено, осталось времени) пересчитываются "
    "и без новых данных.",
)

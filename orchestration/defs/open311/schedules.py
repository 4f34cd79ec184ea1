"""Open311 polling on a schedule: every 15 minutes, running by default once endpoints are configured."""

import os

import dagster as dg

from orchestration.defs.open311.assets import raw_open311_requests

open311_poll_job = dg.define_asset_job(
    "open311_poll", selection=dg.AssetSelection.assets(raw_open311_requests), description="Опрос конечных точек Open311"
)

open311_schedule = dg.ScheduleDefinition(
    name="open311_every_15_minutes",
    job=open311_poll_job,
    cron_schedule="*/15 * * * *",
    execution_timezone="Europe/Moscow",
    description="Опрос Open311 каждые 15 минут (TSUR_OPEN311_ENDPOINTS)",
    default_status=dg.DefaultScheduleStatus.RUNNING
    if os.environ.get("TSUR_OPEN311_ENDPOINTS")
    else dg.DefaultScheduleStatus.STOPPED,
)

"""Everything Dagster loads: assets, checks, jobs, resources of the ЦУР appeals warehouse."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.classify.assets import classify_assets
from orchestration.defs.export.alerts import deadline_alerts
from orchestration.defs.export.assets import sector_monthly_csv
from orchestration.defs.export.package import federal_package, federal_package_job, federal_package_schedule
from orchestration.defs.ingest.assets import raw_appeal_events
from orchestration.defs.ingest.native import native_assets, native_checks
from orchestration.defs.ingest.sensor import landing_files_sensor
from orchestration.defs.open311.assets import raw_open311_requests
from orchestration.defs.open311.checks import open311_batches_reconcile, open311_windows_reconcile
from orchestration.defs.open311.schedules import open311_poll_job, open311_schedule
from orchestration.defs.privacy.schedules import text_retention_job, text_retention_schedule
from orchestration.defs.publish.assets import published_marts
from orchestration.defs.publish.automation import build_after_loads, build_job, daily_build_schedule
from orchestration.defs.quality.checks import suite_checks
from orchestration.defs.quality.freshness_checks import channel_freshness
from orchestration.defs.quality.jobs import export_job
from orchestration.defs.quality.plausibility_checks import plausibility_checks
from orchestration.defs.quality.reconcile_checks import reconcile_checks
from orchestration.defs.transform.assets import tsur_dbt_assets
from orchestration.defs.transform.project import dbt_resource, manifest
from orchestration.defs.transform.sources import unowned_source_specs
from orchestration.resources import WarehouseResource

# The monthly package is partitioned: it has its own job and schedule, not the everyday run.
everything = dg.define_asset_job(
    "tsur_all",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(federal_package),
    description="Загрузка, сборка, выгрузки",
)
gated_export = export_job(sector_monthly_csv)

ASSETS = [
    raw_appeal_events,
    *native_assets,
    raw_open311_requests,
    *classify_assets,
    tsur_dbt_assets,
    published_marts,
    sector_monthly_csv,
    deadline_alerts,
    federal_package,
]
OWNED = {key for asset in ASSETS for key in asset.keys}

defs = dg.Definitions(
    assets=[*ASSETS, *unowned_source_specs(manifest(), OWNED)],
    asset_checks=[
        *native_checks,
        open311_batches_reconcile,
        open311_windows_reconcile,
        *suite_checks,
        *plausibility_checks,
        *reconcile_checks,
        channel_freshness,
    ],
    jobs=[everything, build_job, gated_export, open311_poll_job, federal_package_job, text_retention_job],
    sensors=[landing_files_sensor, build_after_loads],
    schedules=[open311_schedule, daily_build_schedule, federal_package_schedule, text_retention_schedule],
    resources={"warehouse": WarehouseResource(), "dbt": dbt_resource()},
    executor=dg.in_process_executor,
)

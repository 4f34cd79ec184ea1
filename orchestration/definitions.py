"""Everything Dagster loads: assets, checks, jobs, resources of the ЦУР appeals warehouse."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.export.assets import sector_monthly_csv
from orchestration.defs.ingest.assets import raw_appeal_events
from orchestration.defs.ingest.checks import appeal_event_batches_reconcile
from orchestration.defs.open311.assets import raw_open311_requests
from orchestration.defs.open311.checks import open311_batches_reconcile
from orchestration.defs.open311.schedules import open311_poll_job, open311_schedule
from orchestration.defs.transform.assets import tsur_dbt_assets
from orchestration.defs.transform.project import dbt_resource
from orchestration.resources import WarehouseResource

everything = dg.define_asset_job("tsur_all", selection=dg.AssetSelection.all(), description="Загрузка, сборка, выгрузки")
build = dg.define_asset_job("tsur_build", selection=dg.AssetSelection.assets(tsur_dbt_assets),
                            description="dbt build: модели, тесты")

defs = dg.Definitions(
    assets=[raw_appeal_events, tsur_dbt_assets, sector_monthly_csv, raw_open311_requests],
    asset_checks=[appeal_event_batches_reconcile, open311_batches_reconcile],
    jobs=[everything, build, open311_poll_job],
    schedules=[open311_schedule],
    resources={"warehouse": WarehouseResource(), "dbt": dbt_resource()},
    executor=dg.in_process_executor,
)

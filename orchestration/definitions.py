"""Everything Dagster loads: assets, checks, jobs, resources of the ЦУР appeals warehouse."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.export.assets import sector_monthly_csv
from orchestration.defs.ingest.assets import raw_appeal_events
from orchestration.defs.ingest.native import native_assets, native_checks
from orchestration.defs.ingest.sensor import landing_files_sensor
from orchestration.defs.quality.checks import suite_checks
from orchestration.defs.quality.freshness_checks import channel_freshness
from orchestration.defs.quality.jobs import export_job
from orchestration.defs.quality.reconcile_checks import reconcile_checks
from orchestration.defs.transform.assets import tsur_dbt_assets
from orchestration.defs.transform.project import dbt_resource
from orchestration.resources import WarehouseResource

everything = dg.define_asset_job("tsur_all", selection=dg.AssetSelection.all(), description="Загрузка, сборка, выгрузки")
build = dg.define_asset_job("tsur_build", selection=dg.AssetSelection.assets(tsur_dbt_assets),
                            description="dbt build: модели, тесты")
gated_export = export_job(sector_monthly_csv)

defs = dg.Definitions(
    assets=[raw_appeal_events, *native_assets, tsur_dbt_assets, sector_monthly_csv],
    asset_checks=[*native_checks, *suite_checks, *reconcile_checks, channel_freshness],
    jobs=[everything, build, gated_export],
    sensors=[landing_files_sensor],
    resources={"warehouse": WarehouseResource(), "dbt": dbt_resource()},
    executor=dg.in_process_executor,
)

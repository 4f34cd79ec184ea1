"""Export assets: files for people and systems outside the warehouse."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from exports.sector_monthly import export_sector_monthly
from orchestration.defs.publish.assets import PUBLISHED_KEY
from orchestration.defs.transform.assets import tsur_dbt_assets
from orchestration.resources import WarehouseResource


@dg.asset(
    deps=[get_asset_key_for_model([tsur_dbt_assets], "mart_sector_monthly"), PUBLISHED_KEY],
    group_name="exports",
    kinds={"csv"},
    description="CSV-выгрузка опубликованной витрины mart_sector_monthly в папку выгрузок.",
)
def sector_monthly_csv(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Writes mart_sector_monthly as CSV under the export folder."""
    wh = warehouse.get()
    with wh.connect("reporter") as conn:
        path, rows = export_sector_monthly(conn, wh.settings.export_dir)
    context.log.info(f"wrote {rows} rows to {path}")
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)), "rows": rows})

"""Raw-layer assets: files from the landing folder into raw tables, one batch per file."""

import dagster as dg

from orchestration.resources import WarehouseResource
from sources.events import load_event_file
from sources.landing import event_files
from sources.loader import refresh_statistics


@dg.asset(
    key=["raw", "appeal_events"],
    group_name="raw",
    kinds={"postgres", "python"},
    description="События appeal-event/1 из папки приема: построчная проверка, COPY, карантин, сверка.",
)
def raw_appeal_events(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Loads every appeal-event/1 file of the landing folder not loaded before."""
    wh = warehouse.get()
    files = event_files(wh.settings.landing_dir)
    totals = {"files": len(files), "skipped_files": 0, "lines_read": 0, "loaded": 0, "duplicates": 0, "quarantined": 0}
    with wh.connect("loader") as conn:
        for path in files:
            report = load_event_file(
                conn,
                path,
                future_tolerance_hours=wh.settings.future_tolerance_hours,
                default_tz=wh.settings.source_timezone,
            )
            context.log.info(report.line())
            if report.skipped_file:
                totals["skipped_files"] += 1
                continue
            for field in ("lines_read", "loaded", "duplicates", "quarantined"):
                totals[field] += getattr(report, field)
        if totals["loaded"]:
            refresh_statistics(conn, "raw.appeal_events")
    return dg.MaterializeResult(metadata={k: dg.MetadataValue.int(v) for k, v in totals.items()})

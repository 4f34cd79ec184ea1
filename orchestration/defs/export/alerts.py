"""Deadline alerts to the bodies after each publication (exports/alerts)."""

import dagster as dg

from exports.alerts.run import send_alerts
from orchestration.defs.publish.assets import PUBLISHED_KEY
from orchestration.resources import WarehouseResource


@dg.asset(
    key=["exports", "deadline_alerts"],
    deps=[PUBLISHED_KEY],
    group_name="exports",
    kinds={"xlsx", "email"},
    description="Оповещения органам: обращения со сроком в течение рабочего дня и просроченные — "
    "письмом и XLSX в exports/out/alerts/<дата>/, один раз на смену состояния.",
)
def deadline_alerts(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Sends each body its new due-soon and overdue appeals from the published deadline list."""
    wh = warehouse.get()
    with wh.connect("reporter") as conn:
        report = send_alerts(conn, wh.settings.export_dir)
    for line in report.lines():
        context.log.info(line)
    if report.failed:
        context.log.warning(f"mail failed for {', '.join(report.failed)}: retried at the next run")
    return dg.MaterializeResult(
        metadata={
            "bodies": len(report.bodies),
            "logged": report.logged,
            "emailed": len(report.emailed),
            "failed": len(report.failed),
            "folder": str(report.folder or ""),
        }
    )

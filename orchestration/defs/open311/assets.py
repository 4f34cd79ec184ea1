"""Raw-layer asset of the portal channel: Open311 GeoReport v2 endpoints polled into raw.source_rows."""

import dagster as dg

from orchestration.open311 import configured_endpoints, poll_once
from orchestration.resources import WarehouseResource
from sources.open311.client import Open311Error

TOTALS = ("read", "loaded", "duplicates", "quarantined", "skipped", "http_requests")


@dg.asset(
    key=["raw", "open311_requests"],
    group_name="raw",
    kinds={"postgres", "python"},
    description="Обращения муниципальных систем по Open311 GeoReport v2: опрос окнами от курсора, снимки "
    "заявок в raw.source_rows, справочник услуг, карантин с причиной.",
)
def raw_open311_requests(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Polls every configured Open311 endpoint (or the sample feed through the local server)."""
    wh = warehouse.get()
    totals = dict.fromkeys(TOTALS, 0)
    failures: list[str] = []
    with configured_endpoints(wh.settings) as endpoints:
        for endpoint in endpoints:
            try:
                report = poll_once(wh, endpoint, echo=context.log.info)
            except (Open311Error, ValueError) as exc:  # one endpoint down must not stop the others
                context.log.error(str(exc))
                failures.append(str(exc))
                report = getattr(exc, "report", None)
            if report is not None:
                for key, value in report.totals().items():
                    if key in totals:
                        totals[key] += value
    metadata = {
        "endpoints": dg.MetadataValue.int(len(endpoints)),
        **{k: dg.MetadataValue.int(v) for k, v in totals.items()},
    }
    if failures:
        raise dg.Failure(description="; ".join(failures)[:2000], metadata=metadata)
    return dg.MaterializeResult(metadata=metadata)

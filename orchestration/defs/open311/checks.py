"""Checks on the Open311 raw data: every window batch reconciles with what it fetched and stored."""

import dagster as dg

from orchestration.defs.quality.reconcile_checks import batch_reconcile_check
from orchestration.resources import WarehouseResource

RAW_OPEN311 = dg.AssetKey(["raw", "open311_requests"])

# A window's objects = its batch's lines + broken ones already quarantined by an earlier window.
WINDOWS_SQL = """
select b.batch_id, b.origin, w.objects_read, w.repeated_broken, b.lines_read
from raw.load_batches as b
left join raw.open311_windows as w using (batch_id)
where b.loader = 'open311' and (w.batch_id is null or w.objects_read <> b.lines_read + w.repeated_broken)
order by b.batch_id
"""

# The service list is loaded in its own batches (loader open311_services): they reconcile here too.
open311_batches_reconcile = batch_reconcile_check(
    RAW_OPEN311, ("open311", "open311_services"), "open311_batches_reconcile"
)


@dg.asset_check(
    asset=RAW_OPEN311,
    blocking=True,
    description="Каждое окно опроса Open311: объекты ответа = строки партии + повторно битые.",
)
def open311_windows_reconcile(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every Open311 window's objects are accounted for by its batch."""
    with warehouse.get().connect("transformer") as conn:
        bad = conn.execute(WINDOWS_SQL).fetchall()
        windows = conn.execute("select count(*), coalesce(sum(objects_read), 0) from raw.open311_windows").fetchone()
    metadata = {"windows": int(windows[0]), "objects_read": int(windows[1])}
    if bad:
        metadata["failing_windows"] = dg.MetadataValue.md(
            "\n".join(
                f"- batch {row[0]} ({row[1]}): objects {row[2]}, repeated broken {row[3]}, lines {row[4]}"
                for row in bad[:20]
            )
        )
    return dg.AssetCheckResult(passed=not bad, metadata=metadata)

"""Checks on the raw layer: every batch reconciles with what it stored."""

import dagster as dg

from orchestration.resources import WarehouseResource

# A batch's own counts against the rows it left in the raw tables.
RECONCILE_SQL = """
with loaded as (
    select batch_id, count(*) as n from raw.appeal_events group by batch_id
), quarantined as (
    select batch_id, count(*) as n from raw.quarantine group by batch_id
)
select b.batch_id, b.origin, b.lines_read, b.loaded, coalesce(l.n, 0), b.duplicates, b.quarantined, coalesce(q.n, 0)
from raw.load_batches as b
left join loaded as l using (batch_id)
left join quarantined as q using (batch_id)
where b.loader = 'appeal_events'
    and (b.lines_read <> b.loaded + b.duplicates + b.quarantined
         or b.loaded <> coalesce(l.n, 0) or b.quarantined <> coalesce(q.n, 0))
order by b.batch_id
"""


@dg.asset_check(asset=dg.AssetKey(["raw", "appeal_events"]), blocking=True,
                description="Каждая партия сходится: прочитано = загружено + дубликаты + карантин, и строки на месте.")
def appeal_event_batches_reconcile(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every load batch of appeal events reconciles with the rows it stored."""
    with warehouse.get().connect() as conn:
        bad = conn.execute(RECONCILE_SQL).fetchall()
        totals = conn.execute(
            "select count(*), coalesce(sum(lines_read), 0), coalesce(sum(loaded), 0),"
            " coalesce(sum(duplicates), 0), coalesce(sum(quarantined), 0)"
            " from raw.load_batches where loader = 'appeal_events'"
        ).fetchone()
    metadata = dict(zip(("batches", "lines_read", "loaded", "duplicates", "quarantined"), map(int, totals)))
    if bad:
        metadata["failing_batches"] = dg.MetadataValue.md(
            "\n".join(f"- batch {row[0]} ({row[1]}): {row[2:]}" for row in bad[:20]))
    return dg.AssetCheckResult(passed=not bad, metadata=metadata)

"""Freshness per channel: one warning check per row of the channel_silence seed."""

import dagster as dg

from expectations.freshness import assess_all, silence_limits
from expectations.suites.raw_assets import SNAPSHOT_INGESTS
from orchestration.defs.quality.record import check_result
from orchestration.resources import WarehouseResource

# A channel's check sits on the asset of its own export format (ПОС, ИМ, СЭД, Open311); every channel may also
# come as appeal-event/1 files (the canonical feed), which is all the hotline has.
CANONICAL = dg.AssetKey(["raw", "appeal_events"])
CHANNEL_ASSETS: dict[str, dg.AssetKey] = {c: dg.AssetKey(list(i.asset)) for i in SNAPSHOT_INGESTS for c in i.channels}
LIMITS = silence_limits()


def channel_asset(channel: str) -> dg.AssetKey:
    return CHANNEL_ASSETS.get(channel, CANONICAL)


def _spec(channel: str, hours: float) -> dg.AssetCheckSpec:
    asset = channel_asset(channel)
    return dg.AssetCheckSpec(
        name=f"channel_silence_{channel}",
        asset=asset,
        additional_deps=[CANONICAL] if asset != CANONICAL else [],
        description=f"Канал {channel} присылал данные (выгрузки или события appeal-event/1) не позднее {hours:g} ч "
        "назад (seed channel_silence); иначе — предупреждение.",
    )


@dg.multi_asset_check(
    specs=[_spec(c, h) for c, h in LIMITS.items()],
    can_subset=True,
    description="Свежесть каналов: молчание не дольше допустимого.",
)
def channel_freshness(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """Warns for every channel silent for longer than its configured limit."""
    wh = warehouse.get()
    with wh.connect("transformer") as conn:
        outcomes = assess_all(conn, limits=LIMITS)
    selected = {key.name for key in context.selected_asset_check_keys}
    for channel, outcome in outcomes.items():
        name = f"channel_silence_{channel}"
        if name in selected:
            yield check_result(
                context,
                wh,
                outcome,
                asset_key=channel_asset(channel),
                check_name=name,
                blocking=False,
                severity=dg.AssetCheckSeverity.WARN,
            )

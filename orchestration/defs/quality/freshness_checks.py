"""Freshness per channel: one warning check per row of the channel_silence seed."""

import dagster as dg

from expectations.freshness import assess_all, silence_limits
from orchestration.defs.quality.record import check_result
from orchestration.resources import WarehouseResource

# Channels arrive through appeal-event files today; snapshot loaders may re-point their channels here.
CHANNEL_ASSETS: dict[str, dg.AssetKey] = {}
DEFAULT_ASSET = dg.AssetKey(["raw", "appeal_events"])
LIMITS = silence_limits()


def _spec(channel: str, hours: float) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        name=f"channel_silence_{channel}", asset=CHANNEL_ASSETS.get(channel, DEFAULT_ASSET),
        description=f"Канал {channel} присылал данные не позднее {hours:g} ч назад (seed channel_silence); "
                    "иначе — предупреждение.")


@dg.multi_asset_check(specs=[_spec(c, h) for c, h in LIMITS.items()], can_subset=True,
                      description="Свежесть каналов: молчание не дольше допустимого.")
def channel_freshness(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """Warns for every channel silent for longer than its configured limit."""
    wh = warehouse.get()
    with wh.connect() as conn:
        outcomes = assess_all(conn, limits=LIMITS)
    selected = {key.name for key in context.selected_asset_check_keys}
    for channel, outcome in outcomes.items():
        name = f"channel_silence_{channel}"
        if name in selected:
            yield check_result(context, wh, outcome, asset_key=CHANNEL_ASSETS.get(channel, DEFAULT_ASSET),
                               check_name=name, blocking=False, severity=dg.AssetCheckSeverity.WARN)

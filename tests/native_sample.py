"""A small sample world and its native files (ПОС, ИМ, СЭД), written once per test module."""

import random
from datetime import datetime, timedelta
from pathlib import Path

from sources.sample.native import NativeSummary, write_native_files
from sources.sample.world import MSK, World, build_world

SCALE = 0.05


def make_native(folder: Path, scale: float = SCALE) -> tuple[World, NativeSummary]:
    rng = random.Random(20251)
    world = build_world(2025, 20251, scale, rng=rng)
    return world, write_native_files(world, folder, rng)


def path_of(summary: NativeSummary, name: str) -> Path:
    return next(p for p in summary.paths if p.name == name)


def window(world: World, channel: str, moment: datetime, days: int) -> list:
    """Appeals of a channel received within `days` before `moment`: what a periodic export holds."""
    return [
        a for a in world.appeals if a.channel == channel and moment - timedelta(days=days) < a.received_at <= moment
    ]


def msk(*args) -> datetime:
    return datetime(*args, tzinfo=MSK)

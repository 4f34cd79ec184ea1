"""A deterministic sample year of НАО appeals, written in each channel's own format into a landing folder.

    from sources.sample import generate_sample
    sample = generate_sample(Path("data/landing"), year=2025, seed=20251, scale=1.0)

formats="native" (default): ПОС and ИМ XLSX exports, a ПОС CSV, СЭД CSV cards in Windows-1251, the municipal
portal's Open311 feed (portal/open311.json, served over HTTP by the local server when polled), and appeal-event/1
JSON Lines for the hotline. formats="canonical": every channel as appeal-event/1.
The same arguments always give byte-identical files: one `random.Random(seed)` drives everything,
first the simulated world (`world.build_world`), then the writers and the injected damage.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from sources.sample.appeal import Appeal, AppealState, SimEvent
from sources.sample.canonical import InjectedLine, SampleSummary, write_canonical
from sources.sample.native import NativeSummary, write_native_files
from sources.sample.open311_feed import Open311FeedSummary, write_open311_feed
from sources.sample.world import World, build_world

__all__ = [
    "Appeal",
    "AppealState",
    "InjectedLine",
    "Sample",
    "SampleSummary",
    "SimEvent",
    "World",
    "build_world",
    "generate_sample",
]


@dataclass
class Sample:
    """What was written: the world's appeals, the canonical part and the native part."""

    appeals: int
    canonical: SampleSummary
    native: NativeSummary | None = None
    open311: Open311FeedSummary | None = None
    paths: list[Path] = field(default_factory=list)

    @property
    def files(self) -> int:
        return len(self.paths)


def generate_sample(
    landing_dir: Path, year: int = 2025, seed: int = 20251, scale: float = 1.0, formats: str = "native"
) -> Sample:
    """Simulate the year and write it under `landing_dir/<channel>/`."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    if formats not in ("native", "canonical"):
        raise ValueError("formats is 'native' or 'canonical'")
    rng = random.Random(seed)
    world = build_world(year, seed, scale, rng=rng)
    if formats == "canonical":
        canonical = write_canonical(world, Path(landing_dir), rng)
        return Sample(len(world.appeals), canonical, paths=list(canonical.paths))
    canonical = write_canonical(world, Path(landing_dir), rng, channels=frozenset({"hotline"}))
    native = write_native_files(world, Path(landing_dir), rng)
    feed = write_open311_feed(world, Path(landing_dir) / "portal" / "open311.json")
    return Sample(len(world.appeals), canonical, native, feed, [*canonical.paths, *native.paths, feed.path])

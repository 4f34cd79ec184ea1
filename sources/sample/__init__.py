"""A deterministic sample year of НАО appeals, written as appeal-event/1 JSON Lines into a landing directory.

    from sources.sample import generate_sample
    summary = generate_sample(Path("data/landing"), year=2025, seed=20251, scale=1.0)

The same arguments always give byte-identical files: one `random.Random(seed)` drives everything,
first the simulated world (`world.build_world`), then the writing and the injected damage.
"""

from __future__ import annotations

import random
from pathlib import Path

from sources.sample.canonical import InjectedLine, SampleSummary, write_canonical
from sources.sample.world import Appeal, AppealState, SimEvent, World, build_world

__all__ = ["Appeal", "AppealState", "InjectedLine", "SampleSummary", "SimEvent", "World", "build_world",
           "generate_sample"]


def generate_sample(landing_dir: Path, year: int = 2025, seed: int = 20251,
                    scale: float = 1.0) -> SampleSummary:
    """Simulate the year and write it under `landing_dir/<channel>/<source>-<YYYY-MM>.jsonl`."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    rng = random.Random(seed)
    world = build_world(year, seed, scale, rng=rng)
    return write_canonical(world, Path(landing_dir), rng)

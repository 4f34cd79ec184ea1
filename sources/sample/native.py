"""The sample world in the source systems' own formats: ПОС and ИМ XLSX exports, a ПОС CSV, СЭД CSV cards.

    summary = write_native_files(world, Path("data/landing"), rng)

Files go to `landing/<channel>/` with the export moment in their names. Every real row is written intact;
the few broken rows are extra copies beside them, listed in `summary.injected` with the reason the loader
must give.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sources.sample.incident_export import write_incident_exports
from sources.sample.pos_export import write_pos_exports
from sources.sample.sed_csv import write_sed_csv
from sources.sample.snapshots import InjectedRow
from sources.sample.world import World


@dataclass
class NativeSummary:
    paths: list[Path] = field(default_factory=list)
    rows: dict[Path, int] = field(default_factory=dict)  # data rows per file, broken copies included
    injected: list[InjectedRow] = field(default_factory=list)

    @property
    def files(self) -> int:
        return len(self.paths)

    @property
    def malformed(self) -> dict[str, int]:
        return dict(Counter(row.kind for row in self.injected))

    def channel_rows(self, channel: str) -> int:
        return sum(n for path, n in self.rows.items() if path.parent.name == channel)


def write_native_files(world: World, landing_dir: Path, rng: random.Random) -> NativeSummary:
    """Write the ПОС, ИМ and СЭД files of `world` under `landing_dir`; the same rng state, the same bytes."""
    summary = NativeSummary()
    for writer in (write_pos_exports, write_incident_exports, write_sed_csv):
        paths, rows, injected = writer(world, Path(landing_dir), rng)
        summary.paths.extend(paths)
        summary.rows.update(rows)
        summary.injected.extend(injected)
    return summary

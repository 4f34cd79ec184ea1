"""The benchmark's data: the sample year at N times its size, as appeal-event/1 files, with the newest 1 % held back.

N ≤ 10 is one simulated world at scale N. Above that the world is built in chunks of scale 10 with their own
seeds (one world of 1.25 million appeals would need ~15 GB of memory to simulate); each chunk's appeal and
event ids get the chunk number, so the chunks are N/10 more regions' worth of appeals with the same
distributions. The held-back part — every event that occurred in the last ~1 % of the data's time span by
event count — is what the incremental build gets: new appeals, and new events of appeals already loaded.
"""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

CHUNK_SCALE = 10
_OCCURRED = b'"occurred_at":"'
_ID = re.compile(rb'"([A-Z]{2,5})-(\d{4})-')  # "HL-2025-000001": the id prefix every appeal and event id has


@dataclass(frozen=True)
class BenchData:
    main_dir: Path
    late_dir: Path
    appeals: int
    lines: int
    late_lines: int
    cutoff: str  # events at or after this hour (text of occurred_at) are held back


def chunk_scales(scale: float) -> list[float]:
    """Scale N as worlds of at most CHUNK_SCALE each: 25 → [10, 10, 5]."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    full, rest = divmod(scale, CHUNK_SCALE)
    return [float(CHUNK_SCALE)] * int(full) + ([rest] if rest > 1e-9 else [])


def _write_chunk(out: Path, scale: float, seed: int, chunk: int) -> int:
    from sources.sample import generate_sample

    sample = generate_sample(out, seed=seed + chunk, scale=scale, formats="canonical")
    if chunk:
        for path in sample.paths:
            path.write_bytes(tag_ids(path.read_bytes(), chunk))
    return sample.appeals


def tag_ids(data: bytes, chunk: int) -> bytes:
    """Every appeal and event id of a chunk's file with the chunk number: "HL-2025-…" → "HL7-2025-…"."""
    return _ID.sub(rb'"\g<1>' + str(chunk).encode() + rb"-\g<2>-", data)


def occurred_hour(line: bytes) -> bytes | None:
    """The 'YYYY-MM-DDTHH' of a line's occurred_at, read without parsing JSON; None for a line without one."""
    at = line.find(_OCCURRED)
    if at < 0:
        return None
    start = at + len(_OCCURRED)
    return line[start : start + 13]


def late_cutoff(paths: list[Path], share: float) -> tuple[bytes, int]:
    """The earliest hour such that events from it on are at most `share` of all lines, and the line count."""
    hours: Counter[bytes] = Counter()
    lines = 0
    for path in paths:
        with open(path, "rb") as fh:
            for line in fh:
                lines += 1
                hour = occurred_hour(line)
                if hour is not None:
                    hours[hour] += 1
    budget, taken, cutoff = share * lines, 0, b"9999"
    for hour in sorted(hours, reverse=True):
        if taken + hours[hour] > budget:
            break
        taken += hours[hour]
        cutoff = hour
    return cutoff, lines


def split_late(main_dir: Path, late_dir: Path, cutoff: bytes) -> int:
    """Move every line at or after `cutoff` to the same file name under `late_dir`; returns lines moved."""
    moved = 0
    for path in sorted(main_dir.rglob("*.jsonl")):
        keep, late = [], []
        with open(path, "rb") as fh:
            for line in fh:
                hour = occurred_hour(line)
                (late if hour is not None and hour >= cutoff else keep).append(line)
        if late:
            target = late_dir / path.relative_to(main_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"".join(late))
            path.write_bytes(b"".join(keep))
            moved += len(late)
    return moved


def write_bench_data(folder: Path, scale: float, seed: int = 20251, late_share: float = 0.01) -> BenchData:
    """Generate N times the sample year under folder/main, then hold the newest `late_share` back in folder/late."""
    main_dir, late_dir = folder / "main", folder / "late"
    scales = chunk_scales(scale)
    # Two chunks at a time: each is one core's work and ~1.5 GB of memory.
    with ProcessPoolExecutor(max_workers=min(2, len(scales))) as pool:
        appeals = sum(
            pool.map(
                _write_chunk,
                [main_dir / f"chunk-{i:03d}" for i in range(len(scales))],
                scales,
                [seed] * len(scales),
                range(len(scales)),
            )
        )
    cutoff, lines = late_cutoff(sorted(main_dir.rglob("*.jsonl")), late_share)
    late = split_late(main_dir, late_dir, cutoff)
    return BenchData(main_dir, late_dir, appeals, lines, late, cutoff.decode())

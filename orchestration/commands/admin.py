"""`tsur ui`, `tsur bench`, `tsur calendar`: looking after the warehouse."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from orchestration.commands import warehouse


def cmd_ui(args: argparse.Namespace) -> None:
    from orchestration.defs.transform.project import ensure_manifest
    from orchestration.instance import prepare_dagster

    wh = warehouse()
    prepare_dagster(wh)
    ensure_manifest()
    dagster = Path(sys.executable).parent / "dagster"
    command = [str(dagster) if dagster.exists() else "dagster", "dev", "-m", "orchestration.definitions",
               "-h", "127.0.0.1", "-p", str(args.port)]
    print(f"Dagster UI: http://127.0.0.1:{args.port}  (Ctrl-C to stop)")
    try:
        subprocess.run(command, check=False)
    except KeyboardInterrupt:
        pass


def cmd_bench(args: argparse.Namespace) -> None:
    from orchestration.bench import run_bench

    result = run_bench(n=args.events)
    width = max(len(k) for k in result)
    print("\n".join(f"  {k.ljust(width)}  {v}" for k, v in result.items()))


def cmd_calendar(args: argparse.Namespace) -> None:
    from orchestration.calendar import SEED_PATH, write_seed

    print(f"{write_seed()} days -> {SEED_PATH}")


def add_commands(sub) -> None:
    ui = sub.add_parser("ui", help="Dagster UI on 127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    bench = sub.add_parser("bench", help="measure the intake path; prints ratios against simpler methods")
    bench.add_argument("--events", type=int, default=100_000)
    bench.set_defaults(func=cmd_bench)
    calendar = sub.add_parser("calendar", help="regenerate the production calendar seed")
    calendar.set_defaults(func=cmd_calendar)

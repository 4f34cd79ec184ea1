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
    import json

    from orchestration.bench.report import format_table
    from orchestration.bench.run import run_bench

    result = run_bench(scale=args.scale, repeats=args.repeats, keep=args.keep)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else format_table(result))


def cmd_calendar(args: argparse.Namespace) -> None:
    from orchestration.calendar import SEED_PATH, write_seed

    print(f"{write_seed()} days -> {SEED_PATH}")


def add_commands(sub) -> None:
    ui = sub.add_parser("ui", help="Dagster UI on 127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    bench = sub.add_parser("bench", help="ingest, full and incremental build, dashboards and memory at N times "
                                         "the sample year, as ratios (docs/benchmarks.md)")
    bench.add_argument("--scale", type=float, default=1.0, help="N: 1 is the sample year of НАО, 10 and 100 more")
    bench.add_argument("--repeats", type=int, default=5, help="runs of each dashboard query (median)")
    bench.add_argument("--json", action="store_true", help="print the figures as JSON")
    bench.add_argument("--keep", action="store_true", help="keep the scratch database (its name is printed)")
    bench.set_defaults(func=cmd_bench)
    calendar = sub.add_parser("calendar", help="regenerate the production calendar seed")
    calendar.set_defaults(func=cmd_calendar)

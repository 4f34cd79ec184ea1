"""`tsur ui`, `tsur serve`, `tsur status`, `tsur bench`, `tsur calendar`: looking after the warehouse."""

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
    command = [
        str(dagster) if dagster.exists() else "dagster",
        "dev",
        "-m",
        "orchestration.definitions",
        "-h",
        "127.0.0.1",
        "-p",
        str(args.port),
    ]
    print(f"Dagster UI: http://127.0.0.1:{args.port}  (Ctrl-C to stop)")
    try:
        subprocess.run(command, check=False)
    except KeyboardInterrupt:
        pass


def cmd_serve(args: argparse.Namespace) -> None:
    """The Dagster webserver and daemon as one service: sensors and schedules run; SIGTERM stops both."""
    import signal

    from orchestration.defs.transform.project import ensure_manifest
    from orchestration.instance import prepare_dagster

    wh = warehouse()  # holds the embedded server while the service runs
    prepare_dagster(wh)
    ensure_manifest()
    bin_dir = Path(sys.executable).parent
    module = ["-m", "orchestration.definitions"]
    commands = [
        [str(bin_dir / "dagster-daemon"), "run", *module],
        [str(bin_dir / "dagster-webserver"), *module, "-h", args.host, "-p", str(args.port)],
    ]
    children = [subprocess.Popen(command) for command in commands]
    print(
        f"tsur serve: Dagster UI http://{args.host}:{args.port}, daemon pid {children[0].pid}; "
        "sensors (landing files, build after loads) and the daily build run. Ctrl-C or SIGTERM stops.",
        flush=True,
    )

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(child.poll() is None for child in children):
            try:
                children[0].wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
    codes = [child.returncode for child in children]
    if any(code not in (0, -signal.SIGTERM, -signal.SIGINT) for code in codes):
        raise SystemExit(f"tsur serve: a Dagster process stopped (exit codes {codes})")


def cmd_status(args: argparse.Namespace) -> None:
    from orchestration.status import format_status, read_status

    with warehouse().connect() as conn:
        status = read_status(conn)
    print(format_status(status))
    if status.held:
        raise SystemExit(3)  # for a monitoring check: the last build was held back


def cmd_bench(args: argparse.Namespace) -> None:
    import json

    from orchestration.bench.report import format_table
    from orchestration.bench.run import run_bench

    result = run_bench(scale=args.scale, repeats=args.repeats, keep=args.keep)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else format_table(result))


def cmd_calendar(args: argparse.Namespace) -> None:
    from lib.calendar import SEED_PATH, write_seed

    print(f"{write_seed()} days -> {SEED_PATH}")


def add_commands(sub) -> None:
    ui = sub.add_parser("ui", help="Dagster UI on 127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    serve = sub.add_parser(
        "serve",
        help="Dagster webserver and daemon as a service: sensors and schedules keep "
        "the marts fresh (systemd example in README)",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=3000)
    serve.set_defaults(func=cmd_serve)
    status = sub.add_parser(
        "status",
        help="the last load per loader, the last build and publication, failed "
        "rules (exit 3 when the last build was not published)",
    )
    status.set_defaults(func=cmd_status)
    bench = sub.add_parser(
        "bench",
        help="ingest, full and incremental build, dashboards and memory at N times "
        "the sample year, as ratios (docs/benchmarks.md)",
    )
    bench.add_argument("--scale", type=float, default=1.0, help="N: 1 is the sample year of НАО, 10 and 100 more")
    bench.add_argument("--repeats", type=int, default=5, help="runs of each dashboard query (median)")
    bench.add_argument("--json", action="store_true", help="print the figures as JSON")
    bench.add_argument("--keep", action="store_true", help="keep the scratch database (its name is printed)")
    bench.set_defaults(func=cmd_bench)
    calendar = sub.add_parser("calendar", help="regenerate the production calendar seed")
    calendar.set_defaults(func=cmd_calendar)

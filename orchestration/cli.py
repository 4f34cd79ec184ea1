"""`tsur`: the command line of the ЦУР appeals warehouse. Each area's commands live in orchestration/commands/."""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")

from orchestration.commands import CliError, admin, classification, database, intake, pipeline, privacy, query  # noqa: E402
from orchestration.reporting import add_report_command  # noqa: E402


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tsur", description="Хранилище обращений ЦУР НАО")
    sub = p.add_subparsers(dest="command", required=True)
    for area in (pipeline, intake, classification, database, admin, privacy, query):
        area.add_commands(sub)
    add_report_command(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except CliError as exc:
        print(f"tsur: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `tsur query … | head`: the reader left; say nothing more and let no flush at exit raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return 0


if __name__ == "__main__":
    sys.exit(main())

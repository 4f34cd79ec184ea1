"""`tsur ingest`, `tsur poll-open311`, `tsur sample`: getting data in."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.commands import CliError, warehouse


def cmd_ingest(args: argparse.Namespace) -> None:
    from sources.detect import Unrecognised, ingest_file
    from sources.headers import HeaderMapError
    from sources.landing import all_files

    try:
        files = all_files([Path(p) for p in args.paths])
    except FileNotFoundError as exc:
        raise CliError(str(exc)) from None
    if not files:
        raise CliError("no files found in the given paths")
    wh = warehouse()
    tz = wh.settings.source_timezone
    exported_at = _moment(args.exported_at, tz) if args.exported_at else None
    totals = dict.fromkeys(("read", "loaded", "duplicates", "quarantined", "skipped", "unrecognised"), 0)
    named_unrecognised = 0
    with wh.connect("loader", autocommit=True) as conn:  # each file commits in its own transaction
        for path, named in files:
            try:
                found, report = ingest_file(
                    conn,
                    path.resolve(),
                    source=args.source,
                    force=args.force,
                    exported_at=exported_at,
                    tz=tz,
                    future_tolerance_hours=wh.settings.future_tolerance_hours,
                )
            except Unrecognised as exc:
                print(exc)
                totals["unrecognised"] += 1
                named_unrecognised += named
                continue
            except HeaderMapError as exc:
                raise CliError(str(exc)) from None
            print(f"[{found.kind}] {report.line()}")
            if report.skipped_file:
                totals["skipped"] += 1
                continue
            if report.lines_read == 1 and report.quarantined == 1 and report.loaded == 0:
                reason = conn.execute(
                    "select reason from raw.quarantine where batch_id = %s and line_no is null", (report.batch_id,)
                ).fetchone()
                if reason:
                    print(f"  the whole file is in quarantine: {reason[0]}")
            for total, field in (
                ("read", "lines_read"),
                ("loaded", "loaded"),
                ("duplicates", "duplicates"),
                ("quarantined", "quarantined"),
            ):
                totals[total] += getattr(report, field)
        if totals["loaded"]:
            from sources.loader import refresh_statistics

            for table in ("raw.appeal_events", "raw.source_rows"):
                refresh_statistics(conn, table)
    recognised = len(files) - totals["unrecognised"]
    print(
        f"{len(files)} files: {recognised} recognised ({totals['skipped']} already loaded, skipped), "
        f"{totals['unrecognised']} not recognised; rows read {totals['read']}, loaded {totals['loaded']}, "
        f"duplicates {totals['duplicates']}, quarantined {totals['quarantined']}"
    )
    if named_unrecognised or not recognised:
        raise CliError(
            "some files named on the command line were not recognised"
            if named_unrecognised
            else "none of the files was recognised"
        )


def _moment(text: str, tz: str):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(f"--exported-at {text!r} is not an ISO 8601 date-time") from None
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(tz))


def cmd_poll_open311(args: argparse.Namespace) -> None:
    from orchestration.open311 import poll_command
    from sources.open311.client import Open311Error

    try:
        poll_command(warehouse(), vars(args))
    except (Open311Error, ValueError) as exc:
        raise CliError(str(exc)) from None


def cmd_sample(args: argparse.Namespace) -> None:
    from lib.config import Settings
    from sources.sample import generate_sample

    out = Path(args.out) if args.out else Settings.from_env().landing_dir
    sample = generate_sample(out, year=args.year, seed=args.seed, scale=args.scale, formats=args.formats)
    print(f"{sample.appeals} appeals, {sample.files} files -> {out}")


def add_commands(sub) -> None:
    ingest = sub.add_parser("ingest", help="load files or folders: ПОС/ИМ XLSX, ПОС/СЭД CSV, appeal-event/1 JSONL")
    ingest.add_argument("paths", nargs="+")
    ingest.add_argument("--force", action="store_true", help="load files seen before too (duplicates are skipped)")
    ingest.add_argument(
        "--source",
        help="source system code for exports (default: epgu-pos, medialogia-im, sed-nao); events carry their own",
    )
    ingest.add_argument(
        "--exported-at",
        help="the export moment of the files (ISO 8601); default: from the file name, the workbook, or the file time",
    )
    ingest.set_defaults(func=cmd_ingest)
    o311 = sub.add_parser("poll-open311", help="poll one Open311 GeoReport v2 endpoint now")
    o311.add_argument("base_url", metavar="BASE_URL", help="e.g. https://city.example/open311/v2")
    o311.add_argument("--source", required=True, help="source code of this system, e.g. open311-naryan-mar")
    o311.add_argument("--since", help="read requests made since this date (YYYY-MM-DD or ISO 8601 with offset)")
    o311.add_argument("--jurisdiction-id")
    o311.add_argument("--api-key-env", help="name of the environment variable that holds the api key")
    o311.add_argument("--window-days", type=float)
    o311.add_argument("--lookback-days", type=float)
    o311.add_argument("--page-size", type=int)
    o311.add_argument("--max-rps", type=float, help="requests per second at most (default 2)")
    o311.add_argument("--retries", type=int, help="retries of a failed request (default 5)")
    o311.add_argument("--timeout", type=float, help="read timeout, seconds (default 60)")
    o311.set_defaults(func=cmd_poll_open311)
    sample = sub.add_parser("sample", help="write the deterministic sample year")
    sample.add_argument("--out")
    sample.add_argument("--year", type=int, default=2025)
    sample.add_argument("--seed", type=int, default=20251)
    sample.add_argument("--scale", type=float, default=1.0)
    sample.add_argument(
        "--formats",
        choices=["native", "canonical"],
        default="native",
        help="each channel in its own format (default), or all as appeal-event/1",
    )
    sample.set_defaults(func=cmd_sample)

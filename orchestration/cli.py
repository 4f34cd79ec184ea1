"""`tsur`: the command line of the ЦУР appeals warehouse."""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")


class CliError(Exception):
    """A failure the user can act on; printed without a traceback."""


def _warehouse():
    from orchestration.warehouse import Warehouse

    return Warehouse().start()


def execute_job(job_name: str, *, as_of: str | None = None, full_refresh: bool = False,
                verbose: bool = False) -> None:
    """Run a Dagster job in this process, recorded in the warehouse's Dagster storage."""
    import dagster as dg

    from orchestration.defs.transform.project import ensure_manifest
    from orchestration.instance import prepare_dagster

    wh = _warehouse()
    prepare_dagster(wh)
    ensure_manifest()
    from orchestration.definitions import defs

    job = defs.resolve_job_def(job_name)
    run_config: dict = {"loggers": {"console": {"config": {"log_level": "INFO" if verbose else "WARNING"}}}}
    if as_of or full_refresh:
        run_config["ops"] = {"tsur_dbt_assets": {"config": {"as_of": as_of, "full_refresh": full_refresh}}}
    log_path = wh.settings.home / "logs" / f"{job_name}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # dbt's own log goes to stdout; keep the terminal for the summary unless asked.
    with dg.DagsterInstance.get() as instance, open(log_path, "w", encoding="utf-8") as log, \
            contextlib.redirect_stdout(sys.stdout if verbose else log):
        result = job.execute_in_process(instance=instance, run_config=run_config, raise_on_error=False)
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        messages = [e.step_failure_data.error.message.strip().splitlines()[-1]
                    for e in result.all_events if e.is_step_failure and e.step_failure_data.error]
        # A blocking check says why in its description; Dagster's own error only names the check.
        checks = [e.event_specific_data.description for e in result.all_events
                  if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed
                  and e.event_specific_data.severity == dg.AssetCheckSeverity.ERROR]
        why = "".join(f"\n  {text[:600]}" for text in checks if text)
        raise CliError(f"job {job_name} failed at {', '.join(failed) or 'an unknown step'}: "
                       f"{'; '.join(messages)[:800]}{why}"
                       f"\n  dbt log: {log_path}; run `tsur ui` to see run {result.run_id}")


def cmd_run(args: argparse.Namespace) -> None:
    from orchestration.summary import format_summary, warehouse_summary
    from sources.landing import all_files

    wh = _warehouse()
    landing = wh.settings.landing_dir
    if not landing.exists() or not all_files([landing]):
        from sources.sample import generate_sample

        sample = generate_sample(landing)
        print(f"Пример данных: {sample.appeals} обращений, {sample.files} файлов -> {landing}")
    execute_job("tsur_all", as_of=args.as_of, verbose=args.verbose)
    with wh.connect() as conn:
        figures = warehouse_summary(conn)
    figures["export"] = str(wh.settings.export_dir / "mart_sector_monthly.csv")
    print("Готово.\n" + format_summary(figures))


def cmd_build(args: argparse.Namespace) -> None:
    execute_job("tsur_build", as_of=args.as_of, full_refresh=args.full_refresh, verbose=args.verbose)
    print("dbt build: готово")


def cmd_export(args: argparse.Namespace) -> None:
    execute_job("tsur_export", verbose=args.verbose)
    print("Проверки пройдены, выгрузки записаны")


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
    wh = _warehouse()
    tz = wh.settings.source_timezone
    exported_at = _moment(args.exported_at, tz) if args.exported_at else None
    totals = dict.fromkeys(("read", "loaded", "duplicates", "quarantined", "skipped", "unrecognised"), 0)
    named_unrecognised = 0
    with wh.connect(autocommit=True) as conn:  # each file commits in its own transaction
        for path, named in files:
            try:
                found, report = ingest_file(conn, path.resolve(), source=args.source, force=args.force,
                                            exported_at=exported_at, tz=tz,
                                            future_tolerance_hours=wh.settings.future_tolerance_hours)
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
                reason = conn.execute("select reason from raw.quarantine where batch_id = %s and line_no is null",
                                      (report.batch_id,)).fetchone()
                if reason:
                    print(f"  the whole file is in quarantine: {reason[0]}")
            for total, field in (("read", "lines_read"), ("loaded", "loaded"), ("duplicates", "duplicates"),
                                 ("quarantined", "quarantined")):
                totals[total] += getattr(report, field)
    recognised = len(files) - totals["unrecognised"]
    print(f"{len(files)} files: {recognised} recognised ({totals['skipped']} already loaded, skipped), "
          f"{totals['unrecognised']} not recognised; rows read {totals['read']}, loaded {totals['loaded']}, "
          f"duplicates {totals['duplicates']}, quarantined {totals['quarantined']}")
    if named_unrecognised or not recognised:
        raise CliError("some files named on the command line were not recognised" if named_unrecognised
                       else "none of the files was recognised")


def _moment(text: str, tz: str):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(f"--exported-at {text!r} is not an ISO 8601 date-time") from None
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(tz))


def cmd_sample(args: argparse.Namespace) -> None:
    from orchestration.config import Settings
    from sources.sample import generate_sample

    out = Path(args.out) if args.out else Settings.from_env().landing_dir
    sample = generate_sample(out, year=args.year, seed=args.seed, scale=args.scale, formats=args.formats)
    print(f"{sample.appeals} appeals, {sample.files} files -> {out}")


def cmd_db(args: argparse.Namespace) -> None:
    from orchestration.warehouse import Warehouse

    wh = Warehouse()
    if args.action == "stop":
        if wh.server is None:
            raise CliError("TSUR_DATABASE_URL is set: the server is not ours to stop")
        print("stopped" if wh.server.stop() else "was not running")
        return
    wh.start(persistent=args.action == "start")
    if args.action == "url":
        print(wh.url())
    elif args.action == "start":
        print(f"running: {wh.url()}")
    elif args.action == "status":
        print(f"{'embedded' if wh.server else 'external'}: {wh.redacted_url()}")


def cmd_ui(args: argparse.Namespace) -> None:
    from orchestration.defs.transform.project import ensure_manifest
    from orchestration.instance import prepare_dagster

    wh = _warehouse()
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


def cmd_poll_open311(args: argparse.Namespace) -> None:
    from orchestration.open311 import poll_command
    from sources.open311.client import Open311Error

    try:
        poll_command(_warehouse(), vars(args))
    except (Open311Error, ValueError) as exc:
        raise CliError(str(exc)) from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tsur", description="Хранилище обращений ЦУР НАО")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="load the landing folder (sample year if empty), build, export")
    build = sub.add_parser("build", help="dbt build through Dagster")
    for cmd in (run, build):
        cmd.add_argument("--as-of", help="build as the warehouse knew the world then (ISO 8601 with offset)")
        cmd.add_argument("-v", "--verbose", action="store_true", help="show Dagster's log")
    build.add_argument("--full-refresh", action="store_true")
    run.set_defaults(func=cmd_run)
    build.set_defaults(func=cmd_build)
    export = sub.add_parser("export", help="validate the marts the exports read, then export (no rebuild)")
    export.add_argument("-v", "--verbose", action="store_true", help="show Dagster's log")
    export.set_defaults(func=cmd_export)
    ingest = sub.add_parser("ingest", help="load files or folders: ПОС/ИМ XLSX, ПОС/СЭД CSV, appeal-event/1 JSONL")
    ingest.add_argument("paths", nargs="+")
    ingest.add_argument("--force", action="store_true", help="load files seen before too (duplicates are skipped)")
    ingest.add_argument("--source", help="source system code for exports (default: epgu-pos, medialogia-im, "
                                         "sed-nao); events carry their own")
    ingest.add_argument("--exported-at", help="the export moment of the files (ISO 8601); default: from the "
                                              "file name, the workbook, or the file time")
    ingest.set_defaults(func=cmd_ingest)
    sample = sub.add_parser("sample", help="write the deterministic sample year")
    sample.add_argument("--out")
    sample.add_argument("--year", type=int, default=2025)
    sample.add_argument("--seed", type=int, default=20251)
    sample.add_argument("--scale", type=float, default=1.0)
    sample.add_argument("--formats", choices=["native", "canonical"], default="native",
                        help="each channel in its own format (default), or all as appeal-event/1")
    sample.set_defaults(func=cmd_sample)
    db = sub.add_parser("db", help="the warehouse database")
    db.add_argument("action", choices=["url", "start", "stop", "status"])
    db.set_defaults(func=cmd_db)
    ui = sub.add_parser("ui", help="Dagster UI on 127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    bench = sub.add_parser("bench", help="measure the intake path; prints ratios against simpler methods")
    bench.add_argument("--events", type=int, default=100_000)
    bench.set_defaults(func=cmd_bench)
    calendar = sub.add_parser("calendar", help="regenerate the production calendar seed")
    calendar.set_defaults(func=cmd_calendar)
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
    from orchestration.reporting import add_report_command

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
    return 0


if __name__ == "__main__":
    sys.exit(main())

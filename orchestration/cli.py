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
        raise CliError(f"job {job_name} failed at {', '.join(failed) or 'an unknown step'}: "
                       f"{'; '.join(messages)[:800]}\n  dbt log: {log_path}; run `tsur ui` to see run {result.run_id}")


def cmd_run(args: argparse.Namespace) -> None:
    from orchestration.summary import format_summary, warehouse_summary
    from sources.landing import event_files

    wh = _warehouse()
    landing = wh.settings.landing_dir
    if not event_files(landing):
        from sources.sample import generate_sample

        summary = generate_sample(landing)
        print(f"Пример данных: {summary.appeals} обращений, {summary.events} событий -> {landing}")
    execute_job("tsur_all", as_of=args.as_of, verbose=args.verbose)
    with wh.connect() as conn:
        figures = warehouse_summary(conn)
    figures["export"] = str(wh.settings.export_dir / "mart_sector_monthly.csv")
    print("Готово.\n" + format_summary(figures))


def cmd_build(args: argparse.Namespace) -> None:
    execute_job("tsur_build", as_of=args.as_of, full_refresh=args.full_refresh, verbose=args.verbose)
    print("dbt build: готово")


def cmd_ingest(args: argparse.Namespace) -> None:
    from sources.events import load_event_file
    from sources.landing import expand_paths

    try:
        files = expand_paths([Path(p) for p in args.paths])
    except FileNotFoundError as exc:
        raise CliError(str(exc)) from None
    if not files:
        raise CliError("no appeal-event/1 files (*.jsonl, *.ndjson) found in the given paths")
    wh = _warehouse()
    with wh.connect() as conn:
        for path in files:
            report = load_event_file(conn, path.resolve(), force=args.force,
                                     future_tolerance_hours=wh.settings.future_tolerance_hours,
                                     default_tz=wh.settings.source_timezone)
            print(report.line())


def cmd_sample(args: argparse.Namespace) -> None:
    from orchestration.config import Settings
    from sources.sample import generate_sample

    out = Path(args.out) if args.out else Settings.from_env().landing_dir
    summary = generate_sample(out, year=args.year, seed=args.seed, scale=args.scale)
    print(f"{summary.appeals} appeals, {summary.events} events, {summary.files} files -> {out}")


def cmd_db(args: argparse.Namespace) -> None:
    from orchestration.warehouse import Warehouse

    wh = Warehouse()
    if args.action == "stop":
        if wh.server is None:
            raise CliError("TSUR_DATABASE_URL is set: the server is not ours to stop")
        print("stopped" if wh.server.stop() else "was not running")
        return
    wh.start(persistent=args.action == "start")
    if args.action == "roles":
        _db_roles(wh)
    elif args.action == "url" and args.bi:
        print(_bi_url(wh))
    elif args.action == "url":
        print(wh.url())
    elif args.action == "start":
        print(f"running: {wh.redacted_url()}")
    elif args.action == "status":
        print(f"{'embedded' if wh.server else 'external'}: {wh.redacted_url()}")


def _db_roles(wh) -> None:
    from orchestration.roles import RoleNames, RolesError, ensure_roles, role_passwords

    try:
        names = RoleNames.from_env()
        passwords = role_passwords(wh.settings.home, names) if wh.server else None
        with wh.connect() as conn:
            changed = ensure_roles(conn, names, passwords)
    except RolesError as exc:
        raise CliError(str(exc)) from None
    print("\n".join(changed) or "roles already in place")
    print(f"  {names.loader}: writes raw only\n  {names.transformer}: reads raw, builds staging, intermediate,"
          f" marts, reference\n  {names.bi}: reads marts only")
    if wh.server:
        print("BI tools: `tsur db url --bi` prints the address with the password (keep it private).")
    else:
        print(f"The roles cannot log in. Give them to people and services by membership, e.g.\n"
              f"  grant {names.bi} to <bi_login>;   grant {names.loader} to <loader_login>;\n"
              f"or let one log in: alter role {names.bi} login; then set its password with psql's "
              f"\\password {names.bi}.\nRun `tsur db roles` before the first build, so that dbt grants the "
              f"marts to {names.bi}; run it again after it, and after adding a schema.")


def _bi_url(wh) -> str:
    from orchestration.roles import RoleNames, RolesError, ensure_roles, role_passwords

    if wh.server is None:
        raise CliError("TSUR_DATABASE_URL is set: BI logins on that server are the DBA's; `tsur db roles` explains")
    try:
        names = RoleNames.from_env()
        passwords = role_passwords(wh.settings.home, names)
        with wh.connect() as conn:
            ensure_roles(conn, names, passwords)
    except RolesError as exc:
        raise CliError(str(exc)) from None
    port = wh.server.postmaster().port
    return f"postgresql://{names.bi}:{passwords[names.bi]}@127.0.0.1:{port}/{wh.params()['dbname']}"


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


def cmd_calendar(args: argparse.Namespace) -> None:
    from orchestration.calendar import SEED_PATH, write_seed

    print(f"{write_seed()} days -> {SEED_PATH}")


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
    ingest = sub.add_parser("ingest", help="load appeal-event/1 files or folders")
    ingest.add_argument("paths", nargs="+")
    ingest.add_argument("--force", action="store_true", help="load files seen before too (duplicates are skipped)")
    ingest.set_defaults(func=cmd_ingest)
    sample = sub.add_parser("sample", help="write the deterministic sample year")
    sample.add_argument("--out")
    sample.add_argument("--year", type=int, default=2025)
    sample.add_argument("--seed", type=int, default=20251)
    sample.add_argument("--scale", type=float, default=1.0)
    sample.set_defaults(func=cmd_sample)
    db = sub.add_parser("db", help="the warehouse database")
    db.add_argument("action", choices=["url", "start", "stop", "status", "roles"],
                    help="roles: create the loader, transformer and BI roles and their grants")
    db.add_argument("--bi", action="store_true", help="with url: the TCP address for BI tools, password included")
    db.set_defaults(func=cmd_db)
    ui = sub.add_parser("ui", help="Dagster UI on 127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    calendar = sub.add_parser("calendar", help="regenerate the production calendar seed")
    calendar.set_defaults(func=cmd_calendar)
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

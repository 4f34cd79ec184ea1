"""`tsur run`, `tsur build`, `tsur export`: the pipeline as a whole."""

from __future__ import annotations

import argparse

from orchestration.commands import execute_job, warehouse
from orchestration.commands.package import add_package_arguments


def cmd_run(args: argparse.Namespace) -> None:
    from orchestration.summary import format_summary, warehouse_summary
    from sources.landing import all_files

    wh = warehouse()
    landing = wh.settings.landing_dir
    if not landing.exists() or not all_files([landing]):
        from sources.sample import generate_sample

        sample = generate_sample(landing)
        print(f"Пример данных: {sample.appeals} обращений, {sample.files} файлов -> {landing}")
    with wh.connect() as conn:
        model_before = latest_model_version(conn)
    execute_job("tsur_all", as_of=args.as_of, verbose=args.verbose)
    with wh.connect() as conn:
        model_after = latest_model_version(conn)
    if model_after != model_before:  # learnt from this run's known categories: label again with it now
        print(f"Классификатор обучен: {model_after}; повторная разметка и сборка")
        execute_job("tsur_build", as_of=args.as_of, verbose=args.verbose)
    with wh.connect() as conn:
        figures = warehouse_summary(conn)
    figures["export"] = str(wh.settings.export_dir / "mart_sector_monthly.csv")
    print("Готово.\n" + format_summary(figures))


def latest_model_version(conn) -> str | None:
    from sources.classify.store import latest_model

    found = latest_model(conn) if conn.execute("select to_regclass('raw.classifier_models')").fetchone()[0] else None
    return found[0] if found else None


def cmd_build(args: argparse.Namespace) -> None:
    execute_job("tsur_build", as_of=args.as_of, full_refresh=args.full_refresh, verbose=args.verbose)
    print("dbt build: готово")


def cmd_export(args: argparse.Namespace) -> None:
    if args.period or args.week:
        from orchestration.commands.package import cmd_package

        return cmd_package(args)
    execute_job("tsur_export", verbose=args.verbose)
    print("Проверки пройдены, выгрузки записаны")


def add_commands(sub) -> None:
    run = sub.add_parser("run", help="load the landing folder (sample year if empty), build, export")
    build = sub.add_parser("build", help="dbt build through Dagster")
    for cmd in (run, build):
        cmd.add_argument("--as-of", help="build as the warehouse knew the world then (ISO 8601 with offset)")
        cmd.add_argument("-v", "--verbose", action="store_true", help="show Dagster's log")
    build.add_argument("--full-refresh", action="store_true")
    run.set_defaults(func=cmd_run)
    build.set_defaults(func=cmd_build)
    export = sub.add_parser(
        "export",
        help="validate the marts the exports read, then export (no rebuild); "
        "with --period: the federal package of a month",
    )
    export.add_argument("-v", "--verbose", action="store_true", help="show Dagster's log")
    add_package_arguments(export)
    export.set_defaults(func=cmd_export)

"""`tsur export --period 2025-10` / `--week 2025-W43`: the federal package of one period."""

from __future__ import annotations

import argparse

from orchestration.commands import CliError, warehouse


def cmd_package(args: argparse.Namespace) -> None:
    from exports.package.build import export_package
    from exports.package.gate import PackageRefused
    from lib.asof import AsOfBuildError

    period = args.week or args.period
    try:
        result = export_package(warehouse(), period, batch_hwm=args.batch_hwm)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    except (PackageRefused, AsOfBuildError) as exc:
        raise CliError(str(exc)) from None
    for text in result.warnings:
        print(f"предупреждение: {text}")
    verdict = "записана новая ревизия" if result.created else "данные не изменились, пакет прежний"
    print(
        f"{result.period}: ревизия {result.revision} — {verdict}\n  {result.path}\n"
        f"  на {result.as_of}, партии загрузки до {result.batch_hwm}"
    )
    for name, rows in sorted(result.rows.items()):
        print(f"  {name}: {rows} строк")
    if result.diff is not None:
        print((result.path / "diff.md").read_text(encoding="utf-8"))


def add_package_arguments(export) -> None:
    export.add_argument("--period", help="the federal package of a month, e.g. 2025-10")
    export.add_argument("--week", help="the package of an ISO week instead, e.g. 2025-W43")
    export.add_argument(
        "--batch-hwm", type=int, help="with --period/--week: the last load batch to use (default: all loaded now)"
    )

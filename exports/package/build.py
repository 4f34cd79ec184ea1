"""Making a period's federal package: as-of build, validation, tables, files, revision.

result = export_package(warehouse, "2025-10")   # → exports/out/2025-10/r1/ (or the revision it matches)
"""

from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from exports.package import charts, csvs, html, manifest, revisions, workbook
from exports.package.gate import PACKAGE_MODELS, PackageRefused, refusal, run_gate
from exports.package.period import Period, parse_period
from exports.package.tables import package_tables
from exports.package.territory import min_cell, publishable
from exports.package.trend import trend
from lib.asof import build_as_of, marts_schema

# Only what the package reads (and the build's clocks): a past picture of the whole project takes longer.
BUILD_SELECT = " ".join(f"+{model}" for model in (*PACKAGE_MODELS, "int_build_horizon"))


@dataclass
class PackageResult:
    period: str
    revision: int
    path: Path
    created: bool  # False: the data matched the last revision, which is reused
    as_of: str
    batch_hwm: int
    rows: dict[str, int] = field(default_factory=dict)
    diff: dict | None = None
    warnings: list[str] = field(default_factory=list)


def export_package(
    warehouse, period: str, *, batch_hwm: int | None = None, build: bool = True, out_dir: Path | None = None
) -> PackageResult:
    """Build the marts as of the period's close (unless `build` is False), validate, write the package."""
    found = parse_period(period)
    if found.close > datetime.now(UTC):
        raise ValueError(f"period {found.label} closes at {found.close.isoformat()}: it is not over yet")
    with _period_lock(warehouse, found):
        if build:
            build_as_of(
                warehouse, as_of=found.close, batch_hwm=batch_hwm, schema_suffix=found.suffix, select=BUILD_SELECT
            )
        return write_package(warehouse, found, out_dir=out_dir)


@contextmanager
def _period_lock(warehouse, period: Period):
    """One run per period at a time: the as-of schemas and the revision numbers are the period's own."""
    folder = warehouse.settings.home / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"package-{period.label}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def build_horizon(conn, period: Period) -> tuple[datetime, int]:
    """The clocks the period's as-of schemas were built with; they must be the period's close."""
    relation = f"intermediate__{period.suffix}.int_build_horizon"
    if not conn.execute("select to_regclass(%s) is not null", (relation,)).fetchone()[0]:
        raise RuntimeError(f"no as-of build for {period.label}: {relation} does not exist")
    as_of, hwm = conn.execute(f"select as_of, batch_hwm from {relation}").fetchone()
    if as_of != period.close:
        raise RuntimeError(
            f"{relation} was built as of {as_of.isoformat()}, not at the close of "
            f"{period.label} ({period.close.isoformat()})"
        )
    return as_of.astimezone(period.close.tzinfo), int(hwm)  # Moscow time in every file


def render(period: Period, tables, chart_data, as_of: datetime) -> dict[str, bytes]:
    """Every data file of the package, as bytes."""
    kind = "месяц" if period.kind == "month" else f"неделя (показатели месяца {period.month_label} на ее конец)"
    title = f"ЦУР НАО: отчет за {period.label}"
    # No load batch here: a batch that changes nothing in the period must not change the files (manifest has it).
    subtitle = f"Период: {kind}. Данные на {as_of.astimezone(period.close.tzinfo):%d.%m.%Y %H:%M} МСК."
    by_sheet = {t.stem: t for t in tables}
    png, pdf = charts.render(
        charts.summary_figure(f"{title}. {subtitle}", chart_data, by_sheet["agencies"], by_sheet["problems"])
    )
    files = {f"{t.stem}.csv": csvs.table_csv(t) for t in tables}
    files[revisions.WORKBOOK] = workbook.build_workbook(tables, title=title, moment=as_of)
    files["summary.png"], files["summary.pdf"] = png, pdf
    files["summary.html"] = html.summary_html(title, subtitle, png, by_sheet["summary"])
    return files


def write_package(warehouse, period: Period, *, out_dir: Path | None = None) -> PackageResult:
    """Validate the period's as-of marts and write its package, or reuse the revision with the same data.
    Call it under the period's lock (export_package does)."""
    with warehouse.connect("transformer") as conn:  # the build's clocks live in its intermediate schema
        as_of, batch_hwm = build_horizon(conn, period)
    gate = run_gate(warehouse.sqlalchemy_url(role="transformer"), period.suffix)
    if gate.blocking_failures:
        raise refusal(period.label, gate)
    schema = marts_schema(period.suffix)
    with warehouse.connect("transformer") as conn:
        flags = plausibility_flags(conn, period)
    with warehouse.connect("reporter") as conn:  # what leaves the warehouse is read as the reporter
        tables, suppression = publishable(conn, schema, period.month, package_tables(conn, schema, period), min_cell())
        chart_data = trend(conn, schema, period.month)
    files = render(period, tables, chart_data, as_of)
    rows = {f"{t.stem}.csv": len(t.rows) for t in tables}
    rows[revisions.WORKBOOK] = sum(rows.values())  # data rows over all sheets; pictures and pages have none
    period_dir = Path(out_dir or warehouse.settings.export_dir) / period.label
    period_dir.mkdir(parents=True, exist_ok=True)
    result = _place(period, period_dir, files, tables, rows, as_of, batch_hwm, schema, flags, suppression)
    result.warnings = [o.message() for o in gate.warnings]
    if period.kind == "month" and tables[0].rows:  # an empty month has no headline figures to record
        _record_kpis(warehouse, period, as_of, batch_hwm)
    _log_run(period_dir, result)
    return result


def plausibility_flags(conn, period: Period) -> dict[str, int]:
    """Rows of the period's picture each plausibility rule flags (kept in the figures, counted in the manifest);
    a rule over its share limit is a systematic break and refuses the package."""
    from expectations.plausibility import RULES, evaluate

    flags = {}
    for rule in RULES:
        outcome, flagged = evaluate(conn, rule, period.suffix)
        if not outcome.success:
            raise PackageRefused(f"{period.label}: {outcome.message()}")
        flags[rule.name] = len(flagged)
    return flags


def _place(
    period, period_dir: Path, files, tables, rows, as_of, batch_hwm, schema, flags, suppression
) -> PackageResult:
    hashes = {name: manifest.sha256(data) for name, data in files.items()}
    previous = revisions.latest_revision(period_dir)
    common = dict(period=period.label, as_of=as_of.isoformat(), batch_hwm=batch_hwm, rows=rows)
    if previous and revisions.same_content(hashes, previous):
        return PackageResult(revision=previous.number, path=previous.path, created=False, **common)
    number = previous.number + 1 if previous else 1
    diff = None
    if previous:
        diff = revisions.package_diff(
            tables, previous, hashes, period=period.label, revision=number, batch_hwm=batch_hwm
        )
        files = {**files, "diff.json": revisions.diff_json(diff), "diff.md": revisions.diff_markdown(diff)}
    files[manifest.MANIFEST] = manifest.manifest_bytes(
        period=period.label,
        period_kind=period.kind,
        revision=number,
        as_of=as_of.isoformat(),
        batch_hwm=batch_hwm,
        schema=schema,
        files=files,
        rows=rows,
        previous=previous and previous.number,
        quality_flags=flags,
        suppression=suppression,
    )
    target = period_dir / revisions.revision_name(number)
    staging = period_dir / f".incomplete-{revisions.revision_name(number)}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for name, data in files.items():
        (staging / name).write_bytes(data)
    staging.rename(target)  # readers see a whole revision or none; an existing one is never replaced
    return PackageResult(revision=number, path=target, created=True, diff=diff, **common)


def _record_kpis(warehouse, period: Period, as_of: datetime, batch_hwm: int) -> None:
    """Headline figures into reports.kpi_snapshots, as `tsur report` does, for restatements later."""
    from exports.kpi_history import record_kpis

    with warehouse.connect("reporter") as conn:
        record_kpis(conn, period.label, period.suffix, as_of, batch_hwm)


def _log_run(period_dir: Path, result: PackageResult) -> None:
    """When runs happened lives here, outside the revisions: inside, it would break byte-identity."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    verdict = "written" if result.created else "unchanged, reused"
    with open(period_dir / "runs.log", "a", encoding="utf-8") as log:
        log.write(f"{now}\t{result.period}\tr{result.revision}\t{verdict}\tbatch_hwm={result.batch_hwm}\n")

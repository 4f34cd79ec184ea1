"""`tsur status`: what the warehouse last loaded, built and published, and which rule stopped a publication."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import psycopg

from expectations.relations import BUILD_SCHEMA
from orchestration.publish import Publication, last_publication

_LOADS = """
select distinct on (loader) loader, batch_id, finished_at, lines_read, loaded, quarantined
from raw.load_batches order by loader, batch_id desc
"""
# The last run whose checks looked at an unpublished build (their relation is in the build schema).
_LAST_BUILD = """
select run_id, max(finished_at) from quality.validation_runs
where relation like %(build)s and run_id is not null
group by run_id order by 2 desc limit 1
"""
_FAILED = """
select check_name, blocking, coalesce(error, failed || ' из ' || evaluated) from quality.validation_runs
where run_id = %s and not success order by not blocking, check_name
"""


@dataclass
class Status:
    loads: list[tuple] = field(default_factory=list)
    build_run: str | None = None
    build_at: datetime | None = None
    failed: list[tuple[str, bool, str]] = field(default_factory=list)
    publication: Publication | None = None
    published_run: str | None = None

    @property
    def held(self) -> bool:
        """The last build was not published: a blocking rule failed (BI still reads the publication before)."""
        return any(blocking for _, blocking, _ in self.failed)


def read_status(conn: psycopg.Connection) -> Status:
    status = Status()
    if conn.execute("select to_regclass('raw.load_batches')").fetchone()[0] is not None:
        status.loads = conn.execute(_LOADS).fetchall()
    if conn.execute("select to_regclass('quality.validation_runs')").fetchone()[0] is not None:
        row = conn.execute(_LAST_BUILD, {"build": BUILD_SCHEMA.replace("_", r"\_") + ".%"}).fetchone()
        if row:
            status.build_run, status.build_at = row
            status.failed = conn.execute(_FAILED, (status.build_run,)).fetchall()
    status.publication = last_publication(conn)
    if status.publication:
        status.published_run = conn.execute(
            "select run_id from quality.publications where publication_id = %s", (status.publication.publication_id,)
        ).fetchone()[0]
    return status


def _at(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z") if moment else "—"


def format_status(s: Status) -> str:
    lines = ["Загрузки (последняя партия по каждому загрузчику):"]
    if not s.loads:
        lines.append("  нет ни одной")
    for loader, batch, finished, read, loaded, quarantined in s.loads:
        lines.append(
            f"  {loader:<18} {_at(finished)}  партия {batch}: прочитано {read}, загружено {loaded}, "
            f"в карантине {quarantined}"
        )
    lines.append(f"Последняя сборка: {_at(s.build_at)}" + (f" (запуск {s.build_run})" if s.build_run else ""))
    p = s.publication
    lines.append(
        f"Последняя публикация: {_at(p.published_at)} — № {p.publication_id}, на момент {_at(p.as_of)}, "
        f"партии до {p.batch_hwm}, объектов {p.relations}"
        if p
        else "Последняя публикация: не было"
    )
    if s.failed:
        lines.append("Не прошли проверки последней сборки:")
        lines.extend(
            f"  {'БЛОКИРУЕТ' if blocking else 'предупреждение'}: {name} ({detail})"
            for name, blocking, detail in s.failed
        )
    if s.held:
        lines.append("Сборка не опубликована: BI и выгрузки видят витрины последней публикации.")
    elif s.build_run and s.build_run != s.published_run:
        lines.append("Последняя сборка еще не опубликована (идет, прервана или собрана без публикации).")
    return "\n".join(lines)

"""The classifier's reads and writes in the restricted layer: appeal inputs (rubric, parent rubric, text) from
the raw tables, labels as a batch of raw.appeal_labels, trained models in raw.classifier_models."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator

import psycopg

from sources.classify.decide import AppealInput, Label
from sources.loader import LOAD_LOCK

LOADER = "classifier"
LABELS = "raw.appeal_labels"
# Loaders whose batches are the classifier's own output, not appeals it should read.
DERIVED_LOADERS = (LOADER,)
# The current build's marts before publication (dbt's generate_schema_name; orchestration/publish.py).
BUILD_MARTS, PUBLISHED_MARTS = "marts_build", "marts"

# One input per appeal: the latest rubric the source stated (not an operator's decision, which dbt applies
# itself) and the first text it sent. Snapshot rows: the most specific rubric, with its group as parent.
_INPUTS = """
with events as (
    select source, payload->>'appeal_id' as appeal_id,
        (array_agg(payload #>> '{category,name}' order by occurred_at desc, event_id desc)
            filter (where payload #>> '{category,name}' is not null and payload #> '{attrs,review}' is null))[1]
            as rubric,
        (array_agg(payload #>> '{category,parent_name}' order by occurred_at desc, event_id desc)
            filter (where payload #>> '{category,name}' is not null and payload #> '{attrs,review}' is null))[1]
            as parent,
        (array_agg(payload->>'text' order by (payload->>'event_type' = 'received') desc, occurred_at, event_id)
            filter (where payload->>'text' is not null and payload->>'event_type' <> 'returned'))[1] as text
    from raw.appeal_events
    where /*events*/
    group by 1, 2
),
rows as (
    select source, appeal_id,
        (array_agg(coalesce(record->>'subcategory_name', record->>'theme', record->>'category_name')
            order by exported_at desc) filter (where coalesce(record->>'subcategory_name', record->>'theme',
            record->>'category_name') is not null))[1] as rubric,
        (array_agg(record->>'category_name' order by exported_at desc)
            filter (where coalesce(record->>'subcategory_name', record->>'theme') is not null))[1] as parent,
        (array_agg(record->>'text' order by exported_at) filter (where record->>'text' is not null))[1] as text
    from raw.source_rows
    where /*rows*/
    group by 1, 2
)
select source, appeal_id, coalesce(r.rubric, e.rubric) as rubric,
    case when r.rubric is not null then r.parent else e.parent end as parent, coalesce(e.text, r.text) as text
from events as e full join rows as r using (source, appeal_id)
"""
_TOUCHED = """array(
    select source || '/' || (payload->>'appeal_id') from raw.appeal_events
    where batch_id > %(since)s and batch_id <= %(hwm)s
    union
    select source || '/' || appeal_id from raw.source_rows where batch_id > %(since)s and batch_id <= %(hwm)s)"""


def inputs_sql(keys: str | None = None, up_to_hwm: bool = False) -> str:
    """SQL for (source, appeal_id, rubric, parent, text) of every appeal, or of the appeals whose key
    (source/appeal_id) is in the SQL array `keys`; with `up_to_hwm`, from batches up to %(hwm)s only.
    The one reading of appeal texts every part of the classifier shares."""
    events, rows = ["true"], ["true"]
    if up_to_hwm:
        events.append("batch_id <= %(hwm)s")
        rows.append("batch_id <= %(hwm)s")
    if keys:
        events.append(f"source || '/' || (payload->>'appeal_id') = any({keys})")
        rows.append(f"source || '/' || appeal_id = any({keys})")
    return _INPUTS.replace("/*events*/", " and ".join(events)).replace("/*rows*/", " and ".join(rows))


def input_hwm(conn: psycopg.Connection) -> int:
    """The last load batch of appeals (the classifier's own batches are not input)."""
    return conn.execute(
        "select coalesce(max(batch_id), 0) from raw.load_batches where loader <> all(%s)", (list(DERIVED_LOADERS),)
    ).fetchone()[0]


def last_run_hwm(conn: psycopg.Connection, model_version: str) -> int | None:
    return conn.execute(
        "select max(input_hwm) from raw.classifier_runs where model_version = %s", (model_version,)
    ).fetchone()[0]


def read_inputs(conn: psycopg.Connection, hwm: int, since: int | None) -> Iterator[AppealInput]:
    """Appeals seen by batches up to `hwm` (only those touched after `since`, when given)."""
    sql = inputs_sql(_TOUCHED if since is not None else None, up_to_hwm=True) + " order by 1, 2"
    with conn.cursor(name="classifier_inputs") as cur:
        cur.itersize = 5000
        cur.execute(sql, {"hwm": hwm, "since": since})
        for row in cur:
            yield AppealInput(*row)


def input_sha256(a: AppealInput) -> str:
    return hashlib.sha256("\0".join(x or "" for x in (a.rubric, a.parent, a.text)).encode("utf-8")).hexdigest()


def write_labels(
    conn: psycopg.Connection, chunks: Iterable[list[tuple[str, Label]]], model_version: str, hwm: int
) -> tuple[int, int, int]:
    """One batch: a new label for each appeal whose input or model changed since its latest label.

    Labels stream into a temporary table first (the chunks may be computed while they are written); the load
    lock is taken only to number and store the batch, so loads are not held up by the classifier's work.
    Returns (batch_id, considered, written); the batch reconciles as considered = written + unchanged."""
    origin = f"classifier {model_version}"
    sha = hashlib.sha256(f"{model_version}:{hwm}".encode()).hexdigest()
    considered = 0
    with conn.transaction():
        conn.execute(
            "create temp table _labels (source text, appeal_id text, input_sha256 text,"
            " category_code text, sector_code text, confidence numeric(5, 4), method text,"
            " needs_review boolean, guesses jsonb) on commit drop"
        )
        with conn.cursor().copy("copy _labels from stdin") as copy:
            for chunk in chunks:
                for digest, lab in chunk:
                    copy.write_row(
                        (
                            lab.source,
                            lab.appeal_id,
                            digest,
                            lab.category_code,
                            lab.sector_code,
                            lab.confidence,
                            lab.method,
                            lab.needs_review,
                            json.dumps([{"category_code": c, "confidence": p} for c, p in lab.guesses]),
                        )
                    )
                considered += len(chunk)
        conn.execute("analyze _labels")
        conn.execute("select pg_advisory_xact_lock(%s)", (LOAD_LOCK,))
        batch_id = conn.execute("select nextval('raw.load_batch_seq')").fetchone()[0]
        loaded_at = conn.execute("select clock_timestamp()").fetchone()[0]
        conn.execute(
            "insert into raw.load_batches (batch_id, loader, origin, origin_sha256, started_at, finished_at,"
            " lines_read, loaded, duplicates, quarantined) values (%s, %s, %s, %s, %s, %s, 0, 0, 0, 0)",
            (batch_id, LOADER, origin, sha, loaded_at, loaded_at),
        )
        written = conn.execute(
            """
            insert into raw.appeal_labels (source, appeal_id, input_sha256, model_version, category_code, sector_code,
                confidence, method, needs_review, guesses, batch_id, loaded_at)
            select l.source, l.appeal_id, l.input_sha256, %(v)s, l.category_code, l.sector_code, l.confidence,
                l.method, l.needs_review, l.guesses, %(b)s, %(t)s
            from _labels as l
            left join lateral (
                select p.input_sha256, p.model_version from raw.appeal_labels as p
                where p.source = l.source and p.appeal_id = l.appeal_id
                order by p.batch_id desc limit 1
            ) as latest on true
            where latest.input_sha256 is distinct from l.input_sha256
                or latest.model_version is distinct from %(v)s
            order by l.source, l.appeal_id""",
            {"v": model_version, "b": batch_id, "t": loaded_at},
        ).rowcount
        conn.execute(
            "update raw.load_batches set finished_at = clock_timestamp(), lines_read = %s, loaded = %s,"
            " duplicates = %s where batch_id = %s",
            (considered, written, considered - written, batch_id),
        )
        conn.execute(
            "insert into raw.classifier_runs (batch_id, model_version, input_hwm) values (%s, %s, %s)",
            (batch_id, model_version, hwm),
        )
    return batch_id, considered, written


def latest_model(conn: psycopg.Connection) -> tuple[str, bytes] | None:
    return conn.execute(
        "select model_version, artifact from raw.classifier_models order by created_at desc, model_version desc limit 1"
    ).fetchone()


def facts_relation(conn: psycopg.Connection) -> str | None:
    """The appeals fact to learn from: the current build's (it follows the newest labels), else the published."""
    for schema in (BUILD_MARTS, PUBLISHED_MARTS):
        if conn.execute("select to_regclass(%s)", (f"{schema}.fct_appeals",)).fetchone()[0] is not None:
            return f"{schema}.fct_appeals"
    return None

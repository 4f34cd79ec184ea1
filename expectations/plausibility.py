"""Plausibility rules: odd but possible rows are flagged, counted and kept, never a reason to stop reporting.

Integrity rules (keys, types, codes, reconciliations) stay in the suites and block. A plausibility rule says
which rows look wrong (a deadline years ahead, a date decades before the rest of its source, an answer after
years); every such row goes to quality.flagged_rows with the value seen and when it was first seen, and the rule
blocks only when the share of odd rows passes `plausible_max_share` (dbt_project.yml) — a systematic break, such
as a source that switched its date format, not a stray row. Bounds come from configuration (dbt vars) and from
the data's own range, never from fixed calendar dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg

from expectations.dbt_vars import dbt_vars
from expectations.relations import suffixed
from expectations.results import Failure, Outcome

VARS = dbt_vars()
SINCE = str(VARS["plausible_since"])
GAP_YEARS = int(VARS["plausible_gap_years"])
TERM_DAYS = int(VARS["plausible_term_days"])
ANSWER_DAYS = int(VARS["plausible_answer_working_days"])
MAX_SHARE = float(VARS["plausible_max_share"])


@dataclass(frozen=True)
class Rule:
    name: str
    model: str  # the dbt model whose asset carries the check
    relation: str
    key: str  # SQL: the row's key
    value: str  # SQL: what looked wrong, as text
    odd: str  # SQL condition over the relation (alias t): the row is implausible
    note: str  # for people
    kept_out_of: str = ""  # which figures leave such rows out, if any


RULES = (
    Rule(
        "received_long_before_its_source",
        "fct_appeals",
        "marts.fct_appeals",
        "t.appeal_key",
        "t.received_at::text",
        # Uncorrelated (a hashed subplan, each source's percentile computed once), not a subquery per row.
        f"t.received_at < '{SINCE}'::timestamptz or t.appeal_key in (select a.appeal_key from {{relation}} as a"
        f" join (select source, percentile_disc(0.01) within group (order by received_at) as usual"
        f" from {{relation}} group by source) as o using (source)"
        f" where a.received_at < o.usual - interval '{GAP_YEARS} years')",
        f"поступление раньше {SINCE} или более чем на {GAP_YEARS} лет раньше основной массы обращений источника",
    ),
    Rule(
        "deadline_far_ahead",
        "fct_appeals",
        "marts.fct_appeals",
        "t.appeal_key",
        "t.due_at::text",
        f"t.due_at > t.received_at + interval '{TERM_DAYS} days'",
        f"срок ответа позже {TERM_DAYS} дней после поступления (плановые работы бывают, но редко)",
    ),
    Rule(
        "deadline_before_receipt",
        "fct_appeals",
        "marts.fct_appeals",
        "t.appeal_key",
        "t.due_at::text",
        "t.due_at < t.received_at",
        "срок ответа раньше поступления",
    ),
    Rule(
        "answer_after_years",
        "fct_appeals",
        "marts.fct_appeals",
        "t.appeal_key",
        "t.answer_working_days::text",
        f"t.answer_working_days > {ANSWER_DAYS}",
        f"ответ позже {ANSWER_DAYS} рабочих дней после поступления",
        kept_out_of="медианы и процентили скорости (первая реакция, решение) в витринах показателей",
    ),
)
BY_NAME = {rule.name: rule for rule in RULES}


def _relation(rule: Rule, suffix: str) -> str:
    return suffixed(rule.relation, suffix)


def evaluate(conn: psycopg.Connection, rule: Rule, suffix: str = "") -> tuple[Outcome, list[tuple[str, str]]]:
    """The rule over its relation: (outcome, [(key, value) of the odd rows]). Fails only above the share."""
    started = datetime.now(UTC)
    relation = _relation(rule, suffix)
    odd_sql = rule.odd.replace("{relation}", relation)
    total = conn.execute(f"select count(*) from {relation}").fetchone()[0]
    rows = conn.execute(f"select {rule.key}, {rule.value} from {relation} as t where {odd_sql} order by 1").fetchall()
    share = len(rows) / total if total else 0.0
    failures = []
    if share > MAX_SHARE:
        failures.append(
            Failure(
                rule=rule.name,
                expected=f"доля не выше {MAX_SHARE:.2%}",
                column=rule.relation,
                observed=f"{len(rows)} из {total} ({share:.2%})",
                unexpected_count=len(rows),
                sample=tuple(v for _, v in rows[:5]),
                note=rule.note,
            )
        )
    stats = {
        "rows": total,
        "flagged": len(rows),
        "share": round(share, 6),
        "max_share": MAX_SHARE,
        "kept_out_of": rule.kept_out_of,
    }
    return Outcome(rule.name, "plausibility", relation, total, failures, started, datetime.now(UTC), stats=stats), [
        (str(k), None if v is None else str(v)) for k, v in rows
    ]


def record_flags(conn: psycopg.Connection, rule: Rule, flagged: list[tuple[str, str]]) -> dict[str, int]:
    """Keep every odd row once (first seen stays), refresh what is still odd, close what is not any more."""
    with conn.transaction():
        conn.execute("create temp table _flags (row_key text primary key, value_seen text) on commit drop")
        with conn.cursor().copy("copy _flags from stdin") as copy:
            for row in dict(flagged).items():
                copy.write_row(row)
        new = conn.execute(
            "insert into quality.flagged_rows (rule, relation, row_key, value_seen, first_seen_at, first_batch,"
            " last_seen_at) select %s, %s, row_key, value_seen, now(), (select max(batch_id) from raw.load_batches),"
            " now() from _flags on conflict (rule, relation, row_key) do update set last_seen_at = now(),"
            " value_seen = excluded.value_seen, resolved_at = null returning (xmax = 0)",
            (rule.name, rule.relation),
        ).fetchall()
        resolved = conn.execute(
            "update quality.flagged_rows set resolved_at = now() where rule = %s and relation = %s"
            " and resolved_at is null and row_key not in (select row_key from _flags)",
            (rule.name, rule.relation),
        ).rowcount
    return {"flagged": len(new), "new": sum(1 for (inserted,) in new if inserted), "resolved": resolved}


def open_flags(conn: psycopg.Connection) -> dict[str, int]:
    """Rule → rows flagged and not resolved: for the summary of `tsur run` and the package manifest."""
    if conn.execute("select to_regclass('quality.flagged_rows')").fetchone()[0] is None:
        return {}
    return dict(
        conn.execute(
            "select rule, count(*) from quality.flagged_rows where resolved_at is null group by 1 order by 1"
        ).fetchall()
    )

"""What a BI user sees of the marts in PostgreSQL: a comment on every table and column, indexes on the
large marts, and no personal data."""

import pytest

pytestmark = pytest.mark.slow


def test_every_mart_table_and_column_is_documented_for_bi(built):
    _, _, conn = built
    tables = [
        t
        for (t,) in conn.execute(
            "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname = 'marts' and c.relkind in ('r', 'v') order by 1"
        ).fetchall()
    ]
    assert {
        "mart_sector_kpi",
        "mart_agency_rating",
        "mart_regional_problems",
        "mart_deadline_control",
        "mart_workload",
        "mart_conflicts",
        "mart_repeat_appeals",
        "mart_restatements",
        "mart_kpi_values",
        "mart_category_targets",
        "dim_kpis",
    } <= set(tables)
    undocumented = conn.execute(
        "select c.relname, a.attname from pg_class c"
        " join pg_namespace n on n.oid = c.relnamespace"
        " join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped"
        " where n.nspname = 'marts' and c.relkind in ('r', 'v')"
        " and coalesce(col_description(c.oid, a.attnum), '') = ''"
    ).fetchall()
    assert undocumented == []
    bare = conn.execute(
        "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'marts' and c.relkind in ('r', 'v')"
        " and coalesce(obj_description(c.oid, 'pg_class'), '') = ''"
    ).fetchall()
    assert bare == []
    # Formulas reach the BI tool with the column.
    comment = conn.execute(
        "select col_description(a.attrelid, a.attnum) from pg_attribute a"
        " where a.attrelid = 'marts.mart_sector_kpi'::regclass and a.attname = 'on_time_share'"
    ).fetchone()[0]
    assert "answered_on_time / answered" in comment
    indexed = {t for (t,) in conn.execute("select tablename from pg_indexes where schemaname = 'marts'").fetchall()}
    assert {"mart_sector_kpi", "mart_agency_rating", "mart_deadline_control", "mart_workload"} <= indexed


def test_no_personal_data_in_the_marts(built):
    _, _, conn = built
    names = {
        c
        for (c,) in conn.execute(
            "select column_name from information_schema.columns where table_schema = 'marts'"
        ).fetchall()
    }
    assert not names & {"name", "phone", "email", "address", "text", "author_name", "answer_text"}
    keys = conn.execute("select subject_key from marts.mart_repeat_appeals").fetchall()
    assert keys and all(len(k) == 64 and set(k) <= set("0123456789abcdef") for (k,) in keys)

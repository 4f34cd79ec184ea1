"""The pure parts of validation: messages, suites as data, relations, freshness with a fixed clock."""

import csv
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from expectations.freshness import assess, silence_limits
from expectations.reconcile import suffixed
from expectations.reference import contract_types
from expectations.results import Failure, Outcome, jsonable
from expectations.runner import gx_class_name, relation_for, resolve
from expectations.suite import Now, Suite, at_most, columns, shares, unique
from expectations.suites import SUITES

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2025, 12, 31, 21, 0, tzinfo=UTC)


def outcome(*failures: Failure, evaluated: int = 47) -> Outcome:
    return Outcome(
        "mart_sector_monthly", "expectations", "marts.mart_sector_monthly", evaluated, list(failures), T0, T0
    )


def test_the_message_names_the_expectation_and_the_observed_value():
    share = Failure(
        "expect_column_values_to_be_between",
        "min_value=0, max_value=1",
        column="on_time_share",
        unexpected_count=1,
        sample=(Decimal("1.7000"),),
        note="доля в пределах [0, 1]",
    )
    key = Failure("expect_compound_columns_to_be_unique", "true", column="month, sector_code", unexpected_count=2)
    text = outcome(share, key).message()
    assert text.startswith("mart_sector_monthly on marts.mart_sector_monthly: 2 of 47 failed: ")
    assert (
        "expect_column_values_to_be_between(on_time_share) [доля в пределах [0, 1]]: "
        "expected min_value=0, max_value=1; 1 unexpected, e.g. 1.7"
    ) in text
    assert "expect_compound_columns_to_be_unique(month, sector_code): expected true; 2 unexpected" in text


def test_the_message_shortens_long_lists_and_says_when_all_passed():
    many = [Failure(f"rule_{i}", "x", observed=i) for i in range(5)]
    assert outcome(*many).message(limit=3).endswith("; and 2 more")
    assert outcome().message() == "mart_sector_monthly on marts.mart_sector_monthly: all 47 passed"
    broken = outcome()
    broken.error = "relation marts.x does not exist"
    assert not broken.success
    assert broken.message().endswith("could not validate: relation marts.x does not exist")


def test_markdown_is_a_table_with_escaped_cells():
    md = outcome(Failure("unexpected_rows_expectation", "no rows where a | b", unexpected_count=3)).markdown()
    lines = md.splitlines()
    assert lines[0] == "| правило | столбец | ожидалось | наблюдалось | примеры |"
    assert lines[2] == "| unexpected_rows_expectation |  | no rows where a \\| b | 3 строк |  |"


def test_jsonable_keeps_values_readable():
    assert jsonable({"a": Decimal("1.7000"), "b": Decimal("2"), "d": date(2025, 1, 1), "t": (1, None)}) == {
        "a": 1.7,
        "b": 2,
        "d": "2025-01-01",
        "t": [1, None],
    }
    assert outcome(Failure("r", "x", sample=(date(2025, 3, 1),))).failures_json()[0]["sample"] == ["2025-03-01"]


def test_gx_class_names_and_relative_moments():
    assert gx_class_name("expect_column_values_to_be_between") == "ExpectColumnValuesToBeBetween"
    assert gx_class_name("unexpected_rows_expectation") == "UnexpectedRowsExpectation"
    # 2 days ahead of 21:00 UTC on Dec 31 is Jan 2: a date, so a date column compares with it too.
    assert resolve(Now(timedelta(days=2)), T0) == "2026-01-02"
    assert resolve(5, T0) == 5


def test_past_pictures_move_dbt_relations_but_never_raw_ones():
    mart = next(s for s in SUITES if s.name == "mart_sector_monthly")
    raw = next(s for s in SUITES if s.name == "raw_appeal_events")
    assert relation_for(mart, "asof_2025_10") == "marts__asof_2025_10.mart_sector_monthly"
    assert relation_for(mart) == "marts.mart_sector_monthly"
    assert relation_for(raw, "asof_2025_10") == "raw.appeal_events"
    assert suffixed("intermediate.int_build_horizon", "x") == "intermediate__x.int_build_horizon"
    assert suffixed("raw.load_batches", "x") == "raw.load_batches"


def test_helpers_write_the_expectations_gx_expects():
    found = columns({"month": "date", "received_at": "timestamp with time zone"})
    assert found[0].kwargs == {"column_set": ["month", "received_at"], "exact_match": False}
    assert [e.kwargs["type_"] for e in found[1:]] == ["DATE", "TIMESTAMP WITH TIME ZONE"]
    assert unique("a").type == "expect_column_values_to_be_unique"
    assert unique("a", "b").kwargs == {"column_list": ["a", "b"]}
    assert shares("s")[0].kwargs == {"column": "s", "min_value": 0, "max_value": 1}
    part = at_most("answered", "incoming")
    assert (part.kwargs["column_A"], part.kwargs["column_B"], part.kwargs["or_equal"]) == ("incoming", "answered", True)


def test_a_suite_names_exactly_one_asset():
    with pytest.raises(ValueError):
        Suite(name="x", relation="marts.x", expectations=())
    with pytest.raises(ValueError):
        Suite(name="x", relation="marts.x", expectations=(), model="x", asset=("marts", "x"))


def test_contract_types_come_from_the_model_yml():
    types = contract_types("fct_appeals")
    assert types["received_at"] == "timestamp with time zone"
    assert types["is_overdue"] == "boolean"
    assert types["last_batch_id"] == "bigint"


def test_every_raw_table_and_every_mart_has_a_suite():
    """The issue asks for a suite per raw table and per mart: a new one fails here until it has its suite."""
    migrations = "\n".join(p.read_text() for p in sorted((ROOT / "lib" / "migrations").glob("*.sql")))
    raw_tables = set(re.findall(r"create table if not exists raw\.(\w+)", migrations))
    # A marts area's own steps (its intermediate/ subfolder) are built in the intermediate schema, not published.
    marts = {
        p.stem for p in (ROOT / "dbt_project" / "models" / "marts").rglob("*.sql") if "intermediate" not in p.parts
    }
    assert {"fct_appeals", "mart_kpi_values"} <= marts
    suites = {s.relation for s in SUITES}
    assert {f"raw.{t}" for t in raw_tables} <= suites
    assert {f"marts.{m}" for m in marts} <= suites
    assert len({s.name for s in SUITES}) == len(SUITES)
    # Marts that feed exports block them; so do the facts every mart reads.
    assert all(s.blocking for s in SUITES if s.name.startswith(("mart_", "fct_")))


def test_silence_limits_cover_the_channels_and_are_positive():
    with open(ROOT / "dbt_project" / "seeds" / "reference" / "channels.csv", encoding="utf-8") as fh:
        channels = {row["channel_code"] for row in csv.DictReader(fh)}
    limits = silence_limits()
    assert set(limits) == channels
    assert all(hours > 0 for hours in limits.values())


def test_silence_limits_refuse_a_zero_limit(tmp_path):
    seed = tmp_path / "channel_silence.csv"
    seed.write_text("channel_code,max_silence_hours,basis\nhotline,0,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="hotline"):
        silence_limits(seed)


def test_freshness_with_a_fixed_clock():
    fresh = assess("hotline", T0 - timedelta(hours=71), 72, T0)
    assert fresh.success and fresh.stats["silence_hours"] == 71.0
    stale = assess("hotline", T0 - timedelta(hours=73, minutes=30), 72, T0)
    assert not stale.success
    assert stale.failures[0].observed == "73.5 h since 2025-12-28 19:30 UTC"
    assert "channel_silence(hotline)" in stale.message()
    never = assess("pos", None, 48, T0)
    assert not never.success and never.failures[0].observed == "nothing loaded yet"


def test_a_truncated_list_of_failures_still_counts_them_all():
    found = outcome(Failure("batch_reconciles", "x", column="batch 1"))
    found.failed_count = 120
    assert found.failed == 120 and not found.success
    assert found.message().endswith("; and 119 more")
    assert found.markdown().endswith("… и еще 119")

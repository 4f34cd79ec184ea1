"""The pure parts of as-of builds: period bounds in Moscow time, schema suffixes, the dbt invocation."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from lib.asof import check_suffix, dbt_command, dbt_vars, marts_schema
from lib.periods import period_bounds, period_close, suffix_for

MSK = timezone(timedelta(hours=3))


@pytest.mark.parametrize(
    "period, start, end",
    [
        ("2025-10", datetime(2025, 10, 1, tzinfo=MSK), datetime(2025, 11, 1, tzinfo=MSK)),
        ("2025-12", datetime(2025, 12, 1, tzinfo=MSK), datetime(2026, 1, 1, tzinfo=MSK)),
        ("2025-Q4", datetime(2025, 10, 1, tzinfo=MSK), datetime(2026, 1, 1, tzinfo=MSK)),
        ("2025-Q1", datetime(2025, 1, 1, tzinfo=MSK), datetime(2025, 4, 1, tzinfo=MSK)),
        ("2024", datetime(2024, 1, 1, tzinfo=MSK), datetime(2025, 1, 1, tzinfo=MSK)),
    ],
)
def test_period_bounds_are_moscow_midnights(period, start, end):
    assert period_bounds(period) == (start, end)
    assert period_close(period) == end
    assert period_close(period).utcoffset() == timedelta(hours=3)


def test_period_close_of_october_is_the_first_of_november_in_moscow():
    close = period_close("2025-10")
    assert close.isoformat() == "2025-11-01T00:00:00+03:00"
    assert close.astimezone(UTC) == datetime(2025, 10, 31, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["2025-13", "2025-1", "25-10", "2025-Q5", "2025/10", "", "2025-10-01"])
def test_malformed_periods_are_refused(bad):
    with pytest.raises(ValueError, match="period must look like"):
        period_bounds(bad)


def test_suffixes_and_schemas():
    assert suffix_for("2025-10") == "asof_2025_10"
    assert suffix_for("2025-Q4") == "asof_2025_q4"
    assert marts_schema("") == "marts"
    assert marts_schema("asof_2025_10") == "marts__asof_2025_10"
    for bad in ("Asof", "1x", "a-b", "a;drop schema marts", "x" * 41):
        with pytest.raises(ValueError):
            check_suffix(bad)


def test_dbt_vars_need_an_aware_moment_and_a_suffix():
    variables = dbt_vars(datetime(2025, 11, 1, tzinfo=MSK), 7, "asof_2025_10")
    assert variables == {"as_of": "2025-11-01T00:00:00+03:00", "batch_hwm": 7, "schema_suffix": "asof_2025_10"}
    with pytest.raises(ValueError, match="time zone"):
        dbt_vars(datetime(2025, 11, 1), 7, "asof_2025_10")


def test_dbt_command_builds_into_the_suffix_without_unit_tests():
    variables = dbt_vars(datetime(2025, 11, 1, tzinfo=MSK), 7, "asof_2025_10")
    command = dbt_command("dbt", variables)
    assert command[:2] == ["dbt", "build"]
    assert json.loads(command[command.index("--vars") + 1]) == variables
    assert command[command.index("--exclude-resource-type") + 1] == "unit_test"
    assert "--select" not in command
    partial = dbt_command("dbt", variables, "+mart_kpi_values")
    assert partial[partial.index("--select") + 1] == "+mart_kpi_values"
    # A partial picture has no other relations: only tests whose parents are all selected may run.
    assert partial[partial.index("--indirect-selection") + 1] == "cautious"

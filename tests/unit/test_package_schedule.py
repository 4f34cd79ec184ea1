"""The federal package in Dagster: a monthly-partitioned asset, and a schedule that asks for the previous
month only on the second working day (09:00 Moscow time) by the production calendar."""

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

MSK = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(
    "day, partition",
    [
        (datetime(2025, 11, 5, 9, tzinfo=MSK), "2025-10-01"),  # 1 Nov (Saturday) worked, 3–4 Nov off
        (datetime(2026, 1, 13, 9, tzinfo=MSK), "2025-12-01"),  # after the new-year holidays
        (datetime(2025, 12, 2, 9, tzinfo=MSK), "2025-11-01"),
        (datetime(2025, 11, 1, 9, tzinfo=MSK), None),  # the first working day: loads may still be late
        (datetime(2025, 11, 4, 9, tzinfo=MSK), None),  # a holiday
        (datetime(2025, 11, 6, 9, tzinfo=MSK), None),  # the third
    ],
)
def test_schedule_fires_on_the_second_working_day(dbt_manifest, day, partition):
    from orchestration.defs.export.package import federal_package_schedule

    result = federal_package_schedule(dg.build_schedule_context(scheduled_execution_time=day))
    if partition is None:
        assert isinstance(result, dg.SkipReason)
    else:
        assert isinstance(result, dg.RunRequest) and result.partition_key == partition


def test_package_asset_is_partitioned_by_month_and_registered(dbt_manifest):
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    node = graph.get(dg.AssetKey("federal_package"))
    keys = node.partitions_def.get_partition_keys(current_time=datetime(2025, 12, 15, tzinfo=MSK))
    assert keys[0] == "2025-01-01" and keys[-1] == "2025-11-01" and len(keys) == 11
    assert {p.to_user_string() for p in node.parent_keys} >= {"marts/mart_kpi_values", "marts/mart_conflicts"}
    assert defs.resolve_schedule_def("federal_package_schedule").execution_timezone == "Europe/Moscow"
    assert defs.resolve_job_def("federal_package_monthly").partitions_def == node.partitions_def
    everyday = defs.resolve_job_def("tsur_all")
    assert dg.AssetKey("federal_package") not in everyday.asset_layer.executable_asset_keys

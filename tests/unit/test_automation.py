"""Fresh marts without anyone: when the sensor asks for a build, and when the daily build fires."""

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest
from dagster._utils.schedules import cron_string_iterator

from orchestration.defs.publish.automation import BUILD_JOB, build_request, daily_build_schedule

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(
    ("last_load", "cursor", "building", "wanted"),
    [
        (0, 0, False, False),  # nothing ever loaded
        (7, 7, False, False),  # nothing new since the last requested build
        (8, 7, False, True),  # a new batch, nobody building
        (8, 7, True, False),  # a build is running: the next evaluation asks, with every batch since
        (12, 7, False, True),  # several loads at once: one build
    ],
)
def test_a_build_is_requested_for_new_loads_once(last_load, cursor, building, wanted):
    assert build_request(last_load, cursor, building)[0] is wanted


def test_the_daily_build_fires_ten_past_midnight_in_moscow_whatever_the_server_zone():
    start = datetime(2026, 12, 4, 23, 0, tzinfo=MOSCOW).timestamp()  # 20:00 UTC
    ticks = cron_string_iterator(start, daily_build_schedule.cron_schedule, daily_build_schedule.execution_timezone)
    first, second = next(ticks), next(ticks)
    assert first.astimezone(MOSCOW) == datetime(2026, 12, 5, 0, 10, tzinfo=MOSCOW)
    assert (second - first).total_seconds() == 24 * 3600
    assert daily_build_schedule.job_name == BUILD_JOB
    assert daily_build_schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    with dg.build_schedule_context(scheduled_execution_time=first) as context:
        requests = daily_build_schedule.evaluate_tick(context).run_requests
    assert len(requests) == 1  # with or without new data: the clocks (overdue, time left) move

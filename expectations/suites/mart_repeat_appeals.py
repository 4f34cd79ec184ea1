"""marts.mart_repeat_appeals: chains of repeat appeals by one author or address; pseudonyms only."""

from expectations.dbt_vars import LOCAL_TZ
from expectations.reference import contract_types, seed_values
from expectations.suite import (
    Suite,
    at_most,
    between,
    columns,
    dates,
    expect,
    in_set,
    no_rows,
    non_negative,
    not_null,
    same_as,
)
from expectations.suites.kpis import category_in_sector

KEY = "cluster_id"
WINDOW = int(seed_values("repeat_window", "window_days")[0])
LOCAL = f"(first_received_at at time zone '{LOCAL_TZ}')::date"

SUITE = Suite(
    name="mart_repeat_appeals",
    relation="marts.mart_repeat_appeals",
    model="mart_repeat_appeals",
    blocking=True,
    description="Повторные обращения: цепочка из двух и более, псевдонимы вместо персональных данных, даты и "
    "счетчики согласованы, окно повторов из справочника.",
    expectations=(
        *columns(contract_types("mart_repeat_appeals")),
        *not_null(
            "cluster_kind",
            "cluster_kind_name",
            "subject_key",
            "sector_code",
            "category_code",
            "first_received_at",
            "last_received_at",
            "first_date",
            "last_date",
            "first_month",
            "span_days",
            "appeal_count",
            "open_count",
            "answered_count",
            "agency_count",
            "first_appeal_key",
            "last_appeal_key",
            "window_days",
        ),
        in_set("category_code", seed_values("categories", "category_code")),
        category_in_sector(),
        expect(
            "expect_column_values_to_match_regex",
            "псевдоним — HMAC-SHA256 (64 hex), не персональные данные",
            column="subject_key",
            regex="^[0-9a-f]{64}$",
        ),
        *dates("first_received_at", "last_received_at", "first_date", "last_date", "first_month"),
        between("appeal_count", 2, note="в цепочке не меньше двух обращений"),
        *non_negative("span_days", "open_count", "answered_count", "agency_count"),
        at_most("open_count", "appeal_count"),
        at_most("answered_count", "appeal_count"),
        at_most("agency_count", "appeal_count"),
        at_most("first_received_at", "last_received_at"),
        between("window_days", WINDOW, WINDOW, note=f"окно повторов = {WINDOW} дней (seed repeat_window)"),
        same_as("cluster_id", "md5(cluster_kind || '|' || first_appeal_key)", KEY, "код = md5(вид|первое обращение)"),
        same_as(
            "cluster_kind_name",
            "case cluster_kind when 'author' then 'один заявитель' else 'один адрес' end",
            KEY,
            "название вида цепочки",
        ),
        same_as("first_date", LOCAL, KEY, "дата первого обращения по московскому времени"),
        same_as("first_month", f"date_trunc('month', {LOCAL})::date", KEY, "месяц первого обращения"),
        same_as("span_days", "last_date - first_date", KEY, "длительность = последняя − первая дата"),
        no_rows(
            f"{KEY}, span_days, appeal_count, window_days",
            "span_days > (window_days + 1) * (appeal_count - 1)",
            "каждое следующее обращение — в окне повторов после предыдущего",
        ),
        no_rows(
            f"{KEY}, first_appeal_key, last_appeal_key",
            "first_appeal_key = last_appeal_key",
            "первое и последнее обращения цепочки различны",
        ),
    ),
    deps=(),
)

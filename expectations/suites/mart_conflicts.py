"""marts.mart_conflicts: one row per conflict situation with its reason; exported."""

from expectations.dbt_vars import LOCAL_TZ, NEGATIVE_RATING_MAX
from expectations.reference import contract_types, seed_values
from expectations.suite import FactTotals, Suite, between, columns, dates, in_set, no_rows, not_null, same_as, unique
from expectations.suites.kpis import category_in_sector

KEY = "conflict_id"
NEGATIVE_MAX = NEGATIVE_RATING_MAX
LOCAL = f"(occurred_at at time zone '{LOCAL_TZ}')::date"

SUITE = Suite(
    name="mart_conflicts",
    relation="marts.mart_conflicts",
    model="mart_conflicts",
    blocking=True,
    description="Конфликтные ситуации: ключ, причины из справочника, признаки согласованы с причиной, итоги = "
    "события факта.",
    expectations=(
        *columns(contract_types("mart_conflicts")),
        *not_null(
            "reason_name", "occurred_at", "occurred_date", "month", "channel_code", "sector_code", "category_code"
        ),
        unique("reason_code", "appeal_key", "event_id"),
        in_set("reason_code", seed_values("conflict_reasons", "reason_code")),
        in_set("reason_name", seed_values("conflict_reasons", "reason_name")),
        in_set("channel_code", seed_values("channels", "channel_code")),
        in_set("sector_code", seed_values("sectors", "sector_code")),
        in_set("category_code", seed_values("categories", "category_code")),
        category_in_sector(),
        *dates("occurred_at", "occurred_date", "month"),
        between("rating", 1, 5, note="оценка от 1 до 5"),
        same_as(
            "conflict_id",
            "md5(reason_code || '|' || appeal_key || '|' || coalesce(event_id, ''))",
            KEY,
            "код ситуации = md5(причина|обращение|событие)",
        ),
        same_as("occurred_date", LOCAL, KEY, "дата ситуации по московскому времени"),
        same_as("month", f"date_trunc('month', {LOCAL})::date", KEY, "месяц ситуации"),
        no_rows(
            f"{KEY}, reason_code, rating",
            f"reason_code in ('negative_rating', 'late_negative') and not coalesce(rating <= {NEGATIVE_MAX}, false)",
            f"негативная оценка — не выше {NEGATIVE_MAX}",
        ),
        no_rows(
            f"{KEY}, reason_code, rating",
            "reason_code not in ('negative_rating', 'late_negative') and rating is not null",
            "оценка только у ситуаций с оценкой",
        ),
        no_rows(
            f"{KEY}, reason_code, is_answered_late",
            "reason_code = 'late_negative' and not is_answered_late",
            "ответ с нарушением срока ⇒ первый ответ позже срока",
        ),
        no_rows(
            f"{KEY}, reason_code, event_id, related_appeal_key",
            "(reason_code = 'repeat_after_answer') <> (event_id is null)"
            " or (reason_code = 'repeat_after_answer') <> (related_appeal_key is not null)",
            "у повторного обращения нет события, но есть предыдущее обращение; у прочих — наоборот",
        ),
    ),
    totals=FactTotals(
        # Ratings and returns are events: count them in the event fact, for appeals that are not rejected.
        fact="marts.fct_appeal_events",
        where="appeal_key in (select appeal_key from {marts.fct_appeals} where not is_rejected)",
        slice={"month": f"date_trunc('month', {LOCAL})::date", "channel_code": "channel"},
        mart_measures={
            "negative_rating": "count(*) filter (where reason_code = 'negative_rating')",
            "returned": "count(*) filter (where reason_code = 'returned')",
        },
        measures={
            "negative_rating": f"count(*) filter (where event_type = 'rated' and rating <= {NEGATIVE_MAX})",
            "returned": "count(*) filter (where event_type = 'returned')",
        },
    ),
    deps=("fct_appeal_events", "fct_appeals"),
)

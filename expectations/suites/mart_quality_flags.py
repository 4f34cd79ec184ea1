"""marts.mart_quality_flags: the rows plausibility rules flagged; one per rule, table and key."""

from expectations.plausibility import RULES
from expectations.reference import contract_types
from expectations.suite import Suite, columns, in_set, no_rows, not_null

SUITE = Suite(
    name="mart_quality_flags",
    relation="marts.mart_quality_flags",
    model="mart_quality_flags",
    blocking=True,
    description="Отмеченные строки: правило из списка, строка один раз, «открыта» ⇔ не исправлена.",
    expectations=(
        *columns(contract_types("mart_quality_flags")),
        *not_null("relation", "row_key", "first_seen_at", "last_seen_at", "is_open"),
        in_set("rule", [r.name for r in RULES]),
        no_rows("rule, row_key", "is_open <> (resolved_at is null)", "открыта ⇔ не исправлена"),
        no_rows("rule, row_key", "last_seen_at < first_seen_at", "последняя отметка не раньше первой"),
    ),
)

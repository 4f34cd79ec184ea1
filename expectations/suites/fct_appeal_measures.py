"""marts.fct_appeal_measures: the per-appeal facts every KPI aggregates (the semantic layer's `appeals`)."""

from expectations.suite import FactTotals, Suite, no_rows, non_negative, not_null

SUITE = Suite(
    name="fct_appeal_measures",
    relation="marts.fct_appeal_measures",
    model="fct_appeal_measures",
    blocking=True,
    description="Обращение — одна строка, признаки показателей заполнены, длительности не отрицательны.",
    expectations=(
        *not_null(
            "received_month",
            "has_answer",
            "is_answered_on_time",
            "is_open_overdue",
            "is_rated",
            "is_satisfied",
            "is_repeat",
            "is_reaction_judged",
            "is_reacted_within_8h",
        ),
        *non_negative("first_reaction_working_hours", "first_reaction_minutes", "resolution_working_days"),
        no_rows("appeal_key", "is_answered_on_time and not has_answer", "ответ в срок — только с ответом"),
        no_rows("appeal_key", "is_satisfied and not is_rated", "удовлетворен — только с оценкой"),
        no_rows(
            "appeal_key", "is_reacted_within_8h and not is_reaction_judged", "реакция за 8 часов — только у оцененных"
        ),
    ),
    # One row per appeal received, the rejected ones left out: as many as the fact has.
    totals=FactTotals(
        fact="marts.fct_appeals",
        where="not is_rejected",
        slice={"received_month": "received_month"},
        measures={"incoming": "count(*)"},
        mart_measures={"incoming": "count(*)"},
    ),
    deps=("fct_appeals",),
)

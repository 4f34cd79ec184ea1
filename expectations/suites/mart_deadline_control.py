"""marts.mart_deadline_control: appeals in work and appeals answered late, with time left or delay; exported."""

from expectations.dbt_vars import LOCAL_TZ
from expectations.reference import contract_types, event_enum, seed_values
from expectations.suite import FactTotals, Suite, columns, dates, in_set, no_rows, non_negative, not_null, same_as
from expectations.suites.kpis import category_in_sector

KEY = "appeal_key"
OPEN = "control_status in ('open', 'open_overdue')"
STATUS_NAMES = {
    "open": "в работе, срок не истек",
    "open_overdue": "в работе, срок истек",
    "answered_late": "ответ с нарушением срока",
}

SUITE = Suite(
    name="mart_deadline_control",
    relation="marts.mart_deadline_control",
    model="mart_deadline_control",
    blocking=True,
    description="Контроль сроков: обращение один раз, состояние согласовано со сроком и остатком времени, "
    "итоги = факт.",
    expectations=(
        *columns(contract_types("mart_deadline_control")),
        *not_null(
            "source",
            "appeal_id",
            "control_status_name",
            "channel_code",
            "sector_code",
            "category_code",
            "agency_name",
            "received_at",
            "due_at",
            "due_date",
            "has_interim_answer",
            "extension_count",
            "redirect_count",
            "return_count",
            "is_reopened",
        ),
        in_set("channel_code", seed_values("channels", "channel_code")),
        in_set("sector_code", seed_values("sectors", "sector_code")),
        in_set("category_code", seed_values("categories", "category_code")),
        in_set("legal_regime", event_enum("legal_regime")),
        category_in_sector(),
        *dates("received_at", "first_interim_at", "first_answer_at"),
        *non_negative("overdue_working_days", "extension_count", "redirect_count", "return_count"),
        no_rows(
            f"{KEY}, control_status, control_status_name",
            "control_status_name <> case control_status "
            + " ".join(f"when '{k}' then '{v}'" for k, v in STATUS_NAMES.items())
            + " end",
            "название состояния соответствует коду",
        ),
        no_rows(
            f"{KEY}, appeal_key, source, appeal_id", "appeal_key <> source || '/' || appeal_id", "ключ = источник/номер"
        ),
        same_as("due_date", f"(due_at at time zone '{LOCAL_TZ}')::date", KEY, "дата срока по московскому времени"),
        no_rows(
            f"{KEY}, control_status, working_days_left, working_hours_left",
            f"({OPEN}) <> (working_days_left is not null) or ({OPEN}) <> (working_hours_left is not null)",
            "остаток времени есть ровно у обращений в работе",
        ),
        no_rows(
            f"{KEY}, working_days_left, working_hours_left",
            "control_status = 'open' and (working_days_left < 0 or working_hours_left < 0)",
            "в работе без просрочки — остаток не отрицателен",
        ),
        no_rows(
            f"{KEY}, working_days_left, working_hours_left",
            "control_status = 'open_overdue' and (working_days_left > 0 or working_hours_left > 0)",
            "просрочено — остатка нет",
        ),
        no_rows(
            f"{KEY}, control_status, overdue_working_days",
            "(control_status = 'open') <> (overdue_working_days is null)",
            "просрочка в днях есть ровно у просроченных и отвеченных поздно",
        ),
        no_rows(
            f"{KEY}, first_answer_at, due_at",
            "control_status = 'answered_late' and not (first_answer_at > due_at)",
            "отвечено поздно ⇔ первый ответ позже срока",
        ),
        no_rows(
            f"{KEY}, has_interim_answer, first_interim_at",
            "has_interim_answer <> (first_interim_at is not null)",
            "промежуточный ответ ⇔ его дата",
        ),
        no_rows(
            f"{KEY}, is_reopened, return_count, control_status",
            f"is_reopened and not (return_count > 0 and {OPEN})",
            "возобновлено — только в работе после возврата",
        ),
    ),
    totals=FactTotals(
        fact="marts.fct_appeals",
        where="not is_rejected and due_at is not null and (is_open or first_answer_at > due_at)",
        slice={"channel_code": "channel", "category_code": "category_code"},
        mart_measures={s: f"count(*) filter (where control_status = '{s}')" for s in STATUS_NAMES},
        measures={
            "open": "count(*) filter (where is_open and not coalesce((select as_of from "
            "{intermediate.int_build_horizon}) > due_at, false))",
            "open_overdue": "count(*) filter (where is_open and (select as_of from {intermediate.int_build_horizon})"
            " > due_at)",
            "answered_late": "count(*) filter (where not is_open)",
        },
    ),
    deps=("fct_appeals", "int_build_horizon"),
)

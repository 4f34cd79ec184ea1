"""The ЦУР dashboard as data: datasets, charts (Superset form data) and their rows on the grid."""

from __future__ import annotations

TITLE = "ЦУР НАО — обращения граждан"
SLUG = "tsur-nao"
DATABASE_NAME = "ЦУР НАО — витрины (роль BI)"
SCHEMA = "marts"
DATASETS = (
    "mart_kpi_values",
    "dim_kpis",
    "mart_sector_kpi",
    "mart_category_targets",
    "mart_agency_rating",
    "mart_deadline_control",
    "mart_municipal_categories",
    "mart_sector_monthly",
)
# Labels where a column's comment lists values or explains a formula rather than naming it.
LABELS = {"status_name": "Статус", "actual": "Факт", "target": "Цель", "score_rank": "Место"}
DUE_SOON_DAYS = 3  # «срок истекает»: open appeals with at most this many working days left

LATEST_MONTH = (
    "period_start = (select max(period_start) from marts.mart_kpi_values"
    " where period_kind = 'month' and slice_kind = 'region')"
)
REGION_MONTH = [("period_kind = 'month'", "slice_kind = 'region'")]


def sql_filter(expression: str) -> dict:
    return {"expressionType": "SQL", "sqlExpression": expression, "clause": "WHERE"}


def metric(expression: str, label: str) -> dict:
    return {"expressionType": "SQL", "sqlExpression": expression, "label": label}


def kpi(indicator: str) -> dict:
    """One indicator as a metric of mart_kpi_values, labelled `@code`: provisioning puts the catalogue's name
    (dim_kpis, from the semantic layer) there, so the dashboard names each KPI as the package and marts do."""
    return metric(f"max(value) filter (where indicator = '{indicator}')", f"@{indicator}")


def _big_number(
    name: str, dataset: str, measure: dict, filters: list[str], fmt: str, subtitle: str, width: int = 2
) -> dict:
    return {
        "name": name,
        "dataset": dataset,
        "viz_type": "big_number_total",
        "width": width,
        "height": 28,
        "params": {
            "metric": measure,
            "adhoc_filters": [sql_filter(f) for f in filters],
            "y_axis_format": fmt,
            "header_font_size": 0.35,
            "subheader_font_size": 0.15,
            "subtitle": subtitle,
            "subheader": subtitle,
            "time_range": "No filter",
        },
    }


def _table(name: str, dataset: str, width: int, height: int, **params) -> dict:
    base = {
        "server_pagination": False,
        "include_search": False,
        "show_cell_bars": False,
        "page_length": 0,
        "time_range": "No filter",
        "row_limit": 100,
        "order_desc": True,
        "allow_rearrange_columns": False,
    }
    if "adhoc_filters" in params:
        params["adhoc_filters"] = [sql_filter(f) for f in params["adhoc_filters"]]
    return {
        "name": name,
        "dataset": dataset,
        "viz_type": "table",
        "width": width,
        "height": height,
        "params": {**base, **params},
    }


def _percent(*labels: str) -> dict:
    return {label: {"d3NumberFormat": ",.1%"} for label in labels}


MONTH_FILTERS = ["period_kind = 'month'", LATEST_MONTH]
OPEN_OVERDUE = "control_status = 'open_overdue'"
DUE_SOON = f"control_status = 'open' and working_days_left <= {DUE_SOON_DAYS}"

CHARTS = [
    _big_number(
        "Поступило обращений за месяц",
        "mart_kpi_values",
        kpi("incoming"),
        [*MONTH_FILTERS, "slice_kind = 'region'"],
        ",d",
        "по округу, последний месяц",
        3,
    ),
    _big_number(
        "Доля ответов в срок",
        "mart_kpi_values",
        kpi("on_time_share"),
        [*MONTH_FILTERS, "slice_kind = 'region'"],
        ",.1%",
        "по округу, последний месяц",
    ),
    _big_number(
        "Удовлетворенность",
        "mart_kpi_values",
        kpi("satisfaction_share"),
        [*MONTH_FILTERS, "slice_kind = 'region'"],
        ",.1%",
        "доля довольных среди оценивших",
    ),
    _big_number(
        "Просрочено в работе",
        "mart_deadline_control",
        metric("count(*)", "Просрочено"),
        [OPEN_OVERDUE],
        ",d",
        "обращений в работе с истекшим сроком",
        3,
    ),
    _big_number(
        "Срок истекает",
        "mart_deadline_control",
        metric("count(*)", "Срок истекает"),
        [DUE_SOON],
        ",d",
        f"в работе, до срока ≤ {DUE_SOON_DAYS} раб. дней",
    ),
    _table(
        "Показатели отраслевых блоков",
        "mart_kpi_values",
        6,
        60,
        query_mode="aggregate",
        groupby=["slice_name"],
        adhoc_filters=[*MONTH_FILTERS, "slice_kind = 'sector'"],
        metrics=[kpi("incoming"), kpi("on_time_share"), kpi("satisfaction_share"), kpi("overdue_open")],
        timeseries_limit_metric=kpi("incoming"),
        column_config=_percent("@on_time_share", "@satisfaction_share"),
    ),
    _table(
        "Цели по категориям",
        "mart_category_targets",
        6,
        60,
        query_mode="raw",
        all_columns=["sector_name", "category_name", "indicator_name", "target", "actual", "status_name"],
        adhoc_filters=MONTH_FILTERS,
        row_limit=1000,
        order_by_cols=['["sector_name", true]', '["category_name", true]'],
        column_config={"target": {"d3NumberFormat": ",.3~f"}, "actual": {"d3NumberFormat": ",.3~f"}},
    ),
    _table(
        "Рейтинг органов",
        "mart_agency_rating",
        6,
        60,
        query_mode="raw",
        all_columns=["score_rank", "agency_short_name", "score", "incoming", "on_time_share", "satisfaction_share"],
        adhoc_filters=[*MONTH_FILTERS, "rating_status = 'rated'"],
        order_by_cols=['["score_rank", true]'],
        row_limit=10,
        column_config={**_percent("on_time_share", "satisfaction_share"), "score": {"d3NumberFormat": ",.3f"}},
    ),
    _table(
        "Контроль сроков по органам",
        "mart_deadline_control",
        6,
        60,
        query_mode="aggregate",
        groupby=["agency_name"],
        adhoc_filters=["control_status in ('open', 'open_overdue')"],
        metrics=[
            metric(f"count(*) filter (where {OPEN_OVERDUE})", "Просрочено"),
            metric(f"count(*) filter (where {DUE_SOON})", "Срок истекает"),
            metric("count(*)", "В работе"),
        ],
        timeseries_limit_metric=metric(f"count(*) filter (where {OPEN_OVERDUE})", "Просрочено"),
        row_limit=15,
    ),
    _table(
        "Проблемы по муниципальным образованиям",
        "mart_municipal_categories",
        6,
        60,
        query_mode="aggregate",
        groupby=["municipality_name"],
        adhoc_filters=[LATEST_MONTH],
        metrics=[metric("sum(incoming)", "Обращений"), metric("count(distinct category_code)", "Категорий")],
        timeseries_limit_metric=metric("sum(incoming)", "Обращений"),
    ),
    {
        "name": "Удовлетворенность по отраслевым блокам",
        "dataset": "mart_kpi_values",
        "viz_type": "echarts_timeseries_bar",
        "width": 6,
        "height": 50,
        "params": {
            "x_axis": "slice_name",
            "metrics": [kpi("satisfaction_share")],
            "groupby": [],
            "adhoc_filters": [sql_filter(f) for f in [*MONTH_FILTERS, "slice_kind = 'sector'"]],
            "y_axis_format": ",.0%",
            "orientation": "horizontal",
            "show_legend": False,
            "row_limit": 50,
            "time_range": "No filter",
            "show_value": True,
        },
    },
    {
        "name": "Обращения по месяцам",
        "dataset": "mart_kpi_values",
        "viz_type": "echarts_timeseries_line",
        "width": 12,
        "height": 50,
        "params": {
            "x_axis": "period_start",
            "time_grain_sqla": "P1M",
            "groupby": [],
            "metrics": [kpi("incoming"), kpi("answered")],
            "adhoc_filters": [sql_filter(f) for f in REGION_MONTH[0]],
            "y_axis_format": ",d",
            "markerEnabled": True,
            "show_legend": True,
            "rich_tooltip": True,
            "row_limit": 100,
            "time_range": "No filter",
            "x_axis_time_format": "%m.%Y",
        },
    },
]

# Rows of the grid, by chart name; widths add up to 12 (Superset's grid).
ROWS = [
    [c["name"] for c in CHARTS[:5]],
    ["Показатели отраслевых блоков", "Цели по категориям"],
    ["Рейтинг органов", "Контроль сроков по органам"],
    ["Проблемы по муниципальным образованиям", "Удовлетворенность по отраслевым блокам"],
    ["Обращения по месяцам"],
]


def position_json(chart_ids: dict[str, int]) -> dict:
    """Superset's dashboard layout (v2) for ROWS, with the given chart ids."""
    layout = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": TITLE}},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
    }
    by_name = {c["name"]: c for c in CHARTS}
    for r, names in enumerate(ROWS, start=1):
        row_id = f"ROW-{r}"
        layout["GRID_ID"]["children"].append(row_id)
        layout[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for name in names:
            chart_key = f"CHART-{chart_ids[name]}"
            layout[row_id]["children"].append(chart_key)
            layout[chart_key] = {
                "type": "CHART",
                "id": chart_key,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {
                    "chartId": chart_ids[name],
                    "sliceName": name,
                    "width": by_name[name]["width"],
                    "height": by_name[name]["height"],
                },
            }
    return layout

"""One definition, every place: `tsur query` (MetricFlow over the semantic layer, as the BI role) gives the
figures of mart_kpi_values for every slice they share, and so do the CSV of `make run`, its summary and the
package's KPI tables. A small sample year built by the Dagster job."""

import csv
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

import pytest

from exports.package.tables import sectors
from exports.query.engine import SemanticLayer
from exports.query.output import cell
from lib.roles import ensure_roles
from orchestration.cli import main
from orchestration.summary import kpi_figures
from tests.conftest import fresh_database, project_env
from tests.dbroles import private_roles

pytestmark = pytest.mark.slow
TOLERANCE = {"count": 0, "share": Decimal("0.00005"), "quantile": Decimal("0.0051"), "rate": Decimal("0.00051")}
# The mart rounds (shares to 4 digits, quantiles to 2, rates to 3); MetricFlow gives the float: half a unit apart.
# (MetricFlow group-by, mart period kind, mart slice kind)
SLICES = [
    (["month"], "month", "region"),
    (["quarter"], "quarter", "region"),
    (["year"], "year", "region"),
    (["month", "sector"], "month", "sector"),
    (["quarter", "category"], "quarter", "category"),
    (["year", "municipality"], "year", "municipality"),
    (["month", "agency"], "month", "agency"),
]


@pytest.fixture(scope="module")
def built(server_url, dbt_manifest, tmp_path_factory):

    from lib.warehouse import Warehouse
    from orchestration.definitions import defs
    from sources.sample import generate_sample

    # Private roles made before the build, so that dbt grants the marts to BI (as `tsur db roles` does).
    with (
        fresh_database(server_url) as url,
        project_env(url, tmp_path_factory.mktemp("semantic")),
        private_roles(url, server_url) as names,
    ):
        warehouse = Warehouse().start()
        generate_sample(warehouse.settings.landing_dir, scale=0.04, formats="canonical")
        with warehouse.connect(autocommit=True) as conn:
            ensure_roles(conn, names)
        assert defs.resolve_job_def("tsur_all").execute_in_process().success
        layer = SemanticLayer(dbt_manifest.parent / "semantic_manifest.json")
        with warehouse.connect(role="bi", autocommit=True) as bi:
            assert bi.execute("select current_user").fetchone()[0] == names.bi
            yield warehouse, layer, bi


def _day(value):
    return value.date() if isinstance(value, datetime) else value


def _mart(conn, period_kind: str, slice_kind: str) -> dict:
    rows = conn.execute(
        "select v.period_start, v.slice_code, v.indicator, v.value, k.indicator_kind"
        " from marts.mart_kpi_values as v inner join marts.dim_kpis as k using (indicator)"
        " where v.period_kind = %s and v.slice_kind = %s",
        (period_kind, slice_kind),
    ).fetchall()
    return {(r[0], r[1], r[2]): (r[3], r[4]) for r in rows}


def test_every_kpi_by_every_shared_slice_equals_the_mart(built):
    _, layer, bi = built
    kinds = dict(bi.execute("select indicator, indicator_kind from marts.dim_kpis").fetchall())
    top_level = {
        r[0]
        for r in bi.execute(
            "select municipality_oktmo from marts.dim_municipalities where parent_oktmo is null"
        ).fetchall()
    }
    compared = 0
    for group_by, period_kind, slice_kind in SLICES:
        mart = _mart(bi, period_kind, slice_kind)
        # The rate has no sector, category or body: residents are kept by municipality only.
        asked = [k for k in kinds if k != "appeals_per_1000" or slice_kind in ("region", "municipality")]
        answer = layer.query(bi, asked, group_by)
        mismatches = []
        for row in answer.rows:
            values = dict(zip(answer.columns, row))
            code = "nao" if slice_kind == "region" else (values[group_by[1]] or "none")
            for indicator in asked:
                kind = kinds[indicator]
                key = (_day(values[group_by[0]]), code, indicator)
                if key not in mart:
                    assert values["incoming"] is None, key  # MetricFlow's outer joins add empty periods
                    continue
                if indicator == "appeals_per_1000" and slice_kind == "municipality" and code not in top_level:
                    continue  # a settlement's residents are the mart's alone (semantic model `residents`)
                got, (want, _) = values[indicator], mart[key]
                if want is None or got is None:
                    ok = want == got or (got is None and kind == "count" and want == 0)
                else:
                    ok = abs(Decimal(str(got)) - want) <= TOLERANCE[kind]
                compared += 1
                if not ok:
                    mismatches.append((key, got, want))
        assert not mismatches, (group_by, mismatches[:5])
    assert compared > 5000


def test_the_csv_the_summary_and_the_package_agree_with_the_mart(built):
    warehouse, layer, bi = built
    month_sector = _mart(bi, "month", "sector")
    # The CSV of `make run`: sector × month × channel; its counts add up to the sector's month.
    with open(warehouse.settings.export_dir / "mart_sector_monthly.csv", encoding="utf-8") as fh:
        exported = list(csv.DictReader(fh))
    sums = defaultdict(lambda: defaultdict(int))
    for r in exported:
        for field in ("incoming", "answered", "answered_on_time", "overdue_open", "rated", "satisfied"):
            sums[(date.fromisoformat(r["month"]), r["sector_code"])][field] += int(r[field])
    assert sums
    for (month, sector), fields in sums.items():
        for field, value in fields.items():
            assert month_sector[(month, sector, field)][0] == value, (month, sector, field)
    # Its shares and medians are MetricFlow's by sector, channel and month.
    answer = layer.query(bi, ["on_time_share", "resolution_median_days"], ["month", "sector", "channel"])
    by_key = {(_day(r[0]), r[1], r[2]): r[3:] for r in answer.rows}
    order = answer.columns[3:]
    for r in exported:
        got = by_key[(date.fromisoformat(r["month"]), r["sector_code"], r["channel_code"])]
        for name in ("on_time_share", "resolution_median_days"):
            value = got[order.index(name)]
            assert (r[name] == "") == (value is None)
            if value is not None:
                assert abs(Decimal(r[name]) - Decimal(str(value))) <= Decimal("0.0051"), (r, name)
    # The summary of `make run`: the okrug's latest year.
    year = max(k[0] for k in _mart(bi, "year", "region"))
    figures = kpi_figures(bi)
    names = dict(bi.execute("select indicator, indicator_name from marts.dim_kpis").fetchall())
    for code in ("incoming", "on_time_share", "overdue_open"):
        assert figures[f"{names[code]}, {year.year}"] == _mart(bi, "year", "region")[(year, "nao", code)][0]
    # The package's sector sheet: values and the catalogue's labels.
    month = max(k[0] for k in month_sector)
    table = sectors(bi, "marts", month)
    headers = {c.name: c.header for c in table.columns}
    assert headers["on_time_share"] == names["on_time_share"] == "Доля ответов в срок"
    for record in table.records():
        for code in ("incoming", "on_time_share", "resolution_median_days"):
            assert record[code] == month_sector[(month, record["sector_code"], code)][0]


def test_tsur_query_writes_csv_and_xlsx_as_the_bi_role(built, tmp_path, capsys):
    from openpyxl import load_workbook

    _, layer, bi = built
    out = tmp_path / "q.csv"
    assert (
        main(
            [
                "query",
                "--metrics",
                "incoming,on_time_share",
                "--group-by",
                "sector,quarter",
                "--where",
                "sector = 'housing'",
                "--csv",
                str(out),
            ]
        )
        == 0
    )
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    mart = _mart(bi, "quarter", "sector")
    assert rows and {r["sector"] for r in rows} == {"housing"}
    for r in rows:
        assert int(r["incoming"]) == mart[(date.fromisoformat(r["quarter"]), "housing", "incoming")][0]
    xlsx = tmp_path / "q.xlsx"
    assert main(["query", "--saved-query", "package_sectors", "--xlsx", str(xlsx)]) == 0
    sheet = load_workbook(xlsx).active
    assert sheet.cell(1, 3).value == "Поступило" and sheet.cell(2, 3).value == "incoming"
    assert main(["query", "--metrics", "no_such_metric"]) != 0
    assert "no_such_metric" in capsys.readouterr().err
    # The BI role reads the marts and nothing else: the query engine gets no more than that.
    assert bi.execute("select has_schema_privilege('intermediate', 'usage')").fetchone()[0] is False
    assert cell(datetime(2025, 1, 1)) == date(2025, 1, 1)

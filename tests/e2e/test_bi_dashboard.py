"""Apache Superset on a small sample year (exports/bi/): provisioned twice through its REST API as the read-only
BI role, the ЦУР dashboard opened in headless Chromium shows every chart, and the figures it shows equal the
marts read here with psycopg. The Superset venv is cached outside the repo (exports/bi/launcher.py)."""

import json
import os
import socket
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from exports.bi import launcher
from exports.bi.connection import check_read_only
from exports.bi.dashboard import CHARTS, DUE_SOON_DAYS
from lib.roles import ensure_roles, scram_verifier
from orchestration.defs.transform.assets import dbt_run_config
from tests.conftest import fresh_database, project_env
from tests.dbroles import login_url, private_roles

pytestmark = pytest.mark.slow
ADMIN_PASSWORD = "superset-admin-for-tests"
LOGIN_PASSWORD = "superset-bi-for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def built(server_url, dbt_manifest, tmp_path_factory):
    """The sample year at scale 0.04 built by the Dagster job, and a login that is a member of the BI role."""
    import dagster as dg

    from lib.warehouse import Warehouse
    from orchestration.definitions import defs
    from sources.sample import generate_sample

    folder = tmp_path_factory.mktemp("bi")
    with fresh_database(server_url) as url, project_env(url, folder), private_roles(url, server_url, extra=()) as names:
        login = f"{names.bi}_superset"
        warehouse = Warehouse().start()
        generate_sample(warehouse.settings.landing_dir, scale=0.04, formats="canonical")
        with warehouse.connect(autocommit=True) as conn:
            ensure_roles(conn, names)
            conn.execute(
                sql.SQL("create role {} login password {} in role {}").format(
                    sql.Identifier(login), sql.Literal(scram_verifier(LOGIN_PASSWORD)), sql.Identifier(names.bi)
                )
            )
        try:
            as_of = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
            job = defs.resolve_job_def("tsur_all")
            assert job.execute_in_process(asset_selection=[dg.AssetKey(["raw", "appeal_events"])]).success
            assert job.execute_in_process(run_config=dbt_run_config(job, as_of=as_of.isoformat())).success
            params = psycopg.conninfo.conninfo_to_dict(url)
            bi_url = login_url(url, login, LOGIN_PASSWORD) or psycopg.conninfo.make_conninfo(
                **{**params, "user": login, "password": LOGIN_PASSWORD}
            )
            yield warehouse, names, login, bi_url, folder
        finally:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(sql.SQL("drop owned by {} cascade").format(sql.Identifier(login)))
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(login)))


@pytest.fixture(scope="module")
def shown(built):
    """Superset started on a free port, provisioned twice, the dashboard read by browser_check.py."""
    warehouse, _, _, bi_url, folder = built
    home, shots = folder / "superset", folder / "screenshots"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TSUR_BI_HOME", str(home))
        mp.setenv("TSUR_BI_ADMIN_PASSWORD", ADMIN_PASSWORD)
        mp.setenv("TSUR_BI_DATABASE_URL", psycopg.conninfo.make_conninfo(bi_url))
        from exports.bi.connection import bi_uri

        if not Path(os.environ.get("TSUR_BI_CHROMIUM", "/usr/bin/chromium")).exists():
            pytest.fail("no chromium: `make browser` installs Debian's (make test does it first)")
        python = launcher.ensure_venv()
        uri = bi_uri()
        launcher.initialise(home, ADMIN_PASSWORD)
        port = free_port()
        proc = launcher.start_server(home, port)
        try:
            first = launcher.provision(home, port, ADMIN_PASSWORD, uri)
            again = launcher.provision(home, port, ADMIN_PASSWORD, uri)
            check = subprocess.run(
                [str(python), str(Path(launcher.HERE) / "browser_check.py"), f"http://127.0.0.1:{port}", str(shots)],
                env={**launcher.superset_env(home), "TSUR_BI_ADMIN_PASSWORD": ADMIN_PASSWORD},
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
        finally:
            proc.terminate()
            proc.wait(timeout=60)
        assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-5000:]
        report = json.loads(check.stdout.strip().splitlines()[-1])
        print(f"\nBI dashboard rendered in {report['render_seconds']} s")
        yield report, first, again, uri, warehouse


def marts(warehouse):
    return psycopg.connect(warehouse.url(), autocommit=True)


def latest_month(conn) -> object:
    return conn.execute(
        "select max(period_start) from marts.mart_kpi_values where period_kind = 'month' and slice_kind = 'region'"
    ).fetchone()[0]


def test_provisioning_again_updates_in_place(shown):
    _, (url, first), (url_again, again), _, _ = shown
    assert url == url_again and url.endswith("/superset/dashboard/tsur-nao/")
    assert first == again
    assert len(first["charts"]) == len(CHARTS) and len(set(first["charts"].values())) == len(CHARTS)


def test_the_connection_is_the_bi_role_and_read_only(built, shown):
    _, names, login, _, _ = built
    _, _, _, uri, _ = shown
    role, refused = check_read_only(uri)
    assert role == login and refused
    params = psycopg.conninfo.conninfo_to_dict(uri.replace("postgresql+psycopg2://", "postgresql://"))
    with psycopg.connect(**{k: v for k, v in params.items() if v}) as conn:
        assert conn.execute("select pg_has_role(current_user, %s, 'usage')", (names.bi,)).fetchone()[0]
        assert conn.execute("select count(*) from marts.mart_kpi_values").fetchone()[0] > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select count(*) from raw.appeal_events")


def test_every_chart_renders_and_screenshots_are_saved(shown):
    report = shown[0]
    charts = report["charts"]
    assert sorted(charts) == sorted(c["name"] for c in CHARTS), charts.keys()
    failed = {name: c["error"] for name, c in charts.items() if not c["rendered"]}
    assert not failed
    assert len(report["screenshots"]) == 3
    for path in report["screenshots"]:
        assert Path(path).stat().st_size > 20_000


def test_headline_figures_equal_the_marts(shown):
    report, _, _, _, warehouse = shown
    charts = report["charts"]
    with marts(warehouse) as conn:
        month = latest_month(conn)
        kpi = dict(
            conn.execute(
                "select indicator, value from marts.mart_kpi_values where period_kind = 'month'"
                " and slice_kind = 'region' and period_start = %s",
                (month,),
            ).fetchall()
        )
        overdue, due_soon = conn.execute(
            "select count(*) filter (where control_status = 'open_overdue'), count(*) filter (where control_status"
            " = 'open' and working_days_left <= %s) from marts.mart_deadline_control",
            (DUE_SOON_DAYS,),
        ).fetchone()
    assert charts["Поступило обращений за месяц"]["value"] == kpi["incoming"] > 0
    assert abs(charts["Доля ответов в срок"]["value"] - float(kpi["on_time_share"])) < 0.0006
    assert abs(charts["Удовлетворенность"]["value"] - float(kpi["satisfaction_share"])) < 0.0006
    assert charts["Просрочено в работе"]["value"] == overdue
    assert charts["Срок истекает"]["value"] == due_soon


def rows_of(chart: dict) -> list[list[str]]:
    return [row for row in chart["rows"] if row and any(row)]


def as_number(text: str) -> float:
    """A figure as the dashboard writes it (12 345 or 87,3%)."""
    clean = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    return float(clean[:-1]) / 100 if clean.endswith("%") else float(clean)


def test_tables_equal_the_marts(shown):
    report, _, _, _, warehouse = shown
    charts = report["charts"]
    with marts(warehouse) as conn:
        month = latest_month(conn)
        rating = conn.execute(
            "select score_rank, agency_short_name from marts.mart_agency_rating where period_kind = 'month' and"
            " period_start = %s and rating_status = 'rated' order by score_rank limit 10",
            (month,),
        ).fetchall()
        sectors = dict(
            conn.execute(
                "select slice_name, value from marts.mart_kpi_values where period_kind = 'month' and slice_kind ="
                " 'sector' and indicator = 'incoming' and period_start = %s",
                (month,),
            ).fetchall()
        )
        municipalities = dict(
            conn.execute(
                "select municipality_name, sum(incoming) from marts.mart_municipal_categories where period_start = %s"
                " and municipality_name is not null group by 1",
                (month,),
            ).fetchall()
        )
        overdue_by_agency = dict(
            conn.execute(
                "select agency_name, count(*) from marts.mart_deadline_control where control_status = 'open_overdue'"
                " group by 1"
            ).fetchall()
        )
    shown_rating = [(int(as_number(r[0])), r[1]) for r in rows_of(charts["Рейтинг органов"])]
    assert rating and sorted(shown_rating) == sorted(rating)
    shown_sectors = {r[0]: as_number(r[1]) for r in rows_of(charts["Показатели отраслевых блоков"])}
    assert shown_sectors == {k: float(v) for k, v in sectors.items()} and shown_sectors
    shown_municipal = {r[0]: as_number(r[1]) for r in rows_of(charts["Проблемы по муниципальным образованиям"])}
    assert {k: v for k, v in shown_municipal.items() if k in municipalities} == {
        k: float(v) for k, v in municipalities.items()
    }
    deadline = rows_of(charts["Контроль сроков по органам"])
    assert deadline
    for agency, overdue, *_ in deadline:
        assert as_number(overdue) == overdue_by_agency.get(agency, 0), agency

"""The one build every test of tests/e2e/marts reads: the sample year (plus a few fast incidents) loaded and
built through the Dagster job, with the independent reading of the same event files beside it."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from orchestration.defs.transform.assets import dbt_run_config
from tests.conftest import fresh_database, project_env
from tests.oracle import classifier_decisions
from tests.oracle_marts import read


@pytest.fixture(scope="package")
def built(server_url, dbt_manifest, tmp_path_factory):
    """The sample year at scale 0.04, loaded and built through the Dagster job as of a fixed moment.

    Package-scoped: built once for all the test files of tests/e2e/marts, whose tests only read it; dropped,
    and the environment project_env set restored, when the last of them is done."""
    import dagster as dg

    from lib.warehouse import Warehouse
    from orchestration.definitions import defs
    from sources.sample import generate_sample

    with fresh_database(server_url) as url, project_env(url, tmp_path_factory.mktemp("marts")):
        warehouse = Warehouse().start()
        summary = generate_sample(warehouse.settings.landing_dir, scale=0.04, formats="canonical")
        write_fast_incidents(warehouse.settings.landing_dir)
        as_of = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
        job = defs.resolve_job_def("tsur_all")
        assert job.execute_in_process(asset_selection=[dg.AssetKey(["raw", "appeal_events"])]).success
        assert job.execute_in_process(run_config=dbt_run_config(job, as_of=as_of.isoformat())).success
        damaged = {(str(i.path), i.line_no) for i in summary.canonical.injected}
        with warehouse.connect() as conn:
            truth = read(warehouse.settings.landing_dir, damaged, as_of, classifier_decisions(conn))
            yield truth, as_of, conn


def write_fast_incidents(landing) -> None:
    """Incidents reacted to within 8 working hours, which the sample's office hours hardly give: Friday 16:30 →
    Monday 10:00 (1.5 working hours) and an answer 1.5 hours after a Tuesday receipt."""

    def event(appeal, n, kind, at, **fields):
        return {
            "schema": "appeal-event/1",
            "event_id": f"{appeal}-{n}",
            "source": "medialogia-im",
            "channel": "incident",
            "appeal_id": appeal,
            "event_type": kind,
            "occurred_at": f"2025-10-{at}:00+03:00",
            **fields,
        }

    received = dict(legal_regime="message", category={"code": "housing.management"})
    agency = {"code": "nkk", "name": "ГУП НАО «Ненецкая коммунальная компания»"}
    events = [
        event(
            "IMX-FAST1",
            1,
            "received",
            "10T16:30",
            municipality={"oktmo": "11851000"},
            author={"id": "esia-fast-1"},
            **received,
        ),
        event("IMX-FAST1", 2, "assigned", "10T16:40", agency=agency),
        event("IMX-FAST1", 3, "interim_answer", "13T10:00", answer_text="Информация передана исполнителю."),
        event(
            "IMX-FAST2",
            1,
            "received",
            "14T10:00",
            municipality={"oktmo": "11811111"},
            author={"id": "esia-fast-2"},
            **received,
        ),
        event("IMX-FAST2", 2, "assigned", "14T10:05", agency=agency),
        event("IMX-FAST2", 3, "answered", "14T11:30", result="explained"),
    ]
    path = landing / "incident" / "medialogia-im-2025-10-fast.jsonl"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")

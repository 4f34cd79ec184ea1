"""Appeals without codes, in every channel's own format, structured end to end: the classifier's sectors
against the generator's truth, the review loop round trip, and nothing classified twice."""

import random
from collections import Counter

import openpyxl
import pytest

from tests.conftest import fresh_database, project_env

pytestmark = pytest.mark.slow
SCALE = 0.05
CLASSIFIED = ("rubric_name", "text_model", "fallback")


def run_job(name: str) -> None:
    from orchestration.definitions import defs

    assert defs.resolve_job_def(name).execute_in_process().success


@pytest.fixture(scope="module")
def built(server_url, dbt_manifest, tmp_path_factory):
    """The native sample year at scale 0.05 through the job, relabelled if a model was trained (as tsur run)."""
    from lib.warehouse import Warehouse
    from sources.sample import build_world, generate_sample

    with fresh_database(server_url) as url, project_env(url, tmp_path_factory.mktemp("classify")) as folder:
        warehouse = Warehouse().start()
        generate_sample(warehouse.settings.landing_dir, scale=SCALE)
        run_job("tsur_all")
        with warehouse.connect() as conn:
            trained = conn.execute("select count(*) from raw.classifier_models").fetchone()[0]
        if trained:
            run_job("tsur_build")
        world = build_world(2025, 20251, SCALE, rng=random.Random(20251))
        with warehouse.connect() as conn:
            yield {"warehouse": warehouse, "conn": conn, "world": world, "folder": folder, "trained": trained}


def facts(conn) -> dict[str, tuple]:
    return {
        r[0]: r[1:]
        for r in conn.execute(
            "select appeal_key, channel, category_code, sector_code, category_method, category_confidence"
            " from marts.fct_appeals"
        ).fetchall()
    }


def test_appeals_without_codes_are_structured_in_every_channel(built):
    world, rows = built["world"], facts(built["conn"])
    end = world.data_end
    truth = {f"{a.source}/{a.appeal_id}": a for a in world.appeals}
    unstated = [
        k
        for k, a in truth.items()
        if a.stated == "none" and k in rows and a.state_at(end).category_code == a.category_code
    ]
    assert {truth[k].channel for k in unstated} == {"pos", "incident", "portal", "letter", "hotline"}
    # Every one of them was decided by the classifier, never by a code nobody stated.
    assert {rows[k][3] for k in unstated} <= set(CLASSIFIED)
    # The oracle: the sector the generator wrote the text for. The sample's phrasings are deliberately
    # indirect and a fifth carry a second, unrelated problem: harder than the evaluation sets, whose targets
    # (0.85 / 0.75 / 15 %) tests/unit/test_classify_eval_sets.py holds the classifier to.
    ref_sector = {k: world.reference.categories[truth[k].category_code].sector_code for k in unstated}
    placeable = [k for k in unstated if ref_sector[k] != "other"]
    right = sum(rows[k][2] == ref_sector[k] for k in unstated)
    misc = sum(rows[k][1] == "other.misc" for k in placeable)
    assert right / len(unstated) >= 0.65, (right, len(unstated))
    assert misc / len(placeable) <= 0.2, (misc, len(placeable))
    mix_truth, mix_got = Counter(ref_sector.values()), Counter(rows[k][2] for k in unstated)
    assert mix_got.most_common(1)[0][0] == mix_truth.most_common(1)[0][0] == "housing"
    distance = sum(abs(mix_got[s] - mix_truth[s]) for s in mix_truth | mix_got) / 2 / len(unstated)
    assert distance <= 0.25, (mix_truth, mix_got)


def test_foreign_rubrics_are_mapped_not_guessed(built):
    world, rows = built["world"], facts(built["conn"])
    foreign = [f"{a.source}/{a.appeal_id}" for a in world.appeals if a.stated == "rubric"]
    foreign = [k for k in foreign if k in rows]
    assert foreign, "the sample states some incidents in Инцидент Менеджмент's own topics"
    methods = Counter(rows[k][3] for k in foreign)
    assert methods["category_map"] / len(foreign) >= 0.9, methods


def test_nothing_is_classified_twice(built):
    from sources.classify import run

    warehouse = built["warehouse"]
    with warehouse.connect() as read_conn, warehouse.connect() as write_conn:
        report = run.classify_new(read_conn, write_conn)
    assert report.batch_id is None and report.considered == 0


def test_review_round_trip(built):
    from sources.classify import review

    conn, folder = built["conn"], built["folder"]
    queue = conn.execute(
        "select appeal_key, category_code, guess_2_code from marts.mart_classification_review"
        " where guess_2_code is not null order by appeal_key limit 3"
    ).fetchall()
    assert len(queue) == 3
    path = folder / "worklist.xlsx"
    written = review.export_worklist(conn, path, limit=10_000)
    assert written == conn.execute("select count(*) from marts.mart_classification_review").fetchone()[0]
    book = openpyxl.load_workbook(path)
    sheet = book[review.SHEET]
    by_key = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    assert all(sheet.cell(by_key[k], 5).value for k, _, _ in queue), "the worklist carries the texts"
    for key, _, second in queue:
        sheet.cell(by_key[key], review.DECISION + 1).value = second
        sheet.cell(by_key[key], review.OPERATOR + 1).value = "оператор-1"
    spare = next(r for k, r in by_key.items() if k not in {q[0] for q in queue})
    sheet.cell(spare, review.DECISION + 1).value = "no.such"
    book.save(path)

    report = review.import_decisions(conn, path, folder / "review")
    assert (report.decisions, report.imported, report.already, len(report.rejected)) == (4, 3, 0, 1)
    assert "no.such" in report.rejected[0]
    again = review.import_decisions(conn, path, folder / "review")
    assert (again.imported, again.already) == (0, 3)

    run_job("tsur_build")
    conn.commit()
    for key, before, second in queue:
        category, method, confidence = conn.execute(
            "select category_code, category_method, category_confidence from marts.fct_appeals where appeal_key = %s",
            (key,),
        ).fetchone()
        assert (category, method, float(confidence)) == (second, "operator", 1.0)
        audit = conn.execute(
            "select payload #> '{attrs,review}' from raw.appeal_events where source || '/' || (payload->>'appeal_id')"
            " = %s and payload->>'event_type' = 'categorized'",
            (key,),
        ).fetchone()[0]
        assert (audit["operator"], audit["from"], audit["to"]) == ("оператор-1", before, second)
    left = {r[0] for r in conn.execute("select appeal_key from marts.mart_classification_review")}
    assert not left & {q[0] for q in queue}

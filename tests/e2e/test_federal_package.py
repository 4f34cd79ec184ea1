"""The federal package on a small sample year: October 2025 exported twice gives the same bytes; the workbook
holds the figures the event files tell (tests/oracle_marts.py, not the warehouse); late October events make
revision 2 with the right diff beside an untouched revision 1; bad rows in an as-of mart leave no package."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exports.package.csvs import read_csv
from tests.conftest import fresh_database, project_env
from tests.e2e.federal_package_helpers import (
    CHECKED,
    FILES,
    PERIOD,
    SCALE,
    SHEETS,
    hashes,
    late_events,
    oracle_october,
    oracle_region,
)
from tests.oracle_marts import reaction_figures

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample(server_url, dbt_manifest, tmp_path_factory):
    """The sample year at a small scale as appeal-event/1 files, loaded batch by batch; nothing built yet."""
    from lib.warehouse import Warehouse
    from sources.events import load_event_file
    from sources.landing import all_files
    from sources.sample import generate_sample

    with fresh_database(server_url) as url, project_env(url, tmp_path_factory.mktemp("package")) as folder:
        warehouse = Warehouse().start()
        landing = warehouse.settings.landing_dir
        summary = generate_sample(landing, scale=SCALE, formats="canonical").canonical
        with warehouse.connect(autocommit=True) as conn:
            for path, _ in all_files([landing]):
                load_event_file(conn, path)
        damaged = {(str(i.path), i.line_no) for i in summary.injected}
        yield {"warehouse": warehouse, "landing": landing, "damaged": damaged, "folder": folder, "state": {}}


def test_two_runs_give_the_same_bytes(sample):
    from exports.package.build import export_package

    warehouse = sample["warehouse"]
    first = export_package(warehouse, PERIOD)
    assert (first.revision, first.created) == (1, True)
    assert first.path == warehouse.settings.export_dir / PERIOD / "r1"
    assert {p.name for p in first.path.iterdir()} == FILES
    before = hashes(first.path)
    # Again, rebuilding the past picture: the same data, so the same revision, untouched.
    again = export_package(warehouse, PERIOD)
    assert (again.revision, again.created, again.path) == (1, False, first.path)
    assert hashes(first.path) == before
    # Written afresh elsewhere from the same data: byte for byte the same files, manifest included.
    elsewhere = export_package(warehouse, PERIOD, build=False, out_dir=sample["folder"] / "elsewhere")
    assert elsewhere.created and hashes(elsewhere.path) == before
    manifest = json.loads((first.path / "manifest.json").read_text(encoding="utf-8"))
    with warehouse.connect() as conn:
        last_batch = conn.execute("select max(batch_id) from raw.load_batches").fetchone()[0]
    assert (manifest["period"], manifest["revision"], manifest["as_of"], manifest["generated_at"]) == (
        PERIOD,
        1,
        "2025-11-01T00:00:00+03:00",
        "2025-11-01T00:00:00+03:00",
    )
    assert manifest["data_version"]["batch_hwm"] == last_batch
    assert manifest["code_version"].startswith("tsur-warehouse ")
    assert set(manifest["files"]) == FILES - {"manifest.json"}
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == before[name], name
    assert manifest["files"]["summary.csv"]["rows"] == len((first.path / "summary.csv").read_text().splitlines()) - 1
    sample["state"]["r1"] = before


def test_the_workbook_holds_the_figures_of_the_files(sample):
    from exports.package.build import export_package

    path = export_package(sample["warehouse"], PERIOD, build=False).path / "federal_package.xlsx"
    book = load_workbook(path)
    assert book.sheetnames == SHEETS
    assert all(book[s].freeze_panes == "A2" for s in SHEETS)
    summary = {row[0]: row[3] for row in book["Сводка"].iter_rows(min_row=2, values_only=True)}
    want = oracle_region(sample)
    assert want["incoming"] > 20
    for indicator in CHECKED:
        expected = None if want[indicator] is None else float(want[indicator])
        assert summary[indicator] == expected, indicator
    # Sectors add up to the okrug; the rating's bodies hold every appeal assigned to a body.
    sectors = list(book["Отрасли"].iter_rows(min_row=2, values_only=True))
    assert sum(row[2] for row in sectors) == want["incoming"]
    assert {book["Отрасли"].cell(1, c).value for c in (3, 6)} == {"Поступило", "Доля ответов в срок"}
    assert book["Отрасли"]["F2"].number_format == "0.0%"
    csv_rows = (path.parent / "sectors.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv_rows) == len(sectors) + 1 and csv_rows[0].startswith("sector_code,sector_name,incoming")
    # The reaction to incidents by municipality and by body, as the events tell it.
    slices: dict[tuple[str, str], list[dict]] = {}
    for a in oracle_october(sample):
        slices.setdefault(("municipality", a["oktmo"] or "none"), []).append(a)
        slices.setdefault(("agency", a["agency"] or "none"), []).append(a)
    want = {k: reaction_figures(v) for k, v in slices.items()}
    want = {k: f for k, f in want.items() if f["reaction_judged"] or f["reaction_median_minutes"] is not None}
    got = {(r[0], r[1]): r[3:] for r in book["Реакция"].iter_rows(min_row=2, values_only=True)}
    assert set(got) == set(want) and {k[0] for k in got} == {"municipality", "agency"}
    for key, (judged, within, share, median) in got.items():
        f = want[key]
        if judged == "<3":  # a municipality with one or two incidents shows none of its figures
            assert key[0] == "municipality" and 0 <= f["reaction_judged"] <= 2, key
            assert within == share == median == "скрыто", key
            continue
        if judged == "скрыто":  # hidden so that a small one cannot be worked out from the okrug's total
            assert key[0] == "municipality" and f["reaction_judged"] >= 3 and within == "скрыто", key
            continue
        assert (judged, within) == (f["reaction_judged"], f["reacted_within_8h"]), key
        assert share == (None if f["reaction_8h_share"] is None else float(f["reaction_8h_share"])), key
        assert (median is None) == (f["reaction_median_minutes"] is None), key
        assert median is None or abs(median - f["reaction_median_minutes"]) <= 0.011, key


def test_territories_suppress_small_cells_and_keep_the_totals(sample):
    from exports.package.build import export_package

    result = export_package(sample["warehouse"], PERIOD, build=False)
    # Exact cells from the internal mart (categories of uncoded appeals are the classifier's), whose
    # municipal totals the event files confirm independently.
    with sample["warehouse"].connect() as conn:
        want = {
            (m, c): n
            for m, c, n in conn.execute(
                "select municipality_oktmo, category_code, incoming from marts__asof_2025_10.mart_municipal_categories"
                " where period_start = '2025-10-01'"
            )
        }
    oracle: dict[str, int] = {}
    for a in oracle_october(sample):
        if not a["rejected"]:
            oracle[a["oktmo"] or ""] = oracle.get(a["oktmo"] or "", 0) + 1
    assert oracle == {m: sum(n for (k, _), n in want.items() if k == m) for m, _ in want}
    rows = read_csv((result.path / "territories.csv").read_bytes())
    cells = {
        (r["municipality_oktmo"], r["category_code"]): r["incoming"]
        for r in rows
        if r["municipality_oktmo"] and r["category_code"]
    }
    assert any(v == "<3" for v in cells.values())
    for key, shown in cells.items():
        if shown == "<3":  # a small count, or a zero hidden among them
            assert 0 <= want.get(key, 0) <= 2, key
        elif shown == "скрыто":
            assert want[key] >= 3, key
        else:
            assert int(shown) == want[key] >= 3, key
    # Every nonzero cell is listed (shown or hidden); the okrug's totals per category are exact.
    assert {k for k, v in want.items() if v} <= set(cells)
    region = {
        r["category_code"]: int(r["incoming"]) for r in rows if not r["municipality_oktmo"] and r["category_code"]
    }
    assert region == {c: sum(v for (_, k), v in want.items() if k == c) for c in {k for _, k in want}}
    # No line hides exactly one entry: a hidden count is never the total minus what is shown.
    by_row: dict[str, list[str]] = {}
    for (oktmo, _), shown in cells.items():
        by_row.setdefault(oktmo, []).append(shown)
    totals = {
        r["municipality_oktmo"]: r["incoming"] for r in rows if r["municipality_oktmo"] and not r["category_code"]
    }
    for oktmo, shown in by_row.items():
        hidden = sum(v in ("<3", "скрыто") for v in shown + [totals[oktmo]])
        assert hidden != 1, oktmo
    for code in region:
        hidden = sum(v in ("<3", "скрыто") for (_, c), v in cells.items() if c == code)
        assert hidden != 1, code
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["suppression"]["min_cell"] == 3
    counted = manifest["suppression"]["tables"]["territories"]
    municipal = [sum(n for (m, _), n in want.items() if m == oktmo) for oktmo in {m for m, _ in want}]
    assert counted["primary"] == sum(0 < n < 3 for n in list(want.values()) + municipal)
    assert counted["unprotected"] == 0


def test_no_personal_data_in_the_package(sample, tmp_path):
    from sources.sample import build_world
    from tests.pii_scan import PiiScanner, sample_identities

    root = sample["warehouse"].settings.export_dir / PERIOD / "r1"
    scanner = PiiScanner(sample_identities(build_world(2025, 20251, SCALE).appeals))
    report = scanner.scan_tree(root)
    assert report.findings == []
    assert report.files >= 9  # CSV, XLSX, HTML, JSON (and the PDF when pypdf is there) were read
    assert {Path(p).suffix for p in report.skipped} <= {".png", ".pdf"}
    # The scanner is not blind: a name of the sample's people in a copy of a CSV is found.
    person = sorted(sample_identities(build_world(2025, 20251, SCALE).appeals)["name"])[0]
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "x.csv").write_text(f"a,{person}\n", encoding="utf-8")
    assert scanner.scan_tree(probe).findings


def test_a_week_shows_its_month_so_far(sample):
    from exports.package.build import export_package
    from exports.package.period import parse_period

    week = parse_period("2025-W43")  # 20–26 October: October as known on Monday 27th, 00:00
    result = export_package(sample["warehouse"], "2025-W43")
    assert result.path == sample["warehouse"].settings.export_dir / "2025-W43" / "r1"
    assert {p.name for p in result.path.iterdir()} == FILES
    manifest = json.loads((result.path / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["period_kind"], manifest["as_of"]) == ("week", "2025-10-27T00:00:00+03:00")
    summary = {
        row[0]: row[3]
        for row in load_workbook(result.path / "federal_package.xlsx")["Сводка"].iter_rows(min_row=2, values_only=True)
    }
    want = oracle_region(sample, close=week.close)
    assert 0 < want["incoming"] < oracle_region(sample)["incoming"]
    for indicator in ("incoming", "answered", "answered_on_time", "overdue_open", "on_time_share"):
        assert summary[indicator] == (None if want[indicator] is None else float(want[indicator])), indicator


def test_late_events_make_revision_2_with_the_diff(sample, tmp_path):
    from exports.package.build import export_package
    from sources.events import load_event_file

    warehouse, r1 = sample["warehouse"], sample["state"]["r1"]
    before = oracle_region(sample)
    late = tmp_path / "late" / "pos.jsonl"
    late.parent.mkdir()
    late.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in late_events()), encoding="utf-8")
    with warehouse.connect(autocommit=True) as conn:
        load_event_file(conn, late)
    after = oracle_region(sample, extra=late.parent)
    assert after["incoming"] == before["incoming"] + 1

    second = export_package(warehouse, PERIOD)
    assert (second.revision, second.created) == (2, True)
    folder = warehouse.settings.export_dir / PERIOD
    assert hashes(folder / "r1") == r1  # the old revision is never rewritten
    diff = json.loads((second.path / "diff.json").read_text(encoding="utf-8"))
    assert (diff["from_revision"], diff["to_revision"]) == (1, 2)
    summary = next(t for t in diff["tables"] if t["sheet"] == "Сводка")
    changed = {c["key"]["indicator"]: (c["from"], c["to"]) for c in summary["changed"]}
    expected = {i: (before[i], after[i]) for i in CHECKED if before[i] != after[i]}
    assert set(expected) <= set(changed)
    for indicator, (old, new) in expected.items():
        assert tuple(None if v is None else Decimal(v) for v in changed[indicator]) == (old, new), indicator
    assert changed["incoming"] == (str(before["incoming"]), str(before["incoming"] + 1))
    unchanged = {i for i in CHECKED if before[i] == after[i]}
    assert not unchanged & set(changed)
    text = (second.path / "diff.md").read_text(encoding="utf-8")
    assert f"Поступило (incoming): Значение: {before['incoming']} → {before['incoming'] + 1}" in text
    manifest = json.loads((second.path / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["revision"], manifest["previous_revision"]) == (2, 1)
    assert manifest["data_version"]["batch_hwm"] == diff["to_batch_hwm"] == diff["from_batch_hwm"] + 1
    assert {"diff.json", "diff.md"} <= set(manifest["files"])
    # A batch that tells nothing about October (a November appeal): rebuilt, the same data, revision 2 reused.
    november = tmp_path / "november" / "pos.jsonl"
    november.parent.mkdir()
    november.write_text(
        "".join(
            json.dumps(
                {
                    **e,
                    "event_id": e["event_id"].replace("LATE1", "NOV1"),
                    "appeal_id": "NOV1",
                    "occurred_at": e["occurred_at"].replace("2025-10-", "2025-11-"),
                },
                ensure_ascii=False,
            )
            + "\n"
            for e in late_events()
        ),
        encoding="utf-8",
    )
    with warehouse.connect(autocommit=True) as conn:
        load_event_file(conn, november)
    third = export_package(warehouse, PERIOD)
    assert (third.revision, third.created, third.batch_hwm) == (2, False, diff["to_batch_hwm"] + 1)
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == ["r1", "r2"]


def test_bad_rows_in_a_mart_leave_no_package(sample):
    from exports.package.build import export_package
    from exports.package.gate import PackageRefused

    warehouse = sample["warehouse"]
    folder = warehouse.settings.export_dir / PERIOD
    before = sorted(p.name for p in folder.iterdir())
    with warehouse.connect() as conn:  # a share above 1 and a body answering more than it received
        conn.execute(
            "update marts__asof_2025_10.mart_agency_rating set on_time_share = 1.7,"
            " answered = incoming + 5 where agency_code = (select min(agency_code)"
            " from marts__asof_2025_10.mart_agency_rating where period = %s)",
            (PERIOD,),
        )
        conn.commit()
    with pytest.raises(PackageRefused) as refused:
        export_package(warehouse, PERIOD, build=False, out_dir=sample["folder"] / "refused")
    message = str(refused.value)
    assert "пакет за 2025-10 не сформирован" in message and "marts__asof_2025_10.mart_agency_rating" in message
    assert "on_time_share" in message
    assert not (sample["folder"] / "refused").exists()
    with pytest.raises(PackageRefused):
        export_package(warehouse, PERIOD, build=False)
    assert sorted(p.name for p in folder.iterdir()) == before

"""ПОС, ИМ and СЭД exports of the sample world into raw.source_rows on a real PostgreSQL: the rows expected
from the world itself, quarantine of the broken copies, idempotence, out-of-order exports."""

import shutil
from datetime import datetime

import pytest

from sources.incident import load_incident_file
from sources.letters import load_letters_file
from sources.pos import load_pos_file
from tests.native_sample import make_native, msk, path_of, window

LOADERS = {"pos": load_pos_file, "incident": load_incident_file, "letter": load_letters_file}


@pytest.fixture(scope="module")
def native(tmp_path_factory):
    return make_native(tmp_path_factory.mktemp("landing"))


def seen(appeal, moment):
    return [e for e in appeal.events if e.occurred_at <= moment]


def rows(conn, origin):
    found = conn.execute(
        "select appeal_id, exported_at, record, payload, flags, sheet, line_no, source, channel"
        " from raw.source_rows where origin = %s order by line_no",
        (str(origin),),
    ).fetchall()
    return {r[0]: r for r in found}


def quarantine(conn):
    return conn.execute(
        "select origin, sheet, line_no, reason_code from raw.quarantine order by origin, line_no"
    ).fetchall()


def test_pos_export_with_title_rows_and_an_unknown_column(conn, native):
    world, summary = native
    path = path_of(summary, "epgu-pos-export-2025-06-30T2359.xlsx")
    moment = msk(2025, 6, 30, 23, 59)
    report = load_pos_file(conn, path)
    expected = {a.appeal_id: a for a in window(world, "pos", moment, 92)}
    bad = [i for i in summary.injected if i.path == path]
    assert (report.lines_read, report.loaded, report.quarantined) == (len(expected) + len(bad), len(expected), len(bad))
    stored = rows(conn, path)
    assert set(stored) == set(expected)
    first = min(stored.values(), key=lambda r: r[6])
    assert (first[5], first[6]) == ("Сообщения", 4)  # two title rows, the header on row 3
    for appeal_id, (_, exported_at, record, payload, flags, *_rest, source, channel) in stored.items():
        appeal = expected[appeal_id]
        assert (source, channel, exported_at, flags) == ("epgu-pos", "pos", moment, [])
        assert record["created_at"] == appeal.received_at.isoformat()
        assert payload["Источник"] in ("ЕПГУ", "Госуслуги (моб. приложение)") and "Источник" not in str(record)
        assert payload["Заявитель"] == record["author_name"] == appeal.author["name"]
        assert record["oktmo"] == appeal.oktmo and record["text"] == appeal.text
        events = seen(appeal, moment)
        answers = [e for e in events if e.event_type == "answered"]
        if answers:
            assert record["answered_at"] == answers[-1].occurred_at.isoformat()
        else:
            assert "answered_at" not in record
        ratings = [e.fields["rating"] for e in events if e.event_type == "rated"]
        assert record.get("rating") == (ratings[-1] if ratings else None)
        last = events[-1].event_type
        if last in ("closed", "rejected"):
            assert record["status"] == {"closed": "Закрыто", "rejected": "Отклонено модератором"}[last]
        assert record["return_count"] == sum(e.event_type == "returned" for e in events)
        assert record["fast_track"] is bool(appeal.attrs["fast_track"])


def test_incident_export_skips_the_parameters_sheet(conn, native):
    world, summary = native
    path = path_of(summary, "medialogia-im-2025-10-31T2359.xlsx")
    moment = msk(2025, 10, 31, 23, 59)
    report = load_incident_file(conn, path)
    expected = {a.appeal_id: a for a in window(world, "incident", moment, 62)}
    broken = sum(1 for row in summary.injected if row.path == path)  # the sample's broken copies, extra rows
    assert report.loaded == len(expected) and report.quarantined == broken
    stored = rows(conn, path)
    assert set(stored) == set(expected)
    for appeal_id, row in stored.items():
        record, payload, sheet = row[2], row[3], row[5]
        appeal = expected[appeal_id]
        assert sheet == "Инциденты" and payload["ID инцидента"] == appeal_id
        assert record["url"] == appeal.attrs["url"] and record["incident_type"] == appeal.attrs["incident_type"]
        results = [e.fields["result"] for e in seen(appeal, moment) if e.event_type == "answered"]
        if results:
            assert record["outcome"] == ("Не решено" if results[-1] == "not_supported" else "Решено")


def test_sed_cards_in_windows_1251(conn, native):
    world, summary = native
    path = path_of(summary, "sed-nao-cards-2025-11-30.csv")
    assert path.read_bytes().decode("cp1251").startswith("Рег. номер;Дата поступления;")
    report = load_letters_file(conn, path)
    moment = msk(2025, 11, 30, 23, 59, 59)  # a date in the name: the end of that day
    expected = {a.appeal_id: a for a in window(world, "letter", moment, 92)}
    assert report.loaded == len(expected) and report.lines_read == len(expected)
    stored = rows(conn, path)
    assert set(stored) == set(expected)
    for appeal_id, (_, exported_at, record, payload, flags, sheet, _line_no, source, _channel) in stored.items():
        appeal = expected[appeal_id]
        assert (exported_at, flags, sheet, source) == (moment, ["exported_at_end_of_day"], None, "sed-nao")
        assert record["created_at"] == appeal.received_at.replace(second=0).isoformat()  # minutes in СЭД
        assert record["repeated"] is bool(appeal.attrs["repeated"]) and record["kind"] == appeal.attrs["kind"]
        assert payload["Корреспондент"] == appeal.author["name"]
        assert payload["Коллективное"] in ("да", "нет") and record["collective"] is (payload["Коллективное"] == "да")


def test_the_whole_sample_loads_and_every_broken_copy_is_quarantined_where_it_was_put(conn, native):
    _, summary = native
    for path in summary.paths:
        LOADERS[path.parent.name](conn, path)
    totals = conn.execute(
        "select sum(lines_read), sum(loaded), sum(duplicates), sum(quarantined), count(*) from raw.load_batches"
    ).fetchone()
    assert totals == (
        sum(summary.rows.values()),
        sum(summary.rows.values()) - len(summary.injected),
        0,
        len(summary.injected),
        len(summary.paths),
    )
    assert quarantine(conn) == sorted((str(i.path), i.sheet, i.row, i.kind) for i in summary.injected)
    per_channel = dict(conn.execute("select channel, count(*) from raw.source_rows group by 1").fetchall())
    for channel in ("pos", "incident", "letter"):
        injected = sum(i.path.parent.name == channel for i in summary.injected)
        assert per_channel[channel] == summary.channel_rows(channel) - injected


def test_same_file_again_is_skipped_a_copy_by_hash_a_rewrite_gives_duplicates(conn, native, tmp_path):
    _, summary = native
    path = path_of(summary, "sed-nao-cards-2025-03-31.csv")
    first = load_letters_file(conn, path)
    count = conn.execute("select count(*) from raw.source_rows").fetchone()[0]
    assert first.loaded == count > 0
    assert load_letters_file(conn, path).skipped_file
    renamed = tmp_path / "copy of sed-nao-cards-2025-03-31.csv"
    shutil.copy(path, renamed)
    assert load_letters_file(conn, renamed).skipped_file  # the same bytes under another name
    rewritten = tmp_path / "sed-nao-cards-2025-03-31 (1).csv"
    rewritten.write_bytes(path.read_bytes() + b"\r\n")  # re-exported: other bytes, same content and moment
    again = load_letters_file(conn, rewritten)
    assert (again.lines_read, again.loaded, again.duplicates, again.quarantined) == (
        first.lines_read,
        0,
        first.loaded,
        0,
    )
    forced = load_letters_file(conn, path, force=True)
    assert (forced.loaded, forced.duplicates) == (0, first.loaded)
    assert conn.execute("select count(*) from raw.source_rows").fetchone()[0] == count


def test_an_older_export_after_a_newer_one_adds_its_snapshot_and_conflicts_with_nothing(conn, native):
    world, summary = native
    newer = load_pos_file(conn, path_of(summary, "epgu-pos-export-2025-12-31T2359.xlsx"))
    older = load_pos_file(conn, path_of(summary, "epgu-pos-export-2025-11-30T2359.xlsx"))
    assert older.duplicates == 0 and set(older.reasons) <= {"bad_date", "missing_field"}
    assert older.loaded == len(window(world, "pos", msk(2025, 11, 30, 23, 59), 92)) and newer.loaded > 0
    both = conn.execute(
        "select appeal_id, array_agg(exported_at order by exported_at), array_agg(record->>'status'"
        " order by exported_at) from raw.source_rows group by 1 having count(*) = 2"
    ).fetchall()
    by_id = {a.appeal_id: a for a in world.appeals}
    assert both
    for appeal_id, moments, statuses in both:
        assert moments == [msk(2025, 11, 30, 23, 59), msk(2025, 12, 31, 23, 59)]
        closed = [any(e.event_type == "closed" for e in seen(by_id[appeal_id], m)) for m in moments]
        assert [s == "Закрыто" for s in statuses] == closed


def test_export_moment_from_argument_name_workbook_or_file_time(conn, native, tmp_path):
    _, summary = native
    source = path_of(summary, "medialogia-im-2025-04-30T2359.xlsx")
    plain = tmp_path / "incidents.xlsx"
    shutil.copy(source, plain)
    load_incident_file(conn, plain)  # no moment in the name: the workbook's own save time
    explicit = datetime.fromisoformat("2025-05-01T08:00:00+03:00")
    load_incident_file(conn, source, exported_at=explicit, force=True)  # the same bytes: skipped unless forced
    cards = tmp_path / "cards.csv"
    shutil.copy(path_of(summary, "sed-nao-cards-2025-04-30.csv"), cards)
    load_letters_file(conn, cards)
    found = conn.execute("select origin, min(exported_at), min(flags::text) from raw.source_rows group by 1").fetchall()
    moments = {origin.rsplit("/", 1)[-1]: (at, flags) for origin, at, flags in found}
    assert moments["incidents.xlsx"] == (msk(2025, 4, 30, 23, 59), "{exported_at_from_properties}")
    assert moments[source.name] == (explicit, "{}")
    assert moments["cards.csv"][1] == "{exported_at_from_mtime}"
    assert abs(moments["cards.csv"][0].timestamp() - cards.stat().st_mtime) < 1


def test_a_region_with_other_headers_maps_them_in_configuration(conn, native, tmp_path, monkeypatch):
    _, summary = native
    text = path_of(summary, "sed-nao-cards-2025-05-31.csv").read_bytes().decode("cp1251")
    other = tmp_path / "sed-nao-cards-2025-05-31.csv"
    other.write_bytes(
        text.replace("Рег. номер", "Входящий №").replace("Дата поступления", "Поступило", 1).encode("cp1251")
    )
    report = load_letters_file(conn, other)
    assert report.reasons == {"no_header": 1} and report.loaded == 0
    maps = tmp_path / "maps.yaml"
    maps.write_text("sed-nao:\n  Входящий №: appeal_id\n  Поступило: created_at\n", encoding="utf-8")
    monkeypatch.setenv("TSUR_HEADER_MAPS", str(maps))
    again = load_letters_file(conn, other, force=True)
    assert again.loaded == again.lines_read > 0
    row = conn.execute("select payload from raw.source_rows limit 1").fetchone()[0]
    assert "Входящий №" in row and "Рег. номер" not in row

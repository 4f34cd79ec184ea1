"""Each file's format and connector told by its content, whatever its name; folders and --source as hints."""

import json
import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sources.detect import detect
from sources.native import export_moment, moment_from_name
from tests.native_sample import make_native, path_of

MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    _, summary = make_native(tmp_path_factory.mktemp("landing"))
    loose = tmp_path_factory.mktemp("loose")  # no channel folder above: content alone decides
    names = {
        "pos.xlsx": "epgu-pos-export-2025-03-31T2359.xlsx",
        "pos.csv": "epgu-pos-export-2025-08-15T1200.csv",
        "incident.xlsx": "medialogia-im-2025-03-31T2359.xlsx",
        "sed.csv": "sed-nao-cards-2025-03-31.csv",
    }
    for new, old in names.items():
        shutil.copy(path_of(summary, old), loose / new.replace(".", "-copy."))
    (loose / "events.txt").write_text(json.dumps({"schema": "appeal-event/1", "event_id": "e1"}) + "\n")
    (loose / "broken.jsonl").write_text("{not json\n")
    (loose / "notes.txt").write_text("Список дел на неделю\n", encoding="utf-8")
    (loose / "pos-export.xlsx").write_bytes(b"")
    (loose / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    return loose


@pytest.mark.parametrize(
    "name,kind,fmt",
    [
        ("pos-copy.xlsx", "pos", "xlsx"),
        ("pos-copy.csv", "pos", "csv"),
        ("incident-copy.xlsx", "incident", "xlsx"),
        ("sed-copy.csv", "letter", "csv"),
        ("events.txt", "events", "jsonl"),
        ("broken.jsonl", "events", "jsonl"),
        ("notes.txt", None, "csv"),
        ("pos-export.xlsx", None, "empty"),
        ("image.png", None, "binary"),
    ],
)
def test_content_decides(files, name, kind, fmt):
    found = detect(files / name)
    assert (found.kind, found.format) == (kind, fmt), found.reason


def test_a_wrong_extension_does_not_matter(files, tmp_path):
    shutil.copy(files / "incident-copy.xlsx", tmp_path / "incidents.csv")
    shutil.copy(files / "sed-copy.csv", tmp_path / "cards.xlsx")
    assert detect(tmp_path / "incidents.csv").kind == "incident"
    assert detect(tmp_path / "cards.xlsx").kind == "letter"


def test_folder_or_source_names_the_connector_when_content_cannot(files, tmp_path):
    folder = tmp_path / "landing" / "incident" / "2025"
    folder.mkdir(parents=True)
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    found = detect(folder / "broken.xlsx")
    assert (found.kind, found.format) == ("incident", "zip")
    assert detect(files / "notes.txt", source="sed-nao").kind == "letter"
    assert detect(files / "notes.txt", source="my-own-code").kind is None
    assert detect(files / "pos-copy.xlsx", source="my-own-code").kind == "pos"  # content wins over the code


def test_export_moment_from_the_file_name():
    assert moment_from_name("pos-export-2025-03-31T2359.xlsx", "Europe/Moscow") == (
        datetime(2025, 3, 31, 23, 59, tzinfo=MSK),
        False,
    )
    assert moment_from_name("ИМ 2025-01-01 — 2025-04-30_10-15-20.xlsx", "Europe/Moscow") == (
        datetime(2025, 4, 30, 10, 15, 20, tzinfo=MSK),
        False,
    )  # the last stamp: the export, not the period start
    assert moment_from_name("карточки на 31.05.2025.csv", "Europe/Moscow") == (
        datetime(2025, 5, 31, 23, 59, 59, tzinfo=MSK),
        True,
    )
    assert moment_from_name("export-2025-02-30.csv", "Europe/Moscow") is None
    assert moment_from_name("report-20250331.csv", "Europe/Moscow") is None


def test_export_moment_order(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("x")
    saved = datetime(2025, 5, 1, 6, 0, tzinfo=ZoneInfo("UTC"))
    given = datetime(2025, 5, 2, 12, 0)
    assert export_moment(path, given, saved, "Europe/Moscow") == (given.replace(tzinfo=MSK), [])
    assert export_moment(path, None, saved, "Europe/Moscow") == (saved, ["exported_at_from_properties"])
    when, flags = export_moment(path, None, None, "Europe/Moscow")
    assert flags == ["exported_at_from_mtime"] and abs(when.timestamp() - path.stat().st_mtime) < 1
    named = tmp_path / "export-2025-04-30.csv"
    named.write_text("x")
    assert export_moment(named, None, saved, "Europe/Moscow")[1] == ["exported_at_end_of_day"]

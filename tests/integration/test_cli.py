"""The `tsur` command line: clear messages, exit codes, reports."""

import json

from orchestration.cli import main


def event_line(event_id: str) -> str:
    return json.dumps(
        {
            "event_id": event_id,
            "source": "hotline-nao",
            "channel": "hotline",
            "appeal_id": "HL-1",
            "event_type": "received",
            "occurred_at": "2025-03-03T10:00:00+03:00",
        }
    )


def test_ingest_reports_each_file_and_rejects_missing_paths(tsur_env, capsys):
    folder = tsur_env / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(event_line("e1") + "\n" + "not json\n", encoding="utf-8")
    assert main(["ingest", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "read 2, loaded 1, duplicates 0, quarantined 1 (invalid_json 1)" in out
    assert main(["ingest", str(folder / "a.jsonl")]) == 0
    assert "already loaded, skipped" in capsys.readouterr().out
    assert main(["ingest", str(tsur_env / "nowhere")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_db_url_prints_the_configured_warehouse(tsur_env, database_url, capsys):
    assert main(["db", "url"]) == 0
    assert capsys.readouterr().out.strip() == database_url
    assert main(["db", "stop"]) == 1
    assert "TSUR_DATABASE_URL is set" in capsys.readouterr().err

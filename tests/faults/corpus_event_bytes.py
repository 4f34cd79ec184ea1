"""Bad-input cases for appeal-event/1 files (landing folder `events`) that are wrong as bytes or lines:
encodings and BOMs, JSON that is cut or not one object per line (FRAMING_CASES); an oversize line, control
characters, text shaped as SQL, an empty file, CRLF and blank lines (LINE_CASES)."""

from __future__ import annotations

import codecs
import json

from tests.faults.corpus_kit import INJECTION, SOURCE, Case, event, json_line, jsonl, raw

HUGE = "я" * 600_000  # 1.2 MB in UTF-8: over the 1 MiB line limit of the event reader

FRAMING_CASES = [
    Case(
        "jsonl_not_utf8",
        "не UTF-8",
        "events",
        "latin1.jsonl",
        jsonl(event("nu-1"), b'{"text": "caf\xe9 cr\xe8me"}', event("nu-2")),
        read=3,
        loaded=2,
        quarantined=1,
        reasons={"not_utf8": 1},
        words=("not UTF-8 at byte 13",),
        keys=("nu-1", "nu-2"),
    ),
    Case(
        "jsonl_cp1251",
        "Windows-1251, прочитанный как UTF-8",
        "events",
        "cp1251.jsonl",
        raw(
            lambda: "\n".join(
                json.dumps(e, ensure_ascii=False)
                for e in [event("cp-1", text="Нет горячей воды"), event("cp-2"), event("cp-3", text="Яма")]
            ).encode("cp1251")
        ),
        read=3,
        loaded=1,
        quarantined=2,
        reasons={"not_utf8": 2},
        words=("must be UTF-8",),
        keys=("cp-2",),
    ),
    Case(
        "jsonl_bom",
        "BOM в начале файла и в середине (склеенные файлы)",
        "events",
        "bom.jsonl",
        raw(
            codecs.BOM_UTF8
            + json_line(event("bom-1"))
            + b"\n"
            + json_line(event("bom-2"))
            + b"\n"
            + codecs.BOM_UTF8
            + json_line(event("bom-3"))
            + b"\n"
        ),
        read=3,
        loaded=3,
        quarantined=0,
        keys=("bom-1", "bom-2", "bom-3"),
    ),
    Case(
        "jsonl_truncated",
        "обрезанный JSON",
        "events",
        "cut.jsonl",
        raw(json_line(event("cut-1")) + b"\n" + json_line(event("cut-2"))[:40]),
        read=2,
        loaded=1,
        quarantined=1,
        reasons={"invalid_json": 1},
        words=("not a JSON value",),
        keys=("cut-1",),
    ),
    Case(
        "jsonl_array_line",
        "JSON-массив вместо строк",
        "events",
        "array.jsonl",
        raw(json.dumps([event("arr-1"), event("arr-2")]).encode()),
        read=1,
        loaded=0,
        quarantined=1,
        reasons={"not_an_object": 1},
        words=("a JSON array, not an object",),
    ),
    Case(
        "jsonl_array_pretty",
        "JSON-массив с отступами в файле .json",
        "events",
        "array.json",
        raw(json.dumps([{"event_id": "pa-1", "source": SOURCE}], indent=2).encode()),
        # [ / { / "event_id": ... / "source": ... / } / ]: six lines, none an event
        read=6,
        loaded=0,
        quarantined=6,
        reasons={"invalid_json": 6},
    ),
]

LINE_CASES = [
    Case(
        "jsonl_huge_line",
        "огромная строка",
        "events",
        "huge.jsonl",
        jsonl(event("hu-1"), event("hu-2", text=HUGE), event("hu-3")),
        read=3,
        loaded=2,
        quarantined=1,
        reasons={"line_too_long": 1},
        words=("longer than the limit",),
        keys=("hu-1", "hu-3"),
    ),
    Case(
        "jsonl_control",
        "управляющие символы",
        "events",
        "control.jsonl",
        jsonl(
            event("cc-1", text="звонок\u0007 и\tтабуляция"),
            json.dumps(event("cc-2", text="a\u0000b")).encode(),
            json_line(event("cc-3", text="esc")).replace(b"esc", b"e\x1bsc"),
            b'{"event_id": "cc-4\x00"}',
        ),
        read=4,
        loaded=1,
        quarantined=3,
        reasons={"control_character": 1, "invalid_json": 2},
        words=("NUL", "Invalid control character"),
        keys=("cc-1",),
    ),
    Case(
        "jsonl_sql",
        "текст в форме SQL-инъекции",
        "events",
        "sql.jsonl",
        jsonl(
            event(INJECTION, "A-SQL", text="'; delete from raw.appeal_events where ''='"),
            event("sq-2", "A-SQL'--", "registered"),
        ),
        read=2,
        loaded=2,
        quarantined=0,
        keys=(INJECTION, "sq-2"),
    ),
    Case("jsonl_empty", "пустой файл", "events", "empty.jsonl", raw(b""), read=0, loaded=0, quarantined=0),
    Case(
        "jsonl_blank_crlf",
        "CRLF и пустые строки",
        "events",
        "crlf.jsonl",
        raw(json_line(event("cr-1")) + b"\r\n\r\n   \r\n" + json_line(event("cr-2")) + b"\r\n"),
        read=2,
        loaded=2,
        quarantined=0,
        keys=("cr-1", "cr-2"),
    ),
]

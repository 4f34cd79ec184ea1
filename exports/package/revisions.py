"""Revisions of a period's package: reuse the last one when nothing changed, else say what changed.

exports/out/2025-10/r1/   first package; never rewritten
exports/out/2025-10/r2/   the same period after late events, with diff.json and diff.md against r1
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from exports.package.csvs import read_csv
from exports.package.manifest import MANIFEST, read_manifest
from exports.package.tabular import Table

DIFF_FILES = ("diff.json", "diff.md")
WORKBOOK = "federal_package.xlsx"
_REVISION = re.compile(r"^r(\d+)$")


@dataclass(frozen=True)
class Revision:
    number: int
    path: Path
    manifest: dict


def revision_name(number: int) -> str:
    return f"r{number}"


def latest_revision(period_dir: Path) -> Revision | None:
    """The highest complete revision (one with its manifest) in the period's folder."""
    found = []
    for child in period_dir.iterdir() if period_dir.exists() else ():
        match = _REVISION.match(child.name)
        if match and (child / MANIFEST).is_file():
            found.append((int(match[1]), child))
    if not found:
        return None
    number, path = max(found)
    return Revision(number, path, read_manifest((path / MANIFEST).read_bytes()))


def content_hashes(manifest: dict) -> dict[str, str]:
    """sha256 of the files that carry data: everything but the diff against an older revision."""
    return {name: f["sha256"] for name, f in manifest["files"].items() if name not in DIFF_FILES}


def same_content(new_hashes: dict[str, str], previous: Revision) -> bool:
    return content_hashes(previous.manifest) == new_hashes


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _label(table: Table, row: dict) -> str:
    """A row for people: its name column when it has one, with the key in brackets."""
    key = ", ".join(row[k] for k in table.key if row.get(k))
    name = next((row[c.name] for c in table.columns if c.name.endswith("_name") and row.get(c.name)), "")
    return f"{name} ({key})" if name and key else name or key


def table_diff(table: Table, old_rows: list[dict[str, str]]) -> dict:
    """Cells that changed, rows that appeared or went, keyed by the table's key columns (compared as text)."""
    new_rows = [{c.name: _text(v) for c, v in zip(table.columns, row)} for row in table.rows]
    old = {tuple(r.get(k, "") for k in table.key): r for r in old_rows}
    new = {tuple(r[k] for k in table.key): r for r in new_rows}
    headers = {c.name: c.header for c in table.columns}
    changed = []
    for key in sorted(old.keys() & new.keys()):
        for column in (c.name for c in table.columns if c.name not in table.key):
            before, after = old[key].get(column, ""), new[key][column]
            if before != after:
                changed.append(
                    {
                        "key": dict(zip(table.key, key)),
                        "row": _label(table, new[key]),
                        "column": column,
                        "header": headers[column],
                        "from": before or None,
                        "to": after or None,
                    }
                )
    return {
        "sheet": table.sheet,
        "file": f"{table.stem}.csv",
        "changed": changed,
        "added": [_label(table, new[k]) for k in sorted(new.keys() - old.keys())],
        "removed": [_label(table, old[k]) for k in sorted(old.keys() - new.keys())],
    }


def package_diff(
    tables: list[Table], previous: Revision, new_hashes: dict[str, str], *, period: str, revision: int, batch_hwm: int
) -> dict:
    """What changed against the previous revision, table by table; other files only by name."""
    tables_diff = []
    for table in tables:
        path = previous.path / f"{table.stem}.csv"
        found = table_diff(table, read_csv(path.read_bytes()) if path.exists() else [])
        if found["changed"] or found["added"] or found["removed"]:
            tables_diff.append(found)
    old_hashes = content_hashes(previous.manifest)
    mirrors = {f"{t.stem}.csv" for t in tables} | {WORKBOOK}  # the workbook holds the same tables
    other = sorted(
        n for n in new_hashes.keys() | old_hashes.keys() if n not in mirrors and old_hashes.get(n) != new_hashes.get(n)
    )
    return {
        "period": period,
        "from_revision": previous.number,
        "to_revision": revision,
        "from_batch_hwm": previous.manifest["data_version"]["batch_hwm"],
        "to_batch_hwm": batch_hwm,
        "tables": tables_diff,
        "other_files_changed": other,
    }


def diff_json(diff: dict) -> bytes:
    return (json.dumps(diff, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def diff_markdown(diff: dict) -> bytes:
    """The same diff in a few lines people read: «Получили ответ: 2 → 4»."""
    lines = [
        f"# Период {diff['period']}: ревизия {diff['to_revision']} против ревизии {diff['from_revision']}",
        "",
        f"Партии загрузки: до {diff['from_batch_hwm']} → до {diff['to_batch_hwm']}.",
        "",
    ]
    for table in diff["tables"]:
        lines.append(f"## {table['sheet']}")
        for c in table["changed"]:
            lines.append(f"- {c['row']}: {c['header']}: {c['from'] or '—'} → {c['to'] or '—'}")
        lines += [f"- добавлено: {label}" for label in table["added"]]
        lines += [f"- исключено: {label}" for label in table["removed"]]
        lines.append("")
    if diff["other_files_changed"]:
        lines += ["Изменились также: " + ", ".join(diff["other_files_changed"]) + ".", ""]
    if not diff["tables"]:
        lines += ["Таблицы периода не изменились.", ""]
    return "\n".join(lines).encode("utf-8")

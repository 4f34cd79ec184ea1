"""What every connector hands the loader: the raw table it fills, one `Record` per line, and the batch's counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class RawTable:
    """A raw table and how to tell a duplicate from a conflict in it."""

    name: str
    columns: tuple[tuple[str, str], ...]  # (column, type) filled by the connector, lineage included
    key: tuple[str, ...] = ()  # same key and same `content`: duplicate; other content: conflict
    content: str = "payload"

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]


class Record(NamedTuple):
    """One line or row as read: accepted `values` for the table, or a reason to quarantine it.

    A named tuple, not a dataclass: the loader makes one per line, and this is several times cheaper to build.
    """

    line_no: int | None
    raw_text: str | None
    values: tuple | None = None
    reason_code: str | None = None
    reason: str | None = None
    record_key: str | None = None
    sheet: str | None = None
    raw_bytes: bytes | None = None
    copy_line: bytes | None = None  # `values` in COPY text format, when the judging process rendered them

    @property
    def ok(self) -> bool:
        return self.values is not None


@dataclass
class BatchReport:
    origin: str
    batch_id: int | None = None
    lines_read: int = 0
    blank_lines: int = 0
    loaded: int = 0
    duplicates: int = 0
    quarantined: int = 0
    skipped_file: bool = False
    reasons: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        if self.skipped_file:
            return f"{self.origin}: already loaded, skipped"
        text = (
            f"{self.origin}: read {self.lines_read}, loaded {self.loaded}, "
            f"duplicates {self.duplicates}, quarantined {self.quarantined}"
        )
        if self.reasons:
            text += " (" + ", ".join(f"{k} {v}" for k, v in sorted(self.reasons.items())) + ")"
        return text

"""A scanner for personal data in tables and export files, for tests.

It looks for two things: the known identities of the people behind a data set (names, phones in the ways
people write them, e-mails, addresses, account ids — exact, case-insensitive), and anything shaped like a
Russian phone number or an e-mail address, whoever it belongs to. Tables are read row by row as their
text form (every column); files by their kind: text formats as text, XLSX cell by cell (openpyxl), PDF
through pypdf when it is installed; what cannot be read as text is listed as skipped, never passed silently.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

# +7 or 8, then 3-3-2-2 digits with the separators people use; or a bare mobile number (9XX…), with or
# without the country digit. Digits glued to letters or a decimal point (hashes, shares) do not count.
PHONE = re.compile(
    r"(?<![\w.])(?:\+7|8)[\s\-(]*\d{3}[\s\-)]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}(?![\w])"
    r"|(?<![\w.+])[78]?9\d{9}(?![\w])"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
TEXT_SUFFIXES = {
    ".csv",
    ".txt",
    ".json",
    ".jsonl",
    ".ndjson",
    ".md",
    ".xml",
    ".yaml",
    ".yml",
    ".tsv",
    ".sql",
    ".log",
    ".html",
    ".htm",
}


@dataclass(frozen=True)
class Finding:
    where: str  # schema.table row N, or file[:sheet] line/cell
    kind: str  # name, phone, email, address, id (known identities) or phone_shape, email_shape
    match: str


@dataclass
class ScanReport:
    findings: list[Finding] = field(default_factory=list)
    relations: int = 0
    rows: int = 0
    files: int = 0
    skipped: list[str] = field(default_factory=list)

    def kinds(self) -> set[str]:
        return {f.kind for f in self.findings}


def _trie_regex(words: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for thousands of literals: a character trie, so a text is read once, not once per word."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    if not trie:
        return None

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return re.compile(build(trie))


class PiiScanner:
    """Scans text for known identities (by kind) and for phone- and e-mail-shaped strings."""

    def __init__(self, identities: dict[str, Iterable[str]] | None = None, shapes: bool = True):
        self._kind_of: dict[str, str] = {}
        for kind, values in (identities or {}).items():
            for value in values:
                if value and len(value.strip()) >= 6:  # shorter strings are not identities, only noise
                    self._kind_of.setdefault(value.strip().casefold(), kind)
        self._known = _trie_regex(self._kind_of)
        self._shapes = [("phone_shape", PHONE), ("email_shape", EMAIL)] if shapes else []

    def scan_text(self, text: str, where: str) -> list[Finding]:
        found = []
        if self._known is not None:
            folded = text.casefold()
            found += [Finding(where, self._kind_of[m.group()], m.group()) for m in self._known.finditer(folded)]
        for kind, pattern in self._shapes:
            found += [Finding(where, kind, m.group()) for m in pattern.finditer(text)]
        return found

    # --- tables ----------------------------------------------------------
    def scan_relation(self, conn: psycopg.Connection, schema: str, name: str, report: ScanReport) -> None:
        # Binary columns (a trained model's compressed arrays, a quarantined line's undecodable bytes) are not
        # text: they are listed as skipped rather than read as kilobytes of hex.
        columns = conn.execute(
            "select attname, format_type(atttypid, atttypmod) from pg_attribute"
            " where attrelid = %s::regclass and attnum > 0 and not attisdropped order by attnum",
            (f'"{schema}"."{name}"',),
        ).fetchall()
        binary = [c for c, kind in columns if kind == "bytea"]
        report.skipped += [f"{schema}.{name}.{c} (binary)" for c in binary]
        text = [sql.SQL("t.{}").format(sql.Identifier(c)) for c, _ in columns if c not in binary]
        query = sql.SQL("select row({})::text from {}.{} as t").format(
            sql.SQL(", ").join(text), sql.Identifier(schema), sql.Identifier(name)
        )
        report.relations += 1
        with conn.cursor() as cur:
            for n, (row,) in enumerate(cur.execute(query), start=1):
                report.rows += 1
                report.findings += self.scan_text(row, f"{schema}.{name} row {n}")

    def scan_schemas(
        self, conn: psycopg.Connection, schemas: Iterable[str], report: ScanReport | None = None
    ) -> ScanReport:
        """Every table, view and materialized view in `schemas`."""
        report = report or ScanReport()
        relations = conn.execute(
            "select n.nspname, c.relname from pg_class as c join pg_namespace as n on n.oid = c.relnamespace"
            " where n.nspname = any(%s) and c.relkind in ('r', 'v', 'm', 'p') order by 1, 2",
            (list(schemas),),
        ).fetchall()
        for schema, name in relations:
            self.scan_relation(conn, schema, name, report)
        return report

    # --- files -----------------------------------------------------------
    def scan_tree(self, root: Path, report: ScanReport | None = None) -> ScanReport:
        report = report or ScanReport()
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
            self.scan_file(path, report)
        return report

    def scan_file(self, path: Path, report: ScanReport) -> None:
        chunks = _file_text(path)
        if chunks is None:
            report.skipped.append(str(path))
            return
        report.files += 1
        for where, text in chunks:
            report.findings += self.scan_text(text, f"{path}{where}")


def _file_text(path: Path) -> list[tuple[str, str]] | None:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return list(_xlsx_cells(path))
    if suffix == ".pdf":
        try:
            from pypdf import PdfReader
        except ImportError:
            return None
        return [(f" page {n}", page.extract_text() or "") for n, page in enumerate(PdfReader(path).pages, 1)]
    data = path.read_bytes()
    if suffix not in TEXT_SUFFIXES and b"\x00" in data[:4096]:
        return None  # binary (images and the like)
    texts = [data.decode("utf-8", errors="replace")]
    if "\ufffd" in texts[0]:  # exports for Windows users are often cp1251
        texts.append(data.decode("cp1251", errors="replace"))
    if suffix in (".html", ".htm"):
        texts = [html.unescape(t) for t in texts]
    return [(f" line {n}", line) for text in texts for n, line in enumerate(text.splitlines(), 1)]


def _xlsx_cells(path: Path) -> Iterator[tuple[str, str]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        yield f":{sheet.title}!{cell.coordinate}", str(cell.value)
    finally:
        book.close()


def phone_spellings(digits: str) -> set[str]:
    """The ways ten digits after +7 get written (cf. the forms sources.sample.people.format_phone uses)."""
    c, a, b, d = digits[:3], digits[3:6], digits[6:8], digits[8:]
    return {
        digits,
        "7" + digits,
        "8" + digits,
        "+7" + digits,
        f"+7 {c} {a}-{b}-{d}",
        f"+7 ({c}) {a}-{b}-{d}",
        f"8-{c}-{a}-{b}-{d}",
        f"8 ({c}) {a} {b} {d}",
        f"8 ({c}) {a}-{b}-{d}",
        f"{c}{a}{b}{d}",
    }


def sample_identities(appeals) -> dict[str, set[str]]:
    """Who is behind the appeals of a simulated world (sources.sample): what must never leave raw."""
    out: dict[str, set[str]] = {k: set() for k in ("name", "phone", "email", "address", "id")}
    for appeal in appeals:
        p, author = appeal.person, appeal.author
        out["name"] |= {
            p.full_name,
            p.short_name,
            p.profile_name,
            f"{p.first_name} {p.patronymic}",
            author.get("name") or "",
        }
        if p.phone_digits:
            out["phone"] |= phone_spellings(p.phone_digits)
        out["phone"].add(author.get("phone") or "")
        out["email"] |= {p.email or "", author.get("email") or ""}
        out["address"] |= {p.address, appeal.address or ""}
        out["id"] |= {author.get("id") or "", f"esia-{p.esia_digits}"}
    return {k: {v for v in values if v} for k, values in out.items()}

"""The landing folder: which files are waiting there, in a stable order."""

from __future__ import annotations

from pathlib import Path

EVENT_SUFFIXES = (".jsonl", ".ndjson")


def event_files(root: Path) -> list[Path]:
    """appeal-event/1 files under `root`, sorted by path so loads are reproducible."""
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in EVENT_SUFFIXES)


NATIVE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


def _wanted(path: Path) -> bool:
    # Hidden files and Excel's lock files (~$name.xlsx) are not exports.
    return path.is_file() and not path.name.startswith((".", "~$"))


def native_files(folder: Path) -> list[Path]:
    """Source-system exports (XLSX, CSV) under one channel folder, sorted by path."""
    if not folder.exists():
        return []
    return sorted(p for p in folder.rglob("*") if _wanted(p) and p.suffix.lower() in NATIVE_SUFFIXES)


def all_files(paths: list[Path]) -> list[tuple[Path, bool]]:
    """(file, named explicitly?) for files as given and every file inside folders; a missing path is an error."""
    found: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            found.extend((p, False) for p in sorted(path.rglob("*")) if _wanted(p))
        elif path.is_file():
            found.append((path, True))
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return found

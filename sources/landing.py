"""The landing folder: which files are waiting there, in a stable order."""

from __future__ import annotations

from pathlib import Path

EVENT_SUFFIXES = (".jsonl", ".ndjson")


def event_files(root: Path) -> list[Path]:
    """appeal-event/1 files under `root`, sorted by path so loads are reproducible."""
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in EVENT_SUFFIXES)


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, folders as their event files; a path that does not exist is an error."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(event_files(path))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return found

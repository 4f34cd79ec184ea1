"""Reading landing files: hashes and line streams whose memory does not grow with the file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

MAX_LINE_BYTES = 1 << 20  # a line longer than 1 MiB is not an event; its head goes to quarantine
_BOM = b"\xef\xbb\xbf"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class LineReader:
    """Yields (line number, bytes without the line break, cut short?) and counts blank lines."""

    def __init__(self, path: Path, max_line_bytes: int = MAX_LINE_BYTES):
        self.path = path
        self.max_line_bytes = max_line_bytes
        self.blank_lines = 0

    def __iter__(self) -> Iterator[tuple[int, bytes, bool]]:
        with open(self.path, "rb") as fh:
            line_no = 0
            while True:
                raw = fh.readline(self.max_line_bytes + 1)
                if not raw:
                    return
                line_no += 1
                too_long = len(raw) > self.max_line_bytes and not raw.endswith(b"\n")
                if too_long:
                    raw = raw[: self.max_line_bytes]
                    while (rest := fh.readline(self.max_line_bytes)) and not rest.endswith(b"\n"):
                        pass  # skip the remainder of an over-long line without holding it
                if raw.startswith(_BOM):  # on any line: files joined with `cat` keep each one's BOM
                    raw = raw[len(_BOM) :]
                raw = raw.rstrip(b"\r\n")
                if not too_long and not raw.strip():
                    self.blank_lines += 1
                    continue
                yield line_no, raw, too_long

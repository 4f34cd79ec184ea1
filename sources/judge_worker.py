"""The loader's side of a child process that judges event files while the loader stores the previous chunk.

Judging a line is Python (~10 µs); storing it is PostgreSQL's work, which the loader only waits for. In one
process the two take turns (a thread would hold the same GIL), so on two cores the judging runs in a second
interpreter: it sends each chunk of judged records back with the COPY text of the accepted rows already
rendered, and the loader only sorts keys and writes bytes. The pipe holds about one chunk, so the child
judges the next chunk while the loader stores this one, and no further. The child is a plain
`python -m sources.judge_child` (not multiprocessing: a fork would share the loader's database socket,
a spawn would re-run the caller's main module), started once per loading process, one file at a time.
"""

from __future__ import annotations

import atexit
import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

_HEADER = struct.Struct("<Q")


def send(stream: BinaryIO, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: BinaryIO) -> object:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError("the other side closed the pipe")
    size = _HEADER.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the other side closed the pipe mid-message")
    return pickle.loads(data)


def _records(columns: tuple) -> list:
    """The chunk again as Records in file order. An accepted record's `values` holds only its key (source,
    event_id); its row is `copy_line`, from which the loader reads the payload back if it must compare it."""
    from sources.records import Record

    size, bad, line_nos, sources, event_ids, lines = columns
    accepted = iter(zip(line_nos, sources, event_ids, lines))
    rejected = dict(bad)
    out = []
    for i in range(size):
        rec = rejected.get(i)
        if rec is None:
            line_no, source, event_id, line = next(accepted)
            rec = Record(line_no, None, (source, event_id, None), None, None, f"{source}/{event_id}", None, None, line)
        out.append(rec)
    return out


class JudgeWorker:
    """One child process judging files on request; `judged(path)` yields its chunks in order."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "sources.judge_child"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._pending = False  # a file whose load was abandoned still has chunks in the pipe
        self.blank_lines = 0

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def judged(self, path: Path, size: int, **options) -> Iterator[list]:
        if self._pending:
            self._drain()
        send(self._process.stdin, (str(path), options, size))
        self._pending = True
        while True:
            kind, body = self._receive()
            if kind == "chunk":
                yield _records(body)
                continue
            self._pending = False
            if kind == "error":
                raise body
            self.blank_lines = body
            return

    def _drain(self) -> None:
        while self._receive()[0] == "chunk":
            pass
        self._pending = False

    def _receive(self):
        try:
            return receive(self._process.stdout)
        except EOFError:
            raise RuntimeError(f"the judging process ended (exit code {self._process.wait()})") from None

    def close(self) -> None:
        if self.alive:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()


_worker: JudgeWorker | None = None


def worker() -> JudgeWorker:
    """This process's judge worker, started on first use and stopped at exit."""
    global _worker
    if _worker is None or not _worker.alive:
        _worker = JudgeWorker()
        atexit.register(_worker.close)
    return _worker

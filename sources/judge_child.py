"""The child side of sources/judge_worker.py: `python -m sources.judge_child` judges the files the loader names
and sends back each chunk of records, the accepted ones with their COPY text rendered."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import BinaryIO

from sources.events import EventJudge
from sources.files import LineReader
from sources.judge_worker import receive, send
from sources.prefetch import chunks


def serve(requests: BinaryIO, results: BinaryIO) -> None:
    """The child's loop: one request (path, judge options, chunk size) at a time, until the pipe closes."""
    while True:
        try:
            path, options, size = receive(requests)
        except EOFError:
            return
        try:
            reader = LineReader(Path(path))
            judge = EventJudge(path, render_copy=True, **options)
            for chunk in chunks(judge.records(reader), size):
                send(results, ("chunk", _columns(chunk)))
            send(results, ("done", reader.blank_lines))
        except Exception as exc:  # noqa: BLE001 - handed to the loader, which raises it
            try:
                pickle.dumps(exc)
            except Exception:  # noqa: BLE001
                exc = RuntimeError(repr(exc))
            send(results, ("error", exc))


def _columns(chunk: list) -> tuple:
    """A chunk as plain lists (pickling named tuples costs more than judging them): the rejected records
    whole with their position, the accepted ones as columns with their COPY text."""
    bad = [(i, rec) for i, rec in enumerate(chunk) if rec.values is None]
    ok = [rec for rec in chunk if rec.values is not None]
    return (
        len(chunk),
        bad,
        [r.line_no for r in ok],
        [r.values[0] for r in ok],
        [r.values[1] for r in ok],
        [r.copy_line for r in ok],
    )


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)

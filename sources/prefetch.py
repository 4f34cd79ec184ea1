"""Records in chunks: the loader judges, looks up and copies a few thousand rows at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """`items` in lists of at most `size`."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class Chunked:
    """Records that arrive already in chunks (from the judging process): the loader takes them as they are."""

    def __init__(self, chunk_lists: Iterable[list]):
        self.chunk_lists = chunk_lists

    def __iter__(self) -> Iterator[list]:
        return iter(self.chunk_lists)

"""Reading one window of requests.json page by page, and knowing whether the read was whole.

Paging (`page`, `page_size`) is not in GeoReport v2 itself but most servers accept it; a short or empty
page ends the window. A server may cap page_size below what was asked (Austin's: 500): a short first
page of a round size (50, 100, ...) is followed by one more page, and if that one brings more, the
server's size is what a full page is from then on. Pages served while the data shifts repeat or skip
objects, and a faulty server may answer a page with another one; a read in which an object shows up on
two pages, or a page comes twice, is read again. Two reads that agree are the data (a server that repeats
its last page, or a feed that really lists an object twice). A server that ignores `page` answers page 2
with page 1: the window is cut in halves until each half fits in one page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sources.open311.client import Open311Client, Open311Error
from sources.open311.jsontext import BodyError, dumps
from sources.open311.parse import request_list
from sources.open311.windows import halves, w3

MIN_SPLIT = timedelta(minutes=1)


@dataclass(frozen=True)
class Page:
    number: int
    url: str
    items: list[Any]
    texts: list[str]


@dataclass
class Pass:
    pages: list[Page] = field(default_factory=list)
    repeated_at: int | None = None  # a page that came back equal to the one before it
    stable: bool = False  # read twice with the same answer: whatever it looks like, it is the data

    @property
    def clean(self) -> bool:
        return self.stable or (self.repeated_at is None and not self.overlaps)

    @property
    def overlaps(self) -> bool:
        seen: set[str] = set()
        for page in self.pages:
            texts = set(page.texts)
            if texts & seen:
                return True
            seen |= texts
        return False

    @property
    def signature(self) -> tuple:
        return self.repeated_at, tuple(tuple(p.texts) for p in self.pages)


@dataclass
class WindowRead:
    """The distinct objects of a window with where each was read: (object, page URL, page, position)."""

    start: datetime
    end: datetime
    objects: list[tuple[Any, str, int, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    pages: int = 0
    complete: bool = True
    note: str = ""

    def add(self, page: Page) -> None:
        known = set(self.texts)
        self.pages += 1
        for position, (item, text) in enumerate(zip(page.items, page.texts), start=1):
            if text not in known:  # the same object read again (another pass, a repeated page) counts once
                known.add(text)
                self.objects.append((item, page.url, page.number, position))
                self.texts.append(text)

    def merge(self, other: WindowRead) -> None:
        known = set(self.texts)
        for obj, text in zip(other.objects, other.texts):
            if text not in known:
                known.add(text)
                self.objects.append(obj)
                self.texts.append(text)
        self.pages += other.pages
        self.complete = self.complete and other.complete
        self.note = "; ".join(n for n in (self.note, other.note) if n)


class WindowReader:
    def __init__(self, client: Open311Client, page_size: int, *, rereads: int = 2, max_pages: int = 10_000):
        self.client, self.page_size, self.rereads, self.max_pages = client, page_size, rereads, max_pages
        self.full = page_size  # a full page: what we ask for, or the server's own limit once seen

    def read(self, start: datetime, end: datetime) -> WindowRead:
        passes: list[Pass] = []
        for _ in range(self.rereads + 1):
            current = self._pass(start, end)
            if not current.clean and passes and current.signature == passes[-1].signature:
                if current.repeated_at == 2:  # page 2 is page 1 again, twice: the server ignores `page`
                    return self._split(start, end)
                current.stable = True
            passes.append(current)
            if current.clean:  # every object seen on the way is kept, the clean read first
                return self._result(start, end, [current, *passes[:-1]])
        result = self._result(start, end, passes)
        result.complete = False
        result.note = f"the pages of {w3(start)}..{w3(end)} changed on each of {len(passes)} reads"
        return result

    def _pass(self, start: datetime, end: datetime) -> Pass:
        result = Pass()
        probe = 0  # a round short first page may be the server's own page limit: the next page tells
        for number in range(1, self.max_pages + 1):
            params = {"start_date": w3(start), "end_date": w3(end), "page": number, "page_size": self.page_size}
            document, url = self.client.get_json("requests.json", params)
            try:
                items = request_list(document)
            except BodyError as exc:
                raise Open311Error(f"{url}: {exc}") from None
            page = Page(number, url, items, [dumps(item) for item in items])
            if result.pages and page.texts and page.texts == result.pages[-1].texts:
                result.repeated_at = number
                return result
            result.pages.append(page)
            size = len(items)
            if probe and size:
                self.full, probe = probe, 0  # more came after the "short" page: it was a full one
            elif probe:
                return result
            if size >= self.full:
                continue
            if number == 1 and size and size % 10 == 0 and self.full == self.page_size:
                probe = size
                continue
            return result
        raise Open311Error(f"{w3(start)}..{w3(end)}: more than {self.max_pages} pages; use smaller windows")

    def _split(self, start: datetime, end: datetime) -> WindowRead:
        if end - start < 2 * MIN_SPLIT:
            raise Open311Error(
                f"{w3(start)}..{w3(end)}: the server ignores `page` and one page does not hold"
                " the window's requests even for a minute"
            )
        result = WindowRead(start, end)
        for left, right in halves((start, end)):
            result.merge(self.read(left, right))
        return result

    @staticmethod
    def _result(start: datetime, end: datetime, passes: list[Pass]) -> WindowRead:
        result = WindowRead(start, end)
        for current in passes:
            for page in current.pages:
                result.add(page)
        return result

"""Faults the local Open311 server can inject, each a given number of times, in the order they are added."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass
class Fault:
    kind: str  # status, slow, truncate, repeat_page, skip_page, empty_page
    times: int = 1
    resource: str | None = "requests.json"  # None: any resource
    page: int | None = None  # page faults: which page number
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0

    def matches(self, resource: str, page: int) -> bool:
        if self.times <= 0 or (self.resource and self.resource != resource):
            return False
        return self.page is None or self.page == page


class Faults:
    """A thread-safe list of faults; `take` hands out the first that matches a request and counts it down."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.die_after: int | None = None  # stop serving after this many requests

    def add(self, kind: str, **options) -> Faults:
        with self._lock:
            self._faults.append(Fault(kind, **options))
        return self

    def status(
        self, code: int, times: int = 1, retry_after: str | None = None, resource: str | None = "requests.json"
    ) -> Faults:
        return self.add("status", status=code, times=times, retry_after=retry_after, resource=resource)

    def slow(self, seconds: float, times: int = 1) -> Faults:
        return self.add("slow", seconds=seconds, times=times)

    def truncate(self, times: int = 1) -> Faults:
        return self.add("truncate", times=times)

    def repeat_page(self, page: int, times: int = 1) -> Faults:
        """Answer page `page` with the page before it."""
        return self.add("repeat_page", page=page, times=times)

    def skip_page(self, page: int, times: int = 1) -> Faults:
        """Answer page `page` with the page after it: its own objects are never sent."""
        return self.add("skip_page", page=page, times=times)

    def empty_page(self, page: int, times: int = 1) -> Faults:
        """Answer page `page` with an empty list, as if the data ended there."""
        return self.add("empty_page", page=page, times=times)

    def take(self, resource: str, page: int) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(resource, page):
                    fault.times -= 1
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.die_after = None

    @classmethod
    def from_spec(cls, spec: list[dict]) -> Faults:
        """Faults from JSON, e.g. [{"kind": "status", "status": 429, "retry_after": "2", "times": 3}]."""
        faults = cls()
        for item in spec:
            item = dict(item)
            if item.get("kind") == "die_after":
                faults.die_after = int(item["requests"])
                continue
            faults.add(item.pop("kind"), **item)
        return faults

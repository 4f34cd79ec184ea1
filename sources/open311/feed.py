"""The Open311 server's data: requests kept as their exact JSON text, selected by window, status and id."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from sources.open311.jsontext import Pairs, dumps, loads
from sources.open311.parse import first_usable


class Feed:
    """The server's requests and services; each request kept as its exact JSON text."""

    def __init__(
        self,
        requests: list[Any],
        services: list[Any] | None = None,
        tz: str = "Europe/Moscow",
        source: str | None = None,
    ):
        self.tz, self.source = tz, source
        self._lock = threading.Lock()
        self._entries: list[tuple[datetime | None, str | None, str, Any]] = []
        for obj in requests:
            self.put(obj)
        self.services = services if services is not None else self._services_from_requests()

    @classmethod
    def from_file(cls, path: Path, tz: str = "Europe/Moscow") -> Feed:
        document = loads(Path(path).read_bytes())
        if isinstance(document, list):
            return cls(document, tz=tz)
        return cls(document.get("requests", []), document.get("services"), tz=tz, source=document.get("source"))

    def _entry(self, obj: Any) -> tuple[datetime | None, str | None, str, Any]:
        if not isinstance(obj, Pairs):
            return None, None, dumps(obj), obj
        # Broken dates still have to land in some window: the updated time stands in, else every window.
        stamp = (
            first_usable(obj, "requested_datetime", "datetime", self.tz)[0]
            or first_usable(obj, "updated_datetime", "datetime", self.tz)[0]
        )
        ident = first_usable(obj, "service_request_id", "text", self.tz)[0]
        return (datetime.fromisoformat(stamp) if stamp else None), ident, dumps(obj), obj

    def put(self, obj: Any) -> None:
        """Add a request, or replace the one with the same service_request_id and requested time (an update)."""
        if isinstance(obj, dict) and not isinstance(obj, Pairs):
            obj = Pairs(list(obj.items()))
        entry = self._entry(obj)
        with self._lock:
            for i, old in enumerate(self._entries):
                if entry[1] is not None and old[1] == entry[1] and old[0] == entry[0]:
                    self._entries[i] = entry
                    return
            self._entries.append(entry)

    def append(self, obj: Any) -> None:
        """Add an object even if the feed has it already: feeds do list a request twice."""
        entry = self._entry(obj)
        with self._lock:
            self._entries.append(entry)

    def texts(self) -> list[str]:
        with self._lock:
            return [e[2] for e in self._entries]

    def select(
        self, start: datetime | None, end: datetime | None, statuses: set[str] | None, ids: set[str] | None
    ) -> list[str]:
        with self._lock:
            entries = list(self._entries)
        chosen = []
        for stamp, ident, text, obj in entries:
            if stamp is not None and ((start and stamp < start) or (end and stamp > end)):
                continue
            if ids is not None and ident not in ids:
                continue
            if statuses is not None and str(obj.get("status", "") if isinstance(obj, dict) else "") not in statuses:
                continue
            chosen.append((stamp is None, stamp or datetime.min, ident or "", text))
        return [c[3] for c in sorted(chosen, key=lambda c: c[:3])]

    def earliest(self) -> datetime | None:
        stamps = [e[0] for e in self._entries if e[0] is not None]
        return min(stamps) if stamps else None

    def _services_from_requests(self) -> list[dict]:
        seen: dict[str, dict] = {}
        for _, _, _, obj in self._entries:
            if isinstance(obj, dict) and obj.get("service_code") and obj["service_code"] not in seen:
                seen[obj["service_code"]] = {
                    "service_code": obj["service_code"],
                    "service_name": obj.get("service_name"),
                    "metadata": False,
                    "type": "realtime",
                }
        return list(seen.values())

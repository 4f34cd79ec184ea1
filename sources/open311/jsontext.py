"""JSON as real Open311 feeds write it: objects may repeat a key, and the text must survive the trip.

`json.loads` silently keeps the last of repeated keys; here every object remembers all its pairs, so
the connector can choose the first usable value and say which keys were repeated, and the local
server can send such objects back byte for byte as they were written.
"""

from __future__ import annotations

import json
from typing import Any


class BodyError(ValueError):
    """A response body that is not the JSON it should be (cut short, HTML error page, wrong shape)."""


class Pairs(dict):
    """A JSON object: the dict holds the first value of each key, `pairs` all of them in order."""

    def __init__(self, pairs: list[tuple[str, Any]]):
        super().__init__()
        self.pairs = pairs
        for key, value in pairs:
            self.setdefault(key, value)

    def values_of(self, key: str) -> list[Any]:
        """Every value the object gave `key`, in order (one for most keys, none if absent)."""
        return [value for name, value in self.pairs if name == key]

    @property
    def repeated_keys(self) -> list[str]:
        seen: dict[str, int] = {}
        for name, _ in self.pairs:
            seen[name] = seen.get(name, 0) + 1
        return [name for name, count in seen.items() if count > 1]


def loads(data: bytes | str) -> Any:
    """Parse JSON keeping repeated keys; anything that is not complete UTF-8 JSON is a BodyError."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BodyError(f"not UTF-8 at byte {exc.start}") from None
    try:
        return json.loads(data, object_pairs_hook=Pairs)
    except json.JSONDecodeError as exc:
        head = data[:60].replace("\n", " ")
        raise BodyError(f"not complete JSON ({exc.msg} at char {exc.pos} of {len(data)}): {head!r}") from None


def dumps(value: Any) -> str:
    """JSON text of a value; `Pairs` objects are written with all their pairs, repeats included."""
    if isinstance(value, Pairs):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {dumps(v)}" for k, v in value.pairs) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dumps(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)

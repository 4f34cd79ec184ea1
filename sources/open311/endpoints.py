"""Which Open311 endpoints to poll and how: TSUR_OPEN311_ENDPOINTS, a JSON list of objects.

    [{"source": "open311-naryan-mar", "base_url": "https://example.org/open311/v2",
      "jurisdiction_id": "naryan-mar", "api_key_env": "NM_OPEN311_KEY"}]

Optional per endpoint: "since" (first poll starts there, ISO 8601), "timezone" (for dates without an
offset), "window_days", "lookback_days", "page_size", "max_rps", "retries", "timeout" (read, seconds).
The api key itself is never in this list: only the name of the environment variable that holds it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields
from datetime import datetime
from urllib.parse import urlsplit

from sources.open311.client import ClientSettings, redact


@dataclass(frozen=True)
class Endpoint:
    source: str
    base_url: str
    jurisdiction_id: str | None = None
    api_key_env: str | None = None
    since: datetime | None = None
    timezone: str = "Europe/Moscow"
    window_days: float = 7.0
    lookback_days: float = 30.0
    page_size: int = 100
    max_rps: float = 2.0
    retries: int = 5
    timeout: float = 60.0  # read timeout, seconds
    cursor_name: str | None = None  # keeps the cursor when the URL is not stable (the local sample server)

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{self.source}: base_url must be an http(s) URL, got {redact(self.base_url)!r}")
        if "api_key=" in self.base_url:
            raise ValueError(
                f"{self.source}: put the api key in an environment variable (api_key_env), not in base_url"
            )
        if not self.source:
            raise ValueError("every endpoint needs a source code")
        if self.since is not None and self.since.tzinfo is None:
            raise ValueError(f"{self.source}: since needs a time zone offset")
        if (
            self.window_days <= 0
            or self.lookback_days < 0
            or self.page_size < 1
            or self.max_rps <= 0
            or self.retries < 0
            or self.timeout <= 0
        ):
            raise ValueError(f"{self.source}: window_days, page_size, max_rps and timeout must be positive")

    def client_settings(self) -> ClientSettings:
        return ClientSettings(max_rps=self.max_rps, retries=self.retries, read_timeout=self.timeout)

    @property
    def identity(self) -> str:
        """What the cursor is kept under: the URL (no key) and the jurisdiction, unless named otherwise."""
        if self.cursor_name:
            return self.cursor_name
        base = self.base_url.rstrip("/")
        return base + (f"#jurisdiction_id={self.jurisdiction_id}" if self.jurisdiction_id else "")

    def api_key(self) -> str | None:
        if not self.api_key_env:
            return None
        value = os.environ.get(self.api_key_env)
        if not value:
            raise ValueError(f"{self.source}: the environment variable {self.api_key_env} (api key) is not set")
        return value


def parse_since(text: str, tz: str = "Europe/Moscow") -> datetime:
    """A date (YYYY-MM-DD, local midnight of `tz`) or a date-time with offset."""
    from sources.dates import DateError, parse_rfc3339

    value = text.strip()
    try:
        return parse_rfc3339(value if "T" in value or " " in value else value + "T00:00:00", tz).value
    except DateError as exc:
        raise ValueError(f"since: {exc}") from None


def endpoints_from_json(text: str | None, default_tz: str = "Europe/Moscow") -> list[Endpoint]:
    """Endpoints from the JSON of TSUR_OPEN311_ENDPOINTS; an empty or unset value gives none."""
    if not text or not text.strip():
        return []
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"TSUR_OPEN311_ENDPOINTS is not JSON: {exc.msg}") from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValueError("TSUR_OPEN311_ENDPOINTS must be a JSON list of objects")
    known = {f.name for f in fields(Endpoint)}
    out = []
    for item in items:
        unknown = set(item) - known
        if unknown:
            raise ValueError(
                f"TSUR_OPEN311_ENDPOINTS: unknown keys {sorted(unknown)} "
                "(the api key goes in an environment variable named by api_key_env)"
            )
        values = {"timezone": default_tz, **item}
        if values.get("since"):
            values["since"] = parse_since(values["since"], values["timezone"])
        out.append(Endpoint(**values))
    sources = [e.source for e in out]
    if len(set(sources)) != len(sources):
        raise ValueError("TSUR_OPEN311_ENDPOINTS: each source code may appear once")
    return out


def endpoints_from_env(default_tz: str = "Europe/Moscow") -> list[Endpoint]:
    return endpoints_from_json(os.environ.get("TSUR_OPEN311_ENDPOINTS"), default_tz)

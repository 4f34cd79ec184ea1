"""HTTP to one GeoReport v2 endpoint: retries with backoff, Retry-After, timeouts, a bounded request rate.

Retries of a request whose headers did not come (connection refused, timeouts, 429, 5xx) are urllib3's
`Retry`; a body that comes cut short or is not JSON is fetched again here, a bounded number of times.
The api key travels as the `api_key` parameter and is redacted from every URL this module shows,
from urllib3's debug log and from error messages.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from sources.open311.jsontext import BodyError, loads

log = logging.getLogger(__name__)
RETRY_STATUSES = (429, 500, 502, 503, 504)
_KEY_IN_TEXT = re.compile(r"(api_key=)[^&\s'\"]+")


def redact(text: str) -> str:
    """Text with every `api_key=...` value replaced."""
    return _KEY_IN_TEXT.sub(r"\1***", text)


class _RedactKey(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "api_key=" in message:
            record.msg, record.args = redact(message), None
        return True


_FILTER = _RedactKey()
for _name in ("urllib3.connectionpool", "urllib3.util.retry", "urllib3.connection", "urllib3.response"):
    logging.getLogger(_name).addFilter(_FILTER)  # these loggers print request URLs at DEBUG


class Open311Error(RuntimeError):
    """The endpoint could not give an answer (after retries), or answered with an error; for people."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status  # the HTTP status of an error answer; None when no usable answer came


@dataclass(frozen=True)
class ClientSettings:
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retries: int = 5  # per request: connection errors, timeouts, 429 and 5xx
    backoff: float = 1.0  # seconds; doubles with each consecutive failure
    backoff_max: float = 120.0
    retry_after_max: int = 600  # a Retry-After longer than this is cut to it
    body_retries: int = 3  # cut-short or non-JSON bodies fetched again this many times
    max_rps: float = 2.0  # requests per second at most, retries included


class _PacedRetry(Retry):
    """urllib3's Retry whose pauses are never shorter than the rate limit's interval."""

    def __init__(self, *args: Any, min_interval: float = 0.0, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.min_interval = min_interval

    def new(self, **kwargs: Any) -> _PacedRetry:
        kwargs.setdefault("min_interval", self.min_interval)
        return super().new(**kwargs)

    def get_backoff_time(self) -> float:
        return max(super().get_backoff_time(), self.min_interval)


class Open311Client:
    """GET services.json and requests.json of one endpoint; decoded bodies with their (redacted) URLs."""

    def __init__(
        self,
        base_url: str,
        *,
        jurisdiction_id: str | None = None,
        api_key: str | None = None,
        settings: ClientSettings | None = None,
        user_agent: str = "tsur-open311/1",
    ):
        self.base_url = base_url.rstrip("/")
        self.jurisdiction_id, self._api_key = jurisdiction_id, api_key
        self.settings = s = settings or ClientSettings()
        self.min_interval = 1.0 / s.max_rps if s.max_rps > 0 else 0.0
        retry = _PacedRetry(
            total=s.retries,
            connect=s.retries,
            read=s.retries,
            status=s.retries,
            other=0,
            allowed_methods=frozenset({"GET"}),
            status_forcelist=RETRY_STATUSES,
            backoff_factor=s.backoff,
            backoff_max=s.backoff_max,
            raise_on_status=False,
            respect_retry_after_header=True,
            retry_after_max=s.retry_after_max,
            min_interval=self.min_interval,
        )
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._lock = threading.Lock()
        self._last = 0.0
        self.http_requests = 0  # GETs started here (urllib3's own retries not counted)

    def __enter__(self) -> Open311Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    def url(self, resource: str, params: dict[str, Any] | None = None) -> str:
        """The URL as shown and stored: parameters in a stable order, never the api key."""
        query = {k: v for k, v in self._params(params).items() if k != "api_key"}
        return f"{self.base_url}/{resource}" + (f"?{urlencode(query)}" if query else "")

    def _params(self, params: dict[str, Any] | None) -> dict[str, Any]:
        out = {k: v for k, v in (params or {}).items() if v is not None}
        if self.jurisdiction_id:
            out["jurisdiction_id"] = self.jurisdiction_id
        if self._api_key:
            out["api_key"] = self._api_key
        return out

    def _throttle(self) -> None:
        with self._lock:
            wait = self._last + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()

    def get_json(self, resource: str, params: dict[str, Any] | None = None) -> tuple[Any, str]:
        """(decoded JSON, shown URL); Open311Error when no good answer comes after the retries."""
        shown = self.url(resource, params)
        s = self.settings
        problem = ""
        for attempt in range(s.body_retries + 1):
            if attempt:
                time.sleep(min(s.backoff_max, max(self.min_interval, s.backoff * 2 ** (attempt - 1))))
            self._throttle()
            self.http_requests += 1
            try:
                response = self.session.get(
                    f"{self.base_url}/{resource}",
                    params=self._params(params),
                    timeout=(s.connect_timeout, s.read_timeout),
                )
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
                problem = f"the body was cut short ({type(exc).__name__})"
                log.warning("%s: %s, fetching again", shown, problem)
                continue
            except requests.exceptions.ConnectionError as exc:
                if not (exc.args and isinstance(exc.args[0], ReadTimeoutError)):
                    raise Open311Error(
                        f"{shown}: unreachable after {s.retries} retries: {redact(_cause(exc))}"
                    ) from None
                problem = "the body stalled beyond the read timeout"  # headers came, urllib3 does not retry
                log.warning("%s: %s, fetching again", shown, problem)
                continue
            except requests.exceptions.RequestException as exc:
                raise Open311Error(f"{shown}: unreachable after {s.retries} retries: {redact(_cause(exc))}") from None
            if response.status_code >= 400:
                after = f" after {s.retries} retries" if response.status_code in RETRY_STATUSES else ""
                raise Open311Error(
                    f"{shown}: HTTP {response.status_code}{after}{_error_description(response)}",
                    status=response.status_code,
                )
            try:
                return loads(response.content), shown
            except BodyError as exc:
                problem = str(exc)
                log.warning("%s: %s, fetching again", shown, problem)
        raise Open311Error(f"{shown}: no complete JSON body in {s.body_retries + 1} attempts: {problem}")


def _cause(exc: BaseException) -> str:
    """The innermost useful message of a requests/urllib3 exception chain."""
    text = str(exc)
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return f"{type(reason).__name__}: {reason}" if reason is not None else text


def _error_description(response: requests.Response) -> str:
    """GeoReport errors are `[{"code": ..., "description": ...}]`; show the description if there is one."""
    try:
        body = loads(response.content)
    except BodyError:
        return ""
    first = body[0] if isinstance(body, list) and body else body
    if isinstance(first, dict) and first.get("description"):
        return f": {redact(str(first['description']))[:300]}"
    return ""

"""A local Open311 GeoReport v2 server on loopback: real HTTP, the sample feed or test data, injected faults.

    python -m sources.open311.server --data data/landing/portal/open311.json --port 8311

Serves `services.json`, `requests.json` (start_date/end_date on requested_datetime, status,
service_request_id, page/page_size) and `requests/<id>.json` under any path prefix; checks
jurisdiction_id and api_key when configured. Request objects (feed.py) are sent exactly as written in the data,
repeated keys included. Faults (faults.py) are injected per request; `faults.die_after` stops the
server after that many requests, as a server that dies mid-poll.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sources.dates import DateError, parse_rfc3339
from sources.open311.faults import Faults
from sources.open311.feed import Feed
from sources.open311.jsontext import dumps


class Open311Server:
    """The server in a background thread; `url` is its GeoReport base URL."""

    def __init__(
        self,
        feed: Feed,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        jurisdiction_id: str | None = None,
        api_key: str | None = None,
        default_page_size: int | None = None,
        max_page_size: int = 1000,
        honour_paging: bool = True,
        faults: Faults | None = None,
        verbose: bool = False,
    ):
        self.feed, self.host, self.port = feed, host, port
        self.jurisdiction_id, self.api_key = jurisdiction_id, api_key
        self.default_page_size, self.max_page_size, self.honour_paging = default_page_size, max_page_size, honour_paging
        self.faults = faults or Faults()
        self.verbose = verbose
        self.log: list[dict] = []  # every request: time, resource, parameters without the key, status
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self.dead = False

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/open311/v2"

    def start(self) -> Open311Server:
        self._httpd = ThreadingHTTPServer((self.host, self.port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.app = self  # type: ignore[attr-defined]
        self.port = self._httpd.server_address[1]
        self.dead = False
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self.dead = True
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()

    def __enter__(self) -> Open311Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def record(self, entry: dict) -> int:
        with self._lock:
            self.log.append(entry)
            return len(self.log)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; no 40 ms delayed-ACK stall

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        app: Open311Server = self.server.app  # type: ignore[attr-defined]
        if app.verbose:
            from sources.open311.client import redact

            super().log_message("%s", redact(format % args))

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        app: Open311Server = self.server.app  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        resource = parts.path.rstrip("/").rsplit("/", 2)
        name = resource[-1] if resource[-2:-1] != ["requests"] else "request"
        shown = {k: v for k, v in params.items() if k != "api_key"}
        count = app.record({"t": time.monotonic(), "resource": name, "params": shown})
        if app.dead or (app.faults.die_after is not None and count > app.faults.die_after):
            self.close_connection = True  # no answer at all, and nothing listens any more
            if not app.dead:
                app.dead = True
                threading.Thread(target=app.stop, daemon=True).start()
            return
        try:
            self._answer(app, name, params, resource[-1])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout) before the answer was written

    def _answer(self, app: Open311Server, name: str, params: dict[str, str], last: str) -> None:
        if app.jurisdiction_id and params.get("jurisdiction_id") != app.jurisdiction_id:
            return self._send(404, [{"code": 404, "description": "jurisdiction_id not found"}])
        if app.api_key and params.get("api_key") != app.api_key:
            return self._send(403, [{"code": 403, "description": "invalid api_key"}])
        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            return self._send(400, [{"code": 400, "description": "page must be a whole number"}])
        fault = app.faults.take(name, page)
        if fault and fault.kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return self._send(fault.status, [{"code": fault.status, "description": "injected fault"}], headers)
        if fault and fault.kind == "slow":
            time.sleep(fault.seconds)
        if name == "services.json":
            body = dumps(app.feed.services)
        elif name == "requests.json":
            shift = {"repeat_page": -1, "skip_page": 1}.get(fault.kind, 0) if fault else 0
            texts = [] if fault and fault.kind == "empty_page" else self._requests(app, params, page + shift)
            if texts is None:
                return None
            body = "[" + ",\n".join(texts) + "]"
        elif name == "request":
            body = "[" + ",".join(app.feed.select(None, None, None, {last.removesuffix(".json")})) + "]"
        else:
            return self._send(404, [{"code": 404, "description": f"no such resource: {name}"}])
        data = body.encode("utf-8")
        if fault and fault.kind == "truncate":
            self._head(200, len(data))
            self.wfile.write(data[: len(data) // 2])
            self.close_connection = True
            return None
        self._head(200, len(data))
        self.wfile.write(data)
        return None

    def _requests(self, app: Open311Server, params: dict[str, str], page: int) -> list[str] | None:
        try:
            start = parse_rfc3339(params["start_date"], app.feed.tz).value if "start_date" in params else None
            end = parse_rfc3339(params["end_date"], app.feed.tz).value if "end_date" in params else None
        except DateError as exc:
            self._send(400, [{"code": 400, "description": str(exc)}])
            return None
        statuses = set(params["status"].split(",")) if params.get("status") else None
        ids = set(params["service_request_id"].split(",")) if params.get("service_request_id") else None
        texts = app.feed.select(start, end, statuses, ids)
        size = app.default_page_size
        if app.honour_paging:
            if params.get("page_size", "").isdigit():
                size = min(int(params["page_size"]), app.max_page_size)
            if size:
                return texts[(page - 1) * size : page * size] if page >= 1 else []
        return texts[:size] if size else texts

    def _head(self, status: int, length: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(length))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = dumps(body).encode("utf-8")
        self._head(status, len(data), headers)
        self.wfile.write(data)


def main(argv: list[str] | None = None) -> None:
    import json

    p = argparse.ArgumentParser(prog="python -m sources.open311.server", description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="JSON: a list of requests, or {services, requests}")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8311)
    p.add_argument("--jurisdiction-id")
    p.add_argument("--api-key-env", help="require the api key held in this environment variable")
    p.add_argument("--page-size", type=int, help="default page size (none: everything in one page)")
    p.add_argument("--faults", help='JSON list, e.g. [{"kind": "status", "status": 503, "times": 2}]')
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    server = Open311Server(
        Feed.from_file(Path(args.data)),
        host=args.host,
        port=args.port,
        jurisdiction_id=args.jurisdiction_id,
        api_key=os.environ[args.api_key_env] if args.api_key_env else None,
        default_page_size=args.page_size,
        faults=Faults.from_spec(json.loads(args.faults)) if args.faults else None,
        verbose=args.verbose,
    ).start()
    print(f"Open311 GeoReport v2 on {server.url} ({len(server.feed.texts())} requests); Ctrl-C to stop", flush=True)
    try:
        while not server.dead:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()

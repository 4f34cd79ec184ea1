"""Open311 polling for the command line and Dagster: which endpoints, and one poll with printed lines."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from lib.config import Settings
from lib.warehouse import Warehouse
from sources.open311.client import ClientSettings
from sources.open311.endpoints import Endpoint, endpoints_from_env, parse_since
from sources.open311.local import sample_endpoint, sample_feed_path
from sources.open311.poll import PollError, PollReport, poll_endpoint


@contextmanager
def configured_endpoints(settings: Settings) -> Iterator[list[Endpoint]]:
    """TSUR_OPEN311_ENDPOINTS; when unset, the sample feed of the landing folder behind a local server."""
    configured = endpoints_from_env(settings.source_timezone)
    if configured:
        yield configured
        return
    path = sample_feed_path(settings.landing_dir)
    if not path.exists():
        yield []
        return
    with ExitStack() as stack:
        yield [stack.enter_context(sample_endpoint(path, settings.source_timezone))]


def poll_once(
    wh: Warehouse,
    endpoint: Endpoint,
    *,
    since: str | None = None,
    echo: Callable[[str], None] = print,
    client_settings: ClientSettings | None = None,
) -> PollReport:
    """Poll one endpoint on its own connection, echoing each window; PollError keeps what was stored."""
    start = parse_since(since, endpoint.timezone) if since else None
    with wh.connect("loader", autocommit=True) as conn:
        try:
            report = poll_endpoint(
                conn, endpoint, since=start, client_settings=client_settings, on_window=lambda w: echo(w.line())
            )
        except PollError as exc:
            echo(exc.report.line())
            raise
    if report.services is not None:
        echo(f"services.json: {report.services.line()}")
    elif report.services_error:
        echo(f"services.json: not read ({report.services_error})")
    echo(report.line())
    return report


_OPTIONS = (
    "jurisdiction_id",
    "api_key_env",
    "window_days",
    "lookback_days",
    "page_size",
    "max_rps",
    "retries",
    "timeout",
)


def poll_command(wh: Warehouse, args: dict) -> PollReport:
    """`tsur poll-open311`: an endpoint from the command line's options, polled once."""
    options = {k: args[k] for k in _OPTIONS if args.get(k) is not None}
    endpoint = Endpoint(
        source=args["source"], base_url=args["base_url"], timezone=wh.settings.source_timezone, **options
    )
    return poll_once(wh, endpoint, since=args.get("since"))

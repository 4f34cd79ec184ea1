"""The ingest assets and the loaders behind them: tables every loader writes are validated per asset."""

from dataclasses import replace

from expectations.suite import Expect, Suite, sql_list


class Ingest:
    """An ingest asset: its key, the loaders whose batches it writes, the channels it brings."""

    def __init__(self, name: str, loaders: tuple[str, ...], channels: tuple[str, ...] | None):
        self.name, self.loaders, self.channels = name, loaders, channels

    @property
    def asset(self) -> tuple[str, str]:
        return ("raw", self.name)


# Loader names as sources/ writes them into raw.load_batches (events.LOADER, native.CONNECTORS, open311).
INGESTS = (
    Ingest("appeal_events", ("appeal_events",), None),
    Ingest("pos_exports", ("pos_export",), ("pos",)),
    Ingest("incident_exports", ("incident_export",), ("incident",)),
    Ingest("sed_letters", ("sed_letters",), ("letter",)),
    Ingest("open311_requests", ("open311", "open311_services"), ("portal",)),
)
SNAPSHOT_INGESTS = tuple(i for i in INGESTS if i.channels)


def per_asset(template: Suite, where: str, ingests=INGESTS, extra=lambda ingest: ()) -> list[Suite]:
    """One suite per ingest asset over its own rows: `where` names them with {loaders} (a SQL list)."""
    return [
        replace(
            template,
            name=f"{template.name}__{i.name}",
            asset=i.asset,
            where=where.format(loaders=sql_list(i.loaders)),
            expectations=(*template.expectations, *extra(i)),
            description=f"{template.description} Строки актива raw/{i.name}.",
        )
        for i in ingests
    ]


def channel_is(ingest: Ingest) -> tuple[Expect, ...]:
    from expectations.suite import no_rows

    return (
        no_rows(
            "source, appeal_id",
            f"channel not in {sql_list(ingest.channels)}",
            f"канал загрузчика: {', '.join(ingest.channels)}",
        ),
    )

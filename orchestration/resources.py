"""Dagster resources shared by every area: the warehouse connection."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from lib.warehouse import Warehouse


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse database: TSUR_DATABASE_URL or the embedded server, migrated and ready."""

    def get(self) -> Warehouse:
        return Warehouse().start()


@contextmanager
def environment(extra: dict[str, str]) -> Iterator[None]:
    """Set environment variables for a subprocess started inside the block, then restore them."""
    saved = {key: os.environ.get(key) for key in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

"""Settings from the environment; one place for every path and knob."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


def _path_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Where things live and how to reach the warehouse."""

    home: Path
    landing_dir: Path
    export_dir: Path
    database_url: str | None  # None: the embedded server
    future_tolerance_hours: float
    source_timezone: str
    landing_settle_seconds: float = 10.0  # a landing file younger than this may still be being copied

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            home=_path_env("TSUR_HOME", PROJECT_ROOT / ".tsur"),
            landing_dir=_path_env("TSUR_LANDING_DIR", PROJECT_ROOT / "data" / "landing"),
            export_dir=_path_env("TSUR_EXPORT_DIR", PROJECT_ROOT / "exports" / "out"),
            database_url=os.environ.get("TSUR_DATABASE_URL") or None,
            future_tolerance_hours=float(os.environ.get("TSUR_FUTURE_TOLERANCE_HOURS", "24")),
            source_timezone=os.environ.get("TSUR_SOURCE_TZ", "Europe/Moscow"),
            landing_settle_seconds=float(os.environ.get("TSUR_LANDING_SETTLE_SECONDS", "10")),
        )

    @property
    def embedded(self) -> bool:
        return self.database_url is None

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @cached_property
    def pii_key(self) -> bytes:
        """The HMAC key for pseudonyms: TSUR_PII_KEY, else one generated once and kept under home."""
        value = os.environ.get("TSUR_PII_KEY")
        if value:
            return value.encode("utf-8")
        if not self.embedded:
            # A shared server must not get pseudonyms from a key that lives on one laptop.
            raise RuntimeError("TSUR_PII_KEY is not set: it is required when TSUR_DATABASE_URL is set")
        key_file = self.home / "pii.key"
        if not key_file.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        return key_file.read_text().strip().encode("utf-8")

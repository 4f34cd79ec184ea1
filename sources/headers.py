"""Column headers of tabular exports → fields of the warehouse vocabulary, from configuration, not code.

Defaults live in sources/mappings/<name>.yaml; a user file named by TSUR_HEADER_MAPS adds or overrides
headers per source code (`<source code>: {<their header>: <field or null>}`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import yaml

from sources.snapshot import FIELDS, REQUIRED

ENV_USER_MAPS = "TSUR_HEADER_MAPS"
_TRAILING = " \t.,:;*!?"
MAX_HEADER_LENGTH = 120


class HeaderMapError(ValueError):
    """A mapping file that cannot be used; the message names the file and the entry."""


def normalise(header: object) -> str:
    """The form headers are compared in: case, spaces, «ё», trailing punctuation and «Рег.номер» do not matter."""
    return _normalise(str(header))


@lru_cache(maxsize=4096)  # header detection compares the same few cells again and again
def _normalise(text: str) -> str:
    text = str(text).replace("\u00a0", " ").replace("ё", "е").replace("Ё", "Е").casefold()
    text = re.sub(r"\.\s*", ". ", " ".join(text.split()))
    return text.rstrip(_TRAILING)


@dataclass(frozen=True)
class HeaderMap:
    """Normalised header → field; `None` means the header is deliberately not mapped."""

    name: str
    fields: dict[str, str | None]
    labels: dict[str, str]  # normalised header → as written in the mapping, for messages

    def columns(self, headers: Sequence[object]) -> dict[int, str]:
        """Column index → field for one header row; the first column of a field wins."""
        out: dict[int, str] = {}
        taken: set[str] = set()
        for index, header in enumerate(headers):
            if header is None or not isinstance(header, str) or len(header) > MAX_HEADER_LENGTH:
                continue  # data, not a header: dates, numbers, long texts
            field = self.fields.get(normalise(header))
            if field and field not in taken:
                out[index] = field
                taken.add(field)
        return out

    def missing_required(self, headers: Sequence[object]) -> list[str]:
        found = set(self.columns(headers).values())
        return [field for field in REQUIRED if field not in found]

    def headers_for(self, field: str) -> list[str]:
        return [self.labels.get(header, header) for header, f in self.fields.items() if f == field]


def _check(entries: object, where: str) -> dict[str, tuple[str | None, str]]:
    if not isinstance(entries, dict):
        raise HeaderMapError(f"{where}: expected a mapping of header → field, got {type(entries).__name__}")
    out: dict[str, tuple[str | None, str]] = {}
    for header, field in entries.items():
        if field is not None and field not in FIELDS:
            raise HeaderMapError(
                f"{where}: header {header!r} names unknown field {field!r}; known fields: {', '.join(sorted(FIELDS))}"
            )
        out[normalise(header)] = (field, str(header))
    return out


@cache
def _defaults(name: str) -> dict[str, tuple[str | None, str]]:
    text = (resources.files("sources") / "mappings" / f"{name}.yaml").read_text(encoding="utf-8")
    return _check(yaml.safe_load(text) or {}, f"sources/mappings/{name}.yaml")


def _user_maps(path_text: str | None) -> dict[str, dict[str, tuple[str | None, str]]]:
    if not path_text:
        return {}
    path = Path(path_text).expanduser()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise HeaderMapError(f"{ENV_USER_MAPS}={path}: cannot read it ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise HeaderMapError(f"{ENV_USER_MAPS}={path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise HeaderMapError(f"{ENV_USER_MAPS}={path}: expected `<source code>: {{<header>: <field>}}` entries")
    return {str(source): _check(entries, f"{path}, source {source}") for source, entries in data.items()}


def header_map(name: str, source: str, user_maps: str | None = None) -> HeaderMap:
    """The default map `name` with the user's entries for `source` on top (TSUR_HEADER_MAPS if not given)."""
    user = _user_maps(user_maps if user_maps is not None else os.environ.get(ENV_USER_MAPS))
    entries = {**_defaults(name), **user.get(source, {})}
    return HeaderMap(f"{name}/{source}", {k: v[0] for k, v in entries.items()}, {k: v[1] for k, v in entries.items()})

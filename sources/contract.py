"""The appeal-event/1 contract compiled to a msgspec type: parsing and checking a line in one C pass.

The type is generated from the JSON Schema file, not written beside it, so there is one contract. It is a
fast path only: a line it accepts is one the schema accepts (a unit test holds the two together); a line it
refuses goes to the schema validator, which says why in the words the quarantine has always used. Keywords
the generator does not know make it fail at import, so a schema change cannot weaken the check unnoticed.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

import msgspec

_IGNORED = {"description", "title", "$schema", "$id", "format"}  # format: dates get their own parser


class ContractError(ValueError):
    """The schema uses something this generator cannot express."""


def schema() -> dict:
    text = (resources.files("sources") / "contracts" / "appeal-event.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def _type(spec: dict, name: str) -> Any:
    unknown = (
        set(spec)
        - _IGNORED
        - {
            "type",
            "enum",
            "const",
            "pattern",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "properties",
            "required",
            "additionalProperties",
        }
    )
    if unknown:
        raise ContractError(f"{name}: keywords {sorted(unknown)} are not compiled")
    if "const" in spec:
        return Literal[spec["const"]]
    if "enum" in spec:
        if not all(isinstance(v, str) for v in spec["enum"]):
            raise ContractError(f"{name}: only string enums are compiled")
        return Literal[tuple(spec["enum"])]
    kind = spec.get("type")
    meta = {k: spec[k] for k in ("pattern", "minLength", "maxLength", "minimum", "maximum") if k in spec}
    bounds = {
        "pattern": meta.get("pattern"),
        "min_length": meta.get("minLength"),
        "max_length": meta.get("maxLength"),
        "ge": meta.get("minimum"),
        "le": meta.get("maximum"),
    }
    bounds = {k: v for k, v in bounds.items() if v is not None}
    base = {"string": str, "integer": int, "number": float}.get(kind)
    if base is not None:
        return Annotated[base, msgspec.Meta(**bounds)] if bounds else base
    if kind == "object" and "properties" in spec:
        return _struct(spec, name)
    if kind == "object" and not meta:
        return dict[str, Any]
    raise ContractError(f"{name}: type {kind!r} with {sorted(spec)} is not compiled")


def _struct(spec: dict, name: str) -> type:
    required = set(spec.get("required", ()))
    extra = spec.get("additionalProperties", True)
    if extra not in (True, False):
        raise ContractError(f"{name}: additionalProperties must be true or false")
    fields = []
    for prop, sub in spec["properties"].items():
        kind = _type(sub, f"{name}.{prop}")
        # Optional fields are absent or of their type: JSON null is not a string, as in the schema.
        fields.append((prop, kind) if prop in required else (prop, kind, msgspec.UNSET))
    fields.sort(key=lambda f: len(f) == 3)  # required fields first, as a struct needs
    return msgspec.defstruct(name.replace(".", "_"), fields, forbid_unknown_fields=not extra, omit_defaults=True)


@cache
def fast_decoder() -> msgspec.json.Decoder:
    """Decoder of one event line into the contract's struct; raises msgspec errors for anything else."""
    spec = schema()
    if spec.get("type") != "object":
        raise ContractError("the contract must describe an object")
    return msgspec.json.Decoder(_struct(spec, "AppealEvent"))

"""How dbt's nodes appear in Dagster: grouped by the warehouse layer they belong to, described in one line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator

MODEL_LAYERS = ("staging", "intermediate", "marts")
# dbt sources that no Dagster asset writes: the schema they live in names their group.
SOURCE_GROUPS = {"raw": "raw", "quality": "quality", "reports": "exports"}


def layer_of(props: Mapping[str, Any]) -> str:
    """The Dagster group of a dbt node: a model's layer, which is the schema it is built in (a marts area's own
    steps live in its `intermediate/` subfolder and schema), `raw` for seeds (reference data loaded as they are),
    a source's own layer."""
    kind = props["resource_type"]
    if kind == "model":
        layer = props["config"].get("schema")
        if layer not in MODEL_LAYERS:
            raise ValueError(f"model {props['name']} is outside {MODEL_LAYERS}: {props['original_file_path']}")
        return layer
    if kind == "source":
        return SOURCE_GROUPS.get(props["source_name"], "raw")
    return "raw"


def source_key(props: Mapping[str, Any]) -> dg.AssetKey:
    """A dbt source's asset key: the Dagster asset its YAML names (meta.dagster.asset_key, as dagster-dbt reads
    it), else `<source>/<table>`."""
    meta = (props.get("config") or {}).get("meta") or props.get("meta") or {}
    return dg.AssetKey((meta.get("dagster") or {}).get("asset_key") or [props["source_name"], props["name"]])


def one_line(text: str | None) -> str | None:
    """The first paragraph of a description, on one line."""
    if not text or not text.strip():
        return None
    return " ".join(text.strip().split("\n\n")[0].split())


class LayerTranslator(DagsterDbtTranslator):
    def get_asset_spec(self, manifest, unique_id, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        return spec.replace_attributes(
            group_name=layer_of(props), description=one_line(props.get("description")) or spec.description
        )

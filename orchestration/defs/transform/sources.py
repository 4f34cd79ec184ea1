"""The tables dbt reads that no Dagster asset of this code location materializes, each with its layer and a line
on who writes it (dbt's sources otherwise show as bare keys in the `default` group)."""

import dagster as dg

from orchestration.defs.transform.translator import SOURCE_GROUPS, one_line, source_key


def unowned_source_specs(manifest: dict, owned: set[dg.AssetKey]) -> list[dg.AssetSpec]:
    """External specs for the dbt sources whose key no asset in `owned` produces."""
    specs = {}
    for source in manifest["sources"].values():
        key = source_key(source)
        if key in owned or key in specs:
            continue
        specs[key] = dg.AssetSpec(
            key,
            group_name=SOURCE_GROUPS.get(source["source_name"], "raw"),
            description=one_line(source.get("description")) or f"{source['schema']}.{source['name']}",
            kinds={"postgres"},
        )
    return sorted(specs.values(), key=lambda spec: spec.key.to_user_string())

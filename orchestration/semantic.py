"""The KPI catalogue of the dbt macros, generated from the semantic layer (dbt_project/models/marts/semantic).

The metrics there are the one definition of every indicator. dbt's unit tests compile models without the
project graph, so the macros cannot read the metrics themselves: this module writes them into
`macros/kpi_definitions.sql` after each parse, and a run compares that file with the graph and refuses to
compile when they differ (macros/kpis.sql).
"""

from __future__ import annotations

import json
from pathlib import Path

from lib.config import DBT_PROJECT_DIR

CATALOG_MACRO = DBT_PROJECT_DIR / "macros" / "kpi_definitions.sql"
KINDS = ("count", "share", "quantile", "rate")
_HEADER = """{#- GENERATED from the semantic layer (models/marts/semantic) by orchestration/semantic.py after each
    `dbt parse` of tsur; do not edit — edit the metrics. macros/kpis.sql compares it with the graph. -#}
{% macro kpi_definitions() %}
    {{ return([
"""


def catalog_from_manifest(manifest: dict) -> list[dict]:
    """The indicators in display order, as macros/kpis.sql derives them from the graph."""
    measures = {
        m["name"]: m for sm in manifest["semantic_models"].values() if sm["name"] == "appeals" for m in sm["measures"]
    }
    specs = []
    for metric in manifest["metrics"].values():
        meta = metric["config"]["meta"]
        if meta.get("kind") not in KINDS:
            continue
        spec = {
            "code": metric["name"],
            "name": metric["label"],
            "kind": meta["kind"],
            "unit": meta["unit"],
            "higher_is_better": meta.get("higher_is_better"),
            "headline": meta["headline"],
            "order": meta["order"],
            "formula": metric["description"].strip(),
        }
        params = metric["type_params"]
        if meta["kind"] == "share":
            spec |= {"num": params["numerator"]["name"], "den": params["denominator"]["name"]}
        elif meta["kind"] in ("count", "quantile"):
            measure = measures[params["measure"]["name"]]
            spec |= {"expr": measure["expr"], "agg": measure["agg"]}
            if measure["agg"] == "percentile":
                spec["p"] = measure["agg_params"]["percentile"]
        specs.append(spec)
    return sorted(specs, key=lambda s: s["order"])


def render_macro(specs: list[dict]) -> str:
    # Python literals are Jinja literals too (True/False/None, quoted strings).
    lines = [f"        {spec!r}," for spec in specs]
    return _HEADER + "\n".join(lines) + "\n    ]) }}\n{% endmacro %}\n"


def sync_catalog(manifest_path: Path) -> bool:
    """Rewrite the generated macro from a parsed manifest; True when it changed (parse again then)."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    text = render_macro(catalog_from_manifest(manifest))
    if CATALOG_MACRO.exists() and CATALOG_MACRO.read_text(encoding="utf-8") == text:
        return False
    CATALOG_MACRO.write_text(text, encoding="utf-8")
    return True


if __name__ == "__main__":
    from orchestration.defs.transform.project import ensure_manifest

    print(ensure_manifest())

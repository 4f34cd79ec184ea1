"""The dbt project's layout, as jaffle-shop keeps it: each model's YAML (description, columns, tests, unit tests)
beside its SQL under the same name; sources in `_<source>__sources.yml`; the semantic layer in its own folder."""

import json
import re
from pathlib import Path

import yaml

from lib.config import DBT_PROJECT_DIR

MODELS = DBT_PROJECT_DIR / "models"
SHARED = re.compile(r"^_[a-z0-9]+__(sources|semantic_models|metrics|saved_queries)\.yml$")


def model_files() -> dict[str, Path]:
    return {path.stem: path for path in MODELS.rglob("*.sql")}


def test_every_model_has_its_yaml_beside_it_and_nothing_else_in_it():
    wrong = {}
    for name, sql in model_files().items():
        path = sql.with_suffix(".yml")
        if not path.exists():
            wrong[name] = "no YAML"
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        described = [m["name"] for m in doc.get("models", [])]
        tested = {t["model"] for t in doc.get("unit_tests", [])}
        if described != [name] or not tested <= {name} or set(doc) - {"version", "models", "unit_tests"}:
            wrong[name] = f"describes {described}, unit-tests {sorted(tested)}, keys {sorted(doc)}"
    assert wrong == {}


def test_other_yaml_files_are_sources_or_the_semantic_layer():
    models = set(model_files())
    others = [p for p in MODELS.rglob("*.yml") if p.stem not in models]
    assert others, "the inventory must see the shared files"
    misplaced = [str(p.relative_to(MODELS)) for p in others if not SHARED.match(p.name)]
    assert misplaced == []
    for path in others:
        keys = set(yaml.safe_load(path.read_text(encoding="utf-8"))) - {"version"}
        kind = SHARED.match(path.name).group(1)
        assert keys == {kind}, f"{path.name} holds {sorted(keys)}"


# The folders in the order the build runs them. A marts area holds the steps of its own build in an
# `intermediate/` subfolder (schema intermediate, never published), so it counts as that area.
BUILD_ORDER = (
    "staging",
    "intermediate",
    "marts/core",
    "marts/bi",
    "marts/classification",
    "marts/quality",
    "marts/reporting",
)


def folder_rank(path: str) -> int:
    parts = Path(path).parts[1:-1]  # models/<layer>/<area>/.../<file>
    layer = parts[0] if parts[0] in ("staging", "intermediate") else "/".join(parts[:2])
    return BUILD_ORDER.index(layer)


def test_folder_order_is_build_order(dbt_manifest):
    nodes = json.loads(Path(dbt_manifest).read_text(encoding="utf-8"))["nodes"]
    models = {uid: n for uid, n in nodes.items() if n["resource_type"] == "model"}
    backwards = [
        f"{models[parent]['original_file_path']} -> {node['original_file_path']}"
        for node in models.values()
        for parent in node["depends_on"]["nodes"]
        if parent in models
        and folder_rank(models[parent]["original_file_path"]) > folder_rank(node["original_file_path"])
    ]
    assert backwards == []


def test_a_marts_area_keeps_its_own_steps_out_of_the_published_schema(dbt_manifest):
    nodes = json.loads(Path(dbt_manifest).read_text(encoding="utf-8"))["nodes"]
    steps = {
        n["name"]: n["config"]["schema"]
        for n in nodes.values()
        if n["resource_type"] == "model" and "/intermediate/" in n["original_file_path"]
    }
    assert steps and all(schema == "intermediate" for schema in steps.values()), steps
    assert all(name.startswith("int_") for name in steps)


def test_each_staging_folder_declares_the_sources_it_reads(dbt_manifest):
    """staging/<system>/_<system>__sources.yml beside the views that read it; only the loaders' bookkeeping
    (staging/_raw__sources.yml: load batches, quarantine) is shared."""
    manifest = json.loads(Path(dbt_manifest).read_text(encoding="utf-8"))
    sources = manifest["sources"]
    staging = [n for n in manifest["nodes"].values() if n["original_file_path"].startswith("models/staging/")]
    assert len(staging) >= 6
    for node in (n for n in staging if n["resource_type"] == "model"):
        folder = Path(node["original_file_path"]).parent
        assert (MODELS.parent / folder / f"_{folder.name}__sources.yml").exists(), folder
        read = [sources[s] for s in node["depends_on"]["nodes"] if s.startswith("source.")]
        assert read, node["name"]
        elsewhere = [
            s["unique_id"] for s in read if Path(s["original_file_path"]).parent != folder and s["source_name"] != "raw"
        ]
        assert elsewhere == [], node["name"]

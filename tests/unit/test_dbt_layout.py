"""The dbt project's layout, as jaffle-shop keeps it: each model's YAML (description, columns, tests, unit tests)
beside its SQL under the same name; sources in `_<source>__sources.yml`; the semantic layer in its own folder."""

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

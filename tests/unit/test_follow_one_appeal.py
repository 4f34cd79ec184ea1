"""The README's "Follow one appeal" holds: every file it lists exists, the lists are as short as promised, and each
dbt model in them reads the one before it (per dbt's manifest), so the path is the one the data takes."""

import json
import re
from pathlib import Path

from lib.config import DBT_PROJECT_DIR

ROOT = DBT_PROJECT_DIR.parent
LIMITS = (6, 8)  # a hotline event, a ПОС row (issue 16)


def section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("### Follow one appeal", 1)[1].split("\n### ", 1)[0]


def paths_of_lists() -> list[list[str]]:
    """The first path in backticks of each numbered item, list by list."""
    lists, current = [], []
    for line in section().splitlines():
        item = re.match(r"^\d+\. `([^`]+)`", line)
        if item:
            current.append(item.group(1))
        elif current and not line.startswith("   "):
            lists.append(current)
            current = []
    return [*lists, current] if current else lists


def resolve(path: str) -> Path:
    """A path as written, or a model's file named by its bare name ("as above")."""
    if (ROOT / path).exists():
        return ROOT / path
    found = list((DBT_PROJECT_DIR / "models").rglob(path))
    assert len(found) == 1, f"{path}: {found}"
    return found[0]


def test_the_lists_are_as_short_as_promised_and_their_files_exist():
    lists = paths_of_lists()
    assert [len(paths) for paths in lists] == [6, 8]
    assert all(len(paths) <= limit for paths, limit in zip(lists, LIMITS, strict=True))
    for paths in lists:
        for path in paths:
            assert resolve(path).is_file(), path


def test_each_listed_model_reads_the_one_before_it(dbt_manifest):
    nodes = json.loads(Path(dbt_manifest).read_text(encoding="utf-8"))["nodes"]
    parents = {
        n["name"]: {p.rsplit(".", 1)[1] for p in n["depends_on"]["nodes"]}
        for n in nodes.values()
        if n["resource_type"] == "model"
    }
    for paths in paths_of_lists():
        models = [resolve(p).stem for p in paths if p.endswith(".sql")]
        assert len(models) >= 4
        for before, model in zip(models, models[1:], strict=False):
            assert before in parents[model], f"{model} does not read {before}"

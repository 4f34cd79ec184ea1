"""Layers import downward only (lib ← sources ← expectations ← exports ← orchestration), and no two modules of
the project import each other, not even inside a function: read from the source, without importing it."""

import ast
from pathlib import Path

from lib.config import PROJECT_ROOT

LAYERS = ("lib", "sources", "expectations", "exports", "orchestration")  # bottom to top


def project_modules() -> dict[str, Path]:
    modules = {}
    for layer in LAYERS:
        for path in (PROJECT_ROOT / layer).rglob("*.py"):
            parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _is_main_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and isinstance(test, ast.Compare) and ast.unparse(test) == "__name__ == '__main__'"


def imported(path: Path) -> set[str]:
    """Every project module a file imports, at its top or inside a function. The `if __name__ == "__main__":`
    block is left out: it runs only when the module is the program, so it cannot close a cycle."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    tree.body = [node for node in tree.body if not _is_main_block(node)]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in names if name.split(".")[0] in LAYERS}


def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: {m for m in imported(path) if m in modules and m != name} for name, path in modules.items()}


def test_the_inventory_sees_every_layer():
    layers = {name.split(".")[0] for name in project_modules()}
    assert layers == set(LAYERS)
    edges = graph()
    assert {"lib.config", "lib.dbt"} <= edges["lib.asof"]  # a top-level import
    assert "sources.judge_worker" in edges["sources.events"]  # one inside a function


def test_no_module_imports_a_layer_above_its_own():
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    upward = sorted(
        f"{name} imports {target}"
        for name, targets in graph().items()
        for target in targets
        if rank[target.split(".")[0]] > rank[name.split(".")[0]]
    )
    assert upward == []


def test_no_import_cycles_between_modules():
    edges = graph()
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                cycles.append(" → ".join(trail[trail.index(nxt) :] + [nxt]))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    # A package's __init__ that re-exports its own submodules is not a cycle between two modules.
    real = [c for c in cycles if not all(part.startswith(c.split(" → ")[0]) for part in c.split(" → "))]
    assert real == []

"""The shape of src/ccdir (docs/ARCHITECTURE.md): packages by area, imports pointing down, small modules.

Read from the source with `ast` (nothing imported), imports inside functions included: a cycle dodged by a
local import is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
# Lowest first: a package may import from its own layer and the layers before it, never after.
LAYERS = ["core", "geo", "content", "site", "search", "intake", "build", "<top>"]
TOP_PACKAGES = {"cli"}  # packages at the top level, with cli… serve.py and demodata.py
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "ccdir").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in names:
            while target and target not in MODULES:  # « ccdir.content.model.Merchant » → its module
                target = target.rpartition(".")[0]
            if target and target != name and target != "ccdir":
                targets.add(target)
    return targets


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(module: str) -> int:
    parts = module.split(".")
    area = parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else "<top>"
    return LAYERS.index("<top>" if area in TOP_PACKAGES else area)


def test_every_module_is_in_a_known_package():
    strays = [m for m in MODULES if m.count(".") >= 2 and m.split(".")[1] not in {*LAYERS, *TOP_PACKAGES}]
    assert not strays, f"modules outside the packages of docs/ARCHITECTURE.md: {strays}"


def test_imports_point_down_the_layers():
    upward = sorted(f"{a} → {b}" for a, targets in GRAPH.items() for b in targets if _layer(b) > _layer(a))
    assert not upward, "imports against the layering (" + " < ".join(LAYERS) + "):\n" + "\n".join(upward)


def test_no_import_cycles():
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_stays_small(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name].relative_to(SRC.parent)} has {lines} lines: split it by responsibility"


def test_the_layering_check_sees_a_violation(tmp_path):
    """The check itself: an upward import in a lower layer is caught."""
    assert _layer("ccdir.core.problems") < _layer("ccdir.build.pipeline") < _layer("ccdir.cli")
    assert "ccdir.content.validate" in GRAPH["ccdir.content.loading"]

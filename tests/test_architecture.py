"""The codebase's shape: layering one way, no import circles, small modules.

Every import counts: module level, inside functions, under `TYPE_CHECKING`.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("rules", "disclosure", "notifier")
MAX_LINES = 400
# Layers: a package may import only itself and the packages after it. The command line
# (`disclosure.cli`) is the composition root above them all: it wires the notifier's daemon
# into `disclosure office` and `disclosure notify` (docs/architecture.md).
LAYERS = {"notifier": {"notifier", "disclosure", "rules"}, "disclosure": {"disclosure", "rules"}}
LAYERS["rules"] = {"rules"}
COMPOSITION_ROOT = "disclosure.cli"


def _allowed(module: str) -> set[str]:
    if module == COMPOSITION_ROOT or module.startswith(COMPOSITION_ROOT + "."):
        return set(LAYERS)
    return LAYERS[module.split(".")[0]]


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts and "versions" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules `name` imports (resolved to modules, not attributes)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = name.split(".") if is_package else name.split(".")[:-1]
                pkg = pkg[: len(pkg) - (node.level - 1)]
                base = ".".join([*pkg, base] if base else pkg)
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        for t in targets:
            while t and t not in MODULES:
                t = t.rpartition(".")[0]
            if t and t != name:
                out.add(t)
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _is_ancestor(a: str, b: str) -> bool:
    return b.startswith(a + ".")


def test_layers_point_one_way() -> None:
    wrong = [
        f"{m} imports {t}"
        for m, targets in GRAPH.items()
        for t in targets
        if t.split(".")[0] not in _allowed(m)
    ]
    assert wrong == []


def test_no_import_circles() -> None:
    """Tarjan's strongly connected components; a package importing its own submodules
    (its `__init__` re-exporting them) is not a circle."""
    edges = {
        m: {t for t in ts if not _is_ancestor(m, t) and not _is_ancestor(t, m)}
        for m, ts in GRAPH.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
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
                circles.append(sorted(component))

    for v in edges:
        if v not in index:
            visit(v)
    assert circles == []


def test_modules_stay_small() -> None:
    sizes = {n: p.read_text(encoding="utf-8").count("\n") for n, p in MODULES.items()}
    assert {n: size for n, size in sizes.items() if size > MAX_LINES} == {}

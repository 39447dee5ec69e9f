"""Measure kelm's import graph: package edges, cycles, module circles, private imports.

Every import counts, including those inside functions and ``if TYPE_CHECKING:`` blocks,
because a lazy import still ties the importing package to the imported one.

    python tools/importgraph.py            # summary
    python tools/importgraph.py --edges    # every cross-package import, with its place
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src"


@dataclass(frozen=True)
class Edge:
    """One import of a kelm module (or of a name from it) by another kelm module."""

    source: str
    target: str
    name: str | None
    line: int
    where: str  # "module", "function" or "type-checking"


def module_names(root: Path) -> dict[str, Path]:
    """Dotted name of every module under root/kelm."""
    names = {}
    for path in sorted((root / "kelm").rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def package_of(module: str) -> str:
    """kelm.<first part>; a top-level module is its own package."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _places(tree: ast.AST) -> dict[ast.AST, str]:
    """Where each import node sits: module level, in a function, or under TYPE_CHECKING."""
    places: dict[ast.AST, str] = {}

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            here = where
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                here = "function"
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for sub in child.body:
                    visit_stmt(sub, "type-checking")
                for sub in child.orelse:
                    visit_stmt(sub, where)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                places[child] = here
            visit(child, here)

    def visit_stmt(stmt: ast.AST, where: str) -> None:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            places[stmt] = where
        visit(stmt, where)

    visit(tree, "module")
    return places


def edges(root: Path = ROOT) -> list[Edge]:
    """Every import between kelm modules."""
    modules = module_names(root)
    found = []
    for module, path in modules.items():
        is_pkg = path.name == "__init__.py"
        tree = ast.parse(path.read_text(), str(path))
        for node, where in _places(tree).items():
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("kelm"):
                        found.append(Edge(module, _known(alias.name, modules), None, node.lineno, where))
                continue
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                if not is_pkg:
                    anchor.pop()
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if not base.startswith("kelm"):
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in modules:
                    found.append(Edge(module, sub, None, node.lineno, where))
                else:
                    found.append(Edge(module, _known(base, modules), alias.name, node.lineno, where))
    return found


def _known(name: str, modules: dict[str, Path]) -> str:
    while name not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components with more than one member (the import circles)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    sys.setrecursionlimit(10000)

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def is_private(edge: Edge) -> bool:
    """An import of a ``_name`` module or name from another package."""
    if package_of(edge.source) == package_of(edge.target):
        return False
    inner = edge.target.split(".")[2:]
    if any(p.startswith("_") for p in inner):
        return True
    return bool(edge.name and edge.name.startswith("_") and not edge.name.startswith("__"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", action="store_true", help="list cross-package imports")
    parser.add_argument("--package", help="list only imports made by this package (kelm.x)")
    args = parser.parse_args(argv)
    found = edges()
    packages: dict[str, set[str]] = defaultdict(set)
    per_module: dict[str, set[str]] = defaultdict(set)
    for e in found:
        per_module[e.source].add(e.target)
        if package_of(e.source) != package_of(e.target):
            packages[package_of(e.source)].add(package_of(e.target))
    cross = [e for e in found if package_of(e.source) != package_of(e.target)]
    if args.edges:
        for e in sorted(cross, key=lambda e: (e.source, e.line)):
            if args.package and package_of(e.source) != args.package:
                continue
            name = f" ({e.name})" if e.name else ""
            print(f"{e.source}:{e.line} -> {e.target}{name} [{e.where}]")
        return 0
    print(f"cross-package imports: {len(cross)}")
    pkg_cycles = strongly_connected(packages)
    print(f"package cycles: {len(pkg_cycles)}")
    for comp in pkg_cycles:
        print(f"  {len(comp)} packages: {', '.join(comp)}")
    mod_cycles = strongly_connected(per_module)
    print(f"module circles: {len(mod_cycles)}")
    for comp in mod_cycles:
        print(f"  {len(comp)} modules: {', '.join(comp)}")
    private = [e for e in found if is_private(e)]
    print(f"private cross-package imports: {len(private)}")
    for e in private:
        name = f" ({e.name})" if e.name else ""
        print(f"  {e.source}:{e.line} -> {e.target}{name} [{e.where}]")
    return 1 if pkg_cycles or mod_cycles or private else 0


if __name__ == "__main__":
    raise SystemExit(main())

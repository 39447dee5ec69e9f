"""The import contract holds: layers one way, no circles, no private names across packages.

``make lint`` runs import-linter too; this test makes ``make test`` (what CI runs) fail on a
broken contract.  import-linter sees modules, not names, so the ``_name`` check uses
tools/importgraph.py, which is itself tested here on a small synthetic package.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Private names another package may import (none: make the name public instead).
KNOWN_PRIVATE: set[tuple[str, str, str]] = set()


def _importgraph() -> ModuleType:
    spec = importlib.util.spec_from_file_location("importgraph", ROOT / "tools" / "importgraph.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("importgraph", mod)
    spec.loader.exec_module(mod)
    return mod


def test_import_contracts_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    from importlinter.cli import lint_imports

    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "5 kept, 0 broken" in out


def test_no_private_names_across_packages() -> None:
    g = _importgraph()
    private = {(e.source, e.target, e.name) for e in g.edges(ROOT / "src") if g.is_private(e)}
    assert private <= KNOWN_PRIVATE, sorted(private - KNOWN_PRIVATE)


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / "kelm" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_importgraph_finds_lazy_cycles_and_private_names(tmp_path: Path) -> None:
    g = _importgraph()
    _write(tmp_path, {
        "__init__.py": "",
        "low/__init__.py": "",
        "low/a.py": "def f():\n    from kelm.high.b import g\n",  # lazy: still an edge
        "high/__init__.py": "",
        "high/b.py": (
            "from kelm.low.a import f\nfrom ..low import a\n"
            "TYPE_CHECKING = False\nif TYPE_CHECKING:\n    from kelm.low.a import _hidden\n"
        ),
    })
    found = g.edges(tmp_path)
    where = {(e.source, e.target, e.name): e.where for e in found}
    assert where[("kelm.low.a", "kelm.high.b", "g")] == "function"
    assert where[("kelm.high.b", "kelm.low.a", "f")] == "module"
    assert where[("kelm.high.b", "kelm.low.a", None)] == "module"  # relative import resolved
    assert where[("kelm.high.b", "kelm.low.a", "_hidden")] == "type-checking"
    packages: dict[str, set[str]] = {}
    for e in found:
        a, b = g.package_of(e.source), g.package_of(e.target)
        if a != b:
            packages.setdefault(a, set()).add(b)
    assert g.strongly_connected(packages) == [["kelm.high", "kelm.low"]]
    assert [e.name for e in found if g.is_private(e)] == ["_hidden"]


def test_importgraph_keeps_one_way_imports_acyclic(tmp_path: Path) -> None:
    g = _importgraph()
    _write(tmp_path, {
        "__init__.py": "",
        "low/__init__.py": "from ._impl import f\n",  # a package's own private module
        "low/_impl.py": "def f():\n    return 1\n",
        "high/__init__.py": "from kelm.low import f\n",
    })
    found = g.edges(tmp_path)
    graph: dict[str, set[str]] = {}
    for e in found:
        graph.setdefault(e.source, set()).add(e.target)
    assert g.strongly_connected(graph) == []
    assert not [e for e in found if g.is_private(e)]

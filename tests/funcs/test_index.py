"""The static function index must match what the function modules define."""

from __future__ import annotations

import subprocess
import sys

from kelm.funcs import LazyFuncs, all_funcs, build_index, lazy_funcs
from kelm.funcs._genindex import render
from kelm.funcs._index import INDEX


def test_index_is_in_sync_with_modules() -> None:
    assert INDEX == build_index(), "run: python -m kelm.funcs._genindex"


def test_generated_file_is_current() -> None:
    from pathlib import Path

    import kelm.funcs._index as mod

    assert Path(mod.__file__).read_text() == render(build_index())


def test_lazy_map_gives_the_same_functions_as_the_eager_one() -> None:
    eager = all_funcs()
    lazy = lazy_funcs()
    assert set(lazy) == set(eager)
    assert len(lazy) == len(eager)
    for name, fn in eager.items():
        assert name in lazy
        assert lazy[name] is fn
    assert "noSuchFunction" not in lazy
    assert lazy.get("noSuchFunction") is None


def test_overlay_falls_back_to_base_and_wins_on_clash() -> None:
    base = {"only_base": 1, "toYaml": 2}
    m = LazyFuncs(INDEX).over(base)
    assert m["only_base"] == 1
    assert m["toYaml"] is all_funcs()["toYaml"]
    assert set(m) == set(INDEX) | {"only_base"}


def test_membership_imports_no_function_module() -> None:
    code = (
        "import sys\n"
        "from kelm.funcs import lazy_funcs\n"
        "f = lazy_funcs()\n"
        "assert 'sha256sum' in f and 'toYaml' in f and 'nope' not in f\n"
        "print(sorted(m for m in sys.modules if m.startswith('kelm.funcs.')))\n"
        "f['upper']\n"
        "print(sorted(m for m in sys.modules if m.startswith('kelm.funcs.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = out.stdout.splitlines()
    assert before == "['kelm.funcs._index']"
    assert "kelm.funcs.strings" in after and "kelm.funcs.crypto" not in after

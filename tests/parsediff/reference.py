"""The lexer/parser as they were before the speed-up, loaded from git history (no copy of them
lives in the tree): the oracle of the differential test and the "before" of
benchmarks/parse_bench.py.  ``None`` when the history is not at hand (no git, shallow clone).
"""

from __future__ import annotations

import subprocess
import types
from collections.abc import Callable
from pathlib import Path

REF_COMMIT = "b66c071"  # the last commit with the pre-optimisation lexer.py/parser.py
REPO = Path(__file__).resolve().parents[2]
_SIMPLE_ON = 'simple = _SIMPLE.match if (left == "{{" and self.right == "}}") else None'


def _show(path: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), "show", f"{REF_COMMIT}:{path}"],
                          capture_output=True, text=True, check=True).stdout


def load(one_token_actions: bool = False) -> Callable[..., dict] | None:
    """The reference ``parse(name, text, funcs)``.  Without ``one_token_actions`` it parses
    token by token only: its one-token path differed from that only in the (unused) positions
    of lists whose first node was such an action."""
    try:
        lexer_src = _show("src/kelm/gotemplate/lexer.py")
        parser_src = _show("src/kelm/gotemplate/parser.py")
    except (OSError, subprocess.CalledProcessError):
        return None
    if not one_token_actions:
        assert _SIMPLE_ON in lexer_src
        lexer_src = lexer_src.replace(_SIMPLE_ON, "simple = None")
    for old, new in (("from . import lexer as L\n", ""),
                     ("from .errors import", "from kelm.gotemplate.errors import"),
                     ("from .nodes import", "from kelm.gotemplate.nodes import")):
        assert old in parser_src
        parser_src = parser_src.replace(old, new)
    lexer = types.ModuleType("parsediff_ref_lexer")
    exec(compile(lexer_src, "ref:lexer.py", "exec"), lexer.__dict__)
    parser = types.ModuleType("parsediff_ref_parser")
    parser.__dict__["L"] = lexer
    exec(compile(parser_src, "ref:parser.py", "exec"), parser.__dict__)
    return parser.parse  # type: ignore[no-any-return]

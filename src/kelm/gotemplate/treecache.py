"""A persistent cache of parse trees, so a template text is parsed once per machine.

Parsing is a large part of rendering a chart, and the same texts come back run after run
(a chart being developed changes a file or two; library charts such as ``common`` recur in
many charts).  Each successfully parsed text is stored, beside the generated-code cache
(:mod:`kelm.gotemplate.codecache`), as one small ``marshal`` file named by a checksum of the
text: its trees as nested tuples, plus the function names the text calls.

A stored parse is reused only when it is exactly what parsing would give: the stored text
equals the text, every function it calls is defined now (parsing fails on an undefined
function), the ``break``/``continue`` keywords mean the same, and the directory belongs to this
kelm version and to the current parser source (its files' sizes and mtimes name the directory).
Failed parses are never stored, so errors always come from the parser.  Writes happen at exit
through a temporary file and an atomic rename.  ``KELM_NO_CACHE=1`` disables it.
"""

from __future__ import annotations

import atexit
import functools
import os
import zlib

from kelm.cachefiles import cache_root, enabled, read_marshal

from . import nodes as N
from .codecache import checksum, write_entries

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

MAX_ENTRIES = 20000
MAX_DEPTH = 200  # deeper trees are not stored: encoding and decoding recurse

_CLASSES: list[type] = [
    N.TextNode, N.CommentNode, N.ListNode, N.DotNode, N.NilNode, N.BoolNode, N.StringNode,
    N.NumberNode, N.IdentifierNode, N.VariableNode, N.FieldNode, N.ChainNode, N.CommandNode,
    N.PipeNode, N.ActionNode, N.IfNode, N.RangeNode, N.WithNode, N.BreakNode, N.ContinueNode,
    N.TemplateNode,
]
_ID = {cls: i for i, cls in enumerate(_CLASSES)}
_IDENT = _ID[N.IdentifierNode]
_TEXT = _ID[N.TextNode]
_SLOTS = [tuple(s for k in reversed(cls.__mro__) for s in getattr(k, "__slots__", ()))
          for cls in _CLASSES]

_state: dict[str, Any] = {}


def cache_dir() -> str:
    d = _state.get("dir")
    if d is None:
        from kelm import __version__

        here = os.path.dirname(os.path.abspath(__file__))
        stamp = 0
        for f in ("lexer.py", "parser.py", "nodes.py", "treecache.py"):
            try:
                st = os.stat(os.path.join(here, f))
                stamp = zlib.crc32(f"{st.st_size}:{st.st_mtime_ns}".encode(), stamp)
            except OSError:
                pass
        d = _state["dir"] = os.path.join(cache_root(), f"parse-{__version__}-{stamp:08x}")
    return d


def _path(text: str) -> str:
    return os.path.join(cache_dir(), checksum(text) + ".tree")


# -- encoding --------------------------------------------------------------------------------


def _encode(node: Any, src: str, funcs_used: set[str], depth: int) -> tuple:
    if depth > MAX_DEPTH:
        raise _TooDeep
    cid = _ID[node.__class__]
    if cid == _IDENT:  # a function call
        funcs_used.add(node.ident)
    elif cid == _TEXT and src.startswith(node.text, node.pos):
        return (cid, node.pos, len(node.text))  # text is stored once, for the whole file
    out: list[Any] = [cid]
    for name in _SLOTS[cid]:
        v = getattr(node, name)
        if isinstance(v, N.Node):
            v = _encode(v, src, funcs_used, depth + 1)
        elif v.__class__ is list:
            v = [_encode(x, src, funcs_used, depth + 1) if isinstance(x, N.Node) else x
                 for x in v]
        out.append(v)
    return tuple(out)


class _TooDeep(Exception):
    pass


_NODE_SLOTS = {"pipe", "list", "else_list", "node"}  # a node or None
_LIST_SLOTS = {"nodes", "args", "decl", "cmds"}  # a list of nodes


def _decoders() -> list[Any]:
    """One straight-line decoding function per node class (generated once: a generic
    loop with setattr costs several times more per node)."""
    from .codecache import compile_cached

    lines = []
    for cid in range(len(_CLASSES)):
        lines.append(f"def d{cid}(t):")
        lines.append(f"    o = new(C{cid})")
        for i, name in enumerate(_SLOTS[cid], 1):
            if cid == _TEXT and name == "text":
                lines.append(f"    v = t[{i}]")
                lines.append("    o.text = v if v.__class__ is str else SRC[0][t[1]:t[1] + v]")
            elif name in _NODE_SLOTS:
                lines.append(f"    v = t[{i}]")
                lines.append(f"    o.{name} = None if v is None else D[v[0]](v)")
            elif name in _LIST_SLOTS:
                lines.append(f"    o.{name} = [D[x[0]](x) for x in t[{i}]]")
            else:
                lines.append(f"    o.{name} = t[{i}]")
        lines.append("    return o")
    lines.append(f"D = [{', '.join(f'd{i}' for i in range(len(_CLASSES)))}]")
    ns: dict[str, Any] = {"new": object.__new__, "SRC": _SRC}
    ns.update({f"C{i}": cls for i, cls in enumerate(_CLASSES)})
    exec(compile_cached("\n".join(lines), "<kelm.treecache>"), ns)  # noqa: S102 - own source
    return ns["D"]


_SRC: list[str] = [""]  # the text being decoded (text nodes are stored as offsets into it)


def _decode(t: tuple, src: str) -> Any:
    table = _state.get("decoders")
    if table is None:
        table = _state["decoders"] = _decoders()
    _SRC[0] = src
    try:
        return table[t[0]](t)
    finally:
        _SRC[0] = ""


# -- the cache -------------------------------------------------------------------------------


def load(name: str, text: str, funcs: Any) -> dict[str, N.Tree] | None:
    """The trees of ``text`` parsed as ``name``, if a usable parse is stored."""
    if not enabled():
        return None
    entry = read_marshal(_path(text))
    if not isinstance(entry, tuple) or len(entry) != 5:
        return None
    stored_text, keywords, parse_name, funcs_used, trees = entry
    if stored_text != text or keywords != _keywords(funcs):
        return None
    if parse_name != name and (parse_name in text or name in text):
        return None  # a define named like the file: only parsing tells what wins
    for f in funcs_used:
        if f not in funcs:
            return None
    out: dict[str, N.Tree] = {}
    for tname, nesting, root, empty in trees:
        tname = name if tname == parse_name else tname
        build = functools.partial(_decode, root, text)
        out[tname] = N.Tree(tname, name, text, None, nesting, lazy=(build, empty))
    return out


def store(name: str, text: str, funcs: Any, trees: dict[str, N.Tree]) -> None:
    """Remember a successful parse (written at exit)."""
    if not enabled():
        return
    used: set[str] = set()
    try:
        enc = [(t.name, t.nesting, _encode(t.root, text, used, 0), N.is_empty_tree(t.root))
               for t in trees.values()]
    except (_TooDeep, KeyError, RecursionError):
        return
    new = _state.get("new")
    if new is None:
        new = _state["new"] = {}
        atexit.register(flush)
    new[text] = (text, _keywords(funcs), name, sorted(used), enc)


def _keywords(funcs: Any) -> int:
    return ("break" in funcs) * 1 + ("continue" in funcs) * 2


def flush() -> None:
    new: dict[str, tuple] | None = _state.pop("new", None)
    if new and enabled():
        write_entries(cache_dir(), ".tree", MAX_ENTRIES,
                      {_path(text): entry for text, entry in new.items()})


def reset() -> None:
    """Forget in-memory state (tests)."""
    _state.clear()


__all__ = ["flush", "load", "reset", "store"]

"""Template sets, execution state, the parse/compile cache and deep-recursion handling."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Mapping

from .builtins import BUILTINS
from .errors import ExecError, PlainExecError, TemplateError
from .lexer import go_quote
from .nodes import BranchNode, ListNode, Node, Tree
from .parser import parse
from .runtime import NOVALUE

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

# Template calls nest Python frames; every HANDOFF levels the rest of the execution moves to
# a fresh thread (own C stack, own recursion counter), so Go's depth limit of 100000 is
# reached with a clean error instead of a RecursionError or a crashed interpreter.
HANDOFF = 400
MAX_NESTED_EXECUTIONS = 100000
_BIG_STACK = 256 * 1024 * 1024
_MIN_RECURSION = 20000


class _NoGC:
    """Pause the cyclic garbage collector while building large acyclic structures (token
    lists, trees, closures): with it running, parse and compile time grow much faster than
    the input because every collection walks all objects built so far."""

    def __enter__(self) -> None:
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was:
            gc.enable()


class _RecursionLimit:
    """Python's recursion limit raised to ``_MIN_RECURSION`` while kelm parses or executes
    (HANDOFF template levels take more frames than the default 1000 allows), and the caller's
    own limit put back when the last of kelm's concurrent uses ends: a library caller's process
    is left as it was."""

    def __init__(self) -> None:
        import _thread

        self.lock = _thread.allocate_lock()
        self.users = 0
        self.saved: int | None = None  # the caller's limit, while raised

    def __enter__(self) -> None:
        with self.lock:
            if self.users == 0:
                old = sys.getrecursionlimit()
                if old < _MIN_RECURSION:
                    sys.setrecursionlimit(_MIN_RECURSION)
                    self.saved = old
            self.users += 1

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.users -= 1
            if self.users == 0 and self.saved is not None:
                if sys.getrecursionlimit() == _MIN_RECURSION:  # nobody else changed it since
                    sys.setrecursionlimit(self.saved)
                self.saved = None


_RECURSION_LIMIT = _RecursionLimit()


def run_in_big_thread(fn: Callable[[], Any], stack: int = 16 * 1024 * 1024) -> Any:
    """Run ``fn`` on a new thread with its own stack; return its result or re-raise."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["r"] = fn()
        except BaseException as e:  # noqa: BLE001 - re-raised in the caller
            box["e"] = e

    import threading  # only deep templates and recursion hand-offs need a thread

    old = threading.stack_size()
    try:
        threading.stack_size(stack)
        t = threading.Thread(target=target, daemon=True)
        t.start()
    finally:
        threading.stack_size(old)
    t.join()
    if "e" in box:
        raise box["e"].with_traceback(None)
    return box.get("r")


class DepthExceeded(PlainExecError):
    """Runaway nesting of template executions through functions (include-like).  It passes
    through function calls unwrapped, so the message does not grow with every level."""


class State:
    """The execution state handed to ``GoFunc(context=True)`` functions.

    Attributes: ``tset`` (the :class:`TemplateSet` or overlay being executed; ``lookup``,
    ``parse``, ``overlay``), ``name`` (the template running at the call site), ``depth``
    (nesting of template executions), ``host`` (free-form, set by the embedding application).
    """

    __slots__ = ("tset", "name", "depth", "host")

    def __init__(self, tset: TemplateSet, name: str, host: Any = None) -> None:
        self.tset = tset
        self.name = name
        self.depth = 0
        self.host = host

    def lookup_compiled(self, name: str) -> Template | None:
        return self.tset.lookup(name)

    def execute(self, name: str, data: Any, tset: TemplateSet | None = None) -> str:
        """Execute template ``name`` of ``tset`` (default: this execution's set) with
        ``data`` as dot and return its output, as Go's ``ExecuteTemplate`` (Helm's
        ``include``).  Errors raise :class:`~kelm.gotemplate.errors.TemplateError`."""
        ts = tset if tset is not None else self.tset
        if self.depth >= MAX_NESTED_EXECUTIONS:
            # Go would recurse until its stack blows up; hosts (Helm's include) normally
            # stop far earlier.  A clean error instead of exhausting memory.
            raise DepthExceeded(
                f"template: {ts.name}: exceeded maximum template depth ({MAX_NESTED_EXECUTIONS})")
        t = ts.lookup(name)
        if t is None:
            raise PlainExecError(
                f"template: no template {go_quote(name)} associated with template "
                f"{go_quote(ts.name)}")
        out: list[str] = []
        if ts is self.tset:
            t.run(self, NOVALUE if data is None else data, out)
        else:
            saved = self.tset
            self.tset = ts
            try:
                t.run(self, NOVALUE if data is None else data, out)
            finally:
                self.tset = saved
        return "".join(out)


class Template:
    """A named, compiled template of a set."""

    __slots__ = ("tree", "name", "_fn", "_nslots", "_deep", "funcs", "missingkey")

    def __init__(self, tree: Tree, funcs: dict[str, Any], missingkey: str) -> None:
        self.tree = tree
        self.name = tree.name
        self.funcs = funcs
        self.missingkey = missingkey
        self._fn: Any = None
        self._nslots = 1
        self._deep = False

    def _compile(self) -> None:
        from .compiler import Compiler

        origin = self.tree.origin
        cached = origin.compiled
        if cached is None or cached[3] is not self.funcs or cached[4] != self.missingkey:
            def build() -> Any:
                return Compiler(origin, self.funcs, self.missingkey).compile()

            deep = origin.nesting > 150
            with _NoGC():
                fn, nslots = run_in_big_thread(build, _BIG_STACK) if deep else build()
            cached = (fn, nslots, deep, self.funcs, self.missingkey)
            origin.compiled = cached
        self._fn, self._nslots, self._deep = cached[:3]

    def run(self, st: State, dot: Any, out: list[str]) -> None:
        if self._fn is None:
            self._compile()
        if (st.depth and st.depth % HANDOFF == 0) or self._deep:
            run_in_big_thread(lambda: self._run(st, dot, out),
                              _BIG_STACK if self._deep else 16 * 1024 * 1024)
            return
        self._run(st, dot, out)

    def _run(self, st: State, dot: Any, out: list[str]) -> None:
        fr = [NOVALUE] * self._nslots
        fr[0] = dot
        prev = st.name
        st.name = self.name
        st.depth += 1
        try:
            self._fn(st, dot, fr, out)
        except ExecError as e:
            tree = self.tree
            if e.tree is tree.origin and tree is not e.tree:
                e.relabel(tree.name, tree.parse_name, tree)
            raise
        finally:
            st.name = prev
            st.depth -= 1


def _nesting(n: Node, depth: int = 0) -> int:
    """Static nesting depth of control structures (iterative, so it cannot overflow)."""
    best = 0
    stack: list[tuple[Node, int]] = [(n, 0)]
    while stack:
        node, d = stack.pop()
        if d > best:
            best = d
        if isinstance(node, ListNode):
            stack.extend((c, d) for c in node.nodes)
        elif isinstance(node, BranchNode):
            stack.append((node.list, d + 1))
            if node.else_list is not None:
                stack.append((node.else_list, d + 1))
            stack.append((node.pipe, d + 1))
        elif hasattr(node, "cmds"):
            for c in node.cmds:
                for a in c.args:
                    stack.append((a, d + 1))
        elif hasattr(node, "pipe") and getattr(node, "pipe", None) is not None:
            stack.append((node.pipe, d))
        elif hasattr(node, "node") and isinstance(node.node, Node):
            stack.append((node.node, d + 1))
    return best


# -- parse cache ---------------------------------------------------------------------------

_PARSE_CACHE: dict[tuple[str, str, int, str], tuple[dict, dict[str, Tree]]] = {}
_PARSE_CACHE_MAX = 20000
_TEXT_CACHE: dict[tuple[str, int], tuple[dict, str, dict[str, Tree]]] = {}
_MERGED: dict[int, tuple[Mapping[str, Any], dict[str, Any]]] = {}


def merged_funcs(funcs: Mapping[str, Any] | None) -> dict[str, Any]:
    """Builtins overlaid by user functions (user wins, as Go's Funcs); memoised per mapping
    object so repeated renders with the same function map share compiled templates."""
    if funcs is None:
        return BUILTINS
    hit = _MERGED.get(id(funcs))
    if hit is not None and hit[0] is funcs and len(hit[1]) >= len(funcs):
        return hit[1]
    over = getattr(funcs, "over", None)
    if over is not None:  # a lazy map (kelm.funcs.LazyFuncs): stays lazy over the builtins
        m = over(BUILTINS)
    else:
        m = dict(BUILTINS)
        m.update(funcs)
    _MERGED[id(funcs)] = (funcs, m)
    return m


def parse_cached(name: str, text: str, funcs: dict[str, Any], missingkey: str
                 ) -> dict[str, Tree]:
    """Parse ``text`` as template ``name``, at most once per text and function map.

    A text seen before under another name (the same subchart vendored twice, a library's
    helpers in every subchart) reuses that parse: its trees are renamed, and share nodes and
    compiled code.  Texts that mention either name are parsed afresh, since a ``define`` of
    the file's own name changes the result."""
    key = (name, text, id(funcs), missingkey)
    hit = _PARSE_CACHE.get(key)
    if hit is not None and hit[0] is funcs:
        return hit[1]
    base = _TEXT_CACHE.get((text, id(funcs)))
    if base is not None and base[0] is funcs and base[1] not in text and name not in text:
        trees = {}
        for t in base[2].values():
            copy = t.renamed(name if t.name == base[1] else t.name, name)
            trees[copy.name] = copy
    else:
        trees = _parse_uncached(name, text, funcs)
        if len(_TEXT_CACHE) >= _PARSE_CACHE_MAX:
            _TEXT_CACHE.clear()
        _TEXT_CACHE[(text, id(funcs))] = (funcs, name, trees)
    if len(_PARSE_CACHE) >= _PARSE_CACHE_MAX:
        for k in list(_PARSE_CACHE)[: _PARSE_CACHE_MAX // 4]:
            del _PARSE_CACHE[k]
    _PARSE_CACHE[key] = (funcs, trees)
    return trees


def _parse_uncached(name: str, text: str, funcs: dict[str, Any]) -> dict[str, Tree]:
    try:
        with _NoGC():
            return parse(name, text, funcs)
    except RecursionError:

        def deep() -> dict[str, Tree]:
            old = sys.getrecursionlimit()
            sys.setrecursionlimit(max(old, 400000))
            try:
                return parse(name, text, funcs)
            finally:
                sys.setrecursionlimit(old)

        return run_in_big_thread(deep, 1024 * 1024 * 1024)


class TemplateSet:
    """Named templates that can call each other (Go's associated templates).

    ``funcs`` are the user functions (plain callables or :class:`GoFunc`), merged over the
    builtins.  ``missingkey`` is ``"default"``/``"invalid"``, ``"zero"`` or ``"error"``.
    ``name`` is the set's own name, quoted by ``no template "x" associated with template
    "NAME"`` errors.
    """

    def __init__(self, funcs: Mapping[str, Any] | None = None, missingkey: str = "default",
                 name: str = "gotpl", *, _parent: TemplateSet | None = None) -> None:
        if missingkey not in ("default", "invalid", "zero", "error"):
            raise ValueError(f"unrecognized missingkey option {missingkey!r}")
        self.funcs: dict[str, Any] = merged_funcs(funcs) if _parent is None else _parent.funcs
        self.missingkey = missingkey
        self.name = name
        self.parent = _parent
        self.templates: dict[str, Template] = {}
        self.host: Any = None

    def parse(self, name: str, text: str) -> None:
        """Parse ``text`` as template ``name``; its ``define``s join the set (a later
        non-empty definition replaces an earlier one, an empty one never does)."""
        with _RECURSION_LIMIT:
            trees = parse_cached(name, text, self.funcs, self.missingkey)
        for tname, tree in trees.items():
            if tree.is_empty() and self.lookup(tname) is not None:
                continue  # Go never replaces a template by an empty one
            self.templates[tname] = Template(tree, self.funcs, self.missingkey)

    def lookup(self, name: str) -> Template | None:
        t = self.templates.get(name)
        if t is None and self.parent is not None:
            return self.parent.lookup(name)
        return t

    def names(self) -> list[str]:
        seen = dict.fromkeys(self.parent.names() if self.parent else [])
        seen.update(dict.fromkeys(self.templates))
        return list(seen)

    def overlay(self, name: str | None = None) -> TemplateSet:
        """A cheap child set: templates parsed into it shadow the parent's for executions
        of the child, while every parent template stays callable (Helm's ``tpl``)."""
        return TemplateSet(None, self.missingkey, name or self.name, _parent=self)

    def execute(self, name: str, data: Any, host: Any = None) -> str:
        """Execute template ``name`` with ``data`` as dot; return the output."""
        t = self.lookup(name)
        if t is None:
            raise PlainExecError(
                f"template: no template {go_quote(name)} associated with template "
                f"{go_quote(self.name)}")
        st = State(self, name, host if host is not None else self.host)
        out: list[str] = []
        try:
            with _RECURSION_LIMIT:
                t.run(st, NOVALUE if data is None else data, out)
        except RecursionError:
            raise TemplateError(
                f"template: {name}: exceeded maximum template nesting (Python recursion)"
            ) from None
        return "".join(out)


__all__ = ["State", "Template", "TemplateSet", "merged_funcs", "parse_cached"]

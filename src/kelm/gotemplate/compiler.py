"""Compile a parse tree once into nested Python closures; executing is calling them.

Shapes of the generated callables:

* statements: ``s(st, dot, fr, out)`` append text to the list ``out``;
* expressions: ``e(st, dot, fr)`` return a value;
* later pipeline commands: ``c(st, dot, fr, final)`` get the previous command's value.

``st`` is the :class:`~kelm.gotemplate.state.State` of the execution, ``dot`` is Go's ``.``,
``fr`` is the list of variable slots of the running template (slot 0 is ``$``).  Variables are
resolved to slots at compile time, following Go's runtime scoping (a variable declared in an
``if``/``range``/``with`` ends with it).

Error positions: Go reports an execution error at the node it last "visited" (``state.at``),
which is sometimes surprising (``(index .m "a").b`` fails at ``<"a">``).  The compiler works
out that node statically (:func:`exit_node`) so messages match Go's byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable

from kelm.golang import fmt as gofmt
from kelm.golang.value import (
    GoError,
    GoFunc,
    GoInt,
    GoIntKind,
    GoStruct,
    TypedList,
    TypedMap,
    go_type,
)

from .builtins import BUILTINS, truth
from .codecache import compile_cached
from .errors import ExecError
from .lexer import go_quote
from .nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    Tree,
    VariableNode,
    WithNode,
)
from .runtime import (
    _INT_TYPES,
    NOVALUE,
    UNSIGNED,
    TypeMismatch,
    can_be_nil,
    convert,
    prepare_arg,
    struct_member,
    zero_for,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

MAX_EXEC_DEPTH = 100000
_INT_RANGE = 1  # frame slot: is the innermost range iterating over an integer?
_NOFINAL: Any = object()  # "no value piped in" (Go's missingVal)
_MISS: Any = object()


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _Fail(Exception):
    """A Go errorf raised deep in a helper; the closure adds the node."""

    def __init__(self, msg: str, cause: BaseException | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.cause = cause


def make_error(tree: Tree, node: Node, msg: str, cause: BaseException | None = None) -> ExecError:
    line, col = tree.location(node.pos)
    err = ExecError(tree.name, line, col, str(node), msg, cause, file=tree.parse_name)
    err.tree = tree  # compiled code is shared by same-text trees: the runner relabels it
    return err


def exit_node(n: Node) -> Node:
    """The node Go's state points at after successfully evaluating ``n`` as an argument."""
    if isinstance(n, ChainNode):
        return exit_node(n.node)
    if isinstance(n, PipeNode):
        if not n.cmds:
            return n
        return command_exit(n.cmds[-1])
    return n


def command_exit(cmd: CommandNode) -> Node:
    first = cmd.args[0]
    if isinstance(first, IdentifierNode):
        if len(cmd.args) > 1:
            return exit_node(cmd.args[-1])
        return first
    if isinstance(first, (FieldNode, VariableNode)):
        return first
    return exit_node(first)


# -- printing -------------------------------------------------------------------------


def print_value(v: Any) -> str | None:
    """Go's printValue text for a pipeline result; None if Go cannot print it."""
    t = type(v)
    if t is str:
        return v
    if t is int or t is GoInt:
        return int.__repr__(v)
    if t is bool:
        return "true" if v else "false"
    if v is NOVALUE:
        return "<no value>"
    if t is float:
        a = v if v >= 0 else -v
        if 1e-4 <= a < 1e6:  # same text as Go's shortest %v in this range
            if v.is_integer():
                return int.__repr__(int(v))
            return float.__repr__(v)
    if t is complex:
        return format_complex(v)
    if isinstance(v, BaseException):  # a Go error value prints its Error() text
        return str(v)
    if isinstance(v, GoFunc) or (callable(v) and not isinstance(v, (GoStruct, type))
                                 and not hasattr(v, "__go_string__")
                                 and not isinstance(v, (dict, list))):
        return None
    return gofmt.format_printable(v)


def _print_or_fail(v: Any, tree: Tree, node: Node) -> str:
    r = print_value(v)
    if r is None:
        raise make_error(tree, node, f"can't print {node} of type {go_type(v)}")
    return r


def format_complex(v: complex) -> str:
    """Go's %v of a complex128: (1+2i)."""
    re_s = gofmt.format_value(v.real)
    im_s = gofmt.format_value(v.imag)
    if not im_s.startswith(("-", "+")):
        im_s = "+" + im_s
    return f"({re_s}{im_s}i)"


# -- field access --------------------------------------------------------------------


def _static(v: Any, st_type: str | None) -> str:
    return st_type if st_type is not None else go_type(v)


class FieldContext:
    """What a field-chain step needs besides the receiver."""

    __slots__ = ("mode",)

    def __init__(self, mode: str) -> None:
        self.mode = mode


def missing_key(mode: str, name: str, m: dict) -> Any:
    if mode == "error":
        raise _Fail(f"map has no entry for key {go_quote(name)}")
    if mode == "zero":
        if type(m) is dict:
            return None
        from .builtins import _map_zero

        return _map_zero(m)
    return NOVALUE


def elem_static_type(container: Any) -> str | None:
    """Static Go type of a value fetched out of ``container`` (None: its concrete type)."""
    if type(container) is dict or type(container) is list:
        return "interface {}"
    if isinstance(container, TypedMap):
        from .builtins import map_elem_type

        return map_elem_type(container)
    if isinstance(container, TypedList):
        return container.go_type[2:]
    if isinstance(container, (dict, list)):
        return "interface {}"
    return None


# -- the compiler ----------------------------------------------------------------------

if TYPE_CHECKING:
    Stmt = Callable[[Any, Any, list, list], None]
    Expr = Callable[[Any, Any, list], Any]


class _Scope:
    __slots__ = ("names", "iface")

    def __init__(self) -> None:
        self.names: list[tuple[str, int]] = [("$", 0)]
        self.iface: set[int] = set()


class Compiler:
    def __init__(self, tree: Tree, funcs: dict[str, Any], missingkey: str) -> None:
        self.tree = tree
        self.funcs = funcs
        self.mode = "default" if missingkey in ("default", "invalid") else missingkey
        self.scope = _Scope()
        self.nslots = 2  # slot 0: $, slot 1: "dot comes from a range over an integer"
        self.dot_iface = False
        self._typed_cache: dict[tuple[int, str], Expr] = {}
        # Branch bodies compile on their first run (most of a chart's optional features never
        # run); very deep trees compile eagerly, on the big stack the caller provides.
        self.lazy = tree.nesting <= 150

    # -- errors --------------------------------------------------------------------
    def err(self, node: Node, msg: str, cause: BaseException | None = None) -> ExecError:
        return make_error(self.tree, node, msg, cause)

    def raiser(self, node: Node, msg: str) -> Callable[..., Any]:
        tree = self.tree

        def fail(*_a: Any) -> Any:
            raise make_error(tree, node, msg)

        return fail

    # -- variables -----------------------------------------------------------------
    def declare(self, name: str, iface: bool = False) -> int:
        slot = self.nslots
        self.nslots += 1
        self.scope.names.append((name, slot))
        if iface:
            self.scope.iface.add(slot)
        return slot

    def lookup(self, name: str) -> int | None:
        for n, slot in reversed(self.scope.names):
            if n == name:
                return slot
        return None

    def mark(self) -> int:
        return len(self.scope.names)

    def pop(self, mark: int) -> None:
        del self.scope.names[mark:]

    # -- entry ---------------------------------------------------------------------
    def compile(self) -> tuple[Stmt, int]:
        body = self.block(self.tree.root)
        return body, self.nslots

    # -- statements ----------------------------------------------------------------
    def block(self, lst: ListNode) -> Stmt:
        items: list[Any] = []  # str (text) | ("act", expr, node) | statement
        for n in lst.nodes:
            if isinstance(n, TextNode):
                if items and type(items[-1]) is str:
                    items[-1] += n.text
                else:
                    items.append(n.text)
            elif isinstance(n, CommentNode):
                continue
            elif isinstance(n, ActionNode) and not n.pipe.decl:
                items.append(("act", self.pipeline(n.pipe), n))
            elif isinstance(n, (IfNode, WithNode)):
                items.append(("if", *self.if_parts(n, isinstance(n, WithNode))))
            else:
                items.append(self.stmt(n))
        if not items:
            return _noop
        if len(items) == 1 and type(items[0]) is not tuple:
            it = items[0]
            if type(it) is str:
                def text1(st: Any, dot: Any, fr: list, out: list) -> None:
                    out.append(it)
                return text1
            return it
        if len(items) > 16:
            # Long lists have nearly unique shapes: generating code for them would cost a
            # Python compile per list; a loop over prepared statements is cheaper overall.
            seq = tuple(self._as_stmt(i) for i in items)

            def run(st: Any, dot: Any, fr: list, out: list) -> None:
                for f in seq:
                    if f.__class__ is str:
                        out.append(f)
                    else:
                        f(st, dot, fr, out)
            return run
        # Generate straight-line code: no loop, no per-item dispatch, actions inlined.
        ns: dict[str, Any] = {"_pv": _print_or_fail, "_tree": self.tree, "truth": truth}
        shape = []
        for i, it in enumerate(items):
            if type(it) is str:
                ns[f"t{i}"] = it
                shape.append("t")
            elif type(it) is tuple and it[0] == "if":
                _, cond, body, els, with_ = it
                ns[f"c{i}"] = cond
                ns[f"b{i}"] = body
                if els is not None:
                    ns[f"x{i}"] = els
                shape.append(("W" if els is not None else "w") if with_ else (
                    "I" if els is not None else "i"))
            elif type(it) is tuple:
                ns[f"e{i}"] = it[1]
                ns[f"n{i}"] = it[2]
                shape.append("a")
            else:
                ns[f"f{i}"] = it
                shape.append("s")
        return _gen(_list_source("".join(shape)), ns)

    def _as_stmt(self, it: Any) -> Any:
        if type(it) is not tuple:
            return it
        if it[0] == "if":
            return _if_stmt(*it[1:])
        expr, node = it[1], it[2]
        tree = self.tree

        def act(st: Any, dot: Any, fr: list, out: list) -> None:
            v = expr(st, dot, fr)
            out.append(v if v.__class__ is str else _print_or_fail(v, tree, node))
        return act

    def stmt(self, n: Node) -> Stmt:
        if isinstance(n, ActionNode):
            return self.action(n)
        if isinstance(n, IfNode):
            return self.if_with(n, with_=False)
        if isinstance(n, WithNode):
            return self.if_with(n, with_=True)
        if isinstance(n, RangeNode):
            return self.range_(n)
        if isinstance(n, TemplateNode):
            return self.template(n)
        if isinstance(n, BreakNode):
            return _do_break
        if isinstance(n, ContinueNode):
            return _do_continue
        if isinstance(n, ListNode):
            return self.block(n)
        raise AssertionError(f"unknown node {n!r}")

    def branch(self, lst: ListNode) -> Stmt:
        """Compile a body that may never run (if/with/range branches): plain text now,
        anything else on its first run, in the variable scope of this point."""
        if not self.lazy or all(isinstance(x, (TextNode, CommentNode)) for x in lst.nodes):
            return self.block(lst)
        names, iface = list(self.scope.names), set(self.scope.iface)
        dot_iface, first_slot = self.dot_iface, self.nslots

        def compile_body() -> tuple[Stmt, int]:
            sub = Compiler(self.tree, self.funcs, self.mode)
            sub._typed_cache = self._typed_cache
            sub.scope.names, sub.scope.iface = names, iface
            sub.dot_iface, sub.nslots = dot_iface, first_slot
            return sub.block(lst), sub.nslots

        return _LazyStmt(compile_body)

    def action(self, n: ActionNode) -> Stmt:
        pipe = self.pipeline(n.pipe)
        if n.pipe.decl:
            def decl_action(st: Any, dot: Any, fr: list, out: list) -> None:
                pipe(st, dot, fr)
            return decl_action
        tree = self.tree

        def act(st: Any, dot: Any, fr: list, out: list) -> None:
            v = pipe(st, dot, fr)
            if v.__class__ is str:
                out.append(v)
                return
            s = print_value(v)
            if s is None:
                raise make_error(tree, n, f"can't print {n} of type {go_type(v)}")
            out.append(s)

        return act

    def if_with(self, n: BranchNode, with_: bool) -> Stmt:
        return _if_stmt(*self.if_parts(n, with_))

    def if_parts(self, n: BranchNode, with_: bool) -> tuple[Expr, Stmt, Stmt | None, bool]:
        """Compile an if/with into (condition, body, else-or-None, sets-dot)."""
        mark = self.mark()
        pipe = self.pipeline(n.pipe)
        after_pipe = self.mark()
        saved_dot = self.dot_iface
        if with_:
            self.dot_iface = False
        body = self.branch(n.list)
        self.dot_iface = saved_dot
        self.pop(after_pipe)
        els = self.branch(n.else_list) if n.else_list is not None else None
        self.pop(mark)
        return pipe, body, els, with_

    def range_(self, n: RangeNode) -> Stmt:
        mark = self.mark()
        p = n.pipe
        # Range variables: "$v" or "$i, $v"; declared (or assigned) by the pipeline.
        pipe = self.pipeline(p, range_decl=True)
        slots: list[int | None] = []
        for d in p.decl:
            slots.append(self.lookup(d.idents[0]))
        idx_slot = slots[0] if len(slots) > 1 else None
        elem_slot = slots[-1] if slots else None
        ndecl = len(p.decl)
        after_pipe = self.mark()
        saved_dot = self.dot_iface
        self.dot_iface = True
        body = self.branch(n.list)
        self.dot_iface = saved_dot
        self.pop(after_pipe)
        els = self.branch(n.else_list) if n.else_list is not None else None
        self.pop(mark)
        tree = self.tree
        err_node = exit_node(p)
        loop_ctl = _has_loop_control(n.list)

        def one(st: Any, elem: Any, index: Any, fr: list, out: list) -> None:
            if elem_slot is not None:
                fr[elem_slot] = elem
            if idx_slot is not None:
                fr[idx_slot] = index
            body(st, elem, fr, out)

        def iterate(v: Any) -> Any:
            """Yield (index, elem) pairs, or None if Go treats the value as empty/invalid."""
            if v is NOVALUE or v is None:
                return None
            if isinstance(v, (list, tuple)):
                return enumerate(v)
            if isinstance(v, dict):
                return ((k, v[k]) for k in _sorted_keys(v))
            if isinstance(v, (bytes, bytearray)):
                from kelm.golang.value import GoUint8

                return ((i, GoUint8(b)) for i, b in enumerate(v))
            if isinstance(v, int) and not isinstance(v, bool):
                if ndecl > 1:
                    raise make_error(tree, err_node, "can't use "
                                     f"{gofmt.format_value(v)} to iterate over more than one "
                                     "variable")
                cls = type(v)
                return ((NOVALUE, cls(i)) for i in range(int(v)))
            raise make_error(tree, err_node, f"range can't iterate over {gofmt.format_value(v)}")

        def run_range(st: Any, dot: Any, fr: list, out: list) -> None:
            v = pipe(st, dot, fr)
            prev = fr[_INT_RANGE]
            fr[_INT_RANGE] = v.__class__ is int or v.__class__ is GoInt or isinstance(
                v, (GoIntKind, bytes, bytearray)) or (
                isinstance(v, (TypedList, TypedMap))
                and elem_static_type(v) not in ("interface {}", "any"))
            try:
                _range_body(v, st, dot, fr, out)
            finally:
                fr[_INT_RANGE] = prev

        def _range_body(v: Any, st: Any, dot: Any, fr: list, out: list) -> None:
            if type(v) is list:
                if v:
                    if not loop_ctl:
                        if elem_slot is None:
                            for e in v:
                                body(st, e, fr, out)
                        elif idx_slot is None:
                            for e in v:
                                fr[elem_slot] = e
                                body(st, e, fr, out)
                        else:
                            for i, e in enumerate(v):
                                fr[elem_slot] = e
                                fr[idx_slot] = GoInt(i)
                                body(st, e, fr, out)
                        return
                    items: Any = enumerate(v)
                else:
                    items = None
            elif type(v) is dict and v and not loop_ctl:
                for k in _sorted_keys(v):
                    e = v[k]
                    if elem_slot is not None:
                        fr[elem_slot] = e
                    if idx_slot is not None:
                        fr[idx_slot] = k
                    body(st, e, fr, out)
                return
            else:
                items = iterate(v)
            ran = False
            if items is not None:
                if loop_ctl:
                    try:
                        for i, e in items:
                            ran = True
                            try:
                                one(st, e, _index_value(i), fr, out)
                            except _Continue:
                                pass
                    except _Break:
                        pass
                else:
                    for i, e in items:
                        ran = True
                        one(st, e, _index_value(i), fr, out)
            if not ran and els is not None:
                els(st, dot, fr, out)

        return run_range

    def template(self, n: TemplateNode) -> Stmt:
        pipe = self.pipeline(n.pipe) if n.pipe is not None else None
        tree = self.tree
        name = n.name

        def call_template(st: Any, dot: Any, fr: list, out: list) -> None:
            t = st.lookup_compiled(name)
            if t is None:
                raise make_error(tree, n, f"template {go_quote(name)} not defined")
            if st.depth >= MAX_EXEC_DEPTH:
                raise make_error(tree, n,
                                 f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
            d = pipe(st, dot, fr) if pipe is not None else NOVALUE
            t.run(st, d, out)

        return call_template

    # -- pipelines -----------------------------------------------------------------
    def pipeline(self, p: PipeNode, range_decl: bool = False) -> Expr:
        """Compile a pipeline; declares its variables in the current scope."""
        cmds = p.cmds
        first = self.command(cmds[0], has_final=False, prev_exit=p)
        rest = []
        for i, c in enumerate(cmds[1:], start=1):
            rest.append(self.command(c, has_final=True, prev_exit=command_exit(cmds[i - 1])))
        slots: list[int] = []
        tree = self.tree
        for d in p.decl:
            name = d.idents[0]
            if p.is_assign:
                slot = self.lookup(name)
                if slot is None:
                    return self._undefined_after(first, rest, command_exit(cmds[-1]), name)
                slots.append(slot)
            else:
                slots.append(self.declare(name, iface=range_decl))
        if range_decl and len(p.decl) == 2 and not p.is_assign:
            # "$i, $v": the index variable is not an interface slot
            self.scope.iface.discard(slots[0])
        del tree
        if not rest:
            if not slots:
                return first
            if len(slots) == 1:
                s0 = slots[0]

                def decl1(st: Any, dot: Any, fr: list) -> Any:
                    v = first(st, dot, fr)
                    fr[s0] = v
                    return v
                return decl1
        rest_t = tuple(rest)
        slots_t = tuple(slots)

        def pipe_n(st: Any, dot: Any, fr: list) -> Any:
            v = first(st, dot, fr)
            for c in rest_t:
                v = c(st, dot, fr, v)
            for s in slots_t:
                fr[s] = v
            return v

        return pipe_n

    def _undefined_after(self, first: Expr, rest: list[Any], at: Node, name: str) -> Expr:
        """Go evaluates the pipeline, then fails to assign an undeclared variable."""
        tree = self.tree

        def undefined(st: Any, dot: Any, fr: list) -> Any:
            v = first(st, dot, fr)
            for c in rest:
                v = c(st, dot, fr, v)
            raise make_error(tree, at, f"undefined variable: {name}")

        return undefined

    def command(self, cmd: CommandNode, has_final: bool, prev_exit: Node) -> Any:
        """Compile a pipeline command; the result is digested (nil interface -> NOVALUE).
        Returns e(st, dot, fr) if not has_final, else c(st, dot, fr, final)."""
        first = cmd.args[0]
        args = cmd.args[1:]
        if isinstance(first, FieldNode):
            return self.field_chain(first, None, first.idents, args, has_final, digest=True,
                                    err_node=first)
        if isinstance(first, ChainNode):
            if isinstance(first.node, NilNode):
                return self.raiser(first, f"indirection through explicit nil in {first}")
            base = self.arg_value(first.node)
            return self.field_chain(first, base, first.fields, args, has_final, digest=True,
                                    err_node=exit_node(first.node))
        if isinstance(first, VariableNode):
            return self.variable(first, args, has_final, digest=True)
        if isinstance(first, IdentifierNode):
            return self.function_call(first, cmd, args, has_final, digest=True)
        if isinstance(first, PipeNode):
            if args or has_final:
                return self.raiser(prev_exit if has_final else prev_exit,
                                   f"can't give argument to non-function {first}")
            return self.pipeline_nested(first)
        # literals
        if args or has_final:
            return self.raiser(first, f"can't give argument to non-function {first}")
        if isinstance(first, BoolNode):
            val = first.true
            return lambda st, dot, fr: val
        if isinstance(first, DotNode):
            def dot_cmd(st: Any, dot: Any, fr: list) -> Any:
                return NOVALUE if dot is None else dot
            return dot_cmd
        if isinstance(first, NilNode):
            return self.raiser(first, "nil is not a command")
        if isinstance(first, NumberNode):
            return self.ideal_constant(first)
        if isinstance(first, StringNode):
            sval = first.text
            return lambda st, dot, fr: sval
        return self.raiser(first, f"can't evaluate command {go_quote(str(first))}")

    def pipeline_nested(self, p: PipeNode) -> Expr:
        """A parenthesized pipeline: its declarations live in the enclosing scope, as in Go
        (they are pushed on the same variable stack)."""
        return self.pipeline(p)

    def ideal_constant(self, n: NumberNode) -> Expr:
        if n.is_complex:
            val: Any = n.complex128
        elif (n.is_float and not _is_hex_int(n.text) and not n.text.startswith("'")
              and any(c in n.text for c in ".eEpP")):
            val = n.float64
        elif n.is_int:
            val = GoInt(n.int64)
        elif n.is_uint:
            return self.raiser(n, f"{n.text} overflows int")
        else:
            val = NOVALUE
        return lambda st, dot, fr: val

    # -- variables -------------------------------------------------------------------
    def variable(self, n: VariableNode, args: list[Node], has_final: bool, digest: bool) -> Any:
        name = n.idents[0]
        slot = self.lookup(name)
        if slot is None:
            return self.raiser(n, f"undefined variable: {name}")
        if len(n.idents) == 1:
            if args or has_final:
                return self.raiser(n, f"can't give argument to non-function {n}")
            if digest:
                def var_d(st: Any, dot: Any, fr: list) -> Any:
                    v = fr[slot]
                    return NOVALUE if v is None else v
                return var_d
            return lambda st, dot, fr: fr[slot]

        def base(st: Any, dot: Any, fr: list) -> Any:
            return fr[slot]

        base._kelm_slot = slot  # type: ignore[attr-defined]
        iface = slot in self.scope.iface
        return self.field_chain(n, base, n.idents[1:], args, has_final, digest=digest,
                                err_node=n, first_iface=iface)

    # -- field chains ----------------------------------------------------------------
    def field_chain(self, node: Node, base: Expr | None, idents: list[str], args: list[Node],
                    has_final: bool, digest: bool, err_node: Node,
                    first_iface: bool | None = None, allow_fast: bool = True) -> Any:
        """Compile ``base.a.b.c [args] [| final]``; base None means dot."""
        tree = self.tree
        mode = self.mode
        if first_iface is None:
            first_iface = self.dot_iface if base is None else False
        if allow_fast and not args and not has_final and mode != "error" and len(idents) <= 8:
            slot = getattr(base, "_kelm_slot", None)
            if base is None or slot is not None:
                # the general path is only needed when the fast one does not apply: build
                # it on first use (most chains never need it)
                slow = _Lazy(lambda: self.field_chain(node, base, idents, [], False, digest,
                                                      err_node, first_iface, allow_fast=False))
                return self._fast_chain(slot, idents, digest, slow)
        arg_nodes = args
        arg_exprs = [self.arg_value(a) for a in args]
        comp = self
        nid = len(idents)
        first_static = "interface {}" if first_iface else None

        def walk(st: Any, dot: Any, fr: list, final: Any = _NOFINAL) -> Any:
            v = dot if base is None else base(st, dot, fr)
            static = first_static
            if static is not None and fr[_INT_RANGE] is True:
                static = None  # an element of a range over an integer has a concrete type
            try:
                for i in range(nid):
                    name = idents[i]
                    last = i == nid - 1
                    has_args = last and (bool(arg_nodes) or final is not _NOFINAL)
                    if type(v) is dict and not has_args:
                        r = v.get(name, _MISS)
                        if r is _MISS:
                            r = missing_key(mode, name, v)
                        static = "interface {}"
                        v = r
                        continue
                    v, static = _slow_field(comp, st, dot, fr, v, static, name, has_args,
                                            node, arg_nodes, arg_exprs, final, mode)
            except _Fail as e:
                raise make_error(tree, err_node, e.msg, e.cause) from None
            if digest and v is None:
                return NOVALUE
            return v

        return walk

    def _fast_chain(self, slot: int | None, idents: list[str], digest: bool, slow: Expr
                    ) -> Expr:
        """Plain-dict chains without arguments: one dict.get per step, generated as
        straight-line code; anything else (non-dict receiver, missing intermediate key)
        falls back to the general ``slow`` path."""
        miss = NOVALUE if self.mode == "default" else None
        ns: dict[str, Any] = {"_MISS": _MISS, "miss": miss, "NOV": NOVALUE, "slow": slow,
                              "_pm": _plain_map}
        lines = ["def chain(st, dot, fr):"]
        lines.append("    v = dot" if slot is None else f"    v = fr[{slot}]")
        ind = "    "
        for i, name in enumerate(idents):
            ns[f"k{i}"] = name
            last = i == len(idents) - 1
            lines.append(f"{ind}if v.__class__ is dict or _pm(v, k{i}):")
            ind += "    "
            lines.append(f"{ind}v = v.get(k{i}, {'miss' if last else '_MISS'})")
        if digest and miss is None:
            lines.append(f"{ind}return NOV if v is None else v")
        else:
            lines.append(f"{ind}return v")
        lines.append("    return slow(st, dot, fr)")
        return _gen("\n".join(lines), ns)

    # -- arguments -------------------------------------------------------------------
    def arg_value(self, n: Node) -> Expr:
        """Evaluate a node as an argument with no declared type (evalArg with typ nil /
        interface): fields are not digested, pipelines are."""
        if isinstance(n, DotNode):
            return lambda st, dot, fr: dot
        if isinstance(n, NilNode):
            return lambda st, dot, fr: NOVALUE
        if isinstance(n, FieldNode):
            return self.field_chain(n, None, n.idents, [], False, digest=False, err_node=n)
        if isinstance(n, VariableNode):
            return self.variable(n, [], False, digest=False)
        if isinstance(n, PipeNode):
            return self.pipeline(n)
        if isinstance(n, IdentifierNode):
            return self.function_call(n, n, [], False, digest=False)
        if isinstance(n, ChainNode):
            if isinstance(n.node, NilNode):
                return self.raiser(n, f"indirection through explicit nil in {n}")
            base = self.arg_value(n.node)
            return self.field_chain(n, base, n.fields, [], False, digest=False,
                                    err_node=exit_node(n.node))
        if isinstance(n, BoolNode):
            val = n.true
            return lambda st, dot, fr: val
        if isinstance(n, NumberNode):
            return self.ideal_constant(n)
        if isinstance(n, StringNode):
            sval = n.text
            return lambda st, dot, fr: sval
        return self.raiser(n, f"can't handle assignment of {n} to empty interface argument")

    def typed_arg(self, n: Node, typ: str) -> Expr:
        """Go's evalArg(dot, typ, n): evaluate and check against a parameter type."""
        tree = self.tree
        if isinstance(n, NilNode):
            if typ == "reflect.Value":
                return lambda st, dot, fr: NOVALUE
            if can_be_nil(typ):
                return lambda st, dot, fr: None
            return self.raiser(n, f"cannot assign nil to {typ}")
        if isinstance(n, (DotNode, FieldNode, VariableNode, PipeNode, IdentifierNode,
                          ChainNode)):
            ev = self.arg_value(n)
            if typ in ("interface {}", "any"):
                def conv_iface(st: Any, dot: Any, fr: list) -> Any:
                    v = ev(st, dot, fr)
                    return None if v is NOVALUE else v
                return conv_iface
            if typ == "reflect.Value":
                return ev
            enode = exit_node(n)

            def conv(st: Any, dot: Any, fr: list) -> Any:
                v = ev(st, dot, fr)
                try:
                    return convert(v, typ)
                except TypeMismatch as e:
                    raise make_error(tree, enode, str(e)) from None
            return conv
        # literals: the parameter type decides what is accepted
        kind = _param_kind(typ)
        if kind in ("interface", "reflect"):
            return self.arg_value(n)
        val: Any
        if kind == "bool":
            if isinstance(n, BoolNode):
                val = n.true
                return lambda st, dot, fr: val
            return self.raiser(n, f"expected bool; found {n}")
        if kind == "string":
            if isinstance(n, StringNode):
                val = n.text
                return lambda st, dot, fr: val
            return self.raiser(n, f"expected string; found {n}")
        if kind == "int":
            if isinstance(n, NumberNode) and n.is_int:
                val = _int_of_type(typ, n.int64)
                return lambda st, dot, fr: val
            return self.raiser(n, f"expected integer; found {n}")
        if kind == "uint":
            if isinstance(n, NumberNode) and n.is_uint:
                val = _int_of_type(typ, n.uint64)
                return lambda st, dot, fr: val
            return self.raiser(n, f"expected unsigned integer; found {n}")
        if kind == "float":
            if isinstance(n, NumberNode) and n.is_float:
                val = n.float64
                return lambda st, dot, fr: val
            return self.raiser(n, f"expected float; found {n}")
        if kind == "complex":
            if isinstance(n, NumberNode) and n.is_complex:
                val = n.complex128
                return lambda st, dot, fr: val
            return self.raiser(n, f"expected complex; found {n}")
        return self.raiser(n, f"can't handle {n} for arg of type {typ}")

    # -- function calls --------------------------------------------------------------
    def function_call(self, ident: IdentifierNode, cmd: Node, args: list[Node],
                      has_final: bool, digest: bool) -> Any:
        name = ident.ident
        fn = self.funcs.get(name)
        is_builtin = False
        if fn is None:
            fn = BUILTINS.get(name)
            is_builtin = fn is not None
        elif fn is BUILTINS.get(name):
            is_builtin = True
        if fn is None:
            return self.raiser(ident, f"{go_quote(name)} is not a defined function")
        return self.call(fn, name, ident, cmd, args, has_final, digest, is_builtin)

    def call(self, fn: Any, name: str, at_node: Node, cmd: Node, args: list[Node],
             has_final: bool, digest: bool, is_builtin: bool) -> Any:
        """Go's evalCall with the signature known at compile time."""
        tree = self.tree
        params, result, returns_error, context = signature(fn)
        variadic = bool(params) and params[-1].startswith("...")
        num_in = len(args) + (1 if has_final else 0)
        if variadic:
            num_fixed = len(params) - 1
            if num_in < num_fixed:
                return self.raiser(at_node, f"wrong number of args for {name}: want at least "
                                   f"{len(params) - 1} got {len(args)}")
        else:
            num_fixed = len(args)
            if num_in != len(params):
                return self.raiser(at_node, f"wrong number of args for {name}: want "
                                   f"{len(params)} got {num_in}")
        if is_builtin and name in ("and", "or"):
            return self.and_or(name, args, has_final, digest)

        def ptype(i: int) -> str:
            if variadic and i >= len(params) - 1:
                return params[-1][3:]
            return params[i]

        arg_evals = [self.typed_arg(a, ptype(i)) for i, a in enumerate(args)]
        final_type = ""
        final_err_node = exit_node(args[-1]) if args else at_node
        if has_final:
            if variadic and num_in - 1 >= num_fixed:
                final_type = params[-1][3:]
            else:
                final_type = params[num_in - 1]
        raw = fn.fn if isinstance(fn, GoFunc) else fn
        if is_builtin and name == "call":
            callee = str(args[0]) if args else ""
            raw = _make_call(callee)
            context = False
        ret_nil_zero = None
        if result not in ("interface {}", "reflect.Value", "any", "") and can_be_nil(result):
            ret_nil_zero = result
        elif result in ("string", "bool", "int", "int64", "float64"):
            ret_nil_zero = result

        def convert_final(final: Any) -> Any:
            if final_type in ("interface {}", "any"):
                return None if final is NOVALUE else final
            if final_type == "reflect.Value":
                return final
            try:
                return convert(final, final_type)
            except TypeMismatch as e:
                raise make_error(tree, final_err_node, str(e)) from None

        ns: dict[str, Any] = {"raw": raw, "_fail": _call_failed, "_tree": tree, "_cmd": cmd,
                              "_name": name}
        if has_final:
            ns["cf"] = convert_final
        if ret_nil_zero is not None:
            ns["_zero"] = zero_for
            ns["_rz"] = ret_nil_zero
        elif digest:
            ns["NOV"] = NOVALUE
        for i, e in enumerate(arg_evals):
            ns[f"e{i}"] = e
        ret = "zero" if ret_nil_zero is not None else ("nov" if digest else "raw")
        return _gen(_call_source(len(arg_evals), has_final, context, ret), ns)

    def and_or(self, name: str, args: list[Node], has_final: bool, digest: bool) -> Any:
        evals = tuple(self.arg_value(a) for a in args)
        want = name == "or"

        def andor(st: Any, dot: Any, fr: list, final: Any = _NOFINAL) -> Any:
            v: Any = NOVALUE
            for e in evals:
                v = e(st, dot, fr)
                if truth(v) == want:
                    break
            else:
                if final is not _NOFINAL:
                    v = final
            if digest and v is None:
                return NOVALUE
            return v

        if has_final:
            return andor
        return lambda st, dot, fr: andor(st, dot, fr)

    def method_call(self, st: Any, dot: Any, fr: list, fn: Any, name: str, node: Node,
                    arg_nodes: list[Node], arg_exprs: list[Expr], final: Any) -> Any:
        """evalCall for a method found at run time (receiver type unknown when compiling)."""
        params, result, returns_error, context = signature(fn)
        variadic = bool(params) and params[-1].startswith("...")
        num_in = len(arg_nodes) + (0 if final is _NOFINAL else 1)
        if variadic:
            num_fixed = len(params) - 1
            if num_in < num_fixed:
                raise _Fail(f"wrong number of args for {name}: want at least "
                            f"{len(params) - 1} got {len(arg_nodes)}")
        else:
            num_fixed = len(arg_nodes)
            if num_in != len(params):
                raise _Fail(f"wrong number of args for {name}: want {len(params)} got "
                            f"{num_in}")
        argv = []
        for i, n in enumerate(arg_nodes):
            typ = params[-1][3:] if variadic and i >= len(params) - 1 else params[i]
            if isinstance(n, (BoolNode, NumberNode, StringNode, NilNode)):
                key = (id(n), typ)
                ev = self._typed_cache.get(key)
                if ev is None:
                    ev = self._typed_cache[key] = self.typed_arg(n, typ)
                argv.append(ev(st, dot, fr))
                continue
            v = arg_exprs[i](st, dot, fr)
            if typ in ("interface {}", "any"):
                argv.append(None if v is NOVALUE else v)
            elif typ == "reflect.Value":
                argv.append(v)
            else:
                try:
                    argv.append(convert(v, typ))
                except TypeMismatch as e:
                    raise make_error(self.tree, exit_node(n), str(e)) from None
        if final is not _NOFINAL:
            if variadic and num_in - 1 >= num_fixed:
                ftyp = params[-1][3:]
            else:
                ftyp = params[num_in - 1]
            try:
                argv.append(convert(final, ftyp) if ftyp != "interface {}" else (
                    None if final is NOVALUE else final))
            except TypeMismatch as e:
                raise _Fail(str(e)) from None
        raw = fn.fn if isinstance(fn, GoFunc) else fn
        try:
            r = raw(st, *argv) if context else raw(*argv)
        except RecursionError:
            raise
        except Exception as e:  # Go's evalCall reports a failed call at the call's node
            raise make_error(self.tree, node, f"error calling {name}: {e}", e) from None
        if r is None and result not in ("interface {}", "reflect.Value", "any", ""):
            r = zero_for(result)
        return r


_CODE_CACHE: dict[tuple[str, tuple[str, ...]], Any] = {}
_CALL_SRC: dict[tuple, str] = {}


_LIST_SRC: dict[str, str] = {}


def _list_source(shape: str) -> str:
    """Source running a list of this shape: t text, a action, s statement, i/I if
    (without/with else), w/W with."""
    src = _LIST_SRC.get(shape)
    if src is not None:
        return src
    lines = ["def run(st, dot, fr, out):", "    app = out.append"]
    for i, k in enumerate(shape):
        if k == "t":
            lines.append(f"    app(t{i})")
        elif k == "a":
            lines.append(f"    v = e{i}(st, dot, fr)")
            lines.append(f"    app(v if v.__class__ is str else _pv(v, _tree, n{i}))")
        elif k == "s":
            lines.append(f"    f{i}(st, dot, fr, out)")
        else:
            lines.append(f"    v = c{i}(st, dot, fr)")
            lines.append("    if v is True or (v is not False and truth(v)):")
            lines.append(f"        b{i}(st, {'v' if k in 'wW' else 'dot'}, fr, out)")
            if k in "IW":
                lines.append("    else:")
                lines.append(f"        x{i}(st, dot, fr, out)")
    src = _LIST_SRC[shape] = "\n".join(lines)
    return src


def _call_source(nargs: int, has_final: bool, context: bool, ret: str) -> str:
    """Source of a call site of this shape (arguments e0.., function raw, final via cf)."""
    key = (nargs, has_final, context, ret)
    src = _CALL_SRC.get(key)
    if src is not None:
        return src
    params_src = ["st", "dot", "fr"] + (["final"] if has_final else [])
    lines = [f"def call({', '.join(params_src)}):"]
    argv = ["st"] if context else []
    for i in range(nargs):
        lines.append(f"    a{i} = e{i}(st, dot, fr)")
        argv.append(f"a{i}")
    if has_final:
        lines.append("    af = cf(final)")
        argv.append("af")
    lines.append("    try:")
    lines.append(f"        r = raw({', '.join(argv)})")
    lines.append("    except BaseException as e:")
    lines.append("        _fail(e, _tree, _cmd, _name)")
    if ret == "zero":
        lines.append("    if r is None:")
        lines.append("        return _zero(_rz)")
    elif ret == "nov":
        lines.append("    if r is None:")
        lines.append("        return NOV")
    lines.append("    return r")
    src = _CALL_SRC[key] = "\n".join(lines)
    return src


class _LazyStmt:
    """A statement compiled on its first run.  Variables it declares take frame slots
    numbered from the enclosing count at its position: they live only while it runs, so
    sharing numbers with variables the enclosing body declares later is harmless; the
    frame grows to fit on entry."""

    __slots__ = ("make", "fn", "need")

    def __init__(self, make: Callable[[], tuple[Stmt, int]]) -> None:
        self.make: Any = make
        self.fn: Any = None
        self.need = 0

    def __call__(self, st: Any, dot: Any, fr: list, out: list) -> None:
        fn = self.fn
        if fn is None:
            fn, self.need = self.make()
            self.fn = fn
            self.make = None
        if len(fr) < self.need:
            fr.extend([NOVALUE] * (self.need - len(fr)))
        fn(st, dot, fr, out)


class _Lazy:
    """An expression compiled on its first evaluation."""

    __slots__ = ("make", "fn")

    def __init__(self, make: Callable[[], Expr]) -> None:
        self.make: Any = make
        self.fn: Any = None

    def __call__(self, st: Any, dot: Any, fr: list) -> Any:
        fn = self.fn
        if fn is None:
            fn = self.fn = self.make()
            self.make = None
        return fn(st, dot, fr)


def _gen(src: str, ns: dict[str, Any]) -> Any:
    """Instantiate generated source ``def f(...): ...`` with the names in ``ns`` bound as
    closure variables (cells are smaller and faster than a globals dict per function).  The
    source depends only on the shape, so each shape is compiled by Python once per process."""
    names = tuple(sorted(ns))
    key = (src, names)
    factory = _CODE_CACHE.get(key)
    if factory is None:
        fname = src[4 : src.index("(")]
        body = "\n".join("    " + line for line in src.split("\n"))
        code = f"def _make({', '.join(names)}):\n{body}\n    return {fname}"
        tmp: dict[str, Any] = {}
        exec(compile_cached(code, "<kelm.gotemplate>"), tmp)  # noqa: S102 - our own source
        factory = _CODE_CACHE[key] = tmp["_make"]
    return factory(**ns)


_PLAIN_MAP: dict[tuple[type, str], bool] = {}


def _plain_map(v: Any, name: str) -> bool:
    """Does ``v.name`` on this (non-dict) value behave exactly like a plain map lookup?
    True for dict subclasses (e.g. a named Values map) unless ``name`` is one of their Go
    methods or the map is typed (a typed map's missing key is not a nil interface)."""
    cls = v.__class__
    key = (cls, name)
    r = _PLAIN_MAP.get(key)
    if r is None:
        r = _PLAIN_MAP[key] = (issubclass(cls, dict) and not issubclass(cls, TypedMap)
                               and name not in getattr(cls, "_go_methods", ()))
    return r


def _call_failed(e: BaseException, tree: Tree, cmd: Node, name: str) -> None:
    """A function call raised: Go's ``error calling NAME: ERR`` (a panic is recovered the
    same way); control flow and interpreter limits pass through."""
    if isinstance(e, (_Break, _Continue, RecursionError, KeyboardInterrupt, SystemExit,
                      MemoryError)) or type(e).__name__ == "DepthExceeded":
        raise e
    raise make_error(tree, cmd, f"error calling {name}: {e}", e) from None


def _with_fallback(fast: Expr, slow: Expr) -> Expr:
    def chain(st: Any, dot: Any, fr: list) -> Any:
        v = fast(st, dot, fr)
        if v is _MISS:
            return slow(st, dot, fr)
        return v
    return chain


def _slow_field(comp: Compiler, st: Any, dot: Any, fr: list, v: Any, static: str | None,
                name: str, has_args: bool, node: Node, arg_nodes: list[Node],
                arg_exprs: list[Expr], final: Any, mode: str) -> tuple[Any, str | None]:
    """Go's evalField for everything but the plain-dict fast path."""
    if v is NOVALUE:
        if mode == "error":
            raise _Fail(f"nil data; no entry for key {go_quote(name)}")
        return NOVALUE, None
    if v is None:
        raise _Fail(f"nil pointer evaluating {static or 'interface {}'}.{name}")
    if isinstance(v, dict):
        if name in getattr(v, "_go_methods", ()):
            attr = getattr(type(v), name)
            fn = attr if isinstance(attr, GoFunc) else getattr(v, name)
            if isinstance(attr, GoFunc):
                fn = _bind(attr, v)
            r = comp.method_call(st, dot, fr, fn, name, node, arg_nodes, arg_exprs, final)
            return r, _result_static(fn)
        if has_args:
            raise _Fail(f"{name} is not a method but has arguments")
        r = v.get(name, _MISS)
        if r is _MISS:
            r = missing_key(mode, name, v)
        return r, elem_static_type(v)
    if isinstance(v, GoStruct) or hasattr(v, "_go_fields"):
        kind, member = struct_member(v, name)
        if kind == "method":
            fn = _bind(member, v) if isinstance(member, GoFunc) else member
            r = comp.method_call(st, dot, fr, fn, name, node, arg_nodes, arg_exprs, final)
            return r, _result_static(fn)
        if kind == "field":
            if has_args:
                raise _Fail(f"{name} has arguments but cannot be invoked as function")
            return member, None
    raise _Fail(f"can't evaluate field {name} in type {_static(v, static)}")


def _result_static(fn: Any) -> str | None:
    if isinstance(fn, GoFunc):
        return "interface {}" if fn.result in ("interface {}", "") else None
    return "interface {}"


def _bind(gf: GoFunc, obj: Any) -> GoFunc:
    fn = gf.fn

    def bound(*args: Any) -> Any:
        return fn(obj, *args)

    return GoFunc(bound, gf.params, gf.result, gf.returns_error, gf.context)


def signature(fn: Any) -> tuple[tuple[str, ...], str, bool, bool]:
    if isinstance(fn, GoFunc):
        return fn.params, fn.result, fn.returns_error, fn.context
    return ("...interface {}",), "interface {}", False, False


def _param_kind(typ: str) -> str:
    if typ in ("interface {}", "any"):
        return "interface"
    if typ == "reflect.Value":
        return "reflect"
    if typ == "bool":
        return "bool"
    if typ == "string":
        return "string"
    if typ in ("int", "int8", "int16", "int32", "int64", "rune"):
        return "int"
    if typ in ("uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "byte"):
        return "uint"
    if typ in ("float64", "float32"):
        return "float"
    if typ in ("complex128", "complex64"):
        return "complex"
    return "other"


def _int_of_type(typ: str, v: int) -> Any:
    if typ == "int64":
        return int(v)
    cls = _INT_TYPES.get(typ)
    return cls(v) if cls is not None else int(v)


def _is_hex_int(s: str) -> bool:
    return len(s) > 2 and s[0] == "0" and s[1] in "xX" and not any(c in s for c in "pP")


def _index_value(i: Any) -> Any:
    if type(i) is int:
        return GoInt(i)
    return i


def _sorted_keys(m: dict) -> list:
    if m.__class__ is dict:
        try:
            return sorted(m)
        except TypeError:
            pass
    keys = list(m)
    try:
        if all(type(k) is str for k in keys):
            return sorted(keys)
        return sorted(keys, key=_key_order)
    except TypeError:
        return sorted(keys, key=lambda k: (type(k).__name__, str(k)))


def _key_order(k: Any) -> Any:
    if isinstance(k, bool):
        return (0, int(k))
    if isinstance(k, (int, float)):
        return (1, k)
    return (2, str(k))


def _has_loop_control(lst: ListNode) -> bool:
    for n in lst.nodes:
        if isinstance(n, (BreakNode, ContinueNode)):
            return True
        if isinstance(n, (IfNode, WithNode)):
            if _has_loop_control(n.list):
                return True
            if n.else_list is not None and _has_loop_control(n.else_list):
                return True
        if isinstance(n, RangeNode) and n.else_list is not None:
            if _has_loop_control(n.else_list):
                return True
    return False


def _if_stmt(pipe: Expr, body: Stmt, els: Stmt | None, with_: bool) -> Stmt:
    if with_:
        def with_stmt(st: Any, dot: Any, fr: list, out: list) -> None:
            v = pipe(st, dot, fr)
            if truth(v):
                body(st, v, fr, out)
            elif els is not None:
                els(st, dot, fr, out)
        return with_stmt

    def if_stmt(st: Any, dot: Any, fr: list, out: list) -> None:
        v = pipe(st, dot, fr)
        if v is True or (v is not False and truth(v)):
            body(st, dot, fr, out)
        elif els is not None:
            els(st, dot, fr, out)
    return if_stmt


def _noop(st: Any, dot: Any, fr: list, out: list) -> None:
    return None


def _do_break(st: Any, dot: Any, fr: list, out: list) -> None:
    raise _Break


def _do_continue(st: Any, dot: Any, fr: list, out: list) -> None:
    raise _Continue


def _make_call(callee: str) -> Callable[..., Any]:
    """The ``call`` builtin: call(fn, args...) with Go's checks and messages."""

    def call(fn: Any, *args: Any) -> Any:
        if fn is NOVALUE or fn is None:
            raise GoError("call of nil")
        if not callable(fn) or isinstance(fn, (GoStruct, type)):
            raise GoError(f"non-function {callee} of type {go_type(fn)}")
        params, result, returns_error, context = signature(fn)
        variadic = bool(params) and params[-1].startswith("...")
        num_in = len(params)
        if variadic:
            if len(args) < num_in - 1:
                raise GoError(f"wrong number of args for {callee}: got {len(args)} want at "
                              f"least {num_in - 1}")
        elif len(args) != num_in:
            raise GoError(f"wrong number of args for {callee}: got {len(args)} want {num_in}")
        argv = []
        for i, a in enumerate(args):
            a = NOVALUE if a is None else a
            typ = params[-1][3:] if variadic and i >= num_in - 1 else params[i]
            if typ in ("interface {}", "any"):
                argv.append(None if a is NOVALUE else a)
                continue
            try:
                argv.append(prepare_arg(a, typ))
            except TypeMismatch as e:
                raise GoError(f"arg {i}: {e}") from None
        raw = fn.fn if isinstance(fn, GoFunc) else fn
        if context:
            raise GoError("call of context function is not supported")
        return raw(*argv)

    return call


__all__ = ["Compiler", "print_value", "make_error", "MAX_EXEC_DEPTH", "UNSIGNED"]

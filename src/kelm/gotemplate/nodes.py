"""Parse-tree nodes of Go's text/template, with Go's ``String()`` rendering.

Error messages quote nodes (``executing "t" at <.Values.a.b>``), so ``str(node)`` must be
exactly what Go's ``Node.String()`` prints.  ``pos`` is the offset of the node in the text
of its :class:`Tree`, used for the ``LINE:COL`` of execution errors.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


class Node:
    __slots__ = ("pos",)
    pos: int

    def __str__(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


class TextNode(Node):
    __slots__ = ("text",)

    def __init__(self, pos: int, text: str) -> None:
        self.pos = pos
        self.text = text

    def __str__(self) -> str:
        return self.text


class CommentNode(Node):
    __slots__ = ("text",)

    def __init__(self, pos: int, text: str) -> None:
        self.pos = pos
        self.text = text

    def __str__(self) -> str:
        return "{{" + self.text + "}}"


class ListNode(Node):
    __slots__ = ("nodes",)

    def __init__(self, pos: int) -> None:
        self.pos = pos
        self.nodes: list[Node] = []

    def __str__(self) -> str:
        return "".join(str(n) for n in self.nodes)


class DotNode(Node):
    __slots__ = ()

    def __init__(self, pos: int) -> None:
        self.pos = pos

    def __str__(self) -> str:
        return "."


class NilNode(Node):
    __slots__ = ()

    def __init__(self, pos: int) -> None:
        self.pos = pos

    def __str__(self) -> str:
        return "nil"


class BoolNode(Node):
    __slots__ = ("true",)

    def __init__(self, pos: int, true: bool) -> None:
        self.pos = pos
        self.true = true

    def __str__(self) -> str:
        return "true" if self.true else "false"


class StringNode(Node):
    __slots__ = ("quoted", "text")

    def __init__(self, pos: int, quoted: str, text: str) -> None:
        self.pos = pos
        self.quoted = quoted
        self.text = text

    def __str__(self) -> str:
        return self.quoted


class NumberNode(Node):
    __slots__ = ("text", "is_int", "is_uint", "is_float", "is_complex",
                 "int64", "uint64", "float64", "complex128")

    def __init__(self, pos: int, text: str) -> None:
        self.pos = pos
        self.text = text
        self.is_int = self.is_uint = self.is_float = self.is_complex = False
        self.int64 = 0
        self.uint64 = 0
        self.float64 = 0.0
        self.complex128 = 0j

    def __str__(self) -> str:
        return self.text


class IdentifierNode(Node):
    __slots__ = ("ident",)

    def __init__(self, pos: int, ident: str) -> None:
        self.pos = pos
        self.ident = ident

    def __str__(self) -> str:
        return self.ident


class VariableNode(Node):
    """``$x`` or ``$x.a.b`` (idents = ["$x", "a", "b"])."""

    __slots__ = ("idents",)

    def __init__(self, pos: int, idents: list[str]) -> None:
        self.pos = pos
        self.idents = idents

    def __str__(self) -> str:
        return ".".join(self.idents)


class FieldNode(Node):
    """``.a.b`` (idents = ["a", "b"])."""

    __slots__ = ("idents",)

    def __init__(self, pos: int, idents: list[str]) -> None:
        self.pos = pos
        self.idents = idents

    def __str__(self) -> str:
        return "".join("." + i for i in self.idents)


class ChainNode(Node):
    """``(pipe).a.b``: a term followed by fields."""

    __slots__ = ("node", "fields")

    def __init__(self, pos: int, node: Node) -> None:
        self.pos = pos
        self.node = node
        self.fields: list[str] = []

    def __str__(self) -> str:
        s = str(self.node)
        if isinstance(self.node, PipeNode):
            s = "(" + s + ")"
        return s + "".join("." + f for f in self.fields)


class CommandNode(Node):
    __slots__ = ("args",)

    def __init__(self, pos: int) -> None:
        self.pos = pos
        self.args: list[Node] = []

    def __str__(self) -> str:
        parts = []
        for a in self.args:
            if isinstance(a, PipeNode):
                parts.append("(" + str(a) + ")")
            else:
                parts.append(str(a))
        return " ".join(parts)


class PipeNode(Node):
    __slots__ = ("line", "is_assign", "decl", "cmds")

    def __init__(self, pos: int, line: int) -> None:
        self.pos = pos
        self.line = line
        self.is_assign = False
        self.decl: list[VariableNode] = []
        self.cmds: list[CommandNode] = []

    def __str__(self) -> str:
        s = ""
        if self.decl:
            s = ", ".join(str(v) for v in self.decl)
            s += " = " if self.is_assign else " := "
        return s + " | ".join(str(c) for c in self.cmds)


class ActionNode(Node):
    __slots__ = ("line", "pipe")

    def __init__(self, pos: int, line: int, pipe: PipeNode) -> None:
        self.pos = pos
        self.line = line
        self.pipe = pipe

    def __str__(self) -> str:
        return "{{" + str(self.pipe) + "}}"


class BranchNode(Node):
    """if / range / with."""

    __slots__ = ("line", "pipe", "list", "else_list")
    keyword = ""

    def __init__(self, pos: int, line: int, pipe: PipeNode, lst: ListNode,
                 else_list: ListNode | None) -> None:
        self.pos = pos
        self.line = line
        self.pipe = pipe
        self.list = lst
        self.else_list = else_list

    def __str__(self) -> str:
        s = "{{" + self.keyword + " " + str(self.pipe) + "}}" + str(self.list)
        if self.else_list is not None:
            s += "{{else}}" + str(self.else_list)
        return s + "{{end}}"


class IfNode(BranchNode):
    __slots__ = ()
    keyword = "if"


class RangeNode(BranchNode):
    __slots__ = ()
    keyword = "range"


class WithNode(BranchNode):
    __slots__ = ()
    keyword = "with"


class BreakNode(Node):
    __slots__ = ("line",)

    def __init__(self, pos: int, line: int) -> None:
        self.pos = pos
        self.line = line

    def __str__(self) -> str:
        return "{{break}}"


class ContinueNode(Node):
    __slots__ = ("line",)

    def __init__(self, pos: int, line: int) -> None:
        self.pos = pos
        self.line = line

    def __str__(self) -> str:
        return "{{continue}}"


class EndNode(Node):
    __slots__ = ()

    def __init__(self, pos: int) -> None:
        self.pos = pos

    def __str__(self) -> str:
        return "{{end}}"


class ElseNode(Node):
    __slots__ = ("line",)

    def __init__(self, pos: int, line: int) -> None:
        self.pos = pos
        self.line = line

    def __str__(self) -> str:
        return "{{else}}"


class TemplateNode(Node):
    __slots__ = ("line", "name", "pipe")

    def __init__(self, pos: int, line: int, name: str, pipe: PipeNode | None) -> None:
        self.pos = pos
        self.line = line
        self.name = name
        self.pipe = pipe

    def __str__(self) -> str:
        from .lexer import go_quote

        if self.pipe is None:
            return "{{template " + go_quote(self.name) + "}}"
        return "{{template " + go_quote(self.name) + " " + str(self.pipe) + "}}"


class Tree:
    """One parsed template: ``name`` as called, ``parse_name`` and ``text`` of the file it
    came from (positions in errors are computed against ``text``).

    ``origin`` is the tree whose compiled code this one shares: files with the same text
    (a subchart vendored many times, ``common`` helpers) are parsed and compiled once, and
    only their names differ (see :func:`kelm.gotemplate.template.parse_cached`)."""

    __slots__ = ("name", "parse_name", "text", "root", "nesting", "compiled", "origin")

    def __init__(self, name: str, parse_name: str, text: str, root: ListNode | None,
                 nesting: int = 0, origin: Tree | None = None) -> None:
        self.name = name
        self.parse_name = parse_name
        self.text = text
        if root is not None:
            self.root = root
        self.nesting = nesting  # deepest control/parenthesis nesting of the text
        self.compiled: Any = None
        self.origin: Tree = origin if origin is not None else self

    def __getattr__(self, name: str) -> Any:
        if name != "root" or self.origin is self:
            raise AttributeError(name)
        root = self.root = self.origin.root  # a renamed copy shares its origin's nodes
        return root

    def is_empty(self) -> bool:
        """Go's IsEmptyTree of the root."""
        return is_empty_tree(self.root)

    def renamed(self, name: str, parse_name: str) -> Tree:
        """The same parsed text under other names, sharing nodes and compiled code."""
        return Tree(name, parse_name, self.text, None, self.nesting, self.origin)

    def __repr__(self) -> str:
        return f"Tree(name={self.name!r}, parse_name={self.parse_name!r})"

    def location(self, pos: int) -> tuple[int, int]:
        """(line, byte column) of an offset, as Go's ErrorContext computes them."""
        text = self.text
        line = 1 + text.count("\n", 0, pos)
        nl = text.rfind("\n", 0, pos)
        if nl < 0:
            col_text = text[:pos]
        else:
            col_text = text[nl + 1 : pos]
        return line, len(col_text.encode("utf-8", "surrogatepass"))


def is_empty_tree(n: Node | None) -> bool:
    """Go's parse.IsEmptyTree: only space text and comments."""
    if n is None:
        return True
    if isinstance(n, ListNode):
        return all(is_empty_tree(x) for x in n.nodes)
    if isinstance(n, CommentNode):
        return True
    if isinstance(n, TextNode):
        return n.text.strip(" \t\n\r\v\f\x85\xa0") == ""
    return False

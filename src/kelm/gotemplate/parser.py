"""Parser for Go's text/template: tokens to :mod:`nodes` trees, with Go's error messages.

``parse(name, text, funcs)`` returns every tree the text defines (the top-level one under
``name`` plus each ``define``/``block``), as Go's ``parse.Parse`` does.  Function names are
checked while parsing (``function "x" not defined``), as in Go.

Two modes give the same trees: by default the parser scans the text itself and builds the
nodes of whole actions (see ``lexer.SIMPLE``) straight from their regex match, lexing only the
other actions into tokens; on any error it starts again token by token over the whole text
(``whole_actions=False``, Go's algorithm step by step), which alone reports Go's exact message
and line.  tests/parsediff checks both against the pre-optimisation parser.
"""

from __future__ import annotations

import math
import re
from collections.abc import Container, Iterator

from kelm import recache

from . import lexer as L
from .errors import ParseError
from .nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
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
    is_empty_tree,
)

MAX_STACK_DEPTH = 10000
MAX_PIPELINE_CMDS = 100000


class _Redo(Exception):
    """Raised on any error while whole-action tokens are in use: the text is then parsed
    again token by token, the one path that reports Go's exact message and line."""


_DEFINE = recache.compile(r"""define[ \t\r\n]++("(?:[^"\\\n]++|\\[^\n])*+"|`[^`]*+`)\Z""")
# Statements that may lead a whole-action match as an identifier would.
_STATEMENTS = ("define", "block", "break", "continue")
_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NON_EXECUTABLE = (BoolNode, DotNode, NilNode, NumberNode, StringNode)
# The words and pipes of a whole action (which the lexer matched: no need to check them).
_WORDS = recache.compile(r"""[^ \t\r\n|"`()]+|"(?:[^"\\\n]|\\[^\n])*"|`[^`]*`|[|()]""")


class Parser:
    """State shared by the trees parsed from one text (Go's Tree fields during parsing)."""

    def __init__(self, name: str, text: str, funcs: Container[str],
                 whole_actions: bool = True) -> None:
        self.parse_name = name
        self.text = text
        self.funcs = funcs
        self.whole_actions = whole_actions
        self.lexer = L.Lexer(text, break_ok="break" not in funcs,
                             continue_ok="continue" not in funcs, funcs=funcs)
        if whole_actions:  # the text is scanned as parsing goes (see scan_list)
            self.tokens = [L.Token(L.EOF, len(text), "")]
            self.pos = 0
        else:
            self.lexer.whole_actions = False
            self.tokens = self.lexer.run()
        self.i = 0
        self.hi = 0
        self.limit = len(self.tokens) - 1  # index of the final EOF/error token
        self.tree_set: dict[str, Tree] = {}
        # per-tree state
        self.vars: list[str] = ["$"]
        self.range_depth = 0
        self.stack_depth = 0
        self.action_pos = -1
        self.nesting = 0
        self.max_nesting = 0
        # {{else if ...}}/{{else with ...}} as one token: (keyword, match) for parse_control
        self.else_action: tuple[str, re.Match] | None = None

    # -- token stream ------------------------------------------------------------
    def next(self) -> L.Token:
        i = self.i
        self.i = i + 1
        if i > self.hi:
            self.hi = i
            if i >= self.limit:  # keep returning the final EOF/error token, as Go's lexer
                self.tokens.append(self.tokens[-1])
                self.limit += 1
        return self.tokens[i]

    def backup(self, n: int = 1) -> None:
        self.i -= n

    def peek(self) -> L.Token:
        i = self.i
        if i > self.hi:
            self.hi = i
        return self.tokens[i]

    def next_non_space(self) -> L.Token:
        tokens = self.tokens
        i = self.i
        tok = tokens[i]
        while tok.typ == L.SPACE:
            i += 1
            tok = tokens[i]
        self.i = i
        return self.next()

    def peek_non_space(self) -> L.Token:
        tokens = self.tokens
        i = self.i
        tok = tokens[i]
        while tok.typ == L.SPACE:
            i += 1
            tok = tokens[i]
        self.i = i
        if i > self.hi:
            self.hi = i
        return tok

    # -- errors ----------------------------------------------------------------
    def line_of(self, pos: int) -> int:
        return 1 + self.text.count("\n", 0, pos)

    def errorf(self, msg: str) -> None:
        if self.whole_actions:
            raise _Redo
        tok = self.tokens[min(self.hi, len(self.tokens) - 1)]
        raise ParseError(self.parse_name, self.line_of(tok.pos), msg)

    def unexpected(self, tok: L.Token, context: str) -> None:
        if tok.typ == L.ERROR:
            extra = ""
            if self.action_pos >= 0:
                aline = self.line_of(self.action_pos)
                if aline != self.line_of(tok.pos):
                    extra = f" in action started at {self.parse_name}:{aline}"
                    if tok.val.endswith(" action"):
                        extra = extra[len(" in action"):]
            self.errorf(tok.val + extra)
        self.errorf(f"unexpected {tok.describe()} in {context}")

    def expect(self, typ: int, context: str) -> L.Token:
        tok = self.next_non_space()
        if tok.typ != typ:
            self.unexpected(tok, context)
        return tok

    # -- trees -----------------------------------------------------------------
    def add(self, tree: Tree) -> None:
        old = self.tree_set.get(tree.name)
        if old is None or is_empty_tree(old.root):
            self.tree_set[tree.name] = tree
            return
        if not is_empty_tree(tree.root):
            self.errorf(f"template: multiple definition of template {L.go_quote(tree.name)}")

    def parse(self) -> dict[str, Tree]:
        if self.whole_actions:
            root = self.scan_list(True)[0]
        else:
            root = ListNode(self.peek().pos)
            while self.peek().typ != L.EOF:
                if self.peek().typ == L.LEFT:
                    self.next()
                    if self.next_non_space().typ == L.DEFINE:
                        self.parse_definition()
                        continue
                    # back up to the delimiter (spaces included)
                    while self.tokens[self.i - 1].typ != L.LEFT:
                        self.i -= 1
                    self.i -= 1
                n = self.text_or_action()
                if isinstance(n, (EndNode, ElseNode)):
                    self.errorf(f"unexpected {n}")
                root.nodes.append(n)
        self.add(Tree(self.parse_name, self.parse_name, self.text, root))
        for tree in self.tree_set.values():
            tree.nesting = self.max_nesting
        return self.tree_set

    def scan_list(self, top: bool) -> tuple[ListNode, Node | None]:
        """The item loop when whole actions are on: text and whole actions straight from
        the text, any other action lexed on its own and parsed from its tokens.  Ends at EOF
        (None) or at an {{end}}/{{else}} (returned, unless ``top``: an error there).  The
        list's position is its first token's, as in token-by-token parsing."""
        if self.tokens[self.i].typ != L.EOF:
            raise _Redo  # the rest of an action ({{else if}} in a range): item, so error
        t = self.text
        lexer = self.lexer
        match = L._ACTION.match
        nodes: list[Node] = []
        first = -1
        pos = self.pos
        node: Node
        while True:
            x = t.find("{{", pos)
            if x < 0:
                end = len(t)
                if pos < end:
                    nodes.append(TextNode(pos, t[pos:]))
                    if first < 0:
                        first = pos
                self.pos = end
                lst = ListNode(first if first >= 0 else end)
                lst.nodes = nodes
                return lst, None
            if x > pos:
                if t.startswith("-", x + 2) and t[x + 3:x + 4] in L._SPACES:  # Lexer.text_before
                    text = t[pos:x].rstrip(L.SPACE_CHARS)
                    if text:
                        nodes.append(TextNode(pos, text))
                        if first < 0:
                            first = pos
                else:
                    nodes.append(TextNode(pos, t[pos:x]))
                    if first < 0:
                        first = pos
            m = match(t, x)
            if m is not None:
                g = m.groups()
                words = g[8]
                if words is not None and words.startswith(_STATEMENTS):
                    d = _DEFINE.match(words) if top and g[5] is None else None
                    if d is not None:  # {{ define "name" }}
                        if first < 0:
                            first = x
                        self.pos = m.end()
                        self.parse_definition(d[1])
                        pos = self.pos
                        continue
                    m = None  # {{block}} etc.: token by token (names: see word_node)
            if m is not None:
                if first < 0:
                    first = x
                self.pos = m.end()
                node = self.simple_action(m, g)
            else:
                tokens = lexer.tokens = []
                end = lexer.action(x)
                if end < 0:
                    raise _Redo
                if not tokens:  # a comment
                    pos = end
                    continue
                if first < 0:
                    first = x
                tokens.append(L.Token(L.EOF, len(t), ""))
                self.tokens = tokens
                self.i = self.hi = 0
                self.limit = len(tokens) - 1
                self.pos = end
                if top:
                    self.next()
                    if self.next_non_space().typ == L.DEFINE:
                        self.parse_definition()
                        pos = self.pos
                        continue
                    self.i = 0
                node = self.text_or_action()
            pos = self.pos
            if isinstance(node, (EndNode, ElseNode)):
                if top:
                    self.errorf(f"unexpected {node}")
                lst = ListNode(first)
                lst.nodes = nodes
                return lst, node
            nodes.append(node)

    def _sub_tree_state(self) -> tuple[list[str], int, int]:
        saved = (self.vars, self.range_depth, self.stack_depth)
        self.vars = ["$"]
        self.range_depth = 0
        self.stack_depth = 0
        return saved

    def parse_definition(self, quoted: str | None = None) -> None:
        """After {{define: the name token and the rest of the action, or (``quoted``) only
        the name of a whole {{ define "name" }} action."""
        context = "define clause"
        saved = self._sub_tree_state()
        if quoted is None:
            tok = self.next_non_space()
            if tok.typ not in (L.STRING, L.RAWSTRING):
                self.unexpected(tok, context)
            name = self.unquote(tok.val)
            self.expect(L.RIGHT, context)
        else:
            name = self.unquote(quoted)
        root, end = self.item_list()
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        self.add(Tree(name, self.parse_name, self.text, root))
        self.vars, self.range_depth, self.stack_depth = saved

    def item_list(self) -> tuple[ListNode, Node]:
        if self.whole_actions:
            lst, end = self.scan_list(False)
            if end is None:
                self.errorf("unexpected EOF")
                raise AssertionError
            return lst, end
        lst = ListNode(self.peek_non_space().pos)
        while self.peek_non_space().typ != L.EOF:
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                return lst, n
            lst.nodes.append(n)
        self.errorf("unexpected EOF")
        raise AssertionError

    def text_or_action(self) -> Node:
        tok = self.next_non_space()
        if tok.typ == L.TEXT:
            return TextNode(tok.pos, tok.val)
        if tok.typ == L.LEFT:
            self.action_pos = tok.pos
            try:
                return self.action()
            finally:
                self.action_pos = -1
        self.unexpected(tok, "input")
        raise AssertionError

    def simple_action(self, m: re.Match, g: tuple) -> Node:
        """The nodes of a whole action (match m, groups g; see lexer.SIMPLE)."""
        kw, tpl0, ctl, ectl, tpl, _, _, _, words, _, _ = g
        if words is not None and ctl is None and ectl is None and tpl is None:
            pipe = self.whole_pipeline(m, g, "command")
            return ActionNode(pipe.pos, 0, pipe)
        if ctl is not None:
            if ctl == "if":
                return IfNode(*self.parse_control("if", m, g))
            if ctl == "range":
                return RangeNode(*self.parse_control("range", m, g))
            return WithNode(*self.parse_control("with", m, g))
        if kw is not None:
            end = m.start("rt")  # Go's position of these nodes is the "}}"
            end = end + 2 if end >= 0 else m.end() - 2
            return EndNode(end) if kw == "end" else ElseNode(end, 0)
        if ectl is not None:  # parse_control of the enclosing if/with takes it from here
            self.else_action = (ectl, m)
            return ElseNode(m.start("ectl"), 0)
        if tpl is not None:
            return TemplateNode(m.start("tpl"), 0, self.unquote(tpl),
                                self.whole_pipeline(m, g, "template clause"))
        return TemplateNode(m.start("tpl0"), 0, self.unquote(tpl0), None)

    def whole_pipeline(self, m: re.Match, g: tuple, context: str) -> PipeNode:
        """The pipeline of a whole action (match m, groups g), built from its words as
        pipeline() would."""
        d1, d2, op, words, more = g[5:10]
        p = m.start("cmds")
        if d1 is None:
            pipe = PipeNode(p, 0)
            if more is None and words[0] != "(":  # {{ .a.b }}, {{ $x }}: a third of actions
                cmd = CommandNode(p)
                cmd.args.append(self.word_node(words, p))
                pipe.cmds.append(cmd)
                return pipe
        else:
            p1 = m.start("d1")
            pipe = PipeNode(p1, 0)
            pipe.is_assign = op == "="
            pipe.decl.append(VariableNode(p1, [d1]))
            self.vars.append(d1)
            if d2 is not None:
                if context != "range":
                    raise _Redo
                pipe.decl.append(VariableNode(m.start("d2"), [d2]))
                self.vars.append(d2)
        self.whole_cmds(pipe, iter(_WORDS.findall(self.text, p, m.end("cmds"))), p)
        return pipe

    def whole_cmds(self, pipe: PipeNode, words: Iterator[str], p: int) -> int:
        """Add the commands of the words (up to the ")" closing ``pipe``, if any) to pipe;
        return the offset after them.  p: an offset at or before the first word."""
        cmds = pipe.cmds
        args: list[Node] = []
        new_cmd = True
        find = self.text.find
        word_node = self.word_node
        for s in words:
            if s == "|":
                new_cmd = True
                continue
            p = find(s, p)  # only separators come before the word
            if s == ")":
                p += 1
                break
            if new_cmd:
                new_cmd = False
                cmd = CommandNode(p)
                args = cmd.args
                cmds.append(cmd)
            if s == "(":
                node, p = self.whole_paren(words, p + 1)
                args.append(node)
            else:
                args.append(word_node(s, p))
                p += len(s)
        for cmd in cmds[1:]:
            if isinstance(cmd.args[0], _NON_EXECUTABLE):
                raise _Redo
        return p

    def whole_paren(self, words: Iterator[str], p: int) -> tuple[Node, int]:
        """A parenthesized pipeline of a whole action (term() and operand()) from the word
        after the "(" ending before p; return its node and the offset after it."""
        self.stack_depth += 1
        if self.stack_depth * 2 > self.max_nesting:
            self.max_nesting = self.stack_depth * 2
        pipe = PipeNode(p, 0)
        p = self.whole_cmds(pipe, words, p)
        pipe.pos = pipe.cmds[0].pos  # its first token's
        self.stack_depth -= 1
        if self.text.startswith(".", p):  # (...).a.b: the next word is the fields
            s = next(words)
            chain = ChainNode(p, pipe)
            chain.fields.extend(s[1:].split("."))
            return chain, p + len(s)
        return pipe, p

    def word_node(self, s: str, p: int) -> Node:
        """The node of one word of a whole action."""
        c = s[0]
        if c == ".":
            if len(s) == 1:
                return DotNode(p)
            idents = s[1:].split(".")
            return FieldNode(p + len(idents[0]) + 1 if len(idents) > 1 else p, idents)
        if c in _NAME_START:
            if s in L._LITERALS:
                return NilNode(p) if s == "nil" else BoolNode(p, s == "true")
            known = self.lexer.known
            if s not in known:  # an unknown function or a keyword: an error
                if s not in self.funcs or s in L._RESERVED:
                    raise _Redo
                known.add(s)
            return IdentifierNode(p, s)
        if c == "$":
            idents = s.split(".")
            if idents[0] not in self.vars:
                raise _Redo
            return VariableNode(p + len(idents[0]) if len(idents) > 1 else p, idents)
        if c == '"' or c == "`":
            try:
                return StringNode(p, s, unquote(s))
            except ValueError:
                raise _Redo from None
        return self.number(p, s, L.NUMBER)

    def action(self) -> Node:
        tok = self.next_non_space()
        typ = tok.typ
        if typ == L.BLOCK:
            return self.block_control()
        if typ == L.BREAK:
            return self.break_control(tok, "break")
        if typ == L.CONTINUE:
            return self.break_control(tok, "continue")
        if typ == L.ELSE:
            return self.else_control()
        if typ == L.END:
            t = self.expect(L.RIGHT, "end")
            return EndNode(t.pos)
        if typ == L.IF:
            return IfNode(*self.parse_control("if"))
        if typ == L.RANGE:
            return RangeNode(*self.parse_control("range"))
        if typ == L.TEMPLATE:
            return self.template_control()
        if typ == L.WITH:
            return WithNode(*self.parse_control("with"))
        self.backup()
        tok = self.peek()
        return ActionNode(tok.pos, 0, self.pipeline("command", L.RIGHT))

    def break_control(self, tok: L.Token, word: str) -> Node:
        t = self.next_non_space()
        if t.typ != L.RIGHT:
            self.unexpected(t, "{{" + word + "}}")
        if self.range_depth == 0:
            self.errorf("{{" + word + "}} outside {{range}}")
        return BreakNode(tok.pos, 0) if word == "break" else ContinueNode(tok.pos, 0)

    def else_control(self) -> Node:
        peek = self.peek_non_space()
        if peek.typ in (L.IF, L.WITH):
            return ElseNode(peek.pos, 0)
        tok = self.expect(L.RIGHT, "else")
        return ElseNode(tok.pos, 0)

    def parse_control(self, context: str, whole: re.Match | None = None, g: tuple = ()
                      ) -> tuple[int, int, PipeNode, ListNode, ListNode | None]:
        nvars = len(self.vars)
        self.nesting += 1
        if self.nesting > self.max_nesting:
            self.max_nesting = self.nesting
        if whole is None:
            pipe = self.pipeline(context, L.RIGHT)
        else:
            pipe = self.whole_pipeline(whole, g, context)
        if context == "range":
            self.range_depth += 1
        lst, nxt = self.item_list()
        if context == "range":
            self.range_depth -= 1
        else_list = None
        if isinstance(nxt, ElseNode):
            # {{else if}} / {{else with}}: parse the inner control, its {{end}} ends both.
            if self.else_action is not None:
                ctl, m = self.else_action
                self.else_action = None
                if ctl != context:
                    raise _Redo
                else_list = ListNode(nxt.pos)
                else_list.nodes.append((IfNode if ctl == "if" else WithNode)(
                    *self.parse_control(ctl, m, m.groups())))
            elif context == "if" and self.peek().typ == L.IF:
                self.next()
                else_list = ListNode(nxt.pos)
                else_list.nodes.append(IfNode(*self.parse_control("if")))
            elif context == "with" and self.peek().typ == L.WITH:
                self.next()
                else_list = ListNode(nxt.pos)
                else_list.nodes.append(WithNode(*self.parse_control("with")))
            else:
                else_list, nxt = self.item_list()
                if not isinstance(nxt, EndNode):
                    self.errorf(f"expected end; found {nxt}")
        del self.vars[nvars:]
        self.nesting -= 1
        return pipe.pos, 0, pipe, lst, else_list

    def block_control(self) -> Node:
        context = "block clause"
        tok = self.next_non_space()
        name = self.template_name(tok, context)
        pipe = self.pipeline(context, L.RIGHT)
        saved = self._sub_tree_state()
        root, end = self.item_list()
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        self.add(Tree(name, self.parse_name, self.text, root))
        self.vars, self.range_depth, self.stack_depth = saved
        return TemplateNode(tok.pos, 0, name, pipe)

    def template_control(self) -> Node:
        context = "template clause"
        tok = self.next_non_space()
        name = self.template_name(tok, context)
        pipe = None
        if self.next_non_space().typ != L.RIGHT:
            self.backup()
            pipe = self.pipeline(context, L.RIGHT)
        return TemplateNode(tok.pos, 0, name, pipe)

    def template_name(self, tok: L.Token, context: str) -> str:
        if tok.typ in (L.STRING, L.RAWSTRING):
            return self.unquote(tok.val)
        self.unexpected(tok, context)
        raise AssertionError

    # -- pipelines -------------------------------------------------------------
    def pipeline(self, context: str, end: int) -> PipeNode:
        tok = self.peek_non_space()
        pipe = PipeNode(tok.pos, 0)
        while True:  # declarations
            v = self.peek_non_space()
            if v.typ != L.VARIABLE:
                break
            self.next_non_space()
            after = self.peek()
            nxt = self.peek_non_space()
            if nxt.typ in (L.ASSIGN, L.DECLARE):
                pipe.is_assign = nxt.typ == L.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, [v.val]))
                self.vars.append(v.val)
                break
            if nxt.typ == L.CHAR and nxt.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, [v.val]))
                self.vars.append(v.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (L.VARIABLE, L.RIGHT, L.RPAREN):
                        continue
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            # not a declaration: push the variable back
            if after.typ == L.SPACE:
                self.i -= 2
            else:
                self.i -= 1
            break
        while True:
            tok = self.next_non_space()
            if tok.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if tok.typ in (L.BOOL, L.CHARCONST, L.COMPLEX, L.DOT, L.FIELD, L.IDENT, L.NUMBER,
                           L.NIL, L.RAWSTRING, L.STRING, L.VARIABLE, L.LPAREN):
                self.backup()
                pipe.cmds.append(self.command())
                if len(pipe.cmds) > MAX_PIPELINE_CMDS:
                    self.errorf("pipeline too long")
            else:
                self.unexpected(tok, context)

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            self.errorf(f"missing value for {context}")
        for i, c in enumerate(pipe.cmds[1:]):
            if isinstance(c.args[0], (BoolNode, DotNode, NilNode, NumberNode, StringNode)):
                self.errorf(f"non executable command in pipeline stage {i + 2}")

    def command(self) -> CommandNode:
        cmd = CommandNode(self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            tok = self.next()
            if tok.typ == L.SPACE:
                continue
            if tok.typ in (L.RIGHT, L.RPAREN):
                self.backup()
            elif tok.typ == L.PIPE:
                pass
            else:
                self.unexpected(tok, "operand")
            break
        if not cmd.args:
            self.errorf("empty command")
        return cmd

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == L.FIELD:
            chain = ChainNode(self.peek().pos, node)
            while self.peek().typ == L.FIELD:
                chain.fields.append(self.next().val[1:])
            if isinstance(node, FieldNode):
                return FieldNode(chain.pos, node.idents + chain.fields)
            if isinstance(node, VariableNode):
                return VariableNode(chain.pos, node.idents + chain.fields)
            if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                self.errorf(f"unexpected . after term {L.go_quote(str(node))}")
            return chain
        return node

    def term(self) -> Node | None:
        tok = self.next_non_space()
        typ = tok.typ
        if typ == L.IDENT:
            if tok.val not in self.funcs:
                self.errorf(f"function {L.go_quote(tok.val)} not defined")
            return IdentifierNode(tok.pos, tok.val)
        if typ == L.DOT:
            return DotNode(tok.pos)
        if typ == L.NIL:
            return NilNode(tok.pos)
        if typ == L.VARIABLE:
            if tok.val not in self.vars:
                self.errorf(f"undefined variable {L.go_quote(tok.val)}")
            return VariableNode(tok.pos, [tok.val])
        if typ == L.FIELD:
            return FieldNode(tok.pos, [tok.val[1:]])
        if typ == L.BOOL:
            return BoolNode(tok.pos, tok.val == "true")
        if typ in (L.CHARCONST, L.COMPLEX, L.NUMBER):
            return self.number(tok.pos, tok.val, typ)
        if typ == L.LPAREN:
            if self.stack_depth >= MAX_STACK_DEPTH:
                self.errorf("max expression depth exceeded")
            self.stack_depth += 1
            if self.stack_depth * 2 > self.max_nesting:
                self.max_nesting = self.stack_depth * 2
            try:
                return self.pipeline("parenthesized pipeline", L.RPAREN)
            finally:
                self.stack_depth -= 1
        if typ in (L.STRING, L.RAWSTRING):
            return StringNode(tok.pos, tok.val, self.unquote(tok.val))
        self.backup()
        return None

    # -- literals --------------------------------------------------------------
    def unquote(self, s: str) -> str:
        try:
            return unquote(s)
        except ValueError:
            self.errorf("invalid syntax")
            raise AssertionError from None

    def number(self, pos: int, text: str, typ: int) -> NumberNode:
        try:
            return new_number(pos, text, typ)
        except ValueError as e:
            self.errorf(str(e))
            raise AssertionError from None


# -- Go literal syntax ----------------------------------------------------------------

_SIMPLE_ESC = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
               "\\": "\\"}


def unquote_char(s: str, i: int, quote: str) -> tuple[str, int]:
    """strconv.UnquoteChar: decode one (possibly escaped) character at s[i]."""
    c = s[i]
    if c == quote and quote in "'\"":
        raise ValueError
    if c != "\\":
        return c, i + 1
    if i + 1 >= len(s):
        raise ValueError
    c = s[i + 1]
    i += 2
    if c in _SIMPLE_ESC:
        return _SIMPLE_ESC[c], i
    if c in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[c]
        h = s[i : i + n]
        if len(h) < n or not all(ch in "0123456789abcdefABCDEF" for ch in h):
            raise ValueError
        v = int(h, 16)
        if c == "x":
            if quote == "'":
                return chr(v), i + n
            # a byte: only valid as part of UTF-8; we keep it as a code point <= 0xff
            return chr(v), i + n
        if v > 0x10FFFF or 0xD800 <= v < 0xE000:
            raise ValueError
        return chr(v), i + n
    if c in "01234567":
        h = s[i - 1 : i + 2]
        if len(h) < 3 or not all(ch in "01234567" for ch in h):
            raise ValueError
        v = int(h, 8)
        if v > 255:
            raise ValueError
        return chr(v), i + 2
    if c in "'\"":
        if c != quote:
            raise ValueError
        return c, i
    raise ValueError


def unquote(s: str) -> str:
    """strconv.Unquote for "..." and `...` strings."""
    if len(s) < 2 or s[0] != s[-1]:
        raise ValueError
    q = s[0]
    body = s[1:-1]
    if q == "`":
        if "`" in body:
            raise ValueError
        return body.replace("\r", "")
    if q != '"':
        raise ValueError
    if "\\" not in body and '"' not in body and "\n" not in body:
        return body
    if "\n" in body:
        raise ValueError
    out = []
    i = 0
    raw_bytes: list[int] = []
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body) and body[i + 1] in "x01234567":
            ch, i = unquote_char(body, i, '"')
            raw_bytes.append(ord(ch))
            continue
        if raw_bytes:
            out.append(bytes(raw_bytes).decode("utf-8", "replace"))
            raw_bytes = []
        ch, i = unquote_char(body, i, '"')
        out.append(ch)
    if raw_bytes:
        out.append(bytes(raw_bytes).decode("utf-8", "replace"))
    return "".join(out)


_UNDERSCORE_OK = recache.compile(r"^[+-]?(0[xXbBoO]_?)?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$")


def _underscore_ok(s: str) -> bool:
    """Go's underscoreOK: '_' only between digits (or after a base prefix)."""
    if "_" not in s:
        return True
    body = s.lstrip("+-")
    if body[:1] == "0" and body[1:2] in ("x", "X", "b", "B", "o", "O"):
        body = body[2:]
        if body.startswith("_"):
            body = body[1:]
    elif body[:1] == "0" and len(body) > 1 and body[1] == "_":
        body = body[2:] if len(body) > 2 else ""
        if not body:
            return False
    parts = re.split(r"[.eEpP+-]", body)
    for p in parts:
        if p == "":
            continue
        if p.startswith("_") or p.endswith("_") or "__" in p:
            return False
    return True


def parse_go_int(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64) without the range check (None if not an integer)."""
    s = text
    neg = False
    if s[:1] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if not s or not _underscore_ok(text):
        return None
    s2 = s.replace("_", "")
    base = 10
    if len(s2) > 1 and s2[0] == "0":
        p = s2[1]
        if p in "xX":
            base, s2 = 16, s2[2:]
        elif p in "bB":
            base, s2 = 2, s2[2:]
        elif p in "oO":
            base, s2 = 8, s2[2:]
        else:
            base, s2 = 8, s2[1:]
    elif "_" in s and s.replace("_", "") != s and s[0] == "0" and len(s2) == 1:
        return None
    if not s2:
        return None
    digits = "0123456789abcdef"[:base]
    if not all(ch.lower() in digits for ch in s2):
        return None
    v = int(s2, base)
    return -v if neg else v


def parse_go_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64) for Go float literal syntax (None if invalid).
    Out-of-range values return None (Go reports a range error)."""
    s = text
    if not _underscore_ok(s) and "_" in s:
        return None
    body = s.lstrip("+-")
    if body[:2].lower() == "0x":
        if "p" not in body.lower():
            return None
        try:
            v = float.fromhex(s.replace("_", ""))
        except (ValueError, OverflowError):
            return None
        return v
    if not re.fullmatch(r"[+-]?([0-9_]+\.?[0-9_]*|\.[0-9_]+)([eE][+-]?[0-9_]+)?", s):
        return None
    try:
        v = float(s.replace("_", ""))
    except ValueError:
        return None
    if math.isinf(v):
        return None
    return v


INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
UINT64_MAX = (1 << 64) - 1


def new_number(pos: int, text: str, typ: int) -> NumberNode:
    """Go's newNumber: classify a numeric literal as int/uint/float/complex."""
    n = NumberNode(pos, text)
    if typ == L.NUMBER and text.isdigit() and text.isascii() and len(text) < 19 and (
            text[0] != "0" or len(text) == 1):  # a plain decimal int (4, 63, 8080): the usual
        n.int64 = n.uint64 = v = int(text)
        n.float64 = float(v)
        n.is_int = n.is_uint = n.is_float = True
        return n
    if typ == L.CHARCONST:
        body = text[1:]
        try:
            ch, i = unquote_char(body, 0, "'")
        except (ValueError, IndexError):
            raise ValueError("invalid syntax") from None
        if body[i:] != "'":
            raise ValueError(f"malformed character constant: {text}")
        v = ord(ch)
        n.int64 = n.uint64 = v
        n.float64 = float(v)
        n.is_int = n.is_uint = n.is_float = True
        return n
    if typ == L.COMPLEX:
        m = re.fullmatch(r"([+-]?[^+-]+(?:[eE][+-][0-9]+)?)([+-].*)i", text)
        if not m:
            raise ValueError("expected integer")
        re_part = parse_go_float(m.group(1))
        im_part = parse_go_float(m.group(2))
        if re_part is None or im_part is None:
            raise ValueError("expected integer")
        n.is_complex = True
        n.complex128 = complex(re_part, im_part)
        _simplify_complex(n)
        return n
    if text.endswith("i"):
        f = parse_go_float(text[:-1])
        if f is None:
            iv = parse_go_int(text[:-1])
            f = float(iv) if iv is not None else None
        if f is not None:
            n.is_complex = True
            n.complex128 = complex(0, f)
            _simplify_complex(n)
            return n
    iv = parse_go_int(text)
    if iv is not None and 0 <= iv <= UINT64_MAX and not text.startswith("-"):
        n.is_uint = True
        n.uint64 = iv
    if iv is not None and INT64_MIN <= iv <= INT64_MAX:
        n.is_int = True
        n.int64 = iv
        if iv == 0:
            n.is_uint = True
            n.uint64 = 0
    if n.is_int:
        n.is_float = True
        n.float64 = float(n.int64)
    elif n.is_uint:
        n.is_float = True
        n.float64 = float(n.uint64)
    else:
        f = parse_go_float(text)
        if f is not None:
            if not any(c in text for c in ".eEpP"):
                raise ValueError(f"integer overflow: {L.go_quote(text)}")
            n.is_float = True
            n.float64 = f
            if f == int(f) if math.isfinite(f) else False:
                iv2 = int(f)
                if INT64_MIN <= iv2 <= INT64_MAX:
                    n.is_int = True
                    n.int64 = iv2
                if 0 <= iv2 <= UINT64_MAX:
                    n.is_uint = True
                    n.uint64 = iv2
    if not (n.is_int or n.is_uint or n.is_float):
        raise ValueError(f"illegal number syntax: {L.go_quote(text)}")
    return n


def _simplify_complex(n: NumberNode) -> None:
    if n.complex128.imag == 0:
        n.is_float = True
        n.float64 = n.complex128.real
        if n.float64 == int(n.float64):
            n.is_int = True
            n.int64 = int(n.float64)
        if n.float64 == int(n.float64) and n.float64 >= 0:
            n.is_uint = True
            n.uint64 = int(n.float64)


def parse(name: str, text: str, funcs: Container[str]) -> dict[str, Tree]:
    """Parse ``text`` as template ``name``; return all trees it defines."""
    try:
        return Parser(name, text, funcs).parse()
    except _Redo:
        return Parser(name, text, funcs, whole_actions=False).parse()

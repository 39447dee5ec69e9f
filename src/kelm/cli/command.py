"""The command tree every ``kelm`` command is part of (cobra's model, as Helm uses it).

A :class:`Command` has a usage line, short and long help, aliases, its own flags, the
persistent flags it hands down to its subcommands, subcommands, an argument-count rule and a
run function.  :func:`execute` finds the command named on the command line (flags may come
before the command name, as with cobra), parses the flags, answers ``--help``, checks the
argument count and runs it, printing cobra's and Helm's error texts.  Help rendering and
suggestions live in :mod:`kelm.cli.help`, imported only when help is printed.
"""

from __future__ import annotations

import sys

from kelm._slots import Record
from kelm.cli.flags import Flag, FlagError, Parsed, parse_flags, takes_value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

ROOT_NAME = "kelm"


class CommandError(Exception):
    """``Error: <msg>`` on stderr, exit 1."""


def fail(msg: str, code: int = 1) -> None:
    """Print ``Error: msg`` (after flushing stdout) and exit with ``code``."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    sys.stderr.write(f"Error: {msg}\n")
    sys.stderr.flush()
    raise SystemExit(code)


class Command(Record):
    """One command of the tree.

    ``use``: the usage line after the command path (``"template [NAME] [CHART]"``; its first
    word is the name).  ``args``: ``None`` (any), ``("none",)``, ``("exact", n)``,
    ``("min", n)`` or ``("max", n)``, checked with Helm's messages.  ``subcommands`` may hold
    module names (``"kelm.cli.show"``) whose ``COMMAND`` is imported on first use.
    ``run(cmd, parsed)`` does the work; a command without one prints its help.  ``pre_run``
    (cobra's PersistentPreRun) checks the parsed flags of the command and its descendants.
    """

    __slots__ = ("use", "name", "short", "long", "aliases", "flags", "persistent", "_subs",
                 "run", "args", "hidden", "parent", "example", "interspersed", "pre_run")

    def __init__(
        self, use: str, short: str = "", long: str = "", aliases: tuple[str, ...] = (),
        flags: list[Flag] | None = None, persistent: list[Flag] | None = None,
        subcommands: list[Command | str] | None = None,
        run: Callable[[Command, Parsed], None] | None = None,
        args: tuple[Any, ...] | None = None, hidden: bool = False, example: str = "",
        interspersed: bool | None = True, pre_run: Callable[[Parsed], None] | None = None,
    ) -> None:
        self.use = use
        self.name = use.split(" ", 1)[0]
        self.short = short
        self.long = long
        self.aliases = aliases
        self.flags: list[Flag] = list(flags or [])
        self.persistent: list[Flag] = list(persistent or [])
        self._subs: list[Command | str] = list(subcommands or [])
        self.run = run
        self.args = args
        self.hidden = hidden
        self.parent: Command | None = None
        self.example = example
        self.interspersed = interspersed
        self.pre_run = pre_run
        for s in self._subs:
            if isinstance(s, Command):
                s.parent = self

    # -- the tree ------------------------------------------------------------------------

    def subcommands(self) -> list[Command]:
        """The subcommands (imports lazily declared ones)."""
        if any(isinstance(s, str) for s in self._subs):
            import importlib

            resolved: list[Command | str] = []
            for s in self._subs:
                if isinstance(s, str):
                    s = importlib.import_module(s).COMMAND
                    s.parent = self
                resolved.append(s)
            self._subs = resolved
        return [s for s in self._subs if isinstance(s, Command)]

    def has_subcommands(self) -> bool:
        return bool(self._subs)

    def add(self, sub: Command | str) -> None:
        if isinstance(sub, Command):
            sub.parent = self
        self._subs.append(sub)

    def find_sub(self, name: str) -> Command | None:
        for s in self.subcommands():
            if s.name == name or name in s.aliases:
                return s
        return None

    def path(self) -> str:
        return f"{self.parent.path()} {self.name}" if self.parent is not None else self.name

    def root(self) -> Command:
        return self if self.parent is None else self.parent.root()

    def use_line(self) -> str:
        line = f"{self.parent.path()} {self.use}" if self.parent is not None else self.use
        if "[flags]" not in line:
            line += " [flags]"
        return line

    # -- flags ---------------------------------------------------------------------------

    def help_flag(self) -> Flag:
        return Flag("help", "bool", "h", False, help=f"help for {self.name}")

    def local_flags(self) -> list[Flag]:
        """Own flags, own persistent flags and ``-h/--help``."""
        return [*self.flags, *self.persistent, self.help_flag()]

    def inherited_flags(self) -> list[Flag]:
        """Persistent flags of the ancestors not shadowed by a local flag."""
        local = self.local_flags()
        names = {f.name for f in local}
        shorts = {f.short for f in local if f.short}
        out: list[Flag] = []
        node = self.parent
        while node is not None:
            for f in node.persistent:
                if f.name not in names and (not f.short or f.short not in shorts):
                    out.append(f)
                    names.add(f.name)
                    if f.short:
                        shorts.add(f.short)
            node = node.parent
        return out

    def all_flags(self) -> list[Flag]:
        return self.local_flags() + self.inherited_flags()


# -- running a command line -----------------------------------------------------------------


def find(root: Command, args: list[str]) -> tuple[Command, list[str]]:
    """cobra's ``Find``: walk the subcommand names among ``args`` (skipping flags and their
    values); returns the command and the arguments left for it."""
    cmd = root
    rest = list(args)
    while cmd.has_subcommands():
        idx = _first_word(cmd, rest)
        if idx is None:
            break
        sub = cmd.find_sub(rest[idx])
        if sub is None:
            break
        del rest[idx]
        cmd = sub
    return cmd, rest


def _first_word(cmd: Command, args: list[str]) -> int | None:
    by_name = {f.name: f for f in cmd.all_flags()}
    by_short = {f.short: f for f in cmd.all_flags() if f.short}
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            return None
        if a.startswith("--"):
            if "=" not in a and takes_value(by_name.get(a[2:])):
                i += 1
        elif a.startswith("-") and len(a) > 1:
            if len(a) == 2 and takes_value(by_short.get(a[1])):
                i += 1
        else:
            return i
        i += 1
    return None


def arg_error(cmd: Command, n: int) -> str | None:
    """Helm's ``cmd/require`` messages for a wrong argument count (None: count is fine)."""
    rule = cmd.args
    if rule is None:
        return None
    kind = rule[0]
    want = rule[1] if len(rule) > 1 else 0
    plural = "" if want == 1 else "s"
    if kind == "none" and n > 0:
        text = f'"{cmd.path()}" accepts no arguments'
    elif kind == "exact" and n != want:
        text = f'"{cmd.path()}" requires {want} argument{plural}'
    elif kind == "min" and n < want:
        text = f'"{cmd.path()}" requires at least {want} argument{plural}'
    elif kind == "max" and n > want:
        text = f'"{cmd.path()}" accepts at most {want} argument{plural}'
    else:
        return None
    return f"{text}\n\nUsage:  {cmd.use_line()}"


def parse(cmd: Command, args: list[str]) -> Parsed:
    """Flags of ``cmd`` (own + inherited) from ``args``; pflag errors end the process.
    A command with ``interspersed=None`` takes its arguments raw (no flag parsing)."""
    if cmd.interspersed is None:
        return Parsed(args=list(args))
    try:
        p = parse_flags(args, cmd.all_flags(), cmd.interspersed)
    except FlagError as e:
        fail(str(e))
        raise  # unreachable: fail() exits
    for f in cmd.all_flags():
        if f.deprecated and f.name in p.given:
            sys.stderr.write(f"Flag --{f.name} has been deprecated, {f.deprecated}\n")
    return p


def execute(root: Command, args: list[str]) -> None:
    """Run the command line ``args`` against the tree under ``root``."""
    cmd, rest = find(root, args)
    if cmd.parent is None and cmd.has_subcommands():
        idx = _first_word(cmd, rest)
        if idx is not None:
            from kelm.cli.help import unknown_command

            fail(unknown_command(cmd, rest[idx]))
    p = parse(cmd, rest)
    if p.get("help") or cmd.run is None:
        from kelm.cli.help import render_help

        sys.stdout.write(render_help(cmd))
        return
    err = arg_error(cmd, len(p.args))
    if err is not None:
        fail(err)
    node: Command | None = cmd if cmd.interspersed is not None else None
    while node is not None:
        if node.pre_run is not None:
            node.pre_run(p)
        node = node.parent
    run_guarded(cmd.run, cmd, p)


def refuse_given(p: Parsed, names: tuple[str, ...] | list[str], why: str = "") -> None:
    """Fail, naming the flag, when one of ``names`` was given: kelm parses it but cannot do
    what Helm does with it yet."""
    for name in names:
        if name in p.given:
            fail(f"--{name} is not supported by kelm yet" + (f" ({why})" if why else ""))


def run_guarded(fn: Callable[..., None], *args: Any) -> None:
    """Run a command; an unexpected exception becomes ``Error: ...`` (never a traceback)."""
    try:
        fn(*args)
    except (SystemExit, KeyboardInterrupt, BrokenPipeError):
        raise
    except CommandError as e:
        fail(str(e))
    except RecursionError:
        fail("rendering template failed: runtime error: stack overflow")
    except Exception as e:  # noqa: BLE001 - last-resort guard
        fail(f"{type(e).__name__}: {e}" if not str(e) else str(e))


__all__ = ["Command", "CommandError", "ROOT_NAME", "arg_error", "execute", "fail", "find",
           "parse", "refuse_given", "run_guarded"]

"""A small pflag: the flag parser every ``kelm`` command uses.

Parsing follows spf13/pflag as cobra runs it for Helm: flags interspersed with arguments,
``--flag=value`` and ``--flag value``, ``--bool=false``, bundled shorthands (``-gnfoo``),
comma-split ``strings`` flags, repeatable ``stringArray`` flags, ``stringToString`` maps,
optional-value flags (``--dry-run`` alone means ``unset``), ``--`` ending the flags, and Go's
error texts (``unknown flag: --x``, ``invalid argument "x" for "--qps" flag: strconv...``).
Scripts written for helm rely on exactly these forms.
"""

from __future__ import annotations

from kelm._slots import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# kind -> the type name pflag prints in help ("" for booleans)
TYPE_NAMES = {
    "bool": "", "string": "string", "array": "stringArray", "slice": "strings",
    "map": "stringToString", "int": "int", "uint": "uint", "float": "float32",
    "duration": "duration", "opt": "string",
}


class Flag(Record):
    """One flag.

    ``kind``: bool, string, array (stringArray), slice (strings), map (stringToString), int,
    uint, float (float32), duration, or opt (a string whose value may be left out: then it is
    ``no_opt``).  ``help`` is the one-line usage; ``type_name`` overrides the type shown in
    help (``WaitStrategy``); ``default_text`` is the default shown in help when the default is
    not the zero value (None: derived from ``default``; a callable is asked when help is shown); ``check`` validates a value and
    returns an error text (pflag's ``Set`` error) or "".  Flags with the same ``dest`` share
    one value (the last one given wins), as pflag flags bound to one variable.
    """

    __slots__ = ("name", "kind", "short", "default", "no_opt", "help", "hidden", "type_name",
                 "default_text", "check", "deprecated", "dest")

    def __init__(
        self, name: str, kind: str, short: str = "", default: Any = None,
        no_opt: str | None = None, help: str = "", hidden: bool = False, type_name: str = "",
        default_text: str | Callable[[], str] | None = None, check: Callable[[str], str] | None = None,
        deprecated: str = "", dest: str = "",
    ) -> None:
        self.name = name
        self.kind = kind
        self.short = short
        self.default = default
        self.no_opt = no_opt
        self.help = help
        self.hidden = hidden
        self.type_name = type_name
        self.default_text = default_text
        self.check = check
        self.deprecated = deprecated
        self.dest = dest or name

    def display_name(self) -> str:
        """How pflag names the flag in errors: ``-o, --output`` or ``--name``."""
        return f"-{self.short}, --{self.name}" if self.short else f"--{self.name}"


class FlagError(Exception):
    """A command line pflag rejects; ``str()`` is pflag's message."""


class Parsed(Record):
    """A parsed command line: positional ``args``, flag ``values``, the flags ``given``."""

    __slots__ = ("args", "values", "given")

    def __init__(
        self,
        args: list[str] | None = None,
        values: dict[str, Any] | None = None,
        given: set[str] | None = None,
    ) -> None:
        self.args: list[str] = [] if args is None else args
        self.values: dict[str, Any] = {} if values is None else values
        self.given: set[str] = set() if given is None else given

    def get(self, name: str) -> Any:
        return self.values.get(name)


_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")


def parse_bool(v: str) -> bool | None:
    """Go's ``strconv.ParseBool`` (None: invalid)."""
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    return None


def _split_csv(v: str) -> list[str]:
    import csv

    if v == "":
        return []
    return next(csv.reader([v]))


def _go_int(v: str, unsigned: bool) -> int | None:
    """``strconv.ParseInt(v, 0, 64)``: decimal, 0x/0o/0b prefixes, underscores after a prefix."""
    s = v
    sign = 1
    if not unsigned and s[:1] in "+-" and len(s) > 1:
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    try:
        if len(s) > 1 and s[0] == "0" and s[1] in "xXoObB":
            n = int(s, 0)
        elif len(s) > 1 and s[0] == "0":
            n = int(s, 8)
        elif s.isdigit():
            n = int(s)
        else:
            return None
    except ValueError:
        return None
    return sign * n


_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0,
                   "m": 60.0, "h": 3600.0}


def parse_duration(v: str) -> float | None:
    """Go's ``time.ParseDuration`` in seconds (None: invalid)."""
    import re

    s = v
    if s[:1] in "+-":
        s = s[1:]
    if s == "0":
        return 0.0
    if not s:
        return None
    total = 0.0
    pos = 0
    unit_re = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
    while pos < len(s):
        m = unit_re.match(s, pos)
        if m is None:
            return None
        total += float(m.group(1)) * _DURATION_UNITS[m.group(2)]
        pos = m.end()
    return -total if v.startswith("-") else total


def _convert(f: Flag, value: str) -> Any:
    """The flag's value from its text, or FlagError with pflag's message."""
    err = ""
    result: Any = value
    if f.kind == "bool":
        b = parse_bool(value)
        if b is None:
            err = f'strconv.ParseBool: parsing "{value}": invalid syntax'
        result = b
    elif f.kind in ("int", "uint"):
        n = _go_int(value, f.kind == "uint")
        fn = "ParseUint" if f.kind == "uint" else "ParseInt"
        if n is None:
            err = f'strconv.{fn}: parsing "{value}": invalid syntax'
        result = n
    elif f.kind == "float":
        try:
            result = float(value) if value == value.strip() and "_" not in value else None
        except ValueError:
            result = None
        if result is None:
            err = f'strconv.ParseFloat: parsing "{value}": invalid syntax'
    elif f.kind == "duration":
        if parse_duration(value) is None:
            err = f'time: invalid duration "{value}"'
    if not err and f.check is not None:
        err = f.check(value)
    if err:
        raise FlagError(f'invalid argument "{value}" for "{f.display_name()}" flag: {err}')
    return result


def parse_flags(argv: list[str], specs: list[Flag], interspersed: bool = True) -> Parsed:
    """Parse ``argv`` against ``specs`` (pflag's ``FlagSet.Parse``)."""
    by_name = {f.name: f for f in specs}
    by_short = {f.short: f for f in specs if f.short}
    p = Parsed()
    for spec in specs:
        if spec.kind in ("array", "slice"):
            p.values[spec.dest] = list(spec.default or [])
        elif spec.kind == "map":
            p.values[spec.dest] = dict(spec.default or {})
        else:
            p.values[spec.dest] = spec.default
    values = p.values

    def assign(f: Flag, value: str) -> None:
        key = f.dest
        if f.kind == "array":
            if f.name not in p.given:
                values[key] = []
            if f.check is not None:
                _convert(f, value)
            values[key].append(value)
        elif f.kind == "slice":
            if f.name not in p.given:
                values[key] = []
            values[key].extend(_split_csv(value))
        elif f.kind == "map":
            if f.name not in p.given:
                values[key] = {}
            for item in _split_csv(value):
                k, sep, v = item.partition("=")
                if not sep:
                    raise FlagError(
                        f'invalid argument "{value}" for "{f.display_name()}" flag: {item} '
                        "must be formatted as key=value"
                    )
                values[key][k] = v
        else:
            values[key] = _convert(f, value)
        p.given.add(f.name)

    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "--":
            p.args.extend(argv[i:])
            break
        if a.startswith("--") and len(a) > 2:
            name, eq, value = a[2:].partition("=")
            f = by_name.get(name)
            if f is None:
                raise FlagError(f"unknown flag: --{name}")
            if eq:
                assign(f, value)
            elif f.kind == "bool":
                assign(f, "true")
            elif f.no_opt is not None:
                assign(f, f.no_opt)
            else:
                if i >= len(argv):
                    raise FlagError(f"flag needs an argument: --{name}")
                assign(f, argv[i])
                i += 1
            continue
        if a.startswith("-") and len(a) > 1:
            j = 1
            while j < len(a):
                c = a[j]
                f = by_short.get(c)
                if f is None:
                    raise FlagError(f"unknown shorthand flag: '{c}' in {a}")
                rest = a[j + 1 :]
                if f.kind == "bool":
                    if rest.startswith("="):
                        assign(f, rest[1:])
                        break
                    assign(f, "true")
                    j += 1
                    continue
                if rest.startswith("="):
                    assign(f, rest[1:])
                elif rest:
                    assign(f, rest)
                elif f.no_opt is not None:
                    assign(f, f.no_opt)
                elif i < len(argv):
                    assign(f, argv[i])
                    i += 1
                else:
                    raise FlagError(f"flag needs an argument: '{c}' in -{c}")
                break
            continue
        p.args.append(a)
        if not interspersed:
            p.args.extend(argv[i:])
            break
    return p


def takes_value(f: Flag | None) -> bool:
    """Whether ``--flag`` alone consumes the next argument (cobra's command lookup skips it)."""
    return f is not None and f.kind != "bool" and f.no_opt is None


__all__ = ["Flag", "FlagError", "Parsed", "parse_bool", "parse_duration", "parse_flags",
           "takes_value"]

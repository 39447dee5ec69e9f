"""Go's value model, as seen by templates, expressed with Python objects.

Python data maps to Go types like this (the mapping every package in kelm shares):

==============================  ==============================
Python                          Go
==============================  ==============================
``None``                        nil
``bool``                        bool
``int``                         int64   (values from ``--set``, sprig math)
``GoInt`` (subclass of int)     int     (template literals, ``len``, ``atoi``)
other ``GoIntKind`` subclasses  int32, uint8, ... (rare; named by ``go_type``)
``float``                       float64 (everything numeric from YAML/JSON)
``str``                         string
``bytes``                       []uint8
``list``                        []interface {}
``TypedList``                   a typed slice such as []string
``dict``                        map[string]interface {}
``TypedMap``                    a typed map such as map[string]string
``GoStruct`` subclass           a Go struct (fields + methods)
==============================  ==============================

Objects may implement ``__go_string__(self) -> str`` (Go's ``fmt.Stringer``): fmt uses it
for ``%v``/``%s``/``%q`` and ``print``.  Functions signal a Go ``error`` return by raising
:class:`GoError`.
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


class GoError(Exception):
    """An error returned by a template function (Go's second ``error`` result).

    The engine reports it as ``error calling NAME: MESSAGE``.
    """


class GoIntKind(int):
    """Base for Go integer kinds other than int64 (plain Python ``int``)."""

    go_type = "int"
    __slots__ = ()

    def __repr__(self) -> str:
        return f"{self.go_type}({int(self)})"


class GoInt(GoIntKind):
    """Go ``int``: template integer literals and results of ``len``, ``atoi``, ``int``."""

    go_type = "int"
    __slots__ = ()


class GoInt32(GoIntKind):
    """Go ``int32`` (``rune``)."""

    go_type = "int32"
    __slots__ = ()


class GoUint8(GoIntKind):
    """Go ``uint8`` (``byte``)."""

    go_type = "uint8"
    __slots__ = ()


class GoUint(GoIntKind):
    go_type = "uint"
    __slots__ = ()


class GoUint32(GoIntKind):
    go_type = "uint32"
    __slots__ = ()


class GoUint64(GoIntKind):
    go_type = "uint64"
    __slots__ = ()


class TypedList(list):
    """A Go slice whose element type is not ``interface {}`` (e.g. ``[]string``)."""

    __slots__ = ("go_type",)

    def __init__(self, items: Any = (), go_type: str = "[]string") -> None:
        super().__init__(items)
        self.go_type = go_type


class TypedMap(dict):
    """A Go map whose value type is not ``interface {}`` (e.g. ``map[string]string``)."""

    __slots__ = ("go_type",)

    def __init__(self, items: Any = (), go_type: str = "map[string]string") -> None:
        super().__init__(items)
        self.go_type = go_type


class NilTypedList(TypedList):
    """A nil typed slice (``[]string(nil)``, e.g. ``regexFindAll`` without a match): empty to
    templates, but ``%#v`` prints ``(nil)`` and encoding/json marshals it as ``null``."""

    __slots__ = ()
    go_nil = True


class NilTypedMap(TypedMap):
    """A nil typed map (``map[string]string(nil)``, e.g. ``.Chart.Annotations`` of a chart
    without annotations): empty to templates, ``null`` to encoding/json."""

    __slots__ = ()
    go_nil = True


class RawText(str):
    """Text an encoder writes as it is: what a ``__go_toml__`` hook returns for a value the
    TOML encoder writes bare (a datetime)."""


def is_nil_collection(v: Any) -> bool:
    """True for a nil slice or map (an empty value of a class marked ``go_nil``), which Go
    tells apart from an empty one in ``%#v``, encoding/json and copystructure."""
    return getattr(type(v), "go_nil", False) and not v


class GoStruct:
    """Base for Go structs exposed to templates.

    Subclasses list their exported fields, in declaration order, in ``_go_fields`` (used for
    field access and for ``%v``/``%+v`` printing) and set ``go_type`` (``%T``, error messages,
    e.g. ``"chartutil.Capabilities"``).  Public methods whose names start with an upper-case
    letter are Go methods, callable from templates as ``.Obj.Method arg``.
    """

    go_type = "struct"
    _go_fields: tuple[str, ...] = ()


def go_type(v: Any) -> str:
    """The Go type name of a value, as ``%T`` prints it."""
    if v is None:
        return "<nil>"
    if v is True or v is False:
        return "bool"
    if isinstance(v, GoIntKind):
        return v.go_type
    if isinstance(v, int):
        return "int64"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, complex):
        return "complex128"
    if isinstance(v, str):
        return "string"
    if isinstance(v, (TypedList, TypedMap)):
        return v.go_type
    if isinstance(v, list):
        return "[]interface {}"
    if isinstance(v, dict):
        return getattr(v, "go_type", "map[string]interface {}")  # a named map type
    if isinstance(v, (bytes, bytearray)):
        return "[]uint8"
    t = getattr(v, "go_type", None)
    if isinstance(t, str):
        return t
    if callable(v):
        return "func"
    return type(v).__name__


# Go reflect.Kind names, as sprig's kindOf/kindIs print them.
def go_kind(v: Any) -> str:
    """The Go ``reflect.Kind`` name of a value (``kindOf``)."""
    if v is None:
        return "invalid"
    if v is True or v is False:
        return "bool"
    if isinstance(v, GoIntKind):
        return v.go_type
    if isinstance(v, int):
        return "int64"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, complex):
        return "complex128"
    if isinstance(v, str):
        return "string"
    if isinstance(v, (list, bytes, bytearray)):
        return "slice"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, GoStruct):  # a pointer to a struct (go_type "*...") is kind ptr
        return getattr(v, "go_kind", None) or ("ptr" if go_type(v)[:1] == "*" else "struct")
    if callable(v):
        return "func"
    return "struct"


def is_true(v: Any) -> bool:
    """Go template truthiness: the zero value of its type is false, so are empty collections."""
    if v is None:
        return False
    if isinstance(v, (bool, int, float, str, list, dict, bytes, bytearray, tuple)):
        return bool(v)
    truth = getattr(v, "__go_truth__", None)
    if truth is not None:
        return bool(truth())
    return True


def is_empty(v: Any) -> bool:
    """Sprig's ``empty``: the same notion as ``not (truth v)``."""
    return not is_true(v)


class GoFunc:
    """A template function with its Go signature.

    ``params`` are Go type names (``"string"``, ``"int"``, ``"int64"``, ``"float64"``,
    ``"bool"``, ``"interface {}"``, ``"[]interface {}"``, ``"map[string]interface {}"``,
    ``"[]string"``...); the last one may start with ``...`` for a variadic function.  The engine
    checks and converts arguments as Go's reflection-based call would, producing Go's messages
    (``wrong type for value; expected string; got float64``, ``wrong number of args for X: want
    2 got 1``).  ``returns_error`` marks ``(T, error)`` results; the Python callable raises
    :class:`GoError` to return the error.  ``nresults == 0`` is not allowed, as in Go.

    Immutable and hashable by value (a plain class, not a dataclass: every ``kelm`` process
    creates hundreds at start-up).  ``context``: the engine passes its execution state as the
    first argument.
    """

    __slots__ = ("fn", "params", "result", "returns_error", "context")

    fn: Callable[..., Any]
    params: tuple[str, ...]
    result: str
    returns_error: bool
    context: bool

    def __init__(
        self,
        fn: Callable[..., Any],
        params: tuple[str, ...],
        result: str = "interface {}",
        returns_error: bool = False,
        context: bool = False,
    ) -> None:
        init = object.__setattr__
        init(self, "fn", fn)
        init(self, "params", params)
        init(self, "result", result)
        init(self, "returns_error", returns_error)
        init(self, "context", context)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def _key(self) -> tuple[Any, ...]:
        return (self.fn, self.params, self.result, self.returns_error, self.context)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"{type(self).__qualname__}(fn={self.fn!r}, params={self.params!r}, "
            f"result={self.result!r}, returns_error={self.returns_error!r}, "
            f"context={self.context!r})"
        )

    @property
    def variadic(self) -> bool:
        return bool(self.params) and self.params[-1].startswith("...")

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)


_SIGNATURES: dict[str, tuple[tuple[str, ...], str, bool]] = {}


def parse_signature(sig: str) -> tuple[tuple[str, ...], str, bool]:
    """Parse ``"func(string, ...interface {}) (string, error)"`` into its parts."""
    parsed = _SIGNATURES.get(sig)  # a few signatures recur across hundreds of functions
    if parsed is None:
        parsed = _SIGNATURES[sig] = _parse_signature(sig)
    return parsed


def _parse_signature(sig: str) -> tuple[tuple[str, ...], str, bool]:
    sig = sig.strip()
    if not sig.startswith("func(") or ")" not in sig:
        raise ValueError(f"bad Go signature {sig!r}")
    depth = 0
    close = -1
    for i, ch in enumerate(sig[4:], start=4):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                close = i
                break
    inner = sig[5:close].strip()
    params = tuple(p.strip() for p in _split_top(inner)) if inner else ()
    rest = sig[close + 1 :].strip()
    returns_error = False
    result = rest or ""
    if rest.startswith("(") and rest.endswith(")"):
        parts = [p.strip() for p in _split_top(rest[1:-1])]
        if parts and parts[-1] == "error":
            returns_error = True
            parts = parts[:-1]
        result = parts[0] if parts else ""
    elif rest == "error":
        returns_error = True
        result = ""
    return params, result, returns_error


def _split_top(s: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in s:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def gofunc(sig: str, *, context: bool = False) -> Callable[[Callable[..., Any]], GoFunc]:
    """Decorate a Python function with its Go signature::

        @gofunc("func(string) string")
        def upper(s): return s.upper()
    """
    params, result, returns_error = parse_signature(sig)

    def wrap(fn: Callable[..., Any]) -> GoFunc:
        return GoFunc(fn, params, result, returns_error, context)

    return wrap

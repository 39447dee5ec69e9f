"""Regular expressions compiled once per machine instead of once per ``kelm`` command.

Python's ``re`` compiles a pattern in pure Python (parse, then generate the matcher's code):
0.2-3 ms per pattern, paid again by every ``kelm`` process for the patterns its modules define
at import time -- 17% of the chart corpus's ``kelm template`` time (measured with the cache
off).  In a ``kelm`` command (:func:`kelm.cli.process.prepare` activates the machine caches),
:func:`compile` keeps the generated matcher code in a small file under
``$XDG_CACHE_HOME/kelm`` (``~/.cache/kelm``) and builds the pattern from it with
``_sre.compile``, exactly as ``re.compile`` does after generating the code.  The result is the
same ``re.Pattern`` (equal to ``re.compile``'s).  This reaches into CPython's ``re`` internals,
so a library caller never takes this path: there :func:`compile` is ``re.compile``.

The file name carries the interpreter version and the matcher-code magic, entries are keyed by
pattern and flags, the file is verified before use (:mod:`kelm.cachefiles`: private directory,
keyed digest), new entries are merged in once at exit through an atomic rename, and any problem
falls back to ``re.compile``.  ``KELM_NO_CACHE=1`` disables the file.
"""

from __future__ import annotations

import os
import re
import sys

from kelm import cachefiles

# "entries": (pattern, flags) -> the arguments of ``_sre.compile`` after the pattern (final
# flags, code, groups - 1, groupindex, indexgroup), as read from the file; "new": this
# process's additions.
_state: dict[str, dict[tuple[str, int], tuple]] = {}


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - re's name
    """``re.compile(pattern, flags)``, with the matcher code served from the machine cache
    in a ``kelm`` command."""
    if not cachefiles.enabled():
        return re.compile(pattern, flags)
    flags = int(flags)
    key = (pattern, flags)
    entries = _state.get("entries")
    if entries is None:
        entries = _state["entries"] = _read()
    entry = entries.get(key)
    if entry is not None:
        try:
            return _build(pattern, entry)
        except Exception:  # noqa: BLE001 - a damaged entry: compile normally
            pass
    entry = _generate(pattern, flags)
    if entry is None:
        return re.compile(pattern, flags)
    new = _state.get("new")
    if new is None:
        import atexit

        new = _state["new"] = {}
        atexit.register(flush)
    new[key] = entries[key] = entry
    return _build(pattern, entry)


def _build(pattern: str, entry: tuple) -> re.Pattern[str]:
    """The pattern ``re.compile`` makes from this matcher code (its last step)."""
    import _sre  # type: ignore[import-not-found]  # CPython's regex engine: no typeshed stubs

    return _sre.compile(pattern, *entry)


def _generate(pattern: str, flags: int) -> tuple | None:
    """The arguments ``re._compiler.compile`` hands to ``_sre.compile`` (None: use re)."""
    if not isinstance(pattern, str) or flags & re.DEBUG:
        return None
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]  # private: no stubs

        p = _parser.parse(pattern, flags)
        code = [int(c) for c in _compiler._code(p, flags)]
        groupindex = dict(p.state.groupdict)
        indexgroup: list[str | None] = [None] * p.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        return (int(flags | p.state.flags), code, p.state.groups - 1, groupindex,
                tuple(indexgroup))
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - another interpreter's internals: plain re.compile
        return None


def cache_file() -> str:
    from kelm import __version__

    try:
        import _sre

        magic = _sre.MAGIC
    except (ImportError, AttributeError):
        magic = 0
    return os.path.join(
        cachefiles.cache_root(), f"regex-{__version__}-{sys.hexversion:x}-{magic}.marshal"
    )


def _read() -> dict[tuple[str, int], tuple]:
    data = cachefiles.read_marshal(cache_file())
    return data if isinstance(data, dict) else {}


def flush() -> None:
    """Merge this process's new entries into the cache file."""
    new = _state.pop("new", None)
    if not new or not cachefiles.enabled():
        return
    import marshal

    merged = _read()  # another process may have written since
    if len(merged) > 2000:  # patterns built from user input would grow it without end
        merged = {}
    merged.update(new)
    try:
        cachefiles.write_atomic(cache_file(), marshal.dumps(merged))
    except (OSError, ValueError):
        pass  # a read-only or full cache directory only costs speed


def reset() -> None:
    """Forget the in-memory view (tests)."""
    _state.clear()


__all__ = ["cache_file", "compile", "flush", "reset"]

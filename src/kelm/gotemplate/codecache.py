"""A persistent cache of the Python code the template compiler generates.

The compiler turns each template construct into generated Python source whose text depends
only on the construct's shape, so the same few hundred sources recur across charts and runs.
Compiling them costs tens of milliseconds per ``kelm template`` process; this cache keeps their
code objects (``marshal``) in one file under ``$XDG_CACHE_HOME/kelm`` (``~/.cache/kelm``),
keyed by the source, like Python's own ``__pycache__``.

The file name carries the interpreter's bytecode magic and kelm's version and entries are
looked up by their full source text, so a stale or foreign entry can never be used.  New entries
are merged into the file once, at exit, through a temporary file and an atomic rename (safe
with concurrent processes: the last writer wins, nothing is ever half-written).  The file is
bounded (``MAX_ENTRIES``); ``KELM_NO_CACHE=1`` disables the cache.
"""

from __future__ import annotations

import atexit
import marshal
import os
from types import CodeType

MAX_ENTRIES = 5000
FILENAME_PREFIX = "gotemplate-code"

# "entries": source -> marshalled code as read from the file; "new": this process's additions
_state: dict[str, dict[str, bytes]] = {}


def enabled() -> bool:
    return os.environ.get("KELM_NO_CACHE", "") in ("", "0")


def cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kelm")


def cache_file() -> str:
    from importlib.util import MAGIC_NUMBER

    from kelm import __version__

    magic = MAGIC_NUMBER.hex()
    return os.path.join(cache_dir(), f"{FILENAME_PREFIX}-{__version__}-{magic}.marshal")


def _read(path: str) -> dict[str, bytes]:
    try:
        with open(path, "rb") as fh:
            data = marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def _entries() -> dict[str, bytes]:
    entries = _state.get("entries")
    if entries is None:
        entries = _state["entries"] = _read(cache_file())
    return entries


def compile_cached(source: str, filename: str) -> CodeType:
    """``compile(source, filename, "exec")``, served from the persistent cache when possible."""
    if not enabled():
        return compile(source, filename, "exec")
    key = f"{filename}\0{source}"
    blob = _entries().get(key)
    if blob is not None:
        try:
            code = marshal.loads(blob)
        except (ValueError, EOFError, TypeError):
            code = None
        if isinstance(code, CodeType):
            return code
    code = compile(source, filename, "exec")
    new = _state.get("new")
    if new is None:
        new = _state["new"] = {}
        atexit.register(flush)
    new[key] = marshal.dumps(code)
    return code


def flush() -> None:
    """Merge this process's new entries into the cache file (temp file + atomic rename)."""
    new = _state.pop("new", None)
    if not new or not enabled():
        return
    path = cache_file()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        merged = _read(path)  # another process may have written since we read it
        if len(merged) + len(new) > MAX_ENTRIES:
            merged = {}
        merged.update(new)
        tmp = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            with open(tmp, "xb") as fh:
                fh.write(marshal.dumps(merged))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        _state["entries"] = merged
    except OSError:
        pass  # a read-only or full cache directory only costs speed


def reset() -> None:
    """Forget the in-memory view (tests)."""
    _state.clear()


__all__ = ["cache_file", "compile_cached", "enabled", "flush", "reset"]

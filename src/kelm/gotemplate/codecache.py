"""A persistent cache of the Python code the template compiler generates.

The compiler turns each template construct into generated Python source whose text depends
only on the construct's shape, so the same shapes recur across charts and runs.  Compiling
them costs tens of milliseconds per ``kelm template`` process (8.5% of the chart corpus's
time, measured with the cache off); in a ``kelm`` command (:func:`kelm.cli.process.prepare`)
this cache keeps their code objects (``marshal``) under ``$XDG_CACHE_HOME/kelm``
(``~/.cache/kelm``), like Python's own ``__pycache__``.  A library caller compiles in-process.

One small file per entry, named by a checksum of the source: a process reads only the few
dozen shapes its chart needs (one big file of every shape ever seen would cost more to read
than compiling).  The directory name carries the interpreter's bytecode magic and kelm's
version, each file holds its full key and is verified before use (:mod:`kelm.cachefiles`:
private directory, keyed digest), so a stale, foreign, tampered or colliding entry is never
used.  New entries are written once, at exit, each through a temporary file and an atomic
rename (concurrent processes are safe: nothing is ever half-written).  The directory is
bounded (``MAX_ENTRIES``: once full, it is emptied); ``KELM_NO_CACHE=1`` disables the cache.
"""

from __future__ import annotations

import atexit
import marshal
import os
import zlib
from types import CodeType

from kelm.cachefiles import cache_root, enabled, read_marshal, trusted_dir, write_atomic

MAX_ENTRIES = 20000
DIRNAME_PREFIX = "gotemplate-code"

_new: dict[str, CodeType] = {}  # this process's additions (key -> code), written at exit
_dirs: dict[str, str] = {}  # cache root -> the directory of this kelm version and interpreter


def cache_dir() -> str:
    """The directory of this kelm version and interpreter."""
    root = cache_root()
    d = _dirs.get(root)
    if d is None:
        import sys

        from kelm import __version__

        tag = f"{sys.implementation.cache_tag}-{marshal.version}"
        d = _dirs[root] = os.path.join(root, f"{DIRNAME_PREFIX}-{__version__}-{tag}")
    return d


def checksum(text: str) -> str:
    """A cheap file name for a cache entry keyed by ``text`` (entries store their full key,
    so a collision is detected, never used)."""
    data = text.encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def entry_path(key: str) -> str:
    return os.path.join(cache_dir(), checksum(key) + ".code")


def _load(key: str) -> CodeType | None:
    entry = read_marshal(entry_path(key))
    if not isinstance(entry, tuple) or len(entry) != 2:
        return None
    stored_key, code = entry
    if stored_key != key or not isinstance(code, CodeType):
        return None
    return code


def compile_cached(source: str, filename: str) -> CodeType:
    """``compile(source, filename, "exec")``, served from the persistent cache when possible."""
    if not enabled():
        return compile(source, filename, "exec")
    key = f"{filename}\0{source}"
    code = _load(key)
    if code is not None:
        return code
    code = compile(source, filename, "exec")
    if not _new:
        atexit.register(flush)
    _new[key] = code
    return code


def flush() -> None:
    """Write this process's new entries."""
    new = dict(_new)
    _new.clear()
    atexit.unregister(flush)
    if new and enabled():
        _write_entries(new)


def _write_entries(new: dict[str, CodeType]) -> None:
    """Write each entry (marshalled, atomically).  A new directory replaces its stale siblings
    (other kelm versions: same name up to the last ``-``); past ``MAX_ENTRIES`` files the
    directory is emptied first.  An unwritable cache only costs speed: errors are ignored."""
    directory = cache_dir()
    try:
        if not os.path.isdir(directory):
            _remove_siblings(directory)
        if not trusted_dir(directory, create=True):
            return
        if len(os.listdir(directory)) + len(new) > MAX_ENTRIES:
            for name in os.listdir(directory):
                if name.endswith(".code"):
                    os.unlink(os.path.join(directory, name))
        for key, code in new.items():
            write_atomic(entry_path(key), marshal.dumps((key, code)))
    except (OSError, ValueError):
        pass


def _remove_siblings(directory: str) -> None:
    import shutil

    parent, name = os.path.split(directory)
    family = name.split("-", 1)[0] + "-"
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for other in names:  # ("parse-": the parse-tree cache of earlier kelm versions)
        if other.startswith((family, "parse-")) and other != name:
            path = os.path.join(parent, other)
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            elif other.endswith(".marshal"):  # the former single-file layout
                try:
                    os.unlink(path)
                except OSError:
                    pass


def entries() -> list[str]:
    """Keys of the entries on disk (tests, diagnostics)."""
    try:
        names = os.listdir(cache_dir())
    except OSError:
        return []
    keys = []
    for name in names:
        entry = read_marshal(os.path.join(cache_dir(), name)) if name.endswith(".code") else None
        if isinstance(entry, tuple) and len(entry) == 2:
            keys.append(entry[0])
    return keys


def reset() -> None:
    """Forget the in-memory state (tests)."""
    _new.clear()
    _dirs.clear()
    atexit.unregister(flush)


__all__ = ["cache_dir", "compile_cached", "enabled", "entries", "flush", "reset"]

"""Where kelm's machine-wide caches live and how their files are read and written.

Caches sit under ``$XDG_CACHE_HOME/kelm`` (``~/.cache/kelm``); ``KELM_NO_CACHE=1`` turns them
all off.  Files are written through a temporary file and an atomic rename, so concurrent
processes never see half a file (the last writer wins).  Kept import-light: the caches are
consulted while kelm's own modules are being imported.
"""

from __future__ import annotations

import os

_ACTIVE: list[bool] = []  # set by activate(): the caches serve kelm commands only


def activate() -> None:
    """Switch the machine caches on for this process (:func:`kelm.cli.process.prepare`)."""
    if not _ACTIVE:
        _ACTIVE.append(True)


def enabled() -> bool:
    return os.environ.get("KELM_NO_CACHE", "") in ("", "0")


def cache_root() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kelm")


def read_marshal(path: str) -> object:
    """The marshalled object in ``path``; None when it is missing or unreadable."""
    import marshal

    try:
        with open(path, "rb") as fh:
            return marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write_atomic(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` (temporary file + rename; raises OSError)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise

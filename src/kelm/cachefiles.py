"""Where kelm's machine-wide caches live, and how their files are trusted, read and written.

The caches (regex matcher code, generated template code) hold what a ``kelm`` command would
otherwise recompute in every process; they serve the commands only
(:func:`kelm.cli.process.prepare` calls :func:`activate`), never a library caller.  They sit
under ``$XDG_CACHE_HOME/kelm`` (``~/.cache/kelm``); ``KELM_NO_CACHE=1`` turns them all off.

What is read back is executed (code objects) or handed to the regex engine, so nothing is used
unless it is trusted:

* the cache directories and each file are owned by the current user and neither group- nor
  world-writable (else the cache is ignored, and never written);
* each file starts with a keyed BLAKE2b digest of its content, bound to kelm's version, the
  interpreter and the file's name; the 32-byte key is random per cache root (``key``, mode
  0600).  An entry whose digest does not match (tampered, truncated, copied from another
  machine or version) is ignored and recomputed.

Files are written through a temporary file and an atomic rename, so concurrent processes never
see half a file (the last writer wins).  Kept import-light: the caches are consulted while
kelm's own modules are being imported.
"""

from __future__ import annotations

import os

try:  # hashlib.blake2b itself, without hashlib's OpenSSL start-up (3-6 ms of a small run)
    from _blake2 import blake2b
except ImportError:  # another interpreter
    from hashlib import blake2b

DIGEST_SIZE = 32
KEY_FILE = "key"

_ACTIVE: list[bool] = []  # set by activate(): the caches serve kelm commands only
# "key:<root>": a root's key; "trusted:<dir>": whether a directory passed the ownership
# checks; "tag": what the digests are bound to
_state: dict[str, object] = {}


def activate() -> None:
    """Switch the machine caches on for this process (:func:`kelm.cli.process.prepare`)."""
    if not _ACTIVE:
        _ACTIVE.append(True)


def enabled() -> bool:
    """Whether the caches serve this process: a kelm command, without ``KELM_NO_CACHE``."""
    return bool(_ACTIVE) and os.environ.get("KELM_NO_CACHE", "") in ("", "0")


def cache_root() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kelm")


def _safe_stat(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else."""
    return st.st_uid == os.geteuid() and not st.st_mode & 0o022


def trusted_dir(path: str, create: bool = False) -> bool:
    """Whether ``path`` and the cache root above it are safe to read code from (checked once
    per process); with ``create``, missing directories are made (mode 0700) first."""
    flag = f"trusted:{path}"
    known = _state.get(flag)
    if known is not None:
        return bool(known)
    root = cache_root()
    ok = True
    for d in dict.fromkeys((root, path)):
        try:
            if create and not os.path.isdir(d):
                os.makedirs(d, mode=0o700, exist_ok=True)
            st = os.stat(d)
        except OSError:
            return False  # missing (not remembered: a later write may create it)
        if not _safe_stat(st):
            ok = False
            break
    _state[flag] = ok
    return ok


def _key(create: bool) -> bytes | None:
    """The cache root's random key (made on first write); None when missing or unsafe."""
    root = cache_root()
    key = _state.get(f"key:{root}")
    if isinstance(key, bytes):
        return key
    path = os.path.join(root, KEY_FILE)
    key = _read_key(path)
    if key is None and create:
        tmp = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with open(fd, "wb") as fh:
                fh.write(os.urandom(DIGEST_SIZE))
            try:
                os.link(tmp, path)  # never replaces a key another process made first
            except FileExistsError:
                pass
        except OSError:
            return None
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        key = _read_key(path)
    if key is not None:
        _state[f"key:{root}"] = key
    return key


def _read_key(path: str) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with open(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if st.st_uid != os.geteuid() or st.st_mode & 0o077:
            return None  # readable or writable by others: its digests prove nothing
        data = fh.read(DIGEST_SIZE + 1)
    return data if len(data) == DIGEST_SIZE else None


def _digest(key: bytes, path: str, payload: bytes) -> bytes:
    tag = _state.get("tag")
    if tag is None:
        import sys

        from kelm import __version__

        tag = _state["tag"] = f"{__version__}\0{sys.implementation.cache_tag}\0"
    msg = f"{tag}{os.path.basename(path)}\0".encode() + payload
    return blake2b(msg, key=key, digest_size=DIGEST_SIZE).digest()


def read_verified(path: str) -> bytes | None:
    """The payload of the cache file ``path`` when the file, its directory and its digest are
    trustworthy; None otherwise (missing, foreign, tampered, another kelm version)."""
    if not trusted_dir(os.path.dirname(path)):
        return None
    key = _key(create=False)
    if key is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with open(fd, "rb") as fh:
        if not _safe_stat(os.fstat(fh.fileno())):
            return None
        data = fh.read()
    payload = data[DIGEST_SIZE:]
    # A plain comparison: timing it would tell only the user who owns the directory (the one
    # able to plant files in it) what they already hold.
    if len(data) < DIGEST_SIZE or data[:DIGEST_SIZE] != _digest(key, path, payload):
        return None
    return payload


def read_marshal(path: str) -> object:
    """The marshalled object in the verified cache file ``path``; None when it is missing,
    untrusted or unreadable."""
    payload = read_verified(path)
    if payload is None:
        return None
    import marshal

    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None


def write_atomic(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` and its digest (temporary file + rename, mode 0600).
    Raises OSError, also when the directory is not trusted or has no key."""
    directory = os.path.dirname(path)
    if not trusted_dir(directory, create=True):
        raise PermissionError(f"{directory}: not a private cache directory")
    key = _key(create=True)
    if key is None:
        raise PermissionError(f"{cache_root()}: no usable cache key")
    tmp = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "wb") as fh:
            fh.write(_digest(key, path, data) + data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def reset() -> None:
    """Forget the key and the directory checks (tests)."""
    _state.clear()

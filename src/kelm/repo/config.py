"""Writing repositories.yaml as Helm writes it, under Helm's file lock.

Helm serialises ``repo.File`` with sigs.k8s.io/yaml: keys sorted, every entry field present
(``caFile``, ``certFile``, ``insecure_skip_tls_verify``, ``keyFile``, ``name``,
``pass_credentials_all``, ``password``, ``url``, ``username``), ``apiVersion`` and
``generated`` kept from the file read (a new file has ``apiVersion: ""`` and Go's zero time).
The file is replaced atomically (mode 0600) while ``repositories.lock`` next to it is held
with ``flock``, the lock Helm's gofrs/flock takes, so kelm and helm never interleave edits.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator

from kelm.repo.files import RepoEntry, RepoFile, RepoFileError, load_repo_file

ZERO_TIME = "0001-01-01T00:00:00Z"
LOCK_TIMEOUT = 30.0  # seconds, as Helm's repo add


def lock_path(repo_file: str) -> str:
    """``repositories.yaml`` -> ``repositories.lock`` (Helm: the extension is replaced)."""
    base, ext = os.path.splitext(repo_file)
    if ext and len(ext) < len(repo_file) and os.path.basename(base):
        return base + ".lock"
    return repo_file + ".lock"


@contextlib.contextmanager
def locked(repo_file: str, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold Helm's lock on ``repo_file`` (created 0600, retried each 0.1 s up to
    ``timeout``; like Helm, a lock that cannot be had does not stop the edit)."""
    import fcntl

    os.makedirs(os.path.dirname(os.path.abspath(repo_file)), exist_ok=True)
    fd = -1
    try:
        fd = os.open(lock_path(repo_file), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        pass
    got = False
    deadline = time.monotonic() + timeout
    while fd >= 0:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            got = True
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                break
            time.sleep(0.1)
        except OSError:
            break
    try:
        yield
    finally:
        if fd >= 0:
            if got:
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def read_or_new(path: str) -> RepoFile:
    """The file at ``path``, or Helm's zero ``repo.File`` when there is none."""
    try:
        rf = load_repo_file(path)
    except FileNotFoundError:
        return RepoFile(api_version="", generated=ZERO_TIME)
    if not rf.generated:
        rf.generated = ZERO_TIME
    return rf


def _entry_doc(e: RepoEntry) -> dict[str, object]:
    return {
        "caFile": e.ca_file, "certFile": e.cert_file,
        "insecure_skip_tls_verify": e.insecure_skip_tls_verify, "keyFile": e.key_file,
        "name": e.name, "pass_credentials_all": e.pass_credentials_all,
        "password": e.password, "url": e.url, "username": e.username,
    }


def dump_repo_file(rf: RepoFile) -> str:
    """The YAML Helm's ``File.WriteFile`` produces."""
    from kelm.yaml import dump_v2

    doc = {"apiVersion": rf.api_version, "generated": rf.generated or ZERO_TIME,
           "repositories": [_entry_doc(e) for e in rf.repositories]}
    return dump_v2(doc, json_roundtrip=False)


def atomic_write(path: str, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` through a temporary file in the same directory."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}."
                                  f"{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_repo_file(path: str, rf: RepoFile) -> None:
    atomic_write(path, dump_repo_file(rf).encode(), 0o600)


def same_entry(a: RepoEntry, b: RepoEntry) -> bool:
    return _entry_doc(a) == _entry_doc(b)


def update(rf: RepoFile, entry: RepoEntry) -> None:
    """Helm's ``File.Update``: replace the entry of that name, or append it."""
    for i, e in enumerate(rf.repositories):
        if e.name == entry.name:
            rf.repositories[i] = entry
            return
    rf.repositories.append(entry)


def remove(rf: RepoFile, name: str) -> bool:
    for i, e in enumerate(rf.repositories):
        if e.name == name:
            del rf.repositories[i]
            return True
    return False


__all__ = ["RepoFileError", "ZERO_TIME", "atomic_write", "dump_repo_file", "lock_path", "locked",
           "read_or_new", "remove", "same_entry", "update", "write_repo_file"]

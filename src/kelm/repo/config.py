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

from kelm.repo.files import RepoEntry, RepoFile, RepoFileError

ZERO_TIME = "0001-01-01T00:00:00Z"
LOCK_TIMEOUT = 30.0  # seconds, as Helm's repo add


def lock_path(repo_file: str) -> str:
    """``repositories.yaml`` -> ``repositories.lock``: Helm replaces the extension as Go's
    ``filepath.Ext`` finds it (from the last dot of the last element, so ``.repos`` gives
    ``.lock``), else appends ``.lock``; kelm must take the very same lock file."""
    name = os.path.basename(repo_file)
    dot = name.rfind(".")
    ext = name[dot:] if dot >= 0 else ""
    if ext and len(ext) < len(repo_file):
        return repo_file[:-len(ext)] + ".lock"
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


_STRING_FIELDS = {"name": "name", "url": "url", "username": "username",
                  "password": "password", "certFile": "cert_file", "keyFile": "key_file",
                  "caFile": "ca_file"}
_BOOL_FIELDS = {"insecure_skip_tls_verify": "insecure_skip_tls_verify",
                "pass_credentials_all": "pass_credentials_all"}


def _json_kind(v: object) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int | float):
        return "number"
    if isinstance(v, str):
        return "string"
    return "array" if isinstance(v, list) else "object"


def _go_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def load_repositories(path: str, partial: bool = False) -> RepoFile:
    """repositories.yaml as Helm's ``repo.LoadFile`` reads it (sigs.k8s.io/yaml into
    ``repo.File``: unknown fields ignored, scalars converted for string fields, Helm's error
    texts).  A missing file raises FileNotFoundError; anything else :class:`RepoFileError`,
    except with ``partial``: then what Go's decoder fills in despite a type error is returned
    (Helm's ``repo list``, ``search``, ``remove`` go on with it)."""
    from kelm.yaml import YAMLError, load_helm

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise
    except OSError as e:
        raise RepoFileError(f"couldn't load repositories file ({path}): open {path}: "
                            f"{(e.strerror or '').lower()}") from None
    try:
        doc = load_helm(data) if data.strip() else None
    except YAMLError as e:
        raise RepoFileError(str(e).replace(":\n  ", ": ")) from None
    rf = RepoFile(api_version="", generated="")
    errors: list[str] = []
    prefix = "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
    if doc is not None and not isinstance(doc, dict):
        errors.append(f"{prefix}{_json_kind(doc)} into Go value of type repo.File")
        doc = None
    if doc is not None:
        if doc.get("apiVersion") is not None:
            rf.api_version = _go_text(doc["apiVersion"])
        if doc.get("generated") is not None:
            rf.generated = _go_text(doc["generated"])
        repos = doc.get("repositories")
        if repos is not None and not isinstance(repos, list):
            errors.append(f"{prefix}{_json_kind(repos)} into Go struct field "
                          "File.repositories of type []*repo.Entry")
            repos = None
        for item in repos or []:
            if item is None:
                continue
            entry = RepoEntry()
            rf.repositories.append(entry)
            if not isinstance(item, dict):
                errors.append(f"{prefix}{_json_kind(item)} into Go struct field "
                              "File.repositories of type repo.Entry")
                continue
            _decode_entry(item, entry, prefix, errors)
    if errors and not partial:
        raise RepoFileError(errors[0])
    return rf


def _decode_entry(item: dict[str, object], entry: RepoEntry, prefix: str,
                  errors: list[str]) -> None:
    for key, attr in _STRING_FIELDS.items():
        v = item.get(key)
        if v is None:
            continue
        if isinstance(v, list | dict):
            errors.append(f"{prefix}{_json_kind(v)} into Go struct field "
                          f"Entry.repositories.{key} of type string")
            continue
        setattr(entry, attr, _go_text(v).lower() if isinstance(v, bool) else _go_text(v))
    for key, attr in _BOOL_FIELDS.items():
        v = item.get(key)
        if v is None:
            continue
        if not isinstance(v, bool):
            errors.append(f"{prefix}{_json_kind(v)} into Go struct field "
                          f"Entry.repositories.{key} of type bool")
            continue
        setattr(entry, attr, v)


def read_or_new(path: str) -> RepoFile:
    """The file at ``path``, or Helm's zero ``repo.File`` when there is none."""
    try:
        rf = load_repositories(path)
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


__all__ = ["RepoFileError", "ZERO_TIME", "atomic_write", "dump_repo_file", "load_repositories",
           "lock_path", "locked", "read_or_new", "remove", "same_entry", "update", "write_repo_file"]

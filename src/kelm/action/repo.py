"""``repo add|list|remove|update|index``: the user's chart repositories, as Helm keeps them.

repositories.yaml and the index cache are Helm's own files (:mod:`kelm.repo.config`, the
``<cache>/<name>-index.yaml`` and ``<name>-charts.txt`` layout), so kelm and helm share
them; edits happen under Helm's ``repositories.lock``.  ``update`` downloads the indexes in
parallel threads and reports each as it completes, as Helm's goroutines do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, TextIO

from kelm.repo.config import (
    load_repositories,
    locked,
    read_or_new,
    remove,
    same_entry,
    update,
    write_repo_file,
)
from kelm.repo.files import RepoEntry, RepoFileError
from kelm.repo.paths import cache_charts_file, cache_index_file
from kelm.repo.transport import RepoError

DEPRECATED_REPOS = {
    "//kubernetes-charts.storage.googleapis.com": "https://charts.helm.sh/stable",
    "//kubernetes-charts-incubator.storage.googleapis.com": "https://charts.helm.sh/incubator",
}
UPDATE_BANNER = "Hang tight while we grab the latest from your chart repositories...\n"
UPDATE_DONE = "Update Complete. \u2388Happy Helming!\u2388\n"


class RepoCommandError(Exception):
    """A repo command failed; ``str()`` is Helm's message."""


@dataclass
class AddOptions:
    name: str
    url: str
    repo_file: str
    repo_cache: str
    username: str = ""
    password: str = ""
    pass_credentials: bool = False
    cert_file: str = ""
    key_file: str = ""
    ca_file: str = ""
    insecure_skip_tls_verify: bool = False
    force_update: bool = False
    allow_deprecated_repos: bool = False
    timeout: float | None = None


def _check_tls_files(o: AddOptions) -> None:
    """Helm builds the TLS configuration before the download; its errors, word for word."""
    prefix = "can't create TLS config for client: "
    for path, what in ((o.cert_file, "cert"), (o.key_file, "key"), (o.ca_file, "CA")):
        if not path:
            continue
        if what == "CA" or (o.cert_file and o.key_file):
            try:
                with open(path, "rb"):
                    pass
            except OSError as e:
                verb = "can't read CA file" if what == "CA" else f"unable to read {what} file"
                raise RepoError(f'{prefix}{verb}: "{path}": open {path}: '
                                f"{(e.strerror or '').lower()}") from None


def add(o: AddOptions, out: TextIO) -> None:
    """Helm's ``repo add``: idempotent for the same configuration, ``--force-update`` to
    replace, the index fetched (and cached) before the entry is written."""
    if not o.allow_deprecated_repos:
        for old, new in DEPRECATED_REPOS.items():
            if old in o.url:
                raise RepoCommandError(f'repo "{o.url}" is no longer available; try "{new}" '
                                       "instead")
    with locked(o.repo_file):
        try:
            rf = read_or_new(o.repo_file)
        except RepoFileError as e:
            raise RepoCommandError(str(e)) from None
        entry = RepoEntry(name=o.name, url=o.url, username=o.username, password=o.password,
                          cert_file=o.cert_file, key_file=o.key_file, ca_file=o.ca_file,
                          insecure_skip_tls_verify=o.insecure_skip_tls_verify,
                          pass_credentials_all=o.pass_credentials)
        if "/" in o.name:
            raise RepoCommandError(f"repository name ({o.name}) contains '/', please specify "
                                   "a different name without '/'")
        existing = rf.get(o.name)
        if not o.force_update and existing is not None:
            if not same_entry(existing, entry):
                raise RepoCommandError(f"repository name ({o.name}) already exists, please "
                                       "specify a different name")
            out.write(f'"{o.name}" already exists with the same configuration, skipping\n')
            return
        _check_scheme(o.url)
        try:
            _check_tls_files(o)
            _download(entry, o.repo_cache, o.timeout)
        except RepoError as e:
            raise RepoCommandError(f'looks like "{o.url}" is not a valid chart repository or '
                                   f"cannot be reached: {e}") from None
        update(rf, entry)
        try:
            write_repo_file(o.repo_file, rf)
        except OSError as e:
            raise RepoCommandError(f"open {o.repo_file}: {(e.strerror or '').lower()}") from None
    out.write(f'"{o.name}" has been added to your repositories\n')


def _unparsable(url: str) -> bool:
    """What Go's url.Parse refuses: a missing scheme before ``:``, control characters, a
    bad ``%`` escape."""
    import re

    return (url.startswith(":") or any(ord(c) < 0x20 or c == "\x7f" for c in url)
            or re.search(r"%(?![0-9A-Fa-f]{2})", url) is not None)


def _check_scheme(url: str) -> None:
    from urllib.parse import urlsplit

    if _unparsable(url):
        raise RepoCommandError(f"invalid chart URL format: {url}")
    scheme = urlsplit(url).scheme
    if scheme == "oci":
        raise RepoCommandError(f'looks like "{url}" is not a valid chart repository or cannot '
                               "be reached: OCI registries are not chart repositories (use "
                               "oci:// references with pull/install/show directly)")
    if scheme not in ("http", "https", "file"):
        raise RepoCommandError(f"could not find protocol handler for: {scheme}")


def _download(entry: RepoEntry, cache: str, timeout: float | None) -> str:
    from kelm.repo.chartrepo import download_index

    return download_index(entry, cache, timeout=timeout)


# -- list -------------------------------------------------------------------------------------


def configured(repo_file: str) -> list[RepoEntry]:
    """The repositories of ``repo_file`` ([] when there is none or it does not parse: Helm's
    ``repo list`` ignores the error)."""
    try:
        return load_repositories(repo_file, partial=True).repositories
    except (FileNotFoundError, RepoFileError):
        return []


def list_table(repos: list[RepoEntry], headers: bool = True) -> str:
    from kelm.action.uitable import uitable

    rows = [[r.name, r.url] for r in repos]
    if headers:
        rows.insert(0, ["NAME", "URL"])
    return uitable(rows, 0) + "\n" if rows else ""


class RepoElement:
    """Helm's ``repositoryElement`` (JSON in field order)."""

    __slots__ = ("name", "url")
    _go_fields = __slots__

    def __init__(self, r: RepoEntry) -> None:
        self.name = r.name
        self.url = r.url


def list_json(repos: list[RepoEntry]) -> str:
    from kelm.yaml import dump_json

    return dump_json([RepoElement(r) for r in repos]) + "\n"


def list_yaml(repos: list[RepoEntry]) -> str:
    from kelm.yaml import dump_v2

    return dump_v2([RepoElement(r) for r in repos])


# -- remove -----------------------------------------------------------------------------------


def remove_repos(names: list[str], repo_file: str, repo_cache: str, out: TextIO) -> None:
    """Helm's ``repo remove``: each name in turn (the file is written after each), its cache
    files deleted; an unknown name stops the run."""
    with locked(repo_file):
        try:
            rf = load_repositories(repo_file, partial=True)
        except (FileNotFoundError, RepoFileError):
            raise RepoCommandError("no repositories configured") from None
        if not rf.repositories:
            raise RepoCommandError("no repositories configured")
        for name in names:
            if not remove(rf, name):
                raise RepoCommandError(f'no repo named "{name}" found')
            write_repo_file(repo_file, rf)
            for f in (cache_charts_file(name), cache_index_file(name)):
                try:
                    os.remove(os.path.join(repo_cache, f))
                except FileNotFoundError:
                    pass
                except OSError as e:
                    raise RepoCommandError(f"can't remove index file "
                                           f"{os.path.join(repo_cache, f)}: {e.strerror}") from None
            out.write(f'"{name}" has been removed from your repositories\n')


# -- update -----------------------------------------------------------------------------------


def update_repos(names: list[str], repo_file: str, repo_cache: str, out: TextIO,
                 timeout: float | None = None, progress: Any = None) -> None:
    """Helm's ``repo update``: every (or each named) repository's index, fetched in
    parallel; each result line printed as it completes; failures listed at the end.
    ``progress`` (optional) is told ``start(names)`` and ``done(name, ok)``."""
    try:
        rf = load_repositories(repo_file)
    except FileNotFoundError:
        raise RepoCommandError("no repositories found. You must add one before updating") \
            from None
    except RepoFileError as e:
        raise RepoCommandError(f"failed loading file: {repo_file}: {e}") from None
    if not rf.repositories:
        raise RepoCommandError("no repositories found. You must add one before updating")
    known = {r.name for r in rf.repositories}
    for n in names:
        if n not in known:
            raise RepoCommandError(f"no repositories found matching '{n}'.  Nothing will be "
                                   "updated")
    repos = [r for r in rf.repositories if not names or r.name in names]
    for r in repos:
        _check_scheme(r.url)
    out.write(UPDATE_BANNER)
    out.flush()
    import threading
    from concurrent.futures import ThreadPoolExecutor

    lock = threading.Lock()
    failed: list[str] = []
    if progress is not None:
        progress.start([r.name for r in repos])

    def one(r: RepoEntry) -> None:
        try:
            _download(r, repo_cache, timeout)
        except Exception as e:  # noqa: BLE001 - every failure is reported per repository
            with lock:
                out.write(f'...Unable to get an update from the "{r.name}" chart repository '
                          f"({r.url}):\n\t{e}\n")
                out.flush()
                failed.append(r.url)
                if progress is not None:
                    progress.done(r.name, False)
            return
        with lock:
            out.write(f'...Successfully got an update from the "{r.name}" chart repository\n')
            out.flush()
            if progress is not None:
                progress.done(r.name, True)

    with ThreadPoolExecutor(max_workers=min(16, len(repos)) or 1) as pool:
        list(pool.map(one, repos))
    if progress is not None:
        progress.stop()
    if failed:
        raise RepoCommandError("failed to update the following repositories: "
                               f"[{' '.join(failed)}]")
    out.write(UPDATE_DONE)


# -- index ------------------------------------------------------------------------------------


def go_now() -> str:
    """``time.Now()`` as Go's JSON encoding prints it (RFC 3339, nanoseconds, local zone)."""
    import datetime

    from kelm import clock

    ns = clock.time_ns()
    dt = datetime.datetime.fromtimestamp(ns // 1_000_000_000).astimezone()
    frac = ns % 1_000_000_000
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        text += "." + f"{frac:09d}".rstrip("0")
    off = dt.utcoffset()
    secs = int(off.total_seconds()) if off is not None else 0
    if secs == 0:
        return text + "Z"
    sign = "+" if secs > 0 else "-"
    secs = abs(secs)
    return f"{text}{sign}{secs // 3600:02d}:{secs % 3600 // 60:02d}"


def _archives(directory: str) -> list[str]:
    """``dir/*.tgz`` then ``dir/*/*.tgz`` (Go's Glob: ``**`` is one level), each sorted."""
    import glob

    top = sorted(glob.glob(os.path.join(glob.escape(directory), "*.tgz")))
    deeper = sorted(glob.glob(os.path.join(glob.escape(directory), "*", "*.tgz")))
    return top + deeper


def index_directory(directory: str, base_url: str) -> dict[str, Any]:
    """Helm's ``IndexDirectory``: the index document of the chart archives under
    ``directory`` (what is no chart is skipped)."""
    import hashlib

    from kelm.chart.jsonform import metadata_json
    from kelm.chart.loader import load_file
    from kelm.chart.metadata import validate_metadata
    from kelm.chart.model import ChartError
    from kelm.repo.urls import url_join

    entries: dict[str, list[dict[str, Any]]] = {}
    doc: dict[str, Any] = {"apiVersion": "v1", "generated": go_now(), "entries": entries}
    for arch in _archives(directory):
        rel = os.path.relpath(arch, directory)
        parent, fname = os.path.split(rel)
        try:
            chart = load_file(arch)
        except (ChartError, OSError, ValueError):
            continue
        md = chart.metadata
        if not md.api_version:
            md.api_version = "v1"
        try:
            validate_metadata(md)
        except ChartError as e:
            raise RepoCommandError(f"failed adding to {fname} to index: validate failed for "
                                   f"{fname}: {e}") from None
        with open(arch, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
        parent_url = url_join(base_url, parent)
        url = url_join(parent_url, fname) if parent_url else fname
        entry = metadata_json(md)
        entry.update({"urls": [url], "created": go_now(), "digest": digest})
        entries.setdefault(md.name, []).append(entry)
    return doc


def _sort_doc(doc: dict[str, Any]) -> None:
    from kelm.repo.index import version_key

    def key(e: dict[str, Any]) -> tuple[Any, ...]:
        try:
            return (1, version_key(str(e.get("version") or "")))
        except Exception:  # noqa: BLE001 - unparsable versions go last, as Helm's sort
            return (0, ())

    for versions in doc["entries"].values():
        versions.sort(key=key, reverse=True)


def _load_merge(path: str) -> dict[str, Any]:
    from kelm.repo.index import load_index_file

    try:
        idx = load_index_file(path, full=True)
    except (RepoError, OSError) as e:
        raise RepoCommandError(f"merge failed: {e}") from None
    entries: dict[str, list[dict[str, Any]]] = {}
    for name, versions in idx.entries.items():
        entries[name] = [dict(cv.raw or {}) for cv in versions]
    doc: dict[str, Any] = {"apiVersion": idx.api_version,
                           "generated": idx.generated or go_now(), "entries": entries}
    doc.update(idx.extra)
    return doc


_INDEX_ORDER = ("apiVersion", "generated", "entries", "publicKeys", "annotations", "serverInfo")
_VERSION_ORDER = ("name", "home", "sources", "version", "description", "keywords",
                  "maintainers", "icon", "apiVersion", "condition", "tags", "appVersion",
                  "deprecated", "annotations", "kubeVersion", "dependencies", "type", "urls",
                  "created", "removed", "digest", "checksum", "engine", "tillerVersion", "url")
_MAINTAINER_ORDER = ("name", "email", "url")
_DEPENDENCY_ORDER = ("name", "version", "repository", "condition", "tags", "enabled",
                     "import-values", "alias")


class _Struct:
    """A Go struct for the JSON encoder: the given fields, in the given order."""

    def __init__(self, d: dict[str, Any], order: tuple[str, ...]) -> None:
        known = [k for k in order if k in d]
        self._go_fields = tuple(known + sorted(k for k in d if k not in order))
        self.__dict__.update(d)


def _go_structs(doc: dict[str, Any]) -> _Struct:
    def version(e: dict[str, Any]) -> _Struct:
        e = dict(e)
        if isinstance(e.get("maintainers"), list):
            e["maintainers"] = [_Struct(m, _MAINTAINER_ORDER) if isinstance(m, dict) else m
                                for m in e["maintainers"]]
        if isinstance(e.get("dependencies"), list):
            e["dependencies"] = [_Struct(d, _DEPENDENCY_ORDER) if isinstance(d, dict) else d
                                 for d in e["dependencies"]]
        return _Struct(e, _VERSION_ORDER)

    top = dict(doc)
    top["entries"] = {name: [version(e) for e in vs] for name, vs in doc["entries"].items()}
    return _Struct(top, _INDEX_ORDER)


def dump_index(doc: dict[str, Any], as_json: bool = False) -> str:
    """index.yaml as Helm's ``IndexFile.WriteFile`` (or ``WriteJSONFile``) writes it."""
    if as_json:
        from kelm.yaml import dump_json

        return dump_json(_go_structs(doc), escape_html=True, indent="  ")
    from kelm.yaml import dump_v2

    return dump_v2(doc)


def index(directory: str, url: str = "", merge: str = "", as_json: bool = False) -> str:
    """Helm's ``repo index``: write ``DIR/index.yaml``; returns its path."""
    from kelm.repo.config import atomic_write

    out = os.path.join(directory, "index.yaml")
    if not os.path.isdir(directory):
        import random

        # Go's AtomicWriteFile names its temporary file index.yaml<digits>
        raise RepoCommandError(f"open {out}{random.randint(0, 4294967295)}: no such file or "
                               "directory")
    doc = index_directory(directory, url)
    if merge:
        if not os.path.exists(merge):
            empty: dict[str, Any] = {"apiVersion": "v1", "generated": go_now(), "entries": {}}
            atomic_write(merge, dump_index(empty, as_json).encode())
            old = empty
        else:
            old = _load_merge(merge)
        for name, versions in old["entries"].items():
            have = {str(e.get("version")) for e in doc["entries"].get(name, [])}
            for e in versions:
                if str(e.get("version")) not in have:
                    doc["entries"].setdefault(name, []).append(e)
    _sort_doc(doc)
    atomic_write(out, dump_index(doc, as_json).encode())
    return out


__all__ = ["AddOptions", "RepoCommandError", "add", "configured", "dump_index", "go_now",
           "index", "index_directory", "list_json", "list_table", "list_yaml", "remove_repos",
           "update_repos"]

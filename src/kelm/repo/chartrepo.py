"""One chart repository: index download into the cache, version lookup, chart content cache."""

from __future__ import annotations

import os
import secrets
import tempfile
from typing import Any

from kelm.repo.index import ChartVersion, load_index
from kelm.repo.paths import cache_charts_file, cache_index_file
from kelm.repo.transport import Credentials, RepoError
from kelm.repo.urls import resolve_reference_url


def _atomic_write(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path) or ".", 0o755, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def download_index(entry: Any, cache_dir: str, timeout: float | None = None) -> str:
    """Fetch ``<url>/index.yaml`` into the cache (plus the chart-name list); returns its path.

    The body is streamed to a temporary file beside the cache file and parsed from there
    (memory stays bounded for huge indexes); the cache is replaced only once the index
    parsed, so a failed update never leaves a corrupt or partial cache file."""
    from kelm.repo.index import read_index_path, remember_index
    from kelm.repo.transport import download

    url = resolve_reference_url(entry.url, "index.yaml")
    creds = Credentials(entry.username, entry.password, entry.cert_file, entry.key_file,
                        entry.ca_file, entry.insecure_skip_tls_verify,
                        entry.pass_credentials_all, entry.url)
    os.makedirs(cache_dir, 0o755, exist_ok=True)
    path = os.path.join(cache_dir, cache_index_file(entry.name))
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".tmp-index-")
    try:
        with os.fdopen(fd, "wb") as fh:
            download(url, fh, creds, timeout=timeout)
        if not os.path.getsize(tmp):
            raise RepoError("empty index.yaml file")
        idx = read_index_path(tmp, entry.url)
        names = "".join(f"{n}\n" for n in idx.entries)
        _atomic_write(os.path.join(cache_dir, cache_charts_file(entry.name)), names.encode())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
    remember_index(path, idx, entry.url)
    return path


def version_equals(a: str, b: str) -> bool:
    from kelm.chart.semver import parse_version

    va = parse_version(a)
    if va is None:
        return a == b
    vb = parse_version(b)
    return vb is not None and va.compare(vb) == 0


def find_versioned_entry(version: str, versions: list[ChartVersion]) -> ChartVersion | None:
    for cv in versions:
        if cv.urls and (not version or version_equals(version, cv.version)):
            return cv
    return None


def find_chart_in_repo_url(
    repo_url: str, name: str, version: str, cache_dir: str, creds: Credentials | None = None
) -> tuple[str, str]:
    """Helm's ``FindChartInRepoURL`` for a repository not in repositories.yaml:
    (absolute chart URL, digest)."""
    from kelm.repo.files import RepoEntry

    tmp_name = secrets.token_urlsafe(20)
    entry = RepoEntry(name=tmp_name, url=repo_url)
    if creds is not None:
        entry.username, entry.password = creds.username, creds.password
    try:
        path = download_index(entry, cache_dir)
    except RepoError as e:
        raise RepoError(
            f'looks like "{repo_url}" is not a valid chart repository or cannot be reached: {e}'
        ) from None
    try:
        with open(path, "rb") as fh:
            idx = load_index(fh.read(), path)
    finally:
        for f in (cache_charts_file(tmp_name), cache_index_file(tmp_name)):
            try:
                os.remove(os.path.join(cache_dir, f))
            except OSError:
                pass
    what = f'chart "{name}"' + (f' version "{version}"' if version else "")
    try:
        cv = idx.get(name, version)
    except RepoError:
        raise RepoError(f"{what} not found in {repo_url} repository") from None
    if not cv.urls:
        raise RepoError(f"{what} has no downloadable URLs")
    return resolve_reference_url(repo_url, cv.urls[0]), cv.digest


def _cache_path(root: str, digest: str) -> str | None:
    hexd = digest.split(":", 1)[-1]
    if len(hexd) != 64:
        return None
    try:
        bytes.fromhex(hexd)
    except ValueError:
        return None
    return os.path.join(root, hexd[:2], hexd + ".chart")


def cached_chart(root: str, digest: str) -> bytes | None:
    """A chart archive from the content cache (Helm's DiskCache layout), if present."""
    p = _cache_path(root, digest) if digest and root else None
    if p is None or not os.path.isfile(p) or os.path.getsize(p) == 0:
        return None
    with open(p, "rb") as fh:
        data = fh.read()
    import hashlib

    return data if hashlib.sha256(data).hexdigest() == digest.split(":", 1)[-1] else None


def store_chart(root: str, digest: str, data: bytes) -> None:
    import hashlib

    if not digest or not root or hashlib.sha256(data).hexdigest() != digest.split(":", 1)[-1]:
        return
    p = _cache_path(root, digest)
    if p is not None:
        try:
            _atomic_write(p, data)
        except OSError:
            pass

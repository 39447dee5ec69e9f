"""``pull CHART`` (Helm's ``action.Pull`` and ``downloader.ChartDownloader``): fetch a chart
archive from a repository (``repo/name``, ``--repo URL name``, an absolute URL) or an OCI
registry, optionally with its provenance file (``--prov``) and verified (``--verify``), and
save it or unpack it (``--untar``).

Nothing is left behind by a failed pull: the archive is written to a temporary file and renamed
into place only after the download (and the verification) succeeded; ``--untar`` unpacks from
a temporary directory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from typing import Any, TextIO

from kelm.action.chartref import ChartRefError, pick_from_repo, pick_version
from kelm.repo.transport import Credentials, RepoError


class PullError(Exception):
    """``str()`` is Helm's message."""


@dataclass
class PullOptions:
    repository_config: str
    repository_cache: str
    content_cache: str = ""
    registry_config: str = ""
    repo_url: str = ""
    version: str = ""
    devel: bool = False
    username: str = ""
    password: str = ""
    cert_file: str = ""
    key_file: str = ""
    ca_file: str = ""
    insecure_skip_tls_verify: bool = False
    pass_credentials: bool = False
    plain_http: bool = False
    destination: str = "."
    untar: bool = False
    untardir: str = "."
    prov: bool = False
    verify: bool = False
    keyring: str = ""
    timeout: float | None = None

    def version_constraint(self) -> str:
        v = self.version.strip()
        return v if v or not self.devel else ">0.0.0-0"


@dataclass
class _Source:
    url: str
    creds: Credentials
    digest: str = ""


def _repo_entry(name: str, repository_config: str) -> Any:
    from kelm.repo.config import RepoFileError, load_repositories

    try:
        rf = load_repositories(repository_config)
    except FileNotFoundError:
        rf = None
    except RepoFileError as e:
        raise PullError(str(e)) from None
    entry = rf.get(name) if rf is not None else None
    if entry is None:
        raise PullError(f"repo {name} not found")
    return entry


def _entry_creds(entry: Any, o: PullOptions) -> Credentials:
    """A repositories.yaml entry's TLS and (complete) basic-auth settings, for its host; the
    command line's where the entry has none (Helm: the entry's options are applied last)."""
    auth = bool(entry.username and entry.password)
    tls = bool(entry.cert_file or entry.key_file or entry.ca_file)
    return Credentials(
        username=entry.username if auth else o.username,
        password=entry.password if auth else o.password,
        cert_file=entry.cert_file if tls else o.cert_file,
        key_file=entry.key_file if tls else o.key_file,
        ca_file=entry.ca_file if tls else o.ca_file,
        insecure_skip_tls_verify=entry.insecure_skip_tls_verify or o.insecure_skip_tls_verify,
        pass_credentials_all=entry.pass_credentials_all if auth else o.pass_credentials,
        repo_url=entry.url,
    )


def _with_repo_url(name: str, o: PullOptions, version: str, err: TextIO) -> _Source:
    """``--repo URL name``: the index fetched into a temporary cache entry, the chart found
    there (Helm's ``FindChartInRepoURL``)."""
    import secrets
    from urllib.parse import urlsplit

    from kelm.repo.chartrepo import download_index
    from kelm.repo.files import RepoEntry
    from kelm.repo.index import load_index_file
    from kelm.repo.paths import cache_charts_file, cache_index_file
    from kelm.repo.urls import resolve_reference_url

    entry = RepoEntry(name=secrets.token_urlsafe(20), url=o.repo_url, username=o.username,
                      password=o.password, cert_file=o.cert_file, key_file=o.key_file,
                      ca_file=o.ca_file, insecure_skip_tls_verify=o.insecure_skip_tls_verify,
                      pass_credentials_all=o.pass_credentials)
    try:
        path = download_index(entry, o.repository_cache, timeout=o.timeout)
    except RepoError as e:
        raise PullError(f'looks like "{o.repo_url}" is not a valid chart repository or cannot '
                        f"be reached: {e}") from None
    try:
        idx = load_index_file(path)
    finally:
        for f in (cache_charts_file(entry.name), cache_index_file(entry.name)):
            try:
                os.remove(os.path.join(o.repository_cache, f))
            except OSError:
                pass
    what = f'chart "{name}"' + (f' version "{version}"' if version else "")
    try:
        cv = pick_version(idx, name, version, err)
    except RepoError:
        raise PullError(f"{what} not found in {o.repo_url} repository") from None
    if not cv.urls:
        raise PullError(f"{what} has no downloadable URLs")
    url = resolve_reference_url(o.repo_url, cv.urls[0])
    a, b = urlsplit(o.repo_url), urlsplit(url)
    same = (a.scheme, a.netloc) == (b.scheme, b.netloc)
    with_auth = o.pass_credentials or same
    creds = Credentials(o.username if with_auth else "", o.password if with_auth else "",
                        o.cert_file, o.key_file, o.ca_file, o.insecure_skip_tls_verify,
                        o.pass_credentials, o.repo_url)
    return _Source(url, creds, cv.digest)


def _owner_of(url: str, o: PullOptions) -> Any:
    """Helm's ``scanReposForURL``: the configured repository whose index names ``url``."""
    from kelm.repo.config import RepoFileError, load_repositories
    from kelm.repo.index import load_index_file
    from kelm.repo.paths import cache_index_file
    from kelm.repo.urls import resolve_reference_url

    try:
        repos = load_repositories(o.repository_config).repositories
    except (FileNotFoundError, RepoFileError):
        return None
    for r in repos:
        try:
            idx = load_index_file(os.path.join(o.repository_cache, cache_index_file(r.name)))
        except (OSError, RepoError):
            continue
        for versions in idx.entries.values():
            for cv in versions:
                if any(resolve_reference_url(r.url, u) == url for u in cv.urls):
                    return r
    return None


def resolve(ref: str, o: PullOptions, err: TextIO) -> _Source:
    """Helm's ``ResolveChartVersion``: the archive URL and the settings to fetch it with."""
    from urllib.parse import urlsplit

    from kelm.repo.index import load_index_file
    from kelm.repo.paths import cache_index_file
    from kelm.repo.urls import resolve_reference_url

    version = o.version_constraint()
    if o.repo_url:
        return _with_repo_url(ref, o, version, err)
    u = urlsplit(ref)
    if u.scheme and u.netloc and u.path:
        owner = _owner_of(ref, o)
        if owner is not None:
            return _Source(ref, _entry_creds(owner, o))
        return _Source(ref, Credentials(o.username, o.password, o.cert_file, o.key_file,
                                        o.ca_file, o.insecure_skip_tls_verify,
                                        o.pass_credentials, ref))
    parts = ref.split("/", 1)
    if len(parts) < 2:
        raise PullError(
            f"non-absolute URLs should be in form of repo_name/path_to_chart, got: {ref}")
    repo_name, chart_name = parts
    entry = _repo_entry(repo_name, o.repository_config)
    path = os.path.join(o.repository_cache, cache_index_file(entry.name))
    try:
        idx = load_index_file(path)
    except OSError:
        raise PullError(f"no cached repo found. (try 'helm repo update'): open {path}: no such "
                        "file or directory") from None
    except RepoError as e:
        raise PullError(f"no cached repo found. (try 'helm repo update'): {e}") from None
    try:
        cv = pick_from_repo(idx, entry.name, chart_name, version, err)
    except ChartRefError as e:
        raise PullError(str(e)) from None
    return _Source(resolve_reference_url(entry.url, cv.urls[0]), _entry_creds(entry, o),
                   cv.digest)


def _temp_in(directory: str, name: str) -> tuple[int, str]:
    """Go's ``os.CreateTemp(dir, name+"*")`` (AtomicWriteFile's temporary file)."""
    import random

    for _ in range(100):
        path = os.path.join(directory, f"{name}{random.randint(0, 4294967295)}")
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), path
        except FileExistsError:
            continue
        except OSError as e:
            raise PullError(f"open {path}: {(e.strerror or '').lower()}") from None
    raise PullError(f"open {os.path.join(directory, name)}: file exists")


def _save(directory: str, name: str, write: Any) -> str:
    """Write through a temporary file and rename: no partial file on failure."""
    fd, tmp = _temp_in(directory, name)
    dest = os.path.join(directory, name)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
    return dest


def _fetch_archive(src: _Source, o: PullOptions, directory: str) -> str:
    """Download (or take from the content cache) into ``directory``; checks the index's
    digest when it gives one."""
    import hashlib
    from urllib.parse import unquote, urlsplit

    from kelm.repo.chartrepo import cached_chart, store_chart
    from kelm.repo.transport import download

    name = os.path.basename(unquote(urlsplit(src.url).path)) or "chart.tgz"
    data = cached_chart(o.content_cache, src.digest) if src.digest and o.content_cache else None
    if data is not None:
        cached = data
        return _save(directory, name, lambda fh: fh.write(cached))

    class _Hashing:
        def __init__(self, fh: Any) -> None:
            self.fh = fh
            self.h = hashlib.sha256()

        def write(self, b: bytes) -> None:
            self.h.update(b)
            self.fh.write(b)

    def write(fh: Any) -> None:
        sink = _Hashing(fh)
        download(src.url, sink, src.creds, accept="application/gzip,application/octet-stream",
                 timeout=o.timeout)
        want = src.digest.split(":", 1)[-1].lower()
        got = sink.h.hexdigest()
        if want and want != got:
            raise PullError(f"digest mismatch for {src.url}: the index says sha256:{want}, "
                            f"the download is sha256:{got}")

    path = _save(directory, name, write)
    if src.digest and o.content_cache:
        with open(path, "rb") as fh:
            store_chart(o.content_cache, src.digest, fh.read())
    return path


def _fetch_prov(src: _Source, archive: str, o: PullOptions, ref: str,
                out: list[str]) -> str | None:
    from kelm.repo.transport import download

    directory, name = os.path.split(archive)
    try:
        return _save(directory, name + ".prov",
                     lambda fh: download(src.url + ".prov", fh, src.creds, timeout=o.timeout))
    except RepoError as e:
        if o.verify:
            raise PullError(f'failed to fetch provenance "{src.url}.prov"') from None
        out.append(f"WARNING: Verification not found for {ref}: {e}\n")
        return None


def _verify(archive: str, prov: str, keyring: str, out: list[str]) -> None:
    try:
        from kelm.repo.provenance import ProvenanceError, verify_chart
    except ImportError:
        raise PullError("--verify is not supported by kelm yet (chart provenance checks are "
                        "not implemented)") from None
    try:
        v = verify_chart(archive, prov, keyring)
    except ProvenanceError as e:
        raise PullError(str(e)) from None
    for who in v.signed_by:
        out.append(f"Signed by: {who}\n")
    out.append(f"Using Key With Fingerprint: {v.fingerprint}\n")
    out.append(f"Chart Hash Verified: {v.file_hash}\n")


def _pull_oci(ref: str, o: PullOptions, directory: str, err: TextIO,
              out: list[str]) -> tuple[str, str | None]:
    """The chart, then (``--prov``/``--verify``) its provenance layer in a second pull, as
    Helm's getter asks for ``REF.prov``: a missing layer is a warning, or with ``--verify``
    Helm's "failed to fetch provenance"."""
    try:
        from kelm.repo import oci
        from kelm.repo.ociclient import RegistryError, RegistryOptions
    except ImportError:
        raise PullError(f"OCI registries are not supported by kelm yet: {ref}") from None
    ro = RegistryOptions(plain_http=o.plain_http,
                         insecure_skip_tls_verify=o.insecure_skip_tls_verify, ca_file=o.ca_file,
                         cert_file=o.cert_file, key_file=o.key_file, username=o.username,
                         password=o.password, registry_config=o.registry_config,
                         timeout=o.timeout or 0.0, out=err)
    try:
        res = oci.pull(ref, o.version_constraint(), ro)
    except RegistryError as e:
        raise PullError(str(e)) from None
    target = res.requested or res.ref
    name = oci.chart_filename(target)
    archive = _save(directory, name, lambda fh: fh.write(res.chart))
    if not (o.prov or o.verify):
        return archive, None
    from kelm.action.verify import oci_provenance

    shown = "oci://" + str(target)
    try:
        data = oci_provenance(shown, ro)
    except RegistryError as e:
        if o.verify:
            raise PullError(f'failed to fetch provenance "{shown}.prov"') from None
        out.append(f"WARNING: Verification not found for {ref}: {e}\n")
        return archive, None
    return archive, _save(directory, name + ".prov", lambda fh: fh.write(data))


def _untar(archive: str, ud: str) -> None:
    """Unpack a chart archive into ``ud``, refusing members that would land outside it."""
    import tarfile

    from kelm.chart.archive import load_archive_files
    from kelm.chart.model import ChartError

    try:  # Helm expands what its chart loader accepts: its refusals, in its words
        with open(archive, "rb") as fh:
            load_archive_files(fh.read())
    except ChartError as e:
        raise PullError(str(e)) from None
    except OSError as e:
        raise PullError(f"failed to untar: {e}") from None
    try:
        with tarfile.open(archive, "r:*") as tf:
            members = tf.getmembers()
            root = os.path.abspath(ud)
            for m in members:
                target = os.path.abspath(os.path.join(root, m.name))
                if os.path.isabs(m.name) or not (target == root or
                                                 target.startswith(root + os.sep)):
                    raise PullError(f"chart illegally references path outside of chart: {m.name}")
                if not (m.isfile() or m.isdir()):
                    raise PullError(f"chart contains an unsupported entry: {m.name}")
            tf.extractall(ud, members=members, filter="data")
    except (tarfile.TarError, OSError) as e:
        raise PullError(f"failed to untar: {e}") from None


def pull(ref: str, o: PullOptions, err: TextIO) -> str:
    """Fetch ``ref``; returns what Helm prints on stdout (warnings, verification lines)."""
    out: list[str] = []
    work = tempfile.mkdtemp(prefix="kelm-pull-")
    try:
        if ref.startswith("oci://"):
            archive, prov = _pull_oci(ref, o, work, err, out)
        else:
            src = resolve(ref, o, err)
            try:
                archive = _fetch_archive(src, o, work)
            except RepoError as e:
                raise PullError(str(e)) from None
            prov = _fetch_prov(src, archive, o, ref, out) if (o.prov or o.verify) else None
        if o.verify and prov is not None:
            _verify(archive, prov, o.keyring, out)
        if o.untar:
            _place_untarred(ref, archive, o)
        else:
            _place(archive, prov, o.destination)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return "".join(out)


def _place(archive: str, prov: str | None, destination: str) -> None:
    """Move the downloaded files into ``destination`` (temporary name, then rename)."""
    for path in (archive, prov):
        if path is None:
            continue
        name = os.path.basename(path)

        def copy(fh: Any, src: str = path) -> None:
            with open(src, "rb") as s:
                shutil.copyfileobj(s, fh)

        _save(destination, name, copy)


def _place_untarred(ref: str, archive: str, o: PullOptions) -> None:
    ud = o.untardir if os.path.isabs(o.untardir) else os.path.join(o.destination, o.untardir)
    ud = os.path.normpath(ud)
    chart_name = ref.rstrip("/").rsplit("/", 1)[-1]
    check = chart_name if ud == "." else os.path.join(ud, chart_name)
    if os.path.exists(check):
        raise PullError(f"failed to untar: a file or directory with the name {check} already "
                        "exists")
    try:
        os.makedirs(check, 0o755, exist_ok=True)
    except OSError as e:
        raise PullError(f"failed to untar (mkdir): {e}") from None
    _untar(archive, ud)


__all__ = ["PullError", "PullOptions", "pull", "resolve"]

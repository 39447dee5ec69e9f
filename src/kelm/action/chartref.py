"""Where a chart comes from and what the release is called (Helm's ``ChartPathOptions`` and
``Install.NameAndChart``).

A chart reference is a local directory or archive, ``--repo URL`` plus a chart name, an
``http(s)://`` archive URL, or ``REPO/NAME`` from repositories.yaml.  Remote charts are
fetched with the TLS and basic-auth options (credentials go to the repository's own host
only, unless ``pass_credentials``), the version constraint (``--devel``: ``>0.0.0-0``) picks
the version as Helm does, and the archive lands in the content cache under its digest.
``oci://host/path/name[:tag|@digest]`` is pulled from the registry (``--version`` picks the
highest matching tag; credentials from the flags or the registry config).
``verify`` checks the chart against its provenance file as Helm's ``VerifyAlways``: a local
archive's ``.tgz.prov`` beside it, a download's ``URL.prov`` (or the provenance layer of the
registry's manifest), kept in the content cache next to the chart; nothing is printed when
the check passes.
"""

from __future__ import annotations

import os

from kelm._slots import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any, TextIO


class ChartRefError(Exception):
    """The chart cannot be located; ``str()`` is Helm's message."""


class ChartPathOptions(Record):
    """What the chart-location flags decide (``--repo``, ``--version``, TLS, auth...)."""

    __slots__ = ("repo_url", "version", "devel", "verify", "keyring", "username", "password",
                 "cert_file", "key_file", "ca_file", "insecure_skip_tls_verify", "plain_http",
                 "pass_credentials", "repository_config", "repository_cache", "content_cache",
                 "registry_config")

    def __init__(
        self, repo_url: str = "", version: str = "", devel: bool = False, verify: bool = False,
        keyring: str = "", username: str = "", password: str = "", cert_file: str = "",
        key_file: str = "", ca_file: str = "", insecure_skip_tls_verify: bool = False,
        plain_http: bool = False, pass_credentials: bool = False, repository_config: str = "",
        repository_cache: str = "", content_cache: str = "", registry_config: str = "",
    ) -> None:
        self.repo_url = repo_url
        self.version = version
        self.devel = devel
        self.verify = verify
        self.keyring = keyring
        self.username = username
        self.password = password
        self.cert_file = cert_file
        self.key_file = key_file
        self.ca_file = ca_file
        self.insecure_skip_tls_verify = insecure_skip_tls_verify
        self.plain_http = plain_http
        self.pass_credentials = pass_credentials
        self.repository_config = repository_config
        self.repository_cache = repository_cache
        self.content_cache = content_cache
        self.registry_config = registry_config

    def version_constraint(self) -> str:
        """``--version``, or ``>0.0.0-0`` with ``--devel`` (Helm: devel is ignored when a
        version is given)."""
        v = self.version.strip()
        return v if v or not self.devel else ">0.0.0-0"


# -- release name -----------------------------------------------------------------------------


def name_and_chart(args: list[str], generate: bool, name_template: str,
                   default_name: str = "") -> tuple[str, str]:
    """Helm's ``Install.NameAndChart``: (release name, chart reference)."""
    if len(args) > 2:
        raise ChartRefError(
            "expected at most two arguments, unexpected arguments: " + ", ".join(args[2:])
        )
    if len(args) == 2:
        if generate:
            raise ChartRefError("cannot set --generate-name and also specify a name")
        if name_template:
            raise ChartRefError("cannot set --name-template and also specify a name")
        return args[0], args[1]
    if name_template:
        return render_name_template(name_template), args[0]
    if default_name:
        return default_name, args[0]
    if not generate:
        raise ChartRefError("must either provide a name or specify --generate-name")
    import time

    base = os.path.basename(args[0].rstrip("/")) or "chart"
    if base == ".":
        base = "chart"
    base = base.split(".", 1)[0]
    return f"{base}-{int(time.time())}", args[0]


def render_name_template(text: str) -> str:
    """``--name-template``: a Go template with Sprig, executed without data."""
    from kelm.funcs import sprig_funcs
    from kelm.gotemplate import TemplateSet
    from kelm.gotemplate.errors import TemplateError

    ts = TemplateSet(sprig_funcs(), "default", "name-template")
    try:
        ts.parse("name-template", text)
        return ts.execute("name-template", None)
    except TemplateError as e:
        raise ChartRefError(str(e)) from None


# -- TLS options ------------------------------------------------------------------------------


def check_tls_files(opts: ChartPathOptions) -> None:
    """Helm builds a TLS client configuration from ``--cert-file``/``--key-file``/``--ca-file``
    before it looks at the chart; unreadable or malformed files fail every command alike."""
    prefix = "missing registry client: can't create TLS config for client: "
    if opts.cert_file and opts.key_file:
        cert = _read(opts.cert_file, prefix + "unable to read cert file")
        key = _read(opts.key_file, prefix + "unable to read key file")
        if b"-----BEGIN" not in cert:
            raise ChartRefError(prefix + "unable to load cert from key pair: tls: failed to "
                                "find any PEM data in certificate input")
        if b"-----BEGIN" not in key:
            raise ChartRefError(prefix + "unable to load cert from key pair: tls: failed to "
                                "find any PEM data in key input")
        import ssl

        try:
            ssl.create_default_context().load_cert_chain(opts.cert_file, opts.key_file)
        except ssl.SSLError:
            raise ChartRefError(prefix + "unable to load cert from key pair: tls: private key "
                                "does not match public key") from None
    if opts.ca_file:
        ca = _read(opts.ca_file, prefix + "can't read CA file")
        if b"-----BEGIN CERTIFICATE-----" not in ca:
            raise ChartRefError(prefix + "failed to append certificates from pem block")


def _read(path: str, what: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as e:
        raise ChartRefError(
            f'{what}: "{path}": open {path}: {(e.strerror or "").lower()}') from None


# -- locating the chart -----------------------------------------------------------------------


def locate_chart(name: str, opts: ChartPathOptions) -> str:
    """Helm's ``LocateChart``: the local path of the chart ``name`` refers to."""
    name = name.strip()
    if not opts.repo_url and os.path.exists(name):
        path = os.path.abspath(name)
        if opts.verify:
            _verify_local(path, opts.keyring)
        return path
    if not opts.repo_url and (os.path.isabs(name) or name.startswith(".")):
        raise ChartRefError(f'path "{name}" not found')
    from kelm.repo.transport import RepoError

    if name.startswith("oci://") and not opts.repo_url:
        try:
            return _pull_to_cache(name, opts)
        except RepoError as e:
            raise ChartRefError(str(e)) from None
    try:
        url, creds, digest = _resolve(name, opts)
        return _download_to_cache(url, creds, digest, opts)
    except RepoError as e:
        raise ChartRefError(str(e)) from None


def _verify_local(path: str, keyring: str) -> None:
    from kelm.action.verify import ProvenanceError, verify_chart

    try:
        verify_chart(path, path + ".prov", keyring)
    except ProvenanceError as e:
        raise ChartRefError(str(e)) from None


def _check(data: bytes, prov: bytes, name: str, keyring: str) -> None:
    from kelm.action.verify import ProvenanceError, check_download

    try:
        check_download(data, prov, name, keyring)
    except ProvenanceError as e:
        raise ChartRefError(str(e)) from None


def _credentials(opts: ChartPathOptions, repo_url: str, with_auth: bool = True) -> Any:
    from kelm.repo.transport import Credentials

    return Credentials(
        username=opts.username if with_auth else "", password=opts.password if with_auth else "",
        cert_file=opts.cert_file, key_file=opts.key_file, ca_file=opts.ca_file,
        insecure_skip_tls_verify=opts.insecure_skip_tls_verify,
        pass_credentials_all=opts.pass_credentials, repo_url=repo_url,
    )


def _settings(opts: ChartPathOptions) -> Any:
    from kelm.repo.paths import settings

    return settings(opts.repository_config, opts.repository_cache, opts.content_cache)


def _resolve(name: str, opts: ChartPathOptions) -> tuple[str, Any, str]:
    """(chart archive URL, credentials for its download, digest or "")."""
    import sys
    from urllib.parse import urlsplit

    from kelm.repo.chartrepo import download_index
    from kelm.repo.files import RepoEntry
    from kelm.repo.index import load_index_file
    from kelm.repo.transport import RepoError
    from kelm.repo.urls import resolve_reference_url

    version = opts.version_constraint()
    s = _settings(opts)
    if opts.repo_url.startswith("oci://"):  # Helm reads it as a registry, without a name
        raise ChartRefError(f'looks like "{opts.repo_url}" is not a valid chart repository or '
                            'cannot be reached: failed to perform "FetchReference" on source: '
                            "invalid reference")
    if opts.repo_url:
        import secrets

        entry = RepoEntry(
            name=secrets.token_urlsafe(20), url=opts.repo_url, username=opts.username,
            password=opts.password, cert_file=opts.cert_file, key_file=opts.key_file,
            ca_file=opts.ca_file, insecure_skip_tls_verify=opts.insecure_skip_tls_verify,
            pass_credentials_all=opts.pass_credentials,
        )
        os.makedirs(s.repository_cache, exist_ok=True)
        try:
            index_path = download_index(entry, s.repository_cache)
        except RepoError as e:
            raise ChartRefError(f'looks like "{opts.repo_url}" is not a valid chart repository '
                                f"or cannot be reached: {e}") from None
        try:
            idx = load_index_file(index_path)
        finally:
            _remove_index(s.repository_cache, entry.name)
        cv = _pick(idx, name, version, f"{opts.repo_url} repository")
        url = resolve_reference_url(opts.repo_url, cv.urls[0])
        a, b = urlsplit(opts.repo_url), urlsplit(url)
        same = (a.scheme, a.netloc) == (b.scheme, b.netloc)
        return url, _credentials(opts, opts.repo_url, opts.pass_credentials or same), cv.digest
    if "://" in name:
        return name, _credentials(opts, name), ""
    if "/" not in name:
        raise ChartRefError(
            f"non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}")
    repo_name, chart_name = name.split("/", 1)
    entry = _repo_entry(repo_name, s.repository_config)
    from kelm.repo.paths import cache_index_file

    index_path = os.path.join(s.repository_cache, cache_index_file(repo_name))
    try:
        idx = load_index_file(index_path)
    except OSError:
        raise ChartRefError(f"no cached repo found. (try 'helm repo update'): open {index_path}"
                            ": no such file or directory") from None
    cv = pick_from_repo(idx, repo_name, chart_name, version, sys.stderr)
    url = resolve_reference_url(entry.url, cv.urls[0])
    from kelm.repo.transport import Credentials

    creds = Credentials(
        entry.username or opts.username, entry.password or opts.password,
        entry.cert_file or opts.cert_file, entry.key_file or opts.key_file,
        entry.ca_file or opts.ca_file,
        entry.insecure_skip_tls_verify or opts.insecure_skip_tls_verify,
        entry.pass_credentials_all or opts.pass_credentials, entry.url,
    )
    return url, creds, cv.digest


def pick_version(idx: Any, name: str, version: str, err: TextIO) -> Any:
    """``idx.get(name, version)`` (RepoError when nothing matches), with the warning Helm's
    chart downloader logs on stderr when a constraint (``^1.0``, ``--devel``'s ``>0.0.0-0``)
    selected a version other than the text asked for."""
    cv = idx.get(name, version)
    if version and cv.version != version:
        from kelm.golang.slog import text_value

        err.write('level=WARN msg="unable to find exact version requested; falling back to '
                  f'closest available version" chart={text_value(name)} '
                  f"requested={text_value(version)} selected={text_value(cv.version)}\n")
    return cv


def pick_from_repo(idx: Any, repo_name: str, chart_name: str, version: str,
                   err: TextIO) -> Any:
    """``REPO/NAME``: the version of ``chart_name`` in that repository's cached index, with
    Helm's message when there is none or it has no URL."""
    from kelm.repo.transport import RepoError

    try:
        cv = pick_version(idx, chart_name, version, err)
    except RepoError as e:
        raise ChartRefError(f'chart "{chart_name}" matching {version} not found in {repo_name} '
                            f"index. (try 'helm repo update'): {e}") from None
    if not cv.urls:
        raise ChartRefError(f'chart "{repo_name}/{chart_name}" has no downloadable URLs')
    return cv


def _pick(idx: Any, name: str, version: str, where: str) -> Any:
    import sys

    from kelm.repo.transport import RepoError

    what = f'chart "{name}"' + (f' version "{version}"' if version else "")
    try:
        cv = pick_version(idx, name, version, sys.stderr)
    except RepoError:
        raise ChartRefError(f"{what} not found in {where}") from None
    if not cv.urls:
        raise ChartRefError(f"{what} has no downloadable URLs")
    return cv


def _remove_index(cache: str, name: str) -> None:
    from kelm.repo.paths import cache_charts_file, cache_index_file

    for f in (cache_charts_file(name), cache_index_file(name)):
        try:
            os.remove(os.path.join(cache, f))
        except OSError:
            pass


def _repo_entry(name: str, repository_config: str) -> Any:
    from kelm.repo.config import RepoFileError, load_repositories

    try:
        entry = load_repositories(repository_config).get(name)
    except FileNotFoundError:
        entry = None
    except RepoFileError as e:
        raise ChartRefError(str(e)) from None
    if entry is None:
        raise ChartRefError(f"repo {name} not found")
    return entry


def registry_options(opts: ChartPathOptions) -> Any:
    """The registry client the chart flags make (Helm: with TLS files, plain HTTP is off)."""
    import sys

    from kelm.repo.oci import RegistryOptions

    return RegistryOptions(
        plain_http=opts.plain_http, insecure_skip_tls_verify=opts.insecure_skip_tls_verify,
        ca_file=opts.ca_file, cert_file=opts.cert_file, key_file=opts.key_file,
        username=opts.username, password=opts.password, registry_config=opts.registry_config,
        out=sys.stderr,
    )


def _pull_to_cache(name: str, opts: ChartPathOptions) -> str:
    """``DownloadToCache`` for a registry: pull (``Pulled:``/``Digest:`` on stderr, as Helm
    prints them) and keep the archive in the content cache under its digest."""
    from kelm.repo.oci import Reference, parse_reference, pull

    ref = parse_reference(name)
    ropts = registry_options(opts)
    key = _validated_digest(ref, opts.version_constraint(), ropts)
    if ref.digest:  # Helm names a by-digest chart by its digest alone (name@sha256-<hex>.tgz)
        ref = Reference(ref.registry, ref.repository, "", ref.digest)
    if key:
        cached = _cache_path(opts, key)
        if os.path.isfile(cached) and os.path.getsize(cached) > 0:
            if opts.verify:
                with open(cached, "rb") as fh:
                    _verify_oci(fh.read(), key, "oci://" + str(ref), ref, opts, ropts)
            return cached
    res = pull(name, opts.version_constraint(), ropts)
    path = _store(res.chart, opts, key)
    if opts.verify:
        target = ref if ref.digest else (res.requested or res.ref)
        _verify_oci(res.chart, key or _hex(res.chart), "oci://" + str(target), target, opts,
                    ropts)
    return path


def _validated_digest(ref: Any, version: str, ropts: Any) -> str:
    """Helm's ``ValidateReference`` keys the content cache by a by-digest reference's
    manifest digest only when a version (``--version`` or the reference's tag) names a tag
    that resolves to that digest; a bare digest, or a tag that does not resolve, is keyed by
    the archive's own digest after the pull (so never served without the registry)."""
    import re

    from kelm.repo.ociclient import RegistryClient, RegistryError

    version = version or ref.tag
    if not re.fullmatch(r"sha256:[0-9a-f]{64}", ref.digest or "") or not version:
        return ""
    if ref.tag and ref.tag != version:
        return ""  # the pull reports Helm's "chart reference and version mismatch"
    try:
        with RegistryClient(ref.registry, ropts) as client:
            _, _, found = client.manifest(ref.repository, version.replace("+", "_"))
    except RegistryError:
        return ""
    return str(ref.digest[7:]) if found == ref.digest else ""


def _hex(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _verify_oci(data: bytes, key: str, ref: str, target: Any, opts: ChartPathOptions,
                ropts: Any) -> None:
    """The provenance layer of ``ref`` (from the content cache when it holds it), checked
    under Helm's download name (``name-tag.tgz``, ``name@sha256-hex.tgz`` by digest)."""
    from kelm.action.verify import cached_provenance, oci_provenance, store_provenance
    from kelm.repo.oci import chart_filename
    from kelm.repo.ociclient import RegistryError

    root = _settings(opts).content_cache
    prov = cached_provenance(root, key)
    if prov is None:
        try:
            prov = oci_provenance(ref, ropts)
        except RegistryError:
            raise ChartRefError(f'failed to fetch provenance "{ref}.prov"') from None
        store_provenance(root, key, prov)
    _check(data, prov, chart_filename(target), opts.keyring)


def _cache_path(opts: ChartPathOptions, hexd: str) -> str:
    return os.path.join(_settings(opts).content_cache, hexd[:2], hexd + ".chart")


def _store(data: bytes, opts: ChartPathOptions, key: str = "") -> str:
    import hashlib

    path = _cache_path(opts, key or hashlib.sha256(data).hexdigest())
    if not os.path.isfile(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return path


def _download_to_cache(url: str, creds: Any, digest: str, opts: ChartPathOptions) -> str:
    """Fetch the archive (or take it from the content cache); returns its cached path."""
    from kelm.repo.chartrepo import cached_chart
    from kelm.repo.transport import fetch

    root = _settings(opts).content_cache
    data = cached_chart(root, digest) if digest else None
    if data is None:
        data = fetch(url, creds, accept="application/gzip,application/octet-stream")
    path = _store(data, opts)
    if opts.verify:
        _verify_download(data, url, creds, digest.split(":", 1)[-1] or _hex(data), opts)
    return path


def _verify_download(data: bytes, url: str, creds: Any, key: str,
                     opts: ChartPathOptions) -> None:
    """``URL.prov`` (with the chart's credentials; from the content cache when it holds it),
    checked under the URL's last path element."""
    from urllib.parse import unquote, urlsplit

    from kelm.action.verify import cached_provenance, store_provenance
    from kelm.repo.transport import RepoError, fetch

    root = _settings(opts).content_cache
    prov = cached_provenance(root, key)
    if prov is None:
        try:
            prov = fetch(url + ".prov", creds, accept="application/gzip,application/octet-stream")
        except RepoError:
            raise ChartRefError(f'failed to fetch provenance "{url}.prov"') from None
        store_provenance(root, key, prov)
    _check(data, prov, os.path.basename(unquote(urlsplit(url).path)), opts.keyring)


__all__ = ["ChartPathOptions", "ChartRefError", "check_tls_files", "locate_chart",
           "name_and_chart", "pick_from_repo", "pick_version", "registry_options", "render_name_template"]

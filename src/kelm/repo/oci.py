"""Charts in OCI registries, as Helm (through oras-go) stores and fetches them.

A chart is one manifest (``application/vnd.oci.image.manifest.v1+json``) whose config blob is
the chart metadata as JSON (``application/vnd.cncf.helm.config.v1+json``), with the archive as
a layer (``application/vnd.cncf.helm.chart.content.v1.tar+gzip``) and, optionally, the
provenance file as another.  Tags cannot hold ``+``, so chart versions are tagged with ``_``
in its place.  The client speaks the distribution API over httpx: the ``WWW-Authenticate``
challenge (Basic, or a Bearer token from the realm), manifests and blobs checked against their
digests, tag listing, monolithic blob upload.  Errors are one line, worded as Helm's.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

from kelm.repo.transport import RepoError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

    import httpx

    from kelm.repo.registryauth import Credential

OCI_SCHEME = "oci"
CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json"
CHART_LAYER_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
PROV_LAYER_MEDIA_TYPE = "application/vnd.cncf.helm.chart.provenance.v1.prov"
LEGACY_CHART_LAYER_MEDIA_TYPE = "application/tar+gzip"
MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json"
INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json"
MANIFEST_ACCEPT = ", ".join((DOCKER_MANIFEST_MEDIA_TYPE, MANIFEST_MEDIA_TYPE, INDEX_MEDIA_TYPE))
USER_AGENT = "Helm/4.1.4"
MAX_MANIFEST_BYTES = 4 << 20

UNDERSCORE_MESSAGE = (
    "\nOCI artifact references (e.g. tags) do not support the plus sign (+). To support\n"
    "storing semantic versions, Helm adopts the convention of changing plus (+) to\n"
    "an underscore (_) in chart version tags when pushing to a registry and back to\n"
    "a plus (+) when pulling from a registry."
)


class RegistryError(RepoError):
    """A registry operation failed; ``str()`` is the one-line message."""


@dataclass
class RegistryOptions:
    """How to reach a registry: the flags every OCI command shares."""

    plain_http: bool = False
    insecure_skip_tls_verify: bool = False
    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""
    username: str = ""
    password: str = ""
    registry_config: str = ""
    timeout: float = 0.0
    out: TextIO | None = None  # where "Pulled:"/"Pushed:" lines go (Helm: stderr)
    extra: dict[str, str] = field(default_factory=dict)

    def uses_tls_files(self) -> bool:
        return bool((self.cert_file and self.key_file) or self.ca_file
                    or self.insecure_skip_tls_verify)


# -- references -------------------------------------------------------------------------------

_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
                   r"[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?$")
_REPO = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)"
                   r"[a-z0-9]+)*)*$")
_TAG = re.compile(r"^\w[\w.-]{0,127}$")
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$")
_SHA256 = re.compile(r"^sha256:[a-f0-9]{64}$")


@dataclass
class Reference:
    """``host[:port]/repository[:tag][@digest]`` (oras ``registry.Reference`` + Helm's tag
    rewriting of ``+`` to ``_``)."""

    registry: str
    repository: str
    tag: str = ""
    digest: str = ""

    def __str__(self) -> str:
        base = f"{self.registry}/{self.repository}"
        if self.tag:
            return f"{base}:{self.tag}"
        return f"{base}@{self.digest}" if self.digest else base

    @property
    def reference(self) -> str:
        """What names the manifest: the digest if given, else the tag."""
        return self.digest or self.tag

    @property
    def name(self) -> str:
        return self.repository.rsplit("/", 1)[-1]


def is_oci(url: str) -> bool:
    return url.startswith(OCI_SCHEME + "://")


def parse_reference(raw: str) -> Reference:
    """Helm's ``newReference``: strip ``oci://``, split off ``@digest`` and ``:tag`` (``+`` in
    the tag becomes ``_``), then check each part as oras does."""
    raw = raw.removeprefix(OCI_SCHEME + "://")
    digest = ""
    if "@" in raw:
        raw, digest = raw.rsplit("@", 1)
    host, sep, rest = raw.partition("/")
    if not sep or not rest:
        raise RegistryError(f'invalid reference: missing registry or repository: "{raw}"')
    if not _HOST.match(host):
        raise RegistryError(f'invalid reference: invalid registry "{host}"')
    tag = ""
    last = rest.rsplit("/", 1)[-1]
    if ":" in last:
        repo_part, tag = rest.rsplit(":", 1)
        tag = tag.replace("+", "_")
    else:
        repo_part = rest
    if not _REPO.match(repo_part):
        raise RegistryError(f'invalid reference: invalid repository "{repo_part}"')
    if tag and not _TAG.match(tag):
        raise RegistryError(f'invalid reference: invalid tag "{tag}"')
    if digest and not _DIGEST.match(digest):
        raise RegistryError(f'invalid reference: invalid digest "{digest}"')
    return Reference(host, repo_part, tag, digest)


# -- the HTTP client ----------------------------------------------------------------------------


def _go_map(d: Any) -> str:
    """A JSON value as Go's ``%v`` prints the decoded interface{} (``map[k:v]``)."""
    if isinstance(d, dict):
        return "map[" + " ".join(f"{k}:{_go_map(d[k])}" for k in sorted(d)) + "]"
    if isinstance(d, list):
        return "[" + " ".join(_go_map(x) for x in d) + "]"
    if d is None:
        return "<nil>"
    if isinstance(d, bool):
        return "true" if d else "false"
    return str(d)


_STATUS_TEXT = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                405: "Method Not Allowed", 429: "Too Many Requests",
                500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


def response_error(method: str, url: str, resp: httpx.Response) -> RegistryError:
    """oras' ``errutil.ParseErrorResponse`` wording."""
    text = f'{method} "{url}": response status code {resp.status_code}: '
    try:
        body = json.loads(resp.content[:65536] or b"null")
    except ValueError:
        body = None
    errs = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errs, list) and errs:
        parts = []
        for e in errs:
            if not isinstance(e, dict):
                continue
            p = str(e.get("code", "")).lower().replace("_", " ")
            if e.get("message"):
                p += f": {e['message']}"
            if e.get("detail") is not None:
                p += f": {_go_map(e['detail'])}"
            parts.append(p)
        return RegistryError(text + "; ".join(parts))
    return RegistryError(text + _STATUS_TEXT.get(resp.status_code, resp.reason_phrase).lower())


def _parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """``WWW-Authenticate: Bearer realm="...",service="...",scope="..."``."""
    scheme, _, rest = header.strip().partition(" ")
    params: dict[str, str] = {}
    for m in re.finditer(r'([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))', rest):
        params[m.group(1).lower()] = (m.group(2) if m.group(2) is not None
                                      else m.group(3)).replace('\\"', '"')
    return scheme.lower(), params


class RegistryClient:
    """One registry host: authentication state, and the distribution API calls Helm makes."""

    def __init__(self, host: str, opts: RegistryOptions) -> None:
        import httpx

        from kelm.repo.transport import Credentials, _tls_context

        self.host = host
        self.opts = opts
        self.scheme = "http" if opts.plain_http and not opts.uses_tls_files() else "https"
        verify = _tls_context(Credentials(cert_file=opts.cert_file, key_file=opts.key_file,
                                          ca_file=opts.ca_file,
                                          insecure_skip_tls_verify=opts.insecure_skip_tls_verify))
        t = opts.timeout or float(os.environ.get("KELM_HTTP_TIMEOUT", "120"))
        self.http = httpx.Client(verify=verify, timeout=httpx.Timeout(t, connect=min(t, 30.0)),
                                 follow_redirects=True, headers={"User-Agent": USER_AGENT})
        self._basic: str = ""
        self._tokens: dict[str, str] = {}
        self._scheme_cache = ""
        self._creds: Credential | None = None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.host}{path}"

    # credentials

    def credentials(self) -> Credential:
        """The credential for this host: the flags, else the registry config (and docker's)."""
        if self._creds is None:
            from kelm.repo.registryauth import Credential, lookup

            if self.opts.username or self.opts.password:
                self._creds = Credential(self.opts.username, self.opts.password)
            else:
                self._creds = lookup(self.host, self.opts.registry_config)
        return self._creds

    # requests

    def request(self, method: str, path_or_url: str, scope: str, *, headers: dict[str, str]
                | None = None, content: bytes | None = None,
                params: dict[str, str] | None = None) -> httpx.Response:
        """Send with the cached authorization; answer one 401 challenge and resend."""
        url = path_or_url if "://" in path_or_url else self.url(path_or_url)
        hdrs = dict(headers or {})
        auth = self._cached_auth(scope)
        if auth:
            hdrs["Authorization"] = auth
        resp = self._send(method, url, hdrs, content, params)
        if resp.status_code != 401:
            return resp
        challenge = resp.headers.get("WWW-Authenticate", "")
        scheme, params_ = _parse_challenge(challenge)
        if scheme == "basic":
            cred = self.credentials()
            if not cred.username and not cred.password:
                raise RegistryError(f'{method} "{url}": basic credential not found')
            self._basic = "Basic " + base64.b64encode(
                f"{cred.username}:{cred.password}".encode()).decode()
            self._scheme_cache = "basic"
            hdrs["Authorization"] = self._basic
        elif scheme == "bearer":
            token = self._fetch_token(params_, scope)
            self._tokens[scope] = token
            self._scheme_cache = "bearer"
            hdrs["Authorization"] = "Bearer " + token
        else:
            return resp
        return self._send(method, url, hdrs, content, params)

    def _cached_auth(self, scope: str) -> str:
        if self._scheme_cache == "basic":
            return self._basic
        if self._scheme_cache == "bearer" and scope in self._tokens:
            return "Bearer " + self._tokens[scope]
        return ""

    def _send(self, method: str, url: str, headers: dict[str, str], content: bytes | None,
              params: dict[str, str] | None) -> httpx.Response:
        import httpx

        try:
            return self.http.request(method, url, headers=headers, content=content,
                                     params=params)
        except httpx.TimeoutException:
            raise RegistryError(f'{method.capitalize()} "{url}": net/http: request canceled '
                                "(Client.Timeout exceeded while awaiting headers)") from None
        except httpx.TooManyRedirects:
            raise RegistryError(f'{method.capitalize()} "{url}": stopped after 10 redirects'
                                ) from None
        except (httpx.HTTPError, OSError) as e:
            raise RegistryError(f'{method.capitalize()} "{url}": {_transport_error(url, e)}'
                                ) from None

    def _fetch_token(self, params: dict[str, str], scope: str) -> str:
        """The Bearer token flow: GET the realm with service and scopes (basic auth when
        credentials exist), or the OAuth2 refresh-token POST for an identity token."""
        import httpx

        realm = params.get("realm", "")
        if not realm:
            raise RegistryError(f"{self.host}: bearer challenge without a realm")
        scopes = [s for s in dict.fromkeys([params.get("scope", ""), scope]) if s]
        cred = self.credentials()
        if cred.access_token:
            return cred.access_token
        service = params.get("service", "")
        method = "POST" if cred.refresh_token else "GET"
        try:
            if cred.refresh_token:
                form = {"grant_type": "refresh_token", "refresh_token": cred.refresh_token,
                        "service": service, "scope": " ".join(scopes), "client_id": "helm"}
                resp = self.http.post(realm, data=form)
            else:
                q = [("service", service)] if service else []
                q += [("scope", s) for s in scopes]
                sep = "&" if "?" in realm else "?"
                url = realm + (sep + urlencode(q) if q else "")
                auth = (httpx.BasicAuth(cred.username, cred.password)
                        if cred.username or cred.password else None)
                resp = self.http.get(url, auth=auth)
        except httpx.TimeoutException:
            raise RegistryError(f'Get "{realm}": net/http: request canceled (Client.Timeout '
                                "exceeded while awaiting headers)") from None
        except (httpx.HTTPError, OSError) as e:
            raise RegistryError(f'Get "{realm}": {_transport_error(realm, e)}') from None
        if resp.status_code != 200:
            raise response_error(method, realm, resp)
        try:
            body = resp.json()
        except ValueError:
            raise RegistryError(f"{realm}: token response is not JSON") from None
        token = (body.get("access_token") or body.get("token")) if isinstance(body, dict) else ""
        if not token:
            raise RegistryError(f"{realm}: empty token returned")
        return str(token)

    # distribution API

    def ping(self) -> None:
        url = self.url("/v2/")
        resp = self.request("GET", url, "")
        if resp.status_code != 200:
            raise response_error("GET", url, resp)

    def manifest(self, repository: str, reference: str) -> tuple[bytes, str, str]:
        """(body, media type, digest) of a manifest; the body is checked against the digest
        it was asked by, or the one the registry names."""
        path = f"/v2/{repository}/manifests/{reference}"
        scope = f"repository:{repository}:pull"
        resp = self.request("GET", path, scope, headers={"Accept": MANIFEST_ACCEPT})
        if resp.status_code == 404:
            raise RegistryError(f'failed to perform "FetchReference" on source: '
                                f"{self.host}/{repository}:{reference}: not found"
                                if not reference.startswith("sha256:") else
                                f"{self.host}/{repository}@{reference}: not found")
        if resp.status_code != 200:
            raise response_error("GET", self.url(path), resp)
        body = resp.content
        if len(body) > MAX_MANIFEST_BYTES:
            raise RegistryError(f"{self.host}/{repository}:{reference}: manifest too large")
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        want = reference if _SHA256.match(reference) else resp.headers.get(
            "Docker-Content-Digest", "")
        if want and want.startswith("sha256:") and want != digest:
            raise RegistryError(f"{self.host}/{repository}@{want}: digest mismatch: the "
                                f"manifest received has digest {digest}")
        mt = resp.headers.get("Content-Type", "").split(";")[0].strip()
        return body, mt, digest

    def blob(self, repository: str, digest: str, size: int = -1) -> bytes:
        path = f"/v2/{repository}/blobs/{digest}"
        resp = self.request("GET", path, f"repository:{repository}:pull")
        if resp.status_code == 404:
            raise RegistryError(f"{self.host}/{repository}@{digest}: not found")
        if resp.status_code != 200:
            raise response_error("GET", self.url(path), resp)
        data = resp.content
        if size >= 0 and len(data) != size:
            raise RegistryError(f"{self.host}/{repository}@{digest}: size mismatch: expected "
                                f"{size} bytes, got {len(data)}")
        check_digest(data, digest, f"{self.host}/{repository}")
        return data

    def tags(self, repository: str) -> list[str]:
        path: str | None = f"/v2/{repository}/tags/list"
        out: list[str] = []
        seen = 0
        while path and seen < 1000:
            seen += 1
            url = path if "://" in path else self.url(path)
            resp = self.request("GET", url, f"repository:{repository}:pull")
            if resp.status_code != 200:
                raise response_error("GET", url, resp)
            try:
                body = resp.json()
            except ValueError:
                raise RegistryError(f'GET "{url}": the tag list is not JSON') from None
            out += [str(t) for t in (body.get("tags") or []) if isinstance(t, str)]
            path = _next_link(url, resp.headers.get("Link", ""))
        return out

    def blob_exists(self, repository: str, digest: str) -> bool:
        resp = self.request("HEAD", f"/v2/{repository}/blobs/{digest}",
                            f"repository:{repository}:pull,push")
        return resp.status_code == 200

    def upload_blob(self, repository: str, digest: str, data: bytes) -> None:
        """POST an upload session, then PUT the whole blob (oras' monolithic upload)."""
        scope = f"repository:{repository}:pull,push"
        path = f"/v2/{repository}/blobs/uploads/"
        resp = self.request("POST", path, scope)
        if resp.status_code != 202:
            raise response_error("POST", self.url(path), resp)
        loc = resp.headers.get("Location", "")
        if not loc:
            raise RegistryError(f'POST "{self.url(path)}": no upload location returned')
        loc = urljoin(self.url(path), loc)
        loc += ("&" if "?" in loc else "?") + urlencode({"digest": digest})
        resp = self.request("PUT", loc, scope, content=data,
                            headers={"Content-Type": "application/octet-stream"})
        if resp.status_code != 201:
            raise response_error("PUT", loc.split("?")[0], resp)

    def put_manifest(self, repository: str, reference: str, body: bytes,
                     media_type: str) -> None:
        path = f"/v2/{repository}/manifests/{reference}"
        resp = self.request("PUT", path, f"repository:{repository}:pull,push", content=body,
                            headers={"Content-Type": media_type})
        if resp.status_code != 201:
            raise response_error("PUT", self.url(path), resp)


def _next_link(url: str, link: str) -> str | None:
    m = re.search(r'<([^>]+)>\s*;\s*rel="?next"?', link)
    return urljoin(url, m.group(1)) if m else None


def _transport_error(url: str, e: Exception) -> str:
    """Go's net/http wording for the usual transport failures."""
    from kelm.repo.transport import _dial_error

    text = str(e)
    low = text.lower()
    if "wrong_version_number" in low or "wrong version number" in low or (
            "record layer failure" in low) or "packet length too long" in low:
        return "http: server gave HTTP response to HTTPS client"
    if "certificate_verify_failed" in low or "certificate verify failed" in low:
        reason = text.split("certificate verify failed:", 1)[-1].strip(" )]")
        if "self-signed" in reason or "self signed" in reason or "unknown ca" in reason.lower() \
                or "local issuer" in reason:
            return "tls: failed to verify certificate: x509: certificate signed by unknown " \
                   "authority"
        if "expired" in reason:
            return "tls: failed to verify certificate: x509: certificate has expired or is " \
                   "not yet valid"
        if "hostname mismatch" in reason or "ip address mismatch" in reason.lower():
            return f"tls: failed to verify certificate: x509: certificate is not valid for " \
                   f"{urlsplit(url).hostname}"
        return f"tls: failed to verify certificate: {reason}"
    if "ssl" in low:
        return f"remote error: tls: {text}"
    return _dial_error(urlsplit(url), e)


def check_digest(data: bytes, digest: str, where: str) -> None:
    algo, _, want = digest.partition(":")
    if algo != "sha256":
        raise RegistryError(f"{where}@{digest}: unsupported digest algorithm {algo!r}")
    got = hashlib.sha256(data).hexdigest()
    if got != want:
        raise RegistryError(f"{where}@{digest}: digest mismatch: content has digest "
                            f"sha256:{got}")


# -- versions ---------------------------------------------------------------------------------

_STRICT = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                     r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
                     r"(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
                     r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$")


def semver_tags(tags: list[str]) -> list[str]:
    """Helm's ``Client.Tags``: the strict-semver tags (``_`` read back as ``+``), highest
    first."""
    from functools import cmp_to_key

    from kelm.golang.semver import compare, parse

    versions = []
    for t in tags:
        v = t.replace("_", "+")
        if _STRICT.match(v):
            versions.append((parse(v), v))
    versions.sort(key=cmp_to_key(lambda a, b: compare(a[0], b[0])), reverse=True)
    return [v for _, v in versions]


def tag_matching(tags: list[str], version: str) -> str:
    """``GetTagMatchingVersionOrConstraint``: an exact tag, else the first (highest) tag the
    constraint admits (``*`` when no version is given)."""
    from kelm.chart.semver import parse_constraints, parse_version

    if version and version in tags:
        return version
    constraint = version or "*"
    groups = parse_constraints(constraint)
    if groups is None:
        raise RegistryError(f"improper constraint: {constraint}")
    for t in tags:
        v = parse_version(t)
        if v is not None and any(all(c.check(v, pre) for c in cs) for cs, pre in groups):
            return t
    raise RegistryError(f"could not locate a version matching provided version string "
                        f"{version}")


def resolve(ref: Reference, version: str, client: RegistryClient, raw: str) -> Reference:
    """Helm's ``ValidateReference``: the reference to pull, the tag chosen by ``--version``
    (exact, or the highest tag a constraint admits) and checked against the reference's."""
    from kelm.chart.semver import parse_version

    if not version:
        version = ref.tag
    elif ref.tag and ref.tag != version:
        raise RegistryError(f"chart reference and version mismatch: {version} is not {ref.tag}")
    if ref.digest:
        if not version:
            return Reference(ref.registry, ref.repository, "", ref.digest)
        try:
            _, _, d = client.manifest(ref.repository, version.replace("+", "_"))
        except RegistryError:
            return Reference(ref.registry, ref.repository, "", ref.digest)
        if d != ref.digest:
            raise RegistryError(f"chart reference digest mismatch: {d} is not {ref.digest}")
        return Reference(ref.registry, ref.repository, "", ref.digest)
    if parse_version(version) is not None:
        tag = version
    else:
        tags = semver_tags(client.tags(ref.repository))
        if not tags:
            raise RegistryError(f"unable to locate any tags in provided repository: {raw}")
        tag = tag_matching(tags, version)
    return Reference(ref.registry, ref.repository, tag, "")


# -- pull -------------------------------------------------------------------------------------


@dataclass
class PullResult:
    ref: Reference
    manifest_digest: str
    chart: bytes
    chart_digest: str
    meta: dict[str, Any]
    prov: bytes | None = None
    requested: Reference | None = None  # as resolved: the tag keeps "+" (Helm's file name)


def _say(opts: RegistryOptions, text: str) -> None:
    if opts.out is not None:
        opts.out.write(text)
        opts.out.flush()


def pull(raw: str, version: str, opts: RegistryOptions, with_prov: bool = False,
         ignore_missing_prov: bool = True) -> PullResult:
    """Resolve ``raw`` (``oci://...``) with ``version`` and fetch the chart's manifest, config,
    archive (and provenance when asked), digests checked."""
    ref = parse_reference(raw)
    with RegistryClient(ref.registry, opts) as client:
        target = resolve(ref, version, client, raw)
        res = _pull_resolved(client, target, opts, with_prov, ignore_missing_prov)
    res.requested = target
    return res


def _pull_resolved(client: RegistryClient, ref: Reference, opts: RegistryOptions,
                   with_prov: bool, ignore_missing_prov: bool) -> PullResult:
    tagged = ref.tag.replace("+", "_")
    body, media_type, mdigest = client.manifest(ref.repository, ref.digest or tagged)
    shown = Reference(ref.registry, ref.repository, tagged, ref.digest)
    try:
        manifest = json.loads(body)
    except ValueError:
        raise RegistryError(f"{shown}: the manifest is not JSON") from None
    if not isinstance(manifest, dict):
        raise RegistryError(f"{shown}: the manifest is not a JSON object")
    if media_type == INDEX_MEDIA_TYPE or manifest.get("mediaType") == INDEX_MEDIA_TYPE:
        raise RegistryError(f"{shown}: an image index is not a Helm chart")
    config = manifest.get("config") if isinstance(manifest.get("config"), dict) else {}
    layers = [x for x in manifest.get("layers") or [] if isinstance(x, dict)]
    descs = [config, *layers]
    found = {d.get("mediaType"): d for d in descs}
    need = 2 + (1 if with_prov and not ignore_missing_prov else 0)
    if len([d for d in descs if d.get("mediaType") in (
            CONFIG_MEDIA_TYPE, CHART_LAYER_MEDIA_TYPE, LEGACY_CHART_LAYER_MEDIA_TYPE,
            PROV_LAYER_MEDIA_TYPE)]) < need:
        raise RegistryError(f"manifest does not contain minimum number of descriptors ({need}),"
                            f" descriptors found: {len([d for d in descs if d])}")
    cfg = found.get(CONFIG_MEDIA_TYPE)
    if cfg is None:
        raise RegistryError(f"could not load config with mediatype {CONFIG_MEDIA_TYPE}")
    chart_desc = found.get(CHART_LAYER_MEDIA_TYPE) or found.get(LEGACY_CHART_LAYER_MEDIA_TYPE)
    if chart_desc is None:
        raise RegistryError(f"manifest does not contain a layer with mediatype "
                            f"{CHART_LAYER_MEDIA_TYPE}")
    if CHART_LAYER_MEDIA_TYPE not in found:
        _say(opts, f"Warning: chart media type {LEGACY_CHART_LAYER_MEDIA_TYPE} is deprecated\n")
    prov_desc = found.get(PROV_LAYER_MEDIA_TYPE)
    if with_prov and prov_desc is None and not ignore_missing_prov:
        raise RegistryError(f"manifest does not contain a layer with mediatype "
                            f"{PROV_LAYER_MEDIA_TYPE}")
    cfg_data = client.blob(ref.repository, _desc_digest(cfg, shown), _desc_size(cfg))
    try:
        meta = json.loads(cfg_data)
    except ValueError as e:
        raise RegistryError(f"{shown}: chart config: {e}") from None
    chart = client.blob(ref.repository, _desc_digest(chart_desc, shown), _desc_size(chart_desc))
    prov = None
    if with_prov and prov_desc is not None:
        prov = client.blob(ref.repository, _desc_digest(prov_desc, shown), _desc_size(prov_desc))
    _say(opts, f"Pulled: {shown}\nDigest: {mdigest}\n")
    if "_" in str(shown):
        _say(opts, f"{shown} contains an underscore.\n{UNDERSCORE_MESSAGE}\n")
    return PullResult(shown, mdigest, chart, str(chart_desc.get("digest")),
                      meta if isinstance(meta, dict) else {}, prov)


def _desc_digest(d: dict[str, Any], where: Reference) -> str:
    digest = d.get("digest")
    if not isinstance(digest, str) or not _SHA256.match(digest):
        raise RegistryError(f"{where}: invalid descriptor digest {digest!r}")
    return digest


def _desc_size(d: dict[str, Any]) -> int:
    size = d.get("size")
    return size if isinstance(size, int) and size >= 0 else -1


def chart_filename(ref: Reference) -> str:
    """Helm's download name: the last path element with its last ``:`` made a ``-``
    (``name-1.2.3.tgz``; a digest reference gives ``name@sha256-<hex>.tgz``)."""
    base = ref.repository.rsplit("/", 1)[-1]
    if ref.tag:
        return f"{base}-{ref.tag}.tgz"
    if ref.digest:
        return f"{base}@{ref.digest.replace(':', '-', 1)}.tgz"
    return f"{base}.tgz"


def pull_chart(ref: str, version: str, opts: RegistryOptions) -> tuple[str, bytes]:
    """The chart ``ref`` (``oci://host/path/name[:tag|@digest]``) names, at ``version``
    (exact, a constraint, or empty for the highest tag): (file name as Helm saves it,
    archive bytes).  Raises :class:`RegistryError` with a one-line message."""
    res = pull(ref, version, opts)
    return chart_filename(res.requested or res.ref), res.chart


# -- push -------------------------------------------------------------------------------------


@dataclass
class PushResult:
    ref: Reference
    manifest_digest: str
    config_digest: str
    chart_digest: str
    prov_digest: str = ""


def oci_annotations(meta: dict[str, Any], created: str) -> dict[str, str]:
    """Helm's ``generateOCIAnnotations``: description/title/version/url/created/source/authors
    from the metadata, then the chart's own annotations (not overriding title/version)."""
    out: dict[str, str] = {}

    def put(key: str, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            out[key] = value

    p = "org.opencontainers.image."
    put(p + "description", meta.get("description"))
    put(p + "title", meta.get("name"))
    put(p + "version", meta.get("version"))
    put(p + "url", meta.get("home"))
    put(p + "created", created)
    sources = meta.get("sources") or []
    if sources:
        put(p + "source", sources[0])
    maintainers = meta.get("maintainers") or []
    if maintainers:
        parts = []
        for m in maintainers:
            m = m or {}
            s = m.get("name") or ""
            if m.get("email"):
                s += f" ({m['email']})"
            parts.append(s)
        put(p + "authors", ", ".join(parts))
    for k, v in (meta.get("annotations") or {}).items():
        if k not in (p + "version", p + "title"):
            out[k] = v
    return out


def go_rfc3339(mtime: float) -> str:
    """Go's ``time.Format(time.RFC3339)`` of a local time (``Z`` for UTC)."""
    import datetime

    t = datetime.datetime.fromtimestamp(int(mtime)).astimezone()
    off = t.utcoffset()
    if not off:
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    s = t.strftime("%Y-%m-%dT%H:%M:%S%z")
    return s[:-2] + ":" + s[-2:]


def _go_json(obj: Any) -> bytes:
    """``json.Marshal`` of structs: compact, fields in the given order, HTML characters and
    line/paragraph separators escaped as Go does."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text.encode()


def push_chart(data: bytes, remote_ref: str, opts: RegistryOptions, prov: bytes | None = None,
               created: str = "", strict: bool = True) -> PushResult:
    """Helm's ``Client.Push``: upload the archive, its metadata as the config, the provenance
    when given, and the manifest tagged with the chart version (``+`` as ``_``)."""
    from kelm.chart.jsonform import metadata_json
    from kelm.chart.loader import load_archive
    from kelm.chart.model import ChartError

    ref = parse_reference(remote_ref)
    try:
        ch = load_archive(data)
    except ChartError as e:
        raise RegistryError(str(e)) from None
    meta = metadata_json(ch.metadata)
    if "annotations" in meta:  # a Go map: marshalled in key order
        meta["annotations"] = dict(sorted(meta["annotations"].items()))
    if strict and not remote_ref.endswith(f"/{ch.metadata.name}:{ch.metadata.version}"):
        raise RegistryError("strict mode enabled, ref basename and tag must match the chart "
                            "name and version")
    import datetime

    created = created or datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    config = _go_json(meta)
    blobs = [(CONFIG_MEDIA_TYPE, config), (CHART_LAYER_MEDIA_TYPE, data)]
    if prov is not None:
        blobs.append((PROV_LAYER_MEDIA_TYPE, prov))
    descs = [{"mediaType": mt, "digest": "sha256:" + hashlib.sha256(b).hexdigest(),
              "size": len(b)} for mt, b in blobs]
    layers = sorted(descs[1:], key=lambda d: str(d["digest"]))
    manifest = {"schemaVersion": 2, "config": descs[0], "layers": layers,
                "annotations": dict(sorted(oci_annotations(meta, created).items()))}
    body = _go_json(manifest)
    mdigest = "sha256:" + hashlib.sha256(body).hexdigest()
    with RegistryClient(ref.registry, opts) as client:
        for d, (_, b) in zip(descs, blobs, strict=True):
            if not client.blob_exists(ref.repository, str(d["digest"])):
                client.upload_blob(ref.repository, str(d["digest"]), b)
        client.put_manifest(ref.repository, ref.tag or mdigest, body, MANIFEST_MEDIA_TYPE)
    res = PushResult(ref, mdigest, str(descs[0]["digest"]), str(descs[1]["digest"]),
                     str(descs[2]["digest"]) if prov is not None else "")
    _say(opts, f"Pushed: {ref}\nDigest: {mdigest}\n")
    if "_" in ref.tag:
        _say(opts, f"{ref} contains an underscore.\n{UNDERSCORE_MESSAGE}\n")
    return res


def login_check(host: str, opts: RegistryOptions) -> None:
    """Helm's login probe: ``GET /v2/`` answered with the given credentials."""
    with RegistryClient(host, opts) as client:
        try:
            client.ping()
        except RegistryError as e:
            raise RegistryError(f'authenticating to "{host}": {e}') from None


__all__ = [
    "CHART_LAYER_MEDIA_TYPE", "CONFIG_MEDIA_TYPE", "PROV_LAYER_MEDIA_TYPE", "PullResult",
    "PushResult", "Reference", "RegistryClient", "RegistryError", "RegistryOptions",
    "chart_filename", "is_oci", "login_check", "parse_reference", "pull", "pull_chart",
    "push_chart", "resolve", "semver_tags", "tag_matching",
]

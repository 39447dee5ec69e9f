"""The distribution API over httpx, as oras-go speaks it for Helm: the ``WWW-Authenticate``
challenge (Basic, or a Bearer token from the realm, an identity token traded by OAuth2),
manifests and blobs checked against their digests, paged tag lists, monolithic blob uploads.
Failures are one line worded as Helm prints them (oras' response errors, Go's dial errors).
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

MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json"
INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json"
MANIFEST_ACCEPT = ", ".join((DOCKER_MANIFEST_MEDIA_TYPE, MANIFEST_MEDIA_TYPE, INDEX_MEDIA_TYPE))
USER_AGENT = "Helm/4.1.4"
MAX_MANIFEST_BYTES = 4 << 20  # as oras' limit for manifests
MAX_RESPONSE_BYTES = 4 << 20  # tag lists, error bodies, tokens
MAX_BLOB_BYTES = 256 << 20  # a blob whose descriptor has no size
SHA256_DIGEST = re.compile(r"^sha256:[a-f0-9]{64}$")


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


def response_error(method: str, url: str, resp: httpx.Response) -> RegistryError:
    """oras' ``errutil.ParseErrorResponse`` wording."""
    text = f'{method} "{url}": response status code {resp.status_code}: '
    try:
        body = json.loads(resp.content[:65536] or b"null")
    except ValueError:
        body = None
    errs = body.get("errors") if isinstance(body, dict) else None
    parts = []
    for e in errs if isinstance(errs, list) else []:
        if not isinstance(e, dict):
            continue
        p = str(e.get("code", "")).lower().replace("_", " ")
        if e.get("message"):
            p += f": {e['message']}"
            if e.get("detail") is not None:
                p += f": {_go_map(e['detail'])}"
        parts.append(p)
    if parts:
        return RegistryError(text + "; ".join(parts))
    return RegistryError(text + _status_text(resp.status_code))


def _status_text(code: int) -> str:
    """Go's ``http.StatusText``."""
    import http

    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return ""


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
        # Docker Hub's API lives elsewhere than its name (oras does the same)
        self.api_host = "registry-1.docker.io" if host == "docker.io" else host
        self.opts = opts
        self.scheme = "http" if opts.plain_http and not opts.uses_tls_files() else "https"
        try:
            verify = _tls_context(Credentials(
                cert_file=opts.cert_file, key_file=opts.key_file, ca_file=opts.ca_file,
                insecure_skip_tls_verify=opts.insecure_skip_tls_verify))
        except RepoError as e:
            raise RegistryError(str(e)) from None
        t = opts.timeout or float(os.environ.get("KELM_HTTP_TIMEOUT", "120"))
        self.http = httpx.Client(verify=verify, timeout=httpx.Timeout(t, connect=min(t, 30.0)),
                                 follow_redirects=True, max_redirects=10,
                                 headers={"User-Agent": USER_AGENT})
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
        return f"{self.scheme}://{self.api_host}{path}"

    # credentials

    def credentials(self) -> Credential:
        """The credential for this host: the flags, else the registry config (and docker's)."""
        if self._creds is None:
            from kelm.repo.registryauth import Credential, CredentialError, lookup

            if self.opts.username or self.opts.password:
                self._creds = Credential(self.opts.username, self.opts.password)
            else:
                try:
                    self._creds = lookup(self.host, self.opts.registry_config)
                except CredentialError as e:
                    raise RegistryError(str(e)) from None
        return self._creds

    # requests

    def request(self, method: str, path_or_url: str, scope: str, *, headers: dict[str, str]
                | None = None, content: bytes | None = None,
                params: dict[str, str] | None = None,
                limit: int = MAX_RESPONSE_BYTES) -> httpx.Response:
        """Send with the cached authorization; answer one 401 challenge and resend.  The body
        read is at most ``limit`` bytes (a registry cannot make kelm hold more)."""
        url = path_or_url if "://" in path_or_url else self.url(path_or_url)
        hdrs = dict(headers or {})
        auth = self._cached_auth(scope)
        if auth:
            hdrs["Authorization"] = auth
        resp = self._send(method, url, hdrs, content, params, limit)
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
        return self._send(method, url, hdrs, content, params, limit)

    def _cached_auth(self, scope: str) -> str:
        if self._scheme_cache == "basic":
            return self._basic
        if self._scheme_cache == "bearer" and scope in self._tokens:
            return "Bearer " + self._tokens[scope]
        return ""

    def _send(self, method: str, url: str, headers: dict[str, str], content: bytes | None,
              params: dict[str, str] | None, limit: int) -> httpx.Response:
        import httpx

        verb = method.capitalize()
        try:
            req = self.http.build_request(method, url, headers=headers, content=content,
                                          params=params)
            resp = self.http.send(req, stream=True)
            try:
                body = bytearray()
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise RegistryError(f'{verb} "{url}": the response exceeds {limit} '
                                            "bytes")
            finally:
                resp.close()
            return httpx.Response(resp.status_code, headers=resp.headers, content=bytes(body),
                                  request=req)
        except httpx.TimeoutException:
            raise RegistryError(f'{verb} "{url}": net/http: request canceled '
                                "(Client.Timeout exceeded while awaiting headers)") from None
        except httpx.TooManyRedirects as e:
            last = e.request.url
            shown = (last.raw_path.decode() if last.host == urlsplit(url).hostname else str(last))
            raise RegistryError(f'{verb} "{shown}": stopped after 10 redirects') from None
        except (httpx.HTTPError, OSError) as e:
            raise RegistryError(f'{verb} "{url}": {_transport_error(url, e)}') from None

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
        try:
            resp = self.request("GET", path, scope, headers={"Accept": MANIFEST_ACCEPT},
                                limit=MAX_MANIFEST_BYTES)
        except RegistryError as e:
            raise RegistryError(f'failed to perform "FetchReference" on source: {e}') from None
        if resp.status_code == 404:
            raise RegistryError(f'failed to perform "FetchReference" on source: '
                                f"{self.host}/{repository}:{reference}: not found"
                                if not reference.startswith("sha256:") else
                                f"{self.host}/{repository}@{reference}: not found")
        if resp.status_code != 200:  # oras names the operation on every failure
            raise RegistryError('failed to perform "FetchReference" on source: '
                                f'{response_error("GET", self.url(path), resp)}')
        body = resp.content
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        want = reference if SHA256_DIGEST.match(reference) else resp.headers.get(
            "Docker-Content-Digest", "")
        if want and want.startswith("sha256:") and want != digest:
            raise RegistryError(f"{self.host}/{repository}@{want}: digest mismatch: the "
                                f"manifest received has digest {digest}")
        mt = resp.headers.get("Content-Type", "").split(";")[0].strip()
        return body, mt, digest

    def blob(self, repository: str, digest: str, size: int = -1) -> bytes:
        path = f"/v2/{repository}/blobs/{digest}"
        resp = self.request("GET", path, f"repository:{repository}:pull",
                            limit=size if size >= 0 else MAX_BLOB_BYTES)
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

    def manifest_exists(self, repository: str, digest: str) -> bool:
        """oras' ``Copy`` first asks the destination whether the manifest is there already
        (``HEAD``); a failure is reported as that step, as Helm's push reports it."""
        path = f"/v2/{repository}/manifests/{digest}"
        op = 'failed to perform "Exists" on destination: '
        try:
            resp = self.request("HEAD", path, f"repository:{repository}:pull,push",
                                headers={"Accept": MANIFEST_ACCEPT})
        except RegistryError as e:
            raise RegistryError(op + str(e)) from None
        if resp.status_code in (200, 404):
            return resp.status_code == 200
        raise RegistryError(op + str(response_error("HEAD", self.url(path), resp)))

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
        from kelm.repo.transport import tls_name_error

        named = tls_name_error(e, url)
        if named is not None:
            return named
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
    m = re.search(r"alert ([a-z ]+?)(?: \(_ssl|\]|$)", low)
    if m:
        return f"remote error: tls: {m.group(1).strip()}"
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


__all__ = ["RegistryClient", "RegistryError", "RegistryOptions", "check_digest",
           "response_error"]

"""A Kubernetes REST client over httpx: the operations a release lifecycle needs.

Every failure is a :class:`~kelm.kube.errors.KubeError` whose text is what kubectl and Helm
print.  Requests go through client-side rate limiters (``qps``/``burst``), one per request
path: client-go gives Helm and kubectl a REST client, and so a token bucket, per object they
build, so a release of 500 objects is not paced at ``qps`` as a whole.  Idempotent
requests (reads, PUT with a resourceVersion, DELETE, server-side apply) are retried with
backoff on 429, 5xx and dropped connections; creates and merge/JSON patches never are.
Nothing is retried on another 4xx.  No call outlives ``timeout`` seconds per attempt.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterator
from typing import Any, Literal

from kelm.kube.auth import CredentialError, Credentials
from kelm.kube.config import ConfigFlags, RestConfig, load_config
from kelm.kube.discovery import Discovery, Resource, cache_file_for
from kelm.kube.errors import (
    Gone,
    KubeError,
    NotFound,
    Unreachable,
    error_from_response,
)
from kelm.kube.transport import (
    RateLimiter,
    environment_proxy,
    import_httpx,
    ssl_context,
    unreachable,
)

PATCH_TYPES = {
    "merge": "application/merge-patch+json",
    "strategic": "application/strategic-merge-patch+json",
    "json": "application/json-patch+json",
    "apply": "application/apply-patch+yaml",
}
METADATA_LIST = ("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
                 "application/json")
TABLE = ("application/json;as=Table;v=v1;g=meta.k8s.io,"
         "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
IncludeObject = Literal["None", "Metadata", "Object"]
"""What a Table row's ``object`` holds: nothing, the object's metadata, or the whole object."""
_RETRY_CODES = frozenset({429, 500, 502, 503, 504})


def _user_agent() -> str:
    """Helm's ``Helm/4.1.4``: the API server names the manager of a write sent without a
    ``fieldManager`` (the release records) after the agent's first word, so kelm's writes
    are ``Helm``'s in ``managedFields``, as a drop-in's must be."""
    from kelm import HELM_VERSION

    return f"Helm/{HELM_VERSION.lstrip('v')}"


class Client:
    """One API server, as ``cfg`` describes it."""

    def __init__(self, cfg: RestConfig, *, timeout: float = 30.0, retries: int = 4,
                 cache_dir: str | None = None, user_agent: str | None = None) -> None:
        self.cfg = cfg
        self.namespace = cfg.namespace
        self.timeout = timeout
        self.retries = retries
        self.requests = 0  # HTTP requests sent, retries included
        self._creds = Credentials(cfg)
        self._limiters: dict[str, RateLimiter] = {}
        self._limiters_lock = threading.Lock()
        self._http_lock = threading.Lock()
        self._ua = user_agent or _user_agent()
        self._http: Any = None
        self._http_cert: tuple[bytes, bytes] | None = None
        self._base = cfg.server.rstrip("/")
        cache = cache_file_for(cfg.server, cache_dir)
        self._discovery = Discovery(self._fetch_discovery, cache)

    @classmethod
    def from_flags(cls, flags: ConfigFlags | None = None, **kwargs: Any) -> Client:
        return cls(load_config(flags), **kwargs)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transport --------------------------------------------------------------------
    def _client(self, cert: tuple[bytes, bytes] | None) -> Any:
        """The httpx client presenting ``cert`` (a new client certificate, a new client)."""
        if self._http is not None and cert == self._http_cert:
            return self._http
        with self._http_lock:  # threads applying a release share one connection pool
            return self._new_client(cert)

    def _new_client(self, cert: tuple[bytes, bytes] | None) -> Any:
        httpx = import_httpx()

        if self._http is not None and cert == self._http_cert:
            return self._http
        if self._http is not None:
            self._http.close()
        verify: Any = False  # plain http: no certificates to load
        if self._base.startswith("https://"):
            verify = ssl_context(self.cfg, cert)
        import socket

        # TCP_NODELAY as Go sets it: httpcore sends headers and body in two writes, and Nagle's
        # algorithm would hold the body until the server's delayed ACK (~40 ms a request)
        transport = httpx.HTTPTransport(
            verify=verify, proxy=self.cfg.proxy_url or environment_proxy(self._base),
            trust_env=False,
            socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        self._http = httpx.Client(transport=transport, timeout=httpx.Timeout(self.timeout),
                                  trust_env=False, headers={"User-Agent": self._ua})
        self._http_cert = cert
        return self._http

    def _send(self, method: str, path: str, *, params: dict[str, Any] | None = None,
              body: bytes | None = None, content_type: str | None = None,
              accept: str = "application/json", idempotent: bool = True,
              stream: bool = False, read_timeout: float | None = None) -> Any:
        """One request with retries; returns the httpx response (open when ``stream``)."""
        httpx = import_httpx()

        params = {k: v for k, v in (params or {}).items() if v is not None}
        url = httpx.URL(self._base + path, params=params or None)
        extensions: dict[str, Any] = {}
        if self.cfg.tls_server_name:
            extensions["sni_hostname"] = self.cfg.tls_server_name
        started = time.monotonic()
        attempt = 0
        refreshed = False
        limiter = self._limiter_for(path)
        while True:
            limiter.wait()
            try:
                auth, cert = self._creds.resolve()
            except CredentialError as e:
                raise Unreachable(f'{method.capitalize()} "{url}": getting credentials: {e}') \
                    from None
            headers = [("Accept", accept), *auth]
            if content_type:
                headers.append(("Content-Type", content_type))
            http = self._client(cert)
            # a retry gets what is left of the timeout, so no call outlives it by much
            left = max(0.05, self.timeout - (time.monotonic() - started)) if attempt else self.timeout
            extensions["timeout"] = httpx.Timeout(
                left, read=read_timeout if read_timeout is not None else left).as_dict()
            request = http.build_request(method, url, content=body, extensions=extensions,
                                         headers=headers)
            with self._limiters_lock:
                self.requests += 1
            try:
                resp = http.send(request, stream=True)
            except httpx.HTTPError as e:
                # a refused/failed connect sent nothing; anything later is only safe to repeat
                # when the request is idempotent
                retry = idempotent and not isinstance(e, (httpx.TimeoutException,
                                                          httpx.ConnectError))
                if not retry or not self._backoff(attempt, started, None):
                    raise unreachable(method, url, e, self.cfg.tls_server_name) from None
                attempt += 1
                continue
            if resp.status_code < 400:
                if stream:
                    return resp
                try:
                    resp.read()
                except httpx.HTTPError as e:
                    resp.close()
                    if not idempotent or not self._backoff(attempt, started, None):
                        raise unreachable(method, url, e, self.cfg.tls_server_name) from None
                    attempt += 1
                    continue
                return resp
            try:
                data = resp.read()
            except httpx.HTTPError:
                data = b""
            finally:
                resp.close()
            code = resp.status_code
            if code == 401 and not refreshed and self._creds.invalidate():
                refreshed = True  # an expired exec credential: run the plugin again
                continue
            if code in _RETRY_CODES and idempotent and \
                    self._backoff(attempt, started, resp.headers.get("Retry-After")):
                attempt += 1
                continue
            raise error_from_response(code, data, resp.headers.get("Content-Type", ""))

    def _limiter_for(self, path: str) -> RateLimiter:
        with self._limiters_lock:
            limiter = self._limiters.get(path)
            if limiter is None:
                limiter = self._limiters[path] = RateLimiter(self.cfg.qps, self.cfg.burst)
            return limiter

    def _backoff(self, attempt: int, started: float, retry_after: str | None) -> bool:
        """Sleep before the next attempt; False when out of attempts or time."""
        if attempt >= self.retries:
            return False
        delay = min(2.0, 0.1 * (2 ** attempt)) * (0.75 + random.random() / 2)
        if retry_after:
            try:
                delay = max(delay, min(float(retry_after), 5.0))
            except ValueError:
                pass
        if time.monotonic() - started + delay > self.timeout:
            return False
        time.sleep(delay)
        return True

    def _json(self, method: str, path: str, **kw: Any) -> Any:
        return self._decode(self._request(method, path, **kw), method)

    def _request(self, method: str, path: str, **kw: Any) -> Any:
        try:
            return self._send(method, path, **kw)
        except NotFound as e:
            if path.startswith("/apis/") and not e.status.get("details"):
                # the resource itself is not served (a CRD deleted since discovery)
                self._discovery.invalidate()
            raise

    @staticmethod
    def _decode(resp: Any, method: str) -> Any:
        if not resp.content:
            return None
        try:
            return json.loads(resp.content)
        except ValueError:
            raise KubeError(f'{method.capitalize()} "{resp.request.url}": the server returned '
                            "a response that is not JSON") from None

    def _fetch_discovery(self, path: str, accept: str) -> tuple[Any, str]:
        resp = self._send("GET", path, accept=accept)
        try:
            return json.loads(resp.content), resp.headers.get("Content-Type", "")
        except ValueError:
            return {}, ""

    # -- discovery ----------------------------------------------------------------------
    def resource_for(self, api_version: str, kind: str) -> Resource:
        """The REST resource serving ``kind`` in ``api_version`` (raises NoMatch)."""
        return self._discovery.lookup(api_version, kind)

    def invalidate_discovery(self) -> None:
        self._discovery.invalidate()

    def server_version(self) -> dict[str, Any]:
        return dict(self._json("GET", "/version") or {})

    def check_reachable(self) -> None:
        """Helm's reachability check: ``kubernetes cluster unreachable: <why>``."""
        try:
            self.server_version()
        except KubeError as e:
            raise Unreachable(f"kubernetes cluster unreachable: {e}", e.code, e.reason,
                              e.status) from None

    # -- paths --------------------------------------------------------------------------
    def _ns(self, res: Resource, namespace: str | None, obj: dict[str, Any] | None = None) -> str:
        if not res.namespaced:
            return ""
        if namespace:
            return namespace
        if obj is not None:
            meta_ns = (obj.get("metadata") or {}).get("namespace")
            if meta_ns:
                return str(meta_ns)
        return self.namespace

    def _obj_resource(self, obj: dict[str, Any]) -> tuple[Resource, str]:
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        if not api_version or not kind:
            raise KubeError("Object 'Kind' is missing in the object" if not kind
                            else "Object 'apiVersion' is missing in the object")
        name = str((obj.get("metadata") or {}).get("name") or "")
        return self.resource_for(str(api_version), str(kind)), name

    def _item_path(self, res: Resource, name: str, namespace: str | None,
                   obj: dict[str, Any] | None = None) -> str:
        if not name:
            raise KubeError("resource name may not be empty")  # client-go's check
        return f"{res.collection_path(self._ns(res, namespace, obj))}/{name}"

    @staticmethod
    def _dry(dry_run: bool) -> str | None:
        return "All" if dry_run else None

    # -- operations ---------------------------------------------------------------------
    def get(self, api_version: str, kind: str, name: str,
            namespace: str | None = None) -> dict[str, Any]:
        res = self.resource_for(api_version, kind)
        path = self._item_path(res, name, namespace)
        return dict(self._json("GET", path))

    def list_with_version(self, api_version: str, kind: str, namespace: str | None = None,
                          label_selector: str | None = None, field_selector: str | None = None,
                          limit: int | None = None, metadata_only: bool = False
                          ) -> tuple[list[dict[str, Any]], str]:
        """All items (following ``continue``) and the list's resourceVersion.

        ``namespace=""`` lists across all namespaces; None means the client's namespace.
        ``metadata_only``: ``PartialObjectMetadata`` items (no spec, data or status), as
        kubectl asks for them; a server that cannot sends whole objects.
        """
        res = self.resource_for(api_version, kind)
        ns = "" if namespace == "" else self._ns(res, namespace)
        path = res.collection_path(ns)
        items: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            params = {"labelSelector": label_selector or None,
                      "fieldSelector": field_selector or None,
                      "limit": limit or None, "continue": token}
            try:
                page = self._json("GET", path, params=params,
                                  accept=METADATA_LIST if metadata_only else "application/json"
                                  ) or {}
            except Gone:
                if token is None:
                    raise
                # the continue token expired: list everything in one go, as client-go's pager
                items, token, limit = [], None, None
                continue
            for item in page.get("items") or ():
                item.setdefault("apiVersion", res.api_version)
                item.setdefault("kind", kind)
                items.append(item)
            meta = page.get("metadata") or {}
            token = meta.get("continue") or None
            if not token:
                return items, str(meta.get("resourceVersion") or "")

    def list(self, api_version: str, kind: str, namespace: str | None = None,
             label_selector: str | None = None, field_selector: str | None = None,
             limit: int | None = None, metadata_only: bool = False) -> list[dict[str, Any]]:
        return self.list_with_version(api_version, kind, namespace, label_selector,
                                      field_selector, limit, metadata_only)[0]

    def get_raw(self, path: str) -> Any:
        """The decoded JSON document at ``path`` (None for an empty body), as kubectl's
        ``get --raw`` reads it: for callers that build Helm's own paths (``lookup``)."""
        return self._json("GET", path)

    def get_table(self, api_version: str, kind: str, name: str, namespace: str | None = None,
                  include_object: IncludeObject = "Object") -> dict[str, Any]:
        """The object as a server-side ``meta.k8s.io`` Table, the rows Helm's ``status`` and
        kubectl's ``get`` print; a server without tables sends the object itself."""
        res = self.resource_for(api_version, kind)
        path = self._item_path(res, name, namespace)
        return dict(self._json("GET", path, params={"includeObject": include_object},
                               accept=TABLE) or {})

    def list_table(self, api_version: str, kind: str, namespace: str | None = None,
                   label_selector: str | None = None,
                   include_object: IncludeObject = "Object") -> dict[str, Any]:
        """The collection as one server-side Table (a server without tables sends the list);
        ``namespace=""`` lists across all namespaces, None means the client's namespace."""
        res = self.resource_for(api_version, kind)
        ns = "" if namespace == "" else self._ns(res, namespace)
        params = {"labelSelector": label_selector or None, "includeObject": include_object}
        return dict(self._json("GET", res.collection_path(ns), params=params, accept=TABLE)
                    or {})

    def create(self, obj: dict[str, Any], namespace: str | None = None,
               dry_run: bool = False, field_manager: str | None = None) -> dict[str, Any]:
        res, _ = self._obj_resource(obj)
        path = res.collection_path(self._ns(res, namespace, obj))
        return dict(self._json("POST", path, params={"dryRun": self._dry(dry_run),
                                                      "fieldManager": field_manager},
                               body=json.dumps(obj).encode(), content_type="application/json",
                               idempotent=False))

    def update(self, obj: dict[str, Any], namespace: str | None = None,
               dry_run: bool = False, field_manager: str | None = None,
               field_validation: str | None = None) -> dict[str, Any]:
        """PUT the whole object; its resourceVersion makes a stale write a Conflict."""
        res, name = self._obj_resource(obj)
        path = self._item_path(res, name, namespace, obj)
        return dict(self._json("PUT", path, params={"dryRun": self._dry(dry_run),
                                                     "fieldManager": field_manager,
                                                     "fieldValidation": field_validation},
                               body=json.dumps(obj).encode(), content_type="application/json",
                               idempotent=bool((obj.get("metadata") or {}).get("resourceVersion"))))

    def delete(self, api_version: str, kind: str, name: str, namespace: str | None = None,
               propagation_policy: str | None = None,
               dry_run: bool = False) -> dict[str, Any] | None:
        """Delete; the object when it lingers (finalizers), None when it is gone."""
        res = self.resource_for(api_version, kind)
        path = self._item_path(res, name, namespace)
        opts: dict[str, Any] = {"kind": "DeleteOptions", "apiVersion": "v1"}
        if propagation_policy:
            opts["propagationPolicy"] = propagation_policy
        if dry_run:
            opts["dryRun"] = ["All"]
        out = self._json("DELETE", path, params={"dryRun": self._dry(dry_run)},
                         body=json.dumps(opts).encode(), content_type="application/json")
        if not isinstance(out, dict) or out.get("kind") == "Status":
            return None
        return out

    def apply(self, obj: dict[str, Any], field_manager: str, force: bool = False,
              namespace: str | None = None, dry_run: bool = False,
              field_validation: str | None = None) -> dict[str, Any]:
        """Server-side apply (``application/apply-patch+yaml``) as ``field_manager``."""
        return self.apply_created(obj, field_manager, force, namespace, dry_run,
                                  field_validation)[0]

    def apply_created(self, obj: dict[str, Any], field_manager: str, force: bool = False,
                      namespace: str | None = None, dry_run: bool = False,
                      field_validation: str | None = None) -> tuple[dict[str, Any], bool]:
        """:meth:`apply`, and whether the server created the object (``201``): no GET is
        needed to tell a new object from an updated one."""
        res, name = self._obj_resource(obj)
        path = self._item_path(res, name, namespace, obj)
        # client-go's order (url.Values sorts) and its explicit force=false
        params = {"dryRun": self._dry(dry_run), "fieldManager": field_manager,
                  "fieldValidation": field_validation, "force": "true" if force else "false"}
        resp = self._request("PATCH", path, params=params, body=json.dumps(obj).encode(),
                             content_type=PATCH_TYPES["apply"])
        return dict(self._decode(resp, "PATCH")), resp.status_code == 201

    def patch(self, api_version: str, kind: str, name: str, patch: Any,
              patch_type: str = "merge", namespace: str | None = None,
              dry_run: bool = False, field_manager: str | None = None) -> dict[str, Any]:
        if patch_type not in PATCH_TYPES or patch_type == "apply":
            raise KubeError(f"unknown patch type {patch_type!r}: use merge, strategic or json")
        res = self.resource_for(api_version, kind)
        path = self._item_path(res, name, namespace)
        body = patch if isinstance(patch, bytes) else (
            patch.encode() if isinstance(patch, str) else json.dumps(patch).encode())
        return dict(self._json("PATCH", path, params={"dryRun": self._dry(dry_run),
                                                       "fieldManager": field_manager},
                               body=body, content_type=PATCH_TYPES[patch_type],
                               idempotent=False))

    def logs(self, name: str, namespace: str | None = None, container: str | None = None) -> str:
        path = f"/api/v1/namespaces/{namespace or self.namespace}/pods/{name}/log"
        resp = self._send("GET", path, params={"container": container}, accept="*/*")
        return str(resp.text)

    def watch(self, api_version: str, kind: str, namespace: str | None = None,
              label_selector: str | None = None, resource_version: str | None = None,
              timeout: float | None = None,
              field_selector: str | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """Events (``ADDED``/``MODIFIED``/``DELETED``) until ``timeout`` seconds have passed.

        Without ``resource_version`` the current objects come first, as ADDED (a list, then
        a watch from its resourceVersion).  Bookmarks move the resourceVersion along; a
        ``410 Gone`` re-lists and reports the difference, so no change is lost.
        """
        from kelm.kube.watch import Watcher

        return Watcher(self, api_version, kind, namespace, label_selector, field_selector,
                       resource_version, timeout).events()

"""What a render asks the cluster: ``.Capabilities`` and the ``lookup`` function.

A real install or upgrade and ``--dry-run=server`` render with the server's version and API
groups (Helm's ``getCapabilities``: ``/version`` and discovery) and with ``lookup`` answered by
the API server (Helm's ``newLookupFunction``: the object, the list when the name is empty, ``{}``
when not found, Helm's errors otherwise).  The render layer knows neither: it calls the two
callables :func:`bind_cluster` puts into :class:`kelm.render.action.InstallOptions`.

Beyond Helm: capabilities are fetched once per command, discovery for lookups comes from the
client's cached resource table (Helm asks for the group-version document on every call), and the
same lookup twice in one render is one request (the answer is copied, so a template that
modifies what it got does not change what the next call sees).
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from typing import Any, NoReturn
from urllib.parse import quote

from kelm.golang.value import GoError

NOT_SERVED = "the server could not find the requested resource"  # client-go's 404 text


class ClusterRender:
    """One command's cluster answers for the render (capabilities once, lookups cached)."""

    def __init__(self, client: Any, log: Callable[[str], Any] | None = None,
                 crds_of: Any = None, notes: list[str] | None = None) -> None:
        self.client = client
        self._log = log or sys.stderr.write
        self._crds_of = crds_of  # a chart whose crds/ go in before the capabilities are read
        self._notes = notes or []  # logged once the cluster answered, before the render
        self._caps: Any = None
        self._cache: dict[tuple[str, str, str, str], dict[str, Any]] = {}

    # -- .Capabilities ------------------------------------------------------------------
    def capabilities(self) -> Any:
        """Helm's ``getCapabilities``: KubeVersion from ``/version``, APIVersions from
        discovery (raises :class:`kelm.render.action.ActionError`)."""
        if self._caps is None:
            kube_version = server_kube_version(self.client, self._log)  # reachable?
            for line in self._notes:
                self._log(line + "\n")
            if self._crds_of is not None:
                self._install_crds()
            self._caps = cluster_capabilities(self.client, self._log, kube_version)
        return self._caps

    def _install_crds(self) -> None:
        """Helm installs ``crds/`` before it reads the capabilities, so a template can test
        for the kinds the chart brings (the install step finds them there already)."""
        from kelm.action.apply import ApplyError
        from kelm.action.deploy import _install_crds
        from kelm.kube import KubeError
        from kelm.render.action import ActionError

        try:
            _install_crds(self.client, self._crds_of)
        except (KubeError, ApplyError) as e:
            raise ActionError(str(e)) from None

    # -- lookup -------------------------------------------------------------------------
    def lookup(self, api_version: str, kind: str, namespace: str, name: str) -> dict[str, Any]:
        """``lookup apiVersion kind namespace name`` (raises GoError with Helm's message)."""
        key = (api_version, kind, namespace, name)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._fetch(api_version, kind, namespace, name)
        return copy.deepcopy(hit)

    def _fetch(self, api_version: str, kind: str, namespace: str, name: str,
               retry: bool = True) -> dict[str, Any]:
        from kelm.kube import KubeError, NotFound

        path, namespaced = self._resource_path(api_version, kind)
        ns = namespace if namespaced else ""
        _check_segment(ns, "invalid namespace")
        if ns:
            path = _insert_namespace(path, ns)
        if name:
            _check_segment(name, "invalid resource name")
            path = f"{path}/{quote(name, safe='')}" if path else f"/api/{quote(name, safe='')}"
        elif not path:
            path = "/api"
        try:
            body = self.client.get_raw(path)
        except NotFound as e:
            if retry and path.startswith("/apis/") and not (e.status or {}).get("details"):
                # the resource itself is gone (a CRD deleted since discovery was cached): the
                # client forgot its table, so ask again as Helm's fresh discovery would
                return self._fetch(api_version, kind, namespace, name, retry=False)
            return {}
        except KubeError as e:
            raise GoError(str(e)) from None
        body = dict(body) if isinstance(body, dict) else {}
        return body if name else _list_content(body)

    def _resource_path(self, api_version: str, kind: str) -> tuple[str, bool]:
        """The collection path (without namespace) of ``kind`` and whether it is namespaced;
        ("", False) for a kind its group-version does not serve (Helm then asks ``/api``)."""
        from kelm.kube import KubeError
        from kelm.kube.discovery import NoMatch, split_api_version

        group, version = split_api_version(api_version) if api_version.count("/") <= 1 \
            else ("", "")
        gvk = f"{group}/{version}, Kind={kind}"
        gv = f"{group}/{version}" if group else version
        if not version:
            self._fail_discovery(gv, gvk, "groupVersion shouldn't be empty")
        try:
            res = self.client.resource_for(gv, kind)
        except NoMatch:
            if self._serves(group, version, gv, gvk):
                return "", False  # Helm's empty resource: it then asks /api itself
            self._fail_discovery(gv, gvk, NOT_SERVED)
        except KubeError as e:
            self._fail_discovery(gv, gvk, str(e))
        return res.collection_path(None), res.namespaced

    def _serves(self, group: str, version: str, gv: str, gvk: str) -> bool:
        """Whether the group-version exists (a NoMatch then means: not this kind)."""
        from kelm.kube import KubeError, NotFound

        try:
            self.client.get_raw(f"/apis/{group}/{version}" if group else f"/api/{version}")
        except NotFound:
            return False
        except KubeError as e:
            self._fail_discovery(gv, gvk, str(e))
        return True

    def _fail_discovery(self, gv: str, gvk: str, err: str) -> NoReturn:
        from kelm.golang.slog import text_value

        self._log(f"level=ERROR msg=\"unable to retrieve resource list\" GroupVersion="
                  f"{text_value(gv)} error={text_value(err)}\n")
        self._log(f"level=ERROR msg=\"unable to get apiresource\" groupVersionKind="
                  f"{text_value(gvk)} error={text_value(err)}\n")
        raise GoError(f"unable to get apiresource from unstructured: {gvk}: {err}")


def _insert_namespace(collection: str, namespace: str) -> str:
    """``/api/v1/configmaps`` -> ``/api/v1/namespaces/NS/configmaps``."""
    base, plural = collection.rsplit("/", 1)
    return f"{base}/namespaces/{quote(namespace, safe='')}/{plural}"


def _check_segment(value: str, what: str) -> None:
    """client-go's ``IsValidPathSegmentName`` check of a name or namespace."""
    from kelm.gotemplate.lexer import go_quote

    if value in (".", ".."):
        msgs = [f"may not be '{value}'"]
    else:
        msgs = [f"may not contain '{c}'" for c in ("/", "%") if c in value]
    if msgs:
        raise GoError(f"{what} {go_quote(value)}: [{' '.join(msgs)}]")


def _list_content(body: dict[str, Any]) -> dict[str, Any]:
    """An ``UnstructuredList``'s content: the list's fields and its items, each with the
    list's apiVersion and item kind when the server sent neither."""
    items = []
    api_version = body.get("apiVersion")
    kind = str(body.get("kind") or "")
    item_kind = kind[:-4] if kind.endswith("List") else kind
    for item in body.get("items") or ():
        if isinstance(item, dict) and not item.get("kind") and not item.get("apiVersion"):
            item = {**item, "apiVersion": api_version, "kind": item_kind}
        items.append(item)
    body["items"] = items
    return body


# -- capabilities -----------------------------------------------------------------------
def server_kube_version(client: Any, log: Callable[[str], Any] | None = None) -> Any:
    """``.Capabilities.KubeVersion`` from ``/version``: Helm keeps the server's gitVersion,
    major and minor as they are (raises ActionError with Helm's reachability message)."""
    from kelm.golang.slog import text_value
    from kelm.kube import KubeError
    from kelm.render.action import ActionError
    from kelm.render.scope import KubeVersion

    try:
        info = client.server_version()
    except KubeError as e:
        msg = f"cluster reachability check failed: kubernetes cluster unreachable: {e}"
        (log or sys.stderr.write)(f"level=ERROR msg={text_value(msg)}\n")
        raise ActionError(msg) from None
    return KubeVersion(str(info.get("gitVersion") or ""), "", str(info.get("major") or ""),
                       str(info.get("minor") or ""))


def cluster_capabilities(client: Any, log: Callable[[str], Any] | None = None,
                         kube_version: Any = None) -> Any:
    """``.Capabilities`` of the cluster ``client`` talks to (raises ActionError)."""
    from kelm.kube import KubeError
    from kelm.render.action import ActionError
    from kelm.render.scope import Capabilities, VersionSet

    kv = kube_version if kube_version is not None else server_kube_version(client, log)
    try:
        apis = api_versions(client)
    except KubeError as e:
        raise ActionError(f"could not get apiVersions from Kubernetes: {e}") from None
    caps = Capabilities(kv)
    if apis:  # Helm keeps its defaults when discovery lists nothing
        caps.APIVersions = VersionSet(apis)
    return caps


def api_versions(client: Any) -> list[str]:
    """Helm's ``GetVersionSet``: every served group-version and ``group-version/Kind``
    (subresources' kinds included), sorted."""
    from kelm.kube.discovery import AGGREGATED_ACCEPT

    fetch = client._fetch_discovery  # noqa: SLF001 - the documents themselves
    out: set[str] = set()
    core, ctype = fetch("/api", AGGREGATED_ACCEPT)
    if "apidiscovery.k8s.io" in ctype or (core or {}).get("kind") == "APIGroupDiscoveryList":
        groups, _ = fetch("/apis", AGGREGATED_ACCEPT)
        for doc in (core, groups):
            _aggregated_versions(doc, out)
        return sorted(out)
    gvs = [str(v) for v in (core or {}).get("versions") or ()]
    groups, _ = fetch("/apis", "application/json")
    for g in (groups or {}).get("groups") or ():
        gvs.extend(str(v.get("groupVersion") or "") for v in g.get("versions") or ())
    for gv in filter(None, gvs):
        out.add(gv)
        path = f"/apis/{gv}" if "/" in gv else f"/api/{gv}"
        try:
            doc, _ = fetch(path, "application/json")
        except Exception:  # noqa: BLE001 - a failing group is skipped, as Helm warns and goes on
            continue
        for r in (doc or {}).get("resources") or ():
            _add_kind(out, gv, str(r.get("kind") or ""))
    return sorted(out)


def _aggregated_versions(doc: Any, out: set[str]) -> None:
    for group in (doc or {}).get("items") or ():
        gname = str((group.get("metadata") or {}).get("name") or "")
        for ver in group.get("versions") or ():
            gv = f"{gname}/{ver.get('version')}" if gname else str(ver.get("version") or "")
            out.add(gv)
            for r in ver.get("resources") or ():
                if r.get("responseKind") is None:
                    continue  # client-go drops a resource without its kind
                _add_kind(out, gv, str(r["responseKind"].get("kind") or ""))
                for sub in r.get("subresources") or ():
                    _add_kind(out, gv, str((sub.get("responseKind") or {}).get("kind") or ""))


def _add_kind(out: set[str], gv: str, kind: str) -> None:
    out.add(f"{gv}/{kind}" if kind else gv)  # Go's path.Join drops the empty kind


def bind_cluster(opts: Any, client: Any, lookup: bool = True, chart: Any = None,
                 skip_crds: bool = False, dry_run: bool = False) -> ClusterRender:
    """Let the render of ``opts`` (an InstallOptions) ask ``client``: capabilities always,
    ``lookup`` unless ``lookup`` is false (``--dry-run=client`` of an upgrade).  ``chart``
    (an install's): its CRDs are created before the capabilities are read, as Helm does --
    a dry run only warns that they are not."""
    crds = chart is not None and not skip_crds and bool(chart.crd_objects())
    cluster = ClusterRender(client, crds_of=chart if crds and not dry_run else None,
                            notes=[CRDS_WARNING] if crds and dry_run else None)
    opts.capabilities = cluster.capabilities
    opts.lookup = cluster.lookup if lookup else None
    return cluster


# what a dry run logs for a chart with CRDs: it does not create them, so the render may not
# see their kinds
CRDS_WARNING = ('level=WARN msg="This chart or one of its subcharts contains CRDs. Rendering '
                'may fail or contain inaccuracies."')


def check_server_dry_run(client: Any, rendered: Any, take_ownership: bool) -> None:
    """``install --dry-run=server`` after the render: the objects must not belong to someone
    else (Helm's ``existingResourceConflict``; raises DeployError).  Like Helm v4, nothing is
    sent to the server for them and nothing is stored."""
    from kelm.action.apply import ApplyError
    from kelm.action.deploy import DeployError, check_adoptable, release_objects

    try:
        objs = release_objects(rendered.manifest, rendered.name, rendered.namespace)
    except ApplyError as e:
        raise DeployError(str(e)) from None
    check_adoptable(client, objs, rendered.name, rendered.namespace, take_ownership, "install")


__all__ = ["ClusterRender", "api_versions", "bind_cluster", "check_server_dry_run",
           "cluster_capabilities", "server_kube_version"]

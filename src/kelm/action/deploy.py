"""``helm install`` against a cluster, in Helm's order: reachability, the name is free,
CRDs from ``crds/`` first, no object owned elsewhere, the record ``pending-install``,
pre-install hooks, the manifests (server-side apply), post-install hooks, then the record
``deployed`` — or ``failed`` with Helm's description."""

from __future__ import annotations

from typing import Any

from kelm._slots import Record


class DeployError(Exception):
    """The install failed; ``str()`` is Helm's message (without ``INSTALLATION FAILED:``),
    ``logs`` the slog lines Helm writes before it."""

    def __init__(self, msg: str, logs: list[str] | None = None) -> None:
        super().__init__(msg)
        self.logs = logs or []


class DeployOptions(Record):
    __slots__ = ("create_namespace", "no_hooks", "skip_crds", "timeout", "description")

    def __init__(self, create_namespace: bool = False, no_hooks: bool = False,
                 skip_crds: bool = False, timeout: float = 300.0, description: str = "") -> None:
        self.create_namespace = create_namespace
        self.no_hooks = no_hooks
        self.skip_crds = skip_crds
        self.timeout = timeout
        self.description = description


def _check_name_free(storage: Any, name: str) -> None:
    from kelm.release.errors import StorageError

    try:
        history = storage.history(name)
    except StorageError:
        return
    if history:
        raise DeployError("cannot re-use a name that is still in use")


def _create_namespace(client: Any, namespace: str) -> None:
    from kelm.kube import AlreadyExists

    ns = {"apiVersion": "v1", "kind": "Namespace",
          "metadata": {"name": namespace, "labels": {"name": namespace}}}
    try:
        client.create(ns)
    except AlreadyExists:
        pass


def _install_crds(client: Any, chart: Any) -> None:
    from kelm.action.apply import parse_objects
    from kelm.kube import AlreadyExists

    created = False
    for _filename, f in chart.crd_objects():
        for obj in parse_objects(f.data.decode("utf-8", "replace")):
            try:
                client.create(obj)
                created = True
            except AlreadyExists:
                pass
    if created:
        client.invalidate_discovery()


def _slog_quote(msg: str) -> str:
    """A message as Go's slog text handler writes it (quoted, with \\ and \" escaped)."""
    return '"' + msg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def install_release(client: Any, rendered: Any, opts: DeployOptions) -> Any:
    """Install ``rendered`` (a :func:`kelm.render.render_chart` result); returns the stored
    :class:`kelm.release.Release` (raises :class:`DeployError`)."""
    from kelm.action.apply import (
        ApplyError,
        apply_objects,
        check_not_owned_elsewhere,
        parse_objects,
        set_ownership,
    )
    from kelm.action.cluster import release_storage
    from kelm.action.hooks import run_hooks
    from kelm.kube import KubeError
    from kelm.release.model import Release, Status

    try:
        client.check_reachable()
    except KubeError as e:
        msg = f"cluster reachability check failed: {e}"
        raise DeployError(msg, [f"level=ERROR msg={_slog_quote(msg)}"]) from None
    ns = rendered.namespace
    storage = release_storage(client, ns)
    try:
        _check_name_free(storage, rendered.name)
        if opts.create_namespace:
            _create_namespace(client, ns)
        if not opts.skip_crds:
            _install_crds(client, rendered.chart)
        objs = parse_objects(rendered.manifest)
        for obj in objs:
            set_ownership(obj, rendered.name, ns)
        check_not_owned_elsewhere(client, objs, rendered.name, ns)
    except (KubeError, ApplyError) as e:
        raise DeployError(str(e)) from None
    rel = Release.from_render(rendered)
    rel.set_status(Status.PENDING_INSTALL, "Initial install underway")
    storage.create(rel)
    try:
        if not opts.no_hooks:
            run_hooks(client, rel, "pre-install", ns, opts.timeout)
        apply_objects(client, objs, ns)
        if not opts.no_hooks:
            run_hooks(client, rel, "post-install", ns, opts.timeout)
    except (KubeError, ApplyError) as e:
        rel.set_status(Status.FAILED, f'Release "{rel.name}" failed: {e}')
        storage.update(rel)
        raise DeployError(str(e)) from None
    rel.set_status(Status.DEPLOYED, opts.description or "Install complete")
    storage.update(rel)
    return rel


__all__ = ["DeployError", "DeployOptions", "install_release"]

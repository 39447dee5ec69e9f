"""``helm uninstall`` as Helm v4 does it: the newest revision marked ``uninstalling``,
pre-delete hooks, the release's objects deleted in Helm's uninstall kind order (those with
``helm.sh/resource-policy: keep`` left alone and listed), optionally waited for, post-delete
hooks, then the history purged — or, with ``keep_history``, the revision recorded
``uninstalled`` ("Uninstallation complete") and older deployed revisions superseded.

:func:`uninstall_release` is also what ``--rollback-on-failure`` calls for a failed install.
"""

from __future__ import annotations

from typing import Any

from kelm._slots import Record

RESOURCE_POLICY = "helm.sh/resource-policy"
CASCADES = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan"}
KEPT_HEADER = "These resources were kept due to the resource policy:\n"


class UninstallError(Exception):
    """The uninstall failed; ``str()`` is Helm's message.  ``result``: what was done before
    the failure (None when nothing was)."""

    def __init__(self, msg: str, result: UninstallResult | None = None) -> None:
        super().__init__(msg)
        self.result = result


class UninstallOptions(Record):
    """``helm uninstall``'s flags.  ``cascade``: background, foreground or orphan;
    ``wait``: hookOnly (the default: no waiting for deletions), watcher or legacy."""

    __slots__ = ("keep_history", "cascade", "no_hooks", "ignore_not_found", "dry_run",
                 "timeout", "description", "wait")

    def __init__(self, keep_history: bool = False, cascade: str = "background",
                 no_hooks: bool = False, ignore_not_found: bool = False, dry_run: bool = False,
                 timeout: float = 300.0, description: str = "", wait: str = "hookOnly") -> None:
        self.keep_history = keep_history
        self.cascade = cascade
        self.no_hooks = no_hooks
        self.ignore_not_found = ignore_not_found
        self.dry_run = dry_run
        self.timeout = timeout
        self.description = description
        self.wait = wait


class UninstallResult(Record):
    """The release as uninstalled (its last revision) and ``info``: the kept-resources text
    Helm prints (empty when nothing was kept)."""

    __slots__ = ("release", "info")

    def __init__(self, release: Any = None, info: str = "") -> None:
        self.release = release
        self.info = info


def cascade_error(cascade: str) -> str:
    """Helm's message for a ``--cascade`` it does not know ("" when it is fine)."""
    if cascade in CASCADES:
        return ""
    return (f'invalid cascade value ({cascade}). Must be "background", "foreground", or '
            '"orphan"')


def split_kept(manifest: str) -> tuple[list[Any], list[Any]]:
    """The release manifest's documents in uninstall order: (kept, to delete).  A
    resource-policy other than ``keep`` puts a document in neither list, as in Helm."""
    from kelm.action.apply import UNINSTALL_ORDER
    from kelm.render.manifests import go_trim, sort_manifests, split_manifests

    docs = {f"manifest-{i}": d for i, d in enumerate(split_manifests(manifest))}
    _hooks, manifests, _logs = sort_manifests(docs)
    rank = {k: i for i, k in enumerate(UNINSTALL_ORDER)}
    manifests = sorted(manifests, key=lambda m: (0, rank[m.head.kind], "")
                       if m.head.kind in rank else (1, 0, m.head.kind))
    keep, remaining = [], []
    for m in manifests:
        ann = m.head.annotations
        if not ann or RESOURCE_POLICY not in ann:
            remaining.append(m)
        elif go_trim(ann[RESOURCE_POLICY]).lower() == "keep":
            keep.append(m)
    return keep, remaining


def _last(history: list[Any]) -> Any:
    return max(history, key=lambda r: r.version)


def _delete_release(client: Any, rel: Any, namespace: str, propagation: str
                    ) -> tuple[list[dict[str, Any]], str, list[str]]:
    """(the objects deleted, the kept text, errors) of Helm's ``deleteRelease``."""
    from kelm.action.apply import parse_objects
    from kelm.action.hooks import delete_objects
    from kelm.kube import KubeError
    from kelm.render.manifests import ManifestError

    try:
        keep, remaining = split_kept(rel.manifest)
    except ManifestError as e:
        return [], rel.manifest, ["corrupted release record. You must manually delete the "
                                  f"resources: {e}"]
    kept = "".join(f"[{m.head.kind}] {m.head.name}\n" for m in keep)
    try:
        objs = parse_objects("".join("\n---\n" + m.content for m in remaining))
        for obj in objs:
            client.resource_for(obj["apiVersion"], obj["kind"])
    except (KubeError, ValueError) as e:
        return [], "", [f"unable to build kubernetes objects for delete: {e}"]
    return objs, kept, delete_objects(client, objs, namespace, propagation)


def _purge(storage: Any, rels: list[Any]) -> None:
    for r in rels:
        storage.delete(r.name, r.version)


def uninstall_release(client: Any, name: str, namespace: str,
                      opts: UninstallOptions) -> UninstallResult | None:
    """Uninstall release ``name`` of ``namespace``: the result, or None when it did not
    exist and ``ignore_not_found`` is set.  Raises :class:`UninstallError` with Helm's
    message (``kelm.kube.KubeError`` texts included)."""
    from kelm.action.cluster import release_storage
    from kelm.action.hooks import HookError, run_hooks, wait_until_deleted
    from kelm.kube import KubeError
    from kelm.release.errors import NoDeployedReleases, ReleaseNotFound, StorageError
    from kelm.release.model import Status

    try:
        client.check_reachable()
    except KubeError as e:
        raise UninstallError(str(e)) from None
    storage = release_storage(client, namespace)
    if opts.dry_run:
        try:
            return UninstallResult(storage.last(name))
        except StorageError as e:
            if opts.ignore_not_found and isinstance(e, ReleaseNotFound):
                return None
            raise UninstallError(str(e), UninstallResult()) from None
    from kelm.action.status import valid_release_name

    if not valid_release_name(name):
        raise UninstallError(f"uninstall: Release name is invalid: {name}")
    try:
        rels = storage.history(name)
    except StorageError as e:
        if opts.ignore_not_found:
            return None
        raise UninstallError(f"uninstall: Release not loaded: {name}: {e}") from None
    if not rels:
        raise UninstallError("no release provided")
    rel = _last(rels)
    if rel.status == Status.UNINSTALLED:
        if not opts.keep_history:
            try:
                _purge(storage, rels)
            except StorageError as e:
                raise UninstallError(f"uninstall: Failed to purge the release: {e}") from None
            return UninstallResult(rel)
        raise UninstallError(f'the release named "{name}" is already deleted')
    from kelm.golang.time import now

    rel.set_status(Status.UNINSTALLING, "Deletion in progress (or silently failed)")
    assert rel.info is not None
    rel.info.deleted = now()
    res = UninstallResult(rel)

    def record(r: Any) -> None:
        storage.update(r)

    hook_kw = {"wait": opts.wait, "server_side": True, "record": record}
    if not opts.no_hooks:
        try:
            run_hooks(client, rel, "pre-delete", namespace, opts.timeout, **hook_kw)
        except (HookError, KubeError) as e:
            raise UninstallError(str(e), res) from None
    try:
        storage.update(rel)
    except StorageError:
        pass  # Helm logs it and carries on
    objs, kept, errs = _delete_release(client, rel, namespace,
                                       CASCADES.get(opts.cascade, "Background"))
    if errs:
        raise UninstallError(f"failed to delete release: {name}")
    res.info = KEPT_HEADER + kept if kept else ""
    if opts.wait in ("watcher", "legacy") and objs:
        try:
            wait_until_deleted(client, objs, namespace, opts.timeout, opts.wait)
        except (HookError, KubeError) as e:
            errs.append(str(e))
    if not opts.no_hooks:
        try:
            run_hooks(client, rel, "post-delete", namespace, opts.timeout, **hook_kw)
        except (HookError, KubeError) as e:
            errs.append(str(e))
    rel.set_status(Status.UNINSTALLED, opts.description or "Uninstallation complete")
    if not opts.keep_history:
        try:
            _purge(storage, rels)
        except StorageError as e:
            errs.append(f"uninstall: Failed to purge the release: {e}")
        _raise_errors(errs, res)
        return res
    try:
        storage.update(rel)
    except StorageError:
        pass
    try:
        deployed = storage.deployed_all(name)
    except NoDeployedReleases:
        deployed = []
    except StorageError as e:
        raise UninstallError(str(e)) from None
    for old in deployed:
        old.info.status = Status.SUPERSEDED
        try:
            storage.update(old)
        except StorageError:
            pass
    _raise_errors(errs, res)
    return res


def _raise_errors(errs: list[str], res: UninstallResult) -> None:
    if errs:
        raise UninstallError(f"uninstallation completed with {len(errs)} error(s): "
                             + "; ".join(errs), res)


__all__ = ["CASCADES", "UninstallError", "UninstallOptions",
           "UninstallResult", "cascade_error", "split_kept", "uninstall_release"]

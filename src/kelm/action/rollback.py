"""``helm rollback NAME [REVISION]`` against a cluster, in Helm v4's order.

A new revision (the newest + 1) takes the chart, values, manifest and hooks of the target
revision (default: the one before the newest) and is recorded ``pending-rollback`` with the
description ``Rollback to N``; pre-rollback hooks, the objects applied (those gone from the
target deleted, ``helm.sh/resource-policy: keep`` aside), the wait, post-rollback hooks;
every deployed revision superseded; the new one ``deployed``.  As in Helm, a pending release
may be rolled back (it is how one recovers), and a failed hook leaves the new revision
``pending-rollback``; a failed apply or wait records it ``failed``.
"""

from __future__ import annotations

from typing import Any

from kelm._slots import Record
from kelm.action.deploy import DeployError, DeployOptions


class RollbackOptions(Record):
    """``REVISION`` (0: the previous one), ``--server-side``, ``--dry-run``."""

    __slots__ = ("version", "server_side", "dry_run")

    def __init__(self, version: int = 0, server_side: str = "auto", dry_run: bool = False) -> None:
        self.version = version
        self.server_side = server_side
        self.dry_run = dry_run


def prepare_rollback(storage: Any, name: str, opts: RollbackOptions) -> tuple[Any, Any, bool]:
    """(the newest revision, the revision to record, server-side apply): Helm's
    ``prepareRollback``."""
    import copy

    from kelm.action.deploy import server_side_value, valid_release_name
    from kelm.golang.time import now
    from kelm.release.errors import StorageError
    from kelm.release.model import Info, Release, Status

    if not valid_release_name(name):
        raise DeployError(f"prepareRollback: Release name is invalid: {name}")
    if opts.version < 0:
        raise DeployError("invalid release revision")
    try:
        current = storage.last(name)
        previous_version = opts.version or current.version - 1
        if previous_version not in {r.version for r in storage.history(name)}:
            raise DeployError(f"release has no {previous_version} version")
        previous = storage.get(name, previous_version)
    except StorageError as e:
        msg = "release: not found" if "no revision" in str(e) else str(e)
        raise DeployError(msg) from None
    server_side = server_side_value(opts.server_side, previous.apply_method)
    prev_info = previous.info or Info()
    target = Release(
        name=name, namespace=current.namespace, chart=previous.chart,
        config=copy.deepcopy(previous.config),
        info=Info(first_deployed=(current.info or Info()).first_deployed, last_deployed=now(),
                  status=Status.PENDING_ROLLBACK, notes=prev_info.notes,
                  description=f"Rollback to {previous_version}"),
        version=current.version + 1, labels=dict(previous.labels),
        manifest=previous.manifest, hooks=copy.deepcopy(previous.hooks),
        apply_method="ssa" if server_side else "csa")
    return current, target, server_side


def rollback_release(client: Any, name: str, namespace: str, opts: RollbackOptions,
                     deploy: DeployOptions) -> Any:
    """Roll ``name`` back; returns the new revision (raises :class:`DeployError`)."""
    from kelm.action.cluster import release_storage
    from kelm.action.deploy import check_reachable, record

    check_reachable(client)
    storage = release_storage(client, namespace)
    if deploy.max_history is not None:
        storage.max_history = deploy.max_history
    current, target, ssa = prepare_rollback(storage, name, opts)
    if opts.dry_run:
        return target
    try:
        record(storage, target, create=True)
    except Exception as e:  # noqa: BLE001 - a storage error is the operation's error
        raise DeployError(str(e)) from None
    _perform_rollback(client, storage, current, target, deploy, ssa)
    try:
        record(storage, target)
    except Exception as e:  # noqa: BLE001
        raise DeployError(str(e)) from None
    return target


def _perform_rollback(client: Any, storage: Any, current: Any, target: Any,
                      deploy: DeployOptions, server_side: bool) -> None:
    """Helm's ``performRollback``: on a failure the records as Helm leaves them."""
    from kelm.action.apply import parse_objects
    from kelm.action.deploy import (
        Cancelled,
        UpdateFailed,
        cancellable,
        delete_created,
        failure_types,
        record_quietly,
        release_objects,
        run_hooks,
        slog_quote,
        update_release,
        wait_ready,
    )
    from kelm.release.errors import StorageError
    from kelm.release.model import Status

    ns = target.namespace
    failures = failure_types()
    catch: tuple[type[BaseException], ...] = (Cancelled, DeployError, *failures)
    old_objs = parse_objects(current.manifest)
    objs = release_objects(target.manifest, target.name, ns)
    stage = "hooks"
    created: list[dict[str, Any]] = []
    try:
        with cancellable():
            run_hooks(client, target, "pre-rollback", ns, deploy, server_side, storage)
            stage = "apply"
            try:
                update_release(client, old_objs, objs, ns, deploy, server_side, True, False)
            except UpdateFailed as e:
                created = e.created
                raise DeployError(str(e)) from None
            stage = "wait"
            wait_ready(client, objs, ns, deploy)
            stage = "hooks"
            run_hooks(client, target, "post-rollback", ns, deploy, server_side, storage)
    except catch as e:
        err = "context canceled" if isinstance(e, Cancelled) else str(e)
        if stage == "hooks" and not isinstance(e, Cancelled):
            raise DeployError(err) from None  # Helm leaves the revision pending-rollback
        logs: list[str] = []
        if stage == "wait":
            target.set_status(Status.FAILED, f'Release "{target.name}" failed: {err}')
            msg = f"release {target.name} failed: {err}"
        else:
            desc = f'Rollback "{target.name}" failed: {err}'
            logs.append(f"level=WARN msg={slog_quote(desc)}")
            current.info.status = Status.SUPERSEDED
            target.set_status(Status.FAILED, desc)
            msg = err
        record_quietly(storage, current)
        record_quietly(storage, target)
        if deploy.cleanup_on_fail and stage == "apply" and created:
            errs = delete_created(client, created, ns)
            if errs:
                msg = ("an error occurred while cleaning up resources. original rollback "
                       "error: unable to cleanup resources: " + ", ".join(errs))
        raise DeployError(msg, logs) from None
    try:
        deployed = storage.deployed_all(target.name)
    except StorageError:
        deployed = []
    for rel in deployed:
        rel.info.status = Status.SUPERSEDED
        record_quietly(storage, rel)
    target.info.status = Status.DEPLOYED


__all__ = ["RollbackOptions", "prepare_rollback", "rollback_release"]

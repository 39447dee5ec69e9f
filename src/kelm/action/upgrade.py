"""``helm upgrade`` against a cluster, in Helm v4's order and with its messages.

:func:`prepare_upgrade` finds the release to upgrade (the newest revision; a pending one
refuses with Helm's "another operation ... is in progress"), merges the values as
``--reuse-values``/``--reset-values``/``--reset-then-reuse-values`` say, renders the chart
and builds the revision n+1.  :func:`perform_upgrade` records it ``pending-upgrade``, runs
the pre-upgrade hooks, applies the new objects, deletes the previous release's objects that
are gone from the chart (not those annotated ``helm.sh/resource-policy: keep``), waits
(``--wait``), runs the post-upgrade hooks, supersedes the previous revision and records the
new one ``deployed`` — or ``failed`` (``Upgrade "x" failed: ...``), then cleans up
(``--cleanup-on-fail``) or rolls back (``--rollback-on-failure``).
"""

from __future__ import annotations

from typing import Any

from kelm._slots import Record
from kelm.action.deploy import DeployError, DeployOptions, server_side_value, valid_release_name

PENDING = "another operation (install/upgrade/rollback) is in progress"


class UpgradeOptions(Record):
    """What only ``upgrade`` asks (the rest is :class:`DeployOptions`)."""

    __slots__ = ("reuse_values", "reset_values", "reset_then_reuse_values", "server_side",
                 "labels", "dry_run", "hide_secret")

    def __init__(self, reuse_values: bool = False, reset_values: bool = False,
                 reset_then_reuse_values: bool = False, server_side: str = "auto",
                 labels: dict[str, str] | None = None, dry_run: bool = False,
                 hide_secret: bool = False) -> None:
        self.reuse_values = reuse_values
        self.reset_values = reset_values
        self.reset_then_reuse_values = reset_then_reuse_values
        self.server_side = server_side
        self.labels = dict(labels or {})
        self.dry_run = dry_run
        self.hide_secret = hide_secret


class PreparedUpgrade(Record):
    """The revision to deploy, the one it replaces, and how objects are applied."""

    __slots__ = ("current", "upgraded", "server_side", "logs")

    def __init__(self, current: Any, upgraded: Any, server_side: bool, logs: list[str]) -> None:
        self.current = current
        self.upgraded = upgraded
        self.server_side = server_side
        self.logs = logs


def reuse_values(chart: Any, current: Any, new_vals: dict[str, Any],
                 opts: UpgradeOptions) -> dict[str, Any]:
    """Helm's ``reuseValues``: the values the new revision is given (and, with
    ``--reuse-values``, the chart's defaults become the old release's computed values)."""
    from kelm.values.coalesce import CoalesceError, coalesce_tables, coalesce_values, copy_values

    if opts.reset_values:
        return new_vals
    if opts.reuse_values:
        try:
            old = coalesce_values(current.chart, copy_values(current.config))
        except CoalesceError as e:
            raise DeployError(f"failed to rebuild old values: {e}") from None
        # Helm coalesces into the old release's own config (a null among the new values
        # lands in it too, and is stored when that revision is superseded): so does kelm
        merged = coalesce_tables(new_vals, current.config)
        chart.values = old
        return merged if merged is not None else {}
    if opts.reset_then_reuse_values:
        merged = coalesce_tables(new_vals, current.config)
        return merged if merged is not None else {}
    if not new_vals and current.config:
        return current.config
    return new_vals


def merge_labels(current: dict[str, str], desired: dict[str, str]) -> dict[str, str]:
    """Helm's ``mergeCustomLabels``: ``null`` unsets a label."""
    out = {**current, **desired}
    return {k: v for k, v in out.items() if v != "null"}


def find_current(storage: Any, name: str) -> tuple[Any, Any]:
    """(the newest revision, the revision the upgrade replaces); Helm's errors."""
    from kelm.release.errors import NoDeployedReleases, ReleaseNotFound, StorageError
    from kelm.release.model import Status

    try:
        last = storage.last(name)
    except ReleaseNotFound:
        raise DeployError(str(NoDeployedReleases(name))) from None
    except StorageError as e:
        if "no revision" in str(e):
            raise DeployError(str(NoDeployedReleases(name))) from None
        raise DeployError(str(e)) from None
    if Status.is_pending(last.status):
        raise DeployError(PENDING)
    if last.status == Status.DEPLOYED:
        return last, last
    try:
        return last, storage.deployed(name)
    except NoDeployedReleases as e:
        if last.status in (Status.FAILED, Status.SUPERSEDED):
            return last, last
        raise DeployError(str(e)) from None
    except StorageError as e:
        raise DeployError(str(e)) from None


def prepare_upgrade(client: Any, storage: Any, name: str, plan: Any, opts: UpgradeOptions,
                    deploy: DeployOptions) -> PreparedUpgrade:
    """Render the next revision of ``name`` from ``plan`` (an
    :class:`kelm.action.install.InstallPlan`); nothing is written yet."""
    from kelm.action.install import render_plan  # a chart or a kustomization
    from kelm.golang.time import now
    from kelm.release.model import Release, Status
    from kelm.render.action import ActionError
    from kelm.render.action import InstallOptions as RenderOptions

    if not opts.dry_run and opts.hide_secret:
        raise DeployError("hiding Kubernetes secrets requires a dry-run mode")
    last, current = find_current(storage, name)
    chart = plan.chart
    vals = reuse_values(chart, current, plan.values, opts)
    ro: RenderOptions = plan.options
    ro.release_name, ro.namespace, ro.is_upgrade = name, current.namespace, True
    ro.revision = last.version + 1  # Helm's upgrade renders .Release.Revision as the new one
    ro.dry_run = opts.dry_run
    ro.labels = {}
    system = _system_label(opts.labels)
    try:
        rendered = render_plan(chart, vals, ro)
    except ActionError as e:
        raise DeployError(str(e), list(e.release.logs) if e.release is not None else []) from None
    if system:
        raise DeployError(system)
    server_side = server_side_value(opts.server_side, last.apply_method)
    rel = Release.from_render(rendered, now())
    if rel.info is not None and current.info is not None:
        rel.info.first_deployed = current.info.first_deployed
    rel.set_status(Status.PENDING_UPGRADE, "Preparing upgrade")
    rel.version = last.version + 1
    rel.namespace = current.namespace
    rel.labels = merge_labels(last.labels, opts.labels)
    rel.apply_method = "ssa" if server_side else "csa"
    return PreparedUpgrade(current, rel, server_side, list(rendered.logs))


def _system_label(labels: dict[str, str]) -> str:
    from kelm.render.action import SYSTEM_LABELS

    if any(k in SYSTEM_LABELS for k in labels):
        return ("user supplied labels contains system reserved label name. System labels: ["
                + " ".join(SYSTEM_LABELS) + "]")
    return ""


def upgrade_release(client: Any, name: str, plan: Any, opts: UpgradeOptions,
                    deploy: DeployOptions) -> Any:
    """``helm upgrade NAME CHART``: the new revision as stored (raises
    :class:`DeployError`, whose ``logs`` are the lines Helm writes before the error)."""
    from kelm.action.cluster import release_storage
    from kelm.action.deploy import check_reachable

    check_reachable(client)
    if not valid_release_name(name):
        raise DeployError(f"release name is invalid: {name}")
    ns = plan.options.namespace
    storage = release_storage(client, ns)
    prepared = prepare_upgrade(client, storage, name, plan, opts, deploy)
    if deploy.max_history is not None:
        storage.max_history = deploy.max_history
    return perform_upgrade(client, storage, prepared, opts, deploy)


def perform_upgrade(client: Any, storage: Any, prepared: PreparedUpgrade,
                    opts: UpgradeOptions, deploy: DeployOptions) -> Any:
    """Helm's ``performUpgrade`` and ``releasingUpgrade``."""
    from kelm.action.apply import ApplyError, parse_objects
    from kelm.action.deploy import (
        Cancelled,
        UpdateFailed,
        cancellable,
        check_adoptable,
        failure_types,
        object_key,
        record,
        release_objects,
        run_hooks,
        update_release,
        wait_ready,
    )
    from kelm.kube import KubeError
    from kelm.release.model import Status

    current, rel = prepared.current, prepared.upgraded
    ns = rel.namespace
    try:
        old_objs = parse_objects(current.manifest)
        target = release_objects(rel.manifest, rel.name, ns)
        existing = {object_key(client, o, ns) for o in old_objs}
        to_create = [o for o in target if object_key(client, o, ns) not in existing]
        check_adoptable(client, to_create, rel.name, ns, deploy.take_ownership, "update")
    except (KubeError, ApplyError) as e:
        raise DeployError(str(e), prepared.logs) from None
    if opts.dry_run:
        rel.info.description = deploy.description or "Dry run complete"
        return rel
    try:
        record(storage, rel, create=True)
    except Exception as e:  # noqa: BLE001 - a storage error is the operation's error
        raise DeployError(str(e), prepared.logs) from None
    failures = failure_types()
    created: list[dict[str, Any]] = []
    err = ""
    ssa = prepared.server_side
    try:
        with cancellable():
            try:
                run_hooks(client, rel, "pre-upgrade", ns, deploy, ssa, storage)
            except failures as e:
                raise _Step(f"pre-upgrade hooks failed: {e}") from None
            try:
                created = update_release(client, old_objs, target, ns, deploy, ssa,
                                         current.apply_method in ("", "csa") and ssa)
            except UpdateFailed as e:
                created = e.created
                raise _Step(str(e)) from None
            wait_ready(client, target, ns, deploy)
            try:
                run_hooks(client, rel, "post-upgrade", ns, deploy, ssa, storage)
            except failures as e:
                raise _Step(f"post-upgrade hooks failed: {e}") from None
    except Cancelled:
        err = "context canceled"
    except _Step as e:
        err = str(e)
    except failures as e:
        err = str(e)
    if err:
        raise fail_upgrade(client, storage, rel, created, err, deploy, prepared.logs,
                           opts.server_side)
    current.info.status = Status.SUPERSEDED
    record_quietly(storage, current)
    rel.set_status(Status.DEPLOYED, deploy.description or "Upgrade complete")
    try:
        record(storage, rel)
    except Exception as e:  # noqa: BLE001
        raise DeployError(str(e), prepared.logs) from None
    return rel


class _Step(Exception):  # noqa: N818 - an error already in Helm's words
    pass


def record_quietly(storage: Any, rel: Any) -> None:
    from kelm.action.deploy import record_quietly as quietly

    quietly(storage, rel)


def fail_upgrade(client: Any, storage: Any, rel: Any, created: list[dict[str, Any]], err: str,
                 deploy: DeployOptions, logs: list[str], server_side: str = "auto") -> DeployError:
    """Helm's upgrade ``failRelease``: the revision failed, then ``--cleanup-on-fail`` and
    ``--rollback-on-failure``."""
    from kelm.action.deploy import delete_created, slog_quote
    from kelm.release.model import Status

    logs = [*logs, f'level=WARN msg="upgrade failed" name={rel.name} error={slog_quote(err)}']
    rel.set_status(Status.FAILED, f'Upgrade "{rel.name}" failed: {err}')
    record_quietly(storage, rel)
    if deploy.cleanup_on_fail and created:
        errors = delete_created(client, created, rel.namespace)
        if errors:
            return DeployError("an error occurred while cleaning up resources. original upgrade "
                               f"error: {err}: unable to cleanup resources: "
                               + ", ".join(errors), logs)
    if not deploy.rollback_on_failure:
        return DeployError(err, logs)
    from kelm.action.rollback import RollbackOptions, rollback_release
    from kelm.release.errors import StorageError

    try:
        ok = [r for r in storage.history(rel.name)
              if r.status in (Status.SUPERSEDED, Status.DEPLOYED)]
    except StorageError as e:
        return DeployError("an error occurred while finding last successful release. original "
                           f"upgrade error: {err}: {e}", logs)
    if not ok:
        return DeployError("unable to find a previously successful release when attempting to "
                           f"rollback. original upgrade error: {err}", logs)
    target = max(ok, key=lambda r: r.version)
    ropts = RollbackOptions(version=target.version, server_side=server_side)
    try:
        rollback_release(client, rel.name, rel.namespace, ropts, deploy)
    except DeployError as e:
        return DeployError("an error occurred while rolling back the release. original upgrade "
                           f"error: {err}: {e}", logs + e.logs)
    return DeployError(f"release {rel.name} failed, and has been rolled back due to "
                       f"rollback-on-failure being set: {err}", logs)


__all__ = ["PENDING", "PreparedUpgrade", "UpgradeOptions", "find_current", "merge_labels",
           "perform_upgrade", "prepare_upgrade", "reuse_values", "server_side_value",
           "upgrade_release"]

"""Putting a release into a cluster, the machinery ``install``, ``upgrade`` and ``rollback``
share, in Helm v4's order and with its messages.

``helm install``: reachability, the name is free (``--replace`` reuses an uninstalled or
failed name), CRDs from ``crds/`` first, no object owned elsewhere (unless
``--take-ownership``), the record ``pending-install``, pre-install hooks, the manifests
(server-side apply), the wait (``--wait``), post-install hooks, then the record ``deployed``
— or ``failed`` with Helm's description (``--rollback-on-failure``: uninstalled instead).

SIGINT and SIGTERM (:func:`signals_cancel`) end an operation as Helm's cancelled context
does: the record is marked failed (``context canceled``), never left half-written, since
the signal is held while a record is being written.
"""

from __future__ import annotations

import contextlib
from typing import Any

from kelm._slots import Record

WAIT_MODES = ("watcher", "hookOnly", "legacy")


class DeployError(Exception):
    """The operation failed; ``str()`` is Helm's message (without ``INSTALLATION FAILED:``),
    ``logs`` the slog lines Helm writes before it."""

    def __init__(self, msg: str, logs: list[str] | None = None) -> None:
        super().__init__(msg)
        self.logs = logs or []


class DeployOptions(Record):
    """The flags of install/upgrade/rollback that decide how objects reach the cluster.
    ``wait``: Helm's wait strategy (``hookOnly``: only hooks are waited for);
    ``max_history``: None keeps the storage's (``HELM_MAX_HISTORY``; an install's: none);
    ``debug``: the wait writes Helm's ``--debug`` lines."""

    __slots__ = ("create_namespace", "no_hooks", "skip_crds", "timeout", "description",
                 "wait", "wait_for_jobs", "force_replace", "force_conflicts", "take_ownership",
                 "replace", "rollback_on_failure", "cleanup_on_fail", "max_history",
                 "server_side", "debug")

    def __init__(self, create_namespace: bool = False, no_hooks: bool = False,
                 skip_crds: bool = False, timeout: float = 300.0, description: str = "",
                 wait: str = "hookOnly", wait_for_jobs: bool = False,
                 force_replace: bool = False, force_conflicts: bool = False,
                 take_ownership: bool = False, replace: bool = False,
                 rollback_on_failure: bool = False, cleanup_on_fail: bool = False,
                 max_history: int | None = None, server_side: bool = True,
                 debug: bool = False) -> None:
        self.create_namespace = create_namespace
        self.no_hooks = no_hooks
        self.skip_crds = skip_crds
        self.timeout = timeout
        self.description = description
        self.wait = wait or "hookOnly"
        self.wait_for_jobs = wait_for_jobs
        self.force_replace = force_replace
        self.force_conflicts = force_conflicts
        self.take_ownership = take_ownership
        self.replace = replace
        self.rollback_on_failure = rollback_on_failure
        self.cleanup_on_fail = cleanup_on_fail
        self.max_history = max_history
        self.server_side = server_side
        self.debug = debug

    def wait_mode(self) -> str:
        """Helm: ``--rollback-on-failure`` turns the default ``hookOnly`` into ``watcher``."""
        if self.wait == "hookOnly" and self.rollback_on_failure:
            return "watcher"
        return self.wait


# ---- SIGINT / SIGTERM


class Cancelled(BaseException):  # noqa: N818 - Go's context.Canceled
    """A signal ended the operation (a BaseException: no ``except Exception`` swallows it)."""


class _Guard:
    """The signal state of one command: held (``depth`` > 0) while records are written or
    before the record exists, as Helm's cancelled context only counts once it waits."""

    def __init__(self, on_signal: Any) -> None:
        self.on_signal = on_signal
        self.depth = 1
        self.fired = False
        self.pending = False

    def handle(self, _signum: int, _frame: Any) -> None:
        if self.fired:
            return  # Helm reads one signal; later ones are ignored
        self.fired = True
        if self.on_signal is not None:
            self.on_signal()
        if self.depth > 0:
            self.pending = True
            return
        raise Cancelled()

    def release(self) -> None:
        if self.depth == 0 and self.pending:
            self.pending = False
            raise Cancelled()


_GUARD: list[_Guard] = []


@contextlib.contextmanager
def signals_cancel(on_signal: Any = None) -> Any:
    """SIGINT/SIGTERM cancel the release operation run inside (``on_signal()`` is called
    once, at the first signal: Helm prints ``Release NAME has been cancelled.``).  Inside
    another ``signals_cancel`` the outer one stays in charge."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or _GUARD:
        yield
        return
    guard = _Guard(on_signal)
    old = {s: signal.signal(s, guard.handle) for s in (signal.SIGINT, signal.SIGTERM)}
    _GUARD.append(guard)
    try:
        yield
    finally:
        _GUARD.remove(guard)
        for s, h in old.items():
            signal.signal(s, h)


@contextlib.contextmanager
def signals_kill() -> Any:
    """SIGINT/SIGTERM end the process at once, by the signal, as they end ``helm rollback``
    (which does not catch them): the new revision stays ``pending-rollback``, which the
    next rollback recovers from."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


@contextlib.contextmanager
def cancellable() -> Any:
    """The part of an operation a signal may interrupt (raises :class:`Cancelled`)."""
    guard = _GUARD[-1] if _GUARD else None
    if guard is None:
        yield
        return
    guard.depth -= 1
    try:
        guard.release()
        yield
    finally:
        guard.depth += 1


@contextlib.contextmanager
def shielded() -> Any:
    """A record write: a signal arriving now waits until it is done."""
    guard = _GUARD[-1] if _GUARD else None
    if guard is None:
        yield
        return
    guard.depth += 1
    try:
        yield
    finally:
        guard.depth -= 1
    guard.release()


def record(storage: Any, rel: Any, create: bool = False) -> None:
    """Write ``rel`` (shielded from signals)."""
    with shielded():
        if create:
            storage.create(rel)
        else:
            storage.update(rel)


def record_quietly(storage: Any, rel: Any) -> None:
    """Helm's ``recordRelease``: an update whose failure is only logged."""
    from kelm.release.errors import StorageError

    try:
        record(storage, rel)
    except StorageError:
        pass


# ---- objects


def valid_release_name(name: str) -> bool:
    """Helm's ``ValidateReleaseName``: a DNS-1123 subdomain of at most 53 characters."""
    import re

    return bool(name) and len(name) <= 53 and re.fullmatch(
        r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", name) is not None


def server_side_value(option: str, previous_method: str) -> bool:
    """Helm's ``getUpgradeServerSideValue``: ``auto`` follows the previous revision."""
    if option == "auto":
        return previous_method == "ssa"
    if option in ("true", "false"):
        return option == "true"
    raise DeployError(f"invalid/unknown release server-side apply method: {option}")


def slog_quote(msg: str) -> str:
    """A value as Go's slog text handler writes it (quoted when it must be, Go's escapes)."""
    from kelm.golang.slog import text_value

    return text_value(msg)


_slog_quote = slog_quote  # the earlier private name


def check_reachable(client: Any) -> None:
    from kelm.kube import KubeError

    try:
        client.check_reachable()
    except KubeError as e:
        raise DeployError(str(e)) from None


def object_namespace(client: Any, obj: dict[str, Any], namespace: str) -> str:
    """The namespace an object lands in ("" for cluster-scoped kinds)."""
    res = client.resource_for(str(obj.get("apiVersion")), str(obj.get("kind")))
    if not res.namespaced:
        return ""
    return str((obj.get("metadata") or {}).get("namespace") or namespace)


def object_key(client: Any, obj: dict[str, Any], namespace: str) -> tuple[str, str, str, str]:
    """Helm's ``isMatchingInfo``: group, kind, namespace, name (the version does not count)."""
    api = str(obj.get("apiVersion") or "")
    group = api.rpartition("/")[0]
    return (group, str(obj.get("kind")), object_namespace(client, obj, namespace),
            str((obj.get("metadata") or {}).get("name") or ""))


def release_objects(manifest: str, name: str, namespace: str) -> list[dict[str, Any]]:
    """The objects of a release manifest with Helm's ownership metadata set."""
    from kelm.action.apply import parse_objects, set_ownership

    objs = parse_objects(manifest, stream=True)
    for obj in objs:
        set_ownership(obj, name, namespace)
    return objs


def check_mappable(client: Any, objs: list[dict[str, Any]], context: str) -> None:
    """Helm's ``KubeClient.Build``: every object's kind must be served, else, after
    ``context``, the resource builder's message for each object that is not (the namespace
    as the manifest gives it), several as apimachinery's aggregate (``[a, b]``, repeats
    dropped)."""
    from kelm.action.apply import mapping_error
    from kelm.kube import NoMatch

    errors: list[str] = []
    for obj in objs:
        try:
            client.resource_for(str(obj.get("apiVersion")), str(obj.get("kind")))
        except NoMatch as e:
            msg = mapping_error(obj, e)
            if msg not in errors:
                errors.append(msg)
    if errors:
        text = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
        raise DeployError(context + text)


def check_adoptable(client: Any, objs: list[dict[str, Any]], name: str, namespace: str,
                    take_ownership: bool, operation: str) -> None:
    """Helm's ``existingResourceConflict`` (skipped by ``--take-ownership``: Helm's
    ``requireAdoption`` adopts whatever exists); ``operation``: install or update."""
    from kelm.action.apply import ApplyError, check_not_owned_elsewhere
    from kelm.kube import KubeError

    if take_ownership or not objs:
        return
    try:
        check_not_owned_elsewhere(client, objs, name, namespace)
    except ApplyError as e:
        msg = str(e)
        for prefix in ("Unable to continue with install: ", "unable to continue with install: "):
            if msg.startswith(prefix):
                msg = msg[len(prefix):]
        raise DeployError(f"unable to continue with {operation}: {msg}") from None
    except KubeError as e:
        raise DeployError(str(e)) from None


def existing_objects(client: Any, objs: list[dict[str, Any]], namespace: str) -> list[dict]:
    """Helm's ``requireAdoption``: the objects that exist already (``--take-ownership``)."""
    from kelm.kube import NotFound

    out = []
    for obj in objs:
        ns = object_namespace(client, obj, namespace)
        try:
            client.get(obj["apiVersion"], obj["kind"], obj["metadata"]["name"], ns or None)
        except NotFound:
            continue
        out.append(obj)
    return out


def _apply_options(opts: DeployOptions, server_side: bool, **kw: Any) -> Any:
    from kelm.action.apply import ApplyOptions

    return ApplyOptions(server_side=server_side, force_conflicts=opts.force_conflicts,
                        force_replace=opts.force_replace, **kw)


def apply_release(client: Any, objs: list[dict[str, Any]], namespace: str,
                  opts: DeployOptions, server_side: bool = True) -> None:
    """Helm's ``Client.Create`` of an install (server-side apply as ``helm``, or a create)."""
    from kelm.action.apply import apply_objects

    if objs:
        apply_objects(client, objs, namespace, options=_apply_options(opts, server_side))


class UpdateFailed(Exception):
    """``Client.Update`` failed: Helm's message and the objects it had created."""

    def __init__(self, msg: str, created: list[dict[str, Any]]) -> None:
        super().__init__(msg)
        self.created = created


def update_release(client: Any, originals: list[dict[str, Any]],
                   targets: list[dict[str, Any]], namespace: str, opts: DeployOptions,
                   server_side: bool, upgrade_manager: bool,
                   three_way: bool = True) -> list[dict[str, Any]]:
    """Helm's ``Client.Update``: targets created or updated, originals no longer targeted
    deleted (``helm.sh/resource-policy: keep`` aside); returns what was created (raises
    :class:`UpdateFailed`)."""
    from kelm.action.apply import ApplyError, update_objects
    from kelm.kube import KubeError

    options = _apply_options(opts, server_side, upgrade_client_side_manager=upgrade_manager,
                             three_way_unstructured=three_way)
    try:
        return list(update_objects(client, originals, targets, namespace, options).created)
    except (ApplyError, KubeError) as e:
        result = getattr(e, "result", None)
        raise UpdateFailed(str(e), list(result.created) if result else []) from None


def delete_created(client: Any, objs: list[dict[str, Any]], namespace: str) -> list[str]:
    """``--cleanup-on-fail``: delete what the operation created; Helm's error texts."""
    from kelm.action.apply import delete_objects

    return list(delete_objects(client, objs, namespace, "Background").errors)


def wait_available() -> bool:
    """Whether ``kelm.action.wait`` (the ``--wait`` strategies) is there."""
    import importlib.util

    return importlib.util.find_spec("kelm.action.wait") is not None


def wait_ready(client: Any, objs: list[dict[str, Any]], namespace: str,
               opts: DeployOptions) -> None:
    """``--wait=watcher|legacy``: until the objects are ready (raises
    :class:`kelm.action.wait.WaitError`, whose text is Helm's)."""
    mode = opts.wait_mode()
    if mode == "hookOnly":
        return
    from kelm.action.wait import WaitOptions, wait_for_ready

    wait_for_ready(client, objs, namespace,
                   WaitOptions(mode=mode, timeout=opts.timeout,
                               wait_for_jobs=opts.wait_for_jobs, progress=None,
                               debug=opts.debug))


def failure_types() -> tuple[type[BaseException], ...]:
    """The errors an operation turns into a failed record."""
    from kelm.action.apply import ApplyError
    from kelm.action.wait import WaitError
    from kelm.kube import KubeError

    return (KubeError, ApplyError, WaitError)


def run_hooks(client: Any, rel: Any, event: str, namespace: str, opts: DeployOptions,
              server_side: bool = True, storage: Any = None) -> None:
    """The hooks of ``event`` unless ``--no-hooks``; the release is recorded as each hook
    starts, as Helm's ``execHook`` does, when ``storage`` is given."""
    if opts.no_hooks:
        return
    from kelm.action.hooks import run_hooks as run

    run(client, rel, event, namespace, opts.timeout, wait=opts.wait_mode(),
        server_side=server_side,
        record=(lambda r: record(storage, r)) if storage is not None else None)


# ---- install


def _check_name_free(storage: Any, name: str, replace: bool = False) -> Any:
    """Helm's ``availableName``: the newest revision of ``name`` (None when there is none);
    a name in use fails unless ``--replace`` and it was uninstalled or failed."""
    from kelm.release.errors import StorageError
    from kelm.release.model import Status

    try:
        history = storage.history(name)
    except StorageError:
        return None
    if not history:
        return None
    last = max(history, key=lambda r: r.version)
    if replace and last.status in (Status.UNINSTALLED, Status.FAILED):
        return last
    msg = "cannot reuse a name that is still in use"
    raise DeployError(f"release name check failed: {msg}",
                      [f'level=ERROR msg="release name check failed" error={slog_quote(msg)}'])


def _create_namespace(client: Any, namespace: str, server_side: bool) -> None:
    """Helm's ``--create-namespace``: the namespace sent as the release's objects are, a
    server-side apply as ``helm`` (unforced, strict) or a create that accepts one there."""
    from kelm.action.apply import FIELD_MANAGER
    from kelm.kube import AlreadyExists

    # the body Go marshals from Helm's v1.Namespace: its empty spec is a field helm owns
    ns = {"apiVersion": "v1", "kind": "Namespace",
          "metadata": {"creationTimestamp": None, "labels": {"name": namespace},
                       "name": namespace}, "spec": {}, "status": {}}
    try:
        if server_side:
            client.apply(ns, FIELD_MANAGER, field_validation="Strict")
        else:
            client.create(ns, field_manager=FIELD_MANAGER)
    except AlreadyExists:
        pass


CRD_WAIT = 60.0  # Helm's installCRDs gives new CRDs a fixed minute, whatever --timeout says


def enabled_chart(chart: Any, values: dict[str, Any] | None) -> Any:
    """``chart`` without the subcharts that ``values`` disable (conditions, tags): Helm runs
    ``ProcessDependencies`` before it installs ``crds/``, so a disabled subchart's CRDs stay
    out.  A processed copy: the render processes the chart itself (and says what is wrong)."""
    if values is None or not chart.dependencies:
        return chart
    import contextlib
    import copy
    import io

    from kelm.chart.dependencies import process_dependencies

    out = copy.deepcopy(chart)
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # the render's pass warns
            process_dependencies(out, copy.deepcopy(values))
    except Exception:  # noqa: BLE001 - the render's pass reports it, in Helm's words
        return chart
    return out


def install_crds(client: Any, chart: Any, opts: DeployOptions,
                 values: dict[str, Any] | None = None) -> None:
    """Helm's ``installCRDs``: each file of ``crds/`` (of the subcharts ``values`` enable)
    sent as the install sends objects (server-side apply as ``helm``, or a create that skips
    a CRD already there), then, unless the wait strategy is ``hookOnly``, waited for until
    established (:data:`CRD_WAIT`)."""
    from kelm.action.apply import FIELD_MANAGER, ApplyError, parse_objects
    from kelm.kube import AlreadyExists, KubeError

    sent: list[dict[str, Any]] = []
    for _path, f in enabled_chart(chart, values).crd_objects():
        try:
            objs = parse_objects(f.data.decode("utf-8", "replace"), stream=True)
        except ApplyError as e:
            raise DeployError(f"failed to install CRD {f.name}: {e}") from None
        if not objs:
            raise DeployError(f"failed to install CRD {f.name}: resources are empty")
        check_mappable(client, objs, f"failed to install CRD {f.name}: ")
        try:
            for obj in objs:
                if opts.server_side:
                    client.apply(obj, FIELD_MANAGER, force=opts.force_conflicts,
                                 field_validation="Strict")
                else:
                    client.create(obj)
        except AlreadyExists:
            continue
        except KubeError as e:
            raise DeployError(f"failed to install CRD {f.name}: {e}") from None
        sent.extend(objs)
    if not sent:
        return
    if opts.wait in ("watcher", "legacy"):  # rollback-on-failure's watcher comes later
        from kelm.action.wait import WaitError, WaitOptions, wait_for_ready

        try:
            wait_for_ready(client, sent, "", WaitOptions(
                mode=opts.wait, timeout=CRD_WAIT, progress=None, debug=opts.debug))
        except WaitError as e:
            raise DeployError(str(e)) from None
        except KubeError as e:
            raise DeployError(str(e)) from None
    client.invalidate_discovery()


def _install_crds(client: Any, chart: Any) -> None:
    """:func:`install_crds` with the default flags (what :mod:`kelm.action.lookup` calls)."""
    install_crds(client, chart, DeployOptions())


class InstallStart(Record):
    """What an install learnt before its render (:func:`begin_install`): the release
    storage, the revision ``--replace`` replaces (or None), the server's ``/version``."""

    __slots__ = ("storage", "last", "kube_version")

    def __init__(self, storage: Any, last: Any, kube_version: Any) -> None:
        self.storage = storage
        self.last = last
        self.kube_version = kube_version


def begin_install(client: Any, chart: Any, name: str, namespace: str,
                  opts: DeployOptions, values: dict[str, Any] | None = None) -> InstallStart:
    """Helm's install up to the render: the cluster reachable, the name free, ``crds/``
    created and established (unless ``--skip-crds``; of the subcharts the user's ``values``
    enable), so the render's capabilities see the chart's own kinds; raises
    :class:`DeployError` before anything is rendered."""
    from kelm.action.cluster import release_storage
    from kelm.kube import KubeError
    from kelm.render.scope import KubeVersion

    try:
        info = client.server_version()
    except KubeError as e:
        msg = f"cluster reachability check failed: kubernetes cluster unreachable: {e}"
        raise DeployError(msg, [f"level=ERROR msg={slog_quote(msg)}"]) from None
    # Helm keeps the server's gitVersion, major and minor as they are
    kube_version = KubeVersion(str(info.get("gitVersion") or ""), "",
                               str(info.get("major") or ""), str(info.get("minor") or ""))
    storage = release_storage(client, namespace)
    # Helm's install prunes no history: HELM_MAX_HISTORY is only --history-max's default
    storage.max_history = opts.max_history if opts.max_history is not None else 0
    try:
        last = _check_name_free(storage, name, opts.replace)
        if not opts.skip_crds and chart is not None:
            install_crds(client, chart, opts, values)
    except KubeError as e:
        raise DeployError(str(e)) from None
    return InstallStart(storage, last, kube_version)


def _replace_release(storage: Any, rel: Any, last: Any) -> None:
    """Helm's ``replaceRelease``: the next revision; the old one superseded unless failed."""
    from kelm.release.model import Status

    rel.version = last.version + 1
    if last.status != Status.FAILED:
        last.set_status(Status.SUPERSEDED, "superseded by new release")
        record(storage, last)


def install_release(client: Any, rendered: Any, opts: DeployOptions,
                    start: InstallStart | None = None) -> Any:
    """Install ``rendered`` (a :func:`kelm.render.render_chart` result) after ``start``
    (:func:`begin_install`, run here when None); returns the stored
    :class:`kelm.release.Release` (raises :class:`DeployError`)."""
    from kelm.action.apply import ApplyError
    from kelm.kube import KubeError
    from kelm.release.model import Release, Status

    ns = rendered.namespace
    if start is None:
        start = begin_install(client, rendered.chart, rendered.name, ns, opts)
    storage, last = start.storage, start.last
    try:
        objs = release_objects(rendered.manifest, rendered.name, ns)
        check_mappable(client, objs, "unable to build kubernetes objects from release manifest: ")
        check_adoptable(client, objs, rendered.name, ns, opts.take_ownership, "install")
        adopted = existing_objects(client, objs, ns) if opts.take_ownership else []
        if opts.create_namespace:
            _create_namespace(client, ns, opts.server_side)
        rel = Release.from_render(rendered)
        rel.set_status(Status.PENDING_INSTALL, "Initial install underway")
        if last is not None:
            _replace_release(storage, rel, last)
        record(storage, rel, create=True)
    except (KubeError, ApplyError) as e:
        raise DeployError(str(e)) from None
    err = _perform_install(client, storage, rel, objs, adopted, opts)
    if err is not None:
        raise _fail_install(client, storage, rel, err, opts)
    rel.set_status(Status.DEPLOYED, opts.description or "Install complete")
    record_quietly(storage, rel)
    return rel


def _perform_install(client: Any, storage: Any, rel: Any, objs: list[dict[str, Any]],
                     adopted: list[dict[str, Any]], opts: DeployOptions) -> str | None:
    """Hooks, objects (adopted ones updated, as Helm's ``Update``), wait: Helm's
    ``performInstall``; the error text, or None."""
    failures: tuple[type[BaseException], ...] = (*failure_types(), UpdateFailed)
    ns, ssa = rel.namespace, opts.server_side
    step = ""
    try:
        with cancellable():
            step = "failed pre-install: "
            run_hooks(client, rel, "pre-install", ns, opts, ssa, storage)
            step = ""
            if adopted:
                update_release(client, adopted, objs, ns, opts, ssa, True, not ssa)
            else:
                apply_release(client, objs, ns, opts, ssa)
            wait_ready(client, objs, ns, opts)
            step = "failed post-install: "
            run_hooks(client, rel, "post-install", ns, opts, ssa, storage)
    except Cancelled:
        return "context canceled"
    except failures as e:
        return step + str(e)
    return None


def _fail_install(client: Any, storage: Any, rel: Any, err: str,
                  opts: DeployOptions) -> DeployError:
    """Helm's install ``failRelease``: recorded failed, or uninstalled with
    ``--rollback-on-failure``."""
    from kelm.release.model import Status

    rel.set_status(Status.FAILED, f'Release "{rel.name}" failed: {err}')
    if opts.rollback_on_failure:
        from kelm.action.uninstall import uninstall_release

        try:
            uninstall_release(client, rel.name, rel.namespace,
                              _uninstall_options(opts))
        except Exception as e:  # noqa: BLE001 - Helm wraps whatever uninstall returns
            return DeployError("an error occurred while uninstalling the release. original "
                               f"install error: {err}: {e}")
        return DeployError(f"release {rel.name} failed, and has been uninstalled due to "
                           f"rollback-on-failure being set: {err}")
    record_quietly(storage, rel)
    return DeployError(err)


def _uninstall_options(opts: DeployOptions) -> Any:
    """The options Helm's install gives its uninstall on failure."""
    from kelm.action import uninstall

    return uninstall.UninstallOptions(no_hooks=opts.no_hooks, keep_history=False,
                                      timeout=opts.timeout, wait=opts.wait_mode())


__all__ = ["CRD_WAIT", "Cancelled", "DeployError", "DeployOptions", "InstallStart",
           "begin_install", "cancellable", "install_crds", "install_release",
           "record", "signals_cancel", "signals_kill", "shielded"]

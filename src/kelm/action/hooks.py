"""Running a release's hooks for one event as Helm v4 does (``execHookWithDelayedShutdown``).

Hooks run one after another, by weight, then name (stable over the stored kind order).  A hook
without a delete policy gets ``before-hook-creation`` (and keeps it in the stored release, as
Helm's does); an earlier copy is deleted first; the hook is created (server-side apply as
``helm`` for ``ssa`` releases) and waited on with Helm's hook status readers: a Pod until it
succeeded or failed, a Job until Complete or Failed, anything else is ready at once.  The
deletions Helm's ``hook-succeeded``/``hook-failed`` policies ask for happen in a *shutdown*
step, so ``kelm test --logs`` can read the pods first.  Errors carry Helm's text
(``resource Pod/default/x not ready. status: Failed, message: pod x failed``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from kelm.action.apply import FIELD_MANAGER, ApplyError, mapping_error, parse_objects

BEFORE_CREATION = "before-hook-creation"
SUCCEEDED = "hook-succeeded"
FAILED = "hook-failed"
OUTPUT_ON_SUCCEEDED = "hook-succeeded"
OUTPUT_ON_FAILED = "hook-failed"
# strategies whose waiter waits for deletions (Helm's hookOnly waiter does not)
DELETE_WAITING = ("watcher", "legacy")

Shutdown = Callable[[], None]


class HookError(ApplyError):
    """A hook failed; ``str()`` is Helm's message."""


def _now() -> Any:
    from kelm.golang.time import now

    return now()


def _ns_of(obj: dict[str, Any], namespace: str) -> str:
    return str((obj.get("metadata") or {}).get("namespace") or namespace)


def hook_status(obj: dict[str, Any]) -> tuple[str, str]:
    """(kstatus status, message) of a hook object as Helm's hook readers see it."""
    from kelm.kube.readiness import hook_readiness

    r = hook_readiness(obj)
    return r.status, r.reason


def _ident(client: Any, obj: dict[str, Any], namespace: str) -> str:
    meta = obj.get("metadata") or {}
    try:
        namespaced = client.resource_for(obj["apiVersion"], obj["kind"]).namespaced
    except Exception:  # an unknown kind: reported as namespaced, as the object says
        namespaced = True
    ns = _ns_of(obj, namespace) if namespaced else ""
    return f"{obj.get('kind')}/{ns}/{meta.get('name', '')}"


def _poll(deadline: float, delay: float) -> float:
    """Sleep before the next look (bounded by the deadline); the next delay."""
    time.sleep(max(0.0, min(delay, deadline - time.monotonic())))
    return min(delay * 2, 0.25)


def wait_until_ready(client: Any, objs: list[dict[str, Any]], namespace: str,
                     timeout: float) -> None:
    """Helm's ``WatchUntilReady`` for hooks: every object current or failed; raises
    :class:`HookError` naming each one that is not current (and the deadline, if hit)."""
    from kelm.kube import NotFound

    deadline = time.monotonic() + timeout
    pending = list(objs)
    seen: dict[int, tuple[str, str]] = {}
    delay = 0.01
    while True:
        for obj in list(pending):
            meta = obj["metadata"]
            try:
                live = client.get(obj["apiVersion"], obj["kind"], meta["name"],
                                  _ns_of(obj, namespace))
                seen[id(obj)] = hook_status(live)
            except NotFound:
                seen[id(obj)] = ("NotFound", "Resource not found")
            if seen[id(obj)][0] in ("Current", "Failed"):
                pending.remove(obj)
        timed_out = time.monotonic() >= deadline
        if not pending or timed_out:
            break
        delay = _poll(deadline, delay)
    errs = [f"resource {_ident(client, o, namespace)} not ready. status: {seen[id(o)][0]}, "
            f"message: {seen[id(o)][1]}" for o in objs if seen[id(o)][0] != "Current"]
    if pending:
        errs.append("context deadline exceeded")
    if errs:
        raise HookError("\n".join(errs))


def wait_until_deleted(client: Any, objs: list[dict[str, Any]], namespace: str,
                       timeout: float, strategy: str = "watcher") -> None:
    """Every object gone (Helm's ``WaitForDelete``); :class:`HookError` with Helm's message:
    the watcher names what still exists, the legacy waiter only says the time ran out."""
    from kelm.action.wait import WaitError, wait_for_deleted

    try:
        wait_for_deleted(client, objs, namespace, timeout, progress=False)
    except WaitError as e:
        raise HookError("context deadline exceeded" if strategy == "legacy" else str(e)) \
            from None


def delete_objects(client: Any, objs: list[dict[str, Any]], namespace: str,
                   propagation: str = "Background") -> list[str]:
    """Delete each object (gone already is fine; :func:`kelm.action.apply.delete_objects`);
    the error texts of those that failed."""
    from kelm.action.apply import delete_objects as delete_all

    return delete_all(client, objs, namespace, propagation).errors


def std_log(text: str) -> None:
    """What Go's ``log`` package writes once Helm made slog the default: one INFO record a
    write, its final newline dropped (hook pod logs go there)."""
    from kelm.golang.slog import text_value

    sys.stderr.write(f"level=INFO msg={text_value(text.removesuffix(chr(10)))}\n")


class HookRun:
    """One event's hooks of one release: what runs, how it waits, where logs go."""

    def __init__(self, client: Any, rel: Any, event: str, namespace: str, timeout: float,
                 wait: str = "hookOnly", server_side: bool | None = None,
                 record: Callable[[Any], None] | None = None,
                 log_out: Callable[[str], Any] | None = None) -> None:
        self.client = client
        self.rel = rel
        self.event = event
        self.namespace = namespace
        self.timeout = timeout
        self.wait = wait
        self.server_side = rel.apply_method != "csa" if server_side is None else server_side
        self.record = record
        self.log_out = log_out or std_log

    def _build(self, h: Any) -> list[dict[str, Any]]:
        """Helm's ``kube.Build`` of a hook: its objects, each of a kind the server serves
        (raises KubeError, NoMatch included)."""
        from kelm.kube import KubeError, NoMatch

        objs = parse_objects(h.manifest)
        for obj in objs:
            try:
                self.client.resource_for(obj["apiVersion"], obj["kind"])
            except NoMatch as e:
                raise KubeError(mapping_error(obj, e)) from None
        return objs

    # -- deletion by policy ----------------------------------------------------------------
    def delete_by_policy(self, h: Any, policy: str) -> None:
        """Helm's ``deleteHookByPolicy`` (CRDs never deleted)."""
        from kelm.kube import KubeError

        if h.kind == "CustomResourceDefinition" or policy not in h.delete_policies:
            return
        try:
            objs = self._build(h)
        except KubeError as e:
            raise HookError(f"unable to build kubernetes object for deleting hook {h.path}: "
                            f"{e}") from None
        errs = delete_objects(self.client, objs, self.namespace)
        if errs:
            raise HookError("; ".join(errs))
        if self.wait in DELETE_WAITING:
            wait_until_deleted(self.client, objs, self.namespace, self.timeout, self.wait)

    # -- logs by policy --------------------------------------------------------------------
    def output_logs(self, h: Any, policy: str) -> None:
        """Helm's ``outputLogsByPolicy``: the hook pods' container logs, raw, to stderr."""
        if policy not in h.output_log_policies or h.kind not in ("Job", "Pod"):
            return
        from kelm.kube import KubeError

        objs = parse_objects(h.manifest)
        ns = _ns_of(objs[0], self.namespace) if objs else self.namespace
        try:
            if h.kind == "Job":
                pods = self.client.list("v1", "Pod", ns, label_selector=f"job-name={h.name}")
            else:
                pods = self.client.list("v1", "Pod", ns, field_selector=f"metadata.name={h.name}")
            for pod in pods:
                for c in (pod.get("spec") or {}).get("containers") or ():
                    text = self.client.logs(pod["metadata"]["name"], ns, c.get("name"))
                    if text:
                        self.log_out(text)
        except KubeError as e:
            self.log_out(f"error outputting logs for hook failure: {e}")

    # -- running ---------------------------------------------------------------------------
    def _create(self, objs: list[dict[str, Any]]) -> None:
        for obj in objs:
            ns = _ns_of(obj, self.namespace)
            # Helm's Create of a hook: built with validation, so its apply is strict
            if self.server_side:
                self.client.apply(obj, FIELD_MANAGER, namespace=ns, field_validation="Strict")
            else:
                self.client.create(obj, namespace=ns, field_manager=FIELD_MANAGER)

    def _record(self) -> None:
        if self.record is not None:
            try:
                self.record(self.rel)
            except Exception:  # Helm logs a failed record and carries on
                pass

    def execute(self) -> tuple[Shutdown, HookError | None]:
        """Run the hooks; (the shutdown step, the error or None).  The shutdown deletes what
        the delete policies say; call it once the caller is done with the hook objects."""
        from kelm.kube import KubeError
        from kelm.release.model import HookExecution, HookPhase

        hooks = sorted((h for h in self.rel.hooks if self.event in h.events),
                       key=lambda h: (h.weight, h.name))
        for i, h in enumerate(hooks):
            if not h.delete_policies:
                h.delete_policies = [BEFORE_CREATION]
            try:
                self.delete_by_policy(h, BEFORE_CREATION)
            except HookError as e:
                return _noop, e
            try:
                objs = self._build(h)
            except KubeError as e:
                return _noop, HookError(f"unable to build kubernetes object for {self.event} "
                                        f"hook {h.path}: {e}")
            h.last_run = HookExecution(_now(), None, HookPhase.RUNNING)
            self._record()
            h.last_run.phase = HookPhase.UNKNOWN
            try:
                self._create(objs)
            except KubeError as e:
                h.last_run.completed_at, h.last_run.phase = _now(), HookPhase.FAILED
                return _noop, HookError(f"warning: Hook {self.event} {h.path} failed: {e}")
            try:
                wait_until_ready(self.client, objs, self.namespace, self.timeout)
            except HookError as e:
                h.last_run.completed_at, h.last_run.phase = _now(), HookPhase.FAILED
                self.output_logs(h, OUTPUT_ON_FAILED)
                return self._after_failure(h, hooks[:i]), e
            h.last_run.completed_at, h.last_run.phase = _now(), HookPhase.SUCCEEDED

        def shutdown() -> None:
            for h in reversed(hooks):
                self.output_logs(h, OUTPUT_ON_SUCCEEDED)
                self.delete_by_policy(h, SUCCEEDED)

        return shutdown, None

    def _after_failure(self, failed: Any, earlier: list[Any]) -> Shutdown:
        def shutdown() -> None:
            try:
                self.delete_by_policy(failed, FAILED)
            except HookError as e:
                self.log_out(f"error deleting the hook resource on hook failure: {e}")
            for h in earlier:
                self.delete_by_policy(h, SUCCEEDED)

        return shutdown


def _noop() -> None:
    return None


def execute_hooks(client: Any, rel: Any, event: str, namespace: str, timeout: float,
                  **kw: Any) -> tuple[Shutdown, HookError | None]:
    """The hooks of ``event`` run, their deletions left to the returned shutdown step
    (``kw``: :class:`HookRun`'s wait, server_side, record, log_out)."""
    return HookRun(client, rel, event, namespace, timeout, **kw).execute()


def run_hooks(client: Any, rel: Any, event: str, namespace: str, timeout: float,
              **kw: Any) -> None:
    """Run the hooks of ``rel`` (a :class:`kelm.release.Release`) for ``event``, then their
    policy deletions (Helm's ``execHook``); raises :class:`HookError` (an
    :class:`~kelm.action.apply.ApplyError`) with Helm's message when one fails."""
    shutdown, err = execute_hooks(client, rel, event, namespace, timeout, **kw)
    if err is not None:
        shutdown()  # its own failure replaces the hook's error, as in Helm
        raise err
    shutdown()


__all__ = ["HookError", "HookRun", "execute_hooks", "hook_status", "run_hooks",
           "wait_until_deleted", "wait_until_ready"]

"""``--wait`` as Helm v4 does it: until every object is ready, or the timeout.

* ``watcher`` (the default): kstatus semantics (:func:`kelm.kube.readiness.compute`), one
  list+watch per kind and namespace instead of polling each object; a Failed object does not
  hold the wait up (it is reported at the end); the timeout error names each object that was
  not ready, with kstatus' message, in Helm's words.
* ``legacy``: Helm 3's rules (:func:`kelm.kube.readiness.legacy`), polled; the timeout error
  is Helm's ``context deadline exceeded`` (the objects are in :attr:`WaitError.pending`).
* ``hookOnly``: nothing is waited for here (hooks wait on their own).

A watch that breaks falls back to polling that kind (bounded by the same deadline); nothing
outlives the timeout by more than a request, and Ctrl-C / SIGTERM reach the caller at once
(the watches run in daemon threads, the caller's thread only waits on a queue).
"""

from __future__ import annotations

import math
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kelm.kube import readiness
from kelm.kube.readiness import Readiness

WATCH_WINDOW = 5.0  # seconds per watch request: a finished wait's threads end this soon
POLL_MAX = 2.0  # legacy and fallback polling interval (Helm 3 polls every 2 s)
DEFAULT_WATCHER_TIMEOUT = 30.0  # Helm's watcher when given a zero timeout
LEGACY_RETRIES = 30  # consecutive failed checks of one object before legacy gives up


@dataclass
class WaitOptions:
    """How to wait: ``mode`` ``watcher``, ``legacy`` or ``hookOnly``; ``progress`` None picks
    the live display on a terminal; ``debug`` prints Helm's ``--debug`` wait lines."""

    mode: str = "watcher"
    timeout: float = 300.0
    wait_for_jobs: bool = False
    progress: bool | None = None
    debug: bool = False
    log: Callable[[str], None] | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Pending:
    """One object the wait did not see ready, and why."""

    kind: str
    namespace: str
    name: str
    status: str
    reason: str


class WaitError(Exception):
    """A wait that failed; ``str()`` is Helm's message, ``pending`` the objects concerned."""

    def __init__(self, msg: str, pending: list[Pending] | None = None) -> None:
        super().__init__(msg)
        self.pending = pending or []


@dataclass
class _Target:
    api_version: str
    kind: str
    namespace: str
    name: str
    state: Readiness = field(default_factory=lambda: Readiness(readiness.UNKNOWN, ""))
    seen: bool = False  # its kind has been listed (or polled) since the wait began
    existed: bool = False  # it was there at some point of the wait

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.api_version, self.kind, self.namespace, self.name

    def pending(self) -> Pending:
        return Pending(self.kind, self.namespace, self.name, self.state.status,
                       self.state.explain())


def _deadline(timeout: float) -> float:
    """When a wait ends; a zero or negative timeout means none (as Go's optional timeout)."""
    return time.monotonic() + timeout if timeout > 0 else math.inf


def _watcher_timeout(timeout: float) -> float:
    return DEFAULT_WATCHER_TIMEOUT if timeout == 0 else timeout


def _go_duration(seconds: float) -> str:
    from kelm.golang.time import duration_string

    return duration_string(int(round(seconds * 1e9)))


def _slog(msg: str, **attrs: Any) -> str:
    from kelm.golang.slog import text_value

    def value(v: Any) -> str:
        if isinstance(v, int):
            return str(v)
        if isinstance(v, (list, tuple)):  # a []string as slog prints it
            return text_value("[" + " ".join(str(x) for x in v) + "]")
        return text_value(str(v))

    parts = [f"level=DEBUG msg={text_value(msg)}"]
    parts += [f"{k}={value(v)}" for k, v in attrs.items()]
    return " ".join(parts)


def _targets(client: Any, objs: Iterable[dict[str, Any]], namespace: str,
             skip_paused: bool) -> list[_Target]:
    out: list[_Target] = []
    seen: set[tuple[str, str, str, str]] = set()
    for obj in objs:
        meta = obj.get("metadata") or {}
        api_version, kind = str(obj.get("apiVersion") or ""), str(obj.get("kind") or "")
        if skip_paused and kind == "Deployment" and (obj.get("spec") or {}).get("paused") is True:
            continue  # Helm does not wait for a paused Deployment
        try:
            namespaced = client.resource_for(api_version, kind).namespaced
        except Exception:  # an unknown kind: waited for in the namespace it names
            namespaced = True
        ns = str(meta.get("namespace") or namespace) if namespaced else ""
        t = _Target(api_version, kind, ns, str(meta.get("name") or ""))
        if t.key not in seen:
            seen.add(t.key)
            out.append(t)
    return out


class _Reporter:
    """Progress: a live table on a terminal, Helm's debug lines otherwise."""

    def __init__(self, opts_progress: bool | None, debug: bool,
                 log: Callable[[str], None] | None, title: str, timeout: float) -> None:
        from kelm.action.progress import open_display

        self.debug = debug
        self.display = open_display(opts_progress, title, timeout)
        self._log = log

    def line(self, text: str) -> None:
        if not self.debug:
            return
        if self._log is not None:
            self._log(text)
        elif self.display is not None:
            self.display.log(text)
        else:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()

    def update(self, targets: list[_Target], desired: str) -> None:
        if self.display is not None:
            self.display.update([(t.kind, t.namespace, t.name, t.state.status, t.state.reason,
                                  t.state.status == desired) for t in targets])

    def close(self) -> None:
        if self.display is not None:
            self.display.close()


# -- watching -------------------------------------------------------------------------------
class _Feed:
    """List+watch per (apiVersion, kind, namespace) in daemon threads, events on a queue."""

    def __init__(self, client: Any, groups: dict[tuple[str, str, str], list[str]],
                 deadline: float) -> None:
        self.client = client
        self.events: queue.Queue[tuple[tuple[str, str, str], str, Any]] = queue.Queue()
        self.stop = threading.Event()
        self.deadline = deadline
        self.threads = [threading.Thread(target=self._run, args=(g, names), daemon=True,
                                         name=f"kelm-wait-{g[1]}")
                        for g, names in groups.items()]
        for t in self.threads:
            t.start()

    def _run(self, group: tuple[str, str, str], names: list[str]) -> None:
        from kelm.kube.watch import Watcher

        api_version, kind, ns = group
        selector = f"metadata.name={names[0]}" if len(names) == 1 else None
        rv: str | None = None
        try:
            while not self.stop.is_set():
                left = self.deadline - time.monotonic()
                if left <= 0:
                    return
                if rv is None:  # the current state first, then changes from its version
                    items, rv = self.client.list_with_version(api_version, kind, ns,
                                                              field_selector=selector)
                    self.events.put((group, "SYNCED", items))
                    left = self.deadline - time.monotonic()
                    if left <= 0:
                        return
                w = Watcher(self.client, api_version, kind, ns, None, selector, rv,
                            min(WATCH_WINDOW, left))
                for typ, obj in w.events():
                    if self.stop.is_set():
                        return
                    self.events.put((group, typ, obj))
                rv = w.rv
        except Exception as e:  # noqa: BLE001 - handed to the waiting thread
            if not self.stop.is_set():
                self.events.put((group, "FAILED", e))

    def close(self) -> None:
        self.stop.set()


def _poll_group(client: Any, group: tuple[str, str, str], names: list[str]) \
        -> list[dict[str, Any]]:
    api_version, kind, ns = group
    from kelm.kube import NotFound

    found = []
    for name in names:
        try:
            found.append(client.get(api_version, kind, name, ns))
        except NotFound:
            pass
    return found


def _watch_until(client: Any, targets: list[_Target], desired: str,
                 judge: Callable[[dict[str, Any]], Readiness], deadline: float,
                 reporter: _Reporter) -> bool:
    """Follow ``targets`` until each is ``desired`` (or Failed, when waiting for ready);
    True unless the deadline passed first."""
    by_key = {t.key: t for t in targets}
    groups: dict[tuple[str, str, str], list[str]] = {}
    for t in targets:
        groups.setdefault((t.api_version, t.kind, t.namespace), []).append(t.name)
    polled: set[tuple[str, str, str]] = set()

    def excluded(t: _Target) -> bool:
        """Helm stops waiting for a failed object (it is reported), and a deletion wait
        for one that was never there."""
        if desired == readiness.CURRENT:
            return t.state.status == readiness.FAILED
        return t.state.status == readiness.UNKNOWN

    def see(group: tuple[str, str, str], obj: dict[str, Any] | None, name: str) -> None:
        t = by_key.get((*group[:2], group[2], name))
        if t is None:
            return
        t.seen = True
        if obj is not None:
            t.existed, t.state = True, judge(obj)
        elif t.existed:
            t.state = readiness.not_found()  # deleted while we watched
        else:  # absent from the start: kstatus never heard of it
            t.state = Readiness(readiness.UNKNOWN, readiness.not_found().reason)

    def observe() -> bool:
        reporter.update(targets, desired)
        if all(t.seen and (t.state.status == desired or excluded(t)) for t in targets):
            counted = [t for t in targets if not excluded(t)]
            reporter.line(_slog("all resources achieved desired status", desiredStatus=desired,
                                resourceCount=len(counted)))
            return True
        waiting = sorted((t for t in targets if t.state.status != desired and not excluded(t)),
                         key=lambda t: t.name)
        if waiting:
            first = waiting[0]
            reporter.line(_slog("waiting for resource", namespace=first.namespace,
                                name=first.name, kind=first.kind, expectedStatus=desired,
                                actualStatus=first.state.status))
        return False

    if not targets:
        observe()
        return True
    feed = _Feed(client, groups, deadline)
    next_poll = 0.0
    poll_delay = 0.25
    try:
        while True:
            now = time.monotonic()
            if now >= deadline:
                return False
            if polled and now >= next_poll:
                for group in sorted(polled):
                    try:
                        live = {str((o.get("metadata") or {}).get("name")): o
                                for o in _poll_group(client, group, groups[group])}
                    except Exception:  # noqa: BLE001 - keep polling until the deadline
                        continue
                    for name in groups[group]:
                        see(group, live.get(name), name)
                if observe():
                    return True
                poll_delay = min(POLL_MAX, poll_delay * 2)
                next_poll = time.monotonic() + poll_delay
            wait = min(0.25, max(0.0, deadline - time.monotonic()))
            if polled:
                wait = min(wait, max(0.0, next_poll - time.monotonic()))
            try:
                group, typ, payload = feed.events.get(timeout=wait)
            except queue.Empty:
                continue
            if typ == "FAILED":
                polled.add(group)  # the watch broke: poll this kind from now on
                next_poll = 0.0
                continue
            if group in polled:
                continue
            if typ == "SYNCED":  # one object at a time, as an informer reports a list
                listed = set()
                for o in payload:
                    name = str((o.get("metadata") or {}).get("name"))
                    if (*group, name) in by_key:
                        listed.add(name)
                        see(group, o, name)
                        if observe():
                            return True
                for name in groups[group]:
                    if name not in listed:
                        see(group, None, name)
            else:
                name = str((payload.get("metadata") or {}).get("name") or "")
                see(group, None if typ == "DELETED" else payload, name)
            if observe():
                return True
    finally:
        feed.close()


# -- legacy (Helm 3) ----------------------------------------------------------------------
def _legacy_check(client: Any, t: _Target, wait_for_jobs: bool,
                  cache: dict[tuple[str, str, str], list[dict[str, Any]]]) -> Readiness:
    obj = client.get(t.api_version, t.kind, t.name, t.namespace)
    related = readiness.legacy_related(obj)
    if related == "replicasets":
        key = ("apps/v1", "ReplicaSet", t.namespace)
        if key not in cache:
            cache[key] = client.list("apps/v1", "ReplicaSet", t.namespace)
        rs = readiness.new_replicaset(obj, cache[key])
        return readiness.legacy(obj, replicaset=rs)
    if related == "pods":
        pods = client.list("v1", "Pod", t.namespace,
                           label_selector=readiness.pod_selector(obj) or None)
        return readiness.legacy(obj, pods=pods)
    return readiness.legacy(obj, wait_for_jobs=wait_for_jobs)


def _legacy_round(client: Any, targets: list[_Target], wait_for_jobs: bool,
                  reporter: _Reporter, errors: dict[tuple[str, str, str, str], int]) -> bool:
    """One of Helm 3's polls: True when all are ready.  Helm stops at the first object not
    ready; an error is retried, up to :data:`LEGACY_RETRIES` times running."""
    from kelm.kube import KubeError

    cache: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    all_ready = True
    for t in targets:
        t.state = Readiness(readiness.UNKNOWN, "not checked: an object before it is not ready")
    for t in targets:
        error = ""
        try:
            t.state = _legacy_check(client, t, wait_for_jobs, cache)
            if t.state.status == readiness.FAILED:  # a failed Job: Helm's error
                error = f"job is failed: {t.namespace}/{t.name}"
        except KubeError as e:
            t.state, error = Readiness(readiness.UNKNOWN, str(e)), str(e)
        if t.state.attrs is not None:
            reporter.line(_slog(t.state.reason, **dict(t.state.attrs)))
        if error:
            reporter.line(_slog("error received when checking resource status",
                                resource=t.name, error=error))
            reporter.line(_slog("retryable error assumed", resource=t.name))
            errors[t.key] += 1
            if errors[t.key] > LEGACY_RETRIES:
                reporter.line(_slog("max number of retries reached", resource=t.name,
                                    retries=errors[t.key]))
                raise WaitError(error, [t.pending()])
            reporter.line(_slog("retrying resource readiness", resource=t.name,
                                currentRetries=errors[t.key] - 1, maxRetries=LEGACY_RETRIES))
        else:
            errors[t.key] = 0
        if not t.state.ready:
            all_ready = False
            break
    return all_ready


def _legacy_until(client: Any, targets: list[_Target], wait_for_jobs: bool, deadline: float,
                  reporter: _Reporter) -> None:
    errors = {t.key: 0 for t in targets}
    delay = 0.25
    while True:
        all_ready = _legacy_round(client, targets, wait_for_jobs, reporter, errors)
        reporter.update(targets, readiness.CURRENT)
        if all_ready:
            return
        left = deadline - time.monotonic()
        if left <= 0:
            raise WaitError("context deadline exceeded",
                            [t.pending() for t in targets if not t.state.ready])
        time.sleep(min(delay, left))
        delay = min(POLL_MAX, delay * 2)


# -- the API --------------------------------------------------------------------------------
def _reporter(opts: WaitOptions, title: str) -> _Reporter:
    return _Reporter(opts.progress, opts.debug, opts.log, title, opts.timeout)


def wait_for_ready(client: Any, objs: list[dict[str, Any]], namespace: str,
                   opts: WaitOptions) -> None:
    """Return once every object of ``objs`` is ready; raise :class:`WaitError` (Helm's
    message) at the timeout, or when an object failed."""
    if opts.mode == "hookOnly":
        return
    if opts.mode not in ("watcher", "legacy"):
        raise WaitError(f'invalid wait strategy "{opts.mode}"')
    if opts.mode == "legacy":
        deadline = _deadline(opts.timeout)
        targets = _targets(client, objs, namespace, skip_paused=False)
        reporter = _reporter(opts, f"Waiting for {len(targets)} resources")
        try:
            reporter.line(_slog("beginning wait for resources", count=len(targets),
                                timeout=_go_duration(opts.timeout)))
            _legacy_until(client, targets, opts.wait_for_jobs, deadline, reporter)
        finally:
            reporter.close()
        return

    def judge(obj: dict[str, Any]) -> Readiness:
        return readiness.compute(obj, wait_for_jobs=opts.wait_for_jobs)

    _wait_current(client, objs, namespace, opts, judge, f"Waiting for {len(objs)} resources")


def wait_for_hooks(client: Any, objs: list[dict[str, Any]], namespace: str, timeout: float,
                   *, progress: bool | None = None, debug: bool = False,
                   log: Callable[[str], None] | None = None) -> None:
    """Helm's wait on hook objects (every mode, ``hookOnly`` included): Jobs until complete,
    Pods until succeeded, anything else once it exists; a failed one ends the wait with
    Helm's message (``resource Job/ns/name not ready. status: Failed, message: ...``)."""
    opts = WaitOptions(timeout=timeout, progress=progress, debug=debug, log=log)
    _wait_current(client, objs, namespace, opts, readiness.hook_readiness,
                  f"Waiting for {len(objs)} hooks")


def _wait_current(client: Any, objs: list[dict[str, Any]], namespace: str, opts: WaitOptions,
                  judge: Callable[[dict[str, Any]], Readiness], title: str) -> None:
    timeout = _watcher_timeout(opts.timeout)
    deadline = _deadline(timeout)
    targets = _targets(client, objs, namespace, skip_paused=True)
    reporter = _Reporter(opts.progress, opts.debug, opts.log, title, timeout)
    try:
        reporter.line(_slog("waiting for resources", count=len(targets),
                            timeout=_go_duration(timeout)))
        in_time = _watch_until(client, targets, readiness.CURRENT, judge, deadline, reporter)
    finally:
        reporter.close()
    errs = [f"resource {t.kind}/{t.namespace}/{t.name} not ready. status: {t.state.status}, "
            f"message: {t.state.reason}" for t in targets if not t.state.ready]
    if not in_time:
        errs.append("context deadline exceeded")
    if errs:
        raise WaitError("\n".join(errs), [t.pending() for t in targets if not t.state.ready])


def wait_for_deleted(client: Any, objs: list[dict[str, Any]], namespace: str, timeout: float,
                     *, progress: bool | None = None, debug: bool = False,
                     log: Callable[[str], None] | None = None) -> None:
    """Return once no object of ``objs`` exists any more; :class:`WaitError` (Helm's
    message naming those that remain) at the timeout."""
    timeout = _watcher_timeout(timeout)
    deadline = _deadline(timeout)
    targets = _targets(client, objs, namespace, skip_paused=False)
    reporter = _Reporter(progress, debug, log, f"Waiting for {len(targets)} resources to be "
                         "deleted", timeout)
    try:
        reporter.line(_slog("waiting for resources to be deleted", count=len(targets),
                            timeout=_go_duration(timeout)))
        in_time = _watch_until(client, targets, readiness.NOT_FOUND, readiness.compute,
                               deadline, reporter)
    finally:
        reporter.close()
    remaining = [t for t in targets if t.state.status not in (readiness.NOT_FOUND,
                                                               readiness.UNKNOWN)]
    errs = [f"resource {t.kind}/{t.namespace}/{t.name} still exists. status: "
            f"{t.state.status}, message: {t.state.reason}" for t in remaining]
    if not in_time:
        errs.append("context deadline exceeded")
    if errs:
        raise WaitError("\n".join(errs), [t.pending() for t in remaining])


__all__ = ["Pending", "WaitError", "WaitOptions", "wait_for_deleted", "wait_for_hooks",
           "wait_for_ready"]

"""``helm test``: run a release's ``test`` hooks (Helm v4's ``ReleaseTesting``).

The newest revision's hooks are filtered by name (``--filter name=a,!name=b``); the ones
left run with the watcher's hook rules, their phases and times recorded into the stored
revision (skipped hooks first, as Helm reorders them).  Deletions the hooks' policies ask for
wait for :meth:`TestRun.shutdown`, so ``--logs`` can still read the pods.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kelm._slots import Record

_NOT_NAME = re.compile(r"^!\s?name=")


class ReleaseTestError(Exception):
    """``helm test`` could not start (no release to report on); ``str()`` is Helm's text."""


class TestOptions(Record):
    """``timeout`` per hook in seconds; ``include``/``exclude``: hook names."""

    __test__ = False  # not a pytest class
    __slots__ = ("timeout", "include", "exclude")

    def __init__(self, timeout: float = 300.0, include: list[str] | None = None,
                 exclude: list[str] | None = None) -> None:
        self.timeout = timeout
        self.include: list[str] = [] if include is None else include
        self.exclude: list[str] = [] if exclude is None else exclude


class TestRun(Record):
    """The revision as tested, the test failure (Helm's text, or ""), and the deferred
    policy deletions."""

    __test__ = False
    __slots__ = ("release", "error", "shutdown")

    def __init__(self, release: Any, error: str, shutdown: Callable[[], None]) -> None:
        self.release = release
        self.error = error
        self.shutdown = shutdown


def parse_filters(filters: list[str]) -> tuple[list[str], list[str]]:
    """``--filter`` values -> (names to include, names to exclude); others are ignored."""
    include, exclude = [], []
    for f in filters:
        if f.startswith("name="):
            include.append(f[len("name="):])
        elif _NOT_NAME.match(f):
            exclude.append(_NOT_NAME.sub("", f, count=1))
    return include, exclude


def _split(hooks: list[Any], opts: TestOptions) -> tuple[list[Any], list[Any]]:
    """(skipped, executing) as Helm's filters leave them."""
    skipped: list[Any] = []
    executing = list(hooks)
    if opts.exclude:
        skipped += [h for h in executing if h.name in opts.exclude]
        executing = [h for h in executing if h.name not in opts.exclude]
    if opts.include:
        skipped += [h for h in executing if h.name not in opts.include]
        executing = [h for h in executing if h.name in opts.include]
    return skipped, executing


def run_release_tests(client: Any, name: str, namespace: str, opts: TestOptions) -> TestRun:
    """Run the tests of release ``name``; raises :class:`ReleaseTestError` when there is no
    release to test (unreachable cluster, bad name, nothing stored)."""
    from kelm.action.cluster import release_storage
    from kelm.action.hooks import execute_hooks
    from kelm.action.status import valid_release_name
    from kelm.kube import KubeError
    from kelm.release.errors import StorageError

    try:
        client.check_reachable()
    except KubeError as e:
        raise ReleaseTestError(str(e)) from None
    if not valid_release_name(name):
        raise ReleaseTestError(f"releaseTest: Release name is invalid: {name}")
    storage = release_storage(client, namespace)
    try:
        rel = storage.last(name)
    except StorageError as e:
        raise ReleaseTestError(str(e)) from None
    skipped, rel.hooks = _split(rel.hooks, opts)
    shutdown, err = execute_hooks(client, rel, "test", namespace, opts.timeout, wait="watcher",
                                  server_side=rel.apply_method == "ssa", record=storage.update)
    rel.hooks = skipped + rel.hooks
    error = str(err) if err is not None else ""
    try:
        storage.update(rel)
    except StorageError as e:
        error = error or str(e)
    return TestRun(rel, error, _guarded(shutdown))


def _guarded(shutdown: Callable[[], None]) -> Callable[[], None]:
    from kelm.action.hooks import HookError

    def run() -> None:
        try:
            shutdown()
        except HookError as e:
            raise ReleaseTestError(str(e)) from None

    return run


def pod_logs(client: Any, rel: Any, namespace: str, opts: TestOptions) -> tuple[str, str]:
    """Helm's ``GetPodLogs``: ("POD LOGS: name" blocks of each test hook by weight, the
    error text or "" — the blocks before a failure are kept)."""
    from kelm.kube import KubeError

    out: list[str] = []
    for h in sorted(rel.hooks, key=lambda h: (h.weight, h.name)):
        if "test" not in h.events or h.name in opts.exclude:
            continue
        if opts.include and h.name not in opts.include:
            continue
        try:
            text = client.logs(h.name, namespace)
        except KubeError as e:
            return "".join(out), f"unable to get pod logs for {h.name}: {e}"
        out.append(f"POD LOGS: {h.name}\n{text}\n")
    return "".join(out), ""


__all__ = ["ReleaseTestError", "TestOptions", "TestRun", "parse_filters", "pod_logs",
           "run_release_tests"]

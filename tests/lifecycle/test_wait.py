"""kelm.action.wait end to end against the kelm.testing emulator: objects that become ready,
ones that never do (Helm's timeout message, compared with the oracle's in
tests/golden/wait/helm.json), failed Jobs, deletion, the polling fallback, interrupts."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import pytest

import kelm.testing
from kelm.action.wait import (
    WaitError,
    WaitOptions,
    wait_for_deleted,
    wait_for_hooks,
    wait_for_ready,
)
from kelm.kube import Client, ConfigFlags, KubeError, load_config
from tests.lifecycle.wait_scenarios import (
    GOLDEN,
    PREPARED,
    SCENARIOS,
    WIDGETS,
    debug_lines,
    deployment,
    is_hook,
    wait_lines,
    widget,
)

HELM_SAID = json.loads(GOLDEN.read_text())


@pytest.fixture
def cluster():  # type: ignore[no-untyped-def]
    with kelm.testing.cluster() as c:
        yield c


def client_of(c: kelm.testing.Cluster) -> Client:
    return Client(load_config(ConfigFlags(kubeconfig=c.kubeconfig_path)), cache_dir="")


def in_default(objs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**o, "metadata": {**o["metadata"], "namespace": "default"}} for o in objs]


def options(flags: list[str], timeout: float, **kw: Any) -> WaitOptions:
    mode = next((f.split("=", 1)[1] for f in flags if f.startswith("--wait=")), "watcher")
    return WaitOptions(mode=mode, timeout=timeout, wait_for_jobs="--wait-for-jobs" in flags,
                       progress=False, **kw)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_failed_wait_says_what_helm_says(cluster, name: str) -> None:  # type: ignore[no-untyped-def]
    objs, knobs, flags, timeout = SCENARIOS[name]
    for obj in PREPARED.get(name, ()):
        cluster.create(obj)
    for (kind, obj_name), knob in knobs.items():
        cluster.set_behavior(kind, obj_name, **knob)
    objs = in_default(objs)
    hooks = all(is_hook(o) for o in objs)
    lines: list[str] = []
    prefix = "Error: INSTALLATION FAILED: "
    with client_of(cluster) as client:
        if hooks:  # before-hook-creation: the old copy deleted and waited for (not there)
            wait_for_deleted(client, objs, "default", timeout, debug=True, log=lines.append)
        for o in objs:
            cluster.create(o)
    started = time.monotonic()
    with client_of(cluster) as client, pytest.raises(WaitError) as err:
        if hooks:  # helm waits for hooks before anything else
            prefix += "failed pre-install: "
            wait_for_hooks(client, objs, "default", timeout, progress=False, debug=True,
                           log=lines.append)
        else:
            wait_for_ready(client, objs, "default", options(flags, timeout, debug=True,
                                                            log=lines.append))
    elapsed = time.monotonic() - started
    golden = HELM_SAID[name]
    assert prefix + str(err.value) == golden["error"]
    assert wait_lines("\n".join(lines)) == golden["wait_lines"]
    if "--wait=legacy" in flags:  # Helm 3's lines: the same, as often as its polls run
        ours = debug_lines("\n".join(lines))
        assert ours and set(ours) <= set(golden["debug_lines"]), ours
        helm = golden["debug_lines"]
        before_deadline = next((i for i, ln in enumerate(helm) if "error received" in ln),
                               len(helm))  # then Go's rate limiter complains of the deadline
        assert set(ours) >= set(helm[:before_deadline])
    timed_out = str(err.value).endswith("context deadline exceeded")
    # a timeout takes the timeout (and not much more); a failure ends the wait at once
    assert (timeout <= elapsed < timeout + 1.5) if timed_out else elapsed < timeout
    pending = {p.name for p in err.value.pending}
    assert pending == {n for (k, n), knob in knobs.items() if not knob.get("delay")}


def test_objects_that_become_ready_end_the_wait_without_polling(cluster) -> None:  # type: ignore[no-untyped-def]
    objs = in_default([deployment("web", 2), deployment("api")])
    cluster.set_behavior("Deployment", "web", delay=1.0)
    for o in objs:
        cluster.create(o)
    cluster.requests.clear()
    started = time.monotonic()
    with client_of(cluster) as client:
        wait_for_ready(client, objs, "default", WaitOptions(timeout=20, progress=False))
        sent = client.requests
    assert 0.8 < time.monotonic() - started < 5
    assert cluster.get("Deployment", "web")["status"]["availableReplicas"] == 2
    # discovery, then one list and one watch per kind and namespace: no GET of each
    # object, no polling (the watch is logged by the server only once it closes)
    assert sent <= 4, list(cluster.requests)
    assert not [r for r in cluster.requests if r.path.endswith(("s/web", "s/api"))]


def test_one_object_is_watched_by_name(cluster) -> None:  # type: ignore[no-untyped-def]
    objs = in_default([deployment("solo")])
    cluster.create(objs[0])
    cluster.create(in_default([deployment("other")])[0])
    cluster.requests.clear()
    with client_of(cluster) as client:
        wait_for_ready(client, objs, "default", WaitOptions(timeout=10, progress=False))
    lists = [r for r in cluster.requests if "/deployments" in r.path]
    assert lists and all("metadata.name%3Dsolo" in r.query or "metadata.name=solo" in r.query
                         for r in lists), lists


def test_a_job_is_waited_for_to_completion_with_wait_for_jobs(cluster) -> None:  # type: ignore[no-untyped-def]
    objs = in_default(SCENARIOS["job-fails"][0])
    cluster.set_behavior("Job", "migrate", delay=0.3)
    cluster.create(objs[0])
    with client_of(cluster) as client:
        wait_for_ready(client, objs, "default",
                       WaitOptions(timeout=10, wait_for_jobs=True, progress=False))
    conds = cluster.get("Job", "migrate")["status"]["conditions"]
    assert any(c["type"] == "Complete" and c["status"] == "True" for c in conds)


def test_hook_only_waits_for_nothing(cluster) -> None:  # type: ignore[no-untyped-def]
    cluster.set_behavior("Deployment", "web", ready=False)
    objs = in_default([deployment("web")])
    cluster.create(objs[0])
    started = time.monotonic()
    with client_of(cluster) as client:
        wait_for_ready(client, objs, "default", WaitOptions(mode="hookOnly", timeout=5))
    assert time.monotonic() - started < 0.5


def test_paused_deployment_is_not_waited_for(cluster) -> None:  # type: ignore[no-untyped-def]
    cluster.set_behavior("Deployment", "web", ready=False)
    obj = in_default([deployment("web")])[0]
    obj["spec"]["paused"] = True
    cluster.create(obj)
    with client_of(cluster) as client:
        wait_for_ready(client, [obj], "default", WaitOptions(timeout=5, progress=False))


def test_legacy_wait_sees_the_new_replicaset(cluster) -> None:  # type: ignore[no-untyped-def]
    objs = in_default([deployment("web", 2)])
    cluster.set_behavior("Deployment", "web", delay=0.3)
    cluster.create(objs[0])
    with client_of(cluster) as client:
        wait_for_ready(client, objs, "default",
                       WaitOptions(mode="legacy", timeout=10, progress=False))
    assert len(cluster.objects("Pod")) == 2


def test_legacy_timeout_names_the_object_in_pending(cluster) -> None:  # type: ignore[no-untyped-def]
    cluster.set_behavior("Deployment", "web", ready=False)
    objs = in_default([deployment("web")])
    cluster.create(objs[0])
    with client_of(cluster) as client, pytest.raises(WaitError) as err:
        wait_for_ready(client, objs, "default",
                       WaitOptions(mode="legacy", timeout=1, progress=False))
    assert str(err.value) == "context deadline exceeded"
    assert [(p.kind, p.name) for p in err.value.pending] == [("Deployment", "web")]
    assert err.value.pending[0].reason == ("Deployment does not have enough pods ready "
                                           "(readyPods=0, totalPods=1)")


def test_a_broken_watch_falls_back_to_polling(cluster) -> None:  # type: ignore[no-untyped-def]
    class NoList:
        """The real client, but listing fails (as a server refusing watches would)."""

        def __init__(self, real: Client) -> None:
            self.real = real
            self.gets = 0

        def list_with_version(self, *a: Any, **kw: Any) -> Any:
            raise KubeError("the server refuses to list")

        def get(self, *a: Any, **kw: Any) -> Any:
            self.gets += 1
            return self.real.get(*a, **kw)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.real, name)

    cluster.set_behavior("Deployment", "web", delay=0.5)
    objs = in_default([deployment("web")])
    cluster.create(objs[0])
    with client_of(cluster) as real:
        flaky = NoList(real)
        wait_for_ready(flaky, objs, "default", WaitOptions(timeout=10, progress=False))
    assert flaky.gets >= 2


def test_deletion_is_waited_for(cluster) -> None:  # type: ignore[no-untyped-def]
    obj = in_default([deployment("web")])[0]
    obj["metadata"]["finalizers"] = ["example.com/hold"]
    cluster.create(obj)
    cluster.delete("Deployment", "web")
    assert cluster.get("Deployment", "web")["metadata"]["deletionTimestamp"]

    def release() -> None:  # as the finalizer's controller would, on the server's side
        cluster.api.patch(cluster.resource("Deployment"), "default", "web", "merge",
                          {"metadata": {"finalizers": None}})

    timer = threading.Timer(0.4, release)
    timer.start()
    started = time.monotonic()
    try:
        with client_of(cluster) as client:
            wait_for_deleted(client, [obj], "default", 10)
    finally:
        timer.cancel()
    assert 0.3 < time.monotonic() - started < 5
    assert cluster.get("Deployment", "web") is None


def test_deletion_timeout_names_what_remains(cluster) -> None:  # type: ignore[no-untyped-def]
    obj = in_default([deployment("web")])[0]
    obj["metadata"]["finalizers"] = ["example.com/hold"]
    gone = in_default([deployment("gone")])[0]
    cluster.create(obj)
    cluster.delete("Deployment", "web")
    with client_of(cluster) as client, pytest.raises(WaitError) as err:
        wait_for_deleted(client, [obj, gone], "default", 1)
    assert str(err.value) == ("resource Deployment/default/web still exists. status: "
                              "Terminating, message: Resource scheduled for deletion\n"
                              "context deadline exceeded")


def test_ctrl_c_interrupts_the_wait_at_once(cluster) -> None:  # type: ignore[no-untyped-def]
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach the main thread only")
    cluster.set_behavior("Deployment", "web", ready=False)
    objs = in_default([deployment("web")])
    cluster.create(objs[0])
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        with client_of(cluster) as client, pytest.raises(KeyboardInterrupt):
            wait_for_ready(client, objs, "default", WaitOptions(timeout=30, progress=False))
    finally:
        timer.cancel()
    assert time.monotonic() - started < 2


SIGTERM_SCRIPT = """
import signal, sys
from kelm.action.wait import WaitOptions, wait_for_ready
from kelm.kube import Client, ConfigFlags, load_config
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
client = Client(load_config(ConfigFlags(kubeconfig=sys.argv[1])), cache_dir="")
obj = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}
print("waiting", flush=True)
wait_for_ready(client, [obj], "default", WaitOptions(timeout=60, progress=False))
"""


def test_sigterm_ends_a_wait_promptly(cluster) -> None:  # type: ignore[no-untyped-def]
    cluster.set_behavior("Deployment", "web", ready=False)
    cluster.create(in_default([deployment("web")])[0])
    p = subprocess.Popen([sys.executable, "-c", SIGTERM_SCRIPT, cluster.kubeconfig_path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert p.stdout is not None and p.stdout.readline() == "waiting\n"
        time.sleep(0.3)  # let it reach the watch
        sent = time.monotonic()
        p.send_signal(signal.SIGTERM)
        assert p.wait(timeout=10) == 143
        assert time.monotonic() - sent < 2
    finally:
        p.kill()
        p.wait()


def test_live_display_shows_ready_and_waiting_objects(cluster, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cluster.set_behavior("Deployment", "web", ready=False)
    objs = in_default([deployment("web"), deployment("api")])
    for o in objs:
        cluster.create(o)
    buf = io.StringIO()
    monkeypatch.setattr(sys, "stderr", buf)
    with client_of(cluster) as client, pytest.raises(WaitError):
        wait_for_ready(client, objs, "default", WaitOptions(timeout=1, progress=True))
    out = buf.getvalue()
    assert "1/2 ready" in out and "of 1s" in out
    assert "web" in out and "Available: 0/1" in out and "InProgress" in out
    assert "Deployment is available" in out


def test_no_display_and_no_lines_off_a_terminal_without_debug(cluster, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    objs = in_default([deployment("web")])
    cluster.create(objs[0])
    buf = io.StringIO()
    monkeypatch.setattr(sys, "stderr", buf)
    with client_of(cluster) as client:
        wait_for_ready(client, objs, "default", WaitOptions(timeout=10))
    assert buf.getvalue() == ""


NO_RICH_SCRIPT = """
import sys
from kelm.action.wait import WaitOptions, wait_for_ready
from kelm.kube import Client, ConfigFlags, load_config
client = Client(load_config(ConfigFlags(kubeconfig=sys.argv[1])), cache_dir="")
obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}}
wait_for_ready(client, [obj], "default", WaitOptions(timeout=10))
print("rich" in sys.modules)
"""


def test_rich_is_not_loaded_off_a_terminal(cluster) -> None:  # type: ignore[no-untyped-def]
    cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": "cfg", "namespace": "default"}})
    p = subprocess.run([sys.executable, "-c", NO_RICH_SCRIPT, cluster.kubeconfig_path],
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert (p.returncode, p.stdout, p.stderr) == (0, "False\n", "")


def test_hooks_wait_for_pods_and_jobs_to_finish(cluster) -> None:  # type: ignore[no-untyped-def]
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "probe", "namespace": "default",
                        "annotations": {"helm.sh/hook": "test"}},
           "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}
    job = in_default(SCENARIOS["hook-job-fails"][0])[0]
    cm = {"apiVersion": "v1", "kind": "ConfigMap",
          "metadata": {"name": "hooked", "namespace": "default"}}
    cluster.set_behavior("Pod", "probe", delay=0.5)
    cluster.set_behavior("Job", "migrate", delay=0.3)
    for o in (pod, job, cm):
        cluster.create(o)
    with client_of(cluster) as client:
        wait_for_hooks(client, [pod, job, cm], "default", 10, progress=False)
    # returned only once both had finished (their status comes after the delays)
    assert cluster.get("Pod", "probe")["status"]["phase"] == "Succeeded"
    assert cluster.get("Job", "migrate")["status"]["succeeded"] == 1


def test_zero_timeout_is_helms_default_for_the_watcher(cluster) -> None:  # type: ignore[no-untyped-def]
    objs = in_default([deployment("web")])
    cluster.create(objs[0])
    lines: list[str] = []
    with client_of(cluster) as client:
        wait_for_ready(client, objs, "default",
                       WaitOptions(timeout=0, progress=False, debug=True, log=lines.append))
    assert lines[0] == 'level=DEBUG msg="waiting for resources" count=1 timeout=30s'


def test_custom_resource_ready_condition_ends_the_wait(cluster) -> None:  # type: ignore[no-untyped-def]
    cluster.create(WIDGETS)
    cluster.set_behavior("Widget", "w", namespace="default", ready=False)
    obj = in_default([widget("w")])[0]
    cluster.create(obj)
    timer = threading.Timer(0.3, cluster.set_behavior, ("Widget", "w"))  # ready from now on
    timer.start()
    try:
        with client_of(cluster) as client:
            wait_for_ready(client, [obj], "default", WaitOptions(timeout=10, progress=False))
    finally:
        timer.cancel()
    conds = cluster.get("Widget", "w")["status"]["conditions"]
    assert [(c["type"], c["status"]) for c in conds] == [("Ready", "True")]

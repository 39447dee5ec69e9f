"""Charts of the corpus installed with the oracle's helm into one emulator: the ones that
use served APIs install (and list, and uninstall), the ones that use APIs removed before 1.35
fail with the error helm prints against a real 1.35 server.

The expected errors come from the sources: helm's client-side validation reads
``/openapi/v3`` then ``/openapi/v2`` (protobuf) and skips kinds it does not find, then the
REST mapper has no match in discovery (``ensure CRDs are installed first``); the server-side
apply ones are structured-merge-diff's. ``python -m tests.testing.sweep_charts`` runs the
whole corpus the same way."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kelm.testing import Cluster, cluster
from tests.shared import SHARED, needs_shared
from tests.testing.conftest import oracle_tool

CHARTS = SHARED / "charts" / "charts"
pytestmark = needs_shared(CHARTS, "the chart corpus")

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def emulator() -> Iterator[Cluster]:
    with cluster() as c:
        yield c


@pytest.fixture(scope="module")
def tools(emulator: Cluster, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    home = tmp_path_factory.mktemp("home")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
           "KUBECONFIG": str(emulator.kubeconfig_path), "KUBECACHEDIR": str(home / "kcache"),
           "HELM_CACHE_HOME": str(home / "cache"), "HELM_CONFIG_HOME": str(home / "config"),
           "HELM_DATA_HOME": str(home / "data")}
    binaries = {"helm": oracle_tool("helm"), "kubectl": oracle_tool("kubectl")}

    def runner(binary: str) -> Run:
        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([binary, *args], capture_output=True, text=True, env=env,
                                  timeout=60)
        return run
    return {name: runner(b) for name, b in binaries.items()}


def install(tools: dict[str, Run], chart: str, release: str) -> subprocess.CompletedProcess[str]:
    return tools["helm"]("install", release, str(CHARTS / chart), "-n", release,
                         "--create-namespace")


def error(p: subprocess.CompletedProcess[str]) -> str:
    assert p.returncode == 1, p.stdout
    return "\n".join(ln for ln in p.stderr.splitlines() if not ln.startswith("level=WARN"))


ENSURE = "\nensure CRDs are installed first"


FAILURES = {
    # an API version removed before 1.35
    "chronograf": "unable to build kubernetes objects from release manifest: resource mapping "
    'not found for name: "chrono-chronograf" namespace: "" from "": no matches for kind '
    '"Deployment" in version "extensions/v1beta1"' + ENSURE,
    # several (helm lists them all)
    "kubedb": "unable to build kubernetes objects from release manifest: [resource mapping not "
    'found for name: "kdb-kubedb" namespace: "" from "": no matches for kind "Deployment" in '
    'version "apps/v1beta1"' + ENSURE + ', resource mapping not found for name: '
    '"v1alpha1.admission.kubedb.com" namespace: "" from "": no matches for kind "APIService" '
    'in version "apiregistration.k8s.io/v1beta1"' + ENSURE + "]",
    # a CRD of apiextensions.k8s.io/v1beta1 in crds/
    "etcd-operator": "failed to install CRD crds/etcd-cluster-crd.yaml: resource mapping not "
    'found for name: "etcdclusters.etcd.database.coreos.com" namespace: "" from "": no matches '
    'for kind "CustomResourceDefinition" in version "apiextensions.k8s.io/v1beta1"' + ENSURE,
    # structured-merge-diff refuses an applied keyed list that repeats a key
    "mercure": "failed to create typed patch object (merc/merc-mercure; apps/v1, "
    'Kind=Deployment): .spec.template.spec.containers[name="mercure"].env: duplicate entries '
    'for key [name="SUBSCRIBER_JWT_KEY"]',
    # ... and a field the schema does not declare
    "horovod": "failed to create typed patch object (hvd/hvd-horovod; apps/v1, "
    "Kind=StatefulSet): .spec.template.spec.selector: field not declared in schema",
    # the API server's pod spec validation
    "mongodb-replicaset": 'StatefulSet.apps "mongo-mongodb-replicaset" is invalid: '
    "spec.template.spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1",
}
RELEASES = {"chronograf": "chrono", "kubedb": "kdb", "etcd-operator": "etcd", "mercure": "merc",
            "horovod": "hvd", "mongodb-replicaset": "mongo"}


@pytest.mark.parametrize("chart", sorted(FAILURES))
def test_chart_fails_as_on_a_real_server(tools: dict[str, Run], chart: str) -> None:
    assert error(install(tools, chart, RELEASES[chart])) == (
        "Error: INSTALLATION FAILED: " + FAILURES[chart])


@pytest.mark.parametrize(("chart", "objects"), [
    # a `kind: List` (validated against /openapi/v2) of RBAC objects named `a.b:c`
    ("vsphere-cpi", {"daemonset/vsphere-cpi",
                     "clusterrole/cloud-controller-manager",
                     "rolebinding/servicecatalog.k8s.io:apiserver-authentication-reader"}),
    ("wordpress", {"deployment/wp-wordpress", "statefulset/wp-mariadb", "service/wp-wordpress",
                   "persistentvolumeclaim/wp-wordpress", "secret/wp-wordpress"}),
])
def test_chart_installs_lists_and_uninstalls(tools: dict[str, Run], emulator: Cluster,
                                             chart: str, objects: set[str]) -> None:
    release = "wp" if chart == "wordpress" else "cpi"
    p = install(tools, chart, release)
    assert p.returncode == 0, p.stderr
    assert "STATUS: deployed" in p.stdout
    kinds = sorted({o.split("/")[0] for o in objects})
    listed = tools["kubectl"]("get", ",".join(kinds), "-A", "-o", "name")
    assert listed.returncode == 0, listed.stderr
    names = {kind.split(".")[0] + "/" + name
             for kind, name in (line.split("/", 1) for line in listed.stdout.split())}
    assert objects <= names
    assert tools["kubectl"]("get", "all", "-n", release).returncode == 0
    u = tools["helm"]("uninstall", release, "-n", release)
    assert u.returncode == 0 and f'release "{release}" uninstalled' in u.stdout
    left = tools["kubectl"]("get", ",".join(kinds), "-n", release, "-o", "name").stdout.split()
    assert left == [], left
    assert tools["helm"]("list", "-n", release, "-q").stdout == ""


def test_sweep_classifies_errors() -> None:
    from tests.testing.sweep_charts import error_class

    assert error_class('x\nError: a "b" in [c d] at 12\n') == 'Error: a "X" in [X] at N'
    assert Path(CHARTS / "chronograf").is_dir()


def test_bare_replicas_is_defaulted_and_waited_for(tools: dict[str, Run], emulator: Cluster) -> None:
    """``replicas:`` with no value is a null the server drops and defaults to 1, so
    ``--wait`` sees the Deployment become available."""
    p = tools["helm"]("install", "slack", str(CHARTS / "kube-slack"), "-n", "slack",
                      "--create-namespace", "--wait", "--timeout", "20s")
    assert p.returncode == 0, p.stderr
    deploy = emulator.get("Deployment", "slack-kube-slack", namespace="slack")
    assert deploy is not None and deploy["spec"]["replicas"] == 1
    assert deploy["status"]["availableReplicas"] == 1

"""A kustomization installed as a release: built by kelm.kustomize, stored as Helm stores a
release (the oracle's helm lists, shows and uninstalls it), pruned by ``kelm uninstall``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.lifecycle.test_install import kelm_cli
from tests.lifecycle.test_uninstall import cluster, helm, needs_helm  # noqa: F401 - fixture

BASE = {
    "kustomization.yaml": "resources: [cm.yaml, deploy.yaml]\n",
    "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: base}\n",
    "deploy.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
        "    spec:\n      containers: [{name: c, image: nginx}]\n"),
}
OVERLAY = {
    "kustomization.yml": (
        "resources: [../base]\nnamePrefix: prod-\nlabels:\n- pairs: {env: prod}\n"
        "configMapGenerator:\n- name: extra\n  literals: [a=b]\n"),
}


@pytest.fixture(scope="module")
def overlay(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kustomize")
    for d, files in (("base", BASE), ("overlay", OVERLAY)):
        for name, text in files.items():
            (root / d).mkdir(exist_ok=True)
            (root / d / name).write_text(text)
    return root / "overlay"


@needs_helm
def test_overlay_is_a_release_helm_lists_and_uninstall_prunes(cluster, overlay,  # noqa: F811
                                                              tmp_path) -> None:
    r = kelm_cli(cluster, "install", "prod", str(overlay))
    assert r.returncode == 0, r.stderr
    assert "STATUS: deployed\nREVISION: 1\nDESCRIPTION: Install complete\n" in r.stdout
    listed = json.loads(helm(cluster, tmp_path, "list", "-o", "json").stdout)
    assert [(x["name"], x["chart"], x["status"]) for x in listed] == [
        ("prod", "overlay-0.0.0", "deployed")]
    meta = json.loads(helm(cluster, tmp_path, "get", "metadata", "prod", "-o", "json").stdout)
    assert meta["annotations"] == {"kelm.sh/source": "kustomization"}
    manifest = helm(cluster, tmp_path, "get", "manifest", "prod").stdout
    assert manifest.count("# Source: overlay/kustomization.yml\n") == 3
    assert manifest.index("kind: ConfigMap") < manifest.index("kind: Deployment")
    assert helm(cluster, tmp_path, "get", "hooks", "prod").stdout == ""
    cm = cluster.get("ConfigMap", "prod-settings")
    assert cm["metadata"]["labels"] == {"env": "prod", "app.kubernetes.io/managed-by": "Helm"}
    assert cm["metadata"]["annotations"]["meta.helm.sh/release-name"] == "prod"
    assert cluster.get("Deployment", "prod-web") is not None
    generated = [c["metadata"]["name"] for c in cluster.objects("ConfigMap", "default")
                 if c["metadata"]["name"].startswith("prod-extra-")]
    assert len(generated) == 1

    r = kelm_cli(cluster, "uninstall", "prod")
    assert (r.returncode, r.stdout) == (0, 'release "prod" uninstalled\n')
    assert cluster.get("ConfigMap", "prod-settings") is None
    assert cluster.get("ConfigMap", generated[0]) is None
    assert cluster.get("Deployment", "prod-web") is None
    assert helm(cluster, tmp_path, "list", "-q").stdout == ""


@needs_helm
def test_helm_uninstalls_a_kustomization_release(cluster, overlay, tmp_path) -> None:  # noqa: F811
    assert kelm_cli(cluster, "install", "stage", str(overlay), "-n", "kube-system",
                    "--description", "from kustomize").returncode == 0
    history = json.loads(helm(cluster, tmp_path, "history", "stage", "-n", "kube-system",
                              "-o", "json").stdout)
    assert [(h["revision"], h["status"], h["chart"], h["description"]) for h in history] == [
        (1, "deployed", "overlay-0.0.0", "from kustomize")]
    r = helm(cluster, tmp_path, "uninstall", "stage", "-n", "kube-system")
    assert r.returncode == 0, r.stderr
    assert cluster.get("Deployment", "prod-web", namespace="kube-system") is None


def test_dry_run_values_and_broken_kustomization(cluster, overlay, tmp_path) -> None:  # noqa: F811
    r = kelm_cli(cluster, "install", "dry", str(overlay), "--dry-run=client")
    assert r.returncode == 0, r.stderr
    assert "STATUS: pending-install\n" in r.stdout and "kind: Deployment" in r.stdout
    r = kelm_cli(cluster, "install", "vals", str(overlay), "--set", "a=b")
    assert (r.returncode, r.stderr) == (
        1, f"Error: INSTALLATION FAILED: {overlay} is a kustomization: it takes no values "
           "(-f, --set...)\n")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "Kustomization").write_text("resources: [missing.yaml]\n")
    r = kelm_cli(cluster, "install", "broken", str(broken))
    assert r.returncode == 1
    assert r.stderr.startswith(f"Error: INSTALLATION FAILED: kustomization {broken}: ")
    assert len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr
    assert cluster.objects("Secret", labels="owner=helm,name=broken") == []


def test_render_kustomization_offline(overlay, tmp_path) -> None:
    from kelm.action.kustomizerelease import is_kustomization, render_kustomization
    from kelm.release.model import Release

    assert is_kustomization(str(overlay)) and is_kustomization(str(overlay.parent / "base"))
    chart_dir = tmp_path / "both"
    chart_dir.mkdir()
    (chart_dir / "kustomization.yaml").write_text("resources: []\n")
    (chart_dir / "Chart.yaml").write_text("apiVersion: v2\nname: both\nversion: 1.0.0\n")
    assert not is_kustomization(str(chart_dir))  # a chart wins
    assert not is_kustomization(str(tmp_path / "nothing"))
    rendered = render_kustomization(str(overlay), "prod", "team")
    assert (rendered.name, rendered.namespace, rendered.hooks, rendered.config) == (
        "prod", "team", [], {})
    md = rendered.chart.metadata
    assert (md.name, md.version, md.api_version) == ("overlay", "0.0.0", "v2")
    assert [m.head.kind for m in rendered.manifests] == ["ConfigMap", "ConfigMap", "Deployment"]
    stored = Release.from_json(Release.from_render(rendered).to_json())
    assert stored.chart.metadata.annotations == {"kelm.sh/source": "kustomization"}
    assert stored.manifest == rendered.manifest


def test_upgrade_prunes_and_rollback_restores_an_overlay(cluster, overlay, tmp_path) -> None:  # noqa: F811
    import shutil

    work = tmp_path / "k"
    shutil.copytree(overlay.parent, work)
    ov = work / "overlay"
    assert kelm_cli(cluster, "install", "life", str(ov), "-n", "kube-public").returncode == 0
    # the overlay drops the generated ConfigMap and changes the base one
    (ov / "kustomization.yml").write_text("resources: [../base]\nnamePrefix: prod-\n")
    (work / "base" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: v2}\n")
    r = kelm_cli(cluster, "upgrade", "life", str(ov), "-n", "kube-public")
    assert r.returncode == 0, r.stderr
    assert "REVISION: 2\nDESCRIPTION: Upgrade complete\n" in r.stdout
    names = lambda: sorted(c["metadata"]["name"] for c in cluster.objects(  # noqa: E731
        "ConfigMap", "kube-public") if c["metadata"]["name"].startswith("prod-"))
    assert names() == ["prod-settings"]  # the generated one pruned
    assert cluster.get("ConfigMap", "prod-settings", namespace="kube-public")["data"] == {
        "mode": "v2"}
    r = kelm_cli(cluster, "rollback", "life", "1", "-n", "kube-public")
    assert r.returncode == 0, r.stderr
    assert cluster.get("ConfigMap", "prod-settings", namespace="kube-public")["data"] == {
        "mode": "base"}
    assert len(names()) == 2 and names()[0].startswith("prod-extra-")
    assert kelm_cli(cluster, "uninstall", "life", "-n", "kube-public").returncode == 0


def test_plan_and_render_of_a_kustomization(overlay) -> None:
    """The install action plans a kustomization only when the request allows it (install,
    upgrade); ``kelm template`` keeps Helm's "unable to detect chart"."""
    from kelm.action.install import InstallError, InstallRequest, plan_install, render_plan
    from kelm.action.kustomizerelease import KustomizationChart
    from tests.cli.runner import invoke

    req = InstallRequest(["web", str(overlay)], namespace="prod", kustomizations=True)
    plan = plan_install(req)
    assert isinstance(plan.chart, KustomizationChart) and plan.values == {}
    rel = render_plan(plan.chart, plan.values, plan.options)
    assert rel.namespace == "prod" and "name: prod-web" in rel.manifest
    with pytest.raises(InstallError, match="unable to detect chart at .*Chart.yaml"):
        plan_install(InstallRequest(["web", str(overlay)]))
    res = invoke(["template", "web", str(overlay)])
    assert res.exit_code == 1 and "unable to detect chart at" in res.stderr

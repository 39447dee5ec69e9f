"""`kelm template --preset` and `--post-renderer kustomize:DIR`: one pipeline, no second binary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from kelm.action.create import create_chart

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"
PRESET = EXAMPLES / "presets" / "allow-database.yaml"


def _template(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kelm", "template", "rel", "./web", *args],
        cwd=cwd, capture_output=True, text=True,
    )


def _docs(text: str) -> list[dict]:
    return [d for d in yaml.safe_load_all(text) if d]


def _deployment(text: str) -> dict:
    return next(d for d in _docs(text) if d["kind"] == "Deployment")


def test_presets_are_applied_to_matching_pod_templates(tmp_path):
    create_chart(tmp_path / "web")
    proc = _template(tmp_path, "-n", "shop", "--set", "podLabels.role=frontend",
                     "--preset", str(PRESET))
    assert proc.returncode == 0, proc.stderr
    pod = _deployment(proc.stdout)["spec"]["template"]
    container = pod["spec"]["containers"][0]
    assert {"name": "DB_PORT", "value": "6379"} in container["env"]
    assert container["envFrom"] == [{"configMapRef": {"name": "shop-settings"}}]
    assert {"name": "cache-volume", "mountPath": "/cache"} in container["volumeMounts"]
    assert {"name": "cache-volume", "emptyDir": {}} in pod["spec"]["volumes"]
    assert "podpreset.admission.kubernetes.io/podpreset-allow-database" in pod["metadata"]["annotations"]
    # the test hook pod has no role=frontend label: untouched
    assert "podpreset" not in proc.stdout.split("test-connection")[-1]


def test_presets_skip_pods_that_do_not_match(tmp_path):
    create_chart(tmp_path / "web")
    plain = _template(tmp_path, "-n", "shop")
    with_preset = _template(tmp_path, "-n", "shop", "--preset", str(PRESET))
    assert with_preset.returncode == 0
    assert with_preset.stdout == plain.stdout


def test_bad_preset_path_is_a_clean_error(tmp_path):
    create_chart(tmp_path / "web")
    proc = _template(tmp_path, "--preset", "missing.yaml")
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: ") and "Traceback" not in proc.stderr


def test_kustomize_post_renderer_runs_in_process(tmp_path):
    create_chart(tmp_path / "web")
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        "resources:\n- all.yaml\nnamePrefix: prod-\nlabels:\n- pairs:\n    env: prod\n"
    )
    proc = _template(tmp_path, "--post-renderer", "kustomize:overlay")
    assert proc.returncode == 0, proc.stderr
    dep = _deployment(proc.stdout)
    assert dep["metadata"]["name"] == "prod-rel-web"
    assert dep["metadata"]["labels"]["env"] == "prod"
    assert "# Source: web/templates/deployment.yaml" in proc.stdout


def test_kustomize_post_renderer_missing_dir(tmp_path):
    create_chart(tmp_path / "web")
    proc = _template(tmp_path, "--post-renderer", "kustomize:nowhere")
    assert proc.returncode == 1
    assert "kustomize post-renderer" in proc.stderr and "Traceback" not in proc.stderr


def test_executable_post_renderer_with_args(tmp_path):
    """kelm runs an executable as post-renderer (Helm v4 takes plugins only): manifests on
    stdin, --post-renderer-args as its arguments, its stdout as the new manifests."""
    create_chart(tmp_path / "web")
    script = tmp_path / "rename.sh"
    script.write_text('#!/bin/sh\nsed "s/name: rel-web/name: $1-$2/"\n')
    script.chmod(0o755)
    proc = _template(tmp_path, "--post-renderer", str(script),
                     "--post-renderer-args", "renamed", "--post-renderer-args", "web")
    assert proc.returncode == 0, proc.stderr
    assert _deployment(proc.stdout)["metadata"]["name"] == "renamed-web"
    failing = tmp_path / "fail.sh"
    failing.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    failing.chmod(0o755)
    proc = _template(tmp_path, "--post-renderer", str(failing))
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: error while running post render on files: error "
                                  f"while running command {failing}. error output:\nbroken\n")

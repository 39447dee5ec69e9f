"""The ``kelm kustomize`` command: kubectl-style invocation, output and errors."""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import invoke

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: \"yes\"\n"


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "cm.yaml").write_text(CM)
    (tmp_path / "kustomization.yaml").write_text("resources: [cm.yaml]\nnamePrefix: p-\n")
    return tmp_path


def test_build_and_bare_dir_forms(tmp_path: Path) -> None:
    d = str(_tree(tmp_path))
    expected = 'apiVersion: v1\ndata:\n  k: "yes"\nkind: ConfigMap\nmetadata:\n  name: p-a\n'
    for args in (["kustomize", "build", d], ["kustomize", d],
                 ["kustomize", "--load-restrictor", "LoadRestrictionsNone", d]):
        res = invoke(args)
        assert res.exit_code == 0, res.output
        assert res.stdout == expected


def test_output_file(tmp_path: Path) -> None:
    (tmp_path / "k").mkdir()
    d = _tree(tmp_path / "k")
    out = tmp_path / "out.yaml"
    res = invoke(["kustomize", "build", str(d), "-o", str(out)])
    assert res.exit_code == 0 and res.stdout == ""
    assert out.read_text().endswith("name: p-a\n")


def test_error_goes_to_stderr_with_exit_1(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("resources: [missing.yaml]\n")
    res = invoke(["kustomize", str(tmp_path)])
    assert res.exit_code == 1
    assert res.stdout == ""
    assert res.stderr.startswith("error: accumulating resources: accumulation err=")
    assert "missing.yaml" in res.stderr


def test_deprecation_warning_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text(CM)
    (tmp_path / "kustomization.yaml").write_text("bases: []\nresources: [cm.yaml]\n")
    res = invoke(["kustomize", str(tmp_path)])
    assert res.exit_code == 0
    assert "# Warning: 'bases' is deprecated." in res.stderr
    assert res.stdout.startswith("apiVersion: v1")

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kelm.action.create import CreateError, create_chart

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "create" / "scaffold.json"


def test_create_writes_a_named_chart(tmp_path):
    chart = create_chart(tmp_path / "web")
    files = sorted(str(p.relative_to(chart)) for p in chart.rglob("*") if p.is_file())
    assert ".helmignore" in files and "values.yaml" in files
    assert "templates/_helpers.tpl" in files and "templates/tests/test-connection.yaml" in files
    assert "name: web\n" in (chart / "Chart.yaml").read_text()
    for f in chart.rglob("*"):
        if f.is_file():
            assert "<CHARTNAME>" not in f.read_text()
    assert 'define "web.fullname"' in (chart / "templates" / "_helpers.tpl").read_text()


@pytest.mark.parametrize("bad", ["Bad_Name", "-x", "a b"])
def test_create_rejects_bad_names(tmp_path, bad):
    with pytest.raises(CreateError):
        create_chart(tmp_path / bad)


def test_cli_create(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "kelm", "create", "shop"], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "Creating shop\n"
    assert (tmp_path / "shop" / "templates" / "deployment.yaml").is_file()


def _golden_cases():
    return json.loads(GOLDEN.read_text())["cases"]


@pytest.mark.parametrize("case", _golden_cases(), ids=lambda c: ",".join(c["set"]) or "default")
def test_scaffold_renders_like_helm(tmp_path, case):
    """The created chart renders what Helm printed for it (recorded from the oracle)."""
    pytest.importorskip("kelm.cli.template")
    create_chart(tmp_path / "demo")
    cmd = [sys.executable, "-m", "kelm", "template", "rel", "./demo"]
    for s in case["set"]:
        cmd += ["--set", s]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == case["output"]

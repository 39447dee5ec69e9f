"""`kelm dependency list|build|update` against Helm v4.1.4 (recorded goldens), offline:
local ``charts/`` folders, ``file://`` directories and a chart repository served over http
on 127.0.0.1 by the test itself."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.action.dependency_cases import CASES, normalise, serve, snapshot, write_case
from tests.action.test_package import run_kelm
from tests.cli.runner import kelm_named
from tests.shared import SHARED, needs_shared

GOLDEN = json.loads(
    (Path(__file__).resolve().parents[1] / "golden" / "dependency" / "scratch.json").read_text()
)


def _runner(step: list[str]):  # type: ignore[no-untyped-def]
    from kelm.cli import dependency as dep

    sub = step[0]
    fn = {"list": dep.run_list, "ls": dep.run_list, "build": dep.run_build,
          "update": dep.run_update, "up": dep.run_update}[sub]
    return fn, step[1:]


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_dependency_case(name: str, tmp_path: Path) -> None:
    root = str(tmp_path)
    os.makedirs(os.path.join(root, "repo"), exist_ok=True)
    with serve(os.path.join(root, "repo")) as port:
        write_case(root, CASES[name]["files"], port)  # type: ignore[arg-type]
        for i, want in enumerate(GOLDEN[name]):
            fn, args = _runner(want["args"])
            out, err, code = run_kelm(fn, args, root)
            where = f"step {i} {want['args']}"
            assert normalise(out, root, port) == want["stdout"], where
            assert normalise(err, root, port) == kelm_named(want["stderr"]), where
            assert code == want["exit_code"], where
            state = json.loads(normalise(json.dumps(snapshot(root)), root, port))
            assert state == want["state"], where


def test_lock_digest_and_time_format() -> None:
    from kelm.action.dependency import go_now, hash_req
    from kelm.chart.model import Dependency

    req = [Dependency(name="sub", version="0.1.0", repository="file://../sub"),
           Dependency(name="local", version="*")]
    assert hash_req(req, req) == (
        "sha256:f204adaf1b95365bd0bd13613ca3c52606467b72f53662aeccf92b3e2d3a1c50")
    stamp = go_now()
    assert stamp[4] == "-" and stamp[10] == "T" and (stamp.endswith("Z") or stamp[-6] in "+-")


def test_absolute_file_repository(tmp_path: Path) -> None:
    from kelm.action.dependency import Manager
    from kelm.chart import load_chart

    write_case(str(tmp_path), {
        "abs/Chart.yaml": "apiVersion: v2\nname: abs\nversion: 3.0.0\n",
        "p/Chart.yaml": ("apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n"
                         f"  - name: abs\n    version: '>=3'\n    repository: file://{tmp_path}/abs\n"),
    }, 0)
    Manager(str(tmp_path / "p")).update()
    assert (tmp_path / "p" / "charts" / "abs-3.0.0.tgz").exists()
    lock = (tmp_path / "p" / "Chart.lock").read_text()
    assert f"repository: file://{tmp_path}/abs\n  version: 3.0.0" in lock
    assert load_chart(str(tmp_path / "p")).dependencies[0].name == "abs"


CORPUS_LIST = Path(__file__).resolve().parents[1] / "golden" / "dependency" / "corpus_list.json"


@needs_shared(SHARED / "charts" / "charts", "the shared chart corpus")
def test_dependency_list_over_corpus() -> None:
    from kelm.cli.dependency import run_list

    base = SHARED / "charts"
    want = json.loads(CORPUS_LIST.read_text())
    bad = []
    for name, case in sorted(want.items()):
        if not (base / "charts" / name).is_dir():
            continue
        out, err, code = run_kelm(run_list, [f"charts/{name}"], str(base))
        if (out, err, code) != (case["stdout"], case["stderr"], case["exit_code"]):
            bad.append(name)
    assert not bad, f"{len(bad)}/{len(want)} differ: {bad[:10]}"

"""kelm against recordings of kubectl v1.35.2 and Helm v4.1.4 (tests/kube/record_golden.py)."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
import yaml

from kelm.kube import Client, ConfigFlags, KubeError, load_config, load_kubeconfig
from tests.kube.record_golden import CASES, GOLDEN, kubeconfig_for, merge_files


def test_merge_matches_kubectl_config_view(tmp_path: Path):
    paths = []
    for i, doc in enumerate(merge_files()):
        p = tmp_path / f"k{i}.yaml"
        p.write_text(yaml.safe_dump(doc))
        paths.append(str(p))
    paths.insert(1, str(tmp_path / "missing.yaml"))
    want = json.loads((GOLDEN / "merge.json").read_text())
    got = load_kubeconfig(env={"KUBECONFIG": os.pathsep.join(paths)})

    def resolved(body: dict) -> dict:
        # kubectl shows paths as written; kelm resolves them against their file
        return {k: (os.path.join(str(tmp_path), v) if k in (
            "certificate-authority", "client-certificate", "client-key") and not
            v.startswith("/") else v) for k, v in body.items()}

    for section, key, table in (("clusters", "cluster", got.clusters),
                                ("users", "user", got.users),
                                ("contexts", "context", got.contexts)):
        assert {i["name"]: resolved(i[key]) for i in want[section]} == table, section
    assert got.current_context == want["current-context"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("name", sorted(CASES))
def test_helm_error_lines(name: str, tmp_path: Path, monkeypatch):
    want = json.loads((GOLDEN / "helm_errors.json").read_text())[name]
    args, kind = CASES[name]
    port = _free_port()
    flags = ConfigFlags(kubeconfig=str(tmp_path / f"{name}.yaml"))
    if kind is not None:
        (tmp_path / f"{name}.yaml").write_text(kubeconfig_for(kind, tmp_path, port))
    for flag, value in zip(args[1::2], args[2::2], strict=False):
        if flag == "--kube-context":
            flags.context = value
        if flag == "--kubeconfig":
            flags.kubeconfig = value.replace("{dir}", str(tmp_path))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    try:
        Client(load_config(flags, env={"HOME": str(tmp_path)}), cache_dir="").check_reachable()
        message = "no error"
    except KubeError as e:
        text = str(e)
        prefix = "kubernetes cluster unreachable: "
        message = "Error: " + (text if text.startswith(prefix) else prefix + text) + "\n"
    expected = want["stderr"].replace("{dir}", str(tmp_path)).replace("{port}", str(port))
    assert message == expected

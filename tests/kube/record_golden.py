"""Record what kubectl v1.35.2 and Helm v4.1.4 do with kubeconfig files and bad clusters.

    python tests/kube/record_golden.py      # needs ../shared/tools/oracle; writes golden/*.json

The cases live in :data:`CASES` (shared with test_golden.py); temporary paths and ports are
replaced by ``{dir}`` and ``{port}`` so the files are stable.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
REPO = HERE.parent.parent


def merge_files() -> list[dict[str, Any]]:
    """Three kubeconfig files that overlap in every way the merge rules cover."""
    return [
        {"apiVersion": "v1", "kind": "Config", "preferences": {},
         "clusters": [{"name": "shared", "cluster": {"server": "https://first:6443",
                                                     "certificate-authority": "ca.pem"}}],
         "users": [{"name": "u", "user": {"token": "first"}}],
         "contexts": [{"name": "a", "context": {"cluster": "shared", "user": "u",
                                                "namespace": "ns-a"}}]},
        {"apiVersion": "v1", "kind": "Config", "current-context": "b",
         "clusters": [{"name": "shared", "cluster": {"server": "https://second:6443",
                                                     "insecure-skip-tls-verify": True}},
                      {"name": "second-only", "cluster": {"server": "https://s2:1"}}],
         "users": [{"name": "u", "user": {"token": "second", "username": "leak"}},
                   {"name": "u2", "user": {"client-certificate": "sub/c.crt",
                                           "client-key": "/abs/c.key"}}],
         "contexts": [{"name": "b", "context": {"cluster": "second-only", "user": "u2"}},
                      {"name": "a", "context": {"cluster": "nothing"}}]},
        {"apiVersion": "v1", "kind": "Config", "current-context": "a",
         "clusters": [{"name": "third", "cluster": {"server": "https://t:1"}}],
         "users": [], "contexts": []},
    ]


CASES = {
    # helm invocation (after the binary), the kubeconfig it gets (None: a missing file)
    "closed-port": (["list"], "closed"),
    "missing-context": (["list", "--kube-context", "nope"], "closed"),
    "missing-file": (["list", "--kubeconfig", "{dir}/nope.yaml"], None),
    "bad-yaml": (["list"], "bad"),
    "invalid-config": (["list"], "invalid"),
    "exec-not-found": (["list"], "exec-missing"),
    "exec-fails": (["list"], "exec-fails"),
}


def kubeconfig_for(kind: str, folder: Path, port: int) -> str:
    """The kubeconfig text of one helm case."""
    base = {"apiVersion": "v1", "kind": "Config", "current-context": "x",
            "clusters": [{"name": "c", "cluster": {"server": f"https://127.0.0.1:{port}"}}],
            "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
            "users": [{"name": "u", "user": {"token": "abc"}}]}
    if kind == "bad":
        return "foo: [\n"
    if kind == "invalid":
        base["clusters"][0]["cluster"]["certificate-authority"] = "/nonexist/ca.pem"
        base["users"][0]["user"] = {"token": "abc", "username": "a", "password": "b"}
    if kind == "exec-missing":
        base["users"][0]["user"] = {"exec": {"apiVersion": "client.authentication.k8s.io/v1",
                                             "command": "kelm-no-such-plugin",
                                             "interactiveMode": "Never"}}
    if kind == "exec-fails":
        base["users"][0]["user"] = {"exec": {"apiVersion": "client.authentication.k8s.io/v1",
                                             "command": "/bin/false", "interactiveMode": "Never"}}
    return yaml.safe_dump(base)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    bindir = subprocess.run([str(REPO.parent / "shared" / "tools" / "oracle")], check=True,
                            capture_output=True, text=True).stdout.strip().splitlines()[-1]
    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(folder)}
        # merge rules, as `kubectl config view` shows the merged config
        paths = []
        for i, doc in enumerate(merge_files()):
            p = folder / f"k{i}.yaml"
            p.write_text(yaml.safe_dump(doc))
            paths.append(str(p))
        paths.insert(1, str(folder / "missing.yaml"))
        out = subprocess.run([f"{bindir}/kubectl", "config", "view", "--raw", "-o", "json"],
                             env={**env, "KUBECONFIG": os.pathsep.join(paths)},
                             capture_output=True, text=True, check=True).stdout
        (GOLDEN / "merge.json").write_text(out.replace(tmp, "{dir}"))
        # helm's one-line errors
        lines = {}
        for name, (args, kind) in CASES.items():
            port = free_port()
            cfg = folder / f"{name}.yaml"
            if kind is not None:
                cfg.write_text(kubeconfig_for(kind, folder, port))
            run = [f"{bindir}/helm", *[a.replace("{dir}", tmp) for a in args]]
            if "--kubeconfig" not in args:
                run += ["--kubeconfig", str(cfg)]
            res = subprocess.run(run, env=env, capture_output=True, text=True)
            text = res.stderr.replace(tmp, "{dir}").replace(str(port), "{port}")
            lines[name] = {"exit": res.returncode, "stderr": text}
        (GOLDEN / "helm_errors.json").write_text(json.dumps(lines, indent=1) + "\n")
    print(f"wrote {GOLDEN}", file=sys.stderr)


if __name__ == "__main__":
    main()

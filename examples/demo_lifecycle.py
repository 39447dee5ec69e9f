"""A release's life against the embedded Kubernetes API emulator (kelm.testing), no real
cluster: install the bundled chart, upgrade it, roll it back, list and inspect it, uninstall.

The emulator speaks the Kubernetes REST protocol on 127.0.0.1; kelm talks to it through the
kubeconfig it writes, exactly as it would talk to a real cluster (and helm could too).
"""

import os
import pathlib
import subprocess
import sys

import kelm.testing

chart = pathlib.Path(__file__).parent / "chart"


def run(env: dict[str, str], *args: str, show: bool = True) -> None:
    print("$ kelm " + " ".join(args))
    proc = subprocess.run([sys.executable, "-m", "kelm", *args], capture_output=True,
                          text=True, env=env)
    if show:
        # LAST DEPLOYED / UPDATED change every run; the rest is what helm prints
        sys.stdout.write(proc.stdout)
    if proc.returncode:
        sys.stdout.write(proc.stderr)
        raise SystemExit(f"kelm {args[0]} failed ({proc.returncode})")


with kelm.testing.cluster() as c:
    print(f"(emulator at {c.url})")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBECONFIG"))}
    env.update(c.env())
    run(env, "install", "shop", str(chart), "-n", "shop", "--create-namespace", "--wait",
         "--timeout", "30s", "--hide-notes")
    print()
    run(env, "upgrade", "shop", str(chart), "-n", "shop", "--set", "replicaCount=3",
         "--wait", "--timeout", "30s", "--hide-notes")
    deploys = c.objects("Deployment", namespace="shop")
    print("replicas now:", {d["metadata"]["name"]: d["spec"]["replicas"] for d in deploys})
    print()
    run(env, "rollback", "shop", "1", "-n", "shop")
    run(env, "history", "shop", "-n", "shop")
    print()
    run(env, "list", "-A")
    print()
    run(env, "get", "values", "shop", "-n", "shop", "--revision", "2")
    print()
    run(env, "uninstall", "shop", "-n", "shop")
    left = [o["metadata"]["name"] for o in c.objects("Deployment", namespace="shop")]
    print("deployments left in shop:", left)

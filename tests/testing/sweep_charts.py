"""Install every corpus chart (its ``NAME--default`` case) with the oracle's helm into one
emulator, each into a fresh namespace, and count the outcomes by error class.

    python -m tests.testing.sweep_charts [--only NAME,...] [--json OUT] [--uninstall] [--wait]

Not a test: a survey of how far real charts get, to compare the emulator with a real
server's answers. Charts whose ``helm template`` fails (per cases.json) are skipped."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from kelm.testing import cluster
from tests.shared import SHARED, OracleTool

CORPUS = SHARED / "charts"


def default_cases() -> list[str]:
    """Chart names whose default values render (exit code 0 in cases.json)."""
    cases = json.loads((CORPUS / "cases.json").read_text())["cases"]
    return [c["id"].removesuffix("--default") for c in cases
            if c["id"].endswith("--default") and c["exit_code"] == 0]


def error_class(stderr: str) -> str:
    """The first ``Error:`` line with names, numbers and quoted values generalised."""
    line = next((ln for ln in stderr.splitlines() if ln.startswith("Error:")), stderr.strip()[:200])
    line = re.sub(r'"[^"]*"', '"X"', line)
    line = re.sub(r"\[[^\]]*\]", "[X]", line)
    return re.sub(r"\d+", "N", line)[:220]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--json", default="")
    ap.add_argument("--uninstall", action="store_true")
    ap.add_argument("--timeout", default="20s")
    ap.add_argument("--wait", action="store_true", help="install with --wait (the simulator)")
    args = ap.parse_args(argv)
    helm = str(OracleTool("helm-isolated"))
    kubectl = str(OracleTool("kubectl"))
    names = args.only.split(",") if args.only else default_cases()
    results: dict[str, dict[str, str | int]] = {}
    with cluster() as c, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KUBECONFIG": str(c.kubeconfig_path), "HOME": tmp}
        start = time.monotonic()
        for i, name in enumerate(names):
            ns = f"sweep-{i}"
            p = subprocess.run([helm, "install", f"r{i}", str(CORPUS / "charts" / name), "-n", ns,
                                "--create-namespace", "--timeout", args.timeout,
                                *(["--wait"] if args.wait else [])],
                               capture_output=True, text=True, env=env, timeout=120)
            err = "" if p.returncode == 0 else error_class(p.stderr)
            results[name] = {"rc": p.returncode, "class": err,
                             "stderr": p.stderr.strip()[-600:] if p.returncode else ""}
            print(f"{name}: {'ok' if p.returncode == 0 else err}", flush=True)
        g = subprocess.run([kubectl, "get", "all", "-A"], capture_output=True, text=True, env=env)
        print(f"kubectl get all -A: rc={g.returncode}, {len(g.stdout.splitlines())} lines"
              f"{' ' + g.stderr.strip()[:300] if g.returncode else ''}")
        kinds = subprocess.run([kubectl, "api-resources", "--verbs=list", "-o", "name"],
                               capture_output=True, text=True, env=env).stdout.split()
        listed = 0
        for kind in kinds:
            k = subprocess.run([kubectl, "get", kind, "-A"], capture_output=True, text=True, env=env)
            if k.returncode:
                print(f"kubectl get {kind} -A: rc={k.returncode} {k.stderr.strip()[:300]}")
            listed += max(0, len(k.stdout.splitlines()) - 1)
        print(f"kubectl get KIND -A for {len(kinds)} kinds: {listed} objects listed")
        if args.uninstall:
            for i, name in enumerate(names):
                if results[name]["rc"] != 0:
                    continue
                u = subprocess.run([helm, "uninstall", f"r{i}", "-n", f"sweep-{i}"],
                                   capture_output=True, text=True, env=env, timeout=120)
                results[name]["uninstall"] = u.returncode
                if u.returncode:
                    results[name]["uninstall_stderr"] = u.stderr.strip()[-400:]
            left = subprocess.run([helm, "list", "-A", "-q"], capture_output=True, text=True,
                                  env=env).stdout.split()
            print(f"releases left after uninstall: {len(left)}")
        seconds = time.monotonic() - start
    ok = sum(1 for r in results.values() if r["rc"] == 0)
    print(f"\n{ok} installed, {len(results) - ok} failed of {len(results)} ({seconds:.0f} s)")
    for cls, n in Counter(str(r["class"]) for r in results.values() if r["rc"]).most_common():
        print(f"{n:4d}  {cls}")
    if args.uninstall:
        bad = [n for n, r in results.items() if r.get("uninstall")]
        print(f"uninstall failures: {len(bad)} {bad}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

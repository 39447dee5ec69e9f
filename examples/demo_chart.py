"""Render the bundled demo chart (examples/chart) with `kelm template`, as Helm would.

Shows subcharts, globals, include/tpl, --set and --show-only; everything runs offline.
"""

import pathlib
import subprocess
import sys

chart = pathlib.Path(__file__).parent / "chart"


def kelm(*args: str) -> None:
    print("$ kelm " + " ".join(args))
    proc = subprocess.run([sys.executable, "-m", "kelm", *args], capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    if proc.returncode:
        sys.stdout.write(proc.stderr)


kelm("template", "demo", str(chart), "--namespace", "shop")
print()
kelm("template", "demo", str(chart), "--set", "cache.enabled=false,replicaCount=3",
     "--show-only", "templates/deployment.yaml")

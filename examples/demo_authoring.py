"""Chart authoring with kelm, offline: lint, dependency update/list, package.

Works on a copy of examples/authoring (a chart ``shop`` with a ``file://../cache``
dependency) so the bundled files stay untouched.
"""

import pathlib
import shutil
import subprocess
import sys
import tempfile

src = pathlib.Path(__file__).parent / "authoring"


def kelm(*args: str, cwd: str) -> None:
    print("$ kelm " + " ".join(args))
    proc = subprocess.run([sys.executable, "-m", "kelm", *args], cwd=cwd,
                          capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    sys.stdout.write(proc.stderr)


with tempfile.TemporaryDirectory() as tmp:
    shutil.copytree(src, tmp, dirs_exist_ok=True)
    kelm("lint", "shop", cwd=tmp)
    kelm("dependency", "update", "shop", cwd=tmp)
    kelm("dependency", "list", "shop", cwd=tmp)
    kelm("lint", "shop", "--strict", "--kube-version", "1.20.0", cwd=tmp)
    kelm("package", "shop", "--version", "0.3.1", "-d", "dist", cwd=tmp)
    kelm("template", "demo", "dist/shop-0.3.1.tgz",
         "--show-only", "charts/cache/templates/service.yaml", cwd=tmp)

"""A chart repository on loopback: package the bundled chart, index it, serve it, add it,
search it and render a chart from it by REPO/NAME — kelm's repository files are Helm's
(repositories.yaml, the index cache), here in a temporary HELM_* home.
"""

import functools
import http.server
import os
import pathlib
import subprocess
import sys
import tempfile
import threading

chart = pathlib.Path(__file__).parent / "chart"


def run(env: dict[str, str], *args: str) -> str:
    print("$ kelm " + " ".join(args))
    proc = subprocess.run([sys.executable, "-m", "kelm", *args], capture_output=True,
                          text=True, env=env)
    if proc.returncode:
        sys.stdout.write(proc.stdout + proc.stderr)
        raise SystemExit(f"kelm {args[0]} failed ({proc.returncode})")
    return proc.stdout


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


with tempfile.TemporaryDirectory() as tmp:
    root = pathlib.Path(tmp)
    site = root / "site"
    site.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELM_")}
    env.update(HELM_CONFIG_HOME=str(root / "config"), HELM_CACHE_HOME=str(root / "cache"),
               HELM_DATA_HOME=str(root / "data"))
    sys.stdout.write(run(env, "package", str(chart), "-d", str(site), "--version", "1.2.0"))
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        run(env, "repo", "index", str(site), "--url", url)
        sys.stdout.write(run(env, "repo", "add", "local", url))
        sys.stdout.write(run(env, "search", "repo", "web"))
        out = run(env, "template", "shop", "local/webapp", "--version", "^1",
                  "--show-only", "templates/service.yaml")
        sys.stdout.write(out)
    finally:
        server.shutdown()

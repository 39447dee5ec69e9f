"""Chart repositories at scale: ``repo add``, ``search repo`` and ``install repo/name
--dry-run=client`` over a generated index of 20,000 chart versions served on loopback, kelm vs
the oracle's helm in one run: wall time and peak memory (max RSS of the command's process).

Each tool gets its own HELM_CONFIG_HOME/HELM_CACHE_HOME; ``repo add`` fills its cache (kelm
also remembers the parsed index in its machine cache, as every kelm command that reads an
index does), then the search and install commands run ``--reps`` times (best wall, highest
peak).  Target: kelm <= 0.5x helm on both for search and install.
Usage: python benchmarks/repo_bench.py [--reps N] [--charts N --versions N]
"""

from __future__ import annotations

import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
from tests.shared import HELM  # noqa: E402

_SCRIPT = Path(sys.executable).with_name("kelm")
KELM = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "kelm"]


def generate(root: Path, charts: int, versions: int) -> int:
    """index.yaml with ``charts`` x ``versions`` entries (Helm's layout and fields), plus one
    real chart ``bench-app`` to install; returns the number of versions."""
    from kelm.action.package import PackageOptions, package_chart

    src = root / "src" / "bench-app"
    (src / "templates").mkdir(parents=True)
    (src / "Chart.yaml").write_text("apiVersion: v2\nname: bench-app\nversion: 1.0.0\n"
                                    "appVersion: \"2.0\"\ndescription: the benchmark's chart\n")
    (src / "values.yaml").write_text("replicas: 2\n")
    (src / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
        "data:\n  replicas: {{ .Values.replicas | quote }}\n")
    archive = Path(package_chart(str(src), PackageOptions(destination=str(root))))
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    out = ["apiVersion: v1", "entries:", "  bench-app:", "  - apiVersion: v2",
           '    appVersion: "2.0"', '    created: "2024-01-01T00:00:00Z"',
           "    description: the benchmark's chart", f"    digest: {digest}",
           "    name: bench-app", "    urls:", f"    - {archive.name}", "    version: 1.0.0"]
    for c in range(charts):
        name = f"chart-{c:04d}"
        out.append(f"  {name}:")
        for v in range(versions):
            ver = f"{v // 10}.{v % 10}.{c % 7}"
            d = hashlib.sha256(f"{name}{ver}".encode()).hexdigest()
            out += [
                "  - annotations:", "      category: Infrastructure", "    apiVersion: v2",
                f"    appVersion: {v}.{c % 13}.0",
                f'    created: "2024-01-{1 + v % 28:02d}T10:00:00.000000000Z"',
                f"    description: Chart number {c} for application {name} deployed on "
                "Kubernetes clusters",
                f"    digest: {d}", f"    home: https://example.com/{name}",
                f"    icon: https://example.com/{name}/icon.png",
                "    keywords:", f"    - {name}", "    - web", "    - database",
                "    maintainers:", "    - email: team@example.com", "      name: Team",
                f"    name: {name}", "    sources:", f"    - https://github.com/example/{name}",
                "    type: application", "    urls:", f"    - charts/{name}-{ver}.tgz",
                f"    version: {ver}",
            ]
    out.append('generated: "2024-02-01T00:00:00Z"')
    (root / "index.yaml").write_text("\n".join(out) + "\n")
    shutil.rmtree(root / "src")
    return charts * versions + 1


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = lambda *a, **kw: _Quiet(*a, directory=str(root), **kw)  # noqa: E731
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"


GNU_TIME = "/usr/bin/time"


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """(wall seconds, peak RSS bytes, exit code) of one command.  The peak comes from GNU
    time's %M when it is installed: a child forked straight from this (large) process would
    count this process's pages in its own maximum RSS until it execs."""
    timed = os.path.exists(GNU_TIME)
    argv = [GNU_TIME, "-f", "%M", *cmd] if timed else cmd
    t = time.perf_counter()
    p = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode() if p.stderr else ""
    peak = usage.ru_maxrss * 1024
    if timed:
        lines = err.strip().splitlines()
        peak = int(lines[-1]) * 1024 if lines and lines[-1].isdigit() else peak
        if code == 0 and lines:
            err = ""
    if code:
        sys.stderr.write(f"{' '.join(cmd)}: exit {code}: {err[-500:]}\n")
    return wall, peak, code


def env_for(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KELM_"))}
    env.update(HELM_CONFIG_HOME=str(home / "config"), HELM_CACHE_HOME=str(home / "cache"),
               HELM_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "xdg"))
    return env


def main() -> None:
    args = sys.argv[1:]

    def opt(name: str, default: int) -> int:
        return int(args[args.index(name) + 1]) if name in args else default

    reps, n_charts, n_versions = opt("--reps", 3), opt("--charts", 1000), opt("--versions", 20)
    helm = str(Path(str(HELM)).parent / "helm")
    have_helm = os.path.exists(helm)
    with tempfile.TemporaryDirectory(prefix="kelm-repo-bench-") as d:
        tmp = Path(d)
        total = generate(tmp / "srv", n_charts, n_versions)
        size = (tmp / "srv" / "index.yaml").stat().st_size
        srv, url = serve(tmp / "srv")
        print(f"index: {total} chart versions, {size / 1e6:.1f} MB", flush=True)
        tools = {"kelm": KELM, **({"helm": [helm]} if have_helm else {})}
        jobs = {
            "repo add": ["repo", "add", "big", url],
            "search repo": ["search", "repo", "database"],
            "search repo -l": ["search", "repo", "chart-09", "-l"],
            "install --dry-run": ["install", "demo", "big/bench-app", "--dry-run=client"],
        }
        results: dict[str, dict[str, tuple[float, int]]] = {}
        try:
            for tool, cmd in tools.items():
                env = env_for(tmp / tool)
                for job, argv in jobs.items():
                    best_w, peak = float("inf"), 0
                    for _ in range(1 if job == "repo add" else reps):
                        w, m, rc = run([*cmd, *argv], env)
                        if rc:
                            best_w = float("nan")
                            break
                        best_w, peak = min(best_w, w), max(peak, m)
                    results.setdefault(job, {})[tool] = (best_w, peak)
        finally:
            srv.shutdown()
            srv.server_close()
    failed = False
    for job, by_tool in results.items():
        kw, km = by_tool["kelm"]
        line = f"{job:<18} kelm {kw * 1000:7.0f} ms {km / 2**20:6.0f} MiB"
        if "helm" in by_tool:
            hw, hm = by_tool["helm"]
            rw, rm = kw / hw, km / hm
            line += (f" | helm {hw * 1000:7.0f} ms {hm / 2**20:6.0f} MiB | ratio wall "
                     f"{rw:4.2f}x peak {rm:4.2f}x")
            if job != "repo add" and (rw > 0.5 or rm > 0.5):
                line += "  (above the 0.5x target)"
        print(line, flush=True)
        failed |= kw != kw
    if not have_helm:
        print("helm not available: kelm figures only")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

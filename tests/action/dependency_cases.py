"""Scratch cases for ``kelm dependency`` goldens: files plus a sequence of commands.

Each case runs in a fresh directory; ``$PORT`` in files and outputs stands for a local HTTP
chart repository started for the case (serving ``repo/``).  After every step the recorder
keeps the normalised lock file and the content of ``parent/charts``.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import io
import os
import re
import tarfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

MTIME = 1_700_000_000.0


def chart_yaml(name: str, version: str, deps: str = "", api: str = "v2") -> str:
    text = f"apiVersion: {api}\nname: {name}\nversion: {version}\n"
    return text + (f"dependencies:\n{deps}" if deps else "")


def dep(name: str, version: str, repo: str | None = None, extra: str = "") -> str:
    text = f"  - name: {name}\n    version: \"{version}\"\n"
    if repo is not None:
        text += f"    repository: \"{repo}\"\n"
    return text + extra


CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}\n"


def sub(name: str, version: str, prefix: str) -> dict[str, str]:
    return {f"{prefix}/Chart.yaml": chart_yaml(name, version),
            f"{prefix}/templates/cm.yaml": CM, f"{prefix}/values.yaml": "a: 1\n"}


def tgz(name: str, version: str, top: str | None = None) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.USTAR_FORMAT) as tf:
        for rel, text in sub(name, version, top or name).items():
            data = text.encode()
            info = tarfile.TarInfo(rel)
            info.size, info.mtime, info.mode = len(data), int(MTIME), 0o644
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def index_yaml(entries: list[tuple[str, str, bytes]]) -> str:
    lines = ["apiVersion: v1", "entries:"]
    by_name: dict[str, list[tuple[str, bytes]]] = {}
    for name, version, data in entries:
        by_name.setdefault(name, []).append((version, data))
    for name, versions in by_name.items():
        lines.append(f"  {name}:")
        for version, data in versions:
            lines += ["  - apiVersion: v2", f"    name: {name}", f"    version: {version}",
                      f"    digest: {hashlib.sha256(data).hexdigest()}",
                      f"    urls:\n    - charts/{name}-{version}.tgz"]
    lines.append("generated: \"2024-01-01T00:00:00Z\"")
    return "\n".join(lines) + "\n"


def repo_files() -> dict[str, object]:
    charts = [("alpha", "1.0.0", tgz("alpha", "1.0.0")), ("alpha", "1.2.0", tgz("alpha", "1.2.0")),
              ("alpha", "2.0.0-beta.1", tgz("alpha", "2.0.0-beta.1")),
              ("beta", "0.3.0", tgz("beta", "0.3.0"))]
    files: dict[str, object] = {"repo/index.yaml": index_yaml(charts)}
    for name, version, data in charts:
        files[f"repo/charts/{name}-{version}.tgz"] = data
    return files


PARENT = "parent"
REPOS = ("apiVersion: \"\"\ngenerated: \"0001-01-01T00:00:00Z\"\nrepositories:\n"
         "- name: myrepo\n  url: http://127.0.0.1:$PORT\n")
REPO_FLAGS = ["--repository-config", "repos.yaml", "--repository-cache", "cache",
              "--content-cache", "content"]

CASES: dict[str, dict[str, object]] = {
    "list-statuses": {
        "files": {
            f"{PARENT}/Chart.yaml": chart_yaml("parent", "1.0.0", (
                dep("okdir", "1.x") + dep("wrongdir", "2.x") + dep("gone", "1.0.0", "file://x")
                + dep("okgz", "^0.1") + dep("wronggz", "~3.0") + dep("misnamed", "1.0.0")
                + dep("corrupt", "1.0.0") + dep("many", "*") + dep("badver", "nope")
                + dep("exact", "0.0.1"))),
            **sub("okdir", "1.5.0", f"{PARENT}/charts/okdir"),
            **sub("wrongdir", "1.0.0", f"{PARENT}/charts/wrongdir"),
            **sub("exact", "0.0.1", f"{PARENT}/charts/exact"),
            f"{PARENT}/charts/okgz-0.1.5.tgz": tgz("okgz", "0.1.5"),
            f"{PARENT}/charts/wronggz-1.0.0.tgz": tgz("wronggz", "1.0.0"),
            f"{PARENT}/charts/misnamed-1.0.0.tgz": tgz("other", "1.0.0"),
            f"{PARENT}/charts/many-1.0.0.tgz": tgz("many", "1.0.0"),
            f"{PARENT}/charts/many-1.1.0.tgz": tgz("many", "1.1.0"),
            f"{PARENT}/charts/badver-1.0.0.tgz": tgz("badver", "1.0.0"),
            **sub("extra", "1.0.0", f"{PARENT}/charts/extra"),
        },
        "steps": [["list", PARENT], ["ls", PARENT, "--max-col-width", "6"]],
    },
    "list-corrupt": {
        "files": {f"{PARENT}/Chart.yaml": chart_yaml("parent", "1.0.0", dep("c", "1.0.0")),
                  f"{PARENT}/charts/c-1.0.0.tgz": b"not a tarball"},
        "steps": [["list", PARENT]],
    },
    "list-junk": {
        "files": {f"{PARENT}/Chart.yaml": chart_yaml("parent", "1.0.0", dep("c", "1.0.0")),
                  f"{PARENT}/charts/notes.txt": "x\n"},
        "steps": [["list", PARENT]],
    },
    "list-none": {
        "files": {f"{PARENT}/Chart.yaml": chart_yaml("parent", "1.0.0")},
        "steps": [["list", PARENT], ["list", "nowhere"], ["list", PARENT, "extra"]],
    },
    "local-update-build": {
        "files": {
            f"{PARENT}/Chart.yaml": chart_yaml("parent", "1.0.0", (
                dep("sub", "~0.1.0", "file://../sub") + dep("local", ">=1.0.0")
                + dep("abs", "*", "file://../abs",
                      "    alias: other\n    condition: abs.enabled\n    tags: [t]\n"
                      "    import-values:\n      - data\n      - child: a.b\n"
                      "        parent: x\n"))),
            f"{PARENT}/templates/cm.yaml": CM,
            **sub("sub", "0.1.3", "sub"), **sub("abs", "3.0.0", "abs"),
            **sub("local", "1.2.0", f"{PARENT}/charts/local"),
            f"{PARENT}/charts/old-0.0.1.tgz": tgz("old", "0.0.1"),
            f"{PARENT}/charts/sub-0.0.9.tgz": tgz("sub", "0.0.9"),
        },
        "steps": [["update", PARENT], ["list", PARENT], ["build", PARENT, "--debug"],
                  ["up", PARENT]],
    },
    "build-out-of-sync": {
        "files": {
            f"{PARENT}/Chart.yaml": chart_yaml("parent", "1.0.0", dep("sub", "0.1.0",
                                                                     "file://../sub")),
            f"{PARENT}/Chart.lock": ("dependencies:\n- name: sub\n  repository: file://../sub\n"
                                     "  version: 0.1.0\ndigest: sha256:0000\n"
                                     "generated: \"2020-01-01T00:00:00Z\"\n"),
            **sub("sub", "0.1.0", "sub"),
        },
        "steps": [["build", PARENT]],
    },
    "build-without-lock": {
        "files": {f"{PARENT}/Chart.yaml": chart_yaml("parent", "1.0.0", dep("sub", "0.1.0",
                                                                           "file://../sub")),
                  **sub("sub", "0.1.0", "sub")},
        "steps": [["build", PARENT], ["build", PARENT]],
    },
    "v1-requirements": {
        "files": {f"{PARENT}/Chart.yaml": chart_yaml("parent", "1.0.0", api="v1"),
                  f"{PARENT}/requirements.yaml": "dependencies:\n" + dep("sub", "0.1.0",
                                                                        "file://../sub"),
                  **sub("sub", "0.1.0", "sub")},
        "steps": [["update", PARENT], ["build", PARENT]],
    },
    "errors": {
        "files": {
            "a/Chart.yaml": chart_yaml("a", "1.0.0", dep("sub", "0.1.0", "file://../none")),
            "b/Chart.yaml": chart_yaml("b", "1.0.0", dep("sub", "9.x", "file://../sub")),
            "c/Chart.yaml": chart_yaml("c", "1.0.0", dep("missing", "1.0.0")),
            "d/Chart.yaml": chart_yaml("d", "1.0.0", dep("sub", "[bad", "file://../sub")),
            "e/Chart.yaml": chart_yaml("e", "1.0.0", dep("sub", "1.0.0", "stable")),
            "f/Chart.yaml": chart_yaml("f", "1.0.0", dep("local", "2.x")),
            **sub("local", "1.0.0", "f/charts/local"),
            **sub("sub", "0.1.0", "sub"),
        },
        "steps": [["update", "a"], ["update", "b"], ["update", "c"], ["update", "d"],
                  ["update", "e"], ["update", "f"], ["build", "a"], ["update", "nowhere"],
                  ["update", "sub/values.yaml"]],
    },
    "http-repo": {
        "files": {
            **repo_files(),
            "repos.yaml": REPOS,
            f"{PARENT}/Chart.yaml": chart_yaml("parent", "1.0.0", (
                dep("alpha", "^1.0.0", "http://127.0.0.1:$PORT") + dep("beta", "0.x", "@myrepo")
                + dep("alpha", "1.0.0", "http://127.0.0.1:$PORT", "    alias: pinned\n"))),
        },
        "steps": [["update", PARENT, *REPO_FLAGS], ["list", PARENT],
                  ["build", PARENT, *REPO_FLAGS, "--skip-refresh"]],
    },
    "http-unmanaged": {
        "files": {
            **repo_files(),
            f"{PARENT}/Chart.yaml": chart_yaml("parent", "1.0.0", (
                dep("alpha", ">=1.1.0 <2.0.0", "http://127.0.0.1:$PORT/")
                + dep("beta", "9.9.9", "http://127.0.0.1:$PORT/"))),
            "other/Chart.yaml": chart_yaml("other", "1.0.0",
                                             dep("alpha", "1.2.0", "http://127.0.0.1:$PORT/")),
            "nohost/Chart.yaml": chart_yaml("nohost", "1.0.0",
                                             dep("alpha", "1.2.0", "http://127.0.0.1:1/")),
        },
        "steps": [["update", PARENT, *REPO_FLAGS], ["update", "other", *REPO_FLAGS],
                  ["build", "other", *REPO_FLAGS], ["update", "nohost", *REPO_FLAGS]],
    },
}


def write_case(root: str, files: dict[str, object], port: int) -> None:
    for rel, content in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(content, bytes):
            data = content
        else:
            data = str(content).replace("$PORT", str(port)).replace("$TMP", root).encode()
        with open(path, "wb") as fh:
            fh.write(data)
        os.utime(path, (MTIME, MTIME))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(directory: str) -> Iterator[int]:
    """A chart repository over http on 127.0.0.1 (serving ``directory``)."""
    handler = functools.partial(_Quiet, directory=directory)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    try:
        yield srv.server_address[1]
    finally:
        srv.shutdown()
        srv.server_close()


_GENERATED = re.compile(r'^generated: "?[0-9T:.+\-Z]+"?$', re.M)


def snapshot(root: str, chart_dirs: tuple[str, ...] = (PARENT, "other")) -> dict[str, object]:
    """Lock files (timestamp masked; digest too when it covers a random port) and charts/
    content after a step."""
    out: dict[str, object] = {}
    for cd in chart_dirs:
        for lock in ("Chart.lock", "requirements.lock"):
            p = os.path.join(root, cd, lock)
            if os.path.exists(p):
                text = open(p, encoding="utf-8").read()
                assert _GENERATED.search(text), text
                text = _GENERATED.sub("generated: $TIME", text)
                if "127.0.0.1:" in text:
                    text = re.sub(r"digest: sha256:[0-9a-f]+", "digest: $DIGEST", text)
                out[f"{cd}/{lock}"] = text
        charts = os.path.join(root, cd, "charts")
        if os.path.isdir(charts):
            listing = {}
            for name in sorted(os.listdir(charts)):
                p = os.path.join(charts, name)
                if os.path.isdir(p):
                    listing[name] = "dir"
                elif name.endswith(".tgz"):
                    try:
                        raw = gzip.decompress(open(p, "rb").read())
                        listing[name] = hashlib.sha256(raw).hexdigest()
                    except OSError:
                        listing[name] = "not gzip"
                else:
                    listing[name] = "file"
            out[f"{cd}/charts"] = listing
    return out


def normalise(text: str, root: str, port: int) -> str:
    text = text.replace(root, "$TMP").replace(f"127.0.0.1:{port}", "127.0.0.1:$PORT")
    text = re.sub(r"helm-manager-[0-9a-f]{64}", "helm-manager-$HASH", text)
    return re.sub(r"tmpcharts-\d+", "tmpcharts-$PID", text)

"""Scratch charts for ``kelm package`` goldens (shared by the recorder and the tests).

Every file gets a fixed mtime (with a fraction, to pin Go's rounding to the second), so the
recorded archives are reproducible.
"""

from __future__ import annotations

import io
import os
import tarfile

MTIME = 1_700_000_000.6
CHART = "apiVersion: v2\nname: demo\nversion: 0.1.0\ndescription: d\nappVersion: \"1.0\"\n"
SUB = "apiVersion: v2\nname: sub\nversion: 0.2.0\n"
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}-{{ .Values.x }}\n"
LONG = "templates/" + "d" * 60 + "/" + "f" * 70 + ".yaml"


def _sub_tgz() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.USTAR_FORMAT) as tf:
        for name, data in (("other/Chart.yaml", b"apiVersion: v2\nname: other\nversion: 1.2.3\n"),
                           ("other/templates/cm.yaml", CM.encode()),
                           ("other/values.yaml", b"x: o\n")):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 1_600_000_000, 0o600
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


CASES: dict[str, dict[str, object]] = {
    "basic": {
        "files": {"demo/Chart.yaml": CHART, "demo/values.yaml": "x: a\n",
                  "demo/templates/cm.yaml": CM, "demo/README.md": "# demo\n",
                  "demo/templates/NOTES.txt": "notes\n", "demo/empty.txt": ""},
        "args": ["demo"],
    },
    "ignore-and-nested": {
        "files": {"demo/Chart.yaml": CHART + "dependencies:\n  - name: sub\n    version: 0.2.0\n"
                  "  - name: other\n    version: ^1.0.0\n",
                  "demo/.helmignore": "*.bak\nsecret/\n", "demo/values.yaml": "x: a\n",
                  "demo/templates/cm.yaml": CM, "demo/a.bak": "no\n", "demo/secret/k": "no\n",
                  "demo/Chart.lock": ("dependencies:\n- name: sub\n  repository: \"\"\n"
                                      "  version: 0.2.0\ndigest: sha256:abc\n"
                                      "generated: \"2024-01-02T03:04:05.1234500+02:00\"\n"),
                  "demo/values.schema.json": '{"type": "object"}\n',
                  "demo/charts/sub/Chart.yaml": SUB, "demo/charts/sub/values.yaml": "x: s\n",
                  "demo/charts/sub/templates/cm.yaml": CM,
                  "demo/charts/other-1.2.3.tgz": _sub_tgz(),
                  "demo/" + LONG: CM, "demo/templates/ünï.yaml": CM},
        "args": ["demo", "-d", "out/dist"],
    },
    "overrides": {
        "files": {"demo/Chart.yaml": CHART + "keywords: [b, a]\nmaintainers:\n  - name: m\n"
                  "annotations:\n  z: \"1\"\n  a: b\nzzz: ignored\n",
                  "demo/templates/cm.yaml": CM},
        "args": ["demo", "--version", "2.0.0-rc.1+b", "--app-version", "v9", "-d", "."],
    },
    "v1-requirements": {
        "files": {"demo/Chart.yaml": "name: demo\nversion: 1.0.0\n",
                  "demo/requirements.yaml": "dependencies:\n  - name: sub\n    version: 0.2.0\n",
                  "demo/requirements.lock": "dependencies: []\ndigest: x\n",
                  "demo/charts/sub/Chart.yaml": SUB, "demo/templates/cm.yaml": CM},
        "args": ["demo"],
    },
    "missing-dependency": {
        "files": {"demo/Chart.yaml": CHART + "dependencies:\n  - name: gone\n    version: 1.0.0\n",
                  "demo/templates/cm.yaml": CM},
        "args": ["demo"],
    },
    "bad-version": {
        "files": {"demo/Chart.yaml": CHART, "demo/templates/cm.yaml": CM},
        "args": ["demo", "--version", "nope"],
    },
    "bad-schema": {
        "files": {"demo/Chart.yaml": CHART, "demo/values.schema.json": "{nope"},
        "args": ["demo"],
    },
    "dependency-update": {
        "files": {"demo/Chart.yaml": CHART + "dependencies:\n  - name: sub\n    version: 0.x\n"
                  "    repository: file://../sub\n",
                  "demo/templates/cm.yaml": CM, "sub/Chart.yaml": SUB,
                  "sub/templates/cm.yaml": CM, "sub/values.yaml": "x: s\n"},
        "args": ["demo", "-u", "-d", "out"],
    },
    "no-chart": {"files": {"demo/x.txt": "x\n"}, "args": ["demo"]},
    "missing-path": {"files": {}, "args": ["nowhere"]},
    "no-args": {"files": {}, "args": []},
    "two-charts": {
        "files": {"a/Chart.yaml": CHART.replace("demo", "a"), "b/Chart.yaml":
                  CHART.replace("demo", "b")},
        "args": ["a", "b", "-d", "out"],
    },
}


def write_case(root: str, files: dict[str, object]) -> None:
    for rel, content in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = content if isinstance(content, bytes) else str(content).encode()
        with open(path, "wb") as fh:
            fh.write(data)
        os.utime(path, (MTIME, MTIME))


def tar_listing(tgz: bytes) -> list[list[object]]:
    """[name, mode, mtime, size, sha256] per entry, in archive order."""
    import gzip
    import hashlib

    raw = gzip.decompress(tgz)
    out = []
    with tarfile.open(fileobj=io.BytesIO(raw)) as tf:
        for m in tf.getmembers():
            fobj = tf.extractfile(m)
            data = fobj.read() if fobj else b""
            out.append([m.name, m.mode, m.mtime, m.size, hashlib.sha256(data).hexdigest()])
    return out

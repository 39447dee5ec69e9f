"""Golden cases for the warnings Helm prints on stderr while it renders (see test_stderr.py).

Helm prints them as it goes, partly in Go map order, so the recorded stderr is compared as a
sorted list of lines.  ``links`` are symlinks to create (path -> target), which the plain golden
format (tests/golden/charts) cannot hold.  Re-record: python tests/render/stderr_cases.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.render.cases import CHART  # noqa: E402

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "stderr" / "warnings.json"

_DEPS = (
    "dependencies:\n- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n"
    "- name: sub\n  alias: other\n  version: 0.1.0\n  condition: cnd,missing.x,good\n"
)
COALESCE: dict[str, str] = {
    "w/Chart.yaml": CHART.format(name="w") + _DEPS,
    "w/values.yaml": "t:\n  a: {}\n  b:\n    c: 1\n  n: null\ns: scalar\nsub:\n  enabled: \"true\"\n"
    "cnd: 1\ngood: true\nglobal:\n  g: {x: 1}\n",
    "w/charts/sub/Chart.yaml": CHART.format(name="sub") + "dependencies:\n- name: leaf\n"
    "  version: 0.1.0\n  condition: lc\n",
    "w/charts/sub/values.yaml": "tt:\n  q: {}\nss: 1\nlc: [1]\nlist: [a]\n",
    "w/charts/sub/charts/leaf/Chart.yaml": CHART.format(name="leaf"),
    "w/charts/sub/charts/leaf/templates/l.yaml": "leaf: {{ .Values.global.g }}\n",
    "w/templates/x.yaml": "x: {{ .Values.t }} {{ .Values.s }}\n",
    "w/templates/y.yaml": "y: {{ .Values.other.ss }}\n",
}
LINKED: dict[str, str] = {
    "l/Chart.yaml": CHART.format(name="l"),
    "l/.helmignore": "ignored.yaml\n",
    "ext/t.yaml": "a: {{ .Release.Name }}\n",
    "ext/d/u.yaml": "b: 1\n",
}
SCHEMA = '{\n  "type": "object",\n  "properties": {"n": {"type": "integer"}}\n}\n'
SCHEMAS: dict[str, str] = {  # --debug logs each schema it parses, subcharts' too
    "s/Chart.yaml": CHART.format(name="s"),
    "s/values.yaml": "n: 1\nsub:\n  n: 2\n",
    "s/values.schema.json": SCHEMA,
    "s/templates/t.yaml": "n: {{ .Values.n }}\n",
    "s/charts/sub/Chart.yaml": CHART.format(name="sub"),
    "s/charts/sub/values.schema.json": SCHEMA.replace("integer", "number") + "\t\n",
    "s/charts/sub/templates/t.yaml": "m: {{ .Values.n }}\n",
}
LINKS = {
    "l/templates/t.yaml": "../../ext/t.yaml",
    "l/templates/d": "../../ext/d",
    "l/ignored.yaml": "../ext/t.yaml",
}


def _case(name: str, files: dict[str, str], *args: str, links: dict[str, str] | None = None,
          ) -> dict[str, Any]:
    return {"name": name, "files": files, "links": links or {}, "args": list(args)}


CASES = [
    _case("coalesce-and-conditions", COALESCE, "template", "r", "w", "--set",
          "t.a=5,t.b=7,s.k=1,sub.tt=3,sub.ss.k=2,t.n.z=1,global.g=2"),
    _case("coalesce-top-scalar", COALESCE, "template", "r", "w", "--set", "t=5"),
    _case("coalesce-install", COALESCE, "install", "r", "w", "--dry-run=client", "--set",
          "t.b=7,sub.ss.k=2"),
    _case("symlinks", LINKED, "template", "r", "l", links=LINKS),
    _case("symlinks-install", LINKED, "install", "r", "l", "--dry-run", links=LINKS),
    _case("schemas-debug", SCHEMAS, "template", "r", "s", "--debug"),
    _case("schemas-debug-invalid", SCHEMAS, "install", "r", "s", "--dry-run", "--debug",
          "--set", "sub.n=x"),
]


def write_tree(root: Path, case: dict[str, Any]) -> None:
    for rel, text in case["files"].items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    for rel, target in case.get("links", {}).items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, p)


def stderr_lines(stderr: str, root: str) -> list[str]:
    """Sorted lines, the scratch directory written as ``<tmp>``."""
    return sorted(x.replace(root, "<tmp>") for x in stderr.splitlines())


def main() -> None:
    from tests.shared import HELM

    out = []
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp).resolve()
            write_tree(root, case)
            proc = subprocess.run([HELM, *case["args"]], cwd=root, capture_output=True,
                                  text=True)
        out.append(dict(case, exit_code=proc.returncode, stdout=proc.stdout,
                        stderr_lines=stderr_lines(proc.stderr, str(root))))
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps({"helm": "v4.1.4", "cases": out}, indent=1) + "\n")
    print(f"{len(out)} cases -> {GOLDEN}")


if __name__ == "__main__":
    main()

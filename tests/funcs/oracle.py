"""Record template outputs from the real Helm (developer tool, not a test).

Each case is ``{"tpl": ..., "values": <yaml text>, "set": [...]}``.  The template is rendered
as a chart's NOTES.txt with ``helm install --dry-run=client -o json``; ``.info.notes`` is the
raw render.  Successful cases are batched into one chart (separated by a marker line); a batch
that fails is re-run case by case so every error is recorded on its own.

Result per case: ``{"out": text}`` or ``{"err": message after "Error: INSTALLATION FAILED: "}``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys as _sys
import tempfile
from pathlib import Path as _Path
from typing import Any

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))  # run as a script
from tests.shared import HELM  # noqa: E402  (the oracle: ../shared/tools/oracle)

MARK = "@@KELM-CASE-SEP@@"
ERR_PREFIX = "Error: INSTALLATION FAILED: "


def _run(tpl: str, values: str, sets: list[str]) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as d:
        c = os.path.join(d, "c")
        os.makedirs(os.path.join(c, "templates"))
        with open(os.path.join(c, "Chart.yaml"), "w") as f:
            f.write("apiVersion: v2\nname: c\nversion: 0.1.0\n")
        with open(os.path.join(c, "values.yaml"), "w") as f:
            f.write(values)
        with open(os.path.join(c, "templates", "NOTES.txt"), "w") as f:
            f.write(tpl)
        cmd = [HELM, "install", "r", c, "--dry-run=client", "-o", "json"]
        for s in sets:
            cmd += ["--set", s]
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=d)
        if p.returncode != 0:
            err = p.stderr.strip()
            err = err.replace(c + "/", "")
            if err.startswith(ERR_PREFIX):
                err = err[len(ERR_PREFIX) :]
            return {"err": err}
        return {"out": json.loads(p.stdout)["info"].get("notes", "")}


def record(cases: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Render every case; batch cases that share values/--set."""
    results: list[dict[str, str] | None] = [None] * len(cases)
    groups: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for i, c in enumerate(cases):
        key = (c.get("values", ""), tuple(c.get("set", [])))
        groups.setdefault(key, []).append(i)
    for (values, sets), idxs in groups.items():
        for start in range(0, len(idxs), 200):
            chunk = idxs[start : start + 200]
            tpl = MARK.join(cases[i]["tpl"] for i in chunk)
            r = _run(tpl, values, list(sets))
            parts = r["out"].split(MARK) if "out" in r else []
            if "out" in r and len(parts) == len(chunk):
                for i, part in zip(chunk, parts, strict=True):
                    results[i] = {"out": part}
            else:
                for i in chunk:
                    results[i] = _run(cases[i]["tpl"], values, list(sets))
    return [r or {} for r in results]

"""Record what the oracle's helm prints when ``--wait`` fails, for each scenario of
wait_scenarios.py, against the kelm.testing emulator: ``python -m tests.lifecycle.record_wait``
(from the repository root) rewrites tests/golden/wait/helm.json."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import kelm.testing
from tests.lifecycle.wait_scenarios import (
    GOLDEN,
    PREPARED,
    SCENARIOS,
    debug_lines,
    wait_lines,
    write_chart,
)
from tests.shared import HELM


def record() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for name, (objs, knobs, flags, timeout) in SCENARIOS.items():
        with kelm.testing.cluster() as c, tempfile.TemporaryDirectory() as tmp:
            for obj in PREPARED.get(name, ()):
                c.create(obj)
            for (kind, obj_name), knob in knobs.items():
                c.set_behavior(kind, obj_name, **knob)
            chart = write_chart(Path(tmp), objs)
            env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBECONFIG"))}
            env.update(c.env())
            p = subprocess.run([str(HELM), "install", "rel", str(chart), "--wait", *flags,
                                "--timeout", f"{timeout:g}s", "--debug"], env=env,
                               capture_output=True, text=True, timeout=120)
            errors = [ln for ln in p.stderr.splitlines() if not ln.startswith("level=")]
            out[name] = {"returncode": p.returncode, "error": "\n".join(errors),
                         "wait_lines": wait_lines(p.stderr),
                         "debug_lines": debug_lines(p.stderr),
                         "status": json.loads(subprocess.run(
                             [str(HELM), "status", "rel", "-o", "json"], env=env,
                             capture_output=True, text=True, timeout=60).stdout)["info"]["status"]}
    return out


if __name__ == "__main__":
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(record(), indent=2) + "\n")
    print(f"wrote {GOLDEN}")

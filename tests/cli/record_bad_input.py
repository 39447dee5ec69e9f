"""Record what Helm (kubectl for ``kustomize``) answers to the bad-input cases of
tests/cli/bad_input_cases.py into tests/golden/badinput/answers.json: exit code, seconds and
the error block (paths as ``{D}``).  A case Helm does not finish within 60 s is recorded as
``"rc": "timeout"``.

Re-record: python -m tests.cli.record_bad_input  (needs ../shared/tools/oracle)
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.cli.bad_input_cases import (
    cases,
    error_block,
    golden_path,
    load_goldens,
    normalise,
    prepare,
    tls_server,
)
from tests.shared import HELM, KUBECTL


def silent_listener() -> socket.socket:
    """A loopback socket that accepts connections and never answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    return s


def main() -> None:
    """Record every case, or (``python -m tests.cli.record_bad_input ID...``) just those."""
    import sys

    only = set(sys.argv[1:])
    listener = silent_listener()
    port = listener.getsockname()[1]
    _srv, tls = tls_server()
    out: dict[str, dict[str, object]] = load_goldens() if only else {}
    for case in cases():
        if only and case.id not in only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            d = Path(tmp)
            argv, env = prepare(case, d, port, tls)
            if case.tool == "kubectl":
                exe, argv = str(KUBECTL), ["kustomize", *argv[2:]]
            else:
                exe = str(HELM).replace("helm-isolated", "helm")
            full = {**os.environ, "HOME": str(d / "home"), **env}
            t0 = time.monotonic()
            try:
                p = subprocess.run([exe, *argv], cwd=d, env=full, capture_output=True, text=True,
                                   timeout=60, input="")
                rc: object = p.returncode
                block = normalise(error_block(p.stderr), d, port, tls)
            except subprocess.TimeoutExpired:
                rc, block = "timeout", ""
            out[case.id] = {"rc": rc, "seconds": round(time.monotonic() - t0, 1),
                            "error": block[:2000]}  # (a recursion's error runs long)
            print(case.id, rc, block[:120].replace("\n", "|"))
    golden_path().parent.mkdir(parents=True, exist_ok=True)
    golden_path().write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()

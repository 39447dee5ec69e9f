"""``kelm lint`` over the shared chart corpus against Helm's recorded output.

    .venv/bin/python tests/lint/corpus.py [--all] [FILTER]

Compares stdout (schema-violation lines as a set: Helm orders them randomly), the exit code
and stderr.  ``--all`` adds the ``--strict`` and ``--with-subcharts``
variants to the plain one.
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.lint.harness import normalise, run_kelm_lint, stderr_lines  # noqa: E402
from tests.shared import SHARED  # noqa: E402

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "lint" / "corpus.json"
# Helm logs value-coalescing warnings ("cannot overwrite table with non table ...") that
# kelm.values.coalesce does not emit yet: stdout and exit code must still match.
KNOWN_STDERR_GAPS = {"pomerium--ci-default-values.yaml"}
BASE = SHARED / "charts"
RECORDED_SHARED = "/work/shared"


def load_cases(all_variants: bool, only: str = "") -> dict[str, dict[str, object]]:
    cases = json.loads(GOLDEN.read_text())
    return {
        cid: c for cid, c in sorted(cases.items())
        if (all_variants or not cid.endswith(("--strict", "--subcharts"))) and only in cid
        and (BASE / "charts" / cid.split("--")[0]).is_dir()
    }


def check(item: tuple[str, dict[str, object]]) -> tuple[str, str]:
    """('', '') when kelm matches Helm, else (case id, reason)."""
    cid, case = item
    out, err, code = run_kelm_lint(list(case["args"])[1:], str(BASE))  # type: ignore[call-overload]
    # Helm printed absolute chart paths under the shared dir where the goldens were recorded
    out = out.replace(str(SHARED), RECORDED_SHARED)
    if normalise(out) != normalise(str(case["stdout"])):
        import difflib

        diff = difflib.unified_diff(normalise(str(case["stdout"])).splitlines(),
                                    normalise(out).splitlines(), "helm", "kelm", lineterm="")
        return cid, "stdout differs\n" + "\n".join(list(diff)[2:12])
    if code != case["exit_code"]:
        return cid, f"exit code {code} != {case['exit_code']}"
    if cid not in KNOWN_STDERR_GAPS and stderr_lines(err) != stderr_lines(str(case["stderr"])):
        return cid, f"stderr {stderr_lines(err)} != {stderr_lines(str(case['stderr']))}"
    return "", ""


def run(all_variants: bool = False, only: str = "") -> tuple[int, list[tuple[str, str]], float]:
    cases = load_cases(all_variants, only)
    t0 = time.time()
    workers = max(1, min(4, os.cpu_count() or 1))
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(check, cases.items(), chunksize=4))
    failed = [r for r in results if r[0]]
    return len(cases), failed, time.time() - t0


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--all"]
    total, failed, dt = run("--all" in sys.argv, args[0] if args else "")
    for cid, why in failed:
        print(f"MISMATCH {cid}: {why}")
    print(f"lint corpus: {total - len(failed)}/{total} identical to helm in {dt:.0f}s")


if __name__ == "__main__":
    main()

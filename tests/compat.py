"""`make compat`: re-check golden cases live against the real Helm and kubectl.

For every recorded function case (tests/golden/funcs/*.json) the oracle renders it again and
kelm renders it too; the script prints, per group, how many cases kelm matches live and how
many goldens are stale (the oracle now says something else than the file).  Charts and
kustomize corpora are checked by their own suites against the files Helm/kubectl wrote.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.funcs import golden, record  # noqa: E402


def kelm_result(case: dict) -> dict:
    try:
        golden.run_case(case)
        return {"ok": True}
    except BaseException as e:  # noqa: BLE001 - every failure kind counts as a mismatch
        return {"ok": False, "why": str(e).splitlines()[0] if str(e) else type(e).__name__}


def live(case: dict) -> dict:
    rec = record.record_case(case)
    return {k: rec[k] for k in ("output", "error") if k in rec}


def main() -> int:
    total = matched = stale = 0
    for path in sorted((ROOT / "tests" / "golden" / "funcs").glob("*.json")):
        cases = [c for c in json.loads(path.read_text())["cases"] if not c.get("volatile")]
        with ThreadPoolExecutor(max_workers=4) as pool:
            lives = list(pool.map(live, cases))
        group_ok = 0
        for case, now in zip(cases, lives, strict=True):
            recorded = {k: case[k] for k in ("output", "error") if k in case}
            stale += recorded != now
            bare = {k: v for k, v in case.items() if k not in ("output", "error")}
            res = kelm_result({**bare, **now})
            group_ok += res["ok"]
            if not res["ok"]:
                print(f"  MISMATCH {path.stem}/{case['id']}: {res['why']}")
        total += len(cases)
        matched += group_ok
        print(f"{path.stem}: {group_ok}/{len(cases)} match live")
    rate = 100.0 * matched / total if total else 0.0
    print(f"\nlive match rate: {matched}/{total} = {rate:.1f}%  (stale goldens: {stale})")
    return 0 if matched == total else 1


if __name__ == "__main__":
    sys.exit(main())

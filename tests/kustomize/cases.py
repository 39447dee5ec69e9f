"""Run kubectl-kustomize golden cases from ../shared/kustomize-cases in-process."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys as _sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))
from tests.shared import SHARED  # noqa: E402

CASES = Path(os.environ.get("KELM_KUSTOMIZE_CASES") or SHARED / "kustomize-cases")


@dataclass
class Outcome:
    case: str
    ok: bool
    detail: str = ""


def case_ids() -> list[str]:
    if not CASES.is_dir():
        return []
    return sorted(p.name for p in CASES.iterdir() if (p / "case.json").is_file())


def _flags(flags: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    i = 0
    while i < len(flags):
        f = flags[i]
        if f == "--load-restrictor":
            out["load_restrictor"] = flags[i + 1]
            i += 2
            continue
        if f.startswith("--load-restrictor="):
            out["load_restrictor"] = f.split("=", 1)[1]
        elif f == "--enable-helm":
            out["enable_helm"] = True
        elif f == "--enable-alpha-plugins":
            out["enable_alpha_plugins"] = True
        i += 1
    return out


def run_case(case_id: str) -> Outcome:
    from kelm.kustomize import KustomizeError, Options, build_yaml

    cdir = CASES / case_id
    meta = json.loads((cdir / "case.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(cdir / "tree", tree, symlinks=True)
        for d in meta.get("empty_dirs") or []:
            (tree / d).mkdir(parents=True, exist_ok=True)
        for f in meta.get("executable_files") or []:
            p = tree / f
            p.chmod(p.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        old = os.getcwd()
        os.chdir(tree)
        try:
            opts = Options(**_flags(meta.get("flags") or []))  # type: ignore[arg-type]
            try:
                out = build_yaml(meta.get("entry") or ".", opts, [])
                err = None
            except KustomizeError as e:
                out, err = "", str(e)
        except Exception as e:  # noqa: BLE001 - a crash is a failure to report
            out, err = "", f"CRASH {type(e).__name__}: {e}"
        finally:
            os.chdir(old)
    if meta.get("expect_failure"):
        if err is not None and not err.startswith("CRASH"):
            return Outcome(case_id, True)
        return Outcome(case_id, False, f"expected failure, got {'crash: ' + err if err else 'success'}")
    expected = (cdir / (meta.get("expected_stdout") or "expected.yaml")).read_text()
    if err is not None:
        return Outcome(case_id, False, f"error: {err}")
    if out == expected:
        return Outcome(case_id, True)
    import difflib

    diff = "".join(
        difflib.unified_diff(expected.splitlines(True), out.splitlines(True), "expected", "kelm", n=2)
    )
    return Outcome(case_id, False, diff[:3000])


if __name__ == "__main__":
    import sys

    ids = sys.argv[1:] or case_ids()
    results = [run_case(c) for c in ids]
    for r in results:
        if not r.ok:
            print(f"--- FAIL {r.case}\n{r.detail}\n")
    ok = sum(r.ok for r in results)
    print(f"kustomize cases: {ok}/{len(results)} passed ({100 * ok / max(len(results), 1):.1f}%)")

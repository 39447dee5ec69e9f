"""Run the shared public-chart corpus (../shared/charts) through `kelm template` in-process.

Usable as a script (`python tests/render/corpus.py [ID-substring...]`) and by test_corpus.py.
A case passes when stdout is byte-identical to Helm's (lines listed as volatile only need the
recorded prefix), kelm fails exactly where Helm fails, and kelm prints the same warning lines
(``level=...``) on stderr as Helm did: the corpus keeps only Helm's last error line, so Helm's
full stderr is recorded in tests/golden/corpus_stderr.json (record_corpus_stderr.py).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import sys as _sys
import time
from pathlib import Path
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))
from tests.shared import SHARED  # noqa: E402

CORPUS = Path(os.environ.get("KELM_CORPUS") or SHARED / "charts")
STDERR_GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "corpus_stderr.json"
_helm_stderr: dict[str, list[str]] | None = None


def helm_warnings(case_id: str) -> list[str]:
    """Helm's sorted stderr warning lines for a case (recorded from the oracle)."""
    global _helm_stderr
    if _helm_stderr is None:
        _helm_stderr = json.loads(STDERR_GOLDEN.read_text())["stderr"]
    return _helm_stderr.get(case_id, [])


def warning_lines(stderr: str) -> list[str]:
    """The ``level=`` lines of a run, sorted (Helm prints some in Go map order), with absolute
    paths into the corpus written as ``<corpus>``."""
    root = str(CORPUS.resolve())
    return sorted(x.replace(root, "<corpus>") for x in stderr.splitlines()
                  if x.startswith("level="))


def load_cases() -> list[dict]:
    return json.loads((CORPUS / "cases.json").read_text())["cases"]


def run_kelm(args: list[str]) -> tuple[int, str, str]:
    from kelm.cli.template import run_template

    out, err = io.StringIO(), io.StringIO()
    code = 0
    cwd = os.getcwd()
    os.chdir(CORPUS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                run_template(list(args))
            except SystemExit as e:
                code = int(e.code or 0)
            except Exception as e:  # a crash is a failure with a traceback summary
                import traceback

                code = 99
                err.write("CRASH: " + "".join(traceback.format_exception(e))[-3000:])
    finally:
        os.chdir(cwd)
    return code, out.getvalue(), err.getvalue()


def compare(case: dict, code: int, out: str, err: str) -> str | None:
    """None if the case passes, else a short reason."""
    return _compare_stdout(case, code, out, err) or _compare_stderr(case, err)


def _compare_stderr(case: dict, err: str) -> str | None:
    want, got = helm_warnings(case["id"]), warning_lines(err)
    if want == got:
        return None
    missing = [x for x in want if x not in got]
    extra = [x for x in got if x not in want]
    return f"stderr differs: missing {missing[:3]} extra {extra[:3]}"[:600]


def _compare_stdout(case: dict, code: int, out: str, err: str) -> str | None:
    if case["exit_code"] != 0:
        if code == 0:
            return "helm failed but kelm succeeded: " + case["stderr"][:200]
        return None
    if code != 0:
        msg = "\n".join(x for x in err.splitlines() if not x.startswith("level=")).strip()
        return f"kelm failed (exit {code}): {msg[:600]}"
    expected = (CORPUS / case["expected"]).read_bytes().decode("utf-8")
    if out == expected:
        return None
    vol = {int(k): v for k, v in (case.get("volatile") or {}).items()}
    el, ol = expected.split("\n"), out.split("\n")
    if len(el) != len(ol):
        return _first_diff(el, ol, vol) or f"line count {len(ol)} != {len(el)}"
    return _first_diff(el, ol, vol)


def _first_diff(el: list[str], ol: list[str], vol: dict[int, str]) -> str | None:
    for i in range(max(len(el), len(ol))):
        e = el[i] if i < len(el) else "<EOF>"
        o = ol[i] if i < len(ol) else "<EOF>"
        if e == o:
            continue
        p = vol.get(i + 1)
        if p is not None and o.startswith(p) and i < len(el) and i < len(ol):
            continue
        return f"line {i + 1}: expected {e[:160]!r} got {o[:160]!r}"
    return None


def run_all(filters: list[str] | None = None) -> tuple[list[str], list[tuple[str, str]], float]:
    passed, failed = [], []
    t0 = time.time()
    for case in load_cases():
        if filters and not any(f in case["id"] for f in filters):
            continue
        code, out, err = run_kelm(case["args"])
        reason = compare(case, code, out, err)
        if reason is None:
            passed.append(case["id"])
        else:
            failed.append((case["id"], reason))
    return passed, failed, time.time() - t0


def main() -> None:
    sys.setrecursionlimit(10000)
    passed, failed, dt = run_all(sys.argv[1:] or None)
    for cid, reason in failed:
        print(f"MISMATCH {cid}: {reason}")
    total = len(passed) + len(failed)
    print(f"corpus: {len(passed)}/{total} cases byte-identical "
          f"({100.0 * len(passed) / max(total, 1):.1f}%) in {dt:.1f}s")


if __name__ == "__main__":
    main()

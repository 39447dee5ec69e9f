"""Record ``helm package`` goldens (run by hand; needs the oracle and writes
tests/golden/package/scratch.json and corpus.json).

For each scratch case: Helm's output, exit code, the archive listing and the sha256 of the
uncompressed tar; and, to show kelm's archive is a real chart for Helm, ``helm template`` of
Helm's archive and of kelm's archive.  For the shared corpus: per chart the sorted listing
digest (names, modes, sizes, contents; mtimes depend on the checkout).
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.action.package_cases import CASES, tar_listing, write_case  # noqa: E402
from tests.shared import (
    HELM,  # noqa: E402  (the oracle: ../shared/tools/oracle)
    SHARED,  # noqa: E402
)

OUT = Path(__file__).resolve().parents[1] / "golden" / "package"


def _archives(root: str) -> dict[str, str]:
    return {os.path.relpath(p, root): p for p in glob.glob(root + "/**/*.tgz", recursive=True)
            if "/charts/" not in p}


def _template(tgz: str) -> str:
    r = subprocess.run([HELM, "template", "rel", tgz], capture_output=True, text=True)
    return r.stdout + r.stderr


def record_scratch() -> dict[str, object]:
    from tests.action.test_package import run_kelm

    from kelm.cli.package import run_package

    out: dict[str, object] = {}
    for name, case in sorted(CASES.items()):
        with tempfile.TemporaryDirectory() as h, tempfile.TemporaryDirectory() as k:
            write_case(h, case["files"])  # type: ignore[arg-type]
            write_case(k, case["files"])  # type: ignore[arg-type]
            before = set(_archives(h))
            r = subprocess.run([HELM, "package", *case["args"]], cwd=h,  # type: ignore[misc]
                               capture_output=True, text=True)
            run_kelm(run_package, list(case["args"]), k)  # type: ignore[arg-type]
            archives = {}
            for rel, path in sorted(_archives(h).items()):
                if rel in before:
                    continue
                data = open(path, "rb").read()
                kpath = os.path.join(k, rel)
                archives[rel] = {
                    "listing": tar_listing(data),
                    "tar_sha256": hashlib.sha256(gzip.decompress(data)).hexdigest(),
                    "helm_template_of_helm_tgz": _template(path),
                    "helm_template_of_kelm_tgz": _template(kpath) if os.path.exists(kpath)
                    else None,
                }
            out[name] = {"args": case["args"], "exit_code": r.returncode,
                         "stdout": r.stdout.replace(h, "$TMP"),
                         "stderr": r.stderr.replace(h, "$TMP"), "archives": archives}
    return out


def record_corpus() -> dict[str, object]:
    base = SHARED / "charts" / "charts"
    out: dict[str, object] = {}
    for name in sorted(os.listdir(base)):
        with tempfile.TemporaryDirectory() as h:
            r = subprocess.run([HELM, "package", str(base / name), "-d", h],
                               capture_output=True, text=True)
            if r.returncode != 0:
                out[name] = {"error": r.stderr}
                continue
            data = open(glob.glob(h + "/*.tgz")[0], "rb").read()
            entries = sorted([e[0], e[1], e[3], e[4]] for e in tar_listing(data))
            out[name] = {"file": os.path.basename(glob.glob(h + "/*.tgz")[0]),
                         "entries_sha256": hashlib.sha256(
                             json.dumps(entries).encode()).hexdigest()}
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "scratch.json").write_text(json.dumps(record_scratch(), indent=1, sort_keys=True)
                                      + "\n")
    if "--scratch-only" not in sys.argv:
        (OUT / "corpus.json").write_text(json.dumps(record_corpus(), indent=1, sort_keys=True)
                                         + "\n")
    print("recorded ->", OUT)


if __name__ == "__main__":
    main()

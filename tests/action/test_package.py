"""`kelm package` writes the archive Helm v4.1.4 writes (recorded goldens).

Scratch cases compare the uncompressed tar byte for byte (sha256), the listing (names, modes,
rounded mtimes, sizes, contents), stdout/exit code/errors, and record that ``helm template``
renders kelm's archive exactly like Helm's own.  The corpus check packages every shared chart.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

import pytest
from tests.action.package_cases import CASES, tar_listing, write_case
from tests.lint.harness import run_cli as run_kelm
from tests.shared import SHARED, needs_shared

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden" / "package"


def _golden(name: str) -> dict[str, dict[str, object]]:
    path = GOLDEN_DIR / name
    return json.loads(path.read_text()) if path.exists() else {}


SCRATCH = _golden("scratch.json")
CORPUS = _golden("corpus.json")


@pytest.mark.parametrize("name", sorted(SCRATCH))
def test_package_scratch(name: str, tmp_path: Path) -> None:
    from kelm.chart import load_chart
    from kelm.cli.package import run_package

    want = SCRATCH[name]
    write_case(str(tmp_path), CASES[name]["files"])  # type: ignore[arg-type]
    out, err, code = run_kelm(run_package, list(want["args"]), str(tmp_path))  # type: ignore
    assert out.replace(str(tmp_path), "$TMP") == want["stdout"]
    assert code == want["exit_code"]
    assert err.replace(str(tmp_path), "$TMP") == want["stderr"]
    for rel, arch in want["archives"].items():  # type: ignore[union-attr]
        data = (tmp_path / rel).read_bytes()
        listing, golden = tar_listing(data), arch["listing"]
        if "-u" in want["args"]:  # Chart.lock written just now: its time and text vary
            listing = [e[:2] if e[0].endswith("/Chart.lock") else e for e in listing]
            golden = [e[:2] if e[0].endswith("/Chart.lock") else e for e in golden]
            assert listing == golden
        elif listing == golden:
            assert hashlib.sha256(gzip.decompress(data)).hexdigest() == arch["tar_sha256"]
        else:  # Helm writes subcharts in Go map order: only the set is stable
            assert sorted(listing) == sorted(golden)
        assert arch["helm_template_of_kelm_tgz"] == arch["helm_template_of_helm_tgz"]
        load_chart(str(tmp_path / rel))


@needs_shared(SHARED / "charts" / "charts", "the shared chart corpus")
def test_package_corpus(tmp_path: Path) -> None:
    from kelm.action.package import PackageError, PackageOptions, package_chart

    bad = []
    for name, want in sorted(CORPUS.items()):
        dest = tmp_path / name
        try:
            path = package_chart(str(SHARED / "charts" / "charts" / name),
                                 PackageOptions(destination=str(dest)))
        except PackageError as e:
            if want.get("error") != f"Error: {e}\n":
                bad.append(name)
            continue
        entries = sorted([e[0], e[1], e[3], e[4]] for e in tar_listing(Path(path).read_bytes()))
        digest = hashlib.sha256(json.dumps(entries).encode()).hexdigest()
        if os.path.basename(path) != want.get("file") or digest != want["entries_sha256"]:
            bad.append(name)
    assert not bad, f"{len(bad)}/{len(CORPUS)} differ: {bad[:10]}"


def test_gzip_header_is_helms() -> None:
    from kelm.action.package import gzip_helm

    data = gzip_helm(b"payload")
    assert data[:4] == b"\x1f\x8b\x08\x14" and data[8:10] == b"\x00\xff"
    assert b"Helm\x00" in data[:80]
    assert gzip.decompress(data) == b"payload"

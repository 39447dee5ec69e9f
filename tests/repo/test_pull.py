"""``pull``: provenance (``--prov``, ``--verify`` with keys made here), unpacking safely,
archives from OCI registries, nothing left behind on failure."""

from __future__ import annotations

import io
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.runner import invoke
from tests.repo.httprepo import charts, index, isolate, serve

SIGNER = "Kelm Pull Test <pull@example.com>"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HELM_REGISTRY_CONFIG", str(tmp_path / "registry" / "config.json"))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker"))
    return isolate(tmp_path, monkeypatch)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(secret keyring, public keyring, fingerprint) made with pysequoia."""
    pysequoia = pytest.importorskip("pysequoia")
    d = tmp_path_factory.mktemp("keys")
    tsk = pysequoia.Tsk.generate(SIGNER, profile=pysequoia.Profile.RFC4880)
    (d / "secring.gpg").write_bytes(bytes(tsk))
    (d / "pubring.gpg").write_bytes(bytes(tsk.extract_certificate()))
    return d / "secring.gpg", d / "pubring.gpg", tsk.extract_certificate().fingerprint.upper()


def _signed_repo(root: Path, secring: Path) -> None:
    from kelm.repo.provenance import sign_chart

    charts(root)
    for a in root.glob("*.tgz"):
        (root / (a.name + ".prov")).write_text(sign_chart(str(a), SIGNER, str(secring), None))


def test_verify_with_a_good_signature(tmp_path: Path, home: Path,
                                      keys: tuple[Path, Path, str]) -> None:
    secring, pubring, fpr = keys
    _signed_repo(tmp_path / "srv", secring)
    out = tmp_path / "out"
    out.mkdir()
    with serve(tmp_path / "srv") as srv:
        assert invoke(["repo", "add", "r", srv.url]).exit_code == 0
        res = invoke(["pull", "r/web", "--verify", "--keyring", str(pubring), "-d", str(out)])
    assert res.exit_code == 0, res.stderr
    import hashlib

    digest = hashlib.sha256((tmp_path / "srv" / "web-0.2.0.tgz").read_bytes()).hexdigest()
    assert res.stdout == (f"Signed by: {SIGNER}\nUsing Key With Fingerprint: {fpr}\n"
                          f"Chart Hash Verified: sha256:{digest}\n")
    assert sorted(os.listdir(out)) == ["web-0.2.0.tgz", "web-0.2.0.tgz.prov"]


def test_verify_refuses_a_tampered_archive_and_saves_nothing(
        tmp_path: Path, home: Path, keys: tuple[Path, Path, str]) -> None:
    secring, pubring, _ = keys
    _signed_repo(tmp_path / "srv", secring)
    # a different archive under the signed name (the index digest follows it)
    other = tmp_path / "other"
    charts(other, charts=(("web", "0.2.0", "not what was signed"),))
    (other / "web-0.2.0.tgz").replace(tmp_path / "srv" / "web-0.2.0.tgz")
    index(tmp_path / "srv")
    out = tmp_path / "out"
    out.mkdir()
    with serve(tmp_path / "srv") as srv:
        assert invoke(["repo", "add", "r", srv.url]).exit_code == 0
        res = invoke(["pull", "r/web", "--verify", "--keyring", str(pubring), "-d", str(out)])
        assert res.exit_code == 1 and res.stderr.startswith("Error: "), res.stderr
        assert len(res.stderr.splitlines()) == 1
        assert os.listdir(out) == []
        res = invoke(["pull", "r/web", "--verify", "--keyring", str(tmp_path / "none.gpg"),
                      "-d", str(out)])
        assert res.exit_code == 1 and "keyring" in res.stderr
        assert os.listdir(out) == []


def test_prov_fetches_without_verifying(tmp_path: Path, home: Path,
                                        keys: tuple[Path, Path, str]) -> None:
    _signed_repo(tmp_path / "srv", keys[0])
    with serve(tmp_path / "srv") as srv:
        res = invoke(["pull", "web", "--repo", srv.url, "--prov", "-d", str(tmp_path)])
    assert res.exit_code == 0 and res.stdout == "", res.stderr
    assert (tmp_path / "web-0.2.0.tgz.prov").read_bytes() == \
        (tmp_path / "srv" / "web-0.2.0.tgz.prov").read_bytes()


def _evil_archive(path: Path, member: str, kind: bytes = tarfile.REGTYPE) -> None:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in (("web/Chart.yaml", b"apiVersion: v2\nname: web\nversion: 0.1.0\n"),
                           (member, b"owned\n")):
            info = tarfile.TarInfo(name)
            info.type = kind if name == member else tarfile.REGTYPE
            if info.type == tarfile.SYMTYPE:
                info.linkname = "/etc/passwd"
            else:
                info.size = len(data)
            tf.addfile(info, io.BytesIO(data) if info.type == tarfile.REGTYPE else None)


@pytest.mark.parametrize("member,kind", [("web/../../escaped.txt", tarfile.REGTYPE),
                                         ("/abs.txt", tarfile.REGTYPE),
                                         ("web/link", tarfile.SYMTYPE)],
                         ids=["dotdot", "absolute", "symlink"])
def test_untar_refuses_entries_outside_the_chart(member: str, kind: bytes, tmp_path: Path,
                                                 home: Path) -> None:
    srv_dir = tmp_path / "srv"
    srv_dir.mkdir()
    _evil_archive(srv_dir / "web-0.1.0.tgz", member, kind)
    out = tmp_path / "a" / "b"
    out.mkdir(parents=True)
    with serve(srv_dir) as srv:
        res = invoke(["pull", f"{srv.url}/web-0.1.0.tgz", "--untar", "-d", str(out)])
    assert res.exit_code == 1 and len(res.stderr.splitlines()) == 1, res.stderr
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "a" / "escaped.txt") \
        .exists()
    # (Helm makes the directory named after the reference's last element before unpacking)
    assert not [p for p in out.rglob("*") if p.is_file()]


def test_a_failed_download_leaves_no_partial_file(tmp_path: Path, home: Path) -> None:
    from tests.repo.httprepo import body

    charts(tmp_path / "srv")
    out = tmp_path / "out"
    out.mkdir()
    with serve(tmp_path / "srv") as srv:
        assert invoke(["repo", "add", "r", srv.url]).exit_code == 0

        def cut(h: object) -> None:  # promises 1 MB, sends 10 bytes, hangs up
            h.send_response(200)  # type: ignore[attr-defined]
            h.send_header("Content-Length", str(1 << 20))  # type: ignore[attr-defined]
            h.end_headers()  # type: ignore[attr-defined]
            h.wfile.write(b"0123456789")  # type: ignore[attr-defined]
            h.close_connection = True  # type: ignore[attr-defined]

        srv.routes["/web-0.2.0.tgz"] = cut
        res = invoke(["pull", "r/web", "-d", str(out)])
        assert res.exit_code == 1 and len(res.stderr.splitlines()) == 1, res.stderr
        srv.routes["/web-0.2.0.tgz"] = body(b"", 500)
        res = invoke(["pull", "r/web", "-d", str(out)])
        assert res.exit_code == 1 and "500" in res.stderr
    assert os.listdir(out) == []


# -- OCI ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    try:
        from tests.repo.registry import registry_fixture
    except ImportError:
        pytest.skip("no registry fixture")
    yield from registry_fixture(tmp_path_factory, "pull-plain")


def test_pull_from_an_oci_registry(registry: object, tmp_path: Path, home: Path) -> None:
    from kelm.repo.oci import push_chart
    from kelm.repo.ociclient import RegistryOptions

    reg: object = registry
    host = reg.host  # type: ignore[attr-defined]
    charts(tmp_path / "build")
    for v in ("0.1.0", "0.2.0"):
        data = (tmp_path / "build" / f"web-{v}.tgz").read_bytes()
        push_chart(data, f"{host}/charts/web:{v}",
                   RegistryOptions(plain_http=True, registry_config=str(tmp_path / "none.json")))
    out = tmp_path / "out"
    out.mkdir()
    res = invoke(["pull", f"oci://{host}/charts/web", "--plain-http", "-d", str(out)])
    assert res.exit_code == 0, res.stderr
    assert (out / "web-0.2.0.tgz").read_bytes() == (tmp_path / "build" / "web-0.2.0.tgz") \
        .read_bytes()
    assert f"Pulled: {host}/charts/web:0.2.0" in res.stderr
    res = invoke(["pull", f"oci://{host}/charts/web", "--version", "~0.1", "--plain-http",
                  "--untar", "-d", str(out)])
    assert res.exit_code == 0, res.stderr
    assert "version: 0.1.0" in (out / "web" / "Chart.yaml").read_text()
    res = invoke(["pull", f"oci://{host}/charts/web", "--version", "9", "--plain-http",
                  "-d", str(tmp_path / "none")])
    assert res.exit_code == 1 and len(res.stderr.splitlines()) == 1, res.stderr

"""Chart provenance (``kelm verify``, ``kelm package --sign``) against Helm v4.1.4's.

Offline: a chart signed by the oracle's helm with a GnuPG key (tests/golden/provenance: the
archive, its .prov, the public keyrings, and what helm printed for each case below) is
verified by kelm, every failure with helm's message; kelm's signed text equals helm's.
Live (the oracle's helm and GnuPG's ``gpg``, installed with apt-get when absent and root):
keys made here in a temporary GNUPGHOME, exported as legacy binary keyrings as Helm reads
them; helm signs and kelm verifies, kelm signs and helm verifies, and the signing errors of
both are compared.

Re-record the goldens: python -m tests.repo.test_provenance  (needs the oracle and gpg)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.cli.runner import invoke
from tests.shared import HELM, REPO

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "provenance"
CHART_YAML = """apiVersion: v2
name: signed
description: A chart signed for provenance tests
version: 0.1.0
appVersion: "1.2"
keywords: [provenance, test]
maintainers:
  - name: Kelm Tests
    email: tests@example.com
"""
TEMPLATE = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
SIGNER = "Provenance Signer (kelm tests) <signer@example.com>"
ARCHIVE = "signed-0.1.0.tgz"
GPG_TIMEOUT = 60


# -- the cases, built the same way for recording and for checking ----------------------------


def _tamper_signature(prov: bytes) -> bytes:
    """One base64 character of the signature's value changed (the armor still decodes)."""
    lines = prov.split(b"\n")
    end = lines.index(b"-----END PGP SIGNATURE-----")
    i = end - 2  # the last full line of base64, inside the signature's MPIs
    line = bytearray(lines[i])
    line[10] = ord("B") if line[10] != ord("B") else ord("C")
    lines[i] = bytes(line)
    return b"\n".join(lines)


def _case(name: str, src: Path, work: Path) -> tuple[str, str]:
    """Lay out case ``name`` in ``work`` from the golden files in ``src``; returns the
    (chart path, keyring path) to verify, relative to ``work``."""
    archive, prov = (src / ARCHIVE).read_bytes(), (src / (ARCHIVE + ".prov")).read_bytes()
    d = work / name
    d.mkdir()
    for ring in ("pubring.gpg", "pubring.asc", "other.gpg", "pubring.kbx"):
        shutil.copy(src / ring, d / ring)
    chart, keyring = f"{name}/{ARCHIVE}", f"{name}/pubring.gpg"
    (d / ARCHIVE).write_bytes(archive)
    (d / (ARCHIVE + ".prov")).write_bytes(prov)
    if name == "wrong-keyring":
        keyring = f"{name}/other.gpg"
    elif name == "kbx-keyring":
        keyring = f"{name}/pubring.kbx"
    elif name == "armored-keyring":
        keyring = f"{name}/pubring.asc"
    elif name == "missing-keyring":
        keyring = f"{name}/nope.gpg"
    elif name == "empty-keyring":
        (d / "empty.gpg").write_bytes(b"")
        keyring = f"{name}/empty.gpg"
    elif name == "tampered-archive":
        (d / ARCHIVE).write_bytes(archive + b"\0")
    elif name == "tampered-body":
        (d / (ARCHIVE + ".prov")).write_bytes(prov.replace(b"version: 0.1.0", b"version: 0.1.1"))
    elif name == "tampered-signature":
        (d / (ARCHIVE + ".prov")).write_bytes(_tamper_signature(prov))
    elif name == "no-signature-block":
        (d / (ARCHIVE + ".prov")).write_bytes(b"hello\n")
    elif name == "missing-prov":
        (d / (ARCHIVE + ".prov")).unlink()
    elif name == "renamed-archive":
        (d / ARCHIVE).rename(d / "renamed-0.1.0.tgz")
        (d / (ARCHIVE + ".prov")).rename(d / "renamed-0.1.0.tgz.prov")
        chart = f"{name}/renamed-0.1.0.tgz"
    elif name == "directory":
        (d / "signed").mkdir()
        chart = f"{name}/signed"
    elif name == "not-tgz":
        chart = f"{name}/pubring.asc"
    elif name == "missing-archive":
        chart = f"{name}/nope-0.1.0.tgz"
    elif name != "good":
        raise ValueError(name)
    return chart, keyring


CASES = ["good", "wrong-keyring", "kbx-keyring", "armored-keyring", "missing-keyring",
         "empty-keyring", "tampered-archive", "tampered-body", "tampered-signature",
         "no-signature-block", "missing-prov", "renamed-archive", "directory", "not-tgz",
         "missing-archive"]


# -- GnuPG, for keys made here ----------------------------------------------------------------


def _gpg_binary() -> str:
    """gpg, installed from Debian's gnupg package when absent (root only, as on CI)."""
    found = shutil.which("gpg")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("gpg is not installed (and installing it needs root and apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "gnupg"]
    if subprocess.run(cmd, env=env, capture_output=True, timeout=600).returncode:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=600)
        subprocess.run(cmd, env=env, capture_output=True, timeout=600)
    found = shutil.which("gpg")
    if not found:
        pytest.fail("apt-get install gnupg did not provide gpg")
    return found


class GnuPG:
    """A throw-away GNUPGHOME: keys made with ``--quick-gen-key``, exported as the binary
    keyrings Helm reads (``--export``, ``--export-secret-keys``)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.binary = _gpg_binary()
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        # the agent would time its passphrase hashing (seconds per key): a fixed small count
        (home / "gpg-agent.conf").write_text("s2k-count 65536\n")

    def run(self, *args: str, input: bytes | None = None) -> bytes:
        out = subprocess.run([self.binary, "--homedir", str(self.home), "--batch", *args],
                             input=input, capture_output=True, timeout=GPG_TIMEOUT)
        assert out.returncode == 0, out.stderr.decode()
        return out.stdout

    def generate(self, uid: str, algo: str = "ed25519", passphrase: str = "",
                 expire: str = "never", *, made: str = "") -> None:
        """A key; ``made`` (gpg's --faked-system-time) dates it in the past."""
        self.run(*(("--faked-system-time", made) if made else ()), "--pinentry-mode",
                 "loopback", "--passphrase", passphrase, "--quick-gen-key", uid, algo, "sign",
                 expire)

    def revoke(self, uid: str) -> None:
        """Import the revocation certificate gpg stored when it made the key."""
        colons = self.run("--with-colons", "--list-keys", uid).decode()
        fpr = next(line.split(":")[9] for line in colons.splitlines()
                   if line.startswith("fpr:"))
        cert = (self.home / "openpgp-revocs.d" / f"{fpr}.rev").read_bytes()
        self.run("--import", input=cert.replace(b":-----BEGIN", b"-----BEGIN"))

    def export(self, uid: str, path: Path) -> Path:
        path.write_bytes(self.run("--export", uid))
        return path

    def export_secret(self, uid: str, path: Path, passphrase: str = "") -> Path:
        path.write_bytes(self.run("--pinentry-mode", "loopback", "--passphrase", passphrase,
                                  "--export-secret-keys", uid))
        return path

    def close(self) -> None:
        gpgconf = shutil.which("gpgconf")
        if gpgconf:
            subprocess.run([gpgconf, "--homedir", str(self.home), "--kill", "gpg-agent"],
                           capture_output=True, timeout=GPG_TIMEOUT)


def _write_chart(root: Path) -> Path:
    chart = root / "signed"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(CHART_YAML)
    (chart / "values.yaml").write_text("replicas: 1\n")
    (chart / "templates" / "cm.yaml").write_text(TEMPLATE)
    return chart


def _helm(*args: str, cwd: Path, input: bytes | None = None) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([str(HELM), *args], cwd=cwd, input=input, capture_output=True,
                         timeout=120)
    return subprocess.CompletedProcess(out.args, out.returncode, out.stdout.decode(),
                                       out.stderr.decode())


def _kelm(*args: str, cwd: Path, input: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """kelm as a process (stdin a real pipe or /dev/null, as with helm)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run([sys.executable, "-m", "kelm", *args], cwd=cwd, input=input,
                         stdin=None if input is not None else subprocess.DEVNULL,
                         capture_output=True, timeout=120, env=env)
    return subprocess.CompletedProcess(out.args, out.returncode, out.stdout.decode(),
                                       out.stderr.decode())


# -- recording --------------------------------------------------------------------------------


def record() -> None:
    """Sign a chart with helm and record helm's answers for every case."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        gpg = GnuPG(work / "gnupg")
        try:
            gpg.generate(SIGNER)
            gpg.generate("Someone Else <else@example.com>")
            GOLDEN.mkdir(parents=True, exist_ok=True)
            gpg.export(SIGNER, GOLDEN / "pubring.gpg")
            (GOLDEN / "pubring.asc").write_bytes(gpg.run("--armor", "--export", SIGNER))
            gpg.export("Someone Else", GOLDEN / "other.gpg")
            shutil.copy(gpg.home / "pubring.kbx", GOLDEN / "pubring.kbx")
            secring = gpg.export_secret(SIGNER, work / "secring.gpg")
            chart = _write_chart(work)
            res = _helm("package", "--sign", "--key", "Provenance Signer", "--keyring",
                        str(secring), str(chart), cwd=work)
            assert res.returncode == 0, res.stderr
            shutil.copy(work / ARCHIVE, GOLDEN / ARCHIVE)
            shutil.copy(work / (ARCHIVE + ".prov"), GOLDEN / (ARCHIVE + ".prov"))
        finally:
            gpg.close()
        cases = {}
        for name in CASES:
            chart_path, keyring = _case(name, GOLDEN, work)
            res = _helm("verify", chart_path, "--keyring", keyring, cwd=work)
            cases[name] = {"exit": res.returncode, "stdout": res.stdout, "stderr": res.stderr}
    (GOLDEN / "helm.json").write_text(json.dumps({"helm": "v4.1.4", "cases": cases},
                                                 indent=1) + "\n")
    print(f"{len(cases)} cases -> {GOLDEN}")


# -- offline: helm's signature and answers ----------------------------------------------------


def _recorded() -> dict[str, dict[str, object]]:
    cases: dict[str, dict[str, object]] = json.loads((GOLDEN / "helm.json").read_text())["cases"]
    return cases


@pytest.mark.parametrize("name", CASES)
def test_verify_answers_as_helm_did(name: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    chart, keyring = _case(name, GOLDEN, tmp_path)
    monkeypatch.chdir(tmp_path)
    res = invoke(["verify", chart, "--keyring", keyring])
    helm = _recorded()[name]
    assert (res.exit_code, res.stdout, res.stderr) == (helm["exit"], helm["stdout"],
                                                       helm["stderr"])


def test_recorded_cases_cover_every_message() -> None:
    """The goldens are what they claim: one success and the failures Helm names."""
    cases = _recorded()
    assert cases["good"]["exit"] == 0
    assert cases["good"]["stdout"].startswith(f"Signed by: {SIGNER}\n")  # type: ignore[union-attr]
    errors = {n: str(c["stderr"]) for n, c in cases.items() if n != "good"}
    assert all(c["exit"] == 1 for n, c in cases.items() if n != "good")
    assert "openpgp: signature made by unknown entity" in errors["wrong-keyring"]
    assert "sha256 sum does not match" in errors["tampered-archive"]
    assert "EdDSA verification failure" in errors["tampered-body"]
    assert "EdDSA verification failure" in errors["tampered-signature"]
    assert "could not load provenance file" in errors["missing-prov"]
    assert "tag byte does not have MSB set" in errors["kbx-keyring"]


def test_verification_fields(tmp_path: Path) -> None:
    from kelm.repo.provenance import digest_file, verify_chart

    v = verify_chart(str(GOLDEN / ARCHIVE), str(GOLDEN / (ARCHIVE + ".prov")),
                     str(GOLDEN / "pubring.gpg"))
    assert v.signed_by == (SIGNER,)
    assert v.file_hash == "sha256:" + digest_file(str(GOLDEN / ARCHIVE))
    assert v.file_name == ARCHIVE
    assert f"Using Key With Fingerprint: {v.fingerprint}\n" in str(_recorded()["good"]["stdout"])


@pytest.fixture(scope="module")
def sequoia_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A key made with the library (a certify-only primary and a signing subkey, as Sequoia
    makes them): (secret keyring, public keyring, primary fingerprint)."""
    import pysequoia

    d = tmp_path_factory.mktemp("sequoia")
    tsk = pysequoia.Tsk.generate(SIGNER, profile=pysequoia.Profile.RFC4880)
    (d / "secring.gpg").write_bytes(bytes(tsk))
    (d / "pubring.gpg").write_bytes(bytes(tsk.extract_certificate()))
    return d / "secring.gpg", d / "pubring.gpg", tsk.extract_certificate().fingerprint


def _signed_text(prov: str) -> str:
    head, _, rest = prov.partition("\n\n")
    return rest.partition("-----BEGIN PGP SIGNATURE-----")[0]


def test_signed_text_is_helms(tmp_path: Path, sequoia_key: tuple[Path, Path, str]) -> None:
    """Signing helm's archive gives the text helm signed, framed as Go frames it."""
    from kelm.repo.provenance import sign_chart, verify_chart, write_prov

    secring, pubring, fingerprint = sequoia_key
    archive = tmp_path / ARCHIVE
    shutil.copy(GOLDEN / ARCHIVE, archive)
    prov = sign_chart(str(archive), "Provenance Signer", str(secring), None)
    helm = (GOLDEN / (ARCHIVE + ".prov")).read_text()
    assert prov.startswith("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n")
    assert helm.startswith("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n")
    assert _signed_text(prov) == _signed_text(helm)
    assert prov.endswith("\n-----END PGP SIGNATURE-----") and helm.endswith("-----END PGP SIGNATURE-----")
    assert "\n=" not in prov.partition("-----BEGIN PGP SIGNATURE-----")[2]  # no armor checksum
    write_prov(str(archive), prov)
    assert (os.stat(str(archive) + ".prov").st_mode & 0o777) == 0o644
    v = verify_chart(str(archive), str(archive) + ".prov", str(pubring))
    assert (v.signed_by, v.fingerprint) == ((SIGNER,), fingerprint.upper())


def test_message_block_layout() -> None:
    from kelm.repo.provenance import digest, message_block, parse_sums

    text = message_block(b"data", "a b-1.0.0.tgz", "name: a\n")
    assert text == f"name: a\n\n...\nfiles:\n  a b-1.0.0.tgz: sha256:{digest(b'data')}\n"
    assert parse_sums(text.encode()) == {"a b-1.0.0.tgz": "sha256:" + digest(b"data")}


def test_signing_key_selection(sequoia_key: tuple[Path, Path, str]) -> None:
    from kelm.repo.provenance import ProvenanceError, find_key, load_keyring

    secring, pubring, _ = sequoia_key
    ring = load_keyring(str(secring)) + load_keyring(str(GOLDEN / "other.gpg"))
    assert find_key(ring, SIGNER) is ring[0]  # an exact user ID wins
    assert find_key(ring, "Someone") is ring[1]  # else the only one containing it
    assert find_key(ring, "nobody") is None
    with pytest.raises(ProvenanceError, match='more than one key contain the id "example.com"'):
        find_key(ring, "example.com")
    assert ring[0].secret and not load_keyring(str(pubring))[0].secret


def test_pysequoia_stays_unloaded_for_version_and_template(tmp_path: Path) -> None:
    chart = _write_chart(tmp_path)
    code = (
        "import io, sys, contextlib\n"
        "from kelm.cli import main\n"
        "import kelm.repo.provenance, kelm.cli.verify, kelm.action.verify\n"
        "for argv in (['--version'], ['template', 'r', sys.argv[1]]):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try:\n            main(argv)\n"
        "        except SystemExit:\n            pass\n"
        "print('pysequoia' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(chart)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


# -- live: helm and kelm signing for each other -----------------------------------------------

needs_helm = pytest.mark.skipif(not HELM.available(), reason="the oracle's helm is unavailable")


@pytest.fixture(scope="module")
def gnupg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GnuPG, Path]]:
    """Keys: an ed25519 and an RSA signer, a passphrase-protected one, and a stranger."""
    d = tmp_path_factory.mktemp("keys")
    gpg = GnuPG(d / "gnupg")
    try:
        gpg.generate("Ed Signer <ed@example.com>")
        gpg.generate("Rsa Signer <rsa@example.com>", "rsa2048")
        gpg.generate("Padlock Signer <padlock@example.com>", passphrase="sekrit")
        gpg.generate("Stranger <stranger@example.com>")
        gpg.export_secret("Ed Signer", d / "ed.sec")
        gpg.export_secret("Rsa Signer", d / "rsa.sec")
        gpg.export_secret("Padlock Signer", d / "locked.sec", "sekrit")
        for uid, name in (("Ed Signer", "ed"), ("Rsa Signer", "rsa"),
                          ("Padlock Signer", "locked"), ("Stranger", "stranger")):
            gpg.export(uid, d / f"{name}.pub")
        gpg.generate("Expired Signer <expired@example.com>", expire="1d", made="20200101T000000")
        gpg.export_secret("Expired Signer", d / "expired.sec")
        gpg.export("Expired Signer", d / "expired.pub")
        gpg.generate("Revoked Signer <revoked@example.com>")
        gpg.export_secret("Revoked Signer", d / "revoked.sec")  # before the revocation
        gpg.revoke("Revoked Signer")
        gpg.export("Revoked Signer", d / "revoked.pub")
        (d / "all.sec").write_bytes(b"".join((d / f"{n}.sec").read_bytes()
                                             for n in ("ed", "rsa", "locked")))
        (d / "all.pub").write_bytes(b"".join((d / f"{n}.pub").read_bytes()
                                             for n in ("ed", "rsa", "locked", "stranger")))
        yield gpg, d
    finally:
        gpg.close()


def _both(tool: Callable[..., subprocess.CompletedProcess[str]], work: Path, *args: str,
          input: bytes | None = None) -> tuple[int, str, str]:
    res = tool(*args, cwd=work, input=input)
    return res.returncode, res.stdout.replace(str(work), "$WORK"), res.stderr


@needs_helm
@pytest.mark.parametrize("key", ["ed", "rsa"])
def test_helm_signs_kelm_verifies(key: str, gnupg: tuple[GnuPG, Path], tmp_path: Path) -> None:
    _, keys = gnupg
    chart = _write_chart(tmp_path)
    res = _helm("package", "--sign", "--key", f"{key.capitalize()} Signer", "--keyring",
                str(keys / f"{key}.sec"), str(chart), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    args = ("verify", ARCHIVE, "--keyring", str(keys / "all.pub"))
    kelm, helm = _both(_kelm, tmp_path, *args), _both(_helm, tmp_path, *args)
    assert kelm == helm and kelm[0] == 0
    assert kelm[1].startswith(f"Signed by: {key.capitalize()} Signer <{key}@example.com>\n")
    # the same archive changed after signing, and a keyring without the signer
    prov = (tmp_path / (ARCHIVE + ".prov")).read_bytes()
    (tmp_path / (ARCHIVE + ".prov")).write_bytes(prov.replace(b"name: signed", b"name: signee"))
    kelm, helm = _both(_kelm, tmp_path, *args), _both(_helm, tmp_path, *args)
    assert kelm == helm and kelm[0] == 1
    algo = "RSA" if key == "rsa" else "EdDSA"
    assert kelm[2] == f"Error: openpgp: invalid signature: {algo} verification failure\n"
    (tmp_path / (ARCHIVE + ".prov")).write_bytes(prov)
    args = ("verify", ARCHIVE, "--keyring", str(keys / "stranger.pub"))
    kelm, helm = _both(_kelm, tmp_path, *args), _both(_helm, tmp_path, *args)
    assert kelm == helm == (1, "", "Error: openpgp: signature made by unknown entity\n")


@needs_helm
@pytest.mark.parametrize("key", ["ed", "rsa", "sequoia"])
def test_kelm_signs_helm_verifies(key: str, gnupg: tuple[GnuPG, Path],
                                  sequoia_key: tuple[Path, Path, str], tmp_path: Path) -> None:
    _, keys = gnupg
    chart = _write_chart(tmp_path)
    if key == "sequoia":  # signed by a subkey: helm names the primary key
        secring, pubring, _ = sequoia_key
        name = "Provenance Signer"
    else:
        secring, pubring, name = keys / f"{key}.sec", keys / "all.pub", f"{key.capitalize()} Signer"
    res = _kelm("package", "--sign", "--key", name, "--keyring", str(secring), str(chart),
                cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout == f"Successfully packaged chart and saved it to: {tmp_path / ARCHIVE}\n"
    args = ("verify", ARCHIVE, "--keyring", str(pubring))
    kelm, helm = _both(_kelm, tmp_path, *args), _both(_helm, tmp_path, *args)
    assert kelm == helm and helm[0] == 0, helm
    # tampered archive: the signature holds, the hash does not
    with open(tmp_path / ARCHIVE, "ab") as fh:
        fh.write(b"\0")
    kelm, helm = _both(_kelm, tmp_path, *args), _both(_helm, tmp_path, *args)
    assert kelm == helm and kelm[0] == 1
    assert kelm[2].startswith(f"Error: sha256 sum does not match for {ARCHIVE}: ")


@needs_helm
@pytest.mark.parametrize("key,message", [
    ("expired", "openpgp: key expired"),
    ("revoked", "openpgp: signature made by revoked key"),
])
def test_helm_signature_of_a_dead_key(key: str, message: str, gnupg: tuple[GnuPG, Path],
                                      tmp_path: Path) -> None:
    """Helm signs with an expired key or one revoked later; neither verification accepts it.
    kelm refuses to sign with them at all."""
    _, keys = gnupg
    chart = _write_chart(tmp_path)
    res = _helm("package", "--sign", "--key", f"{key.capitalize()} Signer", "--keyring",
                str(keys / f"{key}.sec"), str(chart), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    args = ("verify", ARCHIVE, "--keyring", str(keys / f"{key}.pub"))
    kelm, helm = _both(_kelm, tmp_path, *args), _both(_helm, tmp_path, *args)
    assert kelm == helm == (1, "", f"Error: {message}\n")
    if key == "expired":
        res = _kelm("package", "--sign", "--key", "Expired Signer", "--keyring",
                    str(keys / "expired.sec"), str(chart), cwd=tmp_path)
        assert (res.returncode, res.stderr) == (1, "Error: openpgp: key expired\n")


CHART_V1 = """apiVersion: v1
name: oldie
version: 1.0.0-rc.1+build.5
description: |
  A multi-line
  description: with colons
   - and a dash line
home: https://example.com
sources: [https://s1, https://s2]
kubeVersion: ">=1.20"
deprecated: true
"""
REQUIREMENTS = """dependencies:
- name: dep
  version: 1.x
  repository: https://charts.example.com
  condition: dep.enabled
  tags: [a, b]
"""
CHART_V2 = """apiVersion: v2
name: newbie
version: 2.3.4
type: library
description: "Ünïcödé — \\"quotes\\" and a trailing space "
annotations: {b: "2", a: 'yes', "x/y": '{"json": true}'}
dependencies:
- name: sub
  version: 0.1.0
  repository: file://./sub
  alias: child
  import-values: [data, {child: a, parent: b}]
"""


@needs_helm
def test_signed_metadata_matches_helm(gnupg: tuple[GnuPG, Path], tmp_path: Path) -> None:
    """Chart.yaml metadata as Helm marshals it for v1 (requirements.yaml) and v2 charts."""
    from kelm.repo.provenance import sign_chart

    _, keys = gnupg
    v1, v2 = tmp_path / "oldie", tmp_path / "newbie"
    (v1 / "charts" / "dep").mkdir(parents=True)
    (v1 / "Chart.yaml").write_text(CHART_V1)
    (v1 / "requirements.yaml").write_text(REQUIREMENTS)
    (v1 / "charts" / "dep" / "Chart.yaml").write_text("apiVersion: v1\nname: dep\nversion: 1.0.0\n")
    (v2 / "charts" / "sub").mkdir(parents=True)
    (v2 / "Chart.yaml").write_text(CHART_V2)
    (v2 / "charts" / "sub" / "Chart.yaml").write_text("apiVersion: v2\nname: sub\nversion: 0.1.0\n")
    texts = {}
    for chart, archive in ((v1, "oldie-1.0.0-rc.1+build.5.tgz"), (v2, "newbie-2.3.4.tgz")):
        res = _helm("package", "--sign", "--key", "Ed Signer", "--keyring", str(keys / "ed.sec"),
                    str(chart), cwd=tmp_path)
        assert res.returncode == 0, res.stderr
        helm = (tmp_path / (archive + ".prov")).read_text()
        kelm = sign_chart(str(tmp_path / archive), "Ed Signer", str(keys / "ed.sec"), None)
        assert _signed_text(kelm) == _signed_text(helm)
        texts[chart.name] = _signed_text(helm)
    # v1: requirements.yaml's dependencies are part of the signed metadata (dash-escaped)
    assert "\ndependencies:\n- - condition: dep.enabled\n" in texts["oldie"]
    assert texts["newbie"].startswith("annotations:\n  a: \"yes\"\n")


@needs_helm
def test_signing_errors_match_helm(gnupg: tuple[GnuPG, Path], tmp_path: Path) -> None:
    _, keys = gnupg
    chart = _write_chart(tmp_path / "src")
    (tmp_path / "wrong.txt").write_text("wrong\n")
    (tmp_path / "empty.txt").write_text("")
    shutil.copy(GOLDEN / "pubring.kbx", tmp_path / "pubring.kbx")
    sign = ("package", str(chart), "--sign")
    cases = [
        (*sign,),
        (*sign, "--key", "x", "--keyring", ""),
        (*sign, "--key", "Nobody", "--keyring", str(keys / "all.sec")),
        (*sign, "--key", "Ed Signer", "--keyring", str(keys / "all.pub")),
        (*sign, "--key", "example.com", "--keyring", str(keys / "all.sec")),
        (*sign, "--key", "Ed Signer", "--keyring", "pubring.kbx"),
        (*sign, "--key", "Ed Signer", "--keyring", "missing.gpg"),
        (*sign, "--key", "Padlock", "--keyring", str(keys / "all.sec")),
        (*sign, "--key", "Padlock", "--keyring", str(keys / "all.sec"), "--passphrase-file",
         "wrong.txt"),
        (*sign, "--key", "Padlock", "--keyring", str(keys / "all.sec"), "--passphrase-file",
         "empty.txt"),
        (*sign, "--key", "Padlock", "--keyring", str(keys / "all.sec"), "--passphrase-file",
         "missing.txt"),
        (*sign, "--key", "Padlock", "--keyring", str(keys / "all.sec"), "--passphrase-file", "-"),
    ]
    for args in cases:
        kelm, helm = _both(_kelm, tmp_path, *args), _both(_helm, tmp_path, *args)
        assert kelm == helm, args
        assert kelm[0] == 1 and kelm[2].startswith("Error: "), (args, kelm)


@needs_helm
def test_passphrase_from_file_and_stdin(gnupg: tuple[GnuPG, Path], tmp_path: Path) -> None:
    _, keys = gnupg
    chart = _write_chart(tmp_path / "src")
    (tmp_path / "pass.txt").write_text("sekrit\r\nignored\n")
    sign = ("package", str(chart), "--sign", "--key", "Padlock Signer <padlock@example.com>",
            "--keyring", str(keys / "locked.sec"), "--passphrase-file")
    verify = ("verify", ARCHIVE, "--keyring", str(keys / "locked.pub"))
    for args, stdin in (((*sign, "pass.txt"), None), ((*sign, "-"), b"sekrit\n")):
        (tmp_path / (ARCHIVE + ".prov")).unlink(missing_ok=True)
        res = _kelm(*args, cwd=tmp_path, input=stdin)
        assert res.returncode == 0, res.stderr
        helm = _helm(*verify, cwd=tmp_path)
        assert helm.returncode == 0, helm.stderr
        assert helm.stdout.startswith("Signed by: Padlock Signer <padlock@example.com>\n")


if __name__ == "__main__":
    record()

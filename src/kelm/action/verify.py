"""Chart provenance for the commands: ``kelm verify`` (Helm's ``action.Verify``) and the
``--verify`` of chart downloads (Helm's ``ChartDownloader`` verification strategies).

A downloaded chart is checked under its download name (the last element of the URL path,
``name-version.tgz`` for a registry) against the provenance file fetched next to it:
``URL.prov`` over HTTP with the chart's credentials, the provenance layer of the manifest for
``oci://``.  Fetched provenance files are kept in the content cache beside the chart
(``<hex>.prov``) and taken from there next time, as Helm does.
"""

from __future__ import annotations

import os

from kelm.repo.provenance import ProvenanceError, Verification, verify_chart

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ALWAYS", "IF_POSSIBLE", "ProvenanceError", "cached_provenance", "check_download",
           "oci_provenance", "report", "store_provenance", "verify", "verify_chart"]

# Helm's VerificationStrategy values kelm needs: a missing provenance file fails the command
# (ALWAYS: --verify of install/template/pull, dependency update) or only warns (IF_POSSIBLE:
# dependency build --verify); a failed check fails both.
ALWAYS = "always"
IF_POSSIBLE = "if-possible"


def report(v: Verification) -> str:
    """What ``helm verify`` prints for a good signature: every identity of the signer, the
    primary key's fingerprint and the archive hash."""
    lines = [f"Signed by: {name}\n" for name in v.signed_by]
    lines.append(f"Using Key With Fingerprint: {v.fingerprint}\n")
    lines.append(f"Chart Hash Verified: {v.file_hash}\n")
    return "".join(lines)


def verify(chart_file: str, keyring: str) -> str:
    """Verify ``chart_file`` with ``chart_file.prov`` against ``keyring``; returns the report
    (raises :class:`ProvenanceError` with Helm's message)."""
    return report(verify_chart(chart_file, chart_file + ".prov", keyring))


def check_download(archive: bytes, prov: bytes, name: str, keyring: str) -> Verification:
    """Helm's ``VerifyChart`` for a download held in memory, named ``name``: the same checks
    in the same order (a ``.tgz`` name, the keyring, the signature, the archive's hash)."""
    from kelm.repo.provenance import load_keyring, verify_data

    if os.path.splitext(name)[1].lower() != ".tgz":
        raise ProvenanceError("chart must be a tgz file")
    try:
        ring = load_keyring(keyring)
    except ProvenanceError as e:
        raise ProvenanceError(f"failed to load keyring: {e}") from None
    return verify_data(archive, prov, name, ring)


def _prov_path(root: str, key: str) -> str | None:
    hexd = key.split(":", 1)[-1].lower()
    if not root or len(hexd) != 64 or any(c not in "0123456789abcdef" for c in hexd):
        return None
    return os.path.join(root, hexd[:2], hexd + ".prov")


def cached_provenance(root: str, key: str) -> bytes | None:
    """The provenance file the content cache keeps for the chart keyed ``key``, if any."""
    path = _prov_path(root, key)
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def store_provenance(root: str, key: str, data: bytes) -> None:
    """Keep ``data`` beside the cached chart (temporary file, then rename)."""
    path = _prov_path(root, key)
    if path is None:
        return
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            os.remove(tmp)
        except OSError:
            pass


def oci_provenance(ref: str, opts: Any) -> bytes:
    """The provenance layer of the manifest ``ref`` (``oci://host/repo/name:tag`` or
    ``@digest``) names: Helm's getter pulls it again asking for the provenance, so the
    registry's "Pulled:" lines appear a second time.  Raises ``RegistryError``."""
    from kelm.repo.oci import pull
    from kelm.repo.ociclient import RegistryError

    res = pull(ref, "", opts, with_prov=True, ignore_missing_prov=False)
    if res.prov is None:
        raise RegistryError("manifest does not contain a layer with mediatype "
                            "application/vnd.cncf.helm.chart.provenance.v1.prov")
    return res.prov

"""``kelm verify``: check a chart archive against its ``.prov`` file (Helm's ``action.Verify``)."""

from __future__ import annotations

from kelm.repo.provenance import ProvenanceError, Verification, verify_chart

__all__ = ["ProvenanceError", "report", "verify"]


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

"""Chart provenance as Helm writes and checks it (``helm package --sign``, ``helm verify``).

A ``.prov`` file is an OpenPGP clear-signed message (SHA-512, Helm's default) whose text is
the chart's Chart.yaml metadata as Helm marshals it, the YAML end marker ``...`` and a
``files:`` map of the archive's base name to ``sha256:<hex>``.  Keys come from keyrings as
Helm reads them: binary OpenPGP packet files (GnuPG's legacy ``pubring.gpg``/``secring.gpg``,
``gpg --export``/``--export-secret-keys``); keybox (``.kbx``) and armored files are refused with
Helm's message.  The OpenPGP work (signatures, secret-key decryption) is Sequoia's, through
``pysequoia``, imported on first use; failures carry the messages Helm's Go library prints.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: A passphrase, or a callback given the key's first identity that returns one (a prompt).
Passphrase = bytes | Callable[[str], bytes] | None

_SIGNED_HEADER = b"-----BEGIN PGP SIGNED MESSAGE-----"
_SIG_BEGIN = b"-----BEGIN PGP SIGNATURE-----"
_SIG_END = b"-----END PGP SIGNATURE-----"
_CRC_LINE = re.compile(rb"\n=[A-Za-z0-9+/]{4}\n(?=-----END PGP SIGNATURE-----)")

# Go's packet.PublicKey.VerifySignature names the algorithm in its failure message.
_ALGORITHM_NAMES = {
    "RSAEncryptSign": "RSA", "RSASign": "RSA", "RSAEncrypt": "RSA", "DSA": "DSA",
    "ECDSA": "ECDSA", "EdDSA": "EdDSA", "Ed25519": "Ed25519", "Ed448": "ed448",
}


class ProvenanceError(Exception):
    """Signing or verification failed; ``str()`` is Helm's message."""


@dataclass(frozen=True)
class Verification:
    """A verified chart: who signed it and the archive hash the signature covers."""

    signed_by: tuple[str, ...]  # the signer's user IDs ("Name (comment) <email>")
    fingerprint: str  # the signer's primary key fingerprint, upper-case hex as Helm prints it
    file_hash: str  # "sha256:<hex>"
    file_name: str  # the archive's base name the .prov names


@dataclass
class KeyringEntry:
    """One transferable key of a keyring file (a primary key with its user IDs and subkeys)."""

    fingerprint: str  # primary key, lower-case hex
    identities: list[str]
    key_ids: set[str]  # lower-case hex key IDs and fingerprints of the primary and subkeys
    secret: bool
    packets: list[Any] = field(repr=False, default_factory=list)

    def cert(self) -> Any:
        import pysequoia

        return pysequoia.Cert.from_packets(self.packets)


def _pysequoia() -> Any:
    import pysequoia

    return pysequoia


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def _os_message(op: str, path: str, e: OSError) -> str:
    return f"{op} {path}: {(e.strerror or str(e)).lower()}"


def _read(path: str, what: str) -> bytes:
    """The bytes of ``path``, or Helm's ``failed to read WHAT: open PATH: reason``."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as e:
        raise ProvenanceError(f"failed to read {what}: {_os_message('open', path, e)}") from None


# -- hashes and the signed text ---------------------------------------------------------------


def digest(data: bytes) -> str:
    """Hex SHA-256 of ``data`` (Helm's ``provenance.Digest``)."""
    return hashlib.sha256(data).hexdigest()


def digest_file(path: str) -> str:
    """Hex SHA-256 of the file at ``path``, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def metadata_text(archive: str) -> str:
    """The chart's Chart.yaml metadata as Helm marshals it when signing ``archive``."""
    from kelm.chart.jsonform import metadata_json
    from kelm.chart.loader import load_file
    from kelm.chart.model import ChartError
    from kelm.yaml import dump_v2

    try:
        chart = load_file(archive)
    except ChartError as e:
        raise ProvenanceError(f"failed to load chart for signing: {e}") from None
    except OSError as e:
        raise ProvenanceError(
            f"failed to load chart for signing: {_os_message('open', archive, e)}") from None
    return dump_v2(metadata_json(chart.metadata))


def message_block(archive_data: bytes, file_name: str, metadata: str) -> str:
    """The text Helm clear-signs: metadata, ``...``, then the archive's checksum."""
    from kelm.yaml import dump_v2

    sums = dump_v2({"files": {file_name: "sha256:" + digest(archive_data)}})
    return metadata + "\n...\n" + sums


def parse_sums(plaintext: bytes) -> dict[str, str]:
    """The ``files`` map of a signed message block (the metadata part is not needed)."""
    from kelm.yaml import YAMLError, load_helm

    parts = plaintext.split(b"\n...\n")
    if len(parts) < 2:
        raise ProvenanceError("message block must have at least two parts")
    try:
        doc = load_helm(parts[1].decode("utf-8", "replace"))
    except YAMLError as e:
        raise ProvenanceError(str(e)) from None
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, dict):
        return {}
    return {str(k): str(v) for k, v in files.items() if v is not None}


# -- keyrings ---------------------------------------------------------------------------------


def read_keyring(data: bytes) -> list[KeyringEntry]:
    """The keys of a binary OpenPGP keyring, in file order (Helm's ``openpgp.ReadKeyRing``)."""
    if data and not data[0] & 0x80:
        # keybox (.kbx) and armored files start with a byte that no packet tag has
        raise ProvenanceError("openpgp: invalid data: tag byte does not have MSB set")
    if not data:
        return []
    pgp = _pysequoia()
    tag = pgp.packet.Tag
    try:
        pile = pgp.packet.PacketPile.from_bytes(data)
    except Exception as e:  # Sequoia's parse errors carry no common base class
        raise ProvenanceError(f"openpgp: invalid data: {_first_line(e)}") from None
    entries: list[KeyringEntry] = []
    for p in pile:
        t = p.tag
        if t in (tag.PublicKey, tag.SecretKey):
            entries.append(KeyringEntry(fingerprint=(p.fingerprint or "").lower(),
                                        identities=[], key_ids=set(),
                                        secret=t == tag.SecretKey))
        if not entries:
            continue  # packets before the first key (Go skips them too)
        entry = entries[-1]
        entry.packets.append(p)
        if t in (tag.PublicKey, tag.SecretKey, tag.PublicSubkey, tag.SecretSubkey):
            entry.key_ids.update(x.lower() for x in (p.key_id, p.fingerprint) if x)
        elif t == tag.UserID and p.user_id is not None:
            entry.identities.append(p.user_id)
    return entries


def load_keyring(path: str) -> list[KeyringEntry]:
    """Read the keyring file at ``path``; errors read ``open PATH: ...`` as Helm's do."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise ProvenanceError(_os_message("open", path, e)) from None
    return read_keyring(data)


def find_key(ring: list[KeyringEntry], name: str) -> KeyringEntry | None:
    """The key Helm signs with for ``--key name``: an exact user ID, else the only one that
    contains ``name`` (GnuPG-style); two or more candidates are an error."""
    for entry in ring:
        if name in entry.identities:
            return entry
    matches = [e for e in ring for ident in e.identities if name in ident]
    if len(matches) > 1:
        raise ProvenanceError(f'more than one key contain the id "{name}"')
    return matches[0] if matches else None


# -- signing ----------------------------------------------------------------------------------


def _signer(entry: KeyringEntry, passphrase: Passphrase) -> Any:
    pgp = _pysequoia()
    try:
        tsk = pgp.Tsk.from_packets(entry.packets)
    except Exception as e:  # not a usable secret key
        raise ProvenanceError(f"openpgp: invalid data: {_first_line(e)}") from None
    try:
        return tsk.signer()
    except Exception as e:
        if "encrypted" not in str(e):
            raise _unusable(entry, e) from None
    name = next((i for i in entry.identities if i), "Unknown")
    secret = passphrase(name) if callable(passphrase) else passphrase
    if secret is None:
        raise ProvenanceError(f'the key "{name}" is encrypted: a passphrase is needed')
    try:
        password = secret.decode("utf-8")
    except UnicodeDecodeError:
        raise ProvenanceError("openpgp: invalid data: private key checksum failure") from None
    try:
        return tsk.signer(password)
    except Exception as e:
        if "signing" in str(e):  # decrypted, but no key that may sign now
            raise _unusable(entry, e) from None
        # a wrong passphrase (Sequoia: "unexpected EOF")
        raise ProvenanceError("openpgp: invalid data: private key checksum failure") from None


def _unusable(entry: KeyringEntry, e: Exception) -> ProvenanceError:
    """A secret key Sequoia will not sign with (Helm signs and its verification fails)."""
    import datetime

    cert = entry.cert()
    expiry = cert.expiration
    if cert.is_revoked:
        return ProvenanceError("openpgp: key revoked: it cannot sign")
    if expiry is not None and expiry <= datetime.datetime.now(datetime.UTC):
        return ProvenanceError("openpgp: key expired")
    return ProvenanceError(f"openpgp: {_first_line(e)}")


def clearsign(text: str, signer: Any) -> str:
    """``text`` clear-signed, framed as Go's clearsign writes it (no armor checksum line, no
    newline after the END line)."""
    pgp = _pysequoia()
    out: bytes = pgp.sign(signer, text.encode(), mode=pgp.SignatureMode.CLEAR)
    return _CRC_LINE.sub(b"\n", out).rstrip(b"\n").decode()


def sign_chart(archive: str, key_name: str, keyring: str, passphrase: Passphrase) -> str:
    """The ``.prov`` text for the chart archive ``archive``, signed with the secret key of
    ``keyring`` named ``key_name`` (Helm's ``Package.Clearsign``; the caller writes it)."""
    ring = load_keyring(keyring)
    entry = find_key(ring, key_name)
    if entry is None:
        raise ProvenanceError("private key not found")
    if not entry.secret:
        raise ProvenanceError(
            "provided key is not a private key. Try providing a keyring with secret keys")
    signer = _signer(entry, passphrase)
    metadata = metadata_text(archive)
    data = _read(archive, "chart archive")
    return clearsign(message_block(data, os.path.basename(archive), metadata), signer)


def _stdin_mode() -> int:
    import sys

    try:
        return os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError):  # no file descriptor (a replaced sys.stdin)
        return 0


def read_passphrase(path: str) -> bytes:
    """The first line of a passphrase file (``-``: standard input, which must be a pipe),
    read as Helm's ``--passphrase-file`` is."""
    import stat
    import sys

    if path == "-":
        if not stat.S_ISFIFO(_stdin_mode()):
            raise ProvenanceError(
                "specified reading passphrase from stdin, without input on stdin")
        stdin = getattr(sys.stdin, "buffer", None)
        data = stdin.readline() if stdin is not None else sys.stdin.readline().encode()
    else:
        try:
            with open(path, "rb") as fh:
                data = fh.readline()
        except OSError as e:
            raise ProvenanceError(_os_message("open", path, e)) from None
    if not data:
        raise ProvenanceError("EOF")
    return data.removesuffix(b"\n").removesuffix(b"\r")


def prompt_passphrase(name: str) -> bytes:
    """Ask for the passphrase of key ``name`` on the terminal without echo (Helm's prompt)."""
    import getpass
    import sys

    sys.stdout.write(f'Password for key "{name}" >  ')
    sys.stdout.flush()
    try:
        terminal = os.isatty(sys.stdin.fileno())
    except (OSError, ValueError):  # no file descriptor (a replaced sys.stdin)
        terminal = False
    if not terminal:
        sys.stdout.write("\n")
        raise ProvenanceError("inappropriate ioctl for device")
    return getpass.getpass("", stream=sys.stdout).encode()


def write_prov(archive: str, text: str) -> str:
    """Write ``text`` to ``ARCHIVE.prov`` (mode 0644, as Helm does); returns the path."""
    path = archive + ".prov"
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path


# -- verification -----------------------------------------------------------------------------


def _signature(prov: bytes) -> Any:
    """The signature packet of a clear-signed message, or None when there is no block."""
    start = prov.find(_SIGNED_HEADER)
    begin = prov.find(_SIG_BEGIN, start + 1) if start >= 0 else -1
    end = prov.find(_SIG_END, begin + 1) if begin >= 0 else -1
    if start < 0 or begin < 0 or end < 0:
        return None
    armored = prov[begin:end + len(_SIG_END)] + b"\n"
    try:
        return _pysequoia().Sig.from_bytes(armored)
    except Exception:  # an armor that does not decode: Go finds no block either
        return None


def _issuer(sig: Any) -> str:
    key_id = sig.issuer_key_id
    if not key_id and sig.issuer_fingerprint:
        key_id = sig.issuer_fingerprint[-16:]
    if not key_id:
        raise ProvenanceError("openpgp: invalid data: signature doesn't have an issuer")
    return str(key_id).lower()


def _failure(sig: Any, cert: Any) -> ProvenanceError:
    """Helm's reason for a signature Sequoia rejected."""
    import datetime

    now = datetime.datetime.now(datetime.UTC)
    if cert.is_revoked:
        return ProvenanceError("openpgp: signature made by revoked key")
    if cert.expiration is not None and cert.expiration <= now:
        return ProvenanceError("openpgp: key expired")
    if sig.expiration is not None and sig.expiration <= now:
        return ProvenanceError("openpgp: signature expired")
    algo = str(sig.key_algorithm).rsplit(".", 1)[-1]
    name = _ALGORITHM_NAMES.get(algo, algo)
    return ProvenanceError(f"openpgp: invalid signature: {name} verification failure")


def verify_data(archive_data: bytes, prov_data: bytes, file_name: str,
                ring: list[KeyringEntry]) -> Verification:
    """Check ``prov_data`` against ``ring`` and the archive bytes (Helm's ``Signatory.Verify``:
    the signature first, then the archive's hash)."""
    sig = _signature(prov_data)
    if sig is None:
        raise ProvenanceError("signature block not found")
    issuer = _issuer(sig)
    entry = next((e for e in ring if issuer in e.key_ids), None)
    if entry is None:
        raise ProvenanceError("openpgp: signature made by unknown entity")
    cert = entry.cert()
    pgp = _pysequoia()
    try:
        result = pgp.verify(bytes=prov_data, store=lambda _ids: [cert])
    except Exception:  # Sequoia says only "no valid signatures found"
        raise _failure(sig, cert) from None
    if not result.valid_sigs or result.bytes is None:
        raise _failure(sig, cert)
    sums = parse_sums(result.bytes)
    got = "sha256:" + digest(archive_data)
    want = sums.get(file_name)
    if want is None:
        raise ProvenanceError(
            f'provenance does not contain a SHA for a file named "{file_name}"')
    if want != got:
        raise ProvenanceError(
            f'sha256 sum does not match for {file_name}: "{want}" != "{got}"')
    valid = {str(u) for u in cert.user_ids}  # Sequoia sorts them; keep the keyring's order
    identities = tuple(i for i in entry.identities if i in valid) or tuple(entry.identities)
    return Verification(signed_by=identities, fingerprint=entry.fingerprint.upper(),
                        file_hash=got, file_name=file_name)


def verify_chart(archive: str, prov: str, keyring: str) -> Verification:
    """Verify the chart archive ``archive`` with its provenance file ``prov`` against the
    public keys of ``keyring`` (Helm's ``downloader.VerifyChart``, same checks and messages)."""
    try:
        is_dir = os.path.isdir(archive)
        os.stat(archive)
    except OSError as e:
        raise ProvenanceError(_os_message("stat", archive, e)) from None
    if is_dir:
        raise ProvenanceError("unpacked charts cannot be verified")
    if os.path.splitext(archive)[1].lower() != ".tgz":
        raise ProvenanceError("chart must be a tgz file")
    try:
        os.stat(prov)
    except OSError as e:
        raise ProvenanceError(
            f"could not load provenance file {prov}: {_os_message('stat', prov, e)}") from None
    try:
        ring = load_keyring(keyring)
    except ProvenanceError as e:
        raise ProvenanceError(f"failed to load keyring: {e}") from None
    archive_data = _read(archive, "chart archive")
    prov_data = _read(prov, "provenance file")
    return verify_data(archive_data, prov_data, os.path.basename(archive), ring)


__all__ = ["KeyringEntry", "Passphrase", "ProvenanceError", "Verification", "clearsign",
           "digest", "digest_file", "find_key", "load_keyring", "message_block", "metadata_text",
           "parse_sums", "prompt_passphrase", "read_keyring", "read_passphrase", "sign_chart", "verify_chart", "verify_data",
           "write_prov"]

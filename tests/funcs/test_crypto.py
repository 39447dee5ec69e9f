"""Direct tests of kelm.funcs.crypto: known vectors, Go-compatible framing, X.509 structure."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bcrypt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kelm import clock
from kelm.funcs import crypto
from kelm.golang.value import GoError

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "funcs" / "crypto.json"


def _fixed_values() -> dict:
    """Keys, a CA and ciphertexts produced by the real Helm, stored with the golden cases."""
    import yaml

    for case in json.loads(GOLDEN.read_text())["cases"]:
        if case["id"] == "decryptAES-helm-hello":
            return yaml.safe_load(case["values"])
    raise AssertionError("fixture case missing")


FIXED = _fixed_values()


def _cert(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def _skid(cert: x509.Certificate) -> bytes:
    return cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest


def test_hash_vectors() -> None:
    assert crypto.sha1sum("a") == "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8"
    assert crypto.sha256sum("a") == (
        "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
    )
    assert crypto.sha512sum("") == hashlib.sha512(b"").hexdigest()
    assert crypto.adler32sum("a") == "6422626"
    assert crypto.adler32sum("") == "1"


def test_derive_password_master_password_vector() -> None:
    assert crypto.derive_password(1, "long", "password", "user", "example.com") == "ZedaFaxcZaso9*"
    assert crypto.derive_password(1, "nope", "p", "u", "s") == "cannot find password template nope"
    assert len(crypto.derive_password(3, "maximum", "p", "u", "s")) == 20
    assert crypto.derive_password(3, "pin", "p", "u", "s").isdigit()


def test_bcrypt_and_htpasswd() -> None:
    h = crypto.bcrypt_hash("secret")
    assert h.startswith("$2a$10$") and len(h) == 60
    assert bcrypt.checkpw(b"secret", h.encode())
    user, _, hashed = crypto.htpasswd("admin", "pw").partition(":")
    assert user == "admin" and bcrypt.checkpw(b"pw", hashed.encode())
    assert crypto.htpasswd("a:b", "x") == "invalid username: a:b"
    assert crypto.bcrypt_hash("x" * 73).startswith("failed to encrypt string with bcrypt:")
    assert bcrypt.checkpw(b"x" * 72, crypto.bcrypt_hash("x" * 72).encode())


def test_rand_bytes() -> None:
    assert len(base64.b64decode(crypto.rand_bytes(33))) == 33
    assert crypto.rand_bytes(0) == ""
    with pytest.raises(GoError, match="makeslice: len out of range"):
        crypto.rand_bytes(-1)


@pytest.mark.parametrize(
    ("text", "pos"),
    [("YW=j", 2), ("YWJj!", 4), ("YWJjZA", 4), ("YWJjZA=", 7), ("YWJjZA==YW", 8), ("Y", 0)],
)
def test_go_base64_error_offsets(text: str, pos: int) -> None:
    # offsets as Go's base64.StdEncoding reports them (see the decryptAES golden cases)
    with pytest.raises(GoError, match=f"illegal base64 data at input byte {pos}$"):
        crypto.go_b64decode(text)


@pytest.mark.parametrize("raw", [b"", b"a", b"ab", b"abc", b"abcd", bytes(range(256))])
def test_go_base64_decodes_like_stdlib(raw: bytes) -> None:
    enc = base64.b64encode(raw).decode()
    assert crypto.go_b64decode(enc) == raw
    assert crypto.go_b64decode("\r\n".join(enc[i : i + 3] for i in range(0, len(enc), 3))) == raw


def test_aes_interoperates_with_helm() -> None:
    assert crypto.decrypt_aes("secret", FIXED["ct_hello"]) == "hello world"
    long_pw = "a-password-longer-than-thirty-two-bytes!!"
    assert crypto.decrypt_aes(long_pw, FIXED["ct_long"]) == "exactly16bytes!!"
    assert crypto.decrypt_aes("pässwörd", FIXED["ct_unicode"]) == "héllo ✓"


@pytest.mark.parametrize("plain", ["x", "exactly16bytes!!", "é" * 40])
def test_aes_roundtrip_and_framing(plain: str) -> None:
    ct = base64.b64decode(crypto.encrypt_aes("pw", plain))
    n = len(plain.encode())
    assert len(ct) == 16 + (n // 16 + 1) * 16  # IV + always-padded body
    assert crypto.decrypt_aes("pw", crypto.encrypt_aes("pw", plain)) == plain
    assert crypto.encrypt_aes("pw", plain) != crypto.encrypt_aes("pw", plain)


def test_aes_edge_errors() -> None:
    assert crypto.encrypt_aes("k", "") == "" and crypto.decrypt_aes("k", "") == ""
    with pytest.raises(GoError, match=r"slice bounds out of range \[:16\] with capacity 3"):
        crypto.decrypt_aes("k", "YWJj")
    with pytest.raises(GoError, match="input not full blocks"):
        crypto.decrypt_aes("k", "A" * 26 + "==")
    with pytest.raises(GoError, match=r"index out of range \[-1\]"):
        crypto.decrypt_aes("k", "A" * 22 + "==")


@pytest.mark.parametrize(
    ("kind", "label", "cls"),
    [
        ("ecdsa", "EC PRIVATE KEY", ec.EllipticCurvePrivateKey),
        ("ed25519", "PRIVATE KEY", ed25519.Ed25519PrivateKey),
        ("dsa", "DSA PRIVATE KEY", dsa.DSAPrivateKey),
    ],
)
def test_gen_private_key_types(kind: str, label: str, cls: type) -> None:
    pem = crypto.gen_private_key(kind)
    assert pem.startswith(f"-----BEGIN {label}-----\n") and pem.endswith(f"-----END {label}-----\n")
    key = serialization.load_pem_private_key(pem.encode(), None)
    assert isinstance(key, cls)
    if isinstance(key, dsa.DSAPrivateKey):
        params = key.parameters().parameter_numbers()
        assert (params.p.bit_length(), params.q.bit_length()) == (2048, 256)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        assert key.curve.name == "secp256r1"
    assert crypto.gen_private_key("nope") == "Unknown type nope"


def test_gen_ca_structure() -> None:
    ca = crypto.gen_ca("my-ca", 10)
    assert (ca.go_type, ca._go_fields) == ("sprig.certificate", ("Cert", "Key"))
    cert = _cert(ca.Cert)
    key = serialization.load_pem_private_key(ca.Key.encode(), None)
    assert ca.Key.startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    assert cert.subject == cert.issuer
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "my-ca"
    assert len(cert.subject.rdns) == 1
    assert 0 <= cert.serial_number < 1 << 128
    span = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert span == timedelta(days=10)
    now = datetime.fromtimestamp(clock.time(), UTC)  # kelm's clock: the suite may move it
    assert abs(cert.not_valid_before_utc - now) < timedelta(minutes=1)
    exts = cert.extensions
    assert [e.oid._name for e in exts] == [
        "keyUsage",
        "extendedKeyUsage",
        "basicConstraints",
        "subjectKeyIdentifier",
    ]
    ku = exts.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.key_cert_sign and ku.value.digital_signature
    assert ku.value.key_encipherment
    bc = exts.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical and bc.value.ca and bc.value.path_length is None
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert _skid(cert) == hashlib.sha256(crypto._spki_key_bits(spki)).digest()[:20]
    cert.verify_directly_issued_by(cert)


def test_gen_signed_cert_chains_to_ca() -> None:
    ca = crypto.gen_ca("ca", 5)
    leaf = crypto.gen_signed_cert(
        "leaf", ["10.0.0.1", "::1", "::ffff:1.2.3.4"], ["leaf.svc", "*.leaf.svc"], 5, ca
    )
    ca_cert, cert = _cert(ca.Cert), _cert(leaf.Cert)
    cert.verify_directly_issued_by(ca_cert)
    assert cert.issuer == ca_cert.subject
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == _skid(ca_cert)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["leaf.svc", "*.leaf.svc"]
    assert san.get_values_for_type(x509.IPAddress) == [
        ipaddress.ip_address("10.0.0.1"),
        ipaddress.ip_address("::1"),
        ipaddress.ip_address("1.2.3.4"),
    ]
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not cert.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    with pytest.raises(x509.ExtensionNotFound):
        cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert leaf.Key != ca.Key


def test_helm_made_ca_signs_kelm_leaf() -> None:
    ca = crypto.build_custom_cert(
        base64.b64encode(FIXED["ca_cert"].encode()).decode(),
        base64.b64encode(FIXED["ca_key"].encode()).decode(),
    )
    assert ca.Cert == FIXED["ca_cert"]
    leaf = crypto.gen_signed_cert_with_key("x", None, ["x.example"], 1, ca, FIXED["ec_key"])
    assert leaf.Key == FIXED["ec_key"]
    cert = _cert(leaf.Cert)
    cert.verify_directly_issued_by(_cert(FIXED["ca_cert"]))
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)


def test_self_signed_with_keys() -> None:
    ed = crypto.gen_self_signed_cert_with_key("x", ["1.1.1.1"], None, 2, FIXED["ed_key"])
    cert = _cert(ed.Cert)
    assert cert.signature_algorithm_oid._name == "ed25519"
    cert.public_key().verify(cert.signature, cert.tbs_certificate_bytes)  # type: ignore[call-arg]
    ecc = _cert(crypto.gen_self_signed_cert_with_key("x", None, None, 2, FIXED["ec_key"]).Cert)
    assert isinstance(ecc.signature_hash_algorithm, hashes.SHA256)
    rsa_c = _cert(crypto.gen_self_signed_cert("x", None, None, 2).Cert)
    rsa_c.public_key().verify(  # type: ignore[union-attr]
        rsa_c.signature, rsa_c.tbs_certificate_bytes, padding.PKCS1v15(), hashes.SHA256()
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: crypto.gen_self_signed_cert("x", ["1.2.3.4", 5], None, 1),
            "error parsing ip: 5 is not a string",
        ),
        (
            lambda: crypto.gen_self_signed_cert("x", ["::1%eth0"], None, 1),
            "error parsing ip: ::1%eth0",
        ),
        (
            lambda: crypto.gen_self_signed_cert("x", ["01.2.3.4"], None, 1),
            "error parsing ip: 01.2.3.4",
        ),
        (
            lambda: crypto.gen_self_signed_cert("x", None, [None], 1),
            "error processing alternate dns name: <nil> is not a string",
        ),
        (
            lambda: crypto.gen_self_signed_cert("x", None, ["é.com"], 1),
            'error creating certificate: x509: "é.com" cannot be encoded as an IA5String',
        ),
        (
            lambda: crypto.gen_ca_with_key("x", 1, FIXED["dsa_key"]),
            "error creating certificate: "
            "x509: certificate private key does not implement crypto.Signer",
        ),
        (
            lambda: crypto.gen_ca_with_key("x", 1, "garbage"),
            "parsing private key: no PEM data in input",
        ),
        (
            lambda: crypto.gen_ca_with_key("x", 1, FIXED["ca_cert"]),
            "parsing private key: no private key data in PEM block of type CERTIFICATE",
        ),
        (lambda: crypto.build_custom_cert("!!", ""), "unable to decode base64 certificate"),
        (
            lambda: crypto.build_custom_cert(base64.b64encode(b"hi").decode(), ""),
            "unable to decode certificate",
        ),
    ],
)
def test_errors_match_sprig(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(GoError) as err:
        call()
    assert str(err.value) == message


def test_signed_cert_key_mismatch_and_dsa_leaf() -> None:
    ca, other = crypto.gen_ca("a", 1), crypto.gen_ca("b", 1)
    bad = crypto.Certificate(ca.Cert, other.Key)
    with pytest.raises(GoError, match="provided PrivateKey doesn't match parent's PublicKey"):
        crypto.gen_signed_cert("x", None, None, 1, bad)
    with pytest.raises(GoError, match=r"unsupported public key type: \*dsa.PublicKey"):
        crypto.gen_signed_cert_with_key("x", None, None, 1, ca, FIXED["dsa_key"])


def test_asn1_error_for_garbage_rsa_key() -> None:
    pem = "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"
    with pytest.raises(
        GoError,
        match=r"tags don't match \(16 vs \{class:0 tag:0 length:0 "
        r"isCompound:false\}\) .* pkcs1PrivateKey @2$",
    ):
        crypto.gen_ca_with_key("x", 1, pem)

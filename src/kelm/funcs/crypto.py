"""Sprig's hashing, password, key, certificate and AES functions.

Random outputs (keys, certificates, salts, IVs) cannot match Helm byte for byte, so they match
its *structure*: same key types and PEM labels, same X.509 fields and extensions, same AES
framing (so ciphertexts decrypt in either tool), same error texts.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import zlib
from datetime import UTC, datetime, timedelta

from kelm.golang.value import GoError, GoFunc, GoStruct, gofunc

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    _F = TypeVar("_F", bound=Callable[..., Any])

FUNCS: dict[str, GoFunc] = {}


def _register(name: str, sig: str) -> Callable[[_F], _F]:
    def wrap(fn: _F) -> _F:
        FUNCS[name] = gofunc(sig)(fn)
        return fn

    return wrap


def _b(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _s(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


class GoPanic(GoError):
    """A Go runtime panic inside a function; text/template reports it like an error."""


# --------------------------------------------------------------------------- hashes


@_register("sha1sum", "func(string) string")
def sha1sum(s: str) -> str:
    return hashlib.sha1(_b(s)).hexdigest()


@_register("sha256sum", "func(string) string")
def sha256sum(s: str) -> str:
    return hashlib.sha256(_b(s)).hexdigest()


@_register("sha512sum", "func(string) string")
def sha512sum(s: str) -> str:
    return hashlib.sha512(_b(s)).hexdigest()


@_register("adler32sum", "func(string) string")
def adler32sum(s: str) -> str:
    return str(zlib.adler32(_b(s)))


# --------------------------------------------------------------------------- passwords

BCRYPT_COST = 10  # golang.org/x/crypto/bcrypt DefaultCost


@_register("bcrypt", "func(string) string")
def bcrypt_hash(s: str) -> str:
    import bcrypt

    pw = _b(s)
    if len(pw) > 72:
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    return bcrypt.hashpw(pw, bcrypt.gensalt(BCRYPT_COST, prefix=b"2a")).decode("ascii")


@_register("htpasswd", "func(string, string) string")
def htpasswd(user: str, password: str) -> str:
    if ":" in user:
        return f"invalid username: {user}"
    return f"{user}:{bcrypt_hash(password)}"


@_register("randBytes", "func(int) (string, error)")
def rand_bytes(n: int) -> str:
    if n < 0:
        raise GoPanic("runtime error: makeslice: len out of range")
    import secrets  # with hmac ~5 ms to import: only the random and key functions need it

    return base64.b64encode(secrets.token_bytes(n)).decode("ascii")


_MP_SEED = b"com.lyndir.masterpassword"
_MP_TEMPLATES: dict[str, tuple[str, ...]] = {
    "maximum": ("anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"),
    "long": tuple(
        a + b + c
        for a, b, c in (
            ("Cvcvno", "Cvcv", "Cvcv"),
            ("Cvcv", "Cvcvno", "Cvcv"),
            ("Cvcv", "Cvcv", "Cvcvno"),
            ("Cvccno", "Cvcv", "Cvcv"),
            ("Cvcc", "Cvcvno", "Cvcv"),
            ("Cvcc", "Cvcv", "Cvcvno"),
            ("Cvcvno", "Cvcc", "Cvcv"),
            ("Cvcv", "Cvccno", "Cvcv"),
            ("Cvcv", "Cvcc", "Cvcvno"),
            ("Cvcvno", "Cvcv", "Cvcc"),
            ("Cvcv", "Cvcvno", "Cvcc"),
            ("Cvcv", "Cvcv", "Cvccno"),
            ("Cvccno", "Cvcc", "Cvcv"),
            ("Cvcc", "Cvccno", "Cvcv"),
            ("Cvcc", "Cvcc", "Cvcvno"),
            ("Cvcvno", "Cvcc", "Cvcc"),
            ("Cvcv", "Cvccno", "Cvcc"),
            ("Cvcv", "Cvcc", "Cvccno"),
            ("Cvccno", "Cvcv", "Cvcc"),
            ("Cvcc", "Cvcvno", "Cvcc"),
            ("Cvcc", "Cvcv", "Cvccno"),
        )
    ),
    "medium": ("CvcnoCvc", "CvcCvcno"),
    "short": ("Cvcn",),
    "basic": ("aaanaaan", "aannaaan", "aaannaaa"),
    "pin": ("nnnn",),
}
_VOWELS, _CONSONANTS = "AEIOU", "BCDFGHJKLMNPQRSTVWXYZ"
_MP_CHARS: dict[str, str] = {
    "V": _VOWELS,
    "C": _CONSONANTS,
    "v": _VOWELS.lower(),
    "c": _CONSONANTS.lower(),
    "A": _VOWELS + _CONSONANTS,
    "a": _VOWELS + _VOWELS.lower() + _CONSONANTS + _CONSONANTS.lower(),
    "n": "0123456789",
    "o": "@&%?,=[]_:-+*$#!'^~;()/.",
    "x": _VOWELS + _VOWELS.lower() + _CONSONANTS + _CONSONANTS.lower() + "0123456789!@#$%^&*()",
}


@_register("derivePassword", "func(uint32, string, string, string, string) string")
def derive_password(counter: int, kind: str, password: str, user: str, site: str) -> str:
    """The Master Password algorithm (scrypt key from user, HMAC seed from site + counter)."""
    templates = _MP_TEMPLATES.get(kind)
    if templates is None:
        return f"cannot find password template {kind}"
    u, st = _b(user), _b(site)
    salt = _MP_SEED + len(u).to_bytes(4, "big") + u
    key = hashlib.scrypt(_b(password), salt=salt, n=32768, r=8, p=2, dklen=64, maxmem=1 << 26)
    msg = _MP_SEED + len(st).to_bytes(4, "big") + st + (counter & 0xFFFFFFFF).to_bytes(4, "big")
    import hmac

    seed = hmac.new(key, msg, hashlib.sha256).digest()
    template = templates[seed[0] % len(templates)]
    out = []
    for i, cls in enumerate(template):
        chars = _MP_CHARS[cls]
        out.append(chars[seed[i + 1] % len(chars)])
    return "".join(out)


# --------------------------------------------------------------------------- Go encodings

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_INDEX = {c: i for i, c in enumerate(_B64.encode())}


def go_b64decode(s: str) -> bytes:
    """Go's ``base64.StdEncoding.DecodeString``: padding required, CR/LF ignored.

    Raises GoError with Go's ``illegal base64 data at input byte N``.
    """
    src = _b(s)
    out = bytearray()
    si, n = 0, len(src)

    def bad(pos: int) -> GoError:
        return GoError(f"illegal base64 data at input byte {pos}")

    while True:
        vals: list[int] = []
        j = 0
        done = False
        while j < 4:
            if si == n:
                if j == 0:
                    return bytes(out)
                raise bad(si - j)
            c = src[si]
            si += 1
            if c in _B64_INDEX:
                vals.append(_B64_INDEX[c])
                j += 1
                continue
            if c in (10, 13):
                continue
            if c != 61:  # '='
                raise bad(si - 1)
            if j in (0, 1):
                raise bad(si - 1)
            if j == 2:
                while si < n and src[si] in (10, 13):
                    si += 1
                if si == n:
                    raise bad(n)
                if src[si] != 61:
                    raise bad(si - 1)
                si += 1
            while si < n and src[si] in (10, 13):
                si += 1
            if si < n:
                raise bad(si)
            done = True
            break
        val = 0
        for k in range(4):
            val = (val << 6) | (vals[k] if k < len(vals) else 0)
        chunk = val.to_bytes(3, "big")
        out += chunk[: len(vals) - 1] if len(vals) < 4 else chunk
        if done:
            return bytes(out)


def pem_decode(data: bytes) -> tuple[str, bytes] | None:
    """The first decodable PEM block of ``data`` as (type, bytes), like Go's ``pem.Decode``."""
    rest = data
    while True:
        i = rest.find(b"-----BEGIN ")
        if i < 0:
            return None
        rest = rest[i + len(b"-----BEGIN ") :]
        eol = rest.find(b"\n")
        line = rest if eol < 0 else rest[:eol]
        line = line.rstrip(b" \t\r")
        if not line.endswith(b"-----") or eol < 0:
            continue
        typ = line[:-5]
        body = rest[eol + 1 :]
        end_marker = b"-----END " + typ + b"-----"
        j = body.find(end_marker)
        if j < 0:
            continue
        text = body[:j]
        lines = text.split(b"\n")
        if lines and b":" in lines[0]:  # RFC 1421 headers, ended by a blank line
            k = 0
            while k < len(lines) and lines[k].strip():
                k += 1
            lines = lines[k + 1 :]
        b64 = b"".join(ln.strip(b" \t\r") for ln in lines)
        try:
            der = base64.b64decode(b64, validate=True)
        except ValueError:
            continue
        return _s(typ), der


def pem_encode(typ: str, der: bytes) -> str:
    b64 = base64.b64encode(der).decode("ascii")
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return (
        f"-----BEGIN {typ}-----\n" + "".join(ln + "\n" for ln in lines) + f"-----END {typ}-----\n"
    )


# --------------------------------------------------------------------------- AES


def _aes_key(password: str) -> bytes:
    return _b(password)[:32].ljust(32, b"\0")


@_register("encryptAES", "func(string, string) (string, error)")
def encrypt_aes(password: str, plaintext: str) -> str:
    """AES-256-CBC; key = password bytes zero-padded/truncated to 32; IV || ciphertext, base64."""
    if plaintext == "":
        return ""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    content = _b(plaintext)
    pad = 16 - len(content) % 16
    content += bytes([pad]) * pad
    iv = os.urandom(16)
    enc = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + enc.update(content) + enc.finalize()).decode("ascii")


@_register("decryptAES", "func(string, string) (string, error)")
def decrypt_aes(password: str, b64: str) -> str:
    if b64 == "":
        return ""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    crypt = go_b64decode(b64)
    if len(crypt) < 16:
        raise GoPanic(f"runtime error: slice bounds out of range [:16] with capacity {len(crypt)}")
    iv, body = crypt[:16], crypt[16:]
    if len(body) % 16:
        raise GoPanic("crypto/cipher: input not full blocks")
    if not body:
        raise GoPanic("runtime error: index out of range [-1]")
    dec = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).decryptor()
    plain = dec.update(body) + dec.finalize()
    end = len(plain) - plain[-1]
    if end < 0:
        raise GoPanic(f"runtime error: slice bounds out of range [:{end}]")
    return _s(plain[:end])


# --------------------------------------------------------------------------- keys


class Certificate(GoStruct):
    """Sprig's ``certificate`` struct: PEM ``Cert`` and ``Key``."""

    go_type = "sprig.certificate"
    _go_fields = ("Cert", "Key")

    def __init__(self, cert: str = "", key: str = "") -> None:
        self.Cert = cert
        self.Key = key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Certificate) and (self.Cert, self.Key) == (other.Cert, other.Key)

    def __hash__(self) -> int:
        return hash((self.Cert, self.Key))

    def __repr__(self) -> str:
        return f"Certificate(Cert={self.Cert[:40]!r}..., Key=...)"


def _is_probable_prime(n: int, rounds: int = 24) -> bool:
    import secrets

    if n < 2:
        return False
    for p in _small_primes():
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
        a = secrets.randbelow(n - 3) + 2
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


@functools.cache
def _small_primes() -> list[int]:
    return [p for p in range(3, 2000, 2) if all(p % q for q in range(3, int(p**0.5) + 1, 2))]


def _dsa_l2048_n256() -> Any:
    """A DSA key over fresh (L=2048, N=256) parameters, as Go's dsa.L2048N256 gives."""
    import secrets

    from cryptography.hazmat.primitives.asymmetric import dsa

    key = dsa.generate_private_key(2048)
    if key.parameters().parameter_numbers().q.bit_length() == 256:
        return key
    while True:
        q = secrets.randbits(256) | (1 << 255) | 1
        if _is_probable_prime(q):
            break
    while True:
        x = secrets.randbits(2048) | (1 << 2047)
        p = x - (x % (2 * q)) + 1
        if p.bit_length() == 2048 and _is_probable_prime(p):
            break
    h, g = 2, 1
    while g == 1:
        g = pow(h, (p - 1) // q, p)
        h += 1
    pn = dsa.DSAParameterNumbers(p, q, g)
    return pn.parameters().generate_private_key()


def _key_pem(key: Any) -> str:
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import ed25519

    if isinstance(key, ed25519.Ed25519PrivateKey):
        fmt = ser.PrivateFormat.PKCS8
    else:
        fmt = ser.PrivateFormat.TraditionalOpenSSL
    return key.private_bytes(ser.Encoding.PEM, fmt, ser.NoEncryption()).decode("ascii")


@_register("genPrivateKey", "func(string) string")
def gen_private_key(kind: str) -> str:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if kind in ("", "rsa"):
        key: Any = rsa.generate_private_key(65537, 4096)
    elif kind == "dsa":
        key = _dsa_l2048_n256()
    elif kind == "ecdsa":
        key = ec.generate_private_key(ec.SECP256R1())
    elif kind == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
    else:
        return "Unknown type " + kind
    return _key_pem(key)


_ASN1_PARAMS = (
    "{optional:false explicit:false application:false private:false defaultValue:<nil> "
    "tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}"
)


def _asn1_error(der: bytes, struct: str) -> str | None:
    """Go's encoding/asn1 message when ``der`` does not even start with a SEQUENCE."""
    if len(der) < 2:
        return "asn1: syntax error: data truncated"
    first, ln = der[0], der[1]
    if first == 0x30:
        return None
    if ln & 0x80:
        return None
    return (
        f"asn1: structure error: tags don't match (16 vs {{class:{first >> 6} tag:{first & 0x1F} "
        f"length:{ln} isCompound:{str(bool(first & 0x20)).lower()}}}) {_ASN1_PARAMS} {struct} @2"
    )


def _der_load_private(der: bytes, what: str, struct: str) -> Any:
    from cryptography.hazmat.primitives import serialization as ser

    msg = _asn1_error(der, struct)
    if msg is not None:
        raise GoError(f"{what}: {msg}")
    try:
        return ser.load_der_private_key(der, None)
    except Exception as e:  # noqa: BLE001
        raise GoError(f"{what}: x509: malformed private key") from e


def parse_private_key_pem(text: str) -> Any:
    """Sprig's parsePrivateKeyPEM: PKCS#8, or RSA/EC/DSA by PEM label."""
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa

    block = pem_decode(_b(text))
    if block is None:
        raise GoError("no PEM data in input")
    typ, der = block
    if typ == "PRIVATE KEY":
        return _der_load_private(der, "decoding PEM as PKCS#8", "pkcs8")
    if not typ.endswith(" PRIVATE KEY"):
        raise GoError(f"no private key data in PEM block of type {typ}")
    algo = typ[: -len(" PRIVATE KEY")]
    expected = {
        "RSA": rsa.RSAPrivateKey,
        "EC": ec.EllipticCurvePrivateKey,
        "DSA": dsa.DSAPrivateKey,
    }
    if algo not in expected:
        raise GoError(f"invalid private key type {typ}")
    what = f"parsing {algo} private key from PEM"
    struct = {"RSA": "pkcs1PrivateKey", "EC": "ecPrivateKey", "DSA": "DSAKeyFormat"}[algo]
    key = _der_load_private(der, what, struct)
    if not isinstance(key, expected[algo]):
        hint = (
            "ParseECPrivateKey"
            if isinstance(key, ec.EllipticCurvePrivateKey)
            else (
                "ParsePKCS1PrivateKey"
                if isinstance(key, rsa.RSAPrivateKey)
                else "ParsePKCS8PrivateKey"
            )
        )
        raise GoError(
            f"{what}: x509: failed to parse private key (use {hint} instead for this key format)"
        )
    return key


# --------------------------------------------------------------------------- certificates


def _printable(s: str) -> bool:
    # Go's asn1 marshalling rejects '*' (and '&') here, so such names become UTF8String
    ok = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '()+,-./:=?")
    return all(c in ok for c in s)


def _name(cn: str) -> Any:
    from cryptography import x509
    from cryptography.x509.name import _ASN1Type
    from cryptography.x509.oid import NameOID

    if cn == "":
        return x509.Name([])
    typ = _ASN1Type.PrintableString if _printable(cn) else _ASN1Type.UTF8String
    try:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn, _type=typ)])
    except ValueError:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _go_v(v: Any) -> str:
    from kelm.golang.fmt import format_value

    return format_value(v)


def _parse_ip(s: str) -> Any:
    import ipaddress

    if "%" in s:
        return None
    try:
        ip = ipaddress.ip_address(s)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _ips(ips: list | None) -> list[Any]:
    out = []
    for ip in ips or []:
        if not isinstance(ip, str):
            raise GoError(f"error parsing ip: {_go_v(ip)} is not a string")
        parsed = _parse_ip(ip)
        if parsed is None:
            raise GoError(f"error parsing ip: {ip}")
        out.append(parsed)
    return out


def _dns_names(names: list | None) -> list[str]:
    out = []
    for n in names or []:
        if not isinstance(n, str):
            raise GoError(f"error processing alternate dns name: {_go_v(n)} is not a string")
        out.append(n)
    return out


_NS_PER_DAY = 86400 * 10**9


def _wrap64(n: int) -> int:
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


def _public_key(priv: Any) -> Any:
    return priv.public_key()


def _sign_params(signer: Any) -> Any:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(signer, rsa.RSAPrivateKey):
        return hashes.SHA256()
    if isinstance(signer, ec.EllipticCurvePrivateKey):
        bits = signer.curve.key_size
        return hashes.SHA512() if bits > 384 else hashes.SHA384() if bits > 256 else hashes.SHA256()
    if isinstance(signer, ed25519.Ed25519PrivateKey):
        return None
    raise GoError(
        "error creating certificate: x509: certificate private key does not implement crypto.Signer"
    )


def _skid(pub: Any) -> bytes:
    """Go 1.25's default SubjectKeyId: SHA-256 of the subjectPublicKey bits, first 20 bytes."""
    from cryptography.hazmat.primitives import serialization as ser

    spki = pub.public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(_spki_key_bits(spki)).digest()[:20]


def _der_read(buf: bytes, i: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at ``i``."""
    tag = buf[i]
    ln = buf[i + 1]
    i += 2
    if ln & 0x80:
        k = ln & 0x7F
        ln = int.from_bytes(buf[i : i + k], "big")
        i += k
    return tag, i, i + ln


def _spki_key_bits(spki: bytes) -> bytes:
    _, start, _ = _der_read(spki, 0)  # SEQUENCE
    _, _, alg_end = _der_read(spki, start)  # AlgorithmIdentifier
    _, bs, be = _der_read(spki, alg_end)  # BIT STRING
    return spki[bs + 1 : be]  # drop the unused-bits byte


def _same_public(a: Any, b: Any) -> bool:
    from cryptography.hazmat.primitives import serialization as ser

    enc, fmt = ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo
    return bool(a.public_bytes(enc, fmt) == b.public_bytes(enc, fmt))


def _make_cert(
    cn: str,
    ips: list | None,
    dns: list | None,
    days: int,
    key: Any,
    *,
    is_ca: bool = False,
    parent: Any = None,
    signer: Any = None,
) -> Certificate:
    """Sprig's getBaseCertTemplate + x509.CreateCertificate, with Go's extension layout."""
    import secrets

    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import dsa
    from cryptography.x509.oid import ExtendedKeyUsageOID

    ip_list = _ips(ips)
    dns_list = _dns_names(dns)
    serial = secrets.randbelow(1 << 128)
    from kelm import clock

    now = datetime.fromtimestamp(clock.time_ns() // 1_000_000_000, UTC)
    not_after = now + timedelta(microseconds=_wrap64(_NS_PER_DAY * days) // 1000)
    signer = signer if signer is not None else key
    subject = _name(cn)
    issuer = parent.subject if parent is not None else subject
    algo = _sign_params(signer)
    parent_pub = parent.public_key() if parent is not None else key.public_key()
    if not _same_public(signer.public_key(), parent_pub):
        raise GoError(
            "error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey"
        )
    if isinstance(key, dsa.DSAPrivateKey):
        raise GoError(
            "error creating certificate: x509: unsupported public key type: *dsa.PublicKey"
        )
    for name in dns_list:
        if not name.isascii():
            raise GoError(
                f'error creating certificate: x509: "{name}" cannot be encoded as an IA5String'
            )
    b = (
        x509.CertificateBuilder()
        .serial_number(serial)
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .not_valid_before(now)
        .not_valid_after(not_after)
    )
    b = b.add_extension(
        x509.KeyUsage(
            digital_signature=True,
            content_commitment=False,
            key_encipherment=True,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=is_ca,
            crl_sign=False,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    b = b.add_extension(
        x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
        critical=False,
    )
    b = b.add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    if is_ca:
        b = b.add_extension(x509.SubjectKeyIdentifier(_skid(key.public_key())), critical=False)
    if parent is not None and parent.subject.public_bytes() != subject.public_bytes():
        try:
            ski = parent.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
            b = b.add_extension(x509.AuthorityKeyIdentifier(ski.digest, None, None), critical=False)
        except x509.ExtensionNotFound:
            pass
    if dns_list or ip_list:
        sans: list[Any] = [x509.DNSName(n) for n in dns_list]
        sans += [x509.IPAddress(ip) for ip in ip_list]
        b = b.add_extension(x509.SubjectAlternativeName(sans), critical=cn == "")
    cert = b.sign(signer, algo)
    from cryptography.hazmat.primitives import serialization as ser

    return Certificate(cert.public_bytes(ser.Encoding.PEM).decode("ascii"), _key_pem(key))


def _rsa2048() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(65537, 2048)


def _pem_key(text: str) -> Any:
    try:
        return parse_private_key_pem(text)
    except GoError as e:
        raise GoError(f"parsing private key: {e}") from None


@_register("genCA", "func(string, int) (sprig.certificate, error)")
def gen_ca(cn: str, days: int) -> Certificate:
    return _make_cert(cn, None, None, days, _rsa2048(), is_ca=True)


@_register("genCAWithKey", "func(string, int, string) (sprig.certificate, error)")
def gen_ca_with_key(cn: str, days: int, key_pem: str) -> Certificate:
    return _make_cert(cn, None, None, days, _pem_key(key_pem), is_ca=True)


@_register(
    "genSelfSignedCert",
    "func(string, []interface {}, []interface {}, int) (sprig.certificate, error)",
)
def gen_self_signed_cert(cn: str, ips: list | None, dns: list | None, days: int) -> Certificate:
    return _make_cert(cn, ips, dns, days, _rsa2048())


@_register(
    "genSelfSignedCertWithKey",
    "func(string, []interface {}, []interface {}, int, string) (sprig.certificate, error)",
)
def gen_self_signed_cert_with_key(
    cn: str, ips: list | None, dns: list | None, days: int, key_pem: str
) -> Certificate:
    return _make_cert(cn, ips, dns, days, _pem_key(key_pem))


def _load_ca(ca: Certificate) -> tuple[Any, Any]:
    from cryptography import x509

    block = pem_decode(_b(ca.Cert))
    if block is None:
        raise GoError("unable to decode certificate")
    try:
        cert = x509.load_der_x509_certificate(block[1])
    except ValueError:
        raise GoError(
            "error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate"
        ) from None
    try:
        key = parse_private_key_pem(ca.Key)
    except GoError as e:
        raise GoError(f"error parsing private key: {e}") from None
    return cert, key


@_register(
    "genSignedCert",
    "func(string, []interface {}, []interface {}, int, sprig.certificate) "
    "(sprig.certificate, error)",
)
def gen_signed_cert(
    cn: str, ips: list | None, dns: list | None, days: int, ca: Certificate
) -> Certificate:
    key = _rsa2048()
    parent, signer = _load_ca(ca)
    return _make_cert(cn, ips, dns, days, key, parent=parent, signer=signer)


@_register(
    "genSignedCertWithKey",
    "func(string, []interface {}, []interface {}, int, sprig.certificate, string) "
    "(sprig.certificate, error)",
)
def gen_signed_cert_with_key(
    cn: str, ips: list | None, dns: list | None, days: int, ca: Certificate, key_pem: str
) -> Certificate:
    key = _pem_key(key_pem)
    parent, signer = _load_ca(ca)
    return _make_cert(cn, ips, dns, days, key, parent=parent, signer=signer)


@_register("buildCustomCert", "func(string, string) (sprig.certificate, error)")
def build_custom_cert(b64cert: str, b64key: str) -> Certificate:
    from cryptography import x509

    try:
        cert = go_b64decode(b64cert)
    except GoError:
        raise GoError("unable to decode base64 certificate") from None
    try:
        key = go_b64decode(b64key)
    except GoError:
        raise GoError("unable to decode base64 private key") from None
    block = pem_decode(cert)
    if block is None:
        raise GoError("unable to decode certificate")
    try:
        x509.load_der_x509_certificate(block[1])
    except ValueError:
        raise GoError(
            "error parsing certificate: decodedCert.Bytes: x509: malformed certificate"
        ) from None
    try:
        parse_private_key_pem(_s(key))
    except GoError as e:
        raise GoError(f"error parsing private key: {e}") from None
    return Certificate(_s(cert), _s(key))

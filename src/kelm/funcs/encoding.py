"""Sprig's b64enc/b64dec/b32enc/b32dec (Go's StdEncoding, padded).

Decoding follows Go's decoders, not Python's: ``\\r`` and ``\\n`` are skipped anywhere, and a
bad input makes the function return Go's error text (``illegal base64 data at input byte
N``) as its result, as sprig does.  Go strings are bytes; text that is not UTF-8 travels
through Python ``str`` with ``surrogateescape``.
"""

from __future__ import annotations

import base64

from kelm.golang.value import GoFunc, gofunc

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B64_MAP = {ord(c): i for i, c in enumerate(_B64)}
_B32_MAP = {ord(c): i for i, c in enumerate(_B32)}
_NL = (ord("\n"), ord("\r"))
_PAD = ord("=")


def to_bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def from_bytes(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


class CorruptInput(Exception):
    """Go's ``CorruptInputError``: the input offset of the first bad byte."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def _b64_quantum(src: bytes, si: int, out: bytearray) -> tuple[int, bool]:
    """Decode one 4-character quantum from ``src[si:]``; returns (next index, at end)."""
    dbuf = [0, 0, 0, 0]
    dlen = 4
    j = 0
    while j < 4:
        if si == len(src):
            if j == 0:
                return si, True
            raise CorruptInput(si - j)
        ch = src[si]
        si += 1
        val = _B64_MAP.get(ch)
        if val is not None:
            dbuf[j] = val
            j += 1
            continue
        if ch in _NL:
            continue
        if ch != _PAD or j < 2:
            raise CorruptInput(si - 1)
        if j == 2:  # "==" expected: the second "=" may follow newlines
            while si < len(src) and src[si] in _NL:
                si += 1
            if si == len(src):
                raise CorruptInput(len(src))
            if src[si] != _PAD:
                raise CorruptInput(si - 1)
            si += 1
        while si < len(src) and src[si] in _NL:
            si += 1
        if si < len(src):
            raise CorruptInput(si)
        dlen = j
        break
    val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3]
    out += val.to_bytes(3, "big")[: dlen - 1]
    return si, dlen < 4


def b64decode(s: str) -> bytes:
    """Go's ``base64.StdEncoding.DecodeString``; raises :class:`CorruptInput`."""
    src = to_bytes(s)
    out = bytearray()
    si = 0
    while si < len(src):
        si, end = _b64_quantum(src, si, out)
        if end:
            break
    return bytes(out)


def b32decode(s: str) -> bytes:
    """Go's ``base32.StdEncoding.DecodeString``; raises :class:`CorruptInput`."""
    src = bytes(b for b in to_bytes(s) if b not in _NL)
    olen = len(src)
    out = bytearray()
    pos = 0
    end = False
    while pos < olen and not end:
        dbuf = [0] * 8
        dlen = 8
        j = 0
        while j < 8:
            if pos == olen:
                raise CorruptInput(olen - j)
            ch = src[pos]
            pos += 1
            left = olen - pos
            if ch == _PAD and j >= 2 and left < 8:
                if left + j < 7:
                    raise CorruptInput(olen)
                for k in range(7 - j):
                    if left > k and src[pos + k] != _PAD:
                        raise CorruptInput(olen - left + k - 1)
                dlen, end = j, True
                if dlen in (1, 3, 6):
                    raise CorruptInput(olen - left - 1)
                break
            val = _B32_MAP.get(ch)
            if val is None:
                raise CorruptInput(olen - left - 1)
            dbuf[j] = val
            j += 1
        n = 0
        for i in range(8):
            n = n << 5 | dbuf[i]
        out += n.to_bytes(5, "big")[: {8: 5, 7: 4, 5: 3, 4: 2, 2: 1}.get(dlen, 0)]
    return bytes(out)


@gofunc("func(string) string")
def b64enc(s: str) -> str:
    return base64.b64encode(to_bytes(s)).decode("ascii")


@gofunc("func(string) string")
def b64dec(s: str) -> str:
    try:
        return from_bytes(b64decode(s))
    except CorruptInput as e:
        return f"illegal base64 data at input byte {e.offset}"


@gofunc("func(string) string")
def b32enc(s: str) -> str:
    return base64.b32encode(to_bytes(s)).decode("ascii")


@gofunc("func(string) string")
def b32dec(s: str) -> str:
    try:
        return from_bytes(b32decode(s))
    except CorruptInput as e:
        return f"illegal base32 data at input byte {e.offset}"


FUNCS: dict[str, GoFunc] = {"b64enc": b64enc, "b64dec": b64dec, "b32enc": b32enc, "b32dec": b32dec}

"""The storage form of a release: base64(gzip(JSON)), as Helm's drivers write and read it.

Helm compresses with gzip at best compression and encodes with standard base64; on reading it
accepts plain JSON too (no gzip magic).  kelm's deflate stream is zlib's, not Go's, so the
compressed bytes differ from Helm's while the JSON inside is the same.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import zlib

from kelm.release.errors import ReleaseDecodeError

GZIP_MAGIC = b"\x1f\x8b\x08"


def pack(json_text: str) -> str:
    """The ``release`` text of a Secret/ConfigMap/SQL row for a release's JSON."""
    body = gzip.compress(json_text.encode("utf-8"), compresslevel=9, mtime=0)
    return base64.b64encode(body).decode("ascii")


def unpack(data: str | bytes) -> bytes:
    """Helm's ``decodeRelease`` up to the JSON: base64, then gunzip when the gzip magic is there."""
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as e:
        raise ReleaseDecodeError(f"illegal base64 data in release: {e}") from None
    if raw[:3] == GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise ReleaseDecodeError(f"release is not valid gzip: {e}") from None
    return raw

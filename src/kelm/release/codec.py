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

from kelm.release.model import Release, ReleaseDecodeError

GZIP_MAGIC = b"\x1f\x8b\x08"


def encode_release(rel: Release) -> str:
    """The ``release`` text of a Secret/ConfigMap/SQL row."""
    body = gzip.compress(rel.to_json().encode("utf-8"), compresslevel=9, mtime=0)
    return base64.b64encode(body).decode("ascii")


def decode_release(data: str | bytes, labels: dict[str, str] | None = None) -> Release:
    """Helm's ``decodeRelease``: base64, then gunzip when the gzip magic is there, then JSON."""
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as e:
        raise ReleaseDecodeError(f"illegal base64 data in release: {e}") from None
    if raw[:3] == GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise ReleaseDecodeError(f"release is not valid gzip: {e}") from None
    return Release.from_json(raw, labels)

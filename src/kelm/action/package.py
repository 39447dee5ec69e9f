"""`kelm package`: write a chart directory as a versioned archive the way Helm saves one.

The tar stream is byte-for-byte what Go's ``archive/tar`` writes for Helm's ``chartutil.Save``:
USTAR headers (mode 0644, uid/gid 0, empty owner names, mtimes rounded to the second), files in
Helm's order (Chart.yaml, Chart.lock, values.yaml, values.schema.json, templates, other files,
then each subchart as a directory under ``charts/``), two zero blocks and no record padding.
The gzip wrapper carries Helm's extra field and ``Helm`` comment.
"""

from __future__ import annotations

import os
import re
import struct
import time
import zlib
from dataclasses import dataclass
from typing import Any

from kelm.chart.model import Chart, ChartError

_GZIP_EXTRA = b"+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo="
_BLOCK = 512


class PackageError(Exception):
    """``helm package`` failure; ``str()`` is Helm's message."""


@dataclass
class PackageOptions:
    version: str = ""
    app_version: str = ""
    destination: str = "."
    sign: bool = False  # also write ARCHIVE.prov (kelm.repo.provenance)
    key: str = ""  # the signing key's user ID, or a unique part of it
    keyring: str = ""  # a binary keyring holding the secret key
    passphrase_file: str = ""  # first line is the key's passphrase; "-": stdin
    passphrase: Any = None  # bytes, or a callback given the key name; read once, then kept


# -- tar (Go archive/tar, USTAR/PAX as Go picks them) ---------------------------------------


def _octal(value: int, size: int) -> bytes:
    s = format(value, "o")
    if len(s) < size - 1:
        s = "0" * (size - 1 - len(s)) + s
    b = s.encode()[:size]
    return b + b"\0" * (size - len(b))


def _field(s: bytes, size: int) -> bytes:
    return s[:size] + b"\0" * (size - len(s[:size]))


def _split_ustar(name: str) -> tuple[str, str] | None:
    if len(name) <= 100 or not name.isascii():
        return None
    length = len(name)
    if length > 156:
        length = 156
    elif name[length - 1] == "/":
        length -= 1
    i = name.rfind("/", 0, length)
    if i <= 0 or len(name) - i - 1 > 100 or len(name) - i - 1 == 0 or i > 155:
        return None
    return name[:i], name[i + 1 :]


def _header(name: bytes, prefix: bytes, size: int, mtime: int, typeflag: bytes,
            mode: int, dev: bool = True) -> bytes:
    blk = bytearray(_BLOCK)
    blk[0:100] = _field(name, 100)
    blk[100:108] = _octal(mode, 8)
    blk[108:116] = _octal(0, 8)
    blk[116:124] = _octal(0, 8)
    blk[124:136] = _octal(size, 12)
    blk[136:148] = _octal(mtime, 12)
    blk[156:157] = typeflag
    blk[257:265] = b"ustar\x0000"
    if dev:
        blk[329:337] = _octal(0, 8)
        blk[337:345] = _octal(0, 8)
    blk[345:500] = _field(prefix, 155)
    blk[148:156] = b" " * 8
    chk = sum(blk)
    blk[148:155] = _octal(chk, 7)
    blk[155:156] = b" "
    return bytes(blk)


def _pax_record(key: str, value: str) -> bytes:
    body = f" {key}={value}\n".encode()
    n = len(body) + 1
    while len(str(n).encode()) + len(body) != n:
        n = len(str(n).encode()) + len(body)
    return str(n).encode() + body


def _pad(n: int) -> bytes:
    return b"\0" * ((-n) % _BLOCK)


def tar_entry(name: str, data: bytes, mtime: int) -> bytes:
    """One regular file (0644) as Go's tar writer emits it."""
    out = []
    raw = name.encode()
    split = _split_ustar(name)
    if len(raw) <= 100 and name.isascii():
        hname, prefix = raw, b""
    elif split is not None:
        prefix, hname = split[0].encode(), split[1].encode()
    else:
        rec = _pax_record("path", name)
        d, f = name.rsplit("/", 1) if "/" in name else ("", name)
        pname = (d + "/PaxHeaders.0/" + f) if d else "PaxHeaders.0/" + f
        pbytes = pname.encode()
        pbytes = pbytes[:100] if not pname.isascii() or len(pbytes) > 100 else pbytes
        out.append(_header(_ascii_trunc(pname), b"", len(rec), 0, b"x", 0, dev=False))
        out.append(rec + _pad(len(rec)))
        hname, prefix = _ascii_trunc(name), b""
    out.append(_header(hname, prefix, len(data), mtime, b"0", 0o644))
    out.append(data + _pad(len(data)))
    return b"".join(out)


def _ascii_trunc(s: str) -> bytes:
    return "".join(c if c.isascii() else "" for c in s).encode()[:100]


def gzip_helm(payload: bytes) -> bytes:
    """gzip with Helm's header: FEXTRA + FCOMMENT, mtime 0, OS unknown."""
    head = b"\x1f\x8b\x08\x14" + b"\0\0\0\0" + b"\x00\xff"
    head += struct.pack("<H", len(_GZIP_EXTRA)) + _GZIP_EXTRA + b"Helm\0"
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = comp.compress(payload) + comp.flush()
    tail = struct.pack("<II", zlib.crc32(payload) & 0xFFFFFFFF, len(payload) & 0xFFFFFFFF)
    return head + body + tail


# -- chart -> archive ------------------------------------------------------------------------


def _round_mtime(t: int) -> int:
    """A modtime in nanoseconds to the nearest second, as Go's tar writer stores it."""
    if not t:
        return int(time.time() + 0.5)
    return (int(t) + 500_000_000) // 1_000_000_000


_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$"
)


def parse_go_time(text: str) -> tuple[float, str] | None:
    """RFC 3339 text -> (unix seconds, Go's RFC3339Nano re-rendering)."""
    import calendar

    m = _RFC3339.match(text.strip())
    if m is None:
        return None
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    frac = m.group(7) or ""
    zone = m.group(8) or "Z"
    off = 0
    if zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        off = sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    secs = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) - off
    frac_digits = frac[1:10].rstrip("0") if frac else ""
    tz = "Z" if off == 0 else zone
    txt = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}"
    if frac_digits:
        txt += "." + frac_digits
    value = secs + (float("0" + frac[:10]) if frac else 0.0)
    return value, txt + tz


def lock_document(lock: Any) -> tuple[dict[str, Any], float]:
    """Chart.lock as Helm re-marshals its ``Lock`` struct, and its ``generated`` time."""
    from kelm.chart.jsonform import dependency_json
    from kelm.chart.metadata import parse_dependency

    lock = lock if isinstance(lock, dict) else {}
    gen = lock.get("generated")
    parsed = parse_go_time(gen) if isinstance(gen, str) else None
    deps = lock.get("dependencies")
    out_deps = None
    if isinstance(deps, list):
        out_deps = [dependency_json(parse_dependency(d)) for d in deps]
    doc = {
        "generated": parsed[1] if parsed else "0001-01-01T00:00:00Z",
        "digest": str(lock.get("digest") or ""),
        "dependencies": out_deps,
    }
    return doc, parsed[0] if parsed else 0.0


def _raw_modtime(chart: Chart, name: str) -> int:
    for f in chart.raw:
        if f.name == name:
            return f.modtime
    return 0


def chart_yaml_text(chart: Chart) -> str:
    from kelm.chart.jsonform import metadata_json
    from kelm.yaml import dump_v2

    md = chart.metadata
    if md.api_version == "v1":
        md = md.copy()
        md.dependencies = []
    return dump_v2(metadata_json(md))


def _tar_contents(chart: Chart, prefix: str, out: list[bytes]) -> None:
    import json

    name = chart.name
    if name.rstrip("/").rsplit("/", 1)[-1] != name:
        raise PackageError(f'chart name "{name}" is invalid')
    base = f"{prefix}/{name}" if prefix else name
    out.append(tar_entry(f"{base}/Chart.yaml", chart_yaml_text(chart).encode(),
                         _round_mtime(chart.modtime)))
    if chart.metadata.api_version == "v2" and chart.lock is not None:
        from kelm.yaml import dump_v2

        doc, gen = lock_document(chart.lock)
        out.append(tar_entry(f"{base}/Chart.lock", dump_v2(doc).encode(),
                             _round_mtime(round(gen * 1e9))))
    for f in chart.raw:
        if f.name == "values.yaml":
            out.append(tar_entry(f"{base}/values.yaml", f.data, _round_mtime(f.modtime)))
    if chart.schema is not None:
        try:
            json.loads(chart.schema)
        except ValueError:
            raise PackageError("invalid JSON in values.schema.json") from None
        out.append(tar_entry(f"{base}/values.schema.json", chart.schema,
                             _round_mtime(_raw_modtime(chart, "values.schema.json"))))
    for f in chart.templates:
        out.append(tar_entry(f"{base}/{f.name}", f.data, _round_mtime(f.modtime)))
    for f in chart.files:
        out.append(tar_entry(f"{base}/{f.name}", f.data, _round_mtime(f.modtime)))
    for dep in chart.dependencies:
        _tar_contents(dep, f"{base}/charts", out)


def archive_bytes(chart: Chart) -> bytes:
    """The .tgz bytes of ``chart`` as ``chartutil.Save`` writes them."""
    parts: list[bytes] = []
    _tar_contents(chart, "", parts)
    parts.append(b"\0" * (2 * _BLOCK))
    return gzip_helm(b"".join(parts))


def save_chart(chart: Chart, out_dir: str) -> str:
    """Write ``<out_dir>/<name>-<version>.tgz`` (creating ``out_dir``); returns its path."""
    from kelm.chart.metadata import validate_metadata

    try:
        validate_metadata(chart.metadata)
    except ChartError as e:
        raise PackageError(f"chart validation: {e}") from None
    filename = os.path.join(out_dir, f"{chart.name}-{chart.metadata.version}.tgz")
    filename = os.path.normpath(filename) if out_dir else filename
    d = os.path.dirname(filename) or "."
    if not os.path.exists(d):
        os.makedirs(d, 0o755, exist_ok=True)
    elif not os.path.isdir(d):
        raise PackageError(f"is not a directory: {d}")
    data = archive_bytes(chart)
    from kelm.repo.config import atomic_write

    try:  # a temporary file renamed into place: never a partial archive
        atomic_write(filename, data)
    except OSError as e:
        raise PackageError(f"open {filename}: {(e.strerror or str(e)).lower()}") from None
    return filename


def package_chart(path: str, opts: PackageOptions) -> str:
    """Helm's ``Package.Run``: load the directory, apply overrides, check, save."""
    from kelm.chart import check_dependencies
    from kelm.chart.dependencies import MissingDependencies
    from kelm.chart.loader import load_dir
    from kelm.chart.semver import parse_version

    try:
        chart = load_dir(path)
    except ChartError as e:
        raise PackageError(str(e)) from None
    if opts.version:
        chart.metadata.version = opts.version
    if parse_version(chart.metadata.version) is None:
        raise PackageError("invalid semantic version")
    if opts.app_version:
        chart.metadata.app_version = opts.app_version
    if chart.metadata.dependencies:
        try:
            check_dependencies(chart)
        except MissingDependencies as e:
            raise PackageError(str(e)) from None
    dest = os.getcwd() if opts.destination == "." else opts.destination
    try:
        name = save_chart(chart, dest)
    except OSError as e:
        raise PackageError(f"failed to save: {e}") from None
    except PackageError as e:
        raise PackageError(f"failed to save: {e}") from None
    if opts.sign:
        sign_archive(name, opts)
    return name


def sign_archive(archive: str, opts: PackageOptions) -> str:
    """Write ``archive``.prov signed with ``opts.key`` (Helm's ``Package.Clearsign``; the
    passphrase file is read once for all charts, otherwise the terminal is asked)."""
    from kelm.repo.provenance import (
        ProvenanceError,
        prompt_passphrase,
        read_passphrase,
        sign_chart,
        write_prov,
    )

    try:
        if opts.passphrase is None:
            opts.passphrase = (read_passphrase(opts.passphrase_file) if opts.passphrase_file
                               else prompt_passphrase)
        text = sign_chart(archive, opts.key, opts.keyring, opts.passphrase)
        return write_prov(archive, text)
    except ProvenanceError as e:
        raise PackageError(str(e)) from None
    except OSError as e:
        raise PackageError(f"open {archive}.prov: {(e.strerror or '').lower()}") from None

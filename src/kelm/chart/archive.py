"""Reading chart archives (.tgz) safely, with Helm's limits and refusals.

Entries are relative to the archive's top directory.  Refused like Helm: absolute paths,
``..`` escapes, Windows drive paths, a Chart.yaml outside the base directory, files over
5 MiB and archives decompressing to more than 100 MiB (a decompression bomb stops reading
at the limit).  kelm also refuses symlink/hardlink entries that point outside the chart.
"""

from __future__ import annotations

import posixpath

from kelm.chart.model import ChartError, File
from kelm.lazyre import lazy_compile

MAX_DECOMPRESSED_CHART_SIZE = 100 * 1024 * 1024
MAX_DECOMPRESSED_FILE_SIZE = 5 * 1024 * 1024
_DRIVE = lazy_compile(r"^[a-zA-Z]:/")  # only packaged charts use it
_BOM = b"\xef\xbb\xbf"


class GzipHeaderError(ChartError):
    pass


def _clean(n: str) -> str:
    c = posixpath.normpath(n) if n else "."
    if c.startswith("//"):
        c = "/" + c.lstrip("/")
    return c


def is_gzip(data: bytes) -> bool:
    return data[:3] == b"\x1f\x8b\x08"


def _stream_error(e: Exception) -> ChartError:
    """Go's words for a broken stream: one that ends early (a truncated download) is
    ``unexpected EOF``."""
    if isinstance(e, EOFError) or "end-of-stream" in str(e) or "unexpected end" in str(e):
        return ChartError("unexpected EOF")
    return ChartError(str(e))


def load_archive_files(data: bytes) -> list[File]:
    """The files of a chart archive (names without the top directory)."""
    import gzip
    import io
    import tarfile
    import zlib

    if len(data) < 10:  # Go's gzip reader cannot read a whole header
        raise ChartError("unexpected EOF")
    if data[:2] != b"\x1f\x8b":
        raise GzipHeaderError("gzip: invalid header")
    try:
        raw = gzip.GzipFile(fileobj=io.BytesIO(data))
        tf = tarfile.open(fileobj=raw, mode="r|")
    except (OSError, tarfile.TarError, EOFError, zlib.error) as e:
        raise _stream_error(e) from None
    files: list[File] = []
    remaining = MAX_DECOMPRESSED_CHART_SIZE
    try:
        for hd in tf:
            if hd.isdir():
                continue
            if hd.type in (tarfile.XHDTYPE, tarfile.XGLTYPE):
                continue
            delim = "\\" if "\\" in hd.name else "/"
            parts = hd.name.split(delim)
            n = "/".join(parts[1:])
            if n.startswith("/"):
                raise ChartError("chart illegally contains absolute paths")
            n = _clean(n)
            if n == ".":
                raise ChartError(
                    "chart illegally contains content outside the base directory: "
                    f'"{hd.name}"'
                )
            if n.startswith(".."):
                raise ChartError("chart illegally references parent directory")
            if _DRIVE.match(n):
                raise ChartError("chart contains illegally named files")
            if parts[0] == "Chart.yaml":
                raise ChartError("chart yaml not in base directory")
            if hd.issym() or hd.islnk():
                target = hd.linkname
                resolved = _clean(posixpath.join(posixpath.dirname(n), target))
                if (
                    target.startswith("/")
                    or resolved.startswith("..")
                    or resolved == "."
                ):
                    raise ChartError(
                        f'chart illegally contains a link pointing outside the chart: "{hd.name}"'
                    )
            size = hd.size if hd.isfile() else 0
            if size > remaining:
                raise ChartError(
                    f"decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"
                )
            if size > MAX_DECOMPRESSED_FILE_SIZE:
                raise ChartError(
                    f'decompressed chart file "{hd.name}" is larger than the maximum file size '
                    f"{MAX_DECOMPRESSED_FILE_SIZE}"
                )
            body = b""
            if hd.isfile():
                fobj = tf.extractfile(hd)
                body = fobj.read(remaining) if fobj is not None else b""
            remaining -= len(body)
            if len(body) < size or remaining <= 0:
                raise ChartError(
                    f"decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"
                )
            if body.startswith(_BOM):
                body = body[3:]
            files.append(File(n, body, int(hd.mtime) * 1_000_000_000))
    except (OSError, tarfile.TarError, EOFError, zlib.error) as e:
        raise _stream_error(e) from None
    if not files:
        raise ChartError("no files in chart archive")
    return files

"""Loading charts from a directory, a .tgz, or a list of files (Helm's ``loader`` package)."""

from __future__ import annotations

import os
import stat

from kelm.chart.archive import (
    MAX_DECOMPRESSED_FILE_SIZE,
    GzipHeaderError,
    is_gzip,
    load_archive_files,
)
from kelm.chart.ignore import Rules
from kelm.chart.metadata import decode_metadata, validate_metadata
from kelm.chart.model import APIVERSION_V1, Chart, ChartError, File, Metadata
from kelm.values.yamlload import YAMLError, load_values, load_yaml
from kelm.yaml.jsondec import go_json_kind

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

_BOM = b"\xef\xbb\xbf"


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _yaml_mapping(data: bytes, what: str, gotype: str) -> dict[str, Any]:
    """Decode a YAML file that must be a mapping (or empty) into a Go struct."""
    try:
        doc = load_yaml(_text(data))
    except YAMLError as e:
        raise ChartError(f"cannot load {what}: {e}") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise ChartError(
            f"cannot load {what}: error unmarshaling JSON: while decoding JSON: json: cannot "
            f"unmarshal {go_json_kind(doc)} into Go value of type {gotype}"
        )
    return doc


def load_files(files: list[File]) -> Chart:
    """Build a chart from its files (names relative to the chart root), like ``LoadFiles``."""
    md: Metadata | None = None
    chart = Chart(metadata=Metadata())
    subcharts: dict[str, list[File]] = {}
    for f in files:
        chart.raw.append(f)
        if f.name == "Chart.yaml":
            if md is None:
                md = Metadata()
            doc = _yaml_mapping(f.data, "Chart.yaml", "v2.Metadata")
            try:
                decode_metadata(doc, md)
            except ChartError as e:
                raise ChartError(f"cannot load Chart.yaml: {e}") from None
            if not md.api_version:
                md.api_version = APIVERSION_V1
            chart.modtime = f.modtime
    for f in files:
        n = f.name
        if n == "Chart.yaml":
            continue
        if n == "Chart.lock":
            chart.lock = _yaml_mapping(f.data, "Chart.lock", "v2.Lock")
        elif n == "values.yaml":
            try:
                chart.values = load_values(_text(f.data))
            except YAMLError as e:
                raise ChartError(f"cannot load values.yaml: {e}") from None
        elif n == "values.schema.json":
            chart.schema = f.data
        elif n == "requirements.yaml":
            if md is None:
                md = Metadata()
            doc = _yaml_mapping(f.data, "requirements.yaml", "v2.Metadata")
            try:
                decode_metadata(doc, md)
            except ChartError as e:
                raise ChartError(f"cannot load requirements.yaml: {e}") from None
            if md.api_version == APIVERSION_V1:
                chart.files.append(f)
        elif n == "requirements.lock":
            chart.lock = _yaml_mapping(f.data, "requirements.lock", "v2.Lock")
            if md is None:
                md = Metadata()
            if md.api_version == APIVERSION_V1:
                chart.files.append(f)
        elif n.startswith("templates/"):
            chart.templates.append(f)
        elif n.startswith("charts/"):
            if n.endswith(".prov"):
                chart.files.append(f)
                continue
            rest = n[len("charts/") :]
            cname = rest.split("/", 1)[0]
            subcharts.setdefault(cname, []).append(File(rest, f.data, f.modtime))
        else:
            chart.files.append(f)
    if md is None:
        raise ChartError("Chart.yaml file is missing")
    chart.metadata = md
    validate_metadata(md)
    for cname in sorted(subcharts):
        sfiles = subcharts[cname]
        if cname[:1] in ("_", "."):
            continue
        try:
            if cname.endswith(".tgz"):
                first = sfiles[0]
                if first.name != cname:
                    raise ChartError(
                        f"error unpacking subchart tar in {chart.name}: expected {cname}, "
                        f"got {first.name}"
                    )
                sub = load_archive(first.data)
            else:
                buff = []
                for sf in sfiles:
                    parts = sf.name.split("/", 1)
                    if len(parts) < 2:
                        continue
                    buff.append(File(parts[1], sf.data, sf.modtime))
                sub = load_files(buff)
        except ChartError as e:
            if str(e).startswith("error unpacking subchart tar"):
                raise
            raise ChartError(f"error unpacking subchart {cname} in {chart.name}: {e}") from None
        chart.add_dependency(sub)
    return chart


def load_archive(data: bytes) -> Chart:
    """A chart from .tgz bytes."""
    return load_files(load_archive_files(data))


def walk_files(topdir: str, rules: Rules) -> list[File]:
    """Files under topdir (lexical order, symlinks followed) minus ignored ones."""
    files: list[File] = []

    def visit(abspath: str, rel: str) -> None:
        try:
            names = sorted(os.listdir(abspath))
        except OSError as e:
            raise ChartError(f"error reading {rel or '.'}: {e.strerror}") from None
        for name in names:
            p = os.path.join(abspath, name)
            n = f"{rel}/{name}" if rel else name
            try:
                st = os.stat(p)
            except OSError:
                # dangling symlink: Helm fails on it as well
                raise ChartError(f"lstat {p}: no such file or directory") from None
            if os.path.islink(p):
                _log_symlink(p)
            if stat.S_ISDIR(st.st_mode):
                if rules.ignore(n, True):
                    continue
                visit(p, n)
                continue
            if rules.ignore(n, False):
                continue
            if not stat.S_ISREG(st.st_mode):
                raise ChartError(
                    f"cannot load irregular file {p} as it has file mode type bits set"
                )
            if st.st_size > MAX_DECOMPRESSED_FILE_SIZE:
                raise ChartError(
                    f'chart file "{name}" is larger than the maximum file size '
                    f"{MAX_DECOMPRESSED_FILE_SIZE}"
                )
            with open(p, "rb") as fh:
                data = fh.read()
            if data.startswith(_BOM):
                data = data[3:]
            files.append(File(n, data, st.st_mtime_ns))

    visit(topdir, "")
    return files


def _log_symlink(path: str) -> None:
    """Helm logs every symlink it follows (ignored ones too) on stderr as it loads."""
    import sys

    from kelm.golang.slog import text_value

    sys.stderr.write(
        'level=INFO msg="found symbolic link in path. Contents of linked file included and '
        f'used" path={text_value(path)} resolved={text_value(os.path.realpath(path))}\n'
    )


def load_dir(path: str, detect: bool = True) -> Chart:
    """A chart from a directory, honouring .helmignore (``detect``: Chart.yaml's apiVersion
    is read first, as Helm's version-detecting loader does; without it, as its v2 loader)."""
    topdir = os.path.abspath(path)
    chart_yaml = os.path.join(topdir, "Chart.yaml")
    if detect:
        try:
            with open(chart_yaml, "rb") as fh:
                head = fh.read()
        except OSError as e:
            verb = "read" if isinstance(e, IsADirectoryError) else "open"  # Go opens a dir
            raise ChartError(
                f"unable to detect chart at {chart_yaml}: {verb} {chart_yaml}: "
                f"{(e.strerror or '').lower()}"
            ) from None
        _check_api_version(head)
    rules = Rules()
    ifile = os.path.join(topdir, ".helmignore")
    if os.path.exists(ifile):
        with open(ifile, encoding="utf-8", errors="replace") as fh:
            rules = Rules.parse(fh.read())
    rules.add_defaults()
    return load_files(walk_files(topdir, rules))


def _check_api_version(chart_yaml: bytes) -> None:
    doc = _yaml_mapping(chart_yaml, "Chart.yaml", "loader.chartBase")
    api = doc.get("apiVersion")
    if api is None:
        api = ""
    if isinstance(api, (list, dict)):
        raise ChartError(
            "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot "
            f"unmarshal {go_json_kind(api)} into Go struct field chartBase.apiVersion of type string"
        )
    if api is True or api is False:
        api = str(api).lower()
    if str(api) not in ("v1", "v2", ""):
        raise ChartError("unsupported chart version")


def load_file(path: str, detect: bool = True) -> Chart:
    """A chart from a .tgz file on disk (``detect``: as :func:`load_dir`)."""
    if os.path.isdir(path):
        raise ChartError("cannot load a directory")
    with open(path, "rb") as fh:
        data = fh.read()
    if not is_gzip(data[:512]):
        if path.endswith((".yml", ".yaml")):
            raise ChartError(f"file '{path}' seems to be a YAML file, but expected a gzipped archive")
        raise ChartError(
            f"file '{path}' does not appear to be a gzipped archive; got '{_content_type(data)}'"
        )
    try:
        files = load_archive_files(data)
    except GzipHeaderError as e:
        raise ChartError(
            f"file '{path}' does not appear to be a valid chart file (details: {e})"
        ) from None
    except ChartError as e:
        if not detect:
            raise
        raise ChartError(f"unable to load chart archive: {e}") from None
    if not detect:
        return load_files(files)
    for f in files:
        if f.name == "Chart.yaml":
            _check_api_version(f.data)
            return load_files(files)
    raise ChartError("unable to detect chart version, no Chart.yaml found")


_SIGNATURES = ((b"PK\x03\x04", "application/zip"), (b"%PDF-", "application/pdf"),
               (b"\x89PNG\r\n\x1a\n", "image/png"), (b"BZh", "application/x-bzip2"))
_BINARY = frozenset([*range(0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])


def _content_type(data: bytes) -> str:
    """Go's http.DetectContentType over Helm's 512-byte read buffer: a shorter file leaves
    the buffer's zero bytes in, so it sniffs as binary."""
    head = data[:512].ljust(512, b"\0")
    for sig, kind in _SIGNATURES:
        if head.startswith(sig):
            return kind
    if any(b in _BINARY for b in head):
        return "application/octet-stream"
    return "text/plain; charset=utf-8"


def load_chart(path: str, detect: bool = True) -> Chart:
    """Load a chart from a directory or a .tgz path (Helm's ``loader.Load``; ``detect``
    False: its chart/v2 ``loader.Load``, which ``show`` and ``dependency`` use, and whose
    errors are the bare ones)."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise ChartError(f"stat {path}: {(e.strerror or '').lower()}") from None
    if stat.S_ISDIR(st.st_mode):
        return load_dir(path, detect)
    return load_file(path, detect)

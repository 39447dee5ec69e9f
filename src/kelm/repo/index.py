"""Repository index files (Helm's ``repo.IndexFile``): parsing, ordering, version lookup."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

from kelm.repo.transport import RepoError


@dataclass
class ChartVersion:
    name: str
    version: str
    urls: list[str] = field(default_factory=list)
    digest: str = ""
    api_version: str = "v1"
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class IndexFile:
    api_version: str = ""
    entries: dict[str, list[ChartVersion]] = field(default_factory=dict)

    def get(self, name: str, version: str = "") -> ChartVersion:
        """Helm's ``IndexFile.Get``: exact match first, else the newest in the range."""
        from kelm.chart.semver import check, parse_version

        vs = self.entries.get(name)
        if vs is None:
            raise RepoError("no chart name found")
        if not vs:
            raise RepoError("no chart version found")
        if version:
            for cv in vs:
                if cv.version == version:
                    return cv
        for cv in vs:
            if parse_version(cv.version) is None:
                continue
            try:
                ok = check(version or "*", cv.version)
            except Exception:  # noqa: BLE001 - invalid constraint
                raise RepoError(f"improper constraint: {version}") from None
            if ok:
                return cv
        raise RepoError(f"no chart version found for {name}-{version}")


def _version_cmp(a: ChartVersion, b: ChartVersion) -> int:
    from kelm.chart.semver import parse_version

    va, vb = parse_version(a.version), parse_version(b.version)
    if va is None:
        return 0 if vb is None else 1
    if vb is None:
        return -1
    return -va.compare(vb)


def _entry(name: str, raw: Any) -> ChartVersion | None:
    from kelm.chart.metadata import decode_metadata, validate_metadata
    from kelm.chart.model import ChartError, Metadata

    if not isinstance(raw, dict):
        return None
    try:
        md = decode_metadata(raw, Metadata())
        if not md.api_version:
            md.api_version = "v1"
        validate_metadata(md)
    except ChartError as e:
        if not str(e).startswith("validation: more than one dependency with name or alias"):
            return None
        md = decode_metadata(raw, Metadata())
    urls = raw.get("urls")
    return ChartVersion(
        name=md.name or name,
        version=md.version,
        urls=[str(u) for u in urls] if isinstance(urls, list) else [],
        digest=str(raw.get("digest") or ""),
        api_version=md.api_version or "v1",
        raw=raw,
    )


def load_index(data: bytes, source: str = "") -> IndexFile:
    """Parse index.yaml/json bytes; entries sorted newest first like Helm's ``loadIndex``."""
    from kelm.yaml import YAMLError, load_helm

    if not data:
        raise RepoError("empty index.yaml file")
    try:
        doc = json.loads(data)
    except ValueError:
        try:
            doc = load_helm(data.decode("utf-8", "replace"))
        except YAMLError as e:
            raise RepoError(str(e)) from None
    idx = IndexFile()
    if not isinstance(doc, dict):
        raise RepoError("no API version specified")
    idx.api_version = str(doc.get("apiVersion") or "")
    entries = doc.get("entries") or {}
    if isinstance(entries, dict):
        for name, versions in entries.items():
            out = []
            for raw in versions if isinstance(versions, list) else []:
                cv = _entry(name, raw)
                if cv is not None:
                    out.append(cv)
            out.sort(key=functools.cmp_to_key(_version_cmp))
            idx.entries[name] = out
    if not idx.api_version:
        raise RepoError("no API version specified")
    return idx


def load_index_file(path: str) -> IndexFile:
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        return load_index(data, path)
    except RepoError as e:
        raise RepoError(f"error loading {path}: {e}") from None

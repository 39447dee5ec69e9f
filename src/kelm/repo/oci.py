"""Charts in OCI registries, as Helm (through oras-go) stores and fetches them.

A chart is one manifest (``application/vnd.oci.image.manifest.v1+json``) whose config blob is
the chart metadata as JSON (``application/vnd.cncf.helm.config.v1+json``), with the archive as
a layer (``application/vnd.cncf.helm.chart.content.v1.tar+gzip``) and, optionally, the
provenance file as another.  Tags cannot hold ``+``, so chart versions are tagged with ``_``
in its place.  The HTTP side (authentication challenges, digests) is :mod:`kelm.repo.ociclient`;
here are references, version selection, pull and push.  Errors are one line, worded as Helm's.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from kelm.repo.ociclient import (
    INDEX_MEDIA_TYPE,
    MANIFEST_MEDIA_TYPE,
    SHA256_DIGEST,
    RegistryClient,
    RegistryError,
    RegistryOptions,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

OCI_SCHEME = "oci"
CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json"
CHART_LAYER_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
PROV_LAYER_MEDIA_TYPE = "application/vnd.cncf.helm.chart.provenance.v1.prov"
LEGACY_CHART_LAYER_MEDIA_TYPE = "application/tar+gzip"

UNDERSCORE_MESSAGE = (
    "\nOCI artifact references (e.g. tags) do not support the plus sign (+). To support\n"
    "storing semantic versions, Helm adopts the convention of changing plus (+) to\n"
    "an underscore (_) in chart version tags when pushing to a registry and back to\n"
    "a plus (+) when pulling from a registry."
)


# -- references -------------------------------------------------------------------------------

_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
                   r"[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?$")
_REPO = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)"
                   r"[a-z0-9]+)*)*$")
_TAG = re.compile(r"^\w[\w.-]{0,127}$")
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$")


@dataclass
class Reference:
    """``host[:port]/repository[:tag][@digest]`` (oras ``registry.Reference`` + Helm's tag
    rewriting of ``+`` to ``_``)."""

    registry: str
    repository: str
    tag: str = ""
    digest: str = ""

    def __str__(self) -> str:
        base = f"{self.registry}/{self.repository}"
        if self.tag:
            return f"{base}:{self.tag}"
        return f"{base}@{self.digest}" if self.digest else base

    @property
    def reference(self) -> str:
        """What names the manifest: the digest if given, else the tag."""
        return self.digest or self.tag

    @property
    def name(self) -> str:
        return self.repository.rsplit("/", 1)[-1]


def is_oci(url: str) -> bool:
    return url.startswith(OCI_SCHEME + "://")


def parse_reference(raw: str) -> Reference:
    """Helm's ``newReference``: strip ``oci://``, split off ``@digest`` and ``:tag`` (``+`` in
    the tag becomes ``_``), then check each part as oras does."""
    raw = raw.removeprefix(OCI_SCHEME + "://")
    digest = ""
    if "@" in raw:
        raw, digest = raw.rsplit("@", 1)
    host, sep, rest = raw.partition("/")
    if not sep or not rest:
        raise RegistryError(f'invalid reference: missing registry or repository: "{raw}"')
    if not _HOST.match(host):
        raise RegistryError(f'invalid reference: invalid registry "{host}"')
    tag = ""
    last = rest.rsplit("/", 1)[-1]
    if ":" in last:
        repo_part, tag = rest.rsplit(":", 1)
        tag = tag.replace("+", "_")
    else:
        repo_part = rest
    if not _REPO.match(repo_part):
        raise RegistryError(f'invalid reference: invalid repository "{repo_part}"')
    if tag and not _TAG.match(tag):
        raise RegistryError(f'invalid reference: invalid tag "{tag}"')
    if digest and not _DIGEST.match(digest):
        raise RegistryError(f'invalid reference: invalid digest "{digest}"')
    return Reference(host, repo_part, tag, digest)


# -- versions ---------------------------------------------------------------------------------

_STRICT = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                     r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
                     r"(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
                     r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$")


def semver_tags(tags: list[str]) -> list[str]:
    """Helm's ``Client.Tags``: the strict-semver tags (``_`` read back as ``+``), highest
    first."""
    from functools import cmp_to_key

    from kelm.golang.semver import compare, parse

    versions: list[tuple[Any, str]] = []
    for t in tags:
        v = t.replace("_", "+")
        if _STRICT.match(v):
            versions.append((parse(v), v))
    def by_version(a: tuple[Any, str], b: tuple[Any, str]) -> int:
        return compare(a[0], b[0])

    versions.sort(key=cmp_to_key(by_version), reverse=True)
    return [v for _, v in versions]


def tag_matching(tags: list[str], version: str) -> str:
    """``GetTagMatchingVersionOrConstraint``: an exact tag, else the first (highest) tag the
    constraint admits (``*`` when no version is given)."""
    from kelm.chart.semver import parse_constraints, parse_version

    if version and version in tags:
        return version
    constraint = version or "*"
    groups = parse_constraints(constraint)
    if groups is None:
        raise RegistryError(f"improper constraint: {constraint}")
    for t in tags:
        v = parse_version(t)
        if v is not None and any(all(c.check(v, pre) for c in cs) for cs, pre in groups):
            return t
    raise RegistryError(f"could not locate a version matching provided version string "
                        f"{version}")


def resolve(ref: Reference, version: str, client: RegistryClient, raw: str) -> Reference:
    """Helm's ``ValidateReference``: the reference to pull, the tag chosen by ``--version``
    (exact, or the highest tag a constraint admits) and checked against the reference's."""
    from kelm.chart.semver import parse_version

    if not version:
        version = ref.tag
    elif ref.tag and ref.tag != version:
        raise RegistryError(f"chart reference and version mismatch: {version} is not {ref.tag}")
    if ref.digest:
        if not version:
            return Reference(ref.registry, ref.repository, "", ref.digest)
        try:
            _, _, d = client.manifest(ref.repository, version.replace("+", "_"))
        except RegistryError:
            return Reference(ref.registry, ref.repository, "", ref.digest)
        if d != ref.digest:
            raise RegistryError(f"chart reference digest mismatch: {d} is not {ref.digest}")
        return Reference(ref.registry, ref.repository, "", ref.digest)
    if parse_version(version) is not None:
        tag = version
    else:
        tags = semver_tags(client.tags(ref.repository))
        if not tags:
            raise RegistryError(f"unable to locate any tags in provided repository: {raw}")
        tag = tag_matching(tags, version)
    return Reference(ref.registry, ref.repository, tag, "")


# -- pull -------------------------------------------------------------------------------------


@dataclass
class PullResult:
    ref: Reference
    manifest_digest: str
    chart: bytes
    chart_digest: str
    meta: dict[str, Any]
    prov: bytes | None = None
    requested: Reference | None = None  # as resolved: the tag keeps "+" (Helm's file name)


def _say(opts: RegistryOptions, text: str) -> None:
    if opts.out is not None:
        opts.out.write(text)
        opts.out.flush()


def pull(raw: str, version: str, opts: RegistryOptions, with_prov: bool = False,
         ignore_missing_prov: bool = True) -> PullResult:
    """Resolve ``raw`` (``oci://...``) with ``version`` and fetch the chart's manifest, config,
    archive (and provenance when asked), digests checked."""
    ref = parse_reference(raw)
    with RegistryClient(ref.registry, opts) as client:
        target = resolve(ref, version, client, raw)
        res = _pull_resolved(client, target, opts, with_prov, ignore_missing_prov)
    res.requested = target
    return res


def _pull_resolved(client: RegistryClient, ref: Reference, opts: RegistryOptions,
                   with_prov: bool, ignore_missing_prov: bool) -> PullResult:
    tagged = ref.tag.replace("+", "_")
    body, media_type, mdigest = client.manifest(ref.repository, ref.digest or tagged)
    shown = Reference(ref.registry, ref.repository, tagged, ref.digest)
    try:
        manifest = json.loads(body)
    except ValueError:
        raise RegistryError(f"{shown}: the manifest is not JSON") from None
    if not isinstance(manifest, dict):
        raise RegistryError(f"{shown}: the manifest is not a JSON object")
    if media_type == INDEX_MEDIA_TYPE or manifest.get("mediaType") == INDEX_MEDIA_TYPE:
        raise RegistryError(f"{shown}: an image index is not a Helm chart")
    raw_config = manifest.get("config")
    config: dict[str, Any] = raw_config if isinstance(raw_config, dict) else {}
    layers = [x for x in manifest.get("layers") or [] if isinstance(x, dict)]
    allowed = (CONFIG_MEDIA_TYPE, CHART_LAYER_MEDIA_TYPE, LEGACY_CHART_LAYER_MEDIA_TYPE,
               PROV_LAYER_MEDIA_TYPE if with_prov else "")
    descs = [d for d in (config, *layers) if d.get("mediaType") in allowed]
    found = {d.get("mediaType"): d for d in descs}
    need = 2 + (1 if with_prov and not ignore_missing_prov else 0)
    if 1 + len(descs) < need:  # Helm counts the manifest itself among the descriptors
        raise RegistryError(f"manifest does not contain minimum number of descriptors ({need}),"
                            f" descriptors found: {1 + len(descs)}")
    cfg = found.get(CONFIG_MEDIA_TYPE)
    if cfg is None:
        raise RegistryError(f"could not load config with mediatype {CONFIG_MEDIA_TYPE}")
    chart_desc = found.get(CHART_LAYER_MEDIA_TYPE) or found.get(LEGACY_CHART_LAYER_MEDIA_TYPE)
    if chart_desc is None:
        raise RegistryError(f"manifest does not contain a layer with mediatype "
                            f"{CHART_LAYER_MEDIA_TYPE}")
    if CHART_LAYER_MEDIA_TYPE not in found:
        _say(opts, f"Warning: chart media type {LEGACY_CHART_LAYER_MEDIA_TYPE} is deprecated\n")
    prov_desc = found.get(PROV_LAYER_MEDIA_TYPE)
    if with_prov and prov_desc is None and not ignore_missing_prov:
        raise RegistryError(f"manifest does not contain a layer with mediatype "
                            f"{PROV_LAYER_MEDIA_TYPE}")
    cfg_data = client.blob(ref.repository, _desc_digest(cfg, shown), _desc_size(cfg))
    try:
        meta = json.loads(cfg_data)
    except ValueError as e:
        raise RegistryError(f"{shown}: chart config: {e}") from None
    chart = client.blob(ref.repository, _desc_digest(chart_desc, shown), _desc_size(chart_desc))
    prov = None
    if with_prov and prov_desc is not None:
        prov = client.blob(ref.repository, _desc_digest(prov_desc, shown), _desc_size(prov_desc))
    _say(opts, f"Pulled: {shown}\nDigest: {mdigest}\n")
    if "_" in str(shown):
        _say(opts, f"{shown} contains an underscore.\n{UNDERSCORE_MESSAGE}\n")
    return PullResult(shown, mdigest, chart, str(chart_desc.get("digest")),
                      meta if isinstance(meta, dict) else {}, prov)


def _desc_digest(d: dict[str, Any], where: Reference) -> str:
    digest = d.get("digest")
    if not isinstance(digest, str) or not SHA256_DIGEST.match(digest):
        raise RegistryError(f"{where}: invalid descriptor digest {digest!r}")
    return digest


def _desc_size(d: dict[str, Any]) -> int:
    size = d.get("size")
    return size if isinstance(size, int) and size >= 0 else -1


def chart_filename(ref: Reference) -> str:
    """Helm's download name: the last path element with its last ``:`` made a ``-``
    (``name-1.2.3.tgz``; a digest reference gives ``name@sha256-<hex>.tgz``)."""
    base = ref.repository.rsplit("/", 1)[-1]
    if ref.tag:
        return f"{base}-{ref.tag}.tgz"
    if ref.digest:
        return f"{base}@{ref.digest.replace(':', '-', 1)}.tgz"
    return f"{base}.tgz"


def pull_chart(ref: str, version: str, opts: RegistryOptions) -> tuple[str, bytes]:
    """The chart ``ref`` (``oci://host/path/name[:tag|@digest]``) names, at ``version``
    (exact, a constraint, or empty for the highest tag): (file name as Helm saves it,
    archive bytes).  Raises :class:`RegistryError` with a one-line message."""
    res = pull(ref, version, opts)
    return chart_filename(res.requested or res.ref), res.chart


# -- push -------------------------------------------------------------------------------------


@dataclass
class PushResult:
    ref: Reference
    manifest_digest: str
    config_digest: str
    chart_digest: str
    prov_digest: str = ""


def oci_annotations(meta: dict[str, Any], created: str) -> dict[str, str]:
    """Helm's ``generateOCIAnnotations``: description/title/version/url/created/source/authors
    from the metadata, then the chart's own annotations (not overriding title/version)."""
    out: dict[str, str] = {}

    def put(key: str, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            out[key] = value

    p = "org.opencontainers.image."
    put(p + "description", meta.get("description"))
    put(p + "title", meta.get("name"))
    put(p + "version", meta.get("version"))
    put(p + "url", meta.get("home"))
    put(p + "created", created)
    sources = meta.get("sources") or []
    if sources:
        put(p + "source", sources[0])
    maintainers = meta.get("maintainers") or []
    if maintainers:
        parts = []
        for m in maintainers:
            m = m or {}
            s = m.get("name") or ""
            if m.get("email"):
                s += f" ({m['email']})"
            parts.append(s)
        put(p + "authors", ", ".join(parts))
    for k, v in (meta.get("annotations") or {}).items():
        if k not in (p + "version", p + "title"):
            out[k] = v
    return out


def go_rfc3339(mtime: float) -> str:
    """Go's ``time.Format(time.RFC3339)`` of a local time (``Z`` for UTC)."""
    import datetime

    t = datetime.datetime.fromtimestamp(int(mtime)).astimezone()
    off = t.utcoffset()
    if not off:
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    s = t.strftime("%Y-%m-%dT%H:%M:%S%z")
    return s[:-2] + ":" + s[-2:]


def _go_json(obj: Any) -> bytes:
    """``json.Marshal`` of structs: compact, fields in the given order, HTML characters and
    line/paragraph separators escaped as Go does."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text.encode()


@dataclass
class ChartManifest:
    """What a push uploads: the blobs (config first) and the manifest, as Helm builds them."""

    meta: dict[str, Any]
    blobs: list[tuple[dict[str, Any], bytes]]
    manifest: bytes

    @property
    def digest(self) -> str:
        return "sha256:" + hashlib.sha256(self.manifest).hexdigest()


def chart_manifest(data: bytes, prov: bytes | None = None, created: str = "") -> ChartManifest:
    """The config (``json.Marshal`` of the chart metadata), the layers sorted by digest and
    the manifest with Helm's annotations (``created``: now, unless given)."""
    import datetime

    from kelm.chart.jsonform import metadata_json
    from kelm.chart.loader import load_archive
    from kelm.chart.model import ChartError

    try:
        ch = load_archive(data)
    except ChartError as e:
        raise RegistryError(str(e)) from None
    meta = metadata_json(ch.metadata)
    if "annotations" in meta:  # a Go map: marshalled in key order
        meta["annotations"] = dict(sorted(meta["annotations"].items()))
    created = created or datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    raw = [(CONFIG_MEDIA_TYPE, _go_json(meta)), (CHART_LAYER_MEDIA_TYPE, data)]
    if prov is not None:
        raw.append((PROV_LAYER_MEDIA_TYPE, prov))
    blobs = [({"mediaType": mt, "digest": "sha256:" + hashlib.sha256(b).hexdigest(),
               "size": len(b)}, b) for mt, b in raw]
    layers = sorted((d for d, _ in blobs[1:]), key=lambda d: str(d["digest"]))
    manifest = {"schemaVersion": 2, "config": blobs[0][0], "layers": layers,
                "annotations": dict(sorted(oci_annotations(meta, created).items()))}
    return ChartManifest(meta, blobs, _go_json(manifest))


def push_chart(data: bytes, remote_ref: str, opts: RegistryOptions, prov: bytes | None = None,
               created: str = "", strict: bool = True) -> PushResult:
    """Helm's ``Client.Push``: upload the archive, its metadata as the config, the provenance
    when given, and the manifest tagged with the chart version (``+`` as ``_``)."""
    ref = parse_reference(remote_ref)
    cm = chart_manifest(data, prov, created)
    name, version = cm.meta.get("name", ""), cm.meta.get("version", "")
    if strict and not remote_ref.endswith(f"/{name}:{version}"):
        raise RegistryError("strict mode enabled, ref basename and tag must match the chart "
                            "name and version")
    with RegistryClient(ref.registry, opts) as client:
        client.manifest_exists(ref.repository, cm.digest)  # oras' first step, its errors
        for d, b in cm.blobs:
            if not client.blob_exists(ref.repository, str(d["digest"])):
                client.upload_blob(ref.repository, str(d["digest"]), b)
        client.put_manifest(ref.repository, ref.tag or cm.digest, cm.manifest,
                            MANIFEST_MEDIA_TYPE)
    digests = [str(d["digest"]) for d, _ in cm.blobs]
    res = PushResult(ref, cm.digest, digests[0], digests[1], digests[2] if prov else "")
    _say(opts, f"Pushed: {ref}\nDigest: {cm.digest}\n")
    if "_" in ref.tag:
        _say(opts, f"{ref} contains an underscore.\n{UNDERSCORE_MESSAGE}\n")
    return res


def login_check(host: str, opts: RegistryOptions) -> None:
    """Helm's login probe: ``GET /v2/`` answered with the given credentials."""
    with RegistryClient(host, opts) as client:
        try:
            client.ping()
        except RegistryError as e:
            raise RegistryError(f'authenticating to "{host}": {e}') from None


__all__ = [
    "CHART_LAYER_MEDIA_TYPE", "CONFIG_MEDIA_TYPE", "PROV_LAYER_MEDIA_TYPE", "ChartManifest",
    "PullResult", "chart_manifest", "go_rfc3339",
    "PushResult", "Reference", "RegistryClient", "RegistryError", "RegistryOptions",
    "chart_filename", "is_oci", "login_check", "parse_reference", "pull", "pull_chart",
    "push_chart", "resolve", "semver_tags", "tag_matching",
]

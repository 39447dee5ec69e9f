"""Repository index files (Helm's ``repo.IndexFile``): reading, validation, ordering, lookup.

Reading is built for large, untrusted indexes (a public index has tens of thousands of chart
versions; Helm holds over 500 MiB for one, helm#11509):

* JSON is decoded by the C decoder; YAML in the block style Helm writes is streamed by
  :mod:`kelm.repo.indexyaml`, one chart version at a time, keeping only the fields kelm uses
  (name, version, appVersion, description, keywords, urls, digest, apiVersion, created,
  deprecated): memory stays a small multiple of the index size;
* other YAML goes through the general loader after a guard pass over the parser's events
  that refuses alias bombs (``document contains excessive aliasing``), nesting deeper than
  go-yaml's 10000 and duplicate keys, as go-yaml does;
* entries are validated like Helm's ``loadIndex`` (invalid ones are skipped with Helm's
  warning, unknown fields are errors as with ``yaml.UnmarshalStrict``) and sorted newest
  first;
* a cached index read by a kelm command is remembered in kelm's machine cache
  (:mod:`kelm.cachefiles`, keyed by the file's identity and size), so ``search repo`` and
  ``install repo/name`` do not parse it again until it changes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from kelm.repo.transport import RepoError

FORMAT = 2  # of the cached reduced form
MAX_DEPTH = 10000  # go-yaml's nesting limit

_CHART_FIELDS = frozenset((
    "name", "home", "sources", "version", "description", "keywords", "maintainers", "icon",
    "apiVersion", "condition", "tags", "appVersion", "deprecated", "annotations",
    "kubeVersion", "dependencies", "type", "urls", "created", "removed", "digest",
    "checksum", "engine", "tillerVersion", "url",
))
_INDEX_FIELDS = frozenset(("apiVersion", "generated", "entries", "publicKeys", "annotations",
                           "serverInfo"))


@dataclass(slots=True)
class ChartVersion:
    name: str
    version: str
    urls: list[str] = field(default_factory=list)
    digest: str = ""
    api_version: str = "v1"
    app_version: str = ""
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    created: str = ""
    deprecated: bool = False
    raw: dict[str, Any] | None = None  # the whole entry, when read with ``full=True``


@dataclass
class IndexFile:
    api_version: str = ""
    generated: str = ""
    entries: dict[str, list[ChartVersion]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # publicKeys, annotations...

    def get(self, name: str, version: str = "") -> ChartVersion:
        """Helm's ``IndexFile.Get``: exact match first, else the newest in the range."""
        from kelm.chart.semver import check, parse_constraints, parse_version

        vs = self.entries.get(name)
        if vs is None:
            raise RepoError("no chart name found")
        if not vs:
            raise RepoError("no chart version found")
        if version:
            for cv in vs:
                if cv.version == version:
                    return cv
        constraint = version or "*"
        if parse_constraints(constraint) is None:
            raise RepoError(f"improper constraint: {version}")
        for cv in vs:
            if parse_version(cv.version) is not None and check(constraint, cv.version):
                return cv
        raise RepoError(f"no chart version found for {name}-{version}")

    def has(self, name: str, version: str) -> bool:
        return any(cv.version == version for cv in self.entries.get(name, ()))


# -- validation of one entry ------------------------------------------------------------------


def _goquote(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _sanitize(s: str) -> str:
    """Helm's ``sanitizeString``: white space becomes a space, unprintable runes go."""
    if s.isprintable():
        return s
    import unicodedata

    return "".join(" " if ch.isspace() else ch for ch in s
                   if ch.isspace() or ch.isprintable() or unicodedata.category(ch) == "Zs")


class _EntryError(Exception):
    """The whole index is unusable (a type error in one entry, as Go's decoder fails)."""


def _string(v: Any, where: str) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        kind = "bool"
    elif isinstance(v, int | float):
        return _number_text(v)
    elif isinstance(v, list):
        kind = "array"
    else:
        kind = "object"
    raise _EntryError(f"json: cannot unmarshal {kind} into Go struct field ChartVersion.entries"
                      f".{where} of type string")


def _number_text(v: float) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    return str(v)


def _meta_string(v: Any, where: str) -> str:
    """A chart.Metadata field: sigs.k8s.io/yaml cannot see through the embedded pointer, so
    a YAML number or bool stays one and the JSON decoder refuses it, as here."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    kind = "bool" if isinstance(v, bool) else "number" if isinstance(v, int | float) else \
        "array" if isinstance(v, list) else "object"
    raise _EntryError(f"json: cannot unmarshal {kind} into Go struct field ChartVersion.entries"
                      f".Metadata.{where} of type string")


def _strings(v: Any, where: str, metadata: bool = False) -> list[str]:
    """A ``[]string`` field of the entry (``metadata``: of its chart.Metadata)."""
    if v is None:
        return []
    field = f"Metadata.{where}" if metadata else where
    if not isinstance(v, list):
        kind = "string" if isinstance(v, str) else "object"
        raise _EntryError(f"json: cannot unmarshal {kind} into Go struct field ChartVersion."
                          f"entries.{field} of type []string")
    item = _meta_string if metadata else _string
    return [item(x, where) for x in v]


def _truthy(v: Any) -> bool:
    if isinstance(v, str):
        return v in ("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y")
    return bool(v)


_TIME = None


def _check_time(v: str) -> None:
    global _TIME
    if _TIME is None:
        import re

        _TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)\Z")
    if not _TIME.match(v):
        raise _EntryError(f'parsing time "{v}" as "2006-01-02T15:04:05Z07:00": cannot parse '
                          f'"{v}" as "2006"')


def _entry(name: str, raw: Any, source: str, warnings: list[str],
           full: bool, strict: bool = True) -> ChartVersion | None:
    """One chart version of ``entries[name]`` validated like Helm's ``loadIndex``; None (and
    a warning) when Helm would skip it."""
    if raw is None:
        warnings.append(f"skipping loading invalid entry for chart {_goquote(name)} from "
                        f"{source}: empty entry")
        return None
    if not isinstance(raw, dict):
        kind = "array" if isinstance(raw, list) else "string"
        raise _EntryError(f"json: cannot unmarshal {kind} into Go value of type "
                          "repo.ChartVersion")
    if strict:
        for k in raw:
            if k not in _CHART_FIELDS:
                raise _EntryError(f"json: unknown field {_goquote(k)}")
    g = raw.get
    for f in ("home", "icon", "condition", "tags", "kubeVersion", "type"):
        if f in raw:
            _meta_string(raw[f], f)
    if "sources" in raw:
        _strings(raw["sources"], "sources", metadata=True)
    version = _sanitize(_meta_string(g("version"), "version"))
    created = _string(g("created"), "created")
    if created:
        _check_time(created)
    cv = ChartVersion(
        name=_sanitize(_meta_string(g("name"), "name")), version=version,
        urls=_strings(g("urls"), "urls"), digest=_string(g("digest"), "digest"),
        api_version=_meta_string(g("apiVersion"), "apiVersion") or "v1",
        app_version=_sanitize(_meta_string(g("appVersion"), "appVersion")),
        description=_sanitize(_meta_string(g("description"), "description")),
        keywords=[_sanitize(k) for k in _strings(g("keywords"), "keywords", metadata=True)],
        created=created, deprecated=_truthy(g("deprecated")),
        raw=raw if full else None,
    )
    problem = _problem(cv, raw)
    if problem:
        warnings.append(f"skipping loading invalid entry for chart {_goquote(name)} "
                        f"{_goquote(version)} from {source}: validation: {problem}")
        return None
    return cv


def _problem(cv: ChartVersion, raw: dict[str, Any]) -> str:
    """Helm's ``Metadata.Validate`` (duplicate dependency names are skippable, as Helm's
    ``ignoreSkippableChartValidationError``)."""
    from kelm.golang.semver import parse
    from kelm.golang.value import GoError

    if not cv.name:
        return "chart.metadata.name is required"
    if cv.name in (".", ".."):
        return f"chart.metadata.name {_goquote(cv.name)} is not allowed"
    if "/" in cv.name:
        return f"chart.metadata.name {_goquote(cv.name)} is invalid"
    if not cv.version:
        return "chart.metadata.version is required"
    try:
        parse(cv.version)
    except GoError:
        return f"chart.metadata.version {_goquote(cv.version)} is invalid"
    kind = raw.get("type")
    if kind not in (None, "", "application", "library"):
        return "chart.metadata.type must be application or library"
    maintainers = raw.get("maintainers")
    if isinstance(maintainers, list) and any(m is None for m in maintainers):
        return "maintainers must not contain empty or null nodes"
    deps = raw.get("dependencies")
    if isinstance(deps, list):
        from kelm.lazyre import lazy_compile

        alias_ok = lazy_compile(r"^[a-zA-Z0-9_-]+$")
        for d in deps:
            if d is None:
                return "dependencies must not contain empty or null nodes"
            if isinstance(d, dict) and d.get("alias") and not alias_ok.match(str(d["alias"])):
                return (f"dependency {_goquote(str(d.get('name') or ''))} has disallowed "
                        "characters in the alias")
    return ""


def version_key(version: str) -> tuple[Any, ...]:
    """Masterminds' ordering of valid versions as a sort key (prereleases before the
    release, numeric identifiers before alphanumeric ones)."""
    from kelm.golang.semver import parse

    v = parse(version)
    if not v.pre:
        return (v.major, v.minor, v.patch, 1, ())
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in v.pre.split("."))
    return (v.major, v.minor, v.patch, 0, parts)


def _sorted(versions: list[ChartVersion]) -> list[ChartVersion]:
    versions.sort(key=lambda cv: version_key(cv.version), reverse=True)
    return versions


# -- reading ----------------------------------------------------------------------------------


def _finish(idx: IndexFile) -> IndexFile:
    if not idx.api_version:
        raise RepoError("no API version specified")
    return idx


def _from_document(doc: Any, source: str, full: bool) -> IndexFile:
    """An index from a decoded document (JSON, or YAML from the general loader)."""
    if not isinstance(doc, dict):
        kind = "array" if isinstance(doc, list) else "string" if isinstance(doc, str) else \
            "number"
        raise RepoError(f"json: cannot unmarshal {kind} into Go value of type repo.IndexFile")
    idx = IndexFile()
    strict = not getattr(doc, "json", False)
    for k, v in doc.items():
        if strict and k not in _INDEX_FIELDS:
            raise RepoError(f"error unmarshaling JSON: while decoding JSON: json: unknown "
                            f"field {_goquote(k)}")
        if k == "apiVersion":
            idx.api_version = "" if v is None else str(v)
        elif k == "generated":
            idx.generated = "" if v is None else str(v)
        elif k != "entries":
            idx.extra[k] = v
    entries = doc.get("entries") or {}
    if not isinstance(entries, dict):
        raise RepoError("json: cannot unmarshal array into Go struct field IndexFile.entries "
                        "of type map[string]repo.ChartVersions")
    try:
        for name, versions in entries.items():
            if versions is not None and not isinstance(versions, list):
                raise _EntryError("json: cannot unmarshal object into Go struct field "
                                  "IndexFile.entries of type repo.ChartVersions")
            out = []
            for raw in versions or []:
                cv = _entry(str(name), raw, source, idx.warnings, full, strict)
                if cv is not None:
                    out.append(cv)
            idx.entries[str(name)] = _sorted(out)
    except _EntryError as e:
        raise RepoError(_decode_error(str(e), strict)) from None
    return _finish(idx)


def _decode_error(msg: str, yaml_source: bool) -> str:
    return f"error unmarshaling JSON: while decoding JSON: {msg}" if yaml_source else msg


class _JSONDict(dict[str, Any]):
    """A decoded JSON document: Go's json.Unmarshal ignores unknown fields."""

    json = True


def _stream(lines: Any, source: str, full: bool) -> IndexFile:
    """The fast path: :func:`kelm.repo.indexyaml.read_index` over the lines."""
    from kelm.repo.indexyaml import read_index

    idx = IndexFile()
    try:
        for kind, item in read_index(lines):
            if kind == "version":
                name, raw = item
                cv = _entry(name, raw, source, idx.warnings, full)
                if cv is not None:
                    idx.entries[name].append(cv)
            elif kind == "chart" or kind == "empty":
                idx.entries[item] = []
            else:
                key, value = item
                if key not in _INDEX_FIELDS:
                    raise RepoError("error unmarshaling JSON: while decoding JSON: json: "
                                    f"unknown field {_goquote(key)}")
                if key == "apiVersion":
                    idx.api_version = value or ""
                elif key == "generated":
                    if value:
                        _check_time(value)
                    idx.generated = value or ""
                elif key != "entries":
                    idx.extra[key] = value
                elif value not in (None, {}):
                    raise RepoError("json: cannot unmarshal string into Go struct field "
                                    "IndexFile.entries of type map[string]repo.ChartVersions")
    except _EntryError as e:
        raise RepoError(_decode_error(str(e), True)) from None
    for versions in idx.entries.values():
        _sorted(versions)
    return _finish(idx)


def _guard(data: bytes) -> None:
    """What go-yaml refuses before decoding: excessive aliasing, too deep nesting,
    duplicate mapping keys (checked over the C parser's events, O(1) memory per level)."""
    import yaml

    from kelm.yaml import YAMLError

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [node count, anchor, keys seen or None, expecting key]
    total = 0
    duplicate = ""
    try:
        stream: Any = yaml.parse(data, Loader=loader)
        for ev in stream:
            kind = type(ev).__name__
            if duplicate and kind not in ("MappingEndEvent", "SequenceEndEvent"):
                line = ev.start_mark.line + 1  # go-yaml names the value's line
                raise YAMLError("error converting YAML to JSON: yaml: unmarshal errors: line "
                                f"{line}: key {_goquote(duplicate)} already set in map", line)
            if kind in ("MappingStartEvent", "SequenceStartEvent"):
                if stack and stack[-1][2] is not None:
                    stack[-1][3] = not stack[-1][3]
                stack.append([0, ev.anchor, set() if kind == "MappingStartEvent" else None,
                              True])
                if len(stack) > MAX_DEPTH:
                    raise YAMLError(f"error converting YAML to JSON: yaml: line "
                                    f"{ev.start_mark.line + 1}: exceeded max depth of "
                                    f"{MAX_DEPTH}", ev.start_mark.line + 1)
                continue
            if kind in ("MappingEndEvent", "SequenceEndEvent"):
                count, anchor, _, _ = stack.pop()
                size = count + 1
                if anchor:
                    sizes[anchor] = size
                if stack:
                    stack[-1][0] += size
                else:
                    total += size
                continue
            if kind == "ScalarEvent":
                size = 1
                if ev.anchor:
                    sizes[ev.anchor] = 1
                top = stack[-1] if stack else None
                if top is not None and top[2] is not None:
                    if top[3]:
                        if ev.value in top[2]:
                            duplicate = ev.value
                        top[2].add(ev.value)
                    top[3] = not top[3]
            elif kind == "AliasEvent":
                size = sizes.get(ev.anchor, 1)
                if stack and stack[-1][2] is not None:
                    stack[-1][3] = not stack[-1][3]
            else:
                continue
            if stack:
                stack[-1][0] += size
            else:
                total += size
            if stack and stack[-1][0] > 4 * len(data) + 10000:
                raise YAMLError("error converting YAML to JSON: yaml: document contains "
                                "excessive aliasing", 0)
        if total > 4 * len(data) + 10000:
            raise YAMLError("error converting YAML to JSON: yaml: document contains excessive "
                            "aliasing", 0)
    except yaml.YAMLError:
        return  # the loader reports syntax errors in Go's words


def load_index(data: bytes, source: str = "", full: bool = False) -> IndexFile:
    """Parse index.yaml/json bytes; entries sorted newest first like Helm's ``loadIndex``."""
    import io

    if not data:
        raise RepoError("empty index.yaml file")
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        try:
            doc = json.loads(data, object_hook=_JSONDict)
        except ValueError:
            doc = None
        if doc is not None:
            return _from_document(doc, source, full)
    from kelm.repo.indexyaml import DuplicateKey, Unsupported

    if not full:
        try:
            return _stream(io.StringIO(data.decode("utf-8")), source, full)
        except (Unsupported, UnicodeDecodeError):
            pass
        except DuplicateKey as e:
            raise RepoError("error converting YAML to JSON: yaml: unmarshal errors: line "
                            f"{e.line}: key {_goquote(e.key)} already set in map") from None
    return _general(data, source, full)


def _general(data: bytes, source: str, full: bool) -> IndexFile:
    from kelm.yaml import YAMLError, load_helm

    try:
        _guard(data)
        doc = load_helm(data)
    except YAMLError as e:
        # libyaml stops nesting at 1000 levels, go-yaml at 10000: Helm's words either way
        raise RepoError(str(e).replace("\n ", "").replace(
            "exceeded maximum nesting depth", f"exceeded max depth of {MAX_DEPTH}")) from None
    except RecursionError:
        raise RepoError("error converting YAML to JSON: yaml: exceeded max depth of "
                        f"{MAX_DEPTH}") from None
    if doc is None:
        raise RepoError("no API version specified")
    return _from_document(doc, source, full)


def _stamp(path: str) -> tuple[int, ...]:
    st = os.stat(path)
    return (FORMAT, st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


def read_index_path(path: str, source: str = "", full: bool = False) -> IndexFile:
    """Parse the index file at ``path`` (streamed when it is block YAML); warnings and
    errors name ``source`` (default: the path)."""
    source = source or path
    if not full:
        with open(path, "rb") as fh:
            head = fh.read(1)
        if head and head not in (b"{", b"[", b" ", b"\n", b"\t", b"\r", b"\xef"):
            idx = _stream_file(path, source)
            if idx is not None:
                return idx
    with open(path, "rb") as fh:
        data = fh.read()
    return load_index(data, source, full)


def load_index_file(path: str, full: bool = False) -> IndexFile:
    """The index at ``path`` (a repository cache file or a local index); errors name it.
    Reads the remembered reduced form when the file is unchanged."""
    try:
        stamp = _stamp(path)
    except OSError as e:
        raise OSError(e.errno, e.strerror, path) from None
    if not full:
        idx = _remembered(path, stamp)
        if idx is not None:
            return idx
    try:
        idx = read_index_path(path, path, full)
    except RepoError as e:
        raise RepoError(f"error loading {path}: {e}") from None
    if not full:
        _remember(path, stamp, idx)
    return idx


def remember_index(path: str, idx: IndexFile, source: str = "") -> None:
    """Remember ``idx`` as the parsed form of the (just written) file ``path``; warnings that
    name ``source`` (where it was read from) are made to name ``path``, as a later read of
    the file would."""
    if source:
        idx = IndexFile(idx.api_version, idx.generated, idx.entries,
                        [w.replace(f" from {source}: ", f" from {path}: ") for w in idx.warnings],
                        idx.extra)
    try:
        _remember(path, _stamp(path), idx)
    except OSError:
        pass


def _stream_file(path: str, source: str) -> IndexFile | None:
    """The fast path straight from the file (lines are read as they are parsed)."""
    from kelm.repo.indexyaml import DuplicateKey, Unsupported

    try:
        with open(path, encoding="utf-8", newline="\n") as fh:
            return _stream(fh, source, False)
    except (Unsupported, UnicodeDecodeError):
        return None
    except DuplicateKey as e:
        raise RepoError("error converting YAML to JSON: yaml: unmarshal errors: line "
                        f"{e.line}: key {_goquote(e.key)} already set in map") from None


# -- the remembered reduced form ----------------------------------------------------------------


def _memo_path(path: str) -> str | None:
    from kelm import cachefiles

    if not cachefiles.enabled():
        return None
    import hashlib

    h = hashlib.blake2b(os.path.abspath(path).encode(), digest_size=16).hexdigest()
    return os.path.join(cachefiles.cache_root(), "repo-index", h + ".marshal")


def _remembered(path: str, stamp: tuple[int, ...]) -> IndexFile | None:
    memo = _memo_path(path)
    if memo is None:
        return None
    from kelm import cachefiles

    data = cachefiles.read_marshal(memo)
    if not isinstance(data, tuple) or len(data) != 6 or data[0] != stamp:
        return None
    _, api, generated, entries, warnings, extra_json = data
    idx = IndexFile(api_version=api, generated=generated, warnings=list(warnings),
                    extra=json.loads(extra_json))
    try:
        for name, versions in entries:
            idx.entries[name] = [
                ChartVersion(n, v, list(u), d, a, av, desc, list(kw), c, dep)
                for n, v, u, d, a, av, desc, kw, c, dep in versions]
    except (TypeError, ValueError):
        return None
    return idx


MEMO_MIN_SIZE = 256 * 1024  # smaller indexes parse in milliseconds: not worth a file
MEMO_MAX_FILES = 32  # the oldest go first (indexes fetched for --repo URL come and go)
MEMO_MAX_SIZE = 32 * 1024 * 1024  # beyond, the copies a cache write makes cost more memory
# than streaming the index again


def _remember(path: str, stamp: tuple[int, ...], idx: IndexFile) -> None:
    memo = _memo_path(path)
    if memo is None or not MEMO_MIN_SIZE <= stamp[1] <= MEMO_MAX_SIZE:
        return
    import marshal

    from kelm import cachefiles

    try:
        extra = json.dumps(idx.extra, default=str)
        entries = tuple(
            (name, tuple((cv.name, cv.version, tuple(cv.urls), cv.digest, cv.api_version,
                          cv.app_version, cv.description, tuple(cv.keywords), cv.created,
                          cv.deprecated) for cv in versions))
            for name, versions in idx.entries.items())
        payload = marshal.dumps((stamp, idx.api_version, idx.generated, entries,
                                 tuple(idx.warnings), extra))
        cachefiles.write_atomic(memo, payload)
        _prune(os.path.dirname(memo))
    except (OSError, ValueError, TypeError):
        pass


def _prune(directory: str) -> None:
    try:
        names = [n for n in os.listdir(directory) if n.endswith(".marshal")]
        if len(names) <= MEMO_MAX_FILES:
            return
        paths = sorted((os.path.join(directory, n) for n in names), key=os.path.getmtime)
        for p in paths[:len(paths) - MEMO_MAX_FILES]:
            os.remove(p)
    except OSError:
        pass


__all__ = ["ChartVersion", "IndexFile", "RepoError", "load_index", "load_index_file",
           "read_index_path", "remember_index", "version_key"]

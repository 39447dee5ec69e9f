"""From rendered files to Helm's manifest list: splitting, hook detection, kind ordering.

Mirrors ``releaseutil.SortManifests``: files in path order, documents split with Helm's
separator regex, each document's head (apiVersion/kind/metadata) decoded -- a document that
is not valid YAML fails the whole render -- hooks separated by their annotation, then a stable
sort by install order of kinds (unknown kinds after, alphabetically).
"""

from __future__ import annotations

from kelm import recache
from kelm._slots import Record
from kelm.yaml.jsondec import go_json_kind, go_string_field

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

# Go's unicode.IsSpace set, for strings.TrimSpace
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

INSTALL_ORDER = (
    "PriorityClass Namespace NetworkPolicy ResourceQuota LimitRange PodSecurityPolicy "
    "PodDisruptionBudget ServiceAccount Secret SecretList ConfigMap StorageClass "
    "PersistentVolume PersistentVolumeClaim CustomResourceDefinition ClusterRole "
    "ClusterRoleList ClusterRoleBinding ClusterRoleBindingList Role RoleList RoleBinding "
    "RoleBindingList Service DaemonSet Pod ReplicationController ReplicaSet Deployment "
    "HorizontalPodAutoscaler StatefulSet Job CronJob IngressClass Ingress APIService "
    "MutatingWebhookConfiguration ValidatingWebhookConfiguration"
).split()
_ORDER = {k: i for i, k in enumerate(INSTALL_ORDER)}

HOOK_EVENTS = {
    "pre-install": "pre-install",
    "post-install": "post-install",
    "pre-delete": "pre-delete",
    "post-delete": "post-delete",
    "pre-upgrade": "pre-upgrade",
    "post-upgrade": "post-upgrade",
    "pre-rollback": "pre-rollback",
    "post-rollback": "post-rollback",
    "test": "test",
    "test-success": "test",
}
HOOK_ANNOTATION = "helm.sh/hook"
HOOK_WEIGHT_ANNOTATION = "helm.sh/hook-weight"
HOOK_DELETE_ANNOTATION = "helm.sh/hook-delete-policy"
HOOK_OUTPUT_LOG_ANNOTATION = "helm.sh/hook-output-log-policy"


class ManifestError(Exception):
    """A rendered document Helm cannot parse; ``str()`` is Helm's message."""


def go_trim(s: str) -> str:
    return s.strip(GO_SPACE)


_WS = "\t\n\f\r "


def split_manifests(big: str) -> list[str]:
    """``releaseutil.SplitManifests`` as an ordered list.

    Same result as splitting on Helm's regex ``(?:^|\\s*\\n)---\\s*`` (leftmost-first), but
    linear: a separator is ``\\n---`` plus the whitespace run before it (not reaching back
    past the previous separator) and all whitespace after it.
    """
    s = go_trim(big)
    pieces: list[str] = []
    pos = start = 0
    n = len(s)
    if s.startswith("---"):
        e = 3
        while e < n and s[e] in _WS:
            e += 1
        pieces.append("")
        pos = start = e
    while True:
        i = s.find("\n---", pos)
        if i < 0:
            break
        j = i
        while j > pos and s[j - 1] in _WS:
            j -= 1
        pieces.append(s[start:j])
        e = i + 4
        while e < n and s[e] in _WS:
            e += 1
        pos = start = e
    pieces.append(s[start:])
    return [go_trim(d) for d in pieces if d != ""]


class Head(Record):
    """The part of a document Helm decodes to sort it (``releaseutil.SimpleHead``)."""

    __slots__ = ("api_version", "kind", "name", "annotations", "has_metadata")

    def __init__(
        self,
        api_version: str = "",
        kind: str = "",
        name: str = "",
        annotations: dict[str, str] | None = None,
        has_metadata: bool = False,
    ) -> None:
        self.api_version = api_version
        self.kind = kind
        self.name = name
        self.annotations = annotations
        self.has_metadata = has_metadata


class Manifest(Record):
    """One rendered document: ``name`` is its template path."""

    __slots__ = ("name", "content", "head")

    def __init__(self, name: str, content: str, head: Head) -> None:
        self.name = name
        self.content = content
        self.head = head


class Hook(Record):
    __slots__ = (
        "name", "kind", "path", "manifest", "events", "weight", "delete_policies",
        "output_log_policies",
    )

    def __init__(
        self,
        name: str,
        kind: str,
        path: str,
        manifest: str,
        events: list[str] | None = None,
        weight: int = 0,
        delete_policies: list[str] | None = None,
        output_log_policies: list[str] | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.path = path
        self.manifest = manifest
        self.events: list[str] = [] if events is None else events
        self.weight = weight
        self.delete_policies: list[str] = [] if delete_policies is None else delete_policies
        self.output_log_policies: list[str] = (
            [] if output_log_policies is None else output_log_policies
        )


_PREFIX = "error unmarshaling JSON: while decoding JSON: json: "


_HEAD_KEY = recache.compile(r"""^(["']?)(apiVersion|kind|metadata)\1[ \t]*:(?:[ \t]|$)""")
_TOP_KEY = recache.compile(r"""^(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_][^:#\n]*?)[ \t]*:(?:[ \t]|$)""")
_ALIAS = recache.compile(r"(?:^|[\s\[{,])\*[^\s\]},]")
_FULL_MARKERS = (".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "<<", "? ", "\t")


def _head_text(doc: str) -> str | None:
    """The ``apiVersion``/``kind``/``metadata`` blocks of a plain block-mapping document,
    or None when the document is not that simple (then it is decoded whole)."""
    if any(m in doc for m in _FULL_MARKERS) or ("*" in doc and _ALIAS.search(doc)):
        return None  # (an alias must name a known anchor: only a full decode checks that)
    out: list[str] = []
    taking = False
    seen_key = False
    for line in doc.split("\n"):
        if not line or line[0] in " \r":
            if taking:
                out.append(line)
            continue
        if line[0] == "#":
            continue
        if line.startswith(("---", "...")) or not _TOP_KEY.match(line):
            return None
        seen_key = True
        taking = _HEAD_KEY.match(line) is not None
        if taking:
            out.append(line)
    if not seen_key:
        return None
    text = "\n".join(out)
    if "*" in text or "&" in text or "!" in text:
        return None
    return text


_SIMPLE_LINE = recache.compile(
    r"""^( *)([A-Za-z0-9_./-]+|"[^"\\\n]*"|'[^'\n]*'):(?: +(.*?))? *$"""
)
_PLAIN_OK = recache.compile(r"^[A-Za-z_/][^#:]*$")
_NON_STRING = recache.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|~)$"
)


def _simple_value(v: str) -> str | None:
    """A scalar that is certainly a plain string in YAML, or None when unsure."""
    if len(v) >= 2 and v[0] == '"' and v[-1] == '"' and '"' not in v[1:-1] and "\\" not in v:
        return v[1:-1]
    if len(v) >= 2 and v[0] == "'" and v[-1] == "'" and "'" not in v[1:-1]:
        return v[1:-1]
    if _PLAIN_OK.match(v) and not _NON_STRING.match(v) and " #" not in v and not v.endswith(":"):
        return v.rstrip()
    return None


def _quick_head(text: str) -> dict[str, Any] | None:
    """Decode the head blocks without YAML when every line is ``key: simple-scalar`` at
    indent 0/2/4 in the expected places; None when anything is less obvious."""
    out: dict[str, Any] = {}
    section: str | None = None  # "metadata" or None
    sub: str | None = None  # "annotations"/"labels"/other under metadata
    sub_indent = -1
    for line in text.split("\n"):
        if not line.strip():
            continue
        m = _SIMPLE_LINE.match(line)
        if m is None:
            return None
        indent = len(m.group(1))
        key = m.group(2)
        if key[0] in "\"'":
            key = key[1:-1]
        raw = m.group(3)
        if indent == 0:
            sub = None
            if key == "metadata":
                if raw is not None:
                    return None
                section = "metadata"
                out["metadata"] = {}
                continue
            section = None
            if raw is None:
                return None
            v = _simple_value(raw)
            if v is None:
                return None
            out[key] = v
            continue
        if section != "metadata":
            return None
        md = out["metadata"]
        if sub is None or indent <= sub_indent:
            if sub is not None and indent != sub_indent:
                return None
            sub, sub_indent = None, indent
            if raw is None:
                sub = key
                md[key] = None  # an empty block is null in YAML
                continue
            v = _simple_value(raw)
            if v is None:
                return None
            md[key] = v
            continue
        if raw is None:
            if sub == "annotations":
                return None
            if md.get(sub) is None:
                md[sub] = {}
            continue  # deeper structure under labels etc. does not matter
        v = _simple_value(raw)
        if v is None:
            if sub == "annotations" or sub == "name":
                return None
            continue
        if md.get(sub) is None:
            md[sub] = {}
        if isinstance(md[sub], dict):
            md[sub][key] = v
    return out


def parse_head(doc: str) -> Head:
    """Decode a document into Helm's SimpleHead (raises ManifestError's message body).

    The whole document is syntax-checked by libyaml; only its head is built into Python
    objects (building a large manifest costs several times more than checking it).
    """
    from kelm.values.yamlload import YAMLError, check_syntax, load_yaml

    head = _head_text(doc)
    try:
        if head is None:
            data = load_yaml(doc)
        else:
            check_syntax(doc)
            data = (_quick_head(head) or load_yaml(head)) if head else None
    except YAMLError as e:
        raise ManifestError(str(e)) from None
    h = Head()
    if data is None:
        return h
    if not isinstance(data, dict):
        raise ManifestError(
            _PREFIX + f"cannot unmarshal {go_json_kind(data)} into Go value of type util.SimpleHead"
        )
    for key, attr in (("apiVersion", "api_version"), ("kind", "kind")):
        if key in data:
            v = data[key]
            s = go_string_field(v)
            if s is None and v is not None:
                raise ManifestError(
                    _PREFIX + f"cannot unmarshal {go_json_kind(v)} into Go struct field "
                    f"SimpleHead.{key} of type string"
                )
            if s is not None:
                setattr(h, attr, s)
    md = data.get("metadata")
    if md is not None:
        if not isinstance(md, dict):
            raise ManifestError(
                _PREFIX + f"cannot unmarshal {go_json_kind(md)} into Go struct field "
                'SimpleHead.metadata of type struct { Name string "json:\\"name\\""; '
                'Annotations map[string]string "json:\\"annotations\\"" }'
            )
        h.has_metadata = True
        if "name" in md:
            s = go_string_field(md["name"])
            if s is None and md["name"] is not None:
                raise ManifestError(
                    _PREFIX + f"cannot unmarshal {go_json_kind(md['name'])} into Go struct field "
                    ".metadata.name of type string"
                )
            h.name = s or ""
        ann = md.get("annotations")
        if ann is not None:
            if not isinstance(ann, dict):
                raise ManifestError(
                    _PREFIX + f"cannot unmarshal {go_json_kind(ann)} into Go struct field "
                    ".metadata.annotations of type map[string]string"
                )
            out: dict[str, str] = {}
            for k, v in ann.items():
                s = go_string_field(v)
                if s is None and v is not None:
                    raise ManifestError(
                        _PREFIX + f"cannot unmarshal {go_json_kind(v)} into Go struct field "
                        ".metadata.annotations of type string"
                    )
                out[k] = s or ""
            h.annotations = out
    return h


def _go_atoi(s: str) -> int:
    t = s[1:] if s[:1] in "+-" else s
    if t and t.isascii() and t.isdigit():
        v = int(s)
        if -(2**63) <= v < 2**63:
            return v
    return 0


def sort_manifests(
    files: dict[str, str],
) -> tuple[list[Hook], list[Manifest], list[str]]:
    """Hooks and manifests in install order, plus the INFO log lines Helm would print."""
    hooks: list[Hook] = []
    generic: list[Manifest] = []
    logs: list[str] = []
    for path in sorted(files):
        content = files[path]
        base = path.rsplit("/", 1)[-1]
        if base.startswith("_") or not go_trim(content):
            continue
        for m in split_manifests(content):
            try:
                head = parse_head(m)
            except ManifestError as e:
                raise ManifestError(f"YAML parse error on {path}: {e}") from None
            anns = head.annotations
            if not head.has_metadata or not anns or HOOK_ANNOTATION not in anns:
                generic.append(Manifest(path, m, head))
                continue
            hook_types = anns[HOOK_ANNOTATION]
            h = Hook(head.name, head.kind, path, m, weight=_go_atoi(anns.get(HOOK_WEIGHT_ANNOTATION, "")))
            unknown = False
            for t in hook_types.split(","):
                ev = HOOK_EVENTS.get(t.strip(GO_SPACE).lower())
                if ev is None:
                    unknown = True
                    break
                h.events.append(ev)
            if unknown:
                from kelm.golang.slog import text_value

                logs.append(f'level=INFO msg="skipping unknown hooks" hookTypes={text_value(hook_types)}')
                continue
            hooks.append(h)
            if HOOK_DELETE_ANNOTATION in anns:
                h.delete_policies = [
                    p.strip(GO_SPACE).lower() for p in anns[HOOK_DELETE_ANNOTATION].split(",")
                ]
            if HOOK_OUTPUT_LOG_ANNOTATION in anns:
                h.output_log_policies = [
                    p.strip(GO_SPACE).lower()
                    for p in anns[HOOK_OUTPUT_LOG_ANNOTATION].split(",")
                ]
    return _sort_by_kind(hooks, lambda h: h.kind), _sort_by_kind(generic, lambda m: m.head.kind), logs


def _kind_key(kind: str) -> tuple[int, str]:
    i = _ORDER.get(kind)
    if i is None:
        return (len(INSTALL_ORDER), kind)
    return (i, "")


def _sort_by_kind(items: list[Any], kind_of: Any) -> list[Any]:
    return sorted(items, key=lambda x: _kind_key(kind_of(x)))


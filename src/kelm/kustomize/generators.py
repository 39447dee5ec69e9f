"""configMapGenerator / secretGenerator and the content-hash name suffix."""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
from typing import Any

from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.loader import Loader
from kelm.kustomize.resource import ResMap, Resource


def merge_options(local: dict[str, Any] | None, glob: dict[str, Any] | None) -> dict[str, Any]:
    """kustomize's MergeGlobalOptionsIntoLocal."""
    out = dict(local or {})
    if not glob:
        return out
    for field in ("labels", "annotations"):
        g = glob.get(field)
        if out.get(field) is None:
            if g is not None:
                out[field] = dict(g)
        elif g:
            merged = dict(out[field])
            for k, v in g.items():
                merged.setdefault(k, v)
            out[field] = merged
    if glob.get("disableNameSuffixHash"):
        out["disableNameSuffixHash"] = True
    if glob.get("immutable"):
        out["immutable"] = True
    return out


def _parse_file_source(source: str) -> tuple[str, str]:
    n = source.count("=")
    if n == 0:
        return posixpath.basename(source), source
    if n == 1 and source.startswith("="):
        raise KustomizeError(
            f'missing key name for file path "{source[1:]}" in source "{source}"'
        )
    if n == 1 and source.endswith("="):
        raise KustomizeError(
            f'missing file path for key name "{source[:-1]}" in source "{source}"'
        )
    if n > 1:
        raise KustomizeError(f'source "{source}" key name or file path contains \'=\'')
    k, _, p = source.partition("=")
    return k, p


def _remove_quotes(s: str) -> str:
    if len(s) < 2 or s[0] != s[-1]:
        return s
    if s[0] in "\"'":
        return s[1:-1]
    return s


def _env_lines(content: bytes) -> list[tuple[str, str]]:
    out = []
    lines = content.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for i, raw in enumerate(lines):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise KustomizeError(f"line {i} has invalid utf8 bytes") from None
        if i == 0 and line.startswith("\ufeff"):
            line = line[1:]
        line = line.lstrip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not key:
            continue
        out.append((key, value if sep else ""))
    return out


def encode_base64(raw: bytes) -> str:
    """kyaml's base64 for generated data: 70-char lines, each newline-terminated when split."""
    enc = base64.b64encode(raw).decode()
    if len(enc) // 70 + 1 <= 1:
        return enc
    return "".join(enc[i:i + 70] + "\n" for i in range(0, len(enc), 70))


def _go_list(items: list[str]) -> str:
    return "[" + " ".join(items) + "]"


def load_pairs(ldr: Loader, args: dict[str, Any]) -> list[tuple[str, str | bytes]]:
    pairs: list[tuple[str, str | bytes]] = []
    envs = list(args.get("envs") or [])
    if args.get("env"):
        envs.append(args["env"])
    try:
        for p in envs:
            try:
                pairs.extend(_env_lines(ldr.load(p)))
            except KustomizeError as e:
                raise KustomizeError(f"env source files: {_go_list(envs)}: {e}") from None
        lits = list(args.get("literals") or [])
        for s in lits:
            if s.startswith("=") or "=" not in s:
                raise KustomizeError(
                    f"literal sources {_go_list(lits)}: invalid literal source {s}, "
                    "expected key=value"
                )
            k, _, v = s.partition("=")
            pairs.append((k, _remove_quotes(v)))
        files = list(args.get("files") or [])
        for s in files:
            try:
                k, p = _parse_file_source(s)
                data = ldr.load(p)
            except KustomizeError as e:
                raise KustomizeError(f"file sources: {_go_list(files)}: {e}") from None
            try:
                pairs.append((k, data.decode("utf-8")))
            except UnicodeDecodeError:
                pairs.append((k, data))
    except KustomizeError as e:
        raise KustomizeError(f"loading KV pairs: {e}") from None
    return pairs


def _validated(name: str, pairs: list[tuple[str, str | bytes]]) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {}
    for k, v in pairs:
        # kubectl's kustomize uses a permissive validator: keys are not checked.
        if k in out:
            raise KustomizeError(f"configmap {name} illegally repeats the key `{k}`")
        out[k] = v
    return out


def _base_object(kind: str, args: dict[str, Any]) -> dict[str, Any]:
    name = args.get("name") or ""
    if not name:
        raise KustomizeError("a configmap must have a name")
    meta: dict[str, Any] = {"name": name}
    if args.get("namespace"):
        meta["namespace"] = args["namespace"]
    return {"apiVersion": "v1", "kind": kind, "metadata": meta}


def _apply_options(obj: dict[str, Any], opts: dict[str, Any]) -> None:
    meta = obj["metadata"]
    if opts.get("labels"):
        meta.setdefault("labels", {}).update({k: str(v) for k, v in opts["labels"].items()})
    if opts.get("annotations"):
        meta.setdefault("annotations", {}).update(
            {k: str(v) for k, v in opts["annotations"].items()}
        )
    if opts.get("immutable"):
        obj["immutable"] = True


def make_configmap(ldr: Loader, args: dict[str, Any], opts: dict[str, Any]) -> Resource:
    obj = _base_object("ConfigMap", args)
    data = _validated(args.get("name") or "", load_pairs(ldr, args))
    for k in sorted(data):
        v = data[k]
        if isinstance(v, bytes):
            obj.setdefault("binaryData", {})[k] = encode_base64(v)
        else:
            obj.setdefault("data", {})[k] = v
    _apply_options(obj, opts)
    return _generated(obj, args, opts)


def make_secret(ldr: Loader, args: dict[str, Any], opts: dict[str, Any]) -> Resource:
    obj = _base_object("Secret", args)
    obj["type"] = args.get("type") or "Opaque"
    data = _validated(args.get("name") or "", load_pairs(ldr, args))
    enc: dict[str, str] = {}
    for k in sorted(data):
        v = data[k]
        raw = v if isinstance(v, bytes) else v.encode("utf-8")
        enc[k] = encode_base64(raw)
    obj["data"] = enc
    _apply_options(obj, opts)
    return _generated(obj, args, opts)


def _generated(obj: dict[str, Any], args: dict[str, Any], opts: dict[str, Any]) -> Resource:
    r = Resource(obj)
    r.needs_hash = not opts.get("disableNameSuffixHash")
    behavior = args.get("behavior") or "create"
    if behavior not in ("create", "merge", "replace"):
        behavior = "unspecified"
    r.behavior = behavior
    r.touched = True
    return r


# ---------------------------------------------------------------- hashing


def _go_json(v: Any) -> str:
    s = json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (
        s.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _encode(hexs: str) -> str:
    return hexs.translate(str.maketrans("013ae", "ghkmt"))


def content_hash(obj: dict[str, Any]) -> str:
    kind = obj.get("kind")
    if kind == "ConfigMap":
        m: dict[str, Any] = {"kind": "ConfigMap", "name": "", "data": obj.get("data", "")}
        if obj.get("data") is None:
            m["data"] = ""
        if isinstance(obj.get("binaryData"), dict):
            m["binaryData"] = obj["binaryData"]
    elif kind == "Secret":
        m = {
            "kind": "Secret",
            "type": obj.get("type") if obj.get("type") is not None else "",
            "name": "",
            "data": obj.get("data") if obj.get("data") is not None else "",
        }
        if isinstance(obj.get("stringData"), dict):
            m["stringData"] = obj["stringData"]
    else:
        raise KustomizeError(f"type {kind} is not supported for hashing")
    digest = hashlib.sha256(_go_json(m).encode("utf-8")).hexdigest()
    return _encode(digest[:10])


def hash_names(m: ResMap) -> None:
    """Append the content hash to the names of generated resources that want one."""
    for r in m.items:
        if r.needs_hash:
            h = content_hash(r.obj)
            r.store_previous_id()
            r.name = f"{r.name}-{h}"


# ---------------------------------------------------------------- IAMPolicyGenerator

_IAM_FIELDS = (  # (path in the config, Go field for type errors)
    (("cloud",), "IAMPolicyGeneratorPlugin.IAMPolicyGeneratorArgs.cloud"),
    (("kubernetesService", "name"), "KubernetesService.IAMPolicyGeneratorArgs.kubernetesService.name"),
    (("kubernetesService", "namespace"),
     "KubernetesService.IAMPolicyGeneratorArgs.kubernetesService.namespace"),
    (("serviceAccount", "name"), "ServiceAccount.IAMPolicyGeneratorArgs.serviceAccount.name"),
    (("serviceAccount", "projectId"),
     "ServiceAccount.IAMPolicyGeneratorArgs.serviceAccount.projectId"),
)


def _iam_args(cfg: Resource) -> dict[str, str]:
    from kelm.yaml.jsondec import go_json_kind

    out: dict[str, str] = {}
    for path, field in _IAM_FIELDS:
        v: Any = cfg.obj
        for i, key in enumerate(path):
            if v is not None and not isinstance(v, dict):
                struct = "IAMPolicyGeneratorPlugin.IAMPolicyGeneratorArgs." + ".".join(path[:i])
                raise KustomizeError(
                    f"loading generator plugins: failed to load generator: plugin {cfg.cur_id()}"
                    f" fails configuration: error unmarshaling JSON: while decoding JSON: json: "
                    f"cannot unmarshal {go_json_kind(v)} into Go struct field {struct} of type "
                    f"types.{'KubernetesService' if path[0] == 'kubernetesService' else 'ServiceAccount'}"
                )
            v = v.get(key) if isinstance(v, dict) else None
        if v is not None and not isinstance(v, str):
            raise KustomizeError(
                f"loading generator plugins: failed to load generator: plugin {cfg.cur_id()} "
                f"fails configuration: error unmarshaling JSON: while decoding JSON: json: "
                f"cannot unmarshal {go_json_kind(v)} into Go struct field {field} of type "
                + ("types.Cloud" if path == ("cloud",) else "string")
            )
        out[".".join(path)] = v or ""
    return out


def make_iam_policy(cfg: Resource) -> Resource:
    """The ServiceAccount bound to a cloud IAM account (kustomize's IAMPolicyGenerator; GKE
    workload identity only).  Like kustomize, the object is written as YAML text from the
    fields and parsed back, so names YAML cannot hold fail the same way."""
    import re

    from kelm.kustomize.yamlread import load_documents

    a = _iam_args(cfg)
    if a["cloud"] != "gke":
        raise KustomizeError(f"cloud provider {a['cloud']} not supported yet")
    text = (
        "\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n"
        f"    iam.gke.io/gcp-service-account: {a['serviceAccount.name']}@"
        f"{a['serviceAccount.projectId']}.iam.gserviceaccount.com\n"
        f"  name: {a['kubernetesService.name']}\n"
    )
    if a["kubernetesService.namespace"]:
        text += f"  namespace: {a['kubernetesService.namespace']}\n"
    try:
        docs = load_documents(text)
    except KustomizeError as e:
        m = re.search(r"yaml: line \d+: [^\n]*?(?= in File:|$)", str(e))
        raise KustomizeError(m.group(0) if m else str(e)) from None
    obj = docs[0]
    meta = obj.get("metadata") or {}
    if not meta.get("name"):
        ann = " ".join(f"{k}:{v}" for k, v in sorted((meta.get("annotations") or {}).items()))
        raise KustomizeError(
            f"missing metadata.name in object {{{{v1 ServiceAccount}} {{{{ "
            f"{meta.get('namespace') or ''}}} map[] map[{ann}]}}}}"
        )
    r = Resource(obj)
    r.touched = True
    return r

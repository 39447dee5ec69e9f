"""Finding, decoding and checking a kustomization file."""

from __future__ import annotations

import json
import re
from typing import Any

from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.loader import Loader
from kelm.kustomize.yamlread import load_kustomization_text
from kelm.yaml.jsondec import go_json_kind as _go_kind

FILE_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
KUSTOMIZATION_VERSION = "kustomize.config.k8s.io/v1beta1"
COMPONENT_VERSION = "kustomize.config.k8s.io/v1alpha1"

_STR = "string"
_FIELDS: dict[str, str] = {
    "apiVersion": _STR, "kind": _STR, "metadata": "map", "openapi": "smap",
    "namePrefix": _STR, "nameSuffix": _STR, "namespace": _STR,
    "commonLabels": "smap", "labels": "list", "commonAnnotations": "smap",
    "patchesStrategicMerge": "slist", "patchesJson6902": "list", "patches": "list",
    "images": "list", "imageTags": "list", "replacements": "list", "replicas": "list",
    "vars": "list", "sortOptions": "map", "resources": "slist", "components": "slist",
    "crds": "slist", "bases": "slist", "configMapGenerator": "list",
    "secretGenerator": "list", "helmGlobals": "map", "helmCharts": "list",
    "helmChartInflationGenerator": "list", "generatorOptions": "map",
    "configurations": "slist", "generators": "slist", "transformers": "slist",
    "validators": "slist", "buildMetadata": "slist",
}
_GO_TYPES = {"string": "string", "smap": "map[string]string", "slist": "[]string",
             "list": "[]", "map": "struct"}

DEPRECATIONS = (
    ("bases", "# Warning: 'bases' is deprecated. Please use 'resources' instead."),
    ("commonLabels", "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead."),
    ("imageTags", "# Warning: 'imageTags' is deprecated. Please use 'images' instead."),
    ("patchesJson6902",
     "# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead."),
    ("patchesStrategicMerge",
     "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead."),
    ("vars", "# Warning: 'vars' is deprecated. Please use 'replacements' instead."),
)
_EDIT_FIX = " Run 'kustomize edit fix' to update your Kustomization automatically."


def _type_error(field: str, v: Any, want: str) -> KustomizeError:
    return KustomizeError(
        f"invalid Kustomization: json: cannot unmarshal {_go_kind(v)} into Go struct field "
        f"Kustomization.{field} of type {want}"
    )


def _check(k: dict[str, Any]) -> None:
    for key, v in k.items():
        kind = _FIELDS.get(key)
        if kind is None:
            raise KustomizeError(f'invalid Kustomization: json: unknown field "{key}"')
        if v is None:
            continue
        if kind == _STR and not isinstance(v, str):
            raise _type_error(key, v, "string")
        if kind == "smap":
            if not isinstance(v, dict):
                raise _type_error(key, v, "map[string]string")
            for x in v.values():
                if x is not None and not isinstance(x, str):
                    raise _type_error(key, x, "string")
        if kind in ("slist", "list") and not isinstance(v, list):
            raise _type_error(key, v, "[]string" if kind == "slist" else "[]")
        if kind == "slist":
            for x in v:
                if not isinstance(x, str):
                    raise _type_error(key, x, "string")
        if kind == "map" and not isinstance(v, dict):
            raise _type_error(key, v, "struct")
    for lab in k.get("labels") or []:
        pairs = (lab or {}).get("pairs") or {}
        for x in pairs.values():
            if x is not None and not isinstance(x, str):
                raise KustomizeError(
                    f"invalid Kustomization: json: cannot unmarshal {_go_kind(x)} into Go struct "
                    "field Label.labels.pairs of type string"
                )
    for img in k.get("images") or []:
        for f in ("name", "newName", "newTag", "digest", "tagSuffix"):
            x = (img or {}).get(f)
            if x is not None and not isinstance(x, str):
                raise KustomizeError(
                    f"invalid Kustomization: json: cannot unmarshal {_go_kind(x)} into Go struct "
                    f"field Image.images.{f} of type string"
                )


_LOWER = {f.lower(): f for f in _FIELDS}


def _canonical_keys(k: dict[str, Any]) -> dict[str, Any]:
    """encoding/json matches struct fields case-insensitively."""
    out: dict[str, Any] = {}
    for key, v in k.items():
        out[_LOWER.get(key.lower(), key) if key not in _FIELDS else key] = v
    return out


_RESID = ["group", "version", "kind", "name", "namespace"]
_SELECTOR = [*_RESID, "annotationSelector", "labelSelector"]
_GENOPTS = ["labels", "annotations", "disableNameSuffixHash", "immutable"]
_GENARGS = ["namespace", "name", "behavior", "options", "literals", "files", "envs", "env"]
_FIELDSPEC = [*_RESID, "path", "create"]
_NESTED: dict[str, tuple[list[str], dict[str, Any]]] = {
    "labels": (["pairs", "includeSelectors", "includeTemplates", "fields"],
               {"fields": (_FIELDSPEC, {})}),
    "images": (["name", "newName", "tagSuffix", "newTag", "digest"], {}),
    "patches": (["path", "patch", "target", "options"], {"target": (_SELECTOR, {})}),
    "patchesJson6902": (["path", "patch", "target"], {"target": (_SELECTOR, {})}),
    "replicas": (["name", "count"], {}),
    "configMapGenerator": (_GENARGS, {"options": (_GENOPTS, {})}),
    "secretGenerator": ([*_GENARGS, "type"], {"options": (_GENOPTS, {})}),
    "generatorOptions": (_GENOPTS, {}),
    "sortOptions": (["order", "legacySortOptions"],
                    {"legacySortOptions": (["orderFirst", "orderLast"], {})}),
    "replacements": (["path", "source", "targets", "sourceValue"], {
        "source": ([*_RESID, "fieldPath", "options"], {}),
        "targets": (["select", "reject", "fieldPaths", "options"],
                    {"select": (_SELECTOR, {}), "reject": (_SELECTOR, {})}),
    }),
}


def _check_struct(v: Any, fields: list[str], nested: dict[str, Any]) -> Any:
    """Reject unknown fields (case-insensitive names, like encoding/json)."""
    if isinstance(v, list):
        return [_check_struct(x, fields, nested) for x in v]
    if not isinstance(v, dict):
        return v
    lower = {f.lower(): f for f in fields}
    out: dict[str, Any] = {}
    for key, x in v.items():
        canon = key if key in fields else lower.get(str(key).lower())
        if canon is None:
            raise KustomizeError(f'invalid Kustomization: json: unknown field "{key}"')
        if canon in nested and x is not None:
            sub_fields, sub_nested = nested[canon]
            x = _check_struct(x, sub_fields, sub_nested)
        out[canon] = x
    return out


def load(ldr: Loader) -> tuple[dict[str, Any], str, list[str]]:
    """The decoded kustomization, its file name, and deprecation warnings."""
    found = [n for n in FILE_NAMES if ldr.exists_file(n)]
    if not found:
        raise KustomizeError(
            "unable to find one of 'kustomization.yaml', 'kustomization.yml' or "
            f"'Kustomization' in directory '{ldr.root}'"
        )
    if len(found) > 1:
        raise KustomizeError(f"Found multiple kustomization files under: {ldr.root}\n")
    name = found[0]
    text = ldr.load(name).decode("utf-8", errors="replace")
    text = re.sub(r"[ \t]+$", "", text, flags=re.M)
    try:
        k = load_kustomization_text(text)
    except Exception as e:  # noqa: BLE001 - any YAML error
        raise KustomizeError(f"invalid Kustomization: {e}") from None
    if k is None:
        k = {}
    if not isinstance(k, dict):
        raise KustomizeError(
            "invalid Kustomization: json: cannot unmarshal "
            f"{_go_kind(k)} into Go value of type types.Kustomization"
        )
    # sigs.k8s.io/yaml turns non-string keys into strings; JSON round trip drops dates.
    k = json.loads(json.dumps(k, default=str))
    k = _canonical_keys(k)
    for key, (fields, nested) in _NESTED.items():
        if k.get(key) is not None:
            k[key] = _check_struct(k[key], fields, nested)
    _check(k)
    warnings = []
    for field, msg in DEPRECATIONS:
        if k.get(field) is not None:
            exp = " [EXPERIMENTAL]" if field == "vars" else ""
            warnings.append(msg + exp + _EDIT_FIX)
    kind = k.get("kind") or "Kustomization"
    api = k.get("apiVersion") or (
        COMPONENT_VERSION if kind == "Component" else KUSTOMIZATION_VERSION
    )
    rest = {x: y for x, y in k.items() if x not in ("apiVersion", "kind") and y not in (None,)}
    if not rest:
        raise KustomizeError("kustomization.yaml is empty")
    errs = []
    if kind not in ("Kustomization", "Component"):
        errs.append("kind should be Kustomization or Component")
    required = COMPONENT_VERSION if kind == "Component" else KUSTOMIZATION_VERSION
    if k.get("apiVersion") and api != required:
        errs.append(f"apiVersion for {kind} should be {required}")
    if errs:
        raise KustomizeError(
            f"Failed to read kustomization file under {ldr.root}:\n" + "\n".join(errs)
        )
    k["kind"], k["apiVersion"] = kind, api
    k["resources"] = list(k.get("resources") or []) + list(k.get("bases") or [])
    k["images"] = list(k.get("images") or []) + list(k.get("imageTags") or [])
    legacy = k.pop("helmChartInflationGenerator", None) or []
    if legacy:
        charts = list(k.get("helmCharts") or [])
        for old in legacy:
            old = old or {}
            charts.append({
                "name": old.get("chartName"), "version": old.get("chartVersion"),
                "repo": old.get("chartRepoUrl"), "releaseName": old.get("releaseName"),
                "namespace": old.get("releaseNamespace"), "valuesFile": old.get("values"),
                "valuesInline": old.get("valuesLocal"), "valuesMerge": old.get("valuesMerge"),
                "includeCRDs": old.get("includeCRDs"),
            })
            if not k.get("helmGlobals") and (old.get("chartHome") or old.get("helmHome")):
                k["helmGlobals"] = {"chartHome": old.get("chartHome"),
                                    "configHome": old.get("helmHome")}
        k["helmCharts"] = [{x: y for x, y in c.items() if y is not None} for c in charts]
    for gen in ("configMapGenerator", "secretGenerator"):
        for g in k.get(gen) or []:
            if isinstance(g, dict) and g.get("env"):
                g["envs"] = list(g.get("envs") or []) + [g.pop("env")]
    return k, name, warnings

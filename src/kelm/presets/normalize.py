"""Canonical forms for equality checks.

Upstream, both the pod and the stored preset were defaulted by the API server before the
plugin compared them with Go's DeepEqual (where an absent field equals its zero value).
Presets read from files or a CRD are not defaulted, so both sides are normalised here
before comparing; the objects written out are never normalised.
"""

from __future__ import annotations

import copy
from typing import Any

_MODE_DEFAULTED = ("secret", "configMap", "downwardAPI", "projected")
_SOURCE_DEFAULTS: dict[str, dict[str, Any]] = {
    "rbd": {"pool": "rbd", "user": "admin", "keyring": "/etc/ceph/keyring"},
    "iscsi": {"iscsiInterface": "default"},
    "azureDisk": {"cachingMode": "ReadWrite", "fsType": "ext4", "kind": "Shared"},
}


def _strip_zero(value: Any) -> Any:
    """Drop absent-equivalent entries (null, "", false, []) from mappings, recursively."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = _strip_zero(v)
            if v is None or v == "" or v is False or v == []:
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [_strip_zero(v) for v in value]
    return value


def _default_field_ref(holder: Any) -> None:
    if isinstance(holder, dict):
        ref = holder.get("fieldRef")
        if isinstance(ref, dict) and not ref.get("apiVersion"):
            ref["apiVersion"] = "v1"


def _default_items(items: Any) -> None:
    for item in items if isinstance(items, list) else ():
        _default_field_ref(item)


def canonical_env(env: Any) -> Any:
    env = copy.deepcopy(env)
    if isinstance(env, dict):
        _default_field_ref(env.get("valueFrom"))
    return _strip_zero(env)


def canonical_mount(mount: Any) -> Any:
    return _strip_zero(copy.deepcopy(mount))


def canonical_env_from(source: Any) -> Any:
    return _strip_zero(copy.deepcopy(source))


def canonical_volume(volume: Any) -> Any:
    vol = copy.deepcopy(volume)
    if not isinstance(vol, dict):
        return vol
    vol = _strip_zero(vol)
    sources = [k for k in vol if k != "name"]
    if not sources:
        vol["emptyDir"] = {}
    for kind in _MODE_DEFAULTED:
        src = vol.get(kind)
        if isinstance(src, dict):
            src.setdefault("defaultMode", 420)
            _default_items(src.get("items"))
    projected = vol.get("projected")
    if isinstance(projected, dict):
        for proj in projected.get("sources") or ():
            if not isinstance(proj, dict):
                continue
            if isinstance(proj.get("downwardAPI"), dict):
                _default_items(proj["downwardAPI"].get("items"))
            if isinstance(proj.get("serviceAccountToken"), dict):
                proj["serviceAccountToken"].setdefault("expirationSeconds", 3600)
    for kind, defaults in _SOURCE_DEFAULTS.items():
        src = vol.get(kind)
        if isinstance(src, dict):
            for k, v in defaults.items():
                src.setdefault(k, v)
    return vol


def env_from_key(source: Any) -> tuple[str, str, str]:
    """Identity of an envFrom entry: (prefix, configMapRef.name, secretRef.name)."""
    if not isinstance(source, dict):
        return ("", "", "")
    cm = source.get("configMapRef")
    sec = source.get("secretRef")
    return (
        str(source.get("prefix") or ""),
        str(cm.get("name") or "") if isinstance(cm, dict) else "",
        str(sec.get("name") or "") if isinstance(sec, dict) else "",
    )

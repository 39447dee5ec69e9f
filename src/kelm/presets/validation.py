"""Validation of a PodPreset document, following settings/v1alpha1 server-side rules.

Every problem is collected (not just the first) so one run shows all of them.
"""

from __future__ import annotations

import re
from typing import Any

from kelm.presets.normalize import env_from_key
from kelm.presets.selector import parse_selector

SPEC_LISTS = ("env", "envFrom", "volumes", "volumeMounts")
ANNOTATION_PREFIX = "podpreset.admission.kubernetes.io/podpreset-"
MAX_NAME = 63 - len("podpreset-")  # the annotation key's name part is limited to 63 chars

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_ENV_NAME = re.compile(r"^[\x21-\x3c\x3e-\x7e]+$")  # printable ASCII except '=' and space

VOLUME_SOURCES = frozenset(
    "awsElasticBlockStore azureDisk azureFile cephfs cinder configMap csi downwardAPI emptyDir "
    "ephemeral fc flexVolume flocker gcePersistentDisk gitRepo glusterfs hostPath image iscsi nfs "
    "persistentVolumeClaim photonPersistentDisk portworxVolume projected quobyte rbd scaleIO "
    "secret storageos vsphereVolume".split()
)
_MOUNT_FIELDS = frozenset(
    "name mountPath readOnly recursiveReadOnly subPath subPathExpr mountPropagation".split()
)
_VALUE_FROM = frozenset("fieldRef resourceFieldRef configMapKeyRef secretKeyRef fileKeyRef".split())


def validate_preset(doc: Any) -> list[str]:
    """All problems of a PodPreset document (empty when valid)."""
    if not isinstance(doc, dict):
        return ["a PodPreset must be a mapping"]
    problems = _metadata_problems(doc.get("metadata"))
    spec = doc.get("spec")
    if not isinstance(spec, dict):
        return problems + ["spec: must be a mapping"]
    for extra in sorted(set(spec) - {"selector", *SPEC_LISTS}):
        problems.append(f"spec: unknown field {extra!r} (expected selector, {', '.join(SPEC_LISTS)})")
    problems += parse_selector(spec.get("selector"))[1]
    lists: dict[str, list[Any]] = {}
    for key in SPEC_LISTS:
        value = spec.get(key)
        if value is None:
            lists[key] = []
        elif not isinstance(value, list):
            problems.append(f"spec.{key}: must be a list")
            lists[key] = []
        else:
            lists[key] = value
    if not any(lists.values()):
        problems.append("spec: must set at least one of env, envFrom, volumes, volumeMounts")
    problems += _env_problems(lists["env"])
    problems += _env_from_problems(lists["envFrom"])
    volume_names = _volume_problems(lists["volumes"], problems)
    problems += _mount_problems(lists["volumeMounts"], volume_names)
    return problems


def _metadata_problems(meta: Any) -> list[str]:
    if not isinstance(meta, dict):
        return ["metadata: must be a mapping with a name"]
    problems = []
    name = meta.get("name")
    if not isinstance(name, str) or not name:
        problems.append("metadata.name: required")
    elif len(name) > 253 or not _DNS_SUBDOMAIN.match(name):
        problems.append(f"metadata.name: {name!r} is not a DNS subdomain (lowercase a-z, 0-9, '-', '.')")
    elif len(name) > MAX_NAME:
        problems.append(
            f"metadata.name: {name!r} is longer than {MAX_NAME} characters, so the annotation "
            f"key {ANNOTATION_PREFIX}<name> would be invalid"
        )
    ns = meta.get("namespace")
    if ns is not None and (not isinstance(ns, str) or not _DNS_LABEL.match(ns) or len(ns) > 63):
        problems.append(f"metadata.namespace: {ns!r} is not a valid namespace name")
    rv = meta.get("resourceVersion")
    if rv is not None and not isinstance(rv, (str, int)):
        problems.append("metadata.resourceVersion: must be a string")
    return problems


def _env_problems(env: list[Any]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for i, var in enumerate(env):
        where = f"spec.env[{i}]"
        if not isinstance(var, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        problems += [f"{where}: unknown field {k!r}" for k in sorted(set(var) - {"name", "value", "valueFrom"})]
        name = var.get("name")
        if not isinstance(name, str) or not _ENV_NAME.match(name):
            problems.append(f"{where}.name: {name!r} is not a valid environment variable name")
        elif name in seen:
            problems.append(f"{where}.name: duplicate env name {name!r}")
        else:
            seen.add(name)
        value, value_from = var.get("value"), var.get("valueFrom")
        if value is not None and not isinstance(value, str):
            problems.append(f"{where}.value: must be a string (quote it: \"{value}\")")
        if value_from is not None:
            if value not in (None, ""):
                problems.append(f"{where}: value and valueFrom are mutually exclusive")
            sources = set(value_from) & _VALUE_FROM if isinstance(value_from, dict) else set()
            if not isinstance(value_from, dict) or len(sources) != 1 or len(value_from) != 1:
                problems.append(
                    f"{where}.valueFrom: must set exactly one of {', '.join(sorted(_VALUE_FROM))}"
                )
    return problems


def _env_from_problems(env_from: list[Any]) -> list[str]:
    problems: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for i, src in enumerate(env_from):
        where = f"spec.envFrom[{i}]"
        if not isinstance(src, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        problems += [
            f"{where}: unknown field {k!r}"
            for k in sorted(set(src) - {"prefix", "configMapRef", "secretRef"})
        ]
        refs = [k for k in ("configMapRef", "secretRef") if src.get(k) is not None]
        if len(refs) != 1:
            problems.append(f"{where}: must set exactly one of configMapRef, secretRef")
            continue
        ref = src[refs[0]]
        if not isinstance(ref, dict) or not isinstance(ref.get("name"), str) or not ref["name"]:
            problems.append(f"{where}.{refs[0]}.name: required")
            continue
        key = env_from_key(src)
        if key in seen:
            problems.append(f"{where}: duplicate envFrom source {refs[0]} {ref['name']!r}")
        seen.add(key)
    return problems


def _volume_problems(volumes: list[Any], problems: list[str]) -> set[str]:
    names: set[str] = set()
    for i, vol in enumerate(volumes):
        where = f"spec.volumes[{i}]"
        if not isinstance(vol, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        name = vol.get("name")
        if not isinstance(name, str) or not _DNS_LABEL.match(name) or len(name) > 63:
            problems.append(f"{where}.name: {name!r} is not a valid volume name (DNS label)")
        elif name in names:
            problems.append(f"{where}.name: duplicate volume name {name!r}")
        else:
            names.add(name)
        sources = [k for k in vol if k != "name"]
        unknown = [k for k in sources if k not in VOLUME_SOURCES]
        if unknown:
            problems.append(f"{where}: unknown volume source {', '.join(map(repr, unknown))}")
        elif len(sources) > 1:
            problems.append(f"{where}: more than one volume source ({', '.join(sources)})")
    return names


def _mount_problems(mounts: list[Any], volume_names: set[str]) -> list[str]:
    problems: list[str] = []
    names: set[str] = set()
    paths: set[str] = set()
    for i, mount in enumerate(mounts):
        where = f"spec.volumeMounts[{i}]"
        if not isinstance(mount, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        problems += [f"{where}: unknown field {k!r}" for k in sorted(set(mount) - _MOUNT_FIELDS)]
        name, path = mount.get("name"), mount.get("mountPath")
        if not isinstance(name, str) or not name:
            problems.append(f"{where}.name: required")
        elif name not in volume_names:
            problems.append(f"{where}.name: volume {name!r} is not declared in spec.volumes")
        elif name in names:
            problems.append(
                f"{where}.name: volume {name!r} is mounted twice (a preset mounts each volume once)"
            )
        else:
            names.add(name)
        if not isinstance(path, str) or not path:
            problems.append(f"{where}.mountPath: required")
        elif path in paths:
            problems.append(f"{where}.mountPath: duplicate mount path {path!r}")
        else:
            paths.add(path)
        if mount.get("subPath") and mount.get("subPathExpr"):
            problems.append(f"{where}: subPath and subPathExpr are mutually exclusive")
    return problems

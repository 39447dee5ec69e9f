"""Storage keys and labels as Helm's drivers write them."""

from __future__ import annotations

import re

STORAGE_TYPE = "sh.helm.release.v1"
RELEASE_TYPE = "helm.sh/release.v1"  # a release Secret's ``type`` and the SQL ``type`` column
OWNER = "helm"
SYSTEM_LABELS = ("name", "owner", "status", "version", "createdAt", "modifiedAt")

_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")


def make_key(name: str, version: int) -> str:
    """``sh.helm.release.v1.NAME.vN``: the storage object's name."""
    return f"{STORAGE_TYPE}.{name}.v{version}"


def split_key(key: str) -> tuple[str, int] | None:
    """(name, version) of a key as the memory driver reads it (None: not a release key)."""
    rest = key[len(STORAGE_TYPE) + 1 :] if key.startswith(STORAGE_TYPE + ".") else key
    parts = rest.split(".v")
    if len(parts) != 2:
        return None
    try:
        return parts[0], int(parts[1])
    except ValueError:
        return None


def is_system_label(key: str) -> bool:
    return key in SYSTEM_LABELS


def filter_system_labels(labels: dict[str, str] | None) -> dict[str, str]:
    return {k: v for k, v in (labels or {}).items() if k not in SYSTEM_LABELS}


def contains_system_labels(labels: dict[str, str]) -> bool:
    return any(k in SYSTEM_LABELS for k in labels)


def system_labels(name: str, status: str, version: int) -> dict[str, str]:
    return {"name": name, "owner": OWNER, "status": status, "version": str(version)}


def label_value_errors(v: str) -> list[str]:
    """``validation.IsValidLabelValue``'s messages (empty when valid)."""
    errs = []
    if len(v) > 63:
        errs.append("must be no more than 63 characters")
    if not _LABEL_VALUE.fullmatch(v):
        errs.append(
            "a valid label must be an empty string or consist of alphanumeric characters, "
            "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
            "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
            f"'{_LABEL_VALUE.pattern}')"
        )
    return errs


def selector(labels: dict[str, str]) -> str:
    """``labels.Set(...).AsSelector().String()``: ``k=v`` pairs sorted by key."""
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))

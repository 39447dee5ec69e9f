"""Helm's ``secret`` (default) and ``configmap`` drivers: one Kubernetes object per revision.

The object is named ``sh.helm.release.v1.NAME.vN`` and labelled ``name``, ``owner=helm``,
``status``, ``version`` plus the release's own labels and ``createdAt``/``modifiedAt`` (Unix
seconds); its ``release`` data is base64(gzip(JSON)).  A Secret has ``type:
helm.sh/release.v1`` and, Secret data being base64 in the API, carries that text base64'd
once more.  One API call writes one whole object, so a record is never half-written.
"""

from __future__ import annotations

import base64
import builtins
import time
from typing import TYPE_CHECKING, Any, Protocol

from kelm.release.errors import ReleaseExists, ReleaseNotFound, StorageError, go_quote
from kelm.release.labels import (
    OWNER,
    RELEASE_TYPE,
    filter_system_labels,
    label_value_errors,
    selector,
    system_labels,
)
from kelm.release.model import Release, ReleaseDecodeError

if TYPE_CHECKING:
    from collections.abc import Callable


class KubeClient(Protocol):
    """The part of :class:`kelm.kube.Client` the drivers use."""

    def get(self, api_version: str, kind: str, name: str, namespace: str | None = None) -> dict[str, Any]: ...

    def list(
        self,
        api_version: str,
        kind: str,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
        limit: int | None = None,
    ) -> builtins.list[dict[str, Any]]: ...

    def create(self, obj: dict[str, Any], namespace: str | None = None) -> Any: ...

    def update(self, obj: dict[str, Any], namespace: str | None = None) -> Any: ...

    def delete(self, api_version: str, kind: str, name: str, namespace: str | None = None) -> Any: ...


def _is_not_found(e: Exception) -> bool:
    from kelm.kube.errors import NotFound

    return isinstance(e, NotFound)


def _is_already_exists(e: Exception) -> bool:
    from kelm.kube.errors import AlreadyExists

    return isinstance(e, AlreadyExists)


def _is_api_error(e: Exception) -> bool:
    """A failure of the API call (kelm.kube's errors), as opposed to a bug."""
    from kelm.kube.errors import KubeError

    return isinstance(e, KubeError)


class _ObjectDriver:
    kind = ""

    def __init__(self, client: KubeClient, namespace: str = "default") -> None:
        self.client = client
        self.namespace = namespace  # "" = every namespace (helm list -A)

    @property
    def _ns(self) -> str | None:
        return self.namespace or None

    # ---- the object's body

    def _release_text(self, obj: dict[str, Any]) -> str:
        raise NotImplementedError

    def _object(self, key: str, rel: Release, labels: dict[str, str]) -> dict[str, Any]:
        raise NotImplementedError

    def _decode(self, obj: dict[str, Any], labels: dict[str, str]) -> Release:
        return Release.decode(self._release_text(obj), labels)

    def _new_object(self, key: str, rel: Release, stamp: str) -> dict[str, Any]:
        labels = dict(rel.labels)
        labels[stamp] = str(int(time.time()))
        labels.update(system_labels(rel.name, rel.status, rel.version))
        return self._object(key, rel, labels)

    # ---- Driver

    def get(self, key: str) -> Release:
        try:
            obj = self.client.get("v1", self.kind, key, namespace=self._ns)
        except Exception as e:
            if _is_not_found(e):
                raise ReleaseNotFound() from None
            if not _is_api_error(e):
                raise
            raise StorageError(self._msg(f"get: failed to get {go_quote(key)}: ", e)) from None
        labels = filter_system_labels(_labels(obj))
        try:
            return self._decode(obj, labels)
        except ReleaseDecodeError as e:
            raise StorageError(self._msg(f"get: failed to decode data {go_quote(key)}: ", e)) from None

    def _items(self, sel: str, what: str) -> builtins.list[dict[str, Any]]:
        try:
            # "" lists every namespace (kelm.kube.Client: None would mean the client's own)
            return self.client.list("v1", self.kind, namespace=self.namespace, label_selector=sel)
        except Exception as e:
            if not _is_api_error(e):
                raise
            raise StorageError(self._msg(what, e)) from None

    def _decode_all(self, items: builtins.list[dict[str, Any]]) -> builtins.list[Release]:
        out = []
        for item in items:
            try:
                out.append(self._decode(item, _labels(item)))
            except ReleaseDecodeError:
                continue  # Helm logs it at debug level and skips the record
        return out

    def list(self, keep: Callable[[Release], bool]) -> builtins.list[Release]:
        items = self._items(selector({"owner": OWNER}), "list: failed to list: ")
        return [r for r in self._decode_all(items) if keep(r)]

    def query(self, labels: dict[str, str]) -> builtins.list[Release]:
        for v in labels.values():
            errs = label_value_errors(v)
            if errs:
                raise StorageError(f"invalid label value: {go_quote(v)}: " + "; ".join(errs))
        items = self._items(selector(labels), "query: failed to query with labels: ")
        if not items:
            raise ReleaseNotFound()
        return self._decode_all(items)

    def create(self, key: str, rel: Release) -> None:
        try:
            obj = self._new_object(key, rel, "createdAt")
        except ValueError as e:  # JSONError: a value Go cannot marshal
            raise StorageError(self._msg(f"create: failed to encode release {go_quote(rel.name)}: ", e)) from None
        try:
            self.client.create(obj, namespace=self._create_ns(rel))
        except Exception as e:
            if _is_already_exists(e):
                raise ReleaseExists() from None
            if not _is_api_error(e):
                raise
            raise StorageError(self._msg("create: failed to create: ", e)) from None

    def update(self, key: str, rel: Release) -> None:
        try:
            obj = self._new_object(key, rel, "modifiedAt")
        except ValueError as e:
            raise StorageError(self._msg(f"update: failed to encode release {go_quote(rel.name)}: ", e)) from None
        try:
            self.client.update(obj, namespace=self._create_ns(rel))
        except Exception as e:
            if not _is_api_error(e):
                raise
            raise StorageError(self._msg("update: failed to update: ", e)) from None

    def delete(self, key: str) -> Release:
        rel = self.get(key)
        try:
            self.client.delete("v1", self.kind, key, namespace=self._ns)
        except Exception as e:
            if not _is_api_error(e):
                raise
            raise StorageError(str(e)) from None
        return rel

    def _create_ns(self, rel: Release) -> str | None:
        # Helm's client is bound to its namespace; with none (all namespaces) the release's
        return self.namespace or rel.namespace or None

    def _msg(self, prefix: str, e: Exception) -> str:
        return prefix + str(e)


class SecretDriver(_ObjectDriver):
    """``HELM_DRIVER=secret`` (the default)."""

    name = "Secret"
    kind = "Secret"

    def _release_text(self, obj: dict[str, Any]) -> str:
        data = (obj.get("data") or {}).get("release") or ""
        try:
            return base64.b64decode(data, validate=True).decode("ascii")
        except (ValueError, UnicodeDecodeError) as e:
            raise ReleaseDecodeError(f"illegal base64 data in secret: {e}") from None

    def _object(self, key: str, rel: Release, labels: dict[str, str]) -> dict[str, Any]:
        body = base64.b64encode(rel.encode().encode("ascii")).decode("ascii")
        return {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": key, "labels": labels},
            "type": RELEASE_TYPE,
            "data": {"release": body},
        }


class ConfigMapDriver(_ObjectDriver):
    """``HELM_DRIVER=configmap``: Helm's messages carry no operation prefix here."""

    name = "ConfigMap"
    kind = "ConfigMap"

    def _release_text(self, obj: dict[str, Any]) -> str:
        return (obj.get("data") or {}).get("release") or ""

    def _object(self, key: str, rel: Release, labels: dict[str, str]) -> dict[str, Any]:
        return {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": key, "labels": labels},
            "data": {"release": rel.encode()},
        }

    def _msg(self, prefix: str, e: Exception) -> str:
        return str(e)


def _labels(obj: dict[str, Any]) -> dict[str, str]:
    return dict((obj.get("metadata") or {}).get("labels") or {})


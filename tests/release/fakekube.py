"""An in-memory stand-in for :class:`kelm.kube.Client` (get/list/create/update/delete of
namespaced objects with equality label selectors), for the drivers' unit tests; the
emulator tests run the same drivers against a real API server."""

from __future__ import annotations

import copy
from typing import Any

from kelm.kube.errors import AlreadyExists, NotFound


class FakeKube:
    def __init__(self) -> None:
        self.objects: dict[tuple[str, str, str], dict[str, Any]] = {}  # (kind, ns, name)
        self.calls: list[str] = []

    def _key(self, kind: str, name: str, namespace: str | None) -> tuple[str, str, str]:
        return kind, namespace or "default", name

    def get(self, api_version: str, kind: str, name: str, namespace: str | None = None) -> dict[str, Any]:
        self.calls.append("get")
        try:
            return copy.deepcopy(self.objects[self._key(kind, name, namespace)])
        except KeyError:
            raise NotFound(f'{kind.lower()}s "{name}" not found') from None

    def list(self, api_version: str, kind: str, namespace: str | None = None,
             label_selector: str | None = None, field_selector: str | None = None,
             limit: int | None = None) -> list[dict[str, Any]]:
        self.calls.append("list")
        want = dict(p.split("=", 1) for p in label_selector.split(",")) if label_selector else {}
        out = []
        for (k, ns, _), obj in sorted(self.objects.items()):
            labels = obj["metadata"].get("labels") or {}
            # as kelm.kube.Client: None is the client's namespace ("default"), "" every namespace
            if k == kind and (namespace == "" or ns == (namespace or "default")) and all(
                labels.get(a) == b for a, b in want.items()
            ):
                out.append(copy.deepcopy(obj))
        return out

    def create(self, obj: dict[str, Any], namespace: str | None = None) -> dict[str, Any]:
        self.calls.append("create")
        key = self._key(obj["kind"], obj["metadata"]["name"], namespace)
        if key in self.objects:
            raise AlreadyExists(f'{obj["kind"].lower()}s "{key[2]}" already exists')
        stored = copy.deepcopy(obj)
        stored["metadata"]["namespace"] = key[1]
        self.objects[key] = stored
        return copy.deepcopy(stored)

    def update(self, obj: dict[str, Any], namespace: str | None = None) -> dict[str, Any]:
        self.calls.append("update")
        key = self._key(obj["kind"], obj["metadata"]["name"], namespace)
        if key not in self.objects:
            raise NotFound(f'{obj["kind"].lower()}s "{key[2]}" not found')
        stored = copy.deepcopy(obj)
        stored["metadata"]["namespace"] = key[1]
        self.objects[key] = stored
        return copy.deepcopy(stored)

    def delete(self, api_version: str, kind: str, name: str, namespace: str | None = None) -> None:
        self.calls.append("delete")
        try:
            del self.objects[self._key(kind, name, namespace)]
        except KeyError:
            raise NotFound(f'{kind.lower()}s "{name}" not found') from None

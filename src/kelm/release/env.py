"""The storage a Helm command uses: ``HELM_DRIVER`` (``secret``/``secrets``/empty,
``configmap``/``configmaps``, ``memory``, ``sql``), ``HELM_DRIVER_SQL_CONNECTION_STRING``,
``HELM_MAX_HISTORY`` and, for the memory driver, ``HELM_MEMORY_DRIVER_DATA`` (``:``-separated
YAML files, each a list of releases, loaded at start as Helm does)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from kelm.release.errors import StorageError, go_quote

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from kelm.release.drivers.base import Driver
    from kelm.release.storage import Storage

DEFAULT_MAX_HISTORY = 10


def driver_from_env(
    namespace: str,
    kube_client: Callable[[], Any] | Any = None,
    env: Mapping[str, str] | None = None,
) -> Driver:
    """The driver ``HELM_DRIVER`` names.  ``kube_client``: a :class:`kelm.kube.Client` or a
    function making one (called only for the secret/configmap drivers)."""
    env = os.environ if env is None else env
    name = env.get("HELM_DRIVER", "")
    if name in ("secret", "secrets", "", "configmap", "configmaps"):
        client = kube_client() if callable(kube_client) else kube_client
        if client is None:
            raise StorageError("the secret and configmap drivers need a Kubernetes client")
        from kelm.release.drivers.kube import ConfigMapDriver, SecretDriver

        cls = ConfigMapDriver if name.startswith("configmap") else SecretDriver
        return cls(client, namespace)
    if name == "memory":
        from kelm.release.drivers.memory import MemoryDriver

        mem = MemoryDriver(namespace)
        load_memory_data(mem, env.get("HELM_MEMORY_DRIVER_DATA", ""))
        mem.namespace = namespace
        return mem
    if name == "sql":
        from kelm.release.drivers.sql import SQLDriver

        return SQLDriver(env.get("HELM_DRIVER_SQL_CONNECTION_STRING", ""), namespace)
    raise StorageError(f"unknown driver {go_quote(name)}")


def max_history_from_env(env: Mapping[str, str] | None = None) -> int:
    """``HELM_MAX_HISTORY`` (default 10; not an integer: the default)."""
    env = os.environ if env is None else env
    try:
        return int(env.get("HELM_MAX_HISTORY", DEFAULT_MAX_HISTORY))
    except ValueError:
        return DEFAULT_MAX_HISTORY


def storage_from_env(
    namespace: str, kube_client: Callable[[], Any] | Any = None,
    env: Mapping[str, str] | None = None,
) -> Storage:
    from kelm.release.storage import Storage

    return Storage(driver_from_env(namespace, kube_client, env), max_history_from_env(env))


def load_memory_data(mem: Any, paths: str) -> None:
    """Helm's ``loadReleasesInMemory``: each file a YAML list of releases (JSON field names).
    As in Helm, an empty ``HELM_MEMORY_DRIVER_DATA`` names one file, ``""``, which cannot be
    read; the messages are the lines Helm logs before exiting."""
    from kelm.release.model import Release, ReleaseDecodeError
    from kelm.release.storage import Storage
    from kelm.yaml import YAMLError, load_helm
    from kelm.yaml.jsondec import go_json_kind

    store = Storage(mem)
    for path in paths.split(":"):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                docs = load_helm(f.read())
        except OSError as e:
            why = (e.strerror or "").lower()
            raise StorageError(f"Unable to read memory driver dataopen {path}: {why}") from None
        except YAMLError as e:
            raise StorageError(
                f"Unable to unmarshal memory driver data: error converting YAML to JSON: {e}"
            ) from None
        if docs is None:
            continue
        if not isinstance(docs, list):
            raise StorageError(
                "Unable to unmarshal memory driver data: error unmarshaling JSON: while decoding "
                f"JSON: json: cannot unmarshal {go_json_kind(docs)} into Go value of type "
                "[]*v1.Release"
            )
        for doc in docs:
            try:
                store.create(Release.from_json_dict(doc))
            except ReleaseDecodeError as e:
                raise StorageError(f"Unable to unmarshal memory driver data: {e}") from None

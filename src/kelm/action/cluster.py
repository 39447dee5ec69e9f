"""Cluster access for the release commands: Helm's global Kubernetes flags -> a
:class:`kelm.kube.Client`, and the release storage (``HELM_DRIVER``) in the release's
namespace.  Imported only by commands that talk to a cluster."""

from __future__ import annotations

from typing import Any

from kelm._slots import Record


class KubeSettings(Record):
    """The global flags (``--kube-context``, ``--kubeconfig``, ``-n``, ...), as plain values."""

    __slots__ = ("kubeconfig", "context", "namespace", "api_server", "token", "as_user",
                 "as_groups", "ca_file", "insecure", "tls_server_name", "qps", "burst")

    def __init__(
        self, kubeconfig: str | None = None, context: str | None = None,
        namespace: str | None = None, api_server: str | None = None, token: str | None = None,
        as_user: str | None = None, as_groups: list[str] | tuple[str, ...] | None = None,
        ca_file: str | None = None, insecure: bool | None = None,
        tls_server_name: str | None = None, qps: float | None = None, burst: int | None = None,
    ) -> None:
        self.kubeconfig = kubeconfig
        self.context = context
        self.namespace = namespace
        self.api_server = api_server
        self.token = token
        self.as_user = as_user
        self.as_groups = as_groups
        self.ca_file = ca_file
        self.insecure = insecure
        self.tls_server_name = tls_server_name
        self.qps = qps
        self.burst = burst


def make_client(s: KubeSettings) -> Any:
    """A client for the settings (``kelm.kube.ConfigError`` when kubeconfig is unusable)."""
    from kelm.kube import Client, ConfigFlags, load_config

    flags = ConfigFlags(
        kubeconfig=s.kubeconfig or None, context=s.context or None,
        namespace=s.namespace or None, api_server=s.api_server or None,
        token=s.token or None, as_user=s.as_user or None,
        as_groups=tuple(s.as_groups or ()), ca_file=s.ca_file or None,
        insecure_skip_tls_verify=bool(s.insecure), tls_server_name=s.tls_server_name or None,
        qps=s.qps or None, burst=s.burst or None,
    )
    return Client(load_config(flags))


def release_storage(client: Any, namespace: str) -> Any:
    """Helm's storage for ``namespace`` (driver and max history from the environment)."""
    from kelm.release.env import storage_from_env

    return storage_from_env(namespace, client)


__all__ = ["KubeSettings", "make_client", "release_storage"]

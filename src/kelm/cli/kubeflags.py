"""The global Kubernetes flags (``--kubeconfig``, ``--kube-context``, ``-n``, ...) as a
client: shared by every command that talks to a cluster (install, upgrade, list, test, and
``template --dry-run=server``), so none of them imports another command's module."""

from __future__ import annotations

from typing import Any

from kelm.cli.command import fail
from kelm.cli.flags import Parsed


def kube_settings(p: Parsed) -> Any:
    """The global Kubernetes flags as :class:`kelm.action.cluster.KubeSettings`."""
    from kelm.action.cluster import KubeSettings

    return KubeSettings(
        kubeconfig=p.get("kubeconfig"), context=p.get("kube-context"),
        namespace=p.get("namespace"), api_server=p.get("kube-apiserver"),
        token=p.get("kube-token"), as_user=p.get("kube-as-user"),
        as_groups=list(p.get("kube-as-group") or ()), ca_file=p.get("kube-ca-file"),
        insecure=p.get("kube-insecure-skip-tls-verify"),
        tls_server_name=p.get("kube-tls-server-name"),
        qps=p.get("qps") or None, burst=p.get("burst-limit"))


UNREACHABLE = "kubernetes cluster unreachable: "
# what install and the server dry-runs say: their reachability check wraps the message
REACHABILITY_CHECK = "cluster reachability check failed: " + UNREACHABLE


def connect(p: Parsed, prefix: str, unreachable: str = UNREACHABLE) -> Any:
    """A client for the global flags.  A kubeconfig that cannot be used is Helm's failed
    reachability check: ``Error: PREFIX`` + ``unreachable`` + why (Helm loads the config
    only when it first asks the cluster)."""
    from kelm.action.cluster import make_client
    from kelm.kube import ConfigError

    try:
        return make_client(kube_settings(p))
    except ConfigError as e:
        fail(f"{prefix}{unreachable}{e}")
        return None


__all__ = ["REACHABILITY_CHECK", "UNREACHABLE", "connect", "kube_settings"]

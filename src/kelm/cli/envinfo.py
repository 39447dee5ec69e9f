"""``kelm env [NAME]``: the HELM_* settings kelm runs with, printed as ``helm env`` does.

kelm shares Helm's configuration, so the names are Helm's; the values are the ones kelm
uses (flags, then KELM_*/HELM_* variables, then XDG defaults, as :mod:`kelm.repo.paths`).
"""

from __future__ import annotations

import os
import sys

from kelm.cli.command import Command

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kelm.cli.flags import Parsed


def _data_home() -> str:
    for name in ("KELM_DATA_HOME", "HELM_DATA_HOME"):
        if os.environ.get(name):
            return os.environ[name]
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                           "share")
    return os.path.join(base, "helm")


def _kelm_bin() -> str:
    arg0 = sys.argv[0] if sys.argv else ""
    if not arg0 or arg0.endswith("__main__.py") or arg0 == "-c":
        return f"{sys.executable} -m kelm"
    return os.path.abspath(arg0) if os.sep in arg0 else arg0


def settings_value(kind: str, p: Parsed | None = None) -> str:
    """The location kelm uses for ``repository-config``, ``repository-cache``,
    ``content-cache`` or ``registry-config`` (a flag in ``p`` wins)."""
    from kelm.repo.paths import config_home, settings

    given = (p.get(kind) if p is not None else "") or ""
    if kind == "registry-config":
        return given or os.environ.get("HELM_REGISTRY_CONFIG") or os.path.join(
            config_home(), "registry", "config.json")
    s = settings(repository_config=given if kind == "repository-config" else "",
                 repository_cache=given if kind == "repository-cache" else "",
                 content_cache=given if kind == "content-cache" else "")
    return {"repository-config": s.repository_config, "repository-cache": s.repository_cache,
            "content-cache": s.content_cache}[kind]


def environment(p: Parsed) -> dict[str, str]:
    """HELM_* name -> value, sorted by name as ``helm env`` prints them."""
    from kelm.repo.paths import cache_home, config_home

    data = _data_home()
    env = {
        "HELM_BIN": _kelm_bin(),
        "HELM_BURST_LIMIT": str(p.get("burst-limit")),
        "HELM_CACHE_HOME": cache_home(),
        "HELM_CONFIG_HOME": config_home(),
        "HELM_CONTENT_CACHE": settings_value("content-cache", p),
        "HELM_DATA_HOME": data,
        "HELM_DEBUG": "true" if p.get("debug") else "false",
        "HELM_KUBEAPISERVER": p.get("kube-apiserver") or "",
        "HELM_KUBEASGROUPS": ",".join(p.get("kube-as-group") or []),
        "HELM_KUBEASUSER": p.get("kube-as-user") or "",
        "HELM_KUBECAFILE": p.get("kube-ca-file") or "",
        "HELM_KUBECONTEXT": p.get("kube-context") or "",
        "HELM_KUBEINSECURE_SKIP_TLS_VERIFY": "true" if p.get("kube-insecure-skip-tls-verify")
        else "false",
        "HELM_KUBETLS_SERVER_NAME": p.get("kube-tls-server-name") or "",
        "HELM_KUBETOKEN": p.get("kube-token") or "",
        "HELM_MAX_HISTORY": os.environ.get("HELM_MAX_HISTORY") or "10",
        "HELM_NAMESPACE": p.get("namespace") or os.environ.get("HELM_NAMESPACE") or "default",
        "HELM_PLUGINS": os.environ.get("HELM_PLUGINS") or os.path.join(data, "plugins"),
        "HELM_QPS": f"{float(p.get('qps') or 0):.2f}",
        "HELM_REGISTRY_CONFIG": settings_value("registry-config", p),
        "HELM_REPOSITORY_CACHE": settings_value("repository-cache", p),
        "HELM_REPOSITORY_CONFIG": settings_value("repository-config", p),
    }
    return dict(sorted(env.items()))


def run_env(cmd: Command, p: Parsed) -> None:
    env = environment(p)
    if p.args:
        value = env.get(p.args[0])
        if value is not None:
            sys.stdout.write(value + "\n")
        return
    sys.stdout.write("".join(f'{k}="{v}"\n' for k, v in env.items()))


COMMAND = Command(
    "env", short="kelm client environment information",
    long="\nEnv prints out all the environment information in use by kelm (Helm's HELM_*\n"
         "names, with the values kelm uses).\n",
    args=("max", 1), run=run_env,
)

"""Where Helm keeps repository configuration and caches (``helmpath`` + ``cli.EnvSettings``).

``KELM_*`` variables win over ``HELM_*`` ones so kelm can be pointed elsewhere without
touching a Helm setup; defaults follow XDG like Helm (``~/.config/helm``, ``~/.cache/helm``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env(*names: str) -> str:
    for n in names:
        v = os.environ.get(n)
        if v:
            return v
    return ""


def config_home() -> str:
    return _env("KELM_CONFIG_HOME", "HELM_CONFIG_HOME") or os.path.join(
        _env("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config"), "helm"
    )


def cache_home() -> str:
    return _env("KELM_CACHE_HOME", "HELM_CACHE_HOME") or os.path.join(
        _env("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "helm"
    )


@dataclass
class RepoSettings:
    repository_config: str
    repository_cache: str
    content_cache: str


def settings(
    repository_config: str = "", repository_cache: str = "", content_cache: str = ""
) -> RepoSettings:
    """Effective locations: explicit flags, then environment, then defaults."""
    return RepoSettings(
        repository_config=repository_config
        or _env("KELM_REPOSITORY_CONFIG", "HELM_REPOSITORY_CONFIG")
        or os.path.join(config_home(), "repositories.yaml"),
        repository_cache=repository_cache
        or _env("KELM_REPOSITORY_CACHE", "HELM_REPOSITORY_CACHE")
        or os.path.join(cache_home(), "repository"),
        content_cache=content_cache
        or _env("KELM_CONTENT_CACHE", "HELM_CONTENT_CACHE")
        or os.path.join(cache_home(), "content"),
    )


def cache_index_file(name: str) -> str:
    return f"{name}-index.yaml" if name else "index.yaml"


def cache_charts_file(name: str) -> str:
    return f"{name}-charts.txt" if name else "charts.txt"

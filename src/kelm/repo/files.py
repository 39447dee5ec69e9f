"""repositories.yaml (Helm's ``repo.File``): the user's named chart repositories, as data.

Reading and writing the file is :mod:`kelm.repo.config` (Helm's exact decoding, its lock).
"""

from __future__ import annotations

from dataclasses import dataclass, field


class RepoFileError(Exception):
    """repositories.yaml cannot be read; ``str()`` is Helm's message."""


@dataclass
class RepoEntry:
    name: str = ""
    url: str = ""
    username: str = ""
    password: str = ""
    cert_file: str = ""
    key_file: str = ""
    ca_file: str = ""
    insecure_skip_tls_verify: bool = False
    pass_credentials_all: bool = False


@dataclass
class RepoFile:
    api_version: str = "v1"
    generated: str = ""
    repositories: list[RepoEntry] = field(default_factory=list)

    def get(self, name: str) -> RepoEntry | None:
        for r in self.repositories:
            if r.name == name:
                return r
        return None

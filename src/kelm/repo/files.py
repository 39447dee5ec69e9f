"""repositories.yaml (Helm's ``repo.File``): the user's named chart repositories."""

from __future__ import annotations

from dataclasses import dataclass, field


class RepoFileError(Exception):
    pass


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


_KEYS = {
    "name": "name", "url": "url", "username": "username", "password": "password",
    "certFile": "cert_file", "keyFile": "key_file", "caFile": "ca_file",
    "insecure_skip_tls_verify": "insecure_skip_tls_verify",
    "pass_credentials_all": "pass_credentials_all",
}


def load_repo_file(path: str) -> RepoFile:
    """Parse repositories.yaml; a missing file raises FileNotFoundError like Helm's check."""
    from kelm.yaml import YAMLError, load_helm

    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise
    except OSError as e:
        raise RepoFileError(f"couldn't load repositories file ({path}): {e.strerror}") from None
    try:
        doc = load_helm(text)
    except YAMLError as e:
        raise RepoFileError(str(e)) from None
    rf = RepoFile()
    if not isinstance(doc, dict):
        return rf
    rf.api_version = str(doc.get("apiVersion") or "")
    rf.generated = str(doc.get("generated") or "")
    for item in doc.get("repositories") or []:
        if not isinstance(item, dict):
            continue
        entry = RepoEntry()
        for k, attr in _KEYS.items():
            v = item.get(k)
            if v is None:
                continue
            if isinstance(getattr(entry, attr), bool):
                setattr(entry, attr, bool(v))
            else:
                setattr(entry, attr, str(v))
        rf.repositories.append(entry)
    return rf

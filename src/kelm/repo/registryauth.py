"""Registry credentials where Helm keeps them: ``registry/config.json`` in the docker config
format (``auths`` with base64 ``user:pass``, ``credsStore``/``credHelpers`` naming
``docker-credential-<helper>`` programs), with the docker config as a read-only fallback.

The file is rewritten as oras-go does (tab-indented JSON with sorted keys, mode 0600, other
fields kept) and atomically, so a failed write never leaves a broken file.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from dataclasses import dataclass

from kelm.repo.transport import RepoError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

HELPER_PREFIX = "docker-credential-"
TOKEN_USERNAME = "<token>"
NOT_FOUND = "credentials not found in native keychain"
HELPER_TIMEOUT = 30.0


class CredentialError(RepoError):
    """A credential store could not be read or written."""


@dataclass
class Credential:
    """What oras calls a credential: basic auth, or tokens."""

    username: str = ""
    password: str = ""
    refresh_token: str = ""
    access_token: str = ""

    def empty(self) -> bool:
        return not (self.username or self.password or self.refresh_token or self.access_token)


def registry_config_path(explicit: str = "") -> str:
    """``--registry-config``, ``HELM_REGISTRY_CONFIG`` or ``$HELM_CONFIG_HOME/registry/
    config.json``."""
    from kelm.repo.paths import config_home

    return explicit or os.environ.get("HELM_REGISTRY_CONFIG") or os.path.join(
        config_home(), "registry", "config.json")


def docker_config_path() -> str:
    base = os.environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")
    return os.path.join(base, "config.json")


def server_address(host: str) -> str:
    """The key a host's credentials are stored under (Docker Hub's legacy one for docker.io)."""
    return "https://index.docker.io/v1/" if host == "docker.io" else host


def to_hostname(addr: str) -> str:
    addr = addr.removeprefix("http://").removeprefix("https://")
    return addr.split("/", 1)[0]


def go_json_error(raw: bytes) -> str:
    """encoding/json's words for text that is not JSON (Python's json said why first)."""
    from kelm.yaml.jsondec import parse

    try:
        parse(raw.decode("utf-8", "replace"))
    except ValueError as e:
        return str(e)
    return "invalid JSON"


class ConfigFile:
    """One docker-format config file, its unknown fields kept."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.content: dict[str, Any] = {}
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
        except FileNotFoundError:
            raw = b""
        except OSError as e:
            raise CredentialError(f"failed to open config file at {path}: "
                                  f"{(e.strerror or '').lower()}") from None
        if not raw.strip():
            if raw or os.path.exists(path):
                raise CredentialError(f"failed to decode config file at {path}: invalid config "
                                      "format: EOF")
            return
        try:
            doc = json.loads(raw)
        except ValueError:
            raise CredentialError(f"failed to decode config file at {path}: invalid config "
                                  f"format: {go_json_error(raw)}") from None
        if not isinstance(doc, dict):
            raise CredentialError(f"failed to decode config file at {path}: invalid config "
                                  f"format: {_unmarshal(doc, 'map[string]json.RawMessage')}")
        self.content = doc
        for key, kind, what, gotype in (
                ("credsStore", str, "creds store", "string"),
                ("credHelpers", dict, "cred helpers", "map[string]string"),
                ("auths", dict, "auths", "map[string]json.RawMessage")):
            v = self.content.get(key)
            if v is not None and not isinstance(v, kind):
                raise CredentialError(f"failed to unmarshal {what} field: invalid config "
                                      f"format: {_unmarshal(v, gotype)}")

    @property
    def auths(self) -> dict[str, Any]:
        return self.content.get("auths") or {}

    @property
    def creds_store(self) -> str:
        return str(self.content.get("credsStore") or "")

    def helper_for(self, server: str) -> str:
        helpers = self.content.get("credHelpers") or {}
        return str(helpers.get(server) or self.creds_store)

    def auth_configured(self) -> bool:
        return bool(self.creds_store or self.content.get("credHelpers") or self.auths)

    def get(self, server: str) -> Credential:
        entry = self.auths.get(server)
        if entry is None:
            entry = next((v for k, v in self.auths.items() if to_hostname(k) == server), None)
        if not isinstance(entry, dict):
            return Credential()
        cred = Credential(refresh_token=str(entry.get("identitytoken") or ""),
                          access_token=str(entry.get("registrytoken") or ""))
        if entry.get("auth"):
            try:
                text = base64.b64decode(str(entry["auth"]), validate=True).decode()
            except (ValueError, UnicodeDecodeError):
                raise CredentialError(f"{self.path}: the auth of {server} is not base64"
                                      ) from None
            user, sep, pw = text.partition(":")
            if not sep:
                raise CredentialError(f"{self.path}: the auth of {server} does not conform "
                                      "the base64(username:password) format")
            cred.username, cred.password = user, pw
        else:
            cred.username = str(entry.get("username") or "")
            cred.password = str(entry.get("password") or "")
        return cred

    def put(self, server: str, cred: Credential) -> None:
        entry: dict[str, str] = {}
        if cred.username or cred.password:
            entry["auth"] = base64.b64encode(f"{cred.username}:{cred.password}".encode()
                                             ).decode()
        if cred.refresh_token:
            entry["identitytoken"] = cred.refresh_token
        if cred.access_token:
            entry["registrytoken"] = cred.access_token
        auths = dict(self.auths)
        auths[server] = entry
        self.content["auths"] = auths
        self.save()

    def delete(self, server: str) -> None:
        if server not in self.auths:
            return
        auths = dict(self.auths)
        del auths[server]
        self.content["auths"] = auths
        self.save()

    def save(self) -> None:
        import tempfile

        content = dict(self.content)
        content.setdefault("auths", {})
        if not content.get("credsStore"):
            content.pop("credsStore", None)
        data = _go_indent(content).encode()
        d = os.path.dirname(self.path) or "."
        try:
            os.makedirs(d, 0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=d, prefix=".config-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError as e:
            raise CredentialError(f"failed to save config file {self.path}: "
                                  f"{(e.strerror or str(e)).lower()}") from None


def _unmarshal(v: Any, gotype: str) -> str:
    """encoding/json's type error for a value of the wrong kind."""
    kind = ("array" if isinstance(v, list) else "bool" if isinstance(v, bool) else
            "number" if isinstance(v, int | float) else "string" if isinstance(v, str) else
            "object")
    return f"json: cannot unmarshal {kind} into Go value of type {gotype}"


def _sorted(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _sorted(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [_sorted(x) for x in v]
    return v


def _go_indent(obj: Any) -> str:
    """``json.MarshalIndent(v, "", "\\t")`` of decoded JSON (maps in key order)."""
    from kelm.yaml.jsonenc import dump_json

    return dump_json(_sorted(obj), indent="\t")


# -- native stores ----------------------------------------------------------------------------


def _helper(suffix: str, action: str, stdin: str) -> str:
    prog = HELPER_PREFIX + suffix
    try:
        res = subprocess.run([prog, action], input=stdin.encode(), capture_output=True,
                             timeout=HELPER_TIMEOUT, check=False)
    except FileNotFoundError:
        raise CredentialError(f'exec: "{prog}": executable file not found in $PATH') from None
    except subprocess.TimeoutExpired:
        raise CredentialError(f"{prog} {action}: no answer within {HELPER_TIMEOUT:.0f}s"
                              ) from None
    except OSError as e:
        raise CredentialError(f"{prog} {action}: {e}") from None
    out = res.stdout.decode(errors="replace").strip()
    if res.returncode != 0:
        raise CredentialError(out or res.stderr.decode(errors="replace").strip()
                              or f"{prog} {action}: exit status {res.returncode}")
    return out


def native_get(suffix: str, server: str) -> Credential:
    try:
        out = _helper(suffix, "get", server)
    except CredentialError as e:
        if str(e) == NOT_FOUND:
            return Credential()
        raise
    try:
        doc = json.loads(out)
    except ValueError:
        raise CredentialError(f"{HELPER_PREFIX}{suffix} get: the answer is not JSON") from None
    user, secret = str(doc.get("Username") or ""), str(doc.get("Secret") or "")
    if user == TOKEN_USERNAME:
        return Credential(refresh_token=secret)
    return Credential(username=user, password=secret)


def native_put(suffix: str, server: str, cred: Credential) -> None:
    user, secret = cred.username, cred.password
    if cred.refresh_token:
        user, secret = TOKEN_USERNAME, cred.refresh_token
    _helper(suffix, "store", json.dumps({"ServerURL": server, "Username": user,
                                         "Secret": secret}, separators=(",", ":")))


def native_delete(suffix: str, server: str) -> None:
    _helper(suffix, "erase", server)


def default_helper() -> str:
    """The platform's default helper when one is installed (Linux: pass, else
    secretservice), as oras detects it for a config without any auth settings."""
    platform = "pass" if shutil.which("pass") else "secretservice"
    return platform if shutil.which(HELPER_PREFIX + platform) else ""


# -- the store Helm uses ----------------------------------------------------------------------


class Store:
    """A config file plus the helper programs it names (oras' ``DynamicStore``)."""

    def __init__(self, path: str) -> None:
        self.config = ConfigFile(path)
        self.detected = "" if self.config.auth_configured() else default_helper()

    def helper(self, server: str) -> str:
        return self.config.helper_for(server) or self.detected

    def get(self, server: str) -> Credential:
        h = self.helper(server)
        return native_get(h, server) if h else self.config.get(server)

    def put(self, server: str, cred: Credential) -> None:
        h = self.helper(server)
        if h:
            native_put(h, server, cred)
            if self.detected and not self.config.creds_store:
                self.config.content["credsStore"] = self.detected
                self.config.save()
        else:
            self.config.put(server, cred)

    def delete(self, server: str) -> None:
        h = self.helper(server)
        if h:
            native_delete(h, server)
        else:
            self.config.delete(server)


def lookup(host: str, registry_config: str = "") -> Credential:
    """The credential for ``host``: Helm's registry config, then the docker config."""
    server = server_address(host)
    cred = Store(registry_config_path(registry_config)).get(server)
    if cred.empty():
        try:
            cred = Store(docker_config_path()).get(server)
        except CredentialError:
            return Credential()
    return cred


def login(host: str, cred: Credential, registry_config: str = "") -> None:
    Store(registry_config_path(registry_config)).put(server_address(host), cred)


def logout(host: str, registry_config: str = "") -> None:
    Store(registry_config_path(registry_config)).delete(server_address(host))


__all__ = ["Credential", "CredentialError", "Store", "docker_config_path", "login", "logout",
           "lookup", "registry_config_path", "server_address"]

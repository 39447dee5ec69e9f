"""Request credentials: bearer token, token file, basic auth, exec credential plugins.

Like client-go, credentials are only sent to ``https`` servers (impersonation headers always).
Exec plugins (``client.authentication.k8s.io`` v1 and v1beta1) run with ``KUBERNETES_EXEC_INFO``
set; what they return is cached per process until its ``expirationTimestamp`` (or until the
server answers 401, see :meth:`Credentials.invalidate`).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from kelm.kube.config import ExecConfig, RestConfig
from kelm.kube.errors import KubeError

EXEC_VERSIONS = ("client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1")
_DEFAULT_HINT = (
    "It looks like you are trying to use a client-go credential plugin that is not installed.\n\n"
    "To learn more about this feature, consult the documentation available at:\n"
    "      https://kubernetes.io/docs/reference/access-authn-authz/authentication/"
    "#client-go-credential-plugins"
)


class CredentialError(KubeError):
    """The credentials could not be obtained (exec plugin failed, token file unreadable)."""


@dataclass(frozen=True)
class ExecResult:
    token: str | None
    cert_data: bytes | None
    key_data: bytes | None
    expires: float | None  # epoch seconds

    def fresh(self) -> bool:
        return self.expires is None or time.time() < self.expires


_exec_cache: dict[tuple[object, ...], ExecResult] = {}
_exec_lock = threading.Lock()


def _parse_time(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _exec_key(ex: ExecConfig, cluster: dict[str, object] | None) -> tuple[object, ...]:
    return (ex.command, ex.args, ex.env, ex.api_version, json.dumps(cluster, sort_keys=True))


def _cluster_info(cfg: RestConfig) -> dict[str, object]:
    info: dict[str, object] = {"server": cfg.server}
    if cfg.tls_server_name:
        info["tls-server-name"] = cfg.tls_server_name
    if cfg.insecure:
        info["insecure-skip-tls-verify"] = True
    ca = cfg.ca_data
    if ca is None and cfg.ca_file:
        try:
            with open(cfg.ca_file, "rb") as fh:
                ca = fh.read()
        except OSError:
            ca = None
    if ca:
        info["certificate-authority-data"] = base64.b64encode(ca).decode()
    if cfg.proxy_url:
        info["proxy-url"] = cfg.proxy_url
    return info


def run_exec_plugin(ex: ExecConfig, cfg: RestConfig) -> ExecResult:
    """Run the plugin and parse its ExecCredential (raises :class:`CredentialError`)."""
    if ex.api_version not in EXEC_VERSIONS:
        raise CredentialError(f"exec plugin: invalid apiVersion \"{ex.api_version}\"")
    interactive = sys.stdin.isatty() and ex.interactive_mode != "Never"
    if ex.interactive_mode == "Always" and not interactive:
        raise CredentialError("exec plugin cannot support interactive mode: "
                              "standard input is not a terminal")
    spec: dict[str, object] = {"interactive": interactive}
    if ex.provide_cluster_info:
        spec["cluster"] = _cluster_info(cfg)
    request = {"kind": "ExecCredential", "apiVersion": ex.api_version, "spec": spec}
    env = dict(os.environ)
    env.update(dict(ex.env))
    env["KUBERNETES_EXEC_INFO"] = json.dumps(request)
    try:
        proc = subprocess.run([ex.command, *ex.args], env=env, stdout=subprocess.PIPE,
                              stdin=None if interactive else subprocess.DEVNULL, check=False,
                              timeout=120)
    except FileNotFoundError:
        hint = ex.install_hint or _DEFAULT_HINT
        raise CredentialError(f"exec: executable {ex.command} not found\n\n{hint}") from None
    except PermissionError:
        raise CredentialError(f"exec: fork/exec {ex.command}: permission denied") from None
    except subprocess.TimeoutExpired:
        raise CredentialError(f"exec: executable {ex.command} timed out") from None
    if proc.returncode != 0:
        raise CredentialError(
            f"exec: executable {ex.command} failed with exit code {proc.returncode}")
    try:
        cred = json.loads(proc.stdout)
    except ValueError as e:
        raise CredentialError(f"decoding stdout: {e}") from None
    if not isinstance(cred, dict) or cred.get("kind") != "ExecCredential":
        raise CredentialError("decoding stdout: plugin did not return an ExecCredential")
    if cred.get("apiVersion") != ex.api_version:
        raise CredentialError(f"exec plugin is configured to use API version {ex.api_version}, "
                              f"plugin returned version {cred.get('apiVersion')}")
    status = cred.get("status")
    if not isinstance(status, dict):
        raise CredentialError("exec plugin didn't return a status field")
    token = status.get("token") or None
    cert = status.get("clientCertificateData") or None
    key = status.get("clientKeyData") or None
    if not token and not (cert and key):
        raise CredentialError("exec plugin didn't return a token or cert/key pair")
    if bool(cert) != bool(key):
        raise CredentialError("exec plugin returned only certificate or key, not both")
    expires = None
    if status.get("expirationTimestamp"):
        try:
            expires = _parse_time(str(status["expirationTimestamp"]))
        except ValueError:
            raise CredentialError("exec plugin returned an invalid expirationTimestamp: "
                                  f"{status['expirationTimestamp']}") from None
    return ExecResult(token, cert.encode() if cert else None, key.encode() if key else None,
                      expires)


_REMOVED_PROVIDERS = {
    "gcp": 'The gcp auth plugin has been removed.\nPlease use the "gke-gcloud-auth-plugin" '
           "kubectl/client-go credential plugin instead.",
    "azure": 'The azure auth plugin has been removed.\nPlease use the "kubelogin" '
             "kubectl/client-go credential plugin instead.",
}


def _auth_provider_token(cfg: RestConfig) -> str | None:
    """The legacy ``auth-provider``: oidc's stored id-token (kelm refreshes none)."""
    name = cfg.auth_provider or ""
    if name in _REMOVED_PROVIDERS:
        raise CredentialError(_REMOVED_PROVIDERS[name])
    if name == "oidc":
        return cfg.auth_provider_config.get("id-token") or None
    raise CredentialError(f'no Auth Provider found for name "{name}"')


class Credentials:
    """The auth headers and client certificate for one RestConfig."""

    def __init__(self, cfg: RestConfig) -> None:
        self.cfg = cfg
        self.secure = cfg.server.startswith("https://")
        self._token_file_cache: tuple[float, str] | None = None

    @property
    def uses_exec(self) -> bool:
        return self.secure and self.cfg.exec is not None

    def exec_result(self) -> ExecResult | None:
        """The exec plugin's current credential, run again once expired."""
        ex = self.cfg.exec
        if not self.uses_exec or ex is None:
            return None
        key = _exec_key(ex, _cluster_info(self.cfg) if ex.provide_cluster_info else None)
        with _exec_lock:
            hit = _exec_cache.get(key)
            if hit is not None and hit.fresh():
                return hit
            result = run_exec_plugin(ex, self.cfg)
            _exec_cache[key] = result
            return result

    def invalidate(self) -> bool:
        """Forget a cached exec credential after a 401; True when there was one to forget."""
        ex = self.cfg.exec
        if not self.uses_exec or ex is None:
            return False
        key = _exec_key(ex, _cluster_info(self.cfg) if ex.provide_cluster_info else None)
        with _exec_lock:
            return _exec_cache.pop(key, None) is not None

    def _token(self) -> str | None:
        cfg = self.cfg
        if cfg.token:
            return cfg.token
        if cfg.auth_provider is not None:
            return _auth_provider_token(cfg)
        if cfg.token_file:
            now = time.monotonic()
            if self._token_file_cache and now - self._token_file_cache[0] < 60:
                return self._token_file_cache[1]
            try:
                with open(cfg.token_file, encoding="utf-8") as fh:
                    token = fh.read().strip()
            except OSError as e:
                raise CredentialError(f"failed to read token file \"{cfg.token_file}\": "
                                      f"open {cfg.token_file}: {(e.strerror or str(e)).lower()}") from None
            self._token_file_cache = (now, token)
            return token
        return None

    def resolve(self) -> tuple[list[tuple[str, str]], tuple[bytes, bytes] | None]:
        """The headers and client certificate (PEM cert, key) for the next request.

        An exec plugin runs at most once here, however many of its outputs are used.
        """
        cfg = self.cfg
        out: list[tuple[str, str]] = []
        cert: tuple[bytes, bytes] | None = None
        if self.secure:
            result = self.exec_result() if cfg.exec is not None else None
            if result is not None and result.cert_data and result.key_data:
                cert = (result.cert_data, result.key_data)
            token = self._token() or (result.token if result else None)
            if token:
                out.append(("Authorization", f"Bearer {token}"))
            elif cfg.username or cfg.password:
                raw = f"{cfg.username or ''}:{cfg.password or ''}".encode()
                out.append(("Authorization", "Basic " + base64.b64encode(raw).decode()))
        if cfg.as_user:
            out.append(("Impersonate-User", cfg.as_user))
        if cfg.as_uid:
            out.append(("Impersonate-Uid", cfg.as_uid))
        out += [("Impersonate-Group", g) for g in cfg.as_groups]
        for k, values in cfg.as_extra.items():
            out += [(f"Impersonate-Extra-{k}", v) for v in values]
        return out, cert

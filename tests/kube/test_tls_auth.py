"""TLS to a loopback server and every kubeconfig credential form, exec plugins included."""

from __future__ import annotations

import base64
import json
import sys
import time
from pathlib import Path

import pytest
import yaml

from kelm.kube import Client, ConfigFlags, Unauthorized, Unreachable, load_config
from tests.kube.certs import CA
from tests.kube.conftest import client_for, server_context
from tests.kube.fakeapi import FakeApi


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def kubeconfig_client(tmp_path: Path, server: str, cluster: dict, user: dict,
                      **flags: object) -> Client:
    doc = {"apiVersion": "v1", "kind": "Config", "current-context": "t",
           "clusters": [{"name": "c", "cluster": {"server": server, **cluster}}],
           "users": [{"name": "u", "user": user}],
           "contexts": [{"name": "t", "context": {"cluster": "c", "user": "u"}}]}
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(doc))
    cfg = load_config(ConfigFlags(kubeconfig=str(path), qps=-1, **flags),  # type: ignore[arg-type]
                      env={"HOME": str(tmp_path)})
    return Client(cfg, timeout=5, cache_dir="")


def test_ca_data_and_token(tls_api: FakeApi, ca: CA, tmp_path):
    tls_api.token = "s3cret"
    c = kubeconfig_client(tmp_path, tls_api.url, {"certificate-authority-data": b64(ca.pem)},
                          {"token": "s3cret"})
    assert c.server_version()["major"] == "1"
    assert tls_api.seen[-1].header("Authorization") == "Bearer s3cret"


def test_token_file_and_basic_auth(tls_api: FakeApi, ca: CA, tmp_path):
    (tmp_path / "ca.crt").write_bytes(ca.pem)
    (tmp_path / "tok").write_text("from-file\n")
    c = kubeconfig_client(tmp_path, tls_api.url, {"certificate-authority": "ca.crt"},
                          {"tokenFile": "tok"})
    c.server_version()
    assert tls_api.seen[-1].header("Authorization") == "Bearer from-file"
    c = kubeconfig_client(tmp_path, tls_api.url, {"certificate-authority": "ca.crt"},
                          {"username": "admin", "password": "pw"})
    c.server_version()
    assert tls_api.seen[-1].header("Authorization") == "Basic " + b64(b"admin:pw")


def test_auth_providers(tls_api: FakeApi, ca: CA, tmp_path):
    cluster = {"certificate-authority-data": b64(ca.pem)}
    c = kubeconfig_client(tmp_path, tls_api.url, cluster, {"auth-provider": {
        "name": "oidc", "config": {"id-token": "oidc-token", "idp-issuer-url": "https://x"}}})
    c.server_version()
    assert tls_api.seen[-1].header("Authorization") == "Bearer oidc-token"
    c = kubeconfig_client(tmp_path, tls_api.url, cluster, {"auth-provider": {"name": "gcp"}})
    with pytest.raises(Unreachable, match="gcp auth plugin has been removed"):
        c.server_version()


@pytest.mark.parametrize("form", ["data", "file"])
def test_client_certificate(tls_api: FakeApi, ca: CA, tmp_path, form):
    pem = ca.issue("alice", client=True, groups=("devs",))
    if form == "data":
        user = {"client-certificate-data": b64(pem.cert), "client-key-data": b64(pem.key)}
    else:
        cert, key = pem.write(tmp_path, "alice")
        user = {"client-certificate": cert, "client-key": key}
    c = kubeconfig_client(tmp_path, tls_api.url, {"certificate-authority-data": b64(ca.pem)}, user)
    c.server_version()
    subject = dict(x[0] for x in tls_api.seen[-1].client_cert["subject"])
    assert subject == {"commonName": "alice", "organizationName": "devs"}
    leftovers = [p for p in Path(tmp_path).iterdir() if p.name.startswith("kelm-cert-")]
    assert leftovers == []


def test_impersonation_headers(tls_api: FakeApi, ca: CA, tmp_path):
    c = kubeconfig_client(tmp_path, tls_api.url, {"certificate-authority-data": b64(ca.pem)},
                          {"token": "t"}, as_user="bob", as_groups=("ops", "dev"))
    c.server_version()
    seen = tls_api.seen[-1]
    assert seen.header("Impersonate-User") == "bob"
    raw = [v for k, v in seen.raw_headers if k.lower() == "impersonate-group"]
    assert raw == ["ops", "dev"]


def test_credentials_are_not_sent_over_plain_http(api: FakeApi, tmp_path):
    # kubectl sends no token to an http:// server (impersonation still goes)
    c = client_for(api.url, tmp_path, token="t", as_user="bob")
    c.server_version()
    assert api.seen[-1].header("Authorization") is None
    assert api.seen[-1].header("Impersonate-User") == "bob"


def test_unknown_authority(tls_api: FakeApi, tmp_path):
    other = CA("someone-else")
    c = kubeconfig_client(tmp_path, tls_api.url, {"certificate-authority-data": b64(other.pem)},
                          {"token": "t"})
    with pytest.raises(Unreachable) as e:
        c.server_version()
    assert str(e.value) == (f'Get "{tls_api.url}/version": tls: failed to verify certificate: '
                            "x509: certificate signed by unknown authority")


# The x509 wordings below are recorded from helm v4.1.4 against these certificates.

def test_certificate_for_another_name_and_tls_server_name(ca: CA, tmp_path):
    pem = ca.issue("api", dns=("api.internal",))
    with FakeApi(tls=server_context(ca, pem, tmp_path, client_ca=False)) as api:
        cluster = {"certificate-authority-data": b64(ca.pem)}
        c = kubeconfig_client(tmp_path, api.url, cluster, {"token": "t"})
        with pytest.raises(Unreachable) as e:
            c.server_version()
        assert str(e.value) == (f'Get "{api.url}/version": tls: failed to verify certificate: '
                                "x509: cannot validate certificate for 127.0.0.1 because it "
                                "doesn't contain any IP SANs")
        # Go reports the name before the issuer
        c = kubeconfig_client(tmp_path, api.url, {"certificate-authority-data": b64(CA().pem)},
                              {"token": "t"})
        with pytest.raises(Unreachable, match="doesn't contain any IP SANs$"):
            c.server_version()
        # --kube-tls-server-name makes the same certificate acceptable
        c = kubeconfig_client(tmp_path, api.url, cluster, {"token": "t"},
                              tls_server_name="api.internal")
        assert c.server_version()["major"] == "1"
        c = kubeconfig_client(tmp_path, api.url, {}, {"token": "t"},
                              insecure_skip_tls_verify=True)
        assert c.server_version()["major"] == "1"


def test_certificate_for_other_ips(ca: CA, tmp_path):
    pem = ca.issue("api", dns=("localhost", "api.internal"), ips=("127.0.0.2",))
    with FakeApi(tls=server_context(ca, pem, tmp_path, client_ca=False)) as api:
        c = kubeconfig_client(tmp_path, api.url, {"certificate-authority-data": b64(ca.pem)},
                              {"token": "t"})
        with pytest.raises(Unreachable) as e:
            c.server_version()
        assert str(e.value) == (f'Get "{api.url}/version": tls: failed to verify certificate: '
                                "x509: certificate is valid for 127.0.0.2, not 127.0.0.1")


def test_http_server_behind_https_url(api: FakeApi, tmp_path):
    url = api.url.replace("http://", "https://")
    c = client_for(url, tmp_path, insecure_skip_tls_verify=True)
    with pytest.raises(Unreachable) as e:
        c.server_version()
    assert str(e.value) == f'Get "{url}/version": tls: first record does not look like a TLS handshake'


# -- exec credential plugins --------------------------------------------------------------

PLUGIN = '''#!{python}
import json, os, sys, datetime
here = os.path.dirname(os.path.abspath(__file__))
n = int(open(os.path.join(here, "count")).read()) + 1 if os.path.exists(os.path.join(here, "count")) else 1
open(os.path.join(here, "count"), "w").write(str(n))
info = json.loads(os.environ["KUBERNETES_EXEC_INFO"])
open(os.path.join(here, "info.json"), "w").write(json.dumps(info))
mode = sys.argv[1]
status = {{}}
if mode == "token":
    status["token"] = "tok-%d" % n
    ttl = float(os.environ.get("TTL", "3600"))
    exp = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=ttl)
    status["expirationTimestamp"] = exp.strftime("%Y-%m-%dT%H:%M:%SZ")
elif mode == "cert":
    status["clientCertificateData"] = open(os.path.join(here, "c.crt")).read()
    status["clientKeyData"] = open(os.path.join(here, "c.key")).read()
elif mode == "fail":
    sys.exit(3)
print(json.dumps({{"apiVersion": info["apiVersion"], "kind": "ExecCredential", "status": status}}))
'''


def plugin(tmp_path: Path) -> Path:
    path = tmp_path / "plugin" / "creds"
    path.parent.mkdir()
    path.write_text(PLUGIN.format(python=sys.executable))
    path.chmod(0o755)
    return path


def calls(script: Path) -> int:
    count = script.parent / "count"
    return int(count.read_text()) if count.exists() else 0


def exec_user(script: Path, mode: str, version: str = "client.authentication.k8s.io/v1",
              **extra: object) -> dict:
    return {"exec": {"apiVersion": version, "command": str(script), "args": [mode],
                     "interactiveMode": "Never", **extra}}


@pytest.mark.parametrize("version", ["client.authentication.k8s.io/v1",
                                     "client.authentication.k8s.io/v1beta1"])
def test_exec_token_cached_until_expiry(tls_api: FakeApi, ca: CA, tmp_path, version):
    script = plugin(tmp_path)
    cluster = {"certificate-authority-data": b64(ca.pem)}
    c = kubeconfig_client(tmp_path, tls_api.url, cluster, exec_user(
        script, "token", version, env=[{"name": "TTL", "value": "3600"}],
        provideClusterInfo=True))
    c.server_version()
    c.server_version()
    c2 = kubeconfig_client(tmp_path, tls_api.url, cluster, exec_user(
        script, "token", version, env=[{"name": "TTL", "value": "3600"}],
        provideClusterInfo=True))
    c2.server_version()
    assert calls(script) == 1  # one run serves the whole process while it is valid
    assert tls_api.seen[-1].header("Authorization") == "Bearer tok-1"
    info = json.loads((script.parent / "info.json").read_text())
    assert info["apiVersion"] == version and info["kind"] == "ExecCredential"
    assert info["spec"]["interactive"] is False
    assert info["spec"]["cluster"]["server"] == tls_api.url
    assert base64.b64decode(info["spec"]["cluster"]["certificate-authority-data"]) == ca.pem


def test_exec_token_expired_runs_the_plugin_again(tls_api: FakeApi, ca: CA, tmp_path):
    script = plugin(tmp_path)
    c = kubeconfig_client(tmp_path, tls_api.url, {"certificate-authority-data": b64(ca.pem)},
                          exec_user(script, "token", env=[{"name": "TTL", "value": "-10"}]))
    c.server_version()
    c.server_version()
    assert calls(script) == 2
    assert tls_api.seen[-1].header("Authorization") == "Bearer tok-2"


def test_exec_credential_rejected_by_server_is_refreshed_once(tls_api: FakeApi, ca: CA, tmp_path):
    script = plugin(tmp_path)
    c = kubeconfig_client(tmp_path, tls_api.url, {"certificate-authority-data": b64(ca.pem)},
                          exec_user(script, "token", env=[{"name": "TTL", "value": "600"}]))
    c.server_version()
    tls_api.token = "tok-2"  # the server revokes tok-1 before its expiry
    assert c.server_version()["major"] == "1"
    assert calls(script) == 2
    tls_api.token = "never"
    started = time.monotonic()
    with pytest.raises(Unauthorized, match="^Unauthorized$"):
        c.server_version()
    assert calls(script) == 3 and time.monotonic() - started < 5


def test_exec_client_certificate(tls_api: FakeApi, ca: CA, tmp_path):
    script = plugin(tmp_path)
    pem = ca.issue("from-plugin", client=True)
    pem.write(script.parent, "c")
    c = kubeconfig_client(tmp_path, tls_api.url, {"certificate-authority-data": b64(ca.pem)},
                          exec_user(script, "cert"))
    c.server_version()
    subject = dict(x[0] for x in tls_api.seen[-1].client_cert["subject"])
    assert subject["commonName"] == "from-plugin"


def test_exec_failures_are_one_error(tls_api: FakeApi, ca: CA, tmp_path):
    script = plugin(tmp_path)
    cluster = {"certificate-authority-data": b64(ca.pem)}
    c = kubeconfig_client(tmp_path, tls_api.url, cluster, exec_user(script, "fail"))
    with pytest.raises(Unreachable) as e:
        c.server_version()
    assert str(e.value) == (f'Get "{tls_api.url}/version": getting credentials: exec: '
                            f"executable {script} failed with exit code 3")
    c = kubeconfig_client(tmp_path, tls_api.url, cluster, {"exec": {
        "apiVersion": "client.authentication.k8s.io/v1", "command": "kelm-no-such-plugin",
        "interactiveMode": "Never", "installHint": "install it with: make plugin"}})
    with pytest.raises(Unreachable) as e2:
        c.server_version()
    assert str(e2.value) == (f'Get "{tls_api.url}/version": getting credentials: exec: '
                             "executable kelm-no-such-plugin not found\n\n"
                             "install it with: make plugin")

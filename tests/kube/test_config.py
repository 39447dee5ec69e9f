"""kubeconfig loading and merging as kubectl does it, Helm's flags and HELM_* variables."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
import yaml

from kelm.kube import ConfigError, ConfigFlags, load_config, load_kubeconfig


def write(path: Path, doc: dict) -> str:
    path.write_text(yaml.safe_dump(doc))
    return str(path)


def kubeconfig(clusters=(), users=(), contexts=(), current=None, **extra) -> dict:
    doc = {"apiVersion": "v1", "kind": "Config",
           "clusters": [{"name": n, "cluster": c} for n, c in clusters],
           "users": [{"name": n, "user": u} for n, u in users],
           "contexts": [{"name": n, "context": c} for n, c in contexts]}
    if current is not None:
        doc["current-context"] = current
    doc.update(extra)
    return doc


@pytest.fixture
def two_files(tmp_path: Path) -> dict[str, str]:
    first = write(tmp_path / "a.yaml", kubeconfig(
        clusters=[("shared", {"server": "https://first:6443"})],
        users=[("u", {"token": "first-token"})],
        contexts=[("ctx-a", {"cluster": "shared", "user": "u", "namespace": "team-a"})],
        current="ctx-a"))
    second = write(tmp_path / "b.yaml", kubeconfig(
        clusters=[("shared", {"server": "https://second:6443"}),
                  ("only-b", {"server": "https://b:6443"})],
        users=[("u", {"token": "second-token", "username": "x"}), ("ub", {"token": "b"})],
        contexts=[("ctx-b", {"cluster": "only-b", "user": "ub"})],
        current="ctx-b"))
    return {"KUBECONFIG": os.pathsep.join([first, second]), "HOME": str(tmp_path)}


def test_first_file_wins_each_map_key_whole_and_current_context(two_files):
    merged = load_kubeconfig(env=two_files)
    assert merged.clusters["shared"]["server"] == "https://first:6443"
    # the second file's "u" is discarded whole: its username does not leak in
    assert merged.users["u"] == {"token": "first-token"}
    assert set(merged.contexts) == {"ctx-a", "ctx-b"}
    assert merged.current_context == "ctx-a"

    cfg = load_config(ConfigFlags(), env=two_files)
    assert (cfg.server, cfg.token, cfg.namespace) == ("https://first:6443", "first-token", "team-a")
    cfg = load_config(ConfigFlags(context="ctx-b"), env=two_files)
    assert (cfg.server, cfg.token, cfg.namespace) == ("https://b:6443", "b", "default")


def test_current_context_from_first_file_that_sets_it(tmp_path, two_files):
    empty = write(tmp_path / "none.yaml", kubeconfig(clusters=[("z", {"server": "https://z"})]))
    env = dict(two_files, KUBECONFIG=os.pathsep.join(
        [empty, str(tmp_path / "missing.yaml"), two_files["KUBECONFIG"]]))
    merged = load_kubeconfig(env=env)
    assert merged.current_context == "ctx-a"
    assert merged.clusters["z"] == {"server": "https://z"}


def test_explicit_kubeconfig_is_read_alone_and_must_exist(tmp_path, two_files):
    only = write(tmp_path / "only.yaml", kubeconfig(
        clusters=[("c", {"server": "https://only:1"})], contexts=[("x", {"cluster": "c"})],
        current="x"))
    cfg = load_config(ConfigFlags(kubeconfig=only), env=two_files)
    assert cfg.server == "https://only:1"
    missing = str(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError) as e:
        load_config(ConfigFlags(kubeconfig=missing), env=two_files)
    assert str(e.value) == f"stat {missing}: no such file or directory"


def test_no_kubeconfig_falls_back_to_localhost_8080(tmp_path):
    cfg = load_config(ConfigFlags(), env={"HOME": str(tmp_path)})
    assert (cfg.server, cfg.namespace) == ("http://localhost:8080", "default")


def test_unknown_context_and_bad_yaml(tmp_path, two_files):
    with pytest.raises(ConfigError, match='^context "nope" does not exist$'):
        load_config(ConfigFlags(context="nope"), env=two_files)
    bad = tmp_path / "bad.yaml"
    bad.write_text("foo: [\n")
    with pytest.raises(ConfigError) as e:
        load_config(ConfigFlags(kubeconfig=str(bad)), env={})
    assert str(e.value).startswith(f'error loading config file "{bad}": yaml: line ')


def test_relative_paths_resolve_against_their_file(tmp_path):
    sub = tmp_path / "conf"
    sub.mkdir()
    (sub / "ca.pem").write_text("x")
    (sub / "tok").write_text("from-file\n")
    path = write(sub / "config", kubeconfig(
        clusters=[("c", {"server": "https://s", "certificate-authority": "ca.pem"})],
        users=[("u", {"tokenFile": "tok"})],
        contexts=[("x", {"cluster": "c", "user": "u"})], current="x"))
    cfg = load_config(ConfigFlags(kubeconfig=path), env={})
    assert cfg.ca_file == str(sub / "ca.pem")
    assert cfg.token_file == str(sub / "tok")


def test_flags_override_kubeconfig(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    path = write(tmp_path / "c", kubeconfig(
        clusters=[("c", {"server": "https://s", "certificate-authority-data":
                         base64.b64encode(b"pem").decode()})],
        users=[("u", {"token": "t", "as": "alice"})],
        contexts=[("x", {"cluster": "c", "user": "u", "namespace": "ns1"})], current="x"))
    cfg = load_config(ConfigFlags(kubeconfig=path), env={})
    assert (cfg.ca_data, cfg.as_user, cfg.namespace) == (b"pem", "alice", "ns1")
    cfg = load_config(ConfigFlags(kubeconfig=path, namespace="n2", api_server="https://o:1",
                                  token="t2", as_user="bob", as_groups=("g1", "g2"),
                                  ca_file=str(ca), tls_server_name="api.local", qps=50, burst=7),
                      env={})
    assert (cfg.server, cfg.token, cfg.as_user, cfg.as_groups) == (
        "https://o:1", "t2", "bob", ("g1", "g2"))
    assert (cfg.ca_file, cfg.ca_data, cfg.tls_server_name) == (str(ca), None, "api.local")
    assert (cfg.namespace, cfg.namespace_from_flag, cfg.qps, cfg.burst) == ("n2", True, 50, 7)
    cfg = load_config(ConfigFlags(kubeconfig=path, insecure_skip_tls_verify=True), env={})
    assert cfg.insecure and cfg.ca_data is None and cfg.ca_file is None


def test_helm_environment_variables(tmp_path, two_files):
    env = dict(two_files, HELM_KUBECONTEXT="ctx-b", HELM_NAMESPACE="envns",
               HELM_KUBEAPISERVER="https://env:1", HELM_KUBETOKEN="envtok",
               HELM_KUBEASUSER="eve", HELM_KUBEASGROUPS=",,ops,,dev",
               HELM_KUBEINSECURE_SKIP_TLS_VERIFY="true", HELM_KUBETLS_SERVER_NAME="sni",
               HELM_QPS="12.5", HELM_BURST_LIMIT="150")
    cfg = load_config(ConfigFlags(), env=env)
    assert cfg.context == "ctx-b"
    assert (cfg.server, cfg.token, cfg.namespace) == ("https://env:1", "envtok", "envns")
    assert (cfg.as_user, cfg.as_groups, cfg.insecure) == ("eve", ("ops", "dev"), True)
    assert (cfg.tls_server_name, cfg.qps, cfg.burst) == ("sni", 12.5, 150)
    # flags win over the environment
    cfg = load_config(ConfigFlags(context="ctx-a", namespace="flagns", as_groups=("x",)), env=env)
    assert (cfg.context, cfg.namespace, cfg.as_groups) == ("ctx-a", "flagns", ("x",))


def test_defaults_are_helms(two_files):
    cfg = load_config(ConfigFlags(), env=two_files)
    assert (cfg.qps, cfg.burst) == (5.0, 100)


def test_invalid_configuration_is_reported_like_client_go(tmp_path):
    path = write(tmp_path / "c", kubeconfig(
        clusters=[("c", {"server": "https://s", "certificate-authority": "/nonexist/ca.pem"})],
        users=[("u", {"token": "abc", "username": "a", "password": "b"})],
        contexts=[("x", {"cluster": "c", "user": "u"})], current="x"))
    with pytest.raises(ConfigError) as e:
        load_config(ConfigFlags(kubeconfig=path), env={})
    # recorded from helm v4.1.4 (after its "kubernetes cluster unreachable: " prefix)
    assert str(e.value) == (
        "invalid configuration: [more than one authentication method found for u; found "
        "[token basicAuth], only one is allowed, unable to read certificate-authority "
        "/nonexist/ca.pem for c due to open /nonexist/ca.pem: no such file or directory]")


def test_proxy_from_environment_as_go_picks_it():
    from kelm.kube.transport import environment_proxy

    env = {"HTTPS_PROXY": "proxy.corp:3128", "http_proxy": "http://p80:8080",
           "NO_PROXY": "internal.corp,.svc,10.0.0.0/8"}
    assert environment_proxy("https://api.example:6443", env) == "http://proxy.corp:3128"
    assert environment_proxy("http://api.example", env) == "http://p80:8080"
    for server in ("https://127.0.0.1:6443", "https://localhost", "https://[::1]:1",
                   "https://internal.corp", "https://k.internal.corp", "https://a.b.svc",
                   "https://10.1.2.3:6443"):
        assert environment_proxy(server, env) is None, server
    assert environment_proxy("https://api.example", {}) is None

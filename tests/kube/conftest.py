"""Fixtures: a loopback fake API (plain and TLS), certificates, kubeconfig files."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from kelm.kube import Client, ConfigFlags, load_config
from tests.kube.certs import CA, Pem
from tests.kube.fakeapi import FakeApi


@pytest.fixture
def api() -> Iterator[FakeApi]:
    with FakeApi() as a:
        yield a


@pytest.fixture(scope="session")
def ca() -> CA:
    return CA()


@pytest.fixture(scope="session")
def server_pem(ca: CA) -> Pem:
    return ca.issue("kube-apiserver", dns=("localhost", "api.test.local"), ips=("127.0.0.1",))


def server_context(ca: CA, pem: Pem, tmp: Path, client_ca: bool = True) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert, key = pem.write(tmp, "server")
    ctx.load_cert_chain(cert, key)
    if client_ca:
        ca_file = tmp / "client-ca.crt"
        ca_file.write_bytes(ca.pem)
        ctx.load_verify_locations(str(ca_file))
        ctx.verify_mode = ssl.CERT_OPTIONAL
    return ctx


@pytest.fixture
def tls_api(ca: CA, server_pem: Pem, tmp_path: Path) -> Iterator[FakeApi]:
    with FakeApi(tls=server_context(ca, server_pem, tmp_path)) as a:
        yield a


def client_for(url: str, tmp_path: Path, **kw: object) -> Client:
    """A client for ``url`` with flags only (no kubeconfig file), its own discovery cache."""
    timeout = float(kw.pop("timeout", 5.0))  # type: ignore[arg-type]
    retries = int(kw.pop("retries", 4))  # type: ignore[call-overload]
    kw.setdefault("qps", -1)
    flags = ConfigFlags(api_server=url, **kw)  # type: ignore[arg-type]
    cfg = load_config(flags, env={"HOME": str(tmp_path)})
    return Client(cfg, timeout=timeout, retries=retries, cache_dir=str(tmp_path / "cache"))

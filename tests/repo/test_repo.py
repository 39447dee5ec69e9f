"""Repository layer: repositories.yaml, index files, URL rules, downloads and caches."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from kelm.repo import (
    IndexFile,
    RepoError,
    fetch,
    load_index,
    load_repositories,
    resolve_reference_url,
    settings,
    url_equal,
    url_join,
)
from kelm.repo.chartrepo import (
    cached_chart,
    download_index,
    find_chart_in_repo_url,
    find_versioned_entry,
    store_chart,
)
from tests.action.dependency_cases import serve

INDEX = b"""apiVersion: v1
entries:
  web:
  - name: web
    version: 1.2.0
    urls: [web-1.2.0.tgz]
  - name: web
    version: 2.0.0-rc.1
    urls: [https://cdn.example.com/web-2.0.0-rc.1.tgz]
  - name: web
    version: 1.10.0
    digest: abc
    urls: [sub/web-1.10.0.tgz]
  - name: web
    version: not-semver
    urls: [x.tgz]
  - name: web
    version: 0.9.0
    urls: []
  bad:
  - name: bad
    version: ""
generated: "2024-01-01T00:00:00Z"
"""


def test_index_sorted_newest_first_and_invalid_entries_dropped() -> None:
    idx = load_index(INDEX)
    assert [cv.version for cv in idx.entries["web"]] == [
        "2.0.0-rc.1", "1.10.0", "1.2.0", "0.9.0"]  # invalid versions fail validation
    assert idx.entries["bad"] == []


def test_index_get_follows_helm() -> None:
    idx = load_index(INDEX)
    assert idx.get("web").version == "1.10.0"  # newest release, prereleases skipped
    assert idx.get("web", "1.2.0").version == "1.2.0"  # exact match first
    assert idx.get("web", "~1.2").version == "1.2.0"
    assert idx.get("web", ">=2.0.0-0").version == "2.0.0-rc.1"
    with pytest.raises(RepoError, match="no chart version found for web-3.x"):
        idx.get("web", "3.x")
    with pytest.raises(RepoError, match="no chart name found"):
        idx.get("nope")


def test_index_errors() -> None:
    with pytest.raises(RepoError, match="empty index.yaml file"):
        load_index(b"")
    with pytest.raises(RepoError, match="no API version specified"):
        load_index(b"entries: {}\n")
    assert isinstance(load_index(b'{"apiVersion": "v1", "entries": {}}'), IndexFile)


def test_versioned_entry_needs_urls() -> None:
    idx = load_index(INDEX)
    assert find_versioned_entry("0.9.0", idx.entries["web"]) is None
    cv = find_versioned_entry("v1.10", idx.entries["web"])
    assert cv is not None and cv.version == "1.10.0"


def test_urls() -> None:
    assert url_equal("https://x.io/charts/", "https://x.io/charts")
    assert url_equal("https://x.io", "https://x.io/")
    assert not url_equal("https://x.io/a", "https://x.io/b")
    assert resolve_reference_url("https://x.io/charts", "web-1.tgz") == "https://x.io/charts/web-1.tgz"
    assert resolve_reference_url("https://x.io/c?token=1", "w.tgz") == "https://x.io/c/w.tgz?token=1"
    assert resolve_reference_url("https://x.io/c", "https://cdn/w.tgz") == "https://cdn/w.tgz"
    assert url_join("https://x.io/a/", "b", "c.tgz") == "https://x.io/a/b/c.tgz"


def test_repositories_file(tmp_path: Path) -> None:
    p = tmp_path / "repositories.yaml"
    p.write_text("apiVersion: v1\nrepositories:\n- name: a\n  url: https://a.io\n"
                 "  username: u\n  insecure_skip_tls_verify: true\n  caFile: /ca\n")
    rf = load_repositories(str(p))
    a = rf.get("a")
    assert a is not None and (a.url, a.username, a.ca_file) == ("https://a.io", "u", "/ca")
    assert a.insecure_skip_tls_verify and rf.get("b") is None
    with pytest.raises(FileNotFoundError):
        load_repositories(str(tmp_path / "none.yaml"))


def test_settings_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HELM_CONFIG_HOME", str(tmp_path / "h"))
    monkeypatch.setenv("KELM_REPOSITORY_CACHE", str(tmp_path / "c"))
    monkeypatch.delenv("HELM_REPOSITORY_CONFIG", raising=False)
    monkeypatch.delenv("KELM_REPOSITORY_CONFIG", raising=False)
    monkeypatch.delenv("KELM_CONFIG_HOME", raising=False)
    s = settings()
    assert s.repository_config == str(tmp_path / "h" / "repositories.yaml")
    assert s.repository_cache == str(tmp_path / "c")
    assert settings(repository_config="x.yaml").repository_config == "x.yaml"


def test_download_index_and_find_chart(tmp_path: Path) -> None:
    from kelm.repo.files import RepoEntry

    (tmp_path / "srv").mkdir()
    (tmp_path / "srv" / "index.yaml").write_bytes(INDEX)
    with serve(str(tmp_path / "srv")) as port:
        base = f"http://127.0.0.1:{port}/"
        path = download_index(RepoEntry(name="r", url=base), str(tmp_path / "cache"))
        assert path.endswith("r-index.yaml")
        assert (tmp_path / "cache" / "r-charts.txt").read_text() == "web\nbad\n"
        url, digest = find_chart_in_repo_url(base, "web", "~1.10", str(tmp_path / "cache"))
        assert (url, digest) == (base + "sub/web-1.10.0.tgz", "abc")
        assert sorted(os.listdir(tmp_path / "cache")) == ["r-charts.txt", "r-index.yaml"]
        with pytest.raises(RepoError, match='chart "web" version "9" not found in'):
            find_chart_in_repo_url(base, "web", "9", str(tmp_path / "cache"))
        with pytest.raises(RepoError, match="failed to fetch .*/missing.tgz : 404"):
            fetch(base + "missing.tgz")


def test_fetch_refuses_unknown_scheme_and_reads_files(tmp_path: Path) -> None:
    with pytest.raises(RepoError, match='scheme "ftp" not supported'):
        fetch("ftp://x/y")
    (tmp_path / "f").write_bytes(b"data")
    assert fetch(f"file://{tmp_path}/f") == b"data"
    with pytest.raises(RepoError, match="no such file or directory"):
        fetch(f"file://{tmp_path}/none")


def test_content_cache_checks_digest(tmp_path: Path) -> None:
    data = b"chart bytes"
    digest = hashlib.sha256(data).hexdigest()
    store_chart(str(tmp_path), digest, data)
    assert (tmp_path / digest[:2] / f"{digest}.chart").exists()
    assert cached_chart(str(tmp_path), "sha256:" + digest) == data
    store_chart(str(tmp_path), "0" * 64, data)  # wrong digest: not stored
    assert cached_chart(str(tmp_path), "0" * 64) is None

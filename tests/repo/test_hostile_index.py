"""Hostile and broken repositories: each failure is one line naming the repository, within
the timeout, with bounded memory; credentials stay with the repository's host; the cache is
never left corrupt."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.runner import invoke
from tests.repo.httprepo import (
    AUTH,
    PASSWORD,
    USER,
    body,
    charts,
    hang,
    isolate,
    redirect_to,
    serve,
    trickle,
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolate(tmp_path, monkeypatch)


def _one_line_error(res: object, *needles: str) -> str:
    err = res.stderr  # type: ignore[attr-defined]
    assert res.exit_code == 1, (res.stdout, err)  # type: ignore[attr-defined]
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


def _add(url: str, *extra: str) -> object:
    return invoke(["repo", "add", "r", url, *extra])


BOMB = (b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        b"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        b"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\napiVersion: v1\n")

# (index.yaml, what the one-line error says); Helm's texts where it has one
BROKEN = {
    "alias-bomb": (BOMB, "yaml: document contains excessive aliasing"),
    "deep": (b"apiVersion: v1\nentries: " + b"[" * 20000 + b"]" * 20000 + b"\n",
             "exceeded max depth of 10000"),
    "duplicate-key": (b"apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n  a:\n"
                      b"  - name: a\n    version: 2.0.0\n",
                      'yaml: unmarshal errors: line 7: key "a" already set in map'),
    "syntax": (b"apiVersion: v1\nentries: [\n",
               "yaml: line 2: did not find expected node content"),
    "unknown-field": (b"apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n"
                      b"    foo: bar\n", 'json: unknown field "foo"'),
    "no-api-version": (b"entries: {}\n", "no API version specified"),
    "empty": (b"", "empty index.yaml file"),
    "a-list": (b"[1, 2]", "json: cannot unmarshal array into Go value of type repo.IndexFile"),
    "urls-not-a-list": (b"apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n"
                        b"    urls: http://x\n", "cannot unmarshal string into Go struct field"),
    "number-app-version": (b"apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n"
                           b"    appVersion: 1.10\n", "json: cannot unmarshal number into Go "
                           "struct field ChartVersion.entries.Metadata.appVersion of type string"),
    "bad-created": (b"apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n"
                    b"    created: notatime\n", 'parsing time "notatime"'),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_index_is_one_line_naming_the_repository(case: str, tmp_path: Path,
                                                         home: Path) -> None:
    data, says = BROKEN[case]
    (tmp_path / "srv").mkdir()
    (tmp_path / "srv" / "index.yaml").write_bytes(data)
    with serve(tmp_path / "srv") as srv:
        t0 = time.monotonic()
        res = _add(srv.url)
        assert time.monotonic() - t0 < 10
    _one_line_error(res, f'looks like "{srv.url}" is not a valid chart repository', says)
    assert not (home / "config" / "repositories.yaml").exists()
    cache = home / "cache" / "repository"
    assert not cache.exists() or os.listdir(cache) == []  # no partial or temporary file


def test_helm_gives_the_same_errors(tmp_path: Path, home: Path) -> None:
    """The messages above are Helm's (recorded here once per case against the oracle)."""
    from tests.repo.httprepo import helm_env, plain_helm

    helm = plain_helm()
    if not os.path.exists(helm):
        pytest.skip("the oracle's helm is not installed")
    for case in ("duplicate-key", "syntax", "unknown-field", "no-api-version", "empty",
                 "alias-bomb", "deep", "bad-created", "number-app-version"):
        data, says = BROKEN[case]
        srv_dir = tmp_path / f"srv-{case}"
        srv_dir.mkdir()
        (srv_dir / "index.yaml").write_bytes(data)
        with serve(srv_dir) as srv:
            p = subprocess.run([helm, "repo", "add", "r", srv.url], capture_output=True,
                               text=True, env=helm_env(tmp_path / "h"), timeout=60)
        assert p.returncode == 1 and says in p.stderr.replace(":\n  ", ": "), (case, p.stderr)


def test_invalid_and_duplicate_entries_as_helm(tmp_path: Path, home: Path) -> None:
    (tmp_path / "srv").mkdir()
    (tmp_path / "srv" / "index.yaml").write_text(
        "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: notsemver\n  - null\n"
        "  - name: a\n    version: 1.0.0\n    description: first\n"
        "  - name: a\n    version: 1.0.0\n    description: second\n")
    with serve(tmp_path / "srv") as srv:
        res = _add(srv.url)
    assert res.exit_code == 0, res.stderr
    res = invoke(["search", "repo", "r/", "-l"])
    # Helm's search keys lines by name and version: one of the two is listed
    assert res.stdout.splitlines()[1:] == ["r/a \t1.0.0        \t           \tsecond     "]
    assert 'level=WARN msg="skipping loading invalid entry for chart \\"a\\" \\"notsemver\\"' \
        in res.stderr
    assert "empty entry" in res.stderr


def _big_index(path: Path, versions: int, description_size: int) -> None:
    desc = "x" * description_size
    with path.open("w") as fh:
        fh.write("apiVersion: v1\nentries:\n")
        for i in range(versions):
            if i % 10 == 0:
                fh.write(f"  chart{i // 10}:\n")
            fh.write(f"  - apiVersion: v2\n    description: {desc}\n    name: chart{i // 10}\n"
                     f"    urls:\n    - chart{i // 10}-1.0.{i % 10}.tgz\n"
                     f"    version: 1.0.{i % 10}\n")
        fh.write('generated: "2024-01-01T00:00:00Z"\n')


def test_100mb_index_with_bounded_memory(tmp_path: Path, home: Path) -> None:
    """A 100 MB index is streamed to disk and parsed line by line: the process's peak stays
    a small multiple of the size (Helm needs several times more)."""
    (tmp_path / "srv").mkdir()
    _big_index(tmp_path / "srv" / "index.yaml", 2000, 50_000)
    size = (tmp_path / "srv" / "index.yaml").stat().st_size
    assert size > 100_000_000
    with serve(tmp_path / "srv") as srv:
        # VmHWM: this process's own peak (ru_maxrss would count the forked test runner)
        code = ("import sys\nfrom kelm.cli import main\n"
                "try:\n    main(['repo', 'add', 'big', sys.argv[1]])\n"
                "except SystemExit as e:\n    assert not e.code, e.code\n"
                "hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM:')]\n"
                "print(hwm[0].split()[1])\n")
        env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg"))  # machine caches on
        p = subprocess.run([sys.executable, "-c", code, srv.url], capture_output=True,
                           text=True, timeout=300, env=env)
    assert p.returncode == 0, p.stderr
    peak = int(p.stdout.splitlines()[-1]) * 1024
    assert peak < 3 * size, (peak, size)
    assert (home / "cache" / "repository" / "big-index.yaml").stat().st_size == size


def test_credentials_stay_with_the_repository_host(tmp_path: Path, home: Path) -> None:
    """An index entry pointing at another host (here: the same server named ``localhost``)
    gets no credentials unless --pass-credentials."""
    root = tmp_path / "srv"
    with serve(root) as srv:
        charts(root, url=f"http://localhost:{srv.port}/charts")
        (root / "charts").mkdir()
        for f in root.glob("*.tgz"):
            f.rename(root / "charts" / f.name)
        srv.need_auth = True
        res = invoke(["repo", "add", "r", srv.url, "--username", USER, "--password", PASSWORD])
        assert res.exit_code == 0, res.stderr
        srv.requests.clear()
        res = invoke(["pull", "r/web", "-d", str(tmp_path)])
        assert res.exit_code == 1 and "401" in res.stderr
        assert srv.requests == [("/charts/web-0.2.0.tgz", "", f"localhost:{srv.port}")]
        assert not list(tmp_path.glob("web-*"))
        res = invoke(["repo", "add", "r", srv.url, "--username", USER, "--password", PASSWORD,
                      "--pass-credentials", "--force-update"])
        srv.requests.clear()
        res = invoke(["pull", "r/web", "-d", str(tmp_path)])
        assert res.exit_code == 0, res.stderr
        assert srv.requests == [("/charts/web-0.2.0.tgz", AUTH, f"localhost:{srv.port}")]


def test_credentials_not_forwarded_by_a_redirect(tmp_path: Path, home: Path) -> None:
    root = tmp_path / "srv"
    charts(root)
    with serve(root) as srv:
        srv.routes["/moved/index.yaml"] = redirect_to(f"http://localhost:{srv.port}/index.yaml")
        res = invoke(["repo", "add", "r", f"{srv.url}/moved", "--username", USER,
                      "--password", PASSWORD])
        assert res.exit_code == 0, res.stderr
        assert srv.requests[0][1] == AUTH and srv.requests[1] == (
            "/index.yaml", "", f"localhost:{srv.port}")


def test_digest_mismatch_fails_and_leaves_nothing(tmp_path: Path, home: Path) -> None:
    root = tmp_path / "srv"
    charts(root)
    text = (root / "index.yaml").read_text()
    import re

    (root / "index.yaml").write_text(re.sub(r"digest: [0-9a-f]{64}", "digest: " + "0" * 64,
                                            text))
    with serve(root) as srv:
        assert _add(srv.url).exit_code == 0  # type: ignore[attr-defined]
        out = tmp_path / "out"
        out.mkdir()
        res = invoke(["pull", "r/web", "-d", str(out)])
    _one_line_error(res, "digest mismatch", f"{srv.url}/web-0.2.0.tgz")
    assert os.listdir(out) == []


def test_verify_failure_leaves_nothing(tmp_path: Path, home: Path) -> None:
    """Helm leaves the archive behind when --verify fails; kelm saves nothing (as Helm's help
    promises)."""
    charts(tmp_path / "srv")
    with serve(tmp_path / "srv") as srv:
        _add(srv.url)
        out = tmp_path / "out"
        out.mkdir()
        res = invoke(["pull", "r/web", "--verify", "-d", str(out)])
    _one_line_error(res, "failed to fetch provenance")
    assert os.listdir(out) == []


def test_redirect_loop(tmp_path: Path, home: Path) -> None:
    (tmp_path / "srv").mkdir()
    with serve(tmp_path / "srv") as srv:
        srv.routes["/index.yaml"] = redirect_to("/loop/index.yaml")
        srv.routes["/loop/index.yaml"] = redirect_to("/index.yaml")
        res = _add(srv.url)
    _one_line_error(res, srv.url, "stopped after 10 redirects")


@pytest.mark.parametrize("kind", ["trickle", "hang"])
def test_slow_server_cut_off_within_timeout(kind: str, tmp_path: Path, home: Path) -> None:
    (tmp_path / "srv").mkdir()
    with serve(tmp_path / "srv") as srv:
        srv.routes["/index.yaml"] = trickle(srv.stop, 0.05) if kind == "trickle" else \
            hang(srv.stop)
        t0 = time.monotonic()
        res = _add(srv.url, "--timeout", "1s")
        took = time.monotonic() - t0
        res_update = None
        if kind == "hang":
            (home / "config").mkdir(parents=True, exist_ok=True)
            (home / "config" / "repositories.yaml").write_text(
                f"apiVersion: v1\nrepositories:\n- name: r\n  url: {srv.url}\n")
            t1 = time.monotonic()
            res_update = invoke(["repo", "update", "--timeout", "500ms"])
            assert time.monotonic() - t1 < 5
    assert took < 5, took
    _one_line_error(res, srv.url, "context deadline exceeded")
    if res_update is not None:
        assert res_update.exit_code == 1
        assert f'...Unable to get an update from the "r" chart repository ({srv.url}):' in \
            res_update.stdout
        assert "context deadline exceeded" in res_update.stdout
        assert res_update.stderr == ("Error: failed to update the following repositories: "
                                     f"[{srv.url}]\n")


def test_failed_update_keeps_the_cache(tmp_path: Path, home: Path) -> None:
    root = tmp_path / "srv"
    charts(root)
    with serve(root) as srv:
        assert _add(srv.url).exit_code == 0  # type: ignore[attr-defined]
        cache = home / "cache" / "repository"
        before = {f: (cache / f).read_bytes() for f in os.listdir(cache)}
        srv.routes["/index.yaml"] = body(b"apiVersion: v1\nentries: [\n")
        res = invoke(["repo", "update"])
        assert res.exit_code == 1
        assert "did not find expected node content" in res.stdout
        assert {f: (cache / f).read_bytes() for f in os.listdir(cache)} == before
        res = invoke(["search", "repo", "web"])
        assert res.exit_code == 0 and "r/web" in res.stdout


def _tls_server_files(tmp_path: Path, expired: bool) -> tuple[Path, Path]:
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    day = datetime.timedelta(days=1)
    nb, na = (now - 10 * day, now - day) if expired else (now - day, now + day)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(7).not_valid_before(nb)
            .not_valid_after(na)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    c, k = tmp_path / f"cert-{expired}.pem", tmp_path / f"key-{expired}.pem"
    c.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    k.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return c, k


@pytest.mark.parametrize("expired", [False, True], ids=["unknown-ca", "expired"])
def test_bad_certificates(expired: bool, tmp_path: Path, home: Path) -> None:
    charts(tmp_path / "srv")
    cert, key = _tls_server_files(tmp_path, expired)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    with serve(tmp_path / "srv", ctx) as srv:
        res = _add(srv.url)
        _one_line_error(res, f'Get "{srv.url}/index.yaml": tls: failed to verify certificate: '
                             "x509: certificate signed by unknown authority")
        res_ca = invoke(["repo", "add", "with-ca", srv.url, "--ca-file", str(cert)])
        res_insecure = invoke(["repo", "add", "insecure", srv.url, "--insecure-skip-tls-verify"])
    if expired:
        _one_line_error(res_ca, "x509: certificate has expired or is not yet valid")
    else:
        assert res_ca.exit_code == 0, res_ca.stderr  # type: ignore[attr-defined]
    assert res_insecure.exit_code == 0, res_insecure.stderr  # type: ignore[attr-defined]


_NASTY = ["", " ", "a: b", "a #b", "#x", "- a", "[x]", "{y}", "&a", "*b", "!t", "%p", "@at",
          "`q", "|", ">", "?", "'s'", '"d"', "1.0", "true", "yes", "off", "0x1f", "1e3", "null",
          "~", "über", "tab\there", "line\nbreak", "trailing ", " leading", "a\\b", "x" * 300,
          "word " * 40, "ends with colon:", "back\\slash \"quote\" 'single'", "\u2028sep",
          "emoji \U0001F600", "ctrl\x07bell", "2024-01-01", "-1", "+5", ".5", "010", "0o17"]


def test_fast_reader_agrees_with_the_yaml_loader() -> None:
    """Indexes written the way Helm writes them (go-yaml v2, via kelm.yaml.dump_v2) with
    awkward strings: the streaming reader and the general loader read the same entries."""
    import random

    from kelm.repo.index import _general, load_index  # noqa: PLC2701 - both readers
    from kelm.yaml import dump_v2

    rnd = random.Random(1)
    for round_ in range(60):
        entries: dict[str, list[dict[str, object]]] = {}
        for c in range(rnd.randint(1, 6)):
            name = f"c{c}"
            entries[name] = []
            for v in range(rnd.randint(0, 4)):
                e: dict[str, object] = {
                    "apiVersion": "v2", "name": name, "version": f"1.{v}.{round_}",
                    "description": rnd.choice(_NASTY), "appVersion": rnd.choice(_NASTY),
                    "keywords": rnd.sample(_NASTY, rnd.randint(0, 4)),
                    "urls": [f"{name}-{rnd.choice(_NASTY).strip() or 'x'}.tgz"],
                    "digest": rnd.choice(["", "0" * 64]), "created": "2024-01-01T00:00:00Z",
                }
                if rnd.random() < 0.3:
                    e["maintainers"] = [{"name": rnd.choice(_NASTY), "email": "a@b.c"}]
                if rnd.random() < 0.3:
                    e["annotations"] = {"k": rnd.choice(_NASTY), "x/y": "z"}
                if rnd.random() < 0.2:
                    e["dependencies"] = [{"name": "d", "version": "1", "repository": "",
                                          "alias": rnd.choice(["ok", "bad alias"])}]
                entries[name].append(e)
        text = dump_v2({"apiVersion": "v1", "entries": entries,
                        "generated": "2024-01-01T00:00:00Z"})

        def read(fast: bool, data: bytes = text.encode()) -> object:
            try:
                idx = load_index(data) if fast else _general(data, "", False)
            except Exception as err:  # noqa: BLE001 - the error text is compared
                return ("error", str(err))
            return ({n: [(cv.name, cv.version, cv.app_version, cv.description, cv.keywords,
                          cv.urls, cv.digest, cv.created) for cv in vs]
                     for n, vs in idx.entries.items()}, idx.warnings)

        assert read(True) == read(False), text


def test_absolute_url_of_a_configured_repository_uses_its_credentials(tmp_path: Path,
                                                                      home: Path) -> None:
    """Helm's scanReposForURL: a chart URL that a configured repository's index names is
    fetched with that repository's credentials; any other URL without them."""
    charts(tmp_path / "srv")
    with serve(tmp_path / "srv") as srv:
        srv.need_auth = True
        assert invoke(["repo", "add", "r", srv.url, "--username", USER,
                       "--password", PASSWORD]).exit_code == 0
        srv.requests.clear()
        res = invoke(["pull", f"{srv.url}/db-0.1.0.tgz", "-d", str(tmp_path)])
        assert res.exit_code == 0, res.stderr
        assert srv.requests[-1][:2] == ("/db-0.1.0.tgz", AUTH)
        res = invoke(["pull", f"{srv.url}/unlisted-0.1.0.tgz", "-d", str(tmp_path)])
        assert res.exit_code == 1 and "401" in res.stderr
        assert srv.requests[-1][:2] == ("/unlisted-0.1.0.tgz", "")

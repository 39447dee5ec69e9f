"""``--verify``/``--keyring`` wherever a chart is named, against Helm v4.1.4's answers.

The chart, its ``.prov`` and the keyrings are helm's (tests/golden/provenance).  Two
scenarios run a list of command lines in one workspace: ``http`` (local archives, a chart
repository on loopback: repo/name, URL, ``--repo``, ``dependency update|build``) and ``oci``
(a real docker-registry: ``oci://`` references, ``pull --verify|--prov``, oci:// dependencies).
What helm printed for each line (exit code, stdout, stderr; ports, paths and process ids
normalised) is recorded in tests/golden/provenance/refs.json, and kelm must print the same.
Live with the oracle's helm: the Chart.lock both write for https://, oci://, file://, ``@name``
and ``alias:name`` dependencies are the same bytes (the time stamp aside).

Re-record the goldens: python -m tests.repo.test_verify_refs  (needs the oracle and
docker-registry)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests.cli.runner import invoke
from tests.repo.httprepo import helm_env, index, plain_helm, serve
from tests.shared import HELM

PROVENANCE = Path(__file__).resolve().parent.parent / "golden" / "provenance"
GOLDEN = PROVENANCE / "refs.json"
ARCHIVE = "signed-0.1.0.tgz"
CREATED = "2026-01-02T03:04:05Z"  # fixed manifest annotation: stable manifest digests
needs_helm = pytest.mark.skipif(not HELM.available(), reason="the oracle's helm is unavailable")

Step = list[str]
Run = Callable[[Step], tuple[int, str, str]]


# -- the workspace ---------------------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _parent(root: Path, name: str, deps: str) -> None:
    _write(root / name / "Chart.yaml",
           f"apiVersion: v2\nname: {name}\nversion: 1.0.0\ndependencies:\n{deps}")


def _dep(name: str, version: str, repo: str, extra: str = "") -> str:
    return f"- name: {name}\n  version: \"{version}\"\n  repository: \"{repo}\"\n{extra}"


def workspace(work: Path) -> None:
    """Keys, local archives (signed, no .prov, tampered, unpacked) and the served trees
    (srv/signed with the .prov, srv/bare without, srv/tam tampered), each with its index."""
    archive = (PROVENANCE / ARCHIVE).read_bytes()
    prov = (PROVENANCE / (ARCHIVE + ".prov")).read_bytes()
    for ring in ("pubring.gpg", "other.gpg"):
        (work / "keys").mkdir(parents=True, exist_ok=True)
        shutil.copy(PROVENANCE / ring, work / "keys" / ring)
    layout = {"local/good": (archive, prov), "local/np": (archive, None),
              "local/tam": (archive + b"\0", prov), "srv/signed": (archive, prov),
              "srv/bare": (archive, None), "srv/tam": (archive + b"\0", prov)}
    for rel, (a, p) in layout.items():
        d = work / rel
        d.mkdir(parents=True, exist_ok=True)
        (d / ARCHIVE).write_bytes(a)
        if p is not None:
            (d / (ARCHIVE + ".prov")).write_bytes(p)
        if rel.startswith("srv/"):
            index(d)
    import tarfile

    with tarfile.open(work / "local" / "good" / ARCHIVE) as tf:
        tf.extractall(work / "local" / "dir", filter="data")
    _parent(work, "dep-good", _dep("signed", "0.1.0", "@good"))
    _parent(work, "dep-bare", _dep("signed", "0.1.0", "@bare"))
    _parent(work, "dep-tam", _dep("signed", "~0.1.0", "alias:tam"))


def http_steps() -> list[Step]:
    good, other = "--keyring=keys/pubring.gpg", "--keyring=keys/other.gpg"
    local = f"local/good/{ARCHIVE}"
    return [
        ["template", "r", local, "--verify", good],
        ["template", "r", local, "--verify", other],
        ["template", "r", local, "--verify"],  # $GNUPGHOME/pubring.gpg, absent
        ["template", "r", f"./local/np/{ARCHIVE}", "--verify", good],
        ["template", "r", f"local/tam/{ARCHIVE}", "--verify", good],
        ["template", "r", "local/dir/signed", "--verify", good],
        ["template", "r", local, "--verify", "--keyring="],
        ["show", "chart", local, "--verify", good],
        ["install", "r", local, "--dry-run=client", "--verify", other],
        ["repo", "add", "good", "$URL/signed"],
        ["repo", "add", "bare", "$URL/bare"],
        ["repo", "add", "tam", "$URL/tam"],
        ["template", "r", "bare/signed", "--verify", good],
        ["show", "values", "bare/signed", "--verify", good],
        ["template", "r", f"$URL/bare/{ARCHIVE}", "--verify", good],
        ["template", "r", "signed", "--repo", "$URL/bare", "--verify", good],
        ["template", "r", "tam/signed", "--verify", good],
        ["template", "r", "good/signed", "--verify", good],
        ["@content"],
        ["template", "r", "good/signed", "--verify", other],
        ["template", "r", "bare/signed", "--verify", good],  # the cached .prov serves
        ["@clear-content"],
        ["template", "r", f"$URL/signed/{ARCHIVE}", "--verify", other],
        ["template", "r", "signed", "--repo", "$URL/signed", "--verify", good],
        ["@clear-content"],
        ["dependency", "update", "dep-good", "--verify", good],
        ["@ls", "dep-good/charts"],
        ["dependency", "build", "dep-good", "--verify", other],
        ["dependency", "update", "dep-bare", "--verify", good],
        ["@ls", "dep-bare/charts"],
        ["dependency", "update", "dep-bare"],
        ["dependency", "build", "dep-bare", "--verify", good],
        ["dependency", "build", "dep-bare", "--verify", good, "--skip-refresh"],
        ["dependency", "update", "dep-tam", "--verify", good, "--skip-refresh"],
        ["dependency", "update", "dep-good", "--verify", "--skip-refresh"],
        ["pull", "good/signed", "--verify", "-d", "local"],  # $GNUPGHOME's keyring
        ["pull", "good/signed", "--verify", good, "-d", "local"],
    ]


def oci_workspace(work: Path, host: str) -> None:
    """The signed chart pushed with its provenance (oci://HOST/signed/signed) and without
    (oci://HOST/noprov/signed); parents depending on each."""
    from kelm.repo.oci import RegistryOptions, push_chart

    archive = (PROVENANCE / ARCHIVE).read_bytes()
    prov = (PROVENANCE / (ARCHIVE + ".prov")).read_bytes()
    opts = RegistryOptions(plain_http=True, registry_config=str(work / "no-registry.json"))
    push_chart(archive, f"{host}/signed/signed:0.1.0", opts, prov=prov, created=CREATED)
    push_chart(archive, f"{host}/noprov/signed:0.1.0", opts, created=CREATED)
    _parent(work, "oci-good", _dep("signed", "^0.1.0", f"oci://{host}/signed"))
    _parent(work, "oci-bare", _dep("signed", "0.1.0", f"oci://{host}/noprov"))
    (work / "pulled").mkdir()


def oci_steps() -> list[Step]:
    good, other = "--keyring=keys/pubring.gpg", "--keyring=keys/other.gpg"
    signed, bare = "oci://$HOST/signed/signed", "oci://$HOST/noprov/signed"
    return [
        ["template", "r", signed, "--version", "0.1.0", "--plain-http", "--verify", good],
        ["@content"],
        ["template", "r", f"{signed}:0.1.0", "--plain-http", "--verify", other],
        ["template", "r", f"{bare}:0.1.0", "--plain-http", "--verify", good],
        ["@clear-content"],
        ["template", "r", bare, "--plain-http", "--verify", good],
        ["template", "r", f"{signed}@$DIGEST", "--plain-http", "--verify", good],
        ["show", "chart", signed, "--plain-http", "--verify", other],
        ["pull", bare, "--version", "0.1.0", "--plain-http", "--verify", good, "-d", "pulled"],
        ["pull", bare, "--version", "0.1.0", "--plain-http", "--prov", "-d", "pulled"],
        ["@ls", "pulled"],
        ["pull", signed, "--version", "0.1.0", "--plain-http", "--verify", good, "-d",
         "pulled", "--untar"],
        ["dependency", "update", "oci-good", "--plain-http", "--verify", good],
        ["@ls", "oci-good/charts"],
        ["dependency", "build", "oci-good", "--plain-http", "--verify", other],
        ["dependency", "update", "oci-bare", "--plain-http", "--verify", good],
        ["dependency", "update", "oci-bare", "--plain-http"],
        ["dependency", "build", "oci-bare", "--plain-http", "--verify", good],
        ["dependency", "update", "oci-bare", "--verify", good],  # no --plain-http: TLS fails
    ]


# -- running and normalising -----------------------------------------------------------------


def normalise(text: str, work: Path, subs: dict[str, str]) -> str:
    text = text.replace(str(work), "$WORK")
    for placeholder, value in subs.items():
        text = text.replace(value, placeholder)
    text = re.sub(r"tmpcharts-\d+", "tmpcharts-PID", text)
    text = re.sub(r"LAST DEPLOYED: .*", "LAST DEPLOYED: $TIME", text)
    text = re.sub(r'generated: "[^"]*"', 'generated: "$TIME"', text)
    # helm updates repositories in parallel: their lines come in any order
    return re.sub(r"(?:^\.\.\.Successfully got an update from .*\n)+",
                  lambda m: "".join(sorted(m.group(0).splitlines(keepends=True))), text,
                  flags=re.M)


def _builtin(step: Step, work: Path) -> tuple[int, str, str] | None:
    """Steps the harness answers itself, the same for both tools: ``@ls DIR``, ``@content``
    (the content cache's files), ``@clear-content``."""
    content = work / "home" / "cache" / "helm" / "content"
    if step[0] == "@ls":
        d = work / step[1]
        return 0, "".join(f"{n}\n" for n in sorted(os.listdir(d))) if d.is_dir() else "-\n", ""
    if step[0] == "@content":
        files = sorted(str(p.relative_to(content)) for p in content.rglob("*") if p.is_file())
        return 0, "".join(f"{f}\n" for f in files), ""
    if step[0] == "@clear-content":
        shutil.rmtree(content, ignore_errors=True)
        return 0, "", ""
    return None


def play(steps: list[Step], work: Path, subs: dict[str, str], run: Run) -> list[dict[str, object]]:
    out = []
    for step in steps:
        args = [_expand(a, subs) for a in step]
        res = _builtin(args, work) or run(args)
        out.append({"args": step, "code": res[0], "stdout": normalise(res[1], work, subs),
                    "stderr": normalise(res[2], work, subs)})
    return out


def _expand(arg: str, subs: dict[str, str]) -> str:
    for placeholder, value in subs.items():
        arg = arg.replace(placeholder, value)
    return arg


def _env(work: Path) -> dict[str, str]:
    env = helm_env(work / "home")
    env.update(HELM_CACHE_HOME=str(work / "home" / "cache" / "helm"),
               HELM_REGISTRY_CONFIG=str(work / "home" / "registry.json"),
               DOCKER_CONFIG=str(work / "home" / "docker"), GNUPGHOME=str(work / "gnupg"),
               HOME=str(work / "home"))
    return env


def helm_runner(work: Path) -> Run:
    env = _env(work)

    def run(args: Step) -> tuple[int, str, str]:
        res = subprocess.run([plain_helm(), *args], capture_output=True, text=True, env=env,
                             cwd=work, timeout=120, check=False)
        return res.returncode, res.stdout, res.stderr

    return run


def kelm_runner(work: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    for k in list(os.environ):
        if k.startswith(("HELM_", "KELM_")):
            monkeypatch.delenv(k)
    for k, v in _env(work).items():
        if k.startswith(("HELM_", "DOCKER_", "GNUPG")) or k == "HOME":
            monkeypatch.setenv(k, v)
    monkeypatch.setenv("KELM_HTTP_TIMEOUT", "20")
    monkeypatch.chdir(work)

    def run(args: Step) -> tuple[int, str, str]:
        res = invoke(args)
        return res.exit_code, res.stdout, res.stderr

    return run


@contextmanager
def scenario(name: str, work: Path) -> Iterator[tuple[list[Step], dict[str, str]]]:
    """Lay out scenario ``name`` in ``work`` and serve it; yields (steps, placeholders)."""
    workspace(work)
    with ExitStack() as stack:
        if name == "http":
            srv = stack.enter_context(serve(work / "srv"))
            yield http_steps(), {"$URL": srv.url}
            return
        from tests.repo.registry import start_registry

        reg = start_registry(work.parent / (work.name + "-registry"))
        stack.callback(reg.stop)
        oci_workspace(work, reg.host)
        from kelm.repo.oci import RegistryOptions
        from kelm.repo.ociclient import RegistryClient

        with RegistryClient(reg.host, RegistryOptions(plain_http=True)) as c:
            _, _, digest = c.manifest("signed/signed", "0.1.0")
        yield oci_steps(), {"$HOST": reg.host, "$DIGEST": digest}


# -- recording --------------------------------------------------------------------------------


def record() -> None:
    import tempfile

    if not HELM.available():
        sys.exit(f"the oracle's helm is unavailable: {HELM.error}")
    recorded = {}
    for name in ("http", "oci"):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp) / "work"
            work.mkdir()
            with scenario(name, work) as (steps, subs):
                recorded[name] = play(steps, work, subs, helm_runner(work))
    GOLDEN.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {GOLDEN}")


# -- the tests --------------------------------------------------------------------------------


def _recorded(name: str) -> list[dict[str, object]]:
    return list(json.loads(GOLDEN.read_text())[name])


@pytest.mark.parametrize("name", ["http", "oci"])
def test_kelm_answers_as_helm_did(name: str, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pysequoia")
    if name == "oci":
        from tests.repo.registry import registry_binary

        registry_binary()  # skips when docker-registry cannot be had
    work = tmp_path / "work"
    work.mkdir()
    with scenario(name, work) as (steps, subs):
        want = _recorded(name)
        assert [w["args"] for w in want] == steps, "re-record: the steps changed"
        got = play(steps, work, subs, kelm_runner(work, monkeypatch))
    for g, w in zip(got, want, strict=True):
        assert (g["code"], g["stderr"], g["stdout"]) == (w["code"], w["stderr"], w["stdout"]), \
            " ".join(map(str, w["args"]))


def test_the_golden_covers_each_outcome() -> None:
    """The recording holds what the steps are for: a passing check that prints nothing,
    Helm's message for each failure, the build-time warning, the .prov beside the cached
    chart."""
    http, oci = _recorded("http"), _recorded("oci")
    stderr = "".join(str(s["stderr"]) for s in http + oci)
    stdout = "".join(str(s["stdout"]) for s in http + oci)
    for message in ("openpgp: signature made by unknown entity",
                    "could not load provenance file", "sha256 sum does not match",
                    "unpacked charts cannot be verified", "failed to load keyring: open",
                    'failed to fetch provenance "$URL/bare/signed-0.1.0.tgz.prov"',
                    'failed to fetch provenance "oci://$HOST/noprov/signed:0.1.0.prov"',
                    'provenance does not contain a SHA for a file named "signed@sha256-',
                    "INSTALLATION FAILED: openpgp"):
        assert message in stderr, message
    assert "WARNING: Verification not found for $URL/bare/signed-0.1.0.tgz" in stdout
    assert "WARNING: Verification not found for oci://$HOST/noprov/signed: manifest" in stdout
    first = http[0]
    assert first["code"] == 0 and first["stderr"] == ""
    assert str(first["stdout"]).startswith("---\n# Source: signed/templates/cm.yaml\n")
    import hashlib

    key = hashlib.sha256((PROVENANCE / ARCHIVE).read_bytes()).hexdigest()
    content = next(s for s in http if s["args"] == ["@content"])
    assert f"{key[:2]}/{key}.chart\n{key[:2]}/{key}.prov\n" in str(content["stdout"])


# -- Chart.lock: the same bytes as helm's -----------------------------------------------------


def _lock_chart(root: Path, name: str, url: str, host: str) -> Path:
    _write(root / "sub" / "Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.3.0\n")
    deps = (_dep("signed", "~0.1.0", "@good")
            + _dep("signed", ">=0.1.0", f"{url}/signed/", "  alias: viaurl\n"
                   "  condition: viaurl.enabled\n  tags: [a, b]\n")
            + _dep("signed", "^0.1.0", f"oci://{host}/signed", "  alias: viaoci\n"
                   "  import-values:\n  - child: x\n    parent: y\n  - data\n")
            + _dep("sub", ">0.0.0", "file://../sub")
            + _dep("signed", "0.1.0", "alias:good", "  alias: viaalias\n"))
    _parent(root, name, deps)
    return root / name


@needs_helm
def test_chart_lock_is_helms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One repository and registry for both tools (the digest covers their URLs)."""
    from tests.repo.registry import registry_binary

    registry_binary()
    work = tmp_path / "work"
    work.mkdir()
    with scenario("oci", work) as (_, subs), serve(work / "srv") as srv:
        helm, kelm = helm_runner(work), kelm_runner(work, monkeypatch)
        assert helm(["repo", "add", "good", f"{srv.url}/signed"])[0] == 0
        results = {}
        for tool, run in (("helm", helm), ("kelm", kelm)):
            chart = _lock_chart(work, f"locked-{tool}", srv.url, subs["$HOST"])
            code, out, err = run(["dependency", "update", chart.name, "--plain-http"])
            assert code == 0, err
            lock = (chart / "Chart.lock").read_text()
            results[tool] = (out, err, re.sub(r'generated: "[^"]*"\n', "", lock),
                             sorted(os.listdir(chart / "charts")))
    assert results["kelm"] == results["helm"]
    lock = results["helm"][2]
    assert f"- name: signed\n  repository: {srv.url}/signed\n  version: 0.1.0\n" in lock
    assert f"  repository: oci://{subs['$HOST']}/signed\n" in lock
    assert "- name: sub\n  repository: file://../sub\n  version: 0.3.0\n" in lock


if __name__ == "__main__":
    record()

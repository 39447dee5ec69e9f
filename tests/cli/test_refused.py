"""What kelm cannot do yet is refused plainly: the message names the flag (or says what is
missing), the exit code is 1, and nothing pretends to have tried (no connection errors for
connections never made)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.runner import invoke

CHART = {"Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
         "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"}


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    root = tmp_path / "c"
    for rel, text in CHART.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _refused(args: list[str], *needles: str) -> str:
    res = invoke(args)
    assert res.exit_code == 1, res.stdout
    assert res.stdout == ""
    # deprecation warnings may come first, as with Helm; then one error
    assert res.stderr.count("Error:") == 1, res.stderr
    assert res.stderr.splitlines()[-1].startswith("Error: ") or "\nError: " in res.stderr
    assert "connection refused" not in res.stderr and "unreachable" not in res.stderr
    for n in needles:
        assert n in res.stderr, res.stderr
    return res.stderr


def test_install_without_dry_run_refuses_what_it_cannot_do(chart: Path) -> None:
    # a real install is tests/lifecycle's; here: what a real install refuses before it
    # connects (--disable-openapi-validation is accepted: tests/lifecycle/test_install.py)
    for dry_run in ([], ["--dry-run=none"]):
        _refused(["install", "r", str(chart), *dry_run, "--hide-secret"],
                 "Error: hiding Kubernetes secrets requires a dry-run mode")


# install/upgrade/template --dry-run=server (and template --validate) talk to the cluster:
# tests/lifecycle/test_dry_run_server.py


def test_verify(chart: Path, tmp_path: Path) -> None:
    # an unpacked chart cannot be verified, as Helm says (golden verify-dir); the checks of
    # archives and downloads are tests/repo/test_verify_refs.py's
    _refused(["template", "r", str(chart), "--verify"], "unpacked charts cannot be verified")


@pytest.mark.parametrize("args,flag", [
    (["show", "values", "{chart}", "--jsonpath", "{.a}"], "--jsonpath"),
    (["create", "{tmp}/new", "--starter", "mystarter"], "--starter"),
    (["kustomize", "{tmp}", "--env", "A=1"], "--env"),
    (["kustomize", "build", "{tmp}", "--mount", "type=bind"], "--mount"),
    (["kustomize", "{tmp}", "--network"], "--network"),
    (["kustomize", "{tmp}", "--as-current-user"], "--as-current-user"),
    (["kustomize", "{tmp}", "--helm-debug"], "--helm-debug"),
])
def test_flags_kelm_cannot_honour_are_named(args: list[str], flag: str, chart: Path,
                                            tmp_path: Path) -> None:
    args = [a.replace("{chart}", str(chart)).replace("{tmp}", str(tmp_path)) for a in args]
    _refused(args, f"{flag} is not supported by kelm yet")


def test_get_host_by_name_without_an_address(chart: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With --enable-dns a name with no address fails as Helm's does (rand.Intn panics);
    the lookup is replaced here: tests resolve nothing but localhost."""
    import socket

    def no_address(*args: object, **kw: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    (chart / "templates" / "cm.yaml").write_text('h: {{ getHostByName "nowhere.invalid" }}\n')
    assert invoke(["template", "r", str(chart)]).stdout.endswith("h:\n")
    monkeypatch.setattr(socket, "getaddrinfo", no_address)
    res = invoke(["template", "r", str(chart), "--enable-dns"])
    assert res.exit_code == 1
    assert res.stderr.startswith(
        'Error: template: c/templates/cm.yaml:1:6: executing "c/templates/cm.yaml" at '
        '<getHostByName "nowhere.invalid">: error calling getHostByName: invalid argument '
        "to Intn\n")


@pytest.mark.parametrize("args", [
    ["kustomize", "{tmp}", "--kube-context", "prod"],
    ["kustomize", "build", "{tmp}", "--kubeconfig", "k"],
    ["preset", "crd", "--kube-token", "t"],
    ["preset", "apply", "-f", "{tmp}", "--qps", "3"],
])
def test_cluster_flags_on_commands_without_a_cluster(args: list[str], tmp_path: Path) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    flag = next(a for a in args if a.startswith("--"))
    _refused(args, f"{flag} has no effect on kelm", "does not connect to a cluster")

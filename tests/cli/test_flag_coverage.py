"""Every flag ``kelm template --help`` and ``kelm install --help`` list has evidence: a golden
of its effect recorded from Helm (tests/golden/charts, tests/golden/cli/flags.json) or a test
of what kelm does with it (including refusing it).  A new flag without either fails here."""

from __future__ import annotations

import importlib
import inspect
import json
import re
from pathlib import Path

import pytest

from tests.cli.runner import invoke

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
_FLAG = re.compile(r"^  (?:-(\w), |    )--([\w-]+)(?: (\S+))?", re.M)

REPO = "tests.cli.test_repo_flags::"
REFUSED = "tests.cli.test_refused::"
CMDS = "tests.cli.test_commands::"
KELM_EXTRA = "tests.cli.test_preset_and_kustomize_postrender::"
LIFECYCLE = "tests.lifecycle.test_install::"

# flag -> evidence: "GROUP:CASE" (a golden case whose arguments use the flag) or
# "module::test" (a test whose source names the flag)
EVIDENCE: dict[str, list[str]] = {
    "api-versions": ["charts/flags:api-versions"],
    "burst-limit": ["cli:burst-limit", "cli:burst-limit-bad"],
    "ca-file": ["cli:ca-file-missing", "cli:ca-file-junk",
                REPO + "test_tls_ca_file_insecure_and_client_certificates"],
    "cert-file": ["cli:cert-key-missing", "cli:cert-key-junk", "cli:cert-file-alone",
                  REPO + "test_tls_ca_file_insecure_and_client_certificates"],
    "color": ["cli:color", "cli:install-color", "cli:color-bad"],
    "colour": ["cli:color", "cli:install-color"],
    "content-cache": ["cli:content-cache-local", REPO + "test_repo_version_and_devel"],
    "create-namespace": ["cli:create-namespace", "cli:install-create-namespace",
                         LIFECYCLE + "test_create_namespace_json_output_and_description"],
    "debug": ["charts/flags:debug", "charts/install:install-dry-run-debug"],
    "dependency-update": ["charts/flags:dependency-update-file"],
    "description": ["charts/flags:description", "cli:install-description"],
    "devel": ["cli:devel-local", REPO + "test_repo_version_and_devel"],
    "disable-openapi-validation": ["cli:disable-openapi-validation"],
    "dry-run": ["charts/flags:dry-run-client", "charts/flags:dry-run-none",
                "charts/install:install-dry-run-true",
                "tests.lifecycle.test_dry_run_server::"
                "test_dry_run_asks_the_cluster_and_writes_nothing",
                REFUSED + "test_install_without_dry_run_refuses_what_it_cannot_do"],
    "enable-dns": ["cli:enable-dns", "cli:install-enable-dns",
                   REFUSED + "test_get_host_by_name_without_an_address"],
    "force-conflicts": ["cli:force-conflicts"],
    "force-replace": ["cli:force-replace"],
    "generate-name": ["charts/flags:generate-name-with-template",
                      "charts/install:install-generate-name-error"],
    "help": [CMDS + "test_help_layout_matches_helm"],
    "hide-notes": ["charts/install:install-hide-notes", "cli:hide-notes"],
    "hide-secret": ["cli:install-hide-secret"],
    "include-crds": ["charts/flags:include-crds"],
    "insecure-skip-tls-verify": ["cli:insecure-skip-tls-verify-local",
                                 REPO + "test_tls_ca_file_insecure_and_client_certificates"],
    "is-upgrade": ["charts/flags:is-upgrade"],
    "key-file": ["cli:key-missing", "cli:key-file-alone",
                 REPO + "test_tls_ca_file_insecure_and_client_certificates"],
    "keyring": ["cli:keyring-local"],
    "kube-apiserver": ["cli:kube-flags"],
    "kube-as-group": ["cli:kube-flags"],
    "kube-as-user": ["cli:kube-flags"],
    "kube-ca-file": ["cli:kube-flags"],
    "kube-context": ["cli:kube-flags", "cli:install-kube-flags"],
    "kube-insecure-skip-tls-verify": ["cli:kube-flags"],
    "kube-tls-server-name": ["cli:kube-flags"],
    "kube-token": ["cli:kube-flags"],
    "kube-version": ["charts/flags:kube-version", "charts/flags:kube-version-bad"],
    "kubeconfig": ["cli:kube-flags"],
    "labels": ["cli:labels", "cli:labels-reserved", "cli:labels-bad"],
    "name-template": ["charts/flags:name-template"],
    "namespace": ["charts/flags:namespace", "charts/install:install-hide-notes"],
    "no-hooks": ["charts/flags:no-hooks", LIFECYCLE + "test_name_in_use_is_refused"],
    "output": ["cli:install-output-table", "cli:install-output-json", "cli:install-output-yaml",
               "cli:install-output-bad"],
    "output-dir": ["charts/flags:output-dir"],
    "pass-credentials": ["cli:pass-credentials-local",
                         REPO + "test_basic_auth_only_to_the_repository_host"],
    "password": ["cli:username-password-local",
                 REPO + "test_basic_auth_only_to_the_repository_host"],
    "plain-http": ["cli:plain-http-local"],
    "post-renderer": ["cli:post-renderer-missing",
                      KELM_EXTRA + "test_kustomize_post_renderer_runs_in_process",
                      KELM_EXTRA + "test_executable_post_renderer_with_args"],
    "post-renderer-args": [KELM_EXTRA + "test_executable_post_renderer_with_args"],
    "preset": [KELM_EXTRA + "test_presets_are_applied_to_matching_pod_templates"],
    "qps": ["cli:qps", "cli:qps-bad"],
    "registry-config": ["cli:repository-config-local"],
    "release-name": ["charts/flags:output-dir-release-name"],
    "render-subchart-notes": ["cli:install-render-subchart-notes"],
    "replace": ["cli:replace"],
    "repo": ["cli:repo-unreachable", REPO + "test_repo_version_and_devel"],
    "repository-cache": ["cli:repository-config-local", REPO + "test_chart_url_and_repo_name"],
    "repository-config": ["cli:repository-config-local", REPO + "test_chart_url_and_repo_name"],
    "rollback-on-failure": ["cli:rollback-on-failure"],
    "server-side": ["cli:server-side-false"],
    "set": ["charts/flags:set-family", "charts/flags:set-order"],
    "set-file": ["charts/flags:set-family"],
    "set-json": ["charts/flags:set-family"],
    "set-literal": ["charts/flags:set-family"],
    "set-string": ["charts/flags:set-family"],
    "show-only": ["charts/flags:show-only", "charts/flags:show-only-missing"],
    "skip-crds": ["charts/flags:skip-crds", "cli:install-skip-crds"],
    "skip-schema-validation": ["cli:skip-schema-validation", "cli:install-skip-schema-validation"],
    "skip-tests": ["charts/flags:skip-tests"],
    "take-ownership": ["cli:take-ownership"],
    "timeout": ["cli:timeout", "cli:timeout-bad"],
    "username": ["cli:username-password-local",
                 REPO + "test_basic_auth_only_to_the_repository_host"],
    "values": ["charts/flags:values-file", "charts/flags:values-stdin"],
    "verify": ["cli:verify-dir", REFUSED + "test_verify"],
    "version": ["cli:version-local", REPO + "test_repo_version_and_devel"],
    "wait": ["cli:wait", "cli:wait-legacy", "cli:wait-bad"],
    "wait-for-jobs": ["cli:wait-for-jobs"],
}


def _listed(command: str) -> dict[str, tuple[str, str]]:
    """flag -> (shorthand, type) as ``kelm COMMAND --help`` lists them."""
    out = invoke([command, "--help"]).stdout
    return {m.group(2): (m.group(1) or "", m.group(3) or "") for m in _FLAG.finditer(out)}


def _golden_cases() -> dict[str, list[str]]:
    out = {}
    for path in (GOLDEN / "charts").glob("*.json"):
        for case in json.loads(path.read_text())["cases"]:
            out[f"charts/{path.stem}:{case['name']}"] = case["args"]
    for case in json.loads((GOLDEN / "cli" / "flags.json").read_text())["cases"]:
        out[f"cli:{case['name']}"] = case["args"]
    return out


@pytest.mark.parametrize("command", ["template", "install"])
def test_every_listed_flag_has_evidence(command: str) -> None:
    listed = _listed(command)
    missing = sorted(set(listed) - set(EVIDENCE))
    assert not missing, f"flags of kelm {command} without a golden or a test: {missing}"


@pytest.mark.parametrize("flag", sorted(EVIDENCE))
def test_evidence_exists_and_uses_the_flag(flag: str) -> None:
    cases = _golden_cases()
    short = {**_listed("template"), **_listed("install")}.get(flag, ("", ""))[0]
    names = [f"--{flag}"] + ([f"-{short}"] if short else [])
    for ref in EVIDENCE[flag]:
        if "::" in ref:
            module, _, name = ref.partition("::")
            fn = getattr(importlib.import_module(module), name)
            source = inspect.getsource(fn)
            assert any(n in source for n in names) or flag in ("help",), (flag, ref)
        else:
            assert ref in cases, f"no golden case {ref}"
            args = cases[ref]
            assert any(a == n or a.startswith(n + "=") for a in args for n in names), (flag, ref)


def test_kelm_lists_helms_flags_with_their_types() -> None:
    for command in ("template", "install"):
        helm_text = (GOLDEN / "cli" / "help" / f"{command}.txt").read_text()
        helm = {m.group(2): (m.group(1) or "", m.group(3) or "")
                for m in _FLAG.finditer(helm_text)}
        kelm = _listed(command)
        assert {k: v for k, v in kelm.items() if k != "preset"} == helm, command

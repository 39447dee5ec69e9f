"""Golden cases for the flags of ``template`` and ``install`` that tests/golden/charts does not
cover yet: recorded from the real Helm by tests/cli/record.py, replayed by
tests/cli/test_flag_goldens.py.  Flags that only matter to a cluster are recorded too: the
golden shows that Helm ignores them for a client-side render, and kelm must print the same.
"""

from __future__ import annotations

CHART = {
    "c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    "c/values.yaml": "a: 1\n",
    "c/values.schema.json": '{"type": "object", "properties": {"a": {"type": "integer"}}}\n',
    "c/templates/cm.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
        "data:\n  a: {{ .Values.a | quote }}\n  host: {{ getHostByName \"localhost\" | quote }}\n"
    ),
    "c/templates/secret.yaml": (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-s\n"
        "stringData:\n  pw: hunter2\n"
    ),
    "c/templates/hook.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hook\n  annotations:\n"
        "    helm.sh/hook: pre-install\ndata: {}\n"
    ),
    "c/templates/NOTES.txt": "notes of {{ .Release.Name }}\n",
    "c/charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.2.0\n",
    "c/charts/sub/templates/NOTES.txt": "sub notes\n",
    "c/charts/sub/templates/cm.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\ndata: {}\n"
    ),
    "c/crds/crd.yaml": (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
        "  name: things.example.com\n"
    ),
    "junk.pem": "not a pem file\n",
}

# (case name, extra arguments); every case runs as `template r ./c ARGS` and as
# `install r ./c --dry-run=client ARGS` (name prefixed "install-")
FLAG_RUNS: list[tuple[str, list[str]]] = [
    ("baseline", []),
    # accepted, no effect on a client-side render (cluster-only behaviour)
    ("create-namespace", ["--create-namespace"]),
    ("disable-openapi-validation", ["--disable-openapi-validation"]),
    ("force-conflicts", ["--force-conflicts"]),
    ("force-replace", ["--force-replace"]),
    ("force-deprecated", ["--force"]),
    ("replace", ["--replace"]),
    ("rollback-on-failure", ["--rollback-on-failure"]),
    ("atomic-deprecated", ["--atomic"]),
    ("server-side-false", ["--server-side=false"]),
    ("take-ownership", ["--take-ownership"]),
    ("timeout", ["--timeout", "1m30s"]),
    ("timeout-bad", ["--timeout", "x"]),
    ("wait", ["--wait"]),
    ("wait-legacy", ["--wait=legacy"]),
    ("wait-bad", ["--wait=bogus"]),
    ("wait-for-jobs", ["--wait-for-jobs"]),
    ("skip-crds", ["--skip-crds"]),
    # chart location options with a local chart
    ("version-local", ["--version", "9.9.9"]),
    ("devel-local", ["--devel"]),
    ("username-password-local", ["--username", "u", "--password", "p"]),
    ("pass-credentials-local", ["--pass-credentials"]),
    ("insecure-skip-tls-verify-local", ["--insecure-skip-tls-verify"]),
    ("plain-http-local", ["--plain-http"]),
    ("keyring-local", ["--keyring", "/nonexistent/pubring.gpg"]),
    ("verify-dir", ["--verify"]),
    ("ca-file-missing", ["--ca-file", "/nonexistent/ca.pem"]),
    ("ca-file-junk", ["--ca-file", "junk.pem"]),
    ("cert-file-alone", ["--cert-file", "junk.pem"]),
    ("key-file-alone", ["--key-file", "junk.pem"]),
    ("cert-key-missing", ["--cert-file", "/nonexistent/c.pem", "--key-file", "junk.pem"]),
    ("key-missing", ["--cert-file", "junk.pem", "--key-file", "/nonexistent/k.pem"]),
    ("cert-key-junk", ["--cert-file", "junk.pem", "--key-file", "junk.pem"]),
    ("repo-unreachable", ["--repo", "http://127.0.0.1:1"]),
    # rendering options
    ("enable-dns", ["--enable-dns"]),
    ("labels", ["--labels", "team=a,tier=web"]),
    ("labels-reserved", ["-l", "owner=me"]),
    ("labels-bad", ["--labels", "novalue"]),
    ("render-subchart-notes", ["--render-subchart-notes"]),
    ("hide-notes", ["--hide-notes"]),
    ("skip-schema-validation-off", ["--set", "a=x"]),
    ("skip-schema-validation", ["--set", "a=x", "--skip-schema-validation"]),
    ("description", ["--description", "my text"]),
    ("post-renderer-missing", ["--post-renderer", "no-such-renderer"]),
    # global flags
    ("kube-flags", ["--kube-context", "nowhere", "--kubeconfig", "/nonexistent/kubeconfig",
                    "--kube-apiserver", "http://127.0.0.1:1", "--kube-token", "t",
                    "--kube-as-user", "u", "--kube-as-group", "g", "--kube-ca-file",
                    "/nonexistent/ca", "--kube-insecure-skip-tls-verify",
                    "--kube-tls-server-name", "x"]),
    ("burst-limit", ["--burst-limit", "5"]),
    ("burst-limit-bad", ["--burst-limit", "x"]),
    ("qps", ["--qps", "2.5"]),
    ("qps-bad", ["--qps", "x"]),
    ("color", ["--color", "never", "--colour", "always"]),
    ("color-bad", ["--color", "bogus"]),
    ("content-cache-local", ["--content-cache", "/nonexistent/content"]),
    ("repository-config-local", ["--repository-config", "/nonexistent/r.yaml",
                                 "--repository-cache", "/nonexistent/cache",
                                 "--registry-config", "/nonexistent/reg.json"]),
]

# install-only flags
INSTALL_RUNS: list[tuple[str, list[str]]] = [
    ("install-hide-secret", ["--hide-secret"]),
    ("install-output-table", ["-o", "table"]),
    ("install-output-json", ["-o", "json", "--set", "b=2"]),
    ("install-output-yaml", ["--output=yaml", "--set", "b=2"]),
    ("install-output-bad", ["--output", "xml"]),
]


def cases() -> list[dict]:
    out = []
    for name, extra in FLAG_RUNS:
        out.append({"name": name, "files": CHART, "args": ["template", "r", "./c", *extra]})
        out.append({"name": f"install-{name}", "files": CHART,
                    "args": ["install", "r", "./c", "--dry-run=client", *extra]})
    for name, extra in INSTALL_RUNS:
        out.append({"name": name, "files": CHART,
                    "args": ["install", "r", "./c", "--dry-run=client", *extra]})
    return out

"""Bad-input cases for ``kelm`` (tests/cli/test_bad_input.py) and for recording what Helm (or
kubectl, for ``kustomize``) answers to them (tests/cli/record_bad_input.py).

Each case builds its inputs under a fresh directory ``D`` (``{D}`` in the command line and in
the recorded messages), runs one command there with its own HELM_* homes, and expects a
non-zero exit and one ``Error:`` line.  ``mode`` says how kelm's line compares to Helm's:

- ``same``: identical (paths as ``{D}``, loopback ports as ``{PORT}``);
- ``prefix``: kelm's line starts with Helm's and adds the detail Helm drops
  (``unable to load chart archive`` + why);
- ``beyond``: Helm gives no usable answer (it hangs, or prints something else); kelm's line
  is checked against ``expect`` instead.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CHART = "apiVersion: v2\nname: demo\nversion: 0.1.0\n"
CM = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
      "data:\n  a: {{ .Values.a | quote }}\n")


def write(base: Path, files: dict[str, str | bytes]) -> None:
    for name, data in files.items():
        p = base / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            p.write_bytes(data)
        else:
            p.write_text(data)


def chart(**over: str | bytes | None) -> Callable[[Path], None]:
    """A builder for chart ``D/c``: a good chart with some files replaced (None: removed)."""
    files: dict[str, str | bytes | None] = {"Chart.yaml": CHART, "values.yaml": "a: 1\n",
                                            "templates/cm.yaml": CM}
    files.update(over)

    def build(d: Path) -> None:
        write(d / "c", {k: v for k, v in files.items() if v is not None})
    return build


def alias_bomb() -> str:
    """Billion laughs: ten levels of ten aliases each."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    prev = "a"
    for i in range(9):
        cur = chr(ord("b") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
        prev = cur
    return "\n".join(lines) + "\n"


def _info(name: str, typ: bytes = tarfile.REGTYPE) -> tarfile.TarInfo:
    i = tarfile.TarInfo(name)
    i.type, i.mode = typ, 0o644
    return i


def _tar(members: list[tuple[tarfile.TarInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for info, data in members:
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _entries(members: list[tuple[tarfile.TarInfo, bytes]]) -> bytes:
    """Tar entries without the end-of-archive blocks (so more can follow)."""
    out = b""
    for info, data in members:
        info.size = len(data)
        out += info.tobuf(format=tarfile.GNU_FORMAT) + data + b"\0" * (-len(data) % 512)
    return out


def _good_members() -> list[tuple[tarfile.TarInfo, bytes]]:
    return [(_info("demo/Chart.yaml"), CHART.encode()), (_info("demo/values.yaml"), b"a: 1\n"),
            (_info("demo/templates/cm.yaml"), CM.encode())]


def archive(kind: str) -> Callable[[Path], None]:
    """A builder for the hostile archive ``D/c.tgz`` of ``kind``."""
    def build(d: Path) -> None:
        good = gzip.compress(_tar(_good_members()))
        data: bytes
        if kind == "traversal":
            data = gzip.compress(_tar([*_good_members(), (_info("demo/../../evil.txt"), b"x")]))
        elif kind == "truncated":
            data = good[: len(good) // 2]
        elif kind == "not_gzip":
            data = b"this is not a gzip file\n"
        elif kind == "short_gzip":
            data = b"\x1f\x8b\x08"
        elif kind == "plain_tar":
            data = _tar(_good_members())
        elif kind == "no_chart_yaml":
            data = gzip.compress(_tar([(_info("demo/values.yaml"), b"a: 1\n")]))
        elif kind == "bomb":  # 200 MiB of zeros behind a 0.2 MiB download
            big = _info("demo/templates/big.yaml")
            big.size = 200 << 20
            out = io.BytesIO()
            with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1) as g:
                g.write(_entries(_good_members()))
                g.write(big.tobuf(format=tarfile.GNU_FORMAT))
                chunk = b"\0" * (1 << 20)
                for _ in range(200):
                    g.write(chunk)
            data = out.getvalue()
        elif kind == "declared_1gb":  # a header claiming 1 GiB, then a few bytes
            big = _info("demo/templates/huge.yaml")
            big.size = 1 << 30
            data = gzip.compress(_entries(_good_members()) + big.tobuf(
                format=tarfile.GNU_FORMAT) + b"a" * 4096)
        else:
            raise ValueError(kind)
        (d / "c.tgz").write_bytes(data)
    return build


def files(spec: dict[str, str | bytes]) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        write(d, spec)
    return build


def both(*builders: Callable[[Path], None]) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        for b in builders:
            b(d)
    return build


KUBECONFIG_REFUSED = """apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:1"}
contexts:
- name: c
  context: {cluster: c, user: u, namespace: default}
current-context: CTX
users:
- name: u
  user: {token: abc}
"""


@dataclass
class Case:
    id: str
    argv: list[str]
    build: Callable[[Path], None] = field(default=lambda d: None)
    env: dict[str, str] = field(default_factory=dict)
    mode: str = "same"
    expect: str = ""  # for mode "beyond": a substring of kelm's Error line
    tool: str = "helm"  # "kubectl" for kustomize cases
    keep: tuple[str, ...] = ()  # paths under D (besides the inputs) a failure may leave


def cases() -> list[Case]:
    good = chart()
    cs = [
        # the chart argument
        Case("template/chart-missing", ["template", "r", "{D}/nothere"]),
        Case("template/chart-is-a-file", ["template", "r", "{D}/f"], files({"f": "x"})),
        Case("show-chart/chart-is-a-file", ["show", "chart", "{D}/f"], files({"f": "x" * 600})),
        Case("template/chartyaml-missing", ["template", "r", "{D}/c"], chart(**{"Chart.yaml": None})),
        Case("template/chartyaml-empty", ["template", "r", "{D}/c"], chart(**{"Chart.yaml": ""})),
        Case("template/chartyaml-not-yaml", ["template", "r", "{D}/c"],
             chart(**{"Chart.yaml": "name: [unclosed\nversion: 1\n"})),
        Case("template/chartyaml-a-list", ["template", "r", "{D}/c"], chart(**{"Chart.yaml": "- a\n"})),
        Case("template/chartyaml-wrong-types", ["template", "r", "{D}/c"], chart(**{
            "Chart.yaml": "apiVersion: v2\nname: [a]\nversion: {x: 1}\nmaintainers: 3\n"})),
        Case("show-chart/chartyaml-wrong-types", ["show", "chart", "{D}/c"], chart(**{
            "Chart.yaml": CHART + "dependencies: {a: 1}\nkeywords: 5\n"})),
        Case("template/chartyaml-binary", ["template", "r", "{D}/c"],
             chart(**{"Chart.yaml": b"\x00\xff\xfe\x01garbage"})),
        Case("template/chartyaml-huge", ["template", "r", "{D}/c"],
             chart(**{"Chart.yaml": CHART + "description: " + "x" * (6 << 20) + "\n"})),
        Case("template/chartyaml-a-directory", ["template", "r", "{D}/c"],
             both(chart(**{"Chart.yaml": None}), files({"c/Chart.yaml/x": "x"}))),
        Case("install-dry/chartyaml-not-yaml", ["install", "r", "{D}/c", "--dry-run=client"],
             chart(**{"Chart.yaml": "name: [unclosed\n"})),
        Case("package/chartyaml-not-yaml", ["package", "{D}/c", "-d", "{D}/out"],
             chart(**{"Chart.yaml": "name: [unclosed\n"})),
        Case("lint/chart-missing", ["lint", "{D}/nothere"]),
        Case("dependency-list/chartyaml-not-yaml", ["dependency", "list", "{D}/c"],
             chart(**{"Chart.yaml": "name: [unclosed\n"})),
        # values.yaml
        Case("template/values-tabs", ["template", "r", "{D}/c"], chart(**{"values.yaml": "a:\n\tb: 1\n"})),
        Case("template/values-bad-indent", ["template", "r", "{D}/c"],
             chart(**{"values.yaml": "a:\n  b: 1\n c: 2\n"})),
        Case("template/values-alias-bomb", ["template", "r", "{D}/c"],
             chart(**{"values.yaml": alias_bomb()})),
        Case("show-values/values-alias-bomb", ["show", "values", "{D}/c"],
             chart(**{"values.yaml": alias_bomb()})),
        Case("template/values-a-list", ["template", "r", "{D}/c"], chart(**{"values.yaml": "- 1\n"})),
        Case("template/values-binary", ["template", "r", "{D}/c"],
             chart(**{"values.yaml": b"\x00\x01\xff\xfe"})),
        Case("template/values-huge", ["template", "r", "{D}/c"],
             chart(**{"values.yaml": "k: " + "v" * (6 << 20) + "\n"})),
        # -f / --set
        Case("template/f-missing", ["template", "r", "{D}/c", "-f", "{D}/nothere.yaml"], good),
        Case("template/f-a-directory", ["template", "r", "{D}/c", "-f", "{D}/c"], good),
        Case("template/f-malformed", ["template", "r", "{D}/c", "-f", "{D}/v.yaml"],
             both(good, files({"v.yaml": "a:\n\tb: 1\n"}))),
        Case("template/f-alias-bomb", ["template", "r", "{D}/c", "-f", "{D}/v.yaml"],
             both(good, files({"v.yaml": alias_bomb()}))),
        Case("template/f-binary", ["template", "r", "{D}/c", "-f", "{D}/v.yaml"],
             both(good, files({"v.yaml": bytes(range(256))}))),
        Case("template/f-url-refused", ["template", "r", "{D}/c", "-f",
                                        "http://127.0.0.1:1/v.yaml"], good),
        Case("template/set-no-key", ["template", "r", "{D}/c", "--set", "=b"], good),
        Case("template/set-bad-index", ["template", "r", "{D}/c", "--set", "a[x]=1"], good),
        Case("template/set-huge-index", ["template", "r", "{D}/c", "--set", "a[99999999]=1"], good),
        Case("template/set-unclosed-index", ["template", "r", "{D}/c", "--set", "a[0=1"], good),
        Case("template/set-no-value", ["template", "r", "{D}/c", "--set", "abc"], good),
        Case("template/set-json-bad", ["template", "r", "{D}/c", "--set-json", "a={x"], good),
        Case("template/set-file-missing", ["template", "r", "{D}/c", "--set-file",
                                           "a={D}/nothere"], good),
        # values.schema.json
        Case("template/schema-not-json", ["template", "r", "{D}/c"],
             chart(**{"values.schema.json": "{not json"})),
        Case("template/schema-ref-refused", ["template", "r", "{D}/c"],
             chart(**{"values.schema.json": '{"$ref": "http://127.0.0.1:1/s.json"}'})),
        Case("template/schema-ref-silent", ["template", "r", "{D}/c"],
             chart(**{"values.schema.json": '{"$ref": "http://127.0.0.1:{SILENT}/s.json"}'})),
        Case("template/schema-invalid", ["template", "r", "{D}/c"],
             chart(**{"values.schema.json": '{"type": 12}'}), mode="beyond",
             expect="values don't meet the specifications of the schema(s)"),
        # templates
        Case("template/tpl-unclosed", ["template", "r", "{D}/c"],
             chart(**{"templates/bad.yaml": "a: {{ .Values.a \n"})),
        Case("template/tpl-unknown-function", ["template", "r", "{D}/c"],
             chart(**{"templates/bad.yaml": "a: {{ nosuchfn 1 }}\n"})),
        Case("template/tpl-fail", ["template", "r", "{D}/c"],
             chart(**{"templates/bad.yaml": '{{ fail "boom" }}\n'})),
        Case("template/tpl-bad-yaml", ["template", "r", "{D}/c"],
             chart(**{"templates/bad.yaml": "a: [unclosed\nb: : :\n"})),
        Case("install-dry/tpl-unclosed", ["install", "r", "{D}/c", "--dry-run=client"],
             chart(**{"templates/bad.yaml": "a: {{ .Values.a \n"})),
        Case("lint/tpl-unclosed", ["lint", "{D}/c"],
             chart(**{"templates/bad.yaml": "a: {{ .Values.a \n"})),
        Case("template/tpl-include-recursion", ["template", "r", "{D}/c"], chart(**{
            "templates/bad.yaml": '{{ define "x" }}{{ include "x" . }}{{ end }}{{ include "x" . }}\n'}),
            mode="beyond", expect="error calling include"),
        Case("template/tpl-tpl-recursion", ["template", "r", "{D}/c"], chart(**{
            "values.yaml": 'a: "{{ tpl .Values.a . }}"\n',
            "templates/bad.yaml": "a: {{ tpl .Values.a . }}\n"}),
            mode="beyond", expect="exceeded maximum template nesting"),
        # hostile archives
        Case("template/tgz-traversal", ["template", "r", "{D}/c.tgz"], archive("traversal"),
             mode="prefix"),
        Case("show-chart/tgz-traversal", ["show", "chart", "{D}/c.tgz"], archive("traversal"),
             mode="prefix"),
        Case("template/tgz-truncated", ["template", "r", "{D}/c.tgz"], archive("truncated"),
             mode="prefix"),
        Case("show-chart/tgz-truncated", ["show", "chart", "{D}/c.tgz"], archive("truncated"),
             mode="prefix"),
        Case("show-chart/tgz-not-gzip", ["show", "chart", "{D}/c.tgz"], archive("not_gzip")),
        Case("show-chart/tgz-short-gzip", ["show", "chart", "{D}/c.tgz"], archive("short_gzip")),
        Case("show-chart/tgz-plain-tar", ["show", "chart", "{D}/c.tgz"], archive("plain_tar")),
        Case("template/tgz-no-chart-yaml", ["template", "r", "{D}/c.tgz"],
             archive("no_chart_yaml")),
        Case("template/tgz-gzip-bomb", ["template", "r", "{D}/c.tgz"], archive("bomb"),
             mode="prefix"),
        Case("show-all/tgz-declared-1gb", ["show", "all", "{D}/c.tgz"], archive("declared_1gb"),
             mode="prefix"),
        Case("lint/tgz-truncated", ["lint", "{D}/c.tgz"], archive("truncated")),
        Case("template/subchart-garbage", ["template", "r", "{D}/c"],
             chart(**{"charts/sub-1.0.0.tgz": b"garbage"})),
        # writing output
        Case("template/output-dir-a-file", ["template", "r", "{D}/c", "--output-dir", "{D}/f"],
             both(good, files({"f": "x"}))),
        Case("create/onto-a-file", ["create", "{D}/f"], files({"f": "x"})),
        Case("repo-index/missing-dir", ["repo", "index", "{D}/nothere"]),
        # kustomize (kubectl's words)
        Case("kustomize/missing-resource", ["kustomize", "build", "{D}/k"],
             files({"k/kustomization.yaml": "resources:\n- nothere.yaml\n"}), tool="kubectl"),
        Case("kustomize/malformed", ["kustomize", "build", "{D}/k"],
             files({"k/kustomization.yaml": "resources: [\n"}), tool="kubectl"),
        Case("kustomize/no-kustomization", ["kustomize", "build", "{D}/k"],
             files({"k/x.yaml": "a: 1\n"}), tool="kubectl"),
        Case("kustomize/cycle", ["kustomize", "build", "{D}/k/a"], files({
            "k/a/kustomization.yaml": "resources:\n- ../b\n",
            "k/b/kustomization.yaml": "resources:\n- ../a\n"}), tool="kubectl"),
        Case("kustomize/alias-bomb", ["kustomize", "build", "{D}/k"], files({
            "k/kustomization.yaml": "resources:\n- cm.yaml\n",
            "k/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  "
                         + alias_bomb().replace("\n", "\n  ")}),
             tool="kubectl", mode="beyond", expect="document contains excessive aliasing"),
        # repositories and registries
        Case("repo-list/repositories-malformed", ["repo", "list"],
             files({"repos.yaml": "repositories: [\n"}), env={"HELM_REPOSITORY_CONFIG": "{D}/repos.yaml"}),
        Case("search-repo/repositories-malformed", ["search", "repo", "x"],
             files({"repos.yaml": "repositories: [\n"}), env={"HELM_REPOSITORY_CONFIG": "{D}/repos.yaml"}),
        Case("repo-add/refused", ["repo", "add", "x", "http://127.0.0.1:1/"],
             keep=("home/config/repositories.lock",)),
        Case("repo-add/bad-url", ["repo", "add", "x", "::not a url"],
             keep=("home/config/repositories.lock",)),
        Case("pull/refused", ["pull", "demo", "--repo", "http://127.0.0.1:1/"]),
        Case("registry-login/config-malformed", ["registry", "login", "127.0.0.1:1", "-u", "a",
                                                 "--password-stdin", "--registry-config",
                                                 "{D}/reg.json"],
             files({"reg.json": "repositories: [\n"}), mode="beyond",
             expect="failed to decode config file at {D}/reg.json: invalid config format: "
                    "invalid character 'r' looking for beginning of value"),
        # kubeconfig and cluster
        Case("status/kubeconfig-missing", ["status", "r", "--kubeconfig", "{D}/nothere"]),
        Case("status/kubeconfig-malformed", ["status", "r"], files({"kc": "clusters: [\n"}),
             env={"KUBECONFIG": "{D}/kc"}),
        Case("status/kubeconfig-binary", ["status", "r"], files({"kc": b"\x00\xff" * 50}),
             env={"KUBECONFIG": "{D}/kc"}),
        Case("status/kubeconfig-a-list", ["status", "r"], files({"kc": "- a\n"}),
             env={"KUBECONFIG": "{D}/kc"}),
        Case("status/context-not-found", ["status", "r"],
             files({"kc": KUBECONFIG_REFUSED.replace("CTX", "nosuch")}), env={"KUBECONFIG": "{D}/kc"}),
        Case("status/kube-context-flag-not-found", ["status", "r", "--kube-context", "nosuch"],
             files({"kc": KUBECONFIG_REFUSED.replace("CTX", "c")}), env={"KUBECONFIG": "{D}/kc"}),
        Case("status/connection-refused", ["status", "r"],
             files({"kc": KUBECONFIG_REFUSED.replace("CTX", "c")}), env={"KUBECONFIG": "{D}/kc"}),
        Case("history/connection-refused", ["history", "r"],
             files({"kc": KUBECONFIG_REFUSED.replace("CTX", "c")}), env={"KUBECONFIG": "{D}/kc"}),
        Case("upgrade-install/connection-refused", ["upgrade", "--install", "r", "{D}/c"],
             both(good, files({"kc": KUBECONFIG_REFUSED.replace("CTX", "c")})),
             env={"KUBECONFIG": "{D}/kc"}),
        Case("repo-add/tls-wrong-certificate", ["repo", "add", "x", "https://127.0.0.1:{TLS}/"],
             keep=("home/config/repositories.lock",)),
        Case("registry-login/tls-wrong-certificate", ["registry", "login", "127.0.0.1:{TLS}",
                                                      "-u", "a", "--password-stdin"]),
        Case("status/tls-wrong-certificate", ["status", "r"], files({"kc": KUBECONFIG_REFUSED.replace(
            "CTX", "c").replace("127.0.0.1:1", "127.0.0.1:{TLS}")}), env={"KUBECONFIG": "{D}/kc"}),
        Case("uninstall/connection-refused", ["uninstall", "r"],
             files({"kc": KUBECONFIG_REFUSED.replace("CTX", "c")}), env={"KUBECONFIG": "{D}/kc"}),
    ]
    return cs


def prepare(case: Case, d: Path, silent_port: int,
            tls_port: int = 0) -> tuple[list[str], dict[str, str]]:
    """Build the case's inputs under ``d``; its command line and environment (own HELM_*
    homes under ``d/home``, no kubeconfig unless the case names one)."""
    case.build(d)
    home = d / "home"
    home.mkdir(exist_ok=True)

    def sub(text: str) -> str:
        return (text.replace("{D}", str(d)).replace("{SILENT}", str(silent_port))
                .replace("{TLS}", str(tls_port)))

    for p in d.rglob("*"):
        if p.is_file() and p.suffix in (".json", ".yaml", ""):
            raw = p.read_bytes()
            if any(t in raw for t in (b"{D}", b"{SILENT}", b"{TLS}")):
                p.write_text(sub(raw.decode()))
    env = {"HELM_CONFIG_HOME": str(home / "config"), "HELM_CACHE_HOME": str(home / "cache"),
           "HELM_DATA_HOME": str(home / "data"), "KUBECONFIG": str(d / "no-kubeconfig"),
           "HELM_REGISTRY_CONFIG": str(home / "config" / "registry" / "config.json")}
    env.update({k: sub(v) for k, v in case.env.items()})
    return [sub(a) for a in case.argv], env


def normalise(text: str, d: Path, silent_port: int, tls_port: int = 0) -> str:
    """Paths as ``{D}``, the silent port as ``{SILENT}``, Go's random temp-file suffixes
    (``index.yaml4163620179``) as ``index.yaml{N}``."""
    import re

    text = text.replace(str(d), "{D}").replace(f"127.0.0.1:{silent_port}", "127.0.0.1:{SILENT}")
    text = text.replace(f"127.0.0.1:{tls_port}", "127.0.0.1:{TLS}")
    return re.sub(r"(index\.yaml)\d+", r"\1{N}", text)


def error_block(stderr: str) -> str:
    """From the first ``Error:`` (``error:`` for kubectl) line to the end, without Helm's
    ``level=...`` log lines."""
    lines = [ln for ln in stderr.splitlines() if not ln.startswith("level=")]
    for i, ln in enumerate(lines):
        if ln.startswith(("Error:", "error:")):
            return "\n".join(lines[i:]).rstrip()
    return ""


def tls_server(host: str = "wrong.example") -> tuple[object, int]:
    """An https server on loopback whose self-signed certificate names ``host`` only (so
    both its name and its issuer are wrong for 127.0.0.1); (server, port)."""
    import http.server
    import ssl
    import tempfile
    import threading

    from kelm.testing.tls import self_signed

    pair = self_signed([host])
    with tempfile.TemporaryDirectory() as tmp:
        crt, key = Path(tmp) / "c.pem", Path(tmp) / "k.pem"
        crt.write_bytes(pair.cert_pem)
        key.write_bytes(pair.key_pem)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(crt), str(key))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, srv.server_address[1]


def golden_path() -> Path:
    return Path(__file__).resolve().parent.parent / "golden" / "badinput" / "answers.json"


def load_goldens() -> dict[str, dict[str, object]]:
    p = golden_path()
    return json.loads(p.read_text()) if p.exists() else {}


__all__ = ["Case", "cases", "error_block", "golden_path", "load_goldens", "normalise", "prepare", "tls_server"]

"""Scratch charts for ``kelm lint`` goldens: each case is a set of files plus lint arguments.

``record.py`` runs the real Helm on them and stores its output in
tests/golden/lint/scratch.json; ``test_scratch.py`` runs kelm on the same files.
"""

from __future__ import annotations

import os

CHART = "apiVersion: v2\nname: demo\nversion: 0.1.0\nicon: https://example.com/i.png\n"
DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: "{{ .Values.image }}"
"""


def chart(extra: dict[str, str] | None = None, chart_yaml: str = CHART,
          values: str | None = "image: nginx\n", prefix: str = "demo") -> dict[str, str]:
    files = {"Chart.yaml": chart_yaml, "templates/deploy.yaml": DEPLOY}
    if values is not None:
        files["values.yaml"] = values
    files.update(extra or {})
    return {f"{prefix}/{k}": v for k, v in files.items()}


def tgz(files: dict[str, str]) -> bytes:
    """A chart archive holding ``files`` (paths include the top directory)."""
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.USTAR_FORMAT) as tf:
        for name, text in sorted(files.items()):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 1_600_000_000, 0o644
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


CASES: dict[str, dict[str, object]] = {
    "clean": {"files": chart(), "args": ["demo"]},
    "clean-quiet": {"files": chart(), "args": ["demo", "--quiet"]},
    "no-icon-quiet": {"files": chart(chart_yaml="apiVersion: v2\nname: demo\nversion: 0.1.0\n"),
                      "args": ["demo", "--quiet"]},
    "no-values": {"files": chart(values=None), "args": ["demo"]},
    "no-templates": {"files": {"demo/Chart.yaml": CHART}, "args": ["demo"]},
    "chart-yaml-errors": {
        "files": chart(chart_yaml=(
            "apiVersion: v3\nname: demo\nversion: 1.0\nappVersion: 2\n"
            "icon: not a url\nsources: [\"nope\"]\ntype: library\n"
            "maintainers:\n  - name: x\n    email: bad\n  - email: a@b.c\n")),
        "args": ["demo"],
    },
    "chart-yaml-v1-deps": {
        "files": chart(chart_yaml=("apiVersion: v1\nname: demo\nversion: 0.1.0-rc.01\n"
                                   "type: application\ndependencies:\n  - name: sub\n"
                                   "    repository: file://../sub\n    version: 1.x\n")),
        "args": ["demo"],
    },
    "chart-yaml-syntax": {"files": chart(chart_yaml="name: [demo\n"), "args": ["demo"]},
    "chart-yaml-list": {"files": chart(chart_yaml="- a\n- b\n"), "args": ["demo"]},
    "chart-yaml-unknown": {
        "files": chart(chart_yaml=CHART + "engine: gotpl\nzzz: 1\nmaintainers:\n  - name: a\n"
                       "    mail: x\n"),
        "args": ["demo", "--strict"],
    },
    "chart-yaml-dup": {"files": chart(chart_yaml=CHART + "name: again\nversion: 0.2.0\n"),
                       "args": ["demo"]},
    "bad-name": {"files": chart(chart_yaml="apiVersion: v2\nname: a/b\nversion: 0.1.0\n"),
                 "args": ["demo"]},
    "values-syntax": {"files": chart(values="a: [1\n"), "args": ["demo"]},
    "values-list": {"files": chart(values="- 1\n"), "args": ["demo"]},
    "schema-fail": {
        "files": chart(extra={"values.schema.json": (
            '{"type":"object","required":["port"],'
            '"properties":{"image":{"type":"string"},"port":{"type":"integer"}}}')}),
        "args": ["demo"],
    },
    "schema-set": {
        "files": chart(extra={"values.schema.json": (
            '{"type":"object","properties":{"port":{"type":"integer"}}}')}),
        "args": ["demo", "--set", "port=abc"],
    },
    "schema-skip": {
        "files": chart(extra={"values.schema.json": '{"type":"object","required":["port"]}'}),
        "args": ["demo", "--skip-schema-validation"],
    },
    "render-error": {
        "files": chart(extra={"templates/bad.yaml": "x: {{ .Values.a.b.c }}\n"}),
        "args": ["demo"],
    },
    "parse-error": {
        "files": chart(extra={"templates/bad.yaml": "x: {{ nope }}\n"}), "args": ["demo"],
    },
    "required-lint-mode": {
        "files": chart(extra={"templates/req.yaml": (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"
            "data:\n  a: {{ required \"need a\" .Values.a | quote }}\n"
            "{{- if .Values.boom }}{{ fail \"boom\" }}{{ end }}\n")}),
        "args": ["demo", "--set", "boom=true"],
    },
    "yaml-error": {
        "files": chart(extra={"templates/bad.yaml": (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\n"
            "a: b\n  c: d\n: x\n"), "templates/zz.yaml": "kind: Service\nmetadata:\n  name: Bad\n"}),
        "args": ["demo"],
    },
    "yaml-separator": {
        "files": chart(extra={"templates/sep.yaml": "a: 1\n--- bad\nb: 2\n"}), "args": ["demo"],
    },
    "doc-not-mapping": {
        "files": chart(extra={"templates/list.yaml": "- a\n- b\n"}), "args": ["demo"],
    },
    "names": {
        "files": chart(extra={"templates/names.yaml": (
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1svc\n---\n"
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a.b\n---\n"
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: a/b%\n---\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Upper_Case\n---\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + "x" * 260 + "\n---\n"
            "apiVersion: v1\nkind: Secret\nmetadata:\n  generateName: x-\n---\n"
            "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\n"
            "metadata:\n  name: ANY\n")}),
        "args": ["demo"],
    },
    "deprecated": {
        "files": chart(extra={"templates/old.yaml": (
            "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: i\n---\n"
            "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\n---\n"
            "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: c\n---\n"
            "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\n"
            "metadata:\n  name: f\n---\n"
            "apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: t\n")}),
        "args": ["demo"],
    },
    "deprecated-kube-old": {
        "files": chart(extra={"templates/old.yaml": (
            "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: c\n---\n"
            "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: i\n")}),
        "args": ["demo", "--kube-version", "1.20.0"],
    },
    "bad-kube-version": {"files": chart(), "args": ["demo", "--kube-version", "x1"]},
    "no-selector": {
        "files": chart(extra={"templates/ds.yaml": (
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ds\nspec: {}\n")}),
        "args": ["demo"],
    },
    "indent-and-ext": {
        "files": chart(extra={"templates/indent.yaml": "\n  \n  a: 1\n",
                              "templates/data.json": "{}\n", "templates/noext": "x\n",
                              "templates/NOTES.txt": "hi\n", "templates/_h.tpl": ""}),
        "args": ["demo"],
    },
    "list-annotation": {
        "files": chart(extra={"templates/list.yaml": (
            "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n"
            "    metadata:\n      name: a\n      annotations:\n"
            "        helm.sh/resource-policy: keep\n")}),
        "args": ["demo"],
    },
    "namespace-flag": {
        "files": chart(extra={"templates/ns.yaml": (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"{{ .Release.Namespace }}\"\n")}),
        "args": ["demo", "-n", "Bad_NS"],
    },
    "values-file": {
        "files": chart(extra={"over.yaml": "image: \"\"\nname: Bad\n",
                              "templates/cm.yaml": (
                                  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                  "  name: {{ .Values.name | default \"ok\" }}\n")}),
        "args": ["demo", "-f", "demo/over.yaml"],
    },
    "subcharts": {
        "files": chart(
            chart_yaml=CHART + "dependencies:\n  - name: sub\n    version: 0.1.0\n"
            "  - name: gone\n    version: 1.0.0\n  - name: sub\n    version: 0.1.0\n",
            extra={"charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
                   "charts/sub/templates/cm.yaml": (
                       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Sub\n"),
                   "charts/extra/Chart.yaml": "apiVersion: v2\nname: extra\nversion: 1.0.0\n"}),
        "args": ["demo", "--with-subcharts"],
    },
    "crds": {
        "files": chart(extra={
            "crds/good.yaml": ("apiVersion: apiextensions.k8s.io/v1\n"
                               "kind: CustomResourceDefinition\nmetadata:\n  name: a.b.c\n"),
            "crds/bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
            "crds/broken.yaml": "a: [\n"}),
        "args": ["demo"],
    },
    "two-charts-strict": {
        "files": {**chart(prefix="one"),
                  **chart(chart_yaml="apiVersion: v2\nname: two\nversion: 1.0.0\n",
                          prefix="two")},
        "args": ["one", "two", "--strict"],
    },
    "tgz-path": {
        "files": {"demo-0.1.0.tgz": tgz(chart(extra={"templates/bad.yaml": (
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: Bad\n")},
            chart_yaml=CHART + "dependencies:\n  - name: gone\n    version: 1.0.0\n"))},
        "args": ["demo-0.1.0.tgz"],
    },
    "subcharts-tgz": {
        "files": {**chart(), "demo/charts/sub-0.1.0.tgz": tgz({
            "sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
            "sub/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: X\n"}),
            "demo/charts/nested/Chart.yaml": "apiVersion: v2\nname: nested\nversion: 1.0.0\n",
            "demo/charts/nested/charts/deep/Chart.yaml": (
                "apiVersion: v2\nname: deep\nversion: 1.0.0\n")},
        "args": ["demo", "--with-subcharts", "--quiet"],
    },
    "library": {
        "files": chart(chart_yaml=CHART + "type: library\n",
                       extra={"templates/_lib.tpl": "{{ define \"x\" }}a: 1{{ end }}\n"}),
        "args": ["demo"],
    },
    "json-and-crlf": {
        "files": chart(extra={
            "templates/j.yaml": '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "J"}}\n',
            "templates/crlf.yaml": "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n"
                                   "  name: Crlf\r\n---\r\nkind: Secret\r\n"}),
        "args": ["demo"],
    },
    "empty-docs": {
        "files": chart(extra={"templates/e.yaml": "---\n---\n# only a comment\n---\nnull\n",
                              "templates/blank.yaml": "{{- if false }}x{{ end }}\n"}),
        "args": ["demo"],
    },
    "strict-missing-value": {
        "files": chart(extra={"templates/m.yaml": (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n"
            "data:\n  a: \"{{ .Values.missing.deeper | default 1 }}\"\n")}),
        "args": ["demo", "--strict"],
    },
    "kube-version-capabilities": {
        "files": chart(extra={"templates/c.yaml": (
            "{{- if semverCompare \">=1.25-0\" .Capabilities.KubeVersion.GitVersion }}\n"
            "apiVersion: policy/v1\n{{- else }}\napiVersion: policy/v1beta1\n{{- end }}\n"
            "kind: PodDisruptionBudget\nmetadata:\n  name: p\n")}),
        "args": ["demo", "--kube-version", "v1.22.3"],
    },
    "missing-path": {"files": chart(), "args": ["demo", "nowhere"]},
    "not-a-chart": {"files": {"x/readme": "hi\n"}, "args": ["x"]},
    "no-args": {"files": chart(), "args": []},
    "bad-flag": {"files": chart(), "args": ["demo", "--nope"]},
    "bad-set": {"files": chart(), "args": ["demo", "--set", "a[=1"]},
}


def write_case(root: str, files: dict[str, object]) -> None:
    """Materialise a case's files (paths relative to ``root``)."""
    for rel, content in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = content if isinstance(content, bytes) else str(content).encode()
        with open(path, "wb") as fh:
            fh.write(data)

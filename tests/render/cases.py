"""Golden case definitions: small charts and the command lines run on them (see record.py)."""

from __future__ import annotations

from typing import Any

CHART = "apiVersion: v2\nname: {name}\nversion: 0.1.0\n"

# A chart exercising hooks, tests, CRDs, NOTES, kinds of every order class and capabilities.
BASIC: dict[str, str] = {
    "mychart/Chart.yaml": CHART.format(name="mychart") + "appVersion: \"1.0\"\n",
    "mychart/values.yaml": "replicas: 2\nname: demo\nlist: [1, 2]\nm:\n  a: 1\n  b: x\n",
    "mychart/crds/crd.yaml": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
    "metadata:\n  name: widgets.example.com\n",
    "mychart/templates/_helpers.tpl": '{{- define "mychart.name" -}}{{ .Chart.Name }}-{{ .Release.Name }}{{- end -}}\n',
    "mychart/templates/a.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
    "  name: {{ include \"mychart.name\" . }}\nspec:\n  replicas: {{ .Values.replicas }}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n"
    "  namespace: {{ .Release.Namespace }}\n",
    "mychart/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"
    "data:\n  upgrade: {{ .Release.IsUpgrade | quote }}\n  install: {{ .Release.IsInstall | quote }}\n"
    "  kube: {{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Version }}\n"
    "  minor: {{ .Capabilities.KubeVersion.Minor | quote }}\n"
    "  has: {{ .Capabilities.APIVersions.Has \"foo/v1\" | quote }}\n"
    "  values: {{ toJson .Values | quote }}\n"
    "  chart: {{ .Chart.Name }}-{{ .Chart.Version }}-{{ .Chart.AppVersion }}\n"
    "  template: {{ .Template.Name }} {{ .Template.BasePath }}\n",
    "mychart/templates/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n",
    "mychart/templates/widget.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"
    "---\n# only a comment\n---\n\n",
    "mychart/templates/hook.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pre\n"
    "  annotations:\n    \"helm.sh/hook\": pre-install,pre-upgrade\n    \"helm.sh/hook-weight\": \"-5\"\n",
    "mychart/templates/bogus-hook.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bogus\n"
    "  annotations:\n    helm.sh/hook: bogus\n",
    "mychart/templates/tests/t.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: test\n"
    "  annotations:\n    helm.sh/hook: test\n",
    "mychart/templates/NOTES.txt": "Thanks for installing {{ .Release.Name }}\n",
    "mychart/templates/empty.yaml": "{{- if false }}\nkind: X\n{{- end }}\n",
    "mychart/extra.yaml": "x: {{ .Values.name }}\n",
    "mychart/ci/extra-values.yaml": "replicas: 5\n",
}


def _case(name: str, files: dict[str, str], *args: str, stdin: str | None = None) -> dict[str, Any]:
    c: dict[str, Any] = {"name": name, "files": files, "args": list(args)}
    if stdin is not None:
        c["stdin"] = stdin
    return c


def _t(name: str, files: dict[str, str], *args: str, stdin: str | None = None) -> dict[str, Any]:
    return _case(name, files, "template", *args, stdin=stdin)


FLAGS = [
    _t("default", BASIC, "rel", "mychart"),
    _t("no-name", BASIC, "mychart"),
    _t("generate-name-with-template", BASIC, "mychart", "-g"),
    _t("name-template", BASIC, "mychart", "--name-template", "{{ \"abc\" | upper | lower }}-x"),
    _t("namespace", BASIC, "rel", "mychart", "-n", "other"),
    _t("namespace-long", BASIC, "rel", "mychart", "--namespace=other"),
    _t("include-crds", BASIC, "rel", "mychart", "--include-crds"),
    _t("skip-crds", BASIC, "rel", "mychart", "--skip-crds", "--include-crds"),
    _t("skip-tests", BASIC, "rel", "mychart", "--skip-tests"),
    _t("no-hooks", BASIC, "rel", "mychart", "--no-hooks"),
    _t("is-upgrade", BASIC, "rel", "mychart", "--is-upgrade"),
    _t("kube-version", BASIC, "rel", "mychart", "--kube-version", "v1.30.0-rc.1"),
    _t("kube-version-short", BASIC, "rel", "mychart", "--kube-version", "1.20"),
    _t("kube-version-bad", BASIC, "rel", "mychart", "--kube-version", "abc"),
    _t("api-versions", BASIC, "rel", "mychart", "--api-versions", "foo/v1,bar/v2", "-a", "x/v1"),
    _t("show-only", BASIC, "rel", "mychart", "--show-only", "templates/a.yaml"),
    _t("show-only-glob", BASIC, "rel", "mychart", "-s", "templates/*.yaml", "-s", "templates/tests/t.yaml"),
    _t("show-only-missing", BASIC, "rel", "mychart", "-s", "templates/nope.yaml"),
    _t("values-file", BASIC, "rel", "mychart", "-f", "mychart/ci/extra-values.yaml"),
    _t("values-stdin", BASIC, "rel", "mychart", "-f", "-", stdin="name: fromstdin\n"),
    _t("set-family", BASIC, "rel", "mychart", "--set", "a=1,b=1.5,c=true,d=null,e=010",
       "--set-string", "s=5", "--set-json", "j={\"k\":[1,2]}", "--set-literal", "l=a,b=c",
       "--set-file", "f=mychart/extra.yaml"),
    _t("set-order", BASIC, "rel", "mychart", "--set-string", "a=9", "--set", "a=8",
       "--set-json", "a=3"),
    _t("set-list-index", BASIC, "rel", "mychart", "--set", "list[0]=9,m.c[1].d=x"),
    _t("set-null-deletes", BASIC, "rel", "mychart", "--set", "m.a=null,replicas=null,zz=null"),
    _t("set-error", BASIC, "rel", "mychart", "--set", "a"),
    _t("description", BASIC, "rel", "mychart", "--description", "hello"),
    _t("interspersed", BASIC, "--set", "replicas=3", "rel", "--no-hooks", "mychart"),
    _t("dry-run-client", BASIC, "rel", "mychart", "--dry-run=client"),
    _t("dry-run-none", BASIC, "rel", "mychart", "--dry-run=none"),
    _t("too-many-args", BASIC, "a", "mychart", "c"),
    _t("no-args", BASIC),
    _t("unknown-flag", BASIC, "rel", "mychart", "--bogus"),
    _t("missing-chart", BASIC, "rel", "./nope"),
    _t("validate", BASIC, "rel", "mychart", "--validate"),
    _t("debug", BASIC, "rel", "mychart", "--debug"),
    _t("output-dir", BASIC, "rel", "mychart", "--output-dir", "out"),
    _t("output-dir-release-name", BASIC, "rel", "mychart", "--output-dir", "out", "--release-name"),
    _t("bad-release-name", BASIC, "Bad_Name", "mychart"),
    _t("dependency-update-file", {
        "p/Chart.yaml": CHART.format(name="p") + "dependencies:\n- name: dep\n  version: 0.1.0\n"
        "  repository: file://../dep\n",
        "p/templates/p.yaml": "kind: P\n",
        "dep/Chart.yaml": CHART.format(name="dep"),
        "dep/templates/d.yaml": "kind: D\n"}, "r", "p", "--dependency-update"),
    _t("dependency-missing", {
        "p/Chart.yaml": CHART.format(name="p") + "dependencies:\n- name: dep\n  version: 0.1.0\n"
        "  repository: file://../dep\n",
        "p/templates/p.yaml": "kind: P\n"}, "r", "p"),
]

SUB = {
    "p/Chart.yaml": CHART.format(name="p")
    + "dependencies:\n"
    "- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n  import-values:\n"
    "  - data\n  - child: exports.deep\n    parent: imported\n"
    "- name: sub\n  alias: aliased\n  version: \">=0.1.0\"\n  tags: [t1]\n"
    "- name: other\n  version: 0.1.0\n  condition: nonexistent.x,other.flag\n",
    "p/values.yaml": "global:\n  g1: parent\n  gm:\n    a: 1\nsub:\n  enabled: true\n"
    "  v: from-parent\n  list: [9]\nimported:\n  keep: parent\nother:\n  flag: true\n",
    "p/templates/p.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\ndata:\n"
    "  values: {{ toJson .Values | quote }}\n  subcharts: {{ keys .Subcharts | sortAlpha | join \",\" }}\n"
    "  shared: {{ include \"shared\" . }}\n  chart: {{ toJson .Chart.Dependencies | quote }}\n",
    "p/templates/_shared.tpl": '{{ define "shared" }}from-parent{{ end }}',
    "p/charts/sub/Chart.yaml": CHART.format(name="sub"),
    "p/charts/sub/values.yaml": "v: sub-default\nd: sub-only\nlist: [1, 2]\nglobal:\n  g1: sub\n"
    "  g2: child-only\n  gm:\n    b: 2\nexports:\n  data:\n    exported: yes-data\n"
    "  deep:\n    k1: v1\n    keep: child\n",
    "p/charts/sub/templates/s.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
    "  name: {{ .Chart.Name }}\ndata:\n  values: {{ toJson .Values | quote }}\n"
    "  shared: {{ include \"shared\" . }}\n  root: {{ .Chart.IsRoot | quote }}\n"
    "  template: {{ .Template.Name }}\n",
    "p/charts/sub/templates/_shared.tpl": '{{ define "shared" }}from-sub{{ end }}',
    "p/charts/other/Chart.yaml": CHART.format(name="other"),
    "p/charts/other/templates/o.yaml": "kind: Other\nname: o\n",
}

VALUES = [
    _t("subcharts", SUB, "r", "p"),
    _t("condition-off", SUB, "r", "p", "--set", "sub.enabled=false"),
    _t("condition-null", SUB, "r", "p", "--set", "sub.enabled=null"),
    _t("tags-off", SUB, "r", "p", "--set", "tags.t1=false"),
    _t("other-flag-off", SUB, "r", "p", "--set", "other.flag=false"),
    _t("global-null", SUB, "r", "p", "--set", "global.g1=null"),
    _t("set-subchart", SUB, "r", "p", "--set", "sub.v=cli,aliased.v=alias-cli"),
    _t("file-null", SUB, "r", "p", "-f", "-", stdin="sub:\n  d: null\n  e: null\nimported: null\n"),
]

ERRORS_CHART = {
    "e/Chart.yaml": CHART.format(name="e"),
    "e/values.yaml": "a: 1\n",
}


def _err(name: str, template: str, *args: str) -> dict[str, Any]:
    files = dict(ERRORS_CHART)
    files["e/templates/x.yaml"] = template
    return _t(name, files, "r", "e", *args)


def _twins(second_values: str) -> dict[str, str]:
    """An umbrella of two subcharts with identical templates; only their values differ."""
    files = {"c/Chart.yaml": CHART.format(name="c")}
    for sub in ("s1", "s2"):
        files[f"c/charts/{sub}/Chart.yaml"] = CHART.format(name=sub)
        files[f"c/charts/{sub}/templates/_h.tpl"] = (
            '{{- define "h.x" -}}{{ index .Values.m "k" | required "need k" }}{{- end -}}\n')
        files[f"c/charts/{sub}/templates/cm.yaml"] = (
            'a: {{ include "h.x" . }}\nb: {{ index .Values.list 3 }}\n')
    files["c/charts/s1/values.yaml"] = "m: {k: v}\nlist: [1, 2, 3, 4]\n"
    files["c/charts/s2/values.yaml"] = second_values
    return files


ERRORS = [
    _err("parse-unknown-func", "a: 1\n{{ nope }}\n"),
    _err("parse-unclosed", "a: {{ .Values.a.b.c }\n"),
    _err("nil-pointer", "a: {{ .Values.x.b }}\n"),
    _err("cant-evaluate", "a: {{ .Values.a.b }}\n"),
    _err("required", "a: 1\nb: {{ required \"need b\" .Values.b }}\n"),
    _err("fail", "{{ fail \"boom\" }}\n"),
    _err("div-zero", "a: {{ div 1 0 }}\n"),
    _err("include-nested", "{{ define \"t\" }}{{ .Values.x.b }}{{ end }}a: {{ include \"t\" . }}\n"),
    _err("include-missing", "a: {{ include \"nope\" . }}\n"),
    _err("tpl-error", "a: {{ tpl \"{{ .Values.x.b }}\" . }}\n"),
    _err("tpl-parse", "a: {{ tpl \"{{ \" . }}\n"),
    _err("invalid-yaml", "a: b: c\n"),
    _err("not-a-mapping", "- a\n- b\n"),
    _err("no-value", "a: [{{ .Values.missing }}]\nb: \"<no value>\"\n"),
    _err("required-in-include",
         "{{ define \"t\" }}{{ required \"inner\" .Values.x }}{{ end }}a: {{ include \"t\" . }}\n"),
    _err("debug-invalid-yaml", "a: b: c\n", "--debug"),
    _err("unknown-alias", "apiVersion: v1\nkind: {{ \"*x\" }}\n"),
    _err("alias-known", "a: &x [1]\nb: *x\nc: '*/5 * *'\n"),
    # identical subcharts share one parse and compiled code: errors still name their file
    _t("same-text-exec-error", _twins("m: {k: v}\nlist: [1]\n"), "r", "c"),
    _t("same-text-include-error", _twins("m: {}\nlist: [1, 2, 3, 4]\n"), "r", "c"),
    _t("same-text-ok", _twins("m: {k: w}\nlist: [5, 6, 7, 8]\n"), "r", "c"),
]

INSTALL = [
    _case("install-dry-run", BASIC, "install", "rel", "mychart", "--dry-run"),
    _case("install-dry-run-debug", BASIC, "install", "rel", "mychart", "--dry-run=client", "--debug",
          "--set", "x=1"),
    _case("install-no-cluster", BASIC, "install", "rel", "mychart"),
    _case("install-subcharts", SUB, "install", "r", "p", "--dry-run=client", "--debug"),
    _case("install-hide-notes", BASIC, "install", "rel", "mychart", "--dry-run=client",
          "--hide-notes", "-n", "x"),
    # --render-subchart-notes: Helm joins the notes in random (map) order, not recorded
    _case("install-dry-run-true", BASIC, "install", "rel", "mychart", "--dry-run=true"),
    _case("install-generate-name-error", BASIC, "install", "rel", "mychart", "-g", "--dry-run"),
    _case("install-render-error", ERRORS_CHART | {"e/templates/x.yaml": "{{ fail \"no\" }}"},
          "install", "r", "e", "--dry-run"),
]

GROUPS: dict[str, list[dict[str, Any]]] = {
    "flags": FLAGS,
    "values": VALUES,
    "errors": ERRORS,
    "install": INSTALL,
}

SCOPE = {
    "s/Chart.yaml": CHART.format(name="s") + "dependencies:\n- name: lib\n  version: 0.1.0\n"
    "- name: child\n  version: 0.1.0\n",
    "s/values.yaml": "t: \"hi {{ .Values.name }}\"\nname: world\nbig: 1000000\nf: 1.5\n",
    "s/files/a.txt": "hello\nworld\n",
    "s/files/sub/b.conf": "k=v",
    "s/files/c.json": "{\"x\": 1}\n",
    "s/templates/x.yaml": "# {{ .Chart }}\n# {{ .Release }}\n# {{ .Template }}\n"
    "# {{ .Capabilities.KubeVersion }} {{ .Capabilities.HelmVersion }}\n"
    "# {{ .Files.Get \"files/a.txt\" | quote }} {{ .Files.GetBytes \"files/sub/b.conf\" }}\n"
    "# {{ .Files.Lines \"files/a.txt\" }} {{ len (.Files.Lines \"files/a.txt\") }}\n"
    "# {{ range $k, $v := .Files.Glob \"files/**\" }}{{ $k }},{{ end }}\n"
    "# {{ .Files.Get \"Chart.yaml\" | quote }} {{ .Files.Get \"templates/x.yaml\" | quote }}\n"
    "# {{ tpl .Values.t . }} {{ tpl \"{{ .Template.Name }}|{{ .Template.BasePath }}\" . }}\n"
    "# {{ tpl \"{{ define \\\"q\\\" }}Q{{ end }}{{ include \\\"q\\\" . }}\" . }}\n"
    "# {{ .Values.big }} {{ .Values.f }} {{ typeOf .Values.big }} {{ kindOf .Values }}\n"
    "# {{ lookup \"v1\" \"Pod\" \"ns\" \"x\" }} {{ keys .Subcharts | sortAlpha }}\n"
    "# {{ .Subcharts.child.Values.cv }} {{ include \"lib.hello\" . }}\n"
    "# {{ typeOf .Files }} {{ typeOf .Capabilities.APIVersions }} {{ .Capabilities.APIVersions.Has \"apps/v1\" }}\n"
    "cfg:\n{{ (.Files.Glob \"files/*\").AsConfig | indent 2 }}\n"
    "sec:\n{{ (.Files.Glob \"files/sub/*\").AsSecrets | indent 2 }}\n",
    "s/charts/lib/Chart.yaml": CHART.format(name="lib") + "type: library\n",
    "s/charts/lib/templates/_h.tpl": '{{ define "lib.hello" }}hello-from-lib{{ end }}',
    "s/charts/lib/templates/ignored.yaml": "kind: NotRendered\n",
    "s/charts/child/Chart.yaml": CHART.format(name="child"),
    "s/charts/child/values.yaml": "cv: child-value\n",
    "s/charts/child/templates/c.yaml": "# {{ .Chart.IsRoot }} {{ .Chart }}\n",
}

GROUPS["scope"] = [
    _t("scope", SCOPE, "r", "s"),
    _t("scope-set", SCOPE, "r", "s", "--set", "big=1000000,f=1.5", "--kube-version", "1.29.3"),
    _case("library-not-installable", {
        "l/Chart.yaml": CHART.format(name="l") + "type: library\n"}, "template", "r", "l"),
    _case("missing-dependency", {
        "m/Chart.yaml": CHART.format(name="m") + "dependencies:\n- name: gone\n  version: 1.0.0\n"},
        "template", "r", "m"),
    _case("schema-fail", {
        "v/Chart.yaml": CHART.format(name="v"),
        "v/values.yaml": "port: \"80\"\nname: null\n",
        "v/values.schema.json": '{"type": "object", "required": ["port", "image"], '
        '"properties": {"port": {"type": "integer"}, "name": {"type": "string"}}}',
        "v/templates/x.yaml": "a: 1\n"}, "template", "r", "v"),
    _case("schema-ok-with-set", {
        "v/Chart.yaml": CHART.format(name="v"),
        "v/values.yaml": "port: 80\n",
        "v/values.schema.json": '{"type": "object", "properties": {"port": {"type": "integer", '
        '"minimum": 1}}}',
        "v/templates/x.yaml": "a: {{ .Values.port }}\n"}, "template", "r", "v", "--set", "port=8080"),
    _case("kube-version-constraint", {
        "k/Chart.yaml": CHART.format(name="k") + "kubeVersion: \">=1.40.0\"\n",
        "k/templates/x.yaml": "a: 1\n"}, "template", "r", "k"),
]

# One top-level map per chart, shared by its templates in Helm's render order (deepest path
# first, then reverse byte order): `set $` in one template is seen by those rendered later.
SHARED_TOP = {
    "p/Chart.yaml": CHART.format(name="p") + "dependencies:\n- name: sub\n  version: 0.1.0\n",
    "p/values.yaml": "x: 1\nsub:\n  y: 2\n",
    "p/templates/_helpers.tpl": '{{- define "p.k" }}h={{ .k }}{{ end }}'
    '{{- define "p.set" }}{{ $_ := set . "fromHelper" "yes" }}{{ end }}\n',
    "p/templates/z.yaml": '{{- $_ := set $ "k" "from-z" }}{{ $_ := set .Values "vk" "vz" }}'
    '{{ include "p.set" $ }}\n# z: k={{ $.k }} sk={{ $.sk }} deep={{ $.deep }}\n',
    "p/templates/m.yaml": '# m: k={{ $.k }} {{ include "p.k" . }} tpl={{ tpl "{{ .k }}" . }}'
    " keys={{ keys $ | sortAlpha }} helper={{ .fromHelper }}\n"
    "# m: sub={{ .Subcharts.sub.sk }} {{ .Subcharts.sub.Template.Name }} {{ typeOf $ }}"
    " {{ typeOf .Subcharts.sub }} vk={{ .Values.vk }} subvals={{ .Values.sub }}\n",
    "p/templates/a.yaml": "# a: k={{ $.k }} T={{ .Template.Name }} deep={{ $.deep }}"
    " tplset={{ tpl \"{{ $_ := set $ \\\"viaTpl\\\" 1 }}\" $ }}{{ $.viaTpl }}\n",
    "p/templates/_last.tpl": "",
    "p/templates/NOTES.txt": "notes k={{ $.k }} sk={{ $.sk }} a={{ .viaTpl }}\n",
    "p/templates/d1/d2/d3/deep.yaml": '{{- $_ := set $ "deep" "D" }}{{ $_ := set .Values.sub "fromParent" "P" }}'
    "# deep: k={{ $.k }}\n",
    "p/charts/sub/Chart.yaml": CHART.format(name="sub"),
    "p/charts/sub/templates/s.yaml": '{{- $_ := set $ "sk" "from-sub" }}'
    "# s: k={{ $.k }} sk={{ $.sk }} vk={{ .Values.vk }} fp={{ .Values.fromParent }}\n",
    "p/charts/sub/templates/t.yaml": "# t: sk={{ $.sk }} deep={{ $.deep }}\n",
}

# Keys colliding with the built-in objects: replacing .Values/.Release/.Chart on `$` changes
# what later templates see; .Template is reset for every template.
SHARED_COLLIDE = {
    "q/Chart.yaml": CHART.format(name="q"),
    "q/values.yaml": "a: orig\n",
    "q/templates/z.yaml": '{{- $_ := set $ "Values" (dict "a" "replaced") }}'
    '{{ $_ := set $ "Release" (dict "Name" "other") }}{{ $_ := set $ "Chart" (dict "Name" "nc") }}'
    '{{ $_ := set $ "Template" (dict "Name" "t") }}# z: {{ .Values.a }}\n',
    "q/templates/y.yaml": "# y: {{ .Values.a }} {{ .Release.Name }} {{ .Chart.Name }}"
    " {{ .Template.Name }} {{ typeOf .Values }}\n",
    "q/templates/b.yaml": '{{- $_ := unset $ "Values" }}# b: {{ .Template.Name }}\n',
    "q/templates/a.yaml": "# a: [{{ .Values }}] {{ .Release.Name }}\n",
}

GROUPS["shared_top"] = [
    _t("shared-top", SHARED_TOP, "r", "p"),
    _case("shared-top-install", SHARED_TOP, "install", "r", "p", "--dry-run=client"),
    _t("shared-top-collide", SHARED_COLLIDE, "r", "q"),
]

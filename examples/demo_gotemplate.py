"""Go text/template in Python: the engine behind ``kelm template``.

Shows Go's value semantics (float64 vs int printing, sorted maps), control structures,
template sets with ``define``/``template``, and Go's exact error messages.
"""

from kelm.gotemplate import TemplateError, TemplateSet, render

values = {"replicas": 3.0, "big": 1000000.0, "ports": [80.0, 443.0], "labels": {"b": "2", "a": "1"}}

print(render(
    "replicas: {{ .replicas }} big: {{ .big }} labels: {{ .labels }}\n"
    "{{- range $i, $p := .ports }}\nport{{ $i }}: {{ $p }}{{ end }}\n"
    "{{ range 3 }}{{ . }}{{ end }} {{ and 1 0 2 }} {{ or 0 \"\" \"x\" }} {{ printf \"%05.1f\" 3.14159 }}",
    values))

ts = TemplateSet(missingkey="zero")
ts.parse("helpers.tpl", '{{ define "name" }}{{ .app | printf "%s-svc" }}{{ end }}')
ts.parse("svc.yaml", 'name: {{ template "name" . }}')
print(ts.execute("svc.yaml", {"app": "web"}))

for text in ['{{ eq .replicas 1 }}', "{{ .labels.a.b }}", "{{ if }}", '{{ template "nope" . }}']:
    try:
        render(text, values, missingkey="zero")
    except TemplateError as e:
        print(e)

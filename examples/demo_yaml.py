"""kelm.yaml: YAML/JSON the way Helm's Go code writes and reads it."""

from kelm.yaml import YAMLError, dump_json, dump_v2, dump_v3, load_helm

values = load_helm("""\
replicas: 3          # every number becomes float64, as in Helm
enabled: yes         # YAML 1.1 boolean
n: off               # keys too: "n" becomes "false"
image: {tag: "1.0", pullPolicy: n}
note: "line one\\nline two\\n"
""")
print("load_helm ->", values)
print("toYaml (go-yaml v2):")
print(dump_v2(values), end="")
print("toYamlPretty (go-yaml v3):")
print(dump_v3({"list": [1.5, {"a": "b"}], "big": 1e6}), end="")
print("toJson:", dump_json({"html": "<a&b>", "f": 1e21, "small": 1e-7}))
try:
    load_helm("a: 1\nb: [1\n")
except YAMLError as e:
    print("error:", e)

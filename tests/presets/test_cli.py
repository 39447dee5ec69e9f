"""``kelm preset`` subcommands on files, directories and stdin."""

from __future__ import annotations

import base64
import pathlib

import yaml

from tests.cli.runner import invoke as invoke_kelm

EXAMPLES = pathlib.Path(__file__).parents[2] / "examples" / "presets"
ANN = "podpreset.admission.kubernetes.io/podpreset-allow-database"


def invoke(*args: str, input: str | None = None):
    return invoke_kelm(["preset", *args], input=input)


def test_apply_example_directory():
    res = invoke("apply", "-f", str(EXAMPLES))
    assert res.exit_code == 0, res.output
    docs = list(yaml.safe_load_all(res.stdout))
    assert len(docs) == 1  # presets are consumed, not printed
    pod = docs[0]
    assert pod["metadata"]["annotations"][ANN].startswith("sha256-")
    c = pod["spec"]["containers"][0]
    assert c["env"] == [{"name": "DB_PORT", "value": "6379"}]
    assert c["envFrom"] == [{"configMapRef": {"name": "shop-settings"}}]
    assert c["volumeMounts"] == [{"mountPath": "/cache", "name": "cache-volume"}]
    assert pod["spec"]["volumes"] == [{"emptyDir": {}, "name": "cache-volume"}]


def test_apply_stdin_multi_doc_and_namespace_flag(tmp_path):
    (tmp_path / "p.yaml").write_text(
        "kind: PodPreset\napiVersion: settings.k8s.io/v1alpha1\nmetadata: {name: p}\n"
        "spec: {env: [{name: A, value: '1'}]}\n"
    )
    manifests = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
        "spec: {template: {metadata: {labels: {a: b}}, spec: {containers: [{name: x}]}}}\n"
    )
    res = invoke("apply", "-f", str(tmp_path / "p.yaml"), "-f", "-", "-n", "team", input=manifests)
    assert res.exit_code == 0, res.output
    cm, dep = yaml.safe_load_all(res.stdout)
    assert cm["kind"] == "ConfigMap"
    assert dep["spec"]["template"]["spec"]["containers"][0]["env"] == [{"name": "A", "value": "1"}]


def test_apply_conflict_warns_and_optionally_fails(tmp_path):
    (tmp_path / "p.yaml").write_text((EXAMPLES / "allow-database.yaml").read_text())
    (tmp_path / "pod.yaml").write_text(
        (EXAMPLES / "website.yaml").read_text() + "    env: [{name: DB_PORT, value: '1'}]\n"
    )
    res = invoke("apply", "-f", str(tmp_path))
    assert res.exit_code == 0
    assert "warning: Pod shop/website: conflict between matching presets" in res.stderr
    pod = yaml.safe_load(res.stdout)
    assert "annotations" not in pod["metadata"]
    assert invoke("apply", "-f", str(tmp_path), "--fail-on-conflict").exit_code == 2


def test_invalid_preset_names_file_and_line(tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "kind: ConfigMap\nmetadata: {name: x}\n---\n"
        "apiVersion: settings.k8s.io/v1alpha1\nkind: PodPreset\nmetadata: {name: p}\n"
        "spec:\n  volumeMounts: [{name: nope, mountPath: /x}]\n  env: [{name: A}, {name: A}]\n"
    )
    res = invoke("apply", "-f", str(tmp_path / "bad.yaml"))
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    assert lines[0].startswith(f"Error: {tmp_path / 'bad.yaml'}:4: invalid PodPreset p: ")
    assert "  - spec.env[1].name: duplicate env name 'A'" in lines
    assert "  - spec.volumeMounts[0].name: volume 'nope' is not declared in spec.volumes" in lines
    assert "Traceback" not in res.output


def test_yaml_syntax_error_and_missing_file(tmp_path):
    (tmp_path / "broken.yaml").write_text("a: b\nc: [\n")
    res = invoke("apply", "-f", str(tmp_path / "broken.yaml"))
    assert res.exit_code == 1 and res.stderr.startswith(f"Error: {tmp_path / 'broken.yaml'}:")
    assert "invalid YAML" in res.stderr
    res = invoke("apply", "-f", str(tmp_path / "missing"))
    assert res.exit_code == 1 and "no such file or directory" in res.stderr


def test_duplicate_presets_across_files(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text((EXAMPLES / "allow-database.yaml").read_text())
    res = invoke("apply", "-f", str(tmp_path))
    assert res.exit_code == 1
    assert "duplicate PodPreset shop/allow-database" in res.stderr
    assert res.stderr.startswith(f"Error: {tmp_path / 'b.yaml'}:3: ")
    assert f"(first defined at {tmp_path / 'a.yaml'}:3)" in res.stderr


def test_explain():
    res = invoke("explain", "-f", str(EXAMPLES))
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[:2] == [
        "1 preset(s); 1 pod(s)/template(s): 1 applied",
        "(+ added, = already present)",
    ]
    assert "container website: +env DB_PORT, +mount cache-volume at /cache, " \
           "+envFrom configMapRef shop-settings" in res.stdout


def test_crd():
    res = invoke("crd")
    assert res.exit_code == 0
    crd = yaml.safe_load(res.stdout)
    assert crd["kind"] == "CustomResourceDefinition"
    assert crd["metadata"]["name"] == "podpresets.settings.k8s.io"
    assert crd["metadata"]["annotations"]["api-approved.kubernetes.io"].startswith("unapproved")
    spec = crd["spec"]
    assert spec["scope"] == "Namespaced"
    assert spec["names"] == {"kind": "PodPreset", "listKind": "PodPresetList",
                             "plural": "podpresets", "singular": "podpreset"}
    version = spec["versions"][0]
    assert (version["name"], version["served"], version["storage"]) == ("v1alpha1", True, True)
    props = version["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
    assert set(props) == {"selector", "env", "envFrom", "volumes", "volumeMounts"}
    own = yaml.safe_load(invoke("crd", "--group", "presets.example.com").stdout)
    assert "annotations" not in own["metadata"]


def test_crd_schema_accepts_the_example_preset():
    import jsonschema

    crd = yaml.safe_load(invoke("crd").stdout)
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    doc = yaml.safe_load((EXAMPLES / "allow-database.yaml").read_text())
    jsonschema.validate(doc, schema)


def test_webhook_config(tmp_path):
    from cryptography import x509

    res = invoke("webhook-config", "--namespace", "presets", "--cert-dir", str(tmp_path))
    assert res.exit_code == 0, res.output
    mwc, svc, secret = yaml.safe_load_all(res.stdout)
    hook = mwc["webhooks"][0]
    assert mwc["kind"] == "MutatingWebhookConfiguration"
    assert hook["failurePolicy"] == "Ignore" and hook["sideEffects"] == "None"
    assert hook["rules"] == [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"],
                              "resources": ["pods"], "scope": "Namespaced"}]
    assert hook["admissionReviewVersions"] == ["v1"]
    assert hook["clientConfig"]["service"] == {"name": "kelm-podpreset", "namespace": "presets",
                                               "path": "/mutate", "port": 443}
    assert svc["spec"]["ports"][0]["targetPort"] == 8443
    assert secret["type"] == "kubernetes.io/tls"
    ca_pem = base64.b64decode(hook["clientConfig"]["caBundle"])
    assert ca_pem == base64.b64decode(secret["data"]["ca.crt"]) == (tmp_path / "ca.crt").read_bytes()
    ca = x509.load_pem_x509_certificate(ca_pem)
    cert = x509.load_pem_x509_certificate(base64.b64decode(secret["data"]["tls.crt"]))
    cert.verify_directly_issued_by(ca)
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "kelm-podpreset.presets.svc" in sans.get_values_for_type(x509.DNSName)
    assert invoke("webhook-config", "--failure-policy", "Fail").exit_code == 0


def test_apply_keeps_timestamps_and_other_docs_verbatim_values(tmp_path):
    (tmp_path / "m.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {released: 2020-01-01}}\n"
        "data: {ratio: '1.5'}\n"
    )
    (tmp_path / "p.yaml").write_text((EXAMPLES / "allow-database.yaml").read_text())
    res = invoke("apply", "-f", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert "released: \"2020-01-01\"" in res.stdout
    assert yaml.safe_load(res.stdout)["data"] == {"ratio": "1.5"}


def test_apply_without_presets_warns():
    res = invoke("apply", "-f", str(EXAMPLES / "website.yaml"))
    assert res.exit_code == 0
    assert res.stderr == "warning: no PodPreset found in the inputs\n"
    assert yaml.safe_load(res.stdout)["metadata"]["name"] == "website"


def test_explain_json():
    import json

    res = invoke("explain", "-f", str(EXAMPLES), "-o", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["presets"] == ["shop/allow-database"]
    (obj,) = data["objects"]
    assert (obj["kind"], obj["name"], obj["status"], obj["applied"]) == (
        "Pod", "website", "applied", ["allow-database"])
    assert {"preset": "allow-database", "target": "container website", "field": "env",
            "item": "DB_PORT", "added": True} in obj["changes"]

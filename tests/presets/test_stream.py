"""Presets over rendered manifest text, as ``kelm template --preset`` uses them."""

from __future__ import annotations

import yaml

from kelm.presets.stream import apply_to_documents, apply_to_stream

from .conftest import ALLOW_DATABASE, preset

STREAM = """---
# Source: web/templates/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
---
# Source: web/templates/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        role: frontend
    spec:
      containers:
      - name: web
        image: "nginx:1.0"
"""


def test_only_changed_documents_are_re_emitted():
    p = preset("allow-database", ALLOW_DATABASE, rv="101")
    out, result = apply_to_stream([p], STREAM, namespace="shop")
    head, deploy = out.split("# Source: web/templates/deploy.yaml\n")
    assert head == STREAM.split("# Source: web/templates/deploy.yaml\n")[0]  # byte-identical
    doc = yaml.safe_load(deploy)
    tpl = doc["spec"]["template"]
    assert tpl["metadata"]["annotations"] == {
        "podpreset.admission.kubernetes.io/podpreset-allow-database": "101"
    }
    assert tpl["spec"]["containers"][0]["env"] == [{"name": "DB_PORT", "value": "6379"}]
    assert deploy.startswith("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n")
    assert [r.status for r in result.reports] == ["not-a-pod", "applied"]


def test_stream_unchanged_when_nothing_matches():
    p = preset("allow-database", ALLOW_DATABASE, rv="101")
    out, result = apply_to_stream([p], STREAM, namespace="other")
    assert out == STREAM and not result.changed


def test_documents_api_keeps_unparsable_text():
    p = preset("allow-database", ALLOW_DATABASE, rv="101")
    texts = ["a: [unclosed\n", "kind: ConfigMap\nmetadata: {name: c}\n"]
    out, result = apply_to_documents([p], texts, namespace="shop")
    assert out == texts and [r.status for r in result.reports] == ["not-a-pod", "not-a-pod"]

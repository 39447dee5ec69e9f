"""Invalid presets are rejected with every problem named."""

from __future__ import annotations

import pytest

from kelm.presets import PresetError, parse_preset

from .conftest import preset


def problems(spec: str, **kw) -> list[str]:
    with pytest.raises(PresetError) as info:
        parse_preset(preset(kw.pop("name", "p"), spec, **kw), source="presets/p.yaml:3")
    err = info.value
    assert str(err).startswith("presets/p.yaml:3: invalid PodPreset ")
    return err.problems


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("selector: {matchExpressions: [{key: a, operator: Maybe}]}\nenv: [{name: A}]",
         "spec.selector.matchExpressions[0].operator: 'Maybe' is not one of In, NotIn, Exists, DoesNotExist"),
        ("selector: {matchExpressions: [{key: a, operator: In}]}\nenv: [{name: A}]",
         "spec.selector.matchExpressions[0].values: operator In needs at least one value"),
        ("selector: {matchExpressions: [{key: a, operator: Exists, values: [x]}]}\nenv: [{name: A}]",
         "spec.selector.matchExpressions[0].values: operator Exists takes no values"),
        ("selector: {matchLabels: {'bad key!': x}}\nenv: [{name: A}]",
         "spec.selector.matchLabels: label key 'bad key!' is invalid"),
        ("selector: {matchLabel: {a: b}}\nenv: [{name: A}]", "spec.selector: unknown field 'matchLabel'"),
        ("selector: [a]\nenv: [{name: A}]", "spec.selector: must be a mapping, got a list"),
        ("env: [{name: A, value: '1'}, {name: A, value: '2'}]", "spec.env[1].name: duplicate env name 'A'"),
        ("env: [{name: A, value: 1}]", "spec.env[0].value: must be a string"),
        ("env: [{name: 'A=B'}]", "spec.env[0].name: 'A=B' is not a valid environment variable name"),
        ("env: [{name: A, value: x, valueFrom: {fieldRef: {fieldPath: a}}}]",
         "spec.env[0]: value and valueFrom are mutually exclusive"),
        ("volumes: [{name: v, emptyDir: {}}, {name: v, emptyDir: {}}]",
         "spec.volumes[1].name: duplicate volume name 'v'"),
        ("volumes: [{name: v, emptyDir: {}, hostPath: {path: /x}}]",
         "spec.volumes[0]: more than one volume source (emptyDir, hostPath)"),
        ("volumes: [{name: v, bogus: {}}]", "spec.volumes[0]: unknown volume source 'bogus'"),
        ("volumes: [{name: V_1}]", "spec.volumes[0].name: 'V_1' is not a valid volume name"),
        ("volumeMounts: [{name: missing, mountPath: /m}]",
         "spec.volumeMounts[0].name: volume 'missing' is not declared in spec.volumes"),
        ("volumes: [{name: a}, {name: b}]\nvolumeMounts: [{name: a, mountPath: /m}, {name: b, mountPath: /m}]",
         "spec.volumeMounts[1].mountPath: duplicate mount path '/m'"),
        ("volumes: [{name: a}]\nvolumeMounts: [{name: a, mountPath: /m}, {name: a, mountPath: /n}]",
         "spec.volumeMounts[1].name: volume 'a' is mounted twice"),
        ("volumes: [{name: a}]\nvolumeMounts: [{name: a}]", "spec.volumeMounts[0].mountPath: required"),
        ("envFrom: [{configMapRef: {name: c}, secretRef: {name: s}}]",
         "spec.envFrom[0]: must set exactly one of configMapRef, secretRef"),
        ("envFrom: [{secretRef: {name: s}}, {secretRef: {name: s}}]",
         "spec.envFrom[1]: duplicate envFrom source secretRef 's'"),
        ("selector: {}", "spec: must set at least one of env, envFrom, volumes, volumeMounts"),
        ("env: [{name: A}]\nvolumeMount: []", "spec: unknown field 'volumeMount'"),
    ],
)
def test_rejected(spec, expected):
    found = problems(spec)
    assert any(p.startswith(expected) for p in found), found


def test_bad_names():
    assert problems("env: [{name: A}]", name="Bad_Name")[0].startswith(
        "metadata.name: 'Bad_Name' is not a DNS subdomain"
    )
    long = "a" * 54
    assert "annotation key" in problems("env: [{name: A}]", name=long)[0]
    assert problems("env: [{name: A}]", ns="Not Valid")[0].startswith("metadata.namespace")


def test_all_problems_listed_in_one_error():
    with pytest.raises(PresetError) as info:
        parse_preset(preset("p", "env: [{name: A}, {name: A}]\nvolumeMounts: [{name: x, mountPath: /x}]"))
    assert len(info.value.problems) == 2
    assert "(and 1 more)" in str(info.value)


def test_valid_preset_model():
    p = parse_preset(preset("p", """
selector: {matchLabels: {a: b}, matchExpressions: [{key: c, operator: Exists}]}
env: [{name: A, value: "1"}]
volumes: [{name: v, configMap: {name: cm}}]
volumeMounts: [{name: v, mountPath: /v}]
""", rv=12))
    assert p.name == "p" and p.namespace == "shop" and p.version == "12"
    assert p.selector.describe() == "a=b, c Exists"
    assert p.annotation_key == "podpreset.admission.kubernetes.io/podpreset-p"

"""Merge and conflict rules of the original plugin (behaviour guide sections 2-6)."""

from __future__ import annotations

import copy

import pytest

from kelm.presets import PresetError, apply_presets
from kelm.presets.apply import APPLIED, CONFLICT, EXCLUDED, MIRROR, NO_MATCH

from .conftest import ALLOW_DATABASE, preset, y

ANN = "podpreset.admission.kubernetes.io/podpreset-"


def run(presets, pod, **kw):
    result = apply_presets(presets, [pod], **kw)
    return result.objects[0], result.reports[0]


# 6.1 ---------------------------------------------------------------------------------------


def test_classic_allow_database(allow_database, website):
    original = copy.deepcopy(website)
    out, report = run([allow_database], website)
    assert website == original, "input must not be modified"
    assert out == y(
        """
apiVersion: v1
kind: Pod
metadata:
  name: website
  namespace: shop
  labels: {app: website, role: frontend}
  annotations: {podpreset.admission.kubernetes.io/podpreset-allow-database: "101"}
spec:
  containers:
  - name: website
    image: nginx
    ports: [{containerPort: 80}]
    env: [{name: DB_PORT, value: "6379"}]
    volumeMounts: [{name: cache-volume, mountPath: /cache}]
  volumes: [{name: cache-volume, emptyDir: {}}]
"""
    )
    assert report.status == APPLIED and report.applied == ["allow-database"]
    assert [(c.target, c.field, c.item, c.added) for c in report.changes] == [
        ("pod", "volumes", "cache-volume", True),
        ("container website", "env", "DB_PORT", True),
        ("container website", "volumeMounts", "cache-volume at /cache", True),
    ]


def test_non_matching_labels_untouched(allow_database, website):
    website["metadata"]["labels"]["role"] = "backend"
    out, report = run([allow_database], website)
    assert out == website
    assert report.status == NO_MATCH
    assert report.skipped[0].preset == "allow-database"
    assert "needs role=frontend" in report.skipped[0].reason


# 6.2 env -----------------------------------------------------------------------------------


def test_env_conflict_leaves_pod_unchanged(allow_database, website):
    website["spec"]["containers"][0]["env"] = [{"name": "DB_PORT", "value": "5432"}]
    out, report = run([allow_database], website)
    assert out == website
    assert "annotations" not in out["metadata"]
    assert report.status == CONFLICT
    assert len(report.conflicts) == 1
    assert "DB_PORT" in report.conflicts[0] and "container website" in report.conflicts[0]
    assert report.applied == []


def test_identical_env_is_not_duplicated(allow_database, website):
    website["spec"]["containers"][0]["env"] = [{"name": "DB_PORT", "value": "6379"}]
    out, report = run([allow_database], website)
    c = out["spec"]["containers"][0]
    assert c["env"] == [{"name": "DB_PORT", "value": "6379"}]
    assert c["volumeMounts"] == [{"name": "cache-volume", "mountPath": "/cache"}]
    assert out["spec"]["volumes"] == [{"name": "cache-volume", "emptyDir": {}}]
    assert out["metadata"]["annotations"] == {ANN + "allow-database": "101"}
    assert ("env", "DB_PORT", False) in [(ch.field, ch.item, ch.added) for ch in report.changes]


def test_env_value_from_compared_whole(website):
    p = preset("refs", """
env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
""")
    # the pod's copy was defaulted by the API server (apiVersion v1): still equal
    website["spec"]["containers"][0]["env"] = [
        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}
    ]
    out, report = run([p], website)
    assert report.status == APPLIED
    assert out["spec"]["containers"][0]["env"] == website["spec"]["containers"][0]["env"]
    website["spec"]["containers"][0]["env"][0]["valueFrom"]["fieldRef"]["fieldPath"] = "metadata.uid"
    assert run([p], website)[1].status == CONFLICT


def test_absent_equals_zero_value(website):
    p = preset("empty", "env: [{name: A, value: ''}]")
    website["spec"]["containers"][0]["env"] = [{"name": "A"}]
    out, report = run([p], website)
    assert report.status == APPLIED
    assert out["spec"]["containers"][0]["env"] == [{"name": "A"}]


def test_preset_env_appended_after_pod_env(website):
    website["spec"]["containers"][0]["env"] = [{"name": "OWN", "value": "1"}]
    p = preset("p", "env: [{name: B, value: '2'}, {name: A, value: '1'}]")
    out, _ = run([p], website)
    assert [e["name"] for e in out["spec"]["containers"][0]["env"]] == ["OWN", "B", "A"]


# 6.3 two presets ---------------------------------------------------------------------------

PROXY = """
selector: {matchLabels: {role: frontend}}
volumeMounts: [{name: proxy-volume, mountPath: /etc/proxy/configs}]
volumes: [{name: proxy-volume, emptyDir: {}}]
"""


def test_two_presets_both_apply_sorted_by_name(allow_database, website):
    proxy = preset("proxy", PROXY, rv="102")
    out, report = run([proxy, allow_database], website)  # input order does not matter
    c = out["spec"]["containers"][0]
    assert c["env"] == [{"name": "DB_PORT", "value": "6379"}]
    assert c["volumeMounts"] == [
        {"name": "cache-volume", "mountPath": "/cache"},
        {"name": "proxy-volume", "mountPath": "/etc/proxy/configs"},
    ]
    assert [v["name"] for v in out["spec"]["volumes"]] == ["cache-volume", "proxy-volume"]
    assert out["metadata"]["annotations"] == {
        ANN + "allow-database": "101",
        ANN + "proxy": "102",
    }
    assert report.applied == ["allow-database", "proxy"]


def test_presets_conflicting_with_each_other_apply_neither(allow_database, website):
    proxy = preset("proxy", PROXY + "env: [{name: DB_PORT, value: '6380'}]\n", rv="102")
    out, report = run([allow_database, proxy], website)
    assert out == website
    assert report.status == CONFLICT
    assert "preset proxy" in report.conflicts[0] and "preset allow-database" in report.conflicts[0]
    assert {s.preset for s in report.skipped} == {"allow-database", "proxy"}


def test_identical_items_from_two_presets_added_once(website):
    a = preset("a", "env: [{name: X, value: '1'}]\nvolumes: [{name: v, emptyDir: {}}]")
    b = preset("b", "env: [{name: X, value: '1'}]\nvolumes: [{name: v, emptyDir: {}}]")
    out, report = run([a, b], website)
    assert out["spec"]["containers"][0]["env"] == [{"name": "X", "value": "1"}]
    assert out["spec"]["volumes"] == [{"name": "v", "emptyDir": {}}]
    assert set(out["metadata"]["annotations"]) == {ANN + "a", ANN + "b"}


def test_conflict_is_all_or_nothing_across_unrelated_presets(allow_database, website):
    # preset "zz" is fine on its own, but another matching preset conflicts: nothing at all
    website["spec"]["volumes"] = [{"name": "cache-volume", "hostPath": {"path": "/tmp"}}]
    zz = preset("zz", "env: [{name: HARMLESS, value: '1'}]")
    out, report = run([allow_database, zz], website)
    assert out == website and report.status == CONFLICT


# 6.4 volumes and mounts --------------------------------------------------------------------

CERTS = """
volumes: [{name: certs, secret: {secretName: tls}}]
volumeMounts: [{name: certs, mountPath: /etc/tls, readOnly: true}]
"""


def test_volume_and_mount_added(website):
    out, report = run([preset("certs", CERTS)], website)
    assert out["spec"]["volumes"] == [{"name": "certs", "secret": {"secretName": "tls"}}]
    assert out["spec"]["containers"][0]["volumeMounts"] == [
        {"name": "certs", "mountPath": "/etc/tls", "readOnly": True}
    ]
    assert report.status == APPLIED


def test_volume_same_name_other_source_conflicts(website):
    website["spec"]["volumes"] = [{"name": "certs", "emptyDir": {}}]
    out, report = run([preset("certs", CERTS)], website)
    assert out == website and report.status == CONFLICT
    assert "volume 'certs'" in report.conflicts[0]


def test_mount_path_used_by_other_volume_conflicts(website):
    website["spec"]["containers"][0]["volumeMounts"] = [{"name": "other", "mountPath": "/etc/tls"}]
    website["spec"]["volumes"] = [{"name": "other", "emptyDir": {}}]
    out, report = run([preset("certs", CERTS)], website)
    assert out == website and report.status == CONFLICT
    assert "mount path '/etc/tls'" in report.conflicts[0]


def test_mount_same_volume_other_path_conflicts(website):
    website["spec"]["containers"][0]["volumeMounts"] = [{"name": "certs", "mountPath": "/other"}]
    out, report = run([preset("certs", CERTS)], website)
    assert out == website and report.status == CONFLICT
    assert "volume 'certs'" in report.conflicts[0]


def test_mount_differing_read_only_conflicts(website):
    website["spec"]["containers"][0]["volumeMounts"] = [{"name": "certs", "mountPath": "/etc/tls"}]
    website["spec"]["volumes"] = [{"name": "certs", "secret": {"secretName": "tls"}}]
    assert run([preset("certs", CERTS)], website)[1].status == CONFLICT


def test_everything_already_present_only_annotation_added(website):
    # the pod's copy carries the server default defaultMode 420: still identical
    website["spec"]["volumes"] = [{"name": "certs", "secret": {"secretName": "tls", "defaultMode": 420}}]
    website["spec"]["containers"][0]["volumeMounts"] = [
        {"name": "certs", "mountPath": "/etc/tls", "readOnly": True}
    ]
    out, report = run([preset("certs", CERTS, rv="7")], website)
    assert out["spec"] == website["spec"]
    assert out["metadata"]["annotations"] == {ANN + "certs": "7"}
    assert report.status == APPLIED and all(not c.added for c in report.changes)


def test_volume_without_source_defaults_to_empty_dir(website):
    website["spec"]["volumes"] = [{"name": "scratch", "emptyDir": {}}]
    p = preset("s", "volumes: [{name: scratch}]")
    assert run([p], website)[1].status == APPLIED


# 6.5 exclusion and mirror pods -------------------------------------------------------------


def test_excluded_pod_untouched(allow_database, website):
    website["metadata"]["annotations"] = {"podpreset.admission.kubernetes.io/exclude": "true"}
    out, report = run([allow_database], website)
    assert out == website and report.status == EXCLUDED


@pytest.mark.parametrize("value", ["True", "yes", "", "1"])
def test_exclude_needs_exact_true(allow_database, website, value):
    website["metadata"]["annotations"] = {"podpreset.admission.kubernetes.io/exclude": value}
    out, report = run([allow_database], website)
    assert report.status == APPLIED
    assert out["metadata"]["annotations"] == {
        "podpreset.admission.kubernetes.io/exclude": value,
        ANN + "allow-database": "101",
    }


def test_mirror_pod_untouched(allow_database, website):
    website["metadata"]["annotations"] = {"kubernetes.io/config.mirror": ""}
    out, report = run([allow_database], website)
    assert out == website and report.status == MIRROR


# 5 annotations -----------------------------------------------------------------------------


def test_existing_annotations_kept_and_same_key_overwritten(allow_database, website):
    website["metadata"]["annotations"] = {"team": "web", ANN + "allow-database": "old"}
    out, _ = run([allow_database], website)
    assert out["metadata"]["annotations"] == {"team": "web", ANN + "allow-database": "101"}


def test_annotation_without_resource_version_is_content_hash(website):
    p1 = preset("allow-database", ALLOW_DATABASE)
    p2 = preset("allow-database", ALLOW_DATABASE.replace("6379", "6380"))
    v1 = run([p1], website)[0]["metadata"]["annotations"][ANN + "allow-database"]
    v2 = run([p2], website)[0]["metadata"]["annotations"][ANN + "allow-database"]
    assert v1.startswith("sha256-") and v2.startswith("sha256-") and v1 != v2
    assert v1 == run([copy.deepcopy(p1)], website)[0]["metadata"]["annotations"][ANN + "allow-database"]


# 6.6 init containers -----------------------------------------------------------------------

INIT_POD = """
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop, labels: {role: frontend}}
spec:
  initContainers: [{name: migrate}]
  containers: [{name: app}, {name: sidecar}]
"""


def test_init_containers_get_env_and_mounts(allow_database):
    out, report = run([allow_database], y(INIT_POD))
    for c in out["spec"]["initContainers"] + out["spec"]["containers"]:
        assert c["env"] == [{"name": "DB_PORT", "value": "6379"}], c["name"]
        assert c["volumeMounts"] == [{"name": "cache-volume", "mountPath": "/cache"}]
    assert out["spec"]["volumes"] == [{"name": "cache-volume", "emptyDir": {}}]
    assert list(out["metadata"]["annotations"]) == [ANN + "allow-database"]
    targets = {c.target for c in report.changes}
    assert targets == {"pod", "initContainer migrate", "container app", "container sidecar"}


def test_conflict_in_init_container_blocks_everything(allow_database):
    pod = y(INIT_POD)
    pod["spec"]["initContainers"][0]["env"] = [{"name": "DB_PORT", "value": "1"}]
    out, report = run([allow_database], pod)
    assert out == pod and report.status == CONFLICT
    assert "initContainer migrate" in report.conflicts[0]


# 6.7 selectors -----------------------------------------------------------------------------

SHOP_SELECTOR = """
selector:
  matchLabels: {app: shop}
  matchExpressions:
  - {key: tier, operator: In, values: [frontend, edge]}
  - {key: canary, operator: DoesNotExist}
env: [{name: X, value: "1"}]
"""


@pytest.mark.parametrize(
    "labels, expected",
    [
        ({"app": "shop", "tier": "edge"}, True),
        ({"app": "shop", "tier": "edge", "canary": "true"}, False),
        ({"app": "shop"}, False),
        ({"tier": "frontend"}, False),
    ],
)
def test_match_expressions_table(labels, expected):
    pod = {"kind": "Pod", "metadata": {"name": "p", "namespace": "shop", "labels": labels},
           "spec": {"containers": [{"name": "c"}]}}
    assert (run([preset("s", SHOP_SELECTOR)], pod)[1].status == APPLIED) is expected
    empty = preset("e", "selector: {}\nenv: [{name: X, value: '1'}]")
    assert run([empty], pod)[1].status == APPLIED
    omitted = preset("o", "env: [{name: X, value: '1'}]")
    assert run([omitted], pod)[1].status == APPLIED


@pytest.mark.parametrize(
    "expr, labels, expected",
    [
        ("{key: tier, operator: NotIn, values: [db]}", {"tier": "web"}, True),
        ("{key: tier, operator: NotIn, values: [db]}", {"tier": "db"}, False),
        ("{key: tier, operator: NotIn, values: [db]}", {}, True),  # absent key matches NotIn
        ("{key: tier, operator: Exists}", {"tier": ""}, True),
        ("{key: tier, operator: Exists}", {}, False),
        ("{key: tier, operator: DoesNotExist}", {}, True),
        ("{key: tier, operator: In, values: [a, b]}", {"tier": "b"}, True),
        ("{key: tier, operator: In, values: [a, b]}", {"tier": "c"}, False),
    ],
)
def test_operators(expr, labels, expected):
    p = preset("s", f"selector: {{matchExpressions: [{expr}]}}\nenv: [{{name: X, value: '1'}}]")
    pod = {"kind": "Pod", "metadata": {"name": "p", "namespace": "shop", "labels": labels},
           "spec": {"containers": [{"name": "c"}]}}
    assert (run([p], pod)[1].status == APPLIED) is expected


# namespaces --------------------------------------------------------------------------------


def test_presets_of_other_namespaces_ignored(allow_database, website):
    website["metadata"]["namespace"] = "other"
    out, report = run([allow_database], website)
    assert out == website and report.status == NO_MATCH
    assert report.skipped[0].reason == "in namespace shop, not other"


def test_missing_namespaces_resolve_to_default_namespace(website):
    del website["metadata"]["namespace"]
    p = preset("allow-database", ALLOW_DATABASE, ns=None)
    assert run([p], website)[1].status == APPLIED
    assert run([p], website, namespace="shop")[1].status == APPLIED
    shop = preset("allow-database", ALLOW_DATABASE)
    assert run([shop], website)[1].status == NO_MATCH
    assert run([shop], website, namespace="shop")[1].status == APPLIED


def test_request_namespace_wins_in_admission(allow_database, website):
    from kelm.presets import apply_to_object
    from kelm.presets.apply import coerce_presets

    del website["metadata"]["namespace"]  # "empty pod namespace" unit test upstream
    _, reports = apply_to_object(coerce_presets([allow_database]), website,
                                 namespace="shop", force_namespace=True)
    assert reports[0].status == APPLIED


# envFrom (6.8) -----------------------------------------------------------------------------


def test_env_from_identical_entry_kept_once(website):
    website["spec"]["containers"][0]["envFrom"] = [{"configMapRef": {"name": "app-config"}}]
    p = preset("db", """
envFrom: [{configMapRef: {name: app-config}}, {prefix: DB_, secretRef: {name: db-creds}}]
""")
    out, report = run([p], website)
    assert out["spec"]["containers"][0]["envFrom"] == [
        {"configMapRef": {"name": "app-config"}},
        {"prefix": "DB_", "secretRef": {"name": "db-creds"}},
    ]
    assert report.status == APPLIED


def test_env_from_same_source_from_two_presets_added_once(website):
    # deliberate improvement over upstream, which appended it twice (documented)
    a = preset("a", "envFrom: [{secretRef: {name: shared}}]")
    b = preset("b", "envFrom: [{secretRef: {name: shared}}]")
    out, _ = run([a, b], website)
    assert out["spec"]["containers"][0]["envFrom"] == [{"secretRef": {"name": "shared"}}]


def test_env_from_same_key_different_content_is_a_conflict(website):
    # upstream silently wiped the container's envFrom here; kelm reports a conflict instead
    website["spec"]["containers"][0]["envFrom"] = [
        {"configMapRef": {"name": "app-config", "optional": True}}
    ]
    p = preset("db", "envFrom: [{configMapRef: {name: app-config}}]")
    out, report = run([p], website)
    assert out == website and report.status == CONFLICT
    assert "envFrom configMapRef app-config" in report.conflicts[0]


def test_env_from_prefix_is_part_of_identity(website):
    website["spec"]["containers"][0]["envFrom"] = [{"configMapRef": {"name": "cfg"}}]
    p = preset("db", "envFrom: [{prefix: X_, configMapRef: {name: cfg}}]")
    out, _ = run([p], website)
    assert len(out["spec"]["containers"][0]["envFrom"]) == 2


# idempotence, empty lists, shapes ----------------------------------------------------------


def test_merge_is_idempotent(allow_database, website):
    proxy = preset("proxy", PROXY, rv="102")
    once = apply_presets([allow_database, proxy], [website]).objects
    twice = apply_presets([allow_database, proxy], once)
    assert twice.objects == once and twice.reports[0].status == APPLIED


def test_no_empty_lists_emitted(website):
    p = preset("v", "volumes: [{name: v, emptyDir: {}}]")
    out, _ = run([p], website)
    c = out["spec"]["containers"][0]
    assert "env" not in c and "volumeMounts" not in c and "envFrom" not in c


def test_malformed_pod_reported_not_raised(allow_database):
    pod = {"kind": "Pod", "metadata": {"name": "x", "namespace": "shop", "labels": {"role": "frontend"}},
           "spec": {"containers": "nope"}}
    out, report = run([allow_database], pod)
    assert out is pod and report.status == "invalid"
    assert "spec.containers" in report.message


def test_invalid_preset_dict_raises(website):
    bad = preset("bad", "selector: {matchExpressions: [{key: a, operator: Maybe}]}\nenv: [{name: A}]")
    with pytest.raises(PresetError, match="operator"):
        apply_presets([bad], [website])


def test_duplicate_preset_names_rejected(allow_database, website):
    with pytest.raises(PresetError, match="duplicate PodPreset shop/allow-database"):
        apply_presets([allow_database, copy.deepcopy(allow_database)], [website])

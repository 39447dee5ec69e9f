"""The workload extension: presets applied to pod templates of controllers."""

from __future__ import annotations

import pytest

from kelm.presets import apply_presets
from kelm.presets.apply import APPLIED, EXCLUDED, NO_MATCH, NOT_A_POD

from .conftest import y

ANN = "podpreset.admission.kubernetes.io/podpreset-allow-database"
TEMPLATE = {
    "metadata": {"labels": {"role": "frontend"}},
    "spec": {"containers": [{"name": "web", "image": "nginx"}]},
}


def workload(kind: str) -> tuple[dict, tuple[str, ...]]:
    import copy

    tpl = copy.deepcopy(TEMPLATE)
    base = {"apiVersion": "apps/v1", "kind": kind,
            "metadata": {"name": "w", "namespace": "shop", "labels": {"role": "backend"}}}
    if kind == "CronJob":
        base["spec"] = {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": tpl}}}
        return base, ("spec", "jobTemplate", "spec", "template")
    if kind == "PodTemplate":
        base["template"] = tpl
        return base, ("template",)
    base["spec"] = {"replicas": 2, "template": tpl}
    return base, ("spec", "template")


def at(obj, path):
    for key in path:
        obj = obj[key]
    return obj


@pytest.mark.parametrize(
    "kind",
    ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob",
     "ReplicationController", "PodTemplate"],
)
def test_pod_template_of_every_workload_kind(kind, allow_database):
    obj, path = workload(kind)
    result = apply_presets([allow_database], [obj])
    out, report = result.objects[0], result.reports[0]
    tpl = at(out, path)
    assert tpl["metadata"]["annotations"] == {ANN: "101"}
    assert tpl["spec"]["containers"][0]["env"] == [{"name": "DB_PORT", "value": "6379"}]
    assert tpl["spec"]["volumes"] == [{"name": "cache-volume", "emptyDir": {}}]
    # the workload's own metadata is untouched (its labels say backend: the template's count)
    assert out["metadata"] == obj["metadata"]
    assert report.status == APPLIED and report.template == ".".join(path)
    assert report.kind == kind and report.name == "w"
    assert at(obj, path) == TEMPLATE, "input not modified"


def test_template_labels_decide_not_workload_labels(allow_database):
    obj, path = workload("Deployment")
    obj["metadata"]["labels"] = {"role": "frontend"}
    at(obj, path)["metadata"]["labels"] = {"role": "backend"}
    assert apply_presets([allow_database], [obj]).reports[0].status == NO_MATCH


def test_exclude_annotation_on_template(allow_database):
    obj, path = workload("Deployment")
    at(obj, path)["metadata"]["annotations"] = {"podpreset.admission.kubernetes.io/exclude": "true"}
    result = apply_presets([allow_database], [obj])
    assert result.objects[0] == obj and result.reports[0].status == EXCLUDED


def test_other_kinds_pass_through(allow_database):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "shop"}}
    result = apply_presets([allow_database], [svc, allow_database, "text", None])
    assert result.objects == [svc, allow_database, "text", None]
    assert [r.status for r in result.reports] == [NOT_A_POD] * 4


def test_list_items_are_processed(allow_database, website):
    lst = {"apiVersion": "v1", "kind": "List", "items": [website, workload("Job")[0]]}
    result = apply_presets([allow_database], [lst])
    items = result.objects[0]["items"]
    assert items[0]["metadata"]["annotations"] == {ANN: "101"}
    assert items[1]["spec"]["template"]["metadata"]["annotations"] == {ANN: "101"}
    assert [r.location for r in result.reports] == ["[0].items[0]", "[0].items[1]"]


def test_workload_without_template_reported_invalid(allow_database):
    obj = {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {}}
    result = apply_presets([allow_database], [obj])
    assert result.objects[0] is obj and result.reports[0].status == "invalid"


def test_explain_text(allow_database, website):
    from kelm.presets.explain import explain, summary

    other = dict(website, metadata={"name": "api", "namespace": "shop", "labels": {"role": "api"}})
    clash = y("""
kind: Pod
metadata: {name: clash, namespace: shop, labels: {role: frontend}}
spec: {containers: [{name: c, env: [{name: DB_PORT, value: "1"}]}]}
""")
    result = apply_presets([allow_database], [website, other, clash])
    text = explain(result.reports)
    assert text == (
        "Pod shop/website: applied\n"
        "  applied allow-database\n"
        "    pod: +volume cache-volume\n"
        "    container website: +env DB_PORT, +mount cache-volume at /cache\n"
        "\n"
        "Pod shop/api: no-match\n"
        "  skipped allow-database: selector does not match: needs role=frontend, pod has role=api\n"
        "\n"
        "Pod shop/clash: conflict\n"
        "  conflict between matching presets (allow-database): none applied\n"
        "  conflict: preset allow-database: env DB_PORT in container c conflicts with the pod "
        '({"value":"1"} vs {"value":"6379"})\n'
        "  skipped allow-database: not applied: the matching presets conflict\n"
    )
    assert summary(result.reports) == "3 pod(s)/template(s): 1 applied, 1 conflict, 1 no-match"


def test_explain_hints_at_other_namespaces(allow_database, website):
    from kelm.presets.explain import explain

    website["metadata"]["namespace"] = "default"
    reports = apply_presets([allow_database], [website]).reports
    assert explain(reports) == (
        "Pod default/website: no-match\n"
        "  (1 preset(s) in other namespaces; -v lists them, -n sets the default)\n"
    )
    assert explain(reports, verbose=True) == (
        "Pod default/website: no-match\n"
        "  skipped allow-database: in namespace shop, not default\n"
    )

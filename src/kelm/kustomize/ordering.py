"""Output order: kustomize's legacy kind priorities, or fifo (``sortOptions``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.resource import ResMap, Resource


def _legacy_key(order_first: list[str], order_last: list[str]) -> Callable[[Resource], Any]:
    orders: dict[str, int] = {}
    for i, n in enumerate(order_first):
        orders[n] = -len(order_first) + i
    for i, n in enumerate(order_last):
        orders[n] = 1 + i

    def gvk_str(g: Any) -> str:
        return f"{g.group or '~G'}_{g.version or '~V'}_{g.kind or '~K'}"

    def cmp(a: Resource, b: Resource) -> int:
        ia, ib = a.cur_id(), b.cur_id()
        ga, gb = ia.gvk, ib.gvk
        if ga != gb:
            oa, ob = orders.get(ga.kind, 0), orders.get(gb.kind, 0)
            if oa != ob:
                return -1 if oa < ob else 1
            sa, sb = gvk_str(ga), gvk_str(gb)
            if ga.kind == "Namespace" and gb.kind == "Namespace" and (
                ga.group == "" or gb.group == ""
            ):
                return -1 if sa > sb else (1 if sa < sb else 0)
            return -1 if sa < sb else (1 if sa > sb else 0)
        ka = f"{ia.namespace or '~X'}|{ia.name or '~N'}"
        kb = f"{ib.namespace or '~X'}|{ib.name or '~N'}"
        return -1 if ka < kb else (1 if ka > kb else 0)

    return functools.cmp_to_key(cmp)


DEFAULT_FIRST = [
    "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
    "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
    "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass",
    "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob",
    "PodDisruptionBudget",
]
DEFAULT_LAST = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]


def sort_resources(m: ResMap, sort_options: dict[str, Any] | None) -> None:
    if sort_options is None:
        order, legacy = "legacy", None
    else:
        order = sort_options.get("order") or ""
        legacy = sort_options.get("legacySortOptions")
        if order not in ("fifo", "legacy"):
            raise KustomizeError("the field 'sortOptions.order' must be one of [fifo, legacy]")
        if order == "fifo" and legacy is not None:
            raise KustomizeError(
                "the field 'sortOptions.legacySortOptions' is set but the selected sort order "
                "is 'fifo', not 'legacy'"
            )
    if order == "fifo":
        return
    if legacy is None:
        first, last = DEFAULT_FIRST, DEFAULT_LAST
    else:
        first = list(legacy.get("orderFirst") or [])
        last = list(legacy.get("orderLast") or [])
    m.items.sort(key=_legacy_key(first, last))

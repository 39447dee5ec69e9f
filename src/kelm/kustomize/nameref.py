"""Name-reference fix-up: after renames, point referring fields at the final names.

Follows kustomize's candidate sieve: previous names, referral kind, roleRef kind,
namespace visibility, then name prefixes/suffixes shared with the referrer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kelm.kustomize import fieldspec as fsl
from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.fieldspec import FieldSpec
from kelm.kustomize.resource import Gvk, ResMap, Resource
from kelm.kustomize.smp import text


@dataclass
class BackRef:
    gvk: Gvk
    referrers: list[FieldSpec]

    @staticmethod
    def from_dict(d: dict[str, Any]) -> BackRef:
        return BackRef(
            Gvk(str(d.get("group") or ""), str(d.get("version") or ""), str(d.get("kind") or "")),
            [FieldSpec.from_dict(x) for x in d.get("fieldSpecs") or []],
        )


def merge_backrefs(base: list[BackRef], extra: list[BackRef]) -> list[BackRef]:
    out = [BackRef(b.gvk, list(b.referrers)) for b in base]
    for e in extra:
        hit = next((b for b in out if b.gvk == e.gvk), None)
        if hit is None:
            out.append(BackRef(e.gvk, list(e.referrers)))
        else:
            hit.referrers = fsl.merge_specs(hit.referrers, e.referrers)
    return out


def _ns_for_rolebinding(r: Resource) -> set[str]:
    out: set[str] = set()
    if r.kind != "RoleBinding":
        return out
    subs = r.obj.get("subjects")
    if not isinstance(subs, list):
        return out
    for s in subs:
        if isinstance(s, dict) and "namespace" in s and s.get("kind") == "ServiceAccount":
            if not isinstance(s["namespace"], str):
                raise KustomizeError(
                    f'Invalid Input: namespace is blank for resource "{r.cur_id()}"\n'
                )
            out.add(s["namespace"])
    return out


def _could_be_referenced(m: ResMap, referrer: Resource,
                         cache: dict[Any, list[Resource]]) -> list[Resource]:
    rid = referrer.cur_id()
    if rid.gvk.cluster_scoped():
        return list(m.items)
    rb = _ns_for_rolebinding(referrer)
    key = (rid.effective_namespace(), frozenset(rb))
    hit = cache.get(key)
    if hit is not None:
        return hit
    out = []
    for t in m.items:
        tid = t.cur_id()
        if tid.gvk.cluster_scoped() or tid.ns_equals(rid) or t.namespace in rb:
            out.append(t)
    cache[key] = out
    return out


class _Filter:
    def __init__(self, referrer: Resource, spec: FieldSpec, target: Gvk,
                 candidates: list[Resource], by_prev_name: dict[str, list[Resource]]) -> None:
        self.referrer = referrer
        self.spec = spec
        self.target = target
        self.candidates = candidates
        self.by_prev_name = by_prev_name

    def run(self) -> None:
        spec = FieldSpec(self.spec.path, create=self.spec.create)
        fsl.apply(self.referrer.obj, spec, self._set)

    def _set(self, c: Any, k: Any) -> None:
        node = c[k]
        if node is None:
            return
        if isinstance(node, dict):
            self._set_mapping(node)
        elif isinstance(node, list):
            for i, e in enumerate(node):
                if e is None:
                    continue
                if isinstance(e, dict):
                    self._set_mapping(e)
                elif isinstance(e, list):
                    raise KustomizeError("expected to be either a string or a map of string")
                else:
                    self._set_scalar(node, i)
        else:
            self._set_scalar(c, k)

    def _set_scalar(self, c: Any, k: Any) -> None:
        old = text(c[k])
        ref = self._select(old, self.candidates, same_ns=False)
        if ref is None:
            return
        ref.refby.append(str(self.referrer.cur_id()))
        ref.touched = True
        if ref.name != old:
            c[k] = ref.name

    def _set_mapping(self, node: dict[str, Any]) -> None:
        if "name" not in node:
            raise KustomizeError("path config error; no 'name' field in node")
        cands = self.candidates
        if "namespace" in node:
            ns = text(node["namespace"])
            by_org: dict[str, list[Resource]] = {}
            by_cur: dict[str, list[Resource]] = {}
            for r in cands:
                o, c = r.org_id(), r.cur_id()
                if not o.gvk.cluster_scoped():
                    by_org.setdefault(o.effective_namespace(), []).append(r)
                if not c.gvk.cluster_scoped():
                    by_cur.setdefault(c.effective_namespace(), []).append(r)
            cands = by_org[ns] if ns in by_org else by_cur.get(ns, [])
        old = text(node["name"])
        ref = self._select(old, cands, same_ns=True)
        if ref is None:
            return
        ref.refby.append(str(self.referrer.cur_id()))
        ref.touched = True
        if ref.name == old and ref.namespace == "":
            return
        node["name"] = ref.name
        if ref.namespace == "":
            return
        node["namespace"] = ref.namespace

    def _role_ref_gvk(self) -> Gvk | None:
        rr = self.referrer.obj.get("roleRef")
        if not isinstance(rr, dict) or "apiGroup" not in rr or "kind" not in rr:
            return None
        return Gvk(text(rr.get("apiGroup")), "", text(rr.get("kind")))

    def _select(self, old: str, cands: list[Resource], same_ns: bool) -> Resource | None:
        t = self.target
        allowed = {id(c) for c in cands}
        cands = [c for c in self.by_prev_name.get(old, ()) if id(c) in allowed]
        cands = [c for c in cands if any(
            i.gvk.selected_by(t.group, t.version, t.kind) for i in c.prev_ids())]
        if self.spec.path.endswith("roleRef/name"):
            rg = self._role_ref_gvk()
            if rg is not None:
                cands = [c for c in cands if any(
                    i.gvk.selected_by(rg.group, rg.version, rg.kind)
                    for i in c.prev_ids())]
        rid = self.referrer.cur_id()
        if not rid.gvk.cluster_scoped():
            cands = [c for c in cands if c.cur_id().gvk.cluster_scoped()
                     or c.kind == "ServiceAccount" or rid.ns_equals(c.cur_id())]
        if len(cands) == 1:
            return cands[0]
        cands = [c for c in cands if c.prefix_suffix_equals(self.referrer, True)]
        if len(cands) > 1:
            cands = [c for c in cands if c.prefix_suffix_equals(self.referrer, False)]
        if len(cands) == 1:
            return cands[0]
        if not cands:
            return None
        first = cands[0]
        if all(c.name == first.name and (not same_ns or c.namespace == first.namespace)
               for c in cands):
            return first
        ids = ", ".join(str(c.cur_id()) for c in cands)
        raise KustomizeError(f"found multiple possible referrals: {ids}")


def fix_references(m: ResMap, backrefs: list[BackRef]) -> None:
    org_ids = [r.org_id() for r in m.items]
    by_kind: dict[str, list[int]] = {}
    for i, oid in enumerate(org_ids):
        by_kind.setdefault(oid.gvk.kind, []).append(i)
    everything = list(range(len(m.items)))
    by_prev_name: dict[str, list[Resource]] = {}
    for r in m.items:
        for name in dict.fromkeys(p[1] for p in r.prev):
            by_prev_name.setdefault(name, []).append(r)
    plan: dict[int, list[tuple[FieldSpec, Gvk]]] = {}
    order: list[Resource] = []
    for br in backrefs:
        for spec in br.referrers:
            idxs = by_kind.get(spec.kind, []) if spec.kind else everything
            for i in idxs:
                r = m.items[i]
                if org_ids[i].gvk.selected_by(spec.group, spec.version, spec.kind):
                    if id(r) not in plan:
                        plan[id(r)] = []
                        order.append(r)
                    plan[id(r)].append((spec, br.gvk))
    pos = {id(r): i for i, r in enumerate(m.items)}
    order.sort(key=lambda r: pos[id(r)])
    cache: dict[Any, list[Resource]] = {}
    for r in order:
        cands = _could_be_referenced(m, r, cache)
        for spec, target in plan[id(r)]:
            _Filter(r, spec, target, cands, by_prev_name).run()

"""Patch/replacement targets: anchored regexes for gvk/name/namespace plus label selectors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.resource import Resource


def _anchor(p: str) -> re.Pattern[str] | None:
    if not p:
        return None
    try:
        return re.compile("^(?:" + p + ")$")
    except re.error as e:
        raise KustomizeError(f"error parsing regexp: {e}") from None


@dataclass
class Selector:
    group: str = ""
    version: str = ""
    kind: str = ""
    name: str = ""
    namespace: str = ""
    label_selector: str = ""
    annotation_selector: str = ""

    @staticmethod
    def from_dict(d: dict[str, Any] | None) -> Selector:
        d = d or {}
        return Selector(
            group=str(d.get("group") or ""),
            version=str(d.get("version") or ""),
            kind=str(d.get("kind") or ""),
            name=str(d.get("name") or ""),
            namespace=str(d.get("namespace") or ""),
            label_selector=str(d.get("labelSelector") or ""),
            annotation_selector=str(d.get("annotationSelector") or ""),
        )

    def __str__(self) -> str:
        return f"{self.kind}.{self.version}.{self.group}/{self.name}.{self.namespace}"


def select(resources: list[Resource], s: Selector) -> list[Resource]:
    g, v, k, n, ns = (
        _anchor(s.group),
        _anchor(s.version),
        _anchor(s.kind),
        _anchor(s.name),
        _anchor(s.namespace),
    )
    lsel = parse_label_selector(s.label_selector) if s.label_selector else None
    asel = parse_label_selector(s.annotation_selector) if s.annotation_selector else None
    out = []
    for r in resources:
        cur, org = r.cur_id(), r.org_id()
        if ns and not (
            ns.match(org.effective_namespace()) or ns.match(cur.effective_namespace())
        ):
            continue
        if n and not (n.match(org.name) or n.match(cur.name)):
            continue
        gvk = r.gvk
        if g and not g.match(gvk.group):
            continue
        if v and not v.match(gvk.version):
            continue
        if k and not k.match(gvk.kind):
            continue
        if lsel is not None and not matches(lsel, _str_map(r.labels())):
            continue
        if asel is not None and not matches(asel, _str_map(r.annotations())):
            continue
        out.append(r)
    return out


def _str_map(m: dict[str, Any]) -> dict[str, str]:
    from kelm.kustomize.smp import text

    return {k: text(v) for k, v in m.items()}


Requirement = tuple[str, str, list[str]]  # key, op, values

_TOKEN = re.compile(r"\s*(!=|==|=|\(|\)|,|!|[^\s!=(),]+)")


def parse_label_selector(sel: str) -> list[Requirement]:
    toks = []
    pos = 0
    sel = sel.strip()
    while pos < len(sel):
        m = _TOKEN.match(sel, pos)
        if not m:
            raise KustomizeError(f"unable to parse requirement: {sel}")
        toks.append(m.group(1))
        pos = m.end()
        while pos < len(sel) and sel[pos].isspace():
            pos += 1
    reqs: list[Requirement] = []
    i = 0

    def expect_values() -> list[str]:
        nonlocal i
        if i >= len(toks) or toks[i] != "(":
            raise KustomizeError(f"found '{toks[i] if i < len(toks) else ''}', expected: '('")
        i += 1
        vals = []
        while i < len(toks) and toks[i] != ")":
            if toks[i] != ",":
                vals.append(toks[i])
            i += 1
        i += 1
        return vals

    while i < len(toks):
        t = toks[i]
        if t == "!":
            reqs.append((toks[i + 1], "!", []))
            i += 2
        else:
            key = t
            i += 1
            if i >= len(toks) or toks[i] == ",":
                reqs.append((key, "exists", []))
            elif toks[i] in ("=", "=="):
                val = toks[i + 1] if i + 1 < len(toks) and toks[i + 1] != "," else ""
                reqs.append((key, "=", [val]))
                i += 2 if val else 1
            elif toks[i] == "!=":
                val = toks[i + 1] if i + 1 < len(toks) and toks[i + 1] != "," else ""
                reqs.append((key, "!=", [val]))
                i += 2 if val else 1
            elif toks[i] == "in":
                i += 1
                reqs.append((key, "in", expect_values()))
            elif toks[i] == "notin":
                i += 1
                reqs.append((key, "notin", expect_values()))
            else:
                raise KustomizeError(f"unable to parse requirement: {sel}")
        if i < len(toks) and toks[i] == ",":
            i += 1
    return reqs


def matches(reqs: list[Requirement], labels: dict[str, str]) -> bool:
    for key, op, vals in reqs:
        has = key in labels
        if op == "exists" and not has:
            return False
        if op == "!" and has:
            return False
        if op in ("=", "in") and (not has or labels[key] not in vals):
            return False
        if op in ("!=", "notin") and has and labels[key] in vals:
            return False
    return True

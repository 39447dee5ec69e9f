"""Build ``k8s_api.json`` (the emulator's built-in kinds and their schemas) from a Kubernetes
OpenAPI v2 document.

The source is the ``swagger.json`` the Kubernetes project publishes (``api/openapi-spec`` in
kubernetes/kubernetes; the copy used here is ``kubernetes/swagger.json.unprocessed`` of
kubernetes-client/python, release-1.36). Descriptions are dropped; the definitions keep
what clients read (types, refs, required, ``x-kubernetes-*`` patch and list metadata). The
resource table (group, version, kind, plural, scope, verbs, subresources) comes from the
paths' ``x-kubernetes-action`` and ``x-kubernetes-group-version-kind``.

    python -m kelm.testing.gen_api swagger.json > src/kelm/testing/k8s_api.json
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

_DROP = {"description", "example"}
_VERBS = {
    "get": "get",
    "list": "list",
    "post": "create",
    "put": "update",
    "patch": "patch",
    "delete": "delete",
    "deletecollection": "deletecollection",
    "watch": "watch",
    "watchlist": "watch",
}
_PATH = re.compile(
    r"^/(?:api/(?P<cv>v1)|apis/(?P<g>[^/]+)/(?P<v>[^/]+))/(?P<watch>watch/)?"
    r"(?P<ns>namespaces/\{namespace\}/)?(?P<plural>[a-z0-9.-]+)(?P<named>/\{name\})?(?:/(?P<sub>[a-z]+))?$"
)


def _strip(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _strip(v) for k, v in x.items() if k not in _DROP}
    if isinstance(x, list):
        return [_strip(i) for i in x]
    return x


def resources(paths: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per (group, version, plural), with the verbs its paths offer."""
    table: dict[tuple[str, str, str], dict[str, Any]] = {}
    for path, item in paths.items():
        m = _PATH.match(path)
        if not m or m["plural"] == "namespaces" and m["ns"]:
            continue
        group, version = ("", "v1") if m["cv"] else (m["g"], m["v"])
        for op in item.values():
            if not isinstance(op, dict) or "x-kubernetes-action" not in op:
                continue
            gvk = op.get("x-kubernetes-group-version-kind")
            verb = _VERBS.get(op["x-kubernetes-action"])
            if gvk is None or verb is None:
                continue
            entry = table.setdefault(
                (group, version, m["plural"]),
                {"group": group, "version": version, "plural": m["plural"], "kind": "",
                 "namespaced": False, "verbs": [], "subresources": {}},
            )
            if m["sub"]:
                sub = entry["subresources"].setdefault(m["sub"], {"kind": gvk["kind"], "verbs": []})
                if verb not in sub["verbs"]:
                    sub["verbs"].append(verb)
                continue
            if m["ns"]:
                entry["namespaced"] = True
            entry["kind"] = gvk["kind"]
            if verb not in entry["verbs"]:
                entry["verbs"].append(verb)
    out = [e for e in table.values() if e["kind"]]
    for e in out:
        e["verbs"].sort()
    return sorted(out, key=lambda e: (e["group"], e["version"], e["plural"]))


def build(swagger: dict[str, Any], source: str) -> dict[str, Any]:
    return {
        "source": source,
        "resources": resources(swagger["paths"]),
        "definitions": _strip(swagger["definitions"]),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m kelm.testing.gen_api SWAGGER.json", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        swagger = json.load(f)
    source = "Kubernetes OpenAPI v2 (swagger.json), release-1.36, via kubernetes-client/python"
    json.dump(build(swagger, source), sys.stdout, separators=(",", ":"), sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

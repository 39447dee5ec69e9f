"""`make demo` part: build the guestbook base and its prod/debug overlays with kelm.

Shows what kustomize does without kubectl: name prefixes/suffixes with references
rewritten, generated ConfigMaps/Secrets with content-hash names, images, replicas and
strategic-merge / JSON patches. Works offline.
"""

from __future__ import annotations

import pathlib

from kelm.kustomize import KustomizeError, build, build_yaml

HERE = pathlib.Path(__file__).parent / "k8s"


def summary(path: pathlib.Path) -> None:
    objs = build(str(path))
    print(f"\n# kelm kustomize build {path.relative_to(HERE.parent)}  ({len(objs)} objects)")
    for o in objs:
        meta = o.get("metadata", {})
        ns = meta.get("namespace", "-")
        print(f"  {o['kind']:<15} {ns:<16} {meta.get('name')}")


def main() -> None:
    for target in ("base", "overlays/prod", "overlays/debug"):
        summary(HERE / target)
    print("\n# prod Deployment as kubectl kustomize would print it:")
    text = build_yaml(str(HERE / "overlays/prod"))
    docs = text.split("---\n")
    print(next(d for d in docs if d.startswith("apiVersion: apps/v1\nkind: Deployment")), end="")
    try:
        build(str(HERE / "does-not-exist"))
    except KustomizeError as e:
        print(f"\n# a bad path is a clear error:\nerror: {e}")


if __name__ == "__main__":
    main()

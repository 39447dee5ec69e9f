"""``kelm template --post-renderer kustomize:DIR``: kustomize over a chart's rendered output.

Helm hands a post-renderer all rendered manifests on stdin. The usual kustomize recipe
saves them to a file the kustomization lists (``all.yaml``) and runs ``kustomize build``;
this does the same in-process on a temporary copy of DIR, without a second binary.
"""

from __future__ import annotations

import os
import shutil
import tempfile

from kelm.kustomize.build import Options, build
from kelm.kustomize.emit import to_yaml
from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.kustomization import FILE_NAMES

DEFAULT_NAME = "all.yaml"


def _target_file(tmp: str) -> str:
    """The resource entry that should receive the rendered manifests."""
    import yaml

    for name in FILE_NAMES:
        path = os.path.join(tmp, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                k = yaml.safe_load(f) or {}
            resources = list(k.get("resources") or []) if isinstance(k, dict) else []
            for r in resources:
                if isinstance(r, str) and r.endswith((".yaml", ".yml")) and not os.path.exists(
                    os.path.join(tmp, r)
                ):
                    return r
            if DEFAULT_NAME not in resources:
                k["resources"] = [DEFAULT_NAME, *resources]
                with open(path, "w", encoding="utf-8") as f:
                    yaml.safe_dump(k, f, sort_keys=False)
            return DEFAULT_NAME
    raise KustomizeError(
        "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' "
        f"in directory '{tmp}'"
    )


def post_render(manifests: str, kustomization_dir: str, opts: Options | None = None) -> str:
    """Run the kustomization in ``kustomization_dir`` over ``manifests``; return the YAML."""
    if not os.path.isdir(kustomization_dir):
        raise KustomizeError(f"kustomize post-renderer: '{kustomization_dir}' is not a directory")
    with tempfile.TemporaryDirectory(prefix="kelm-postrender-") as tmp:
        root = os.path.join(tmp, os.path.basename(os.path.abspath(kustomization_dir)) or "k")
        shutil.copytree(kustomization_dir, root, symlinks=True)
        target = _target_file(root)
        with open(os.path.join(root, target), "w", encoding="utf-8") as f:
            f.write(manifests)
        return to_yaml(build(root, opts))

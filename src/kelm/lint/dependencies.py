"""Dependency rules (Helm's ``rules.Dependencies``) and the crds/ rules (``rules.Crds``)."""

from __future__ import annotations

import os

from kelm.lint.support import ERROR, WARNING, Linter, LoadedChart


def lint_dependencies(linter: Linter, loaded: LoadedChart | None = None) -> None:
    loaded = loaded or LoadedChart.load(linter.chart_dir)
    if loaded.error:
        linter.rule(ERROR, "", f"unable to load chart\n\t{loaded.error}")
        return
    declared = loaded.declared
    declared_names = {name for name, _alias in declared}
    present = loaded.present
    missing_meta = [n for n in present if n not in declared_names]
    if missing_meta:
        linter.rule(ERROR, linter.chart_dir,
                    "chart metadata is missing these dependencies: " + ",".join(missing_meta))
    seen: set[str] = set()
    shadowing = []
    for name, alias in declared:
        key = alias or name
        if key in seen:
            shadowing.append(key)
        seen.add(key)
    if shadowing:
        linter.rule(ERROR, linter.chart_dir,
                    "multiple dependencies with name or alias: " + ",".join(shadowing))
    have = set(present)
    missing = [name for name, _alias in declared if name not in have]
    if missing:
        linter.rule(WARNING, linter.chart_dir,
                    "chart directory is missing these dependencies: " + ",".join(missing))


def lint_crds(linter: Linter, loaded: LoadedChart | None = None) -> None:
    from kelm.lint.templates import DocumentError, decode_object, yaml_documents

    path = "crds/"
    full = os.path.join(linter.chart_dir, "crds")
    if not os.path.lexists(full):
        return
    if not linter.rule(ERROR, path, None if os.path.isdir(full) else "not a directory"):
        return
    loaded = loaded or LoadedChart.load(linter.chart_dir)
    if loaded.error:
        linter.rule(ERROR, path, loaded.error)
        return
    for name, data in loaded.crds:
        try:
            for doc in yaml_documents(data.decode("utf-8", "replace")):
                obj = decode_object(doc)
                if obj is None:
                    continue
                if not obj.api_version.startswith("apiextensions.k8s.io"):
                    linter.rule(ERROR, name, "apiVersion is not in 'apiextensions.k8s.io'")
                if obj.kind != "CustomResourceDefinition":
                    linter.rule(ERROR, name, "object kind is not 'CustomResourceDefinition'")
        except DocumentError as e:
            linter.rule(ERROR, name, f"unable to parse YAML: {e}")
            return

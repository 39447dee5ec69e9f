"""The kustomize build: accumulate resources through kustomizations, transform, emit.

Mirrors kustomize's KustTarget: resources, generators, components, then the builtin
transformers in kustomize's fixed order; at the top only: hash suffixes, name
references, vars, sorting.
"""

from __future__ import annotations

import os
from typing import Any

from kelm.kustomize import fieldspec as fsl
from kelm.kustomize import generators as gen
from kelm.kustomize import kustomization as kfile
from kelm.kustomize import patches
from kelm.kustomize import transformers as tr
from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.fieldspec import FieldSpec
from kelm.kustomize.loader import Loader, is_remote, root_loader
from kelm.kustomize.model import Accumulator, Options, TransformerConfig, default_config
from kelm.kustomize.nameref import fix_references
from kelm.kustomize.openapi import builtin_schema, schema_from_document
from kelm.kustomize.ordering import sort_resources
from kelm.kustomize.origin import format_origin, format_transformations, join, plugin_origin
from kelm.kustomize.replacements import apply_replacements
from kelm.kustomize.resfactory import resources_from_bytes
from kelm.kustomize.resource import ResMap, Resource, set_schema
from kelm.kustomize.variables import merge_vars, resolve
from kelm.kustomize.yamlread import load_documents


def _wrap(prefix: str, e: KustomizeError) -> KustomizeError:
    return KustomizeError(f"{prefix}: {e}")


class Target:
    """One kustomization directory."""

    def __init__(self, ldr: Loader, opts: Options, warnings: list[str]) -> None:
        self.ldr = ldr
        self.opts = opts
        self.warnings = warnings
        self.k, self.file_name, warns = kfile.load(ldr)
        warnings.extend(warns)
        self.origin: list[str] | None = None
        self.build_metadata: list[Any] = []  # the root kustomization's buildMetadata

    @property
    def is_component(self) -> bool:
        return self.k.get("kind") == "Component"

    # ------------------------------------------------------------ accumulation
    def accumulate(self, ra: Accumulator | None = None) -> Accumulator:
        ra = ra if ra is not None else Accumulator()
        try:
            self._accumulate_resources(ra, self.k.get("resources") or [])
        except KustomizeError as e:
            raise _wrap("accumulating resources", e) from None
        ra.config = ra.config.merge(self._transformer_config())
        self._crds(ra)
        self._run_generators(ra)
        try:
            ra = self._accumulate_components(ra, self.k.get("components") or [])
        except KustomizeError as e:
            raise _wrap("accumulating components", e) from None
        self._run_transformers(ra)
        merge_vars(ra.resmap, ra.variables, list(self.k.get("vars") or []))
        return ra

    def _transformer_config(self) -> TransformerConfig:
        paths = self.k.get("configurations") or []
        if not paths:
            return default_config()
        tc = TransformerConfig()
        for p in paths:
            docs = load_documents(self.ldr.load_text(p), p)
            for d in docs:
                if isinstance(d, dict):
                    tc = tc.merge(TransformerConfig.from_dict(d))
        return tc.merge(default_config())

    def _crds(self, ra: Accumulator) -> None:
        from kelm.kustomize.crds import config_from_crds

        for p in self.k.get("crds") or []:
            ra.config = ra.config.merge(config_from_crds(self.ldr, p))

    def _accumulate_resources(self, ra: Accumulator, paths: list[str]) -> None:
        keys = {r.id_key() for r in ra.resmap.items}
        for path in paths:
            try:
                self._accumulate_file(ra, path, keys)
                continue
            except KustomizeError as ef:
                err_f = ef
            if is_remote(path):
                raise err_f
            try:
                sub = self.ldr.new(path)
            except KustomizeError as en:
                if err_f.malformed:
                    raise err_f from None
                raise KustomizeError(f"accumulation err='{err_f}': {en}") from None
            try:
                self._accumulate_directory(ra, sub, False, path, keys)
            except KustomizeError as e:
                raise KustomizeError(f"accumulation err='{err_f}': {e}") from None

    def _accumulate_file(self, ra: Accumulator, path: str, keys: set[Any]) -> None:
        try:
            data = self.ldr.load(path)
        except KustomizeError as e:
            raise KustomizeError(f"accumulating resources from '{path}': {e}") from None
        try:
            res = resources_from_bytes(data, path)
        except KustomizeError as e:
            err = KustomizeError(f"accumulating resources from '{path}': {e}")
            err.malformed = True
            raise err from None
        if self.origin is not None:
            for r in res:
                r.origin = {"path": join(*self.origin, path)}
                r.touched = True
        tmp = ResMap()
        for r in res:
            tmp.items.append(r)
        try:
            ra.resmap.append_all(tmp, keys)
        except KustomizeError as e:
            raise KustomizeError(f"merging resources from '{path}': {e}") from None

    def _accumulate_components(self, ra: Accumulator, paths: list[str]) -> Accumulator:
        for path in paths:
            try:
                sub = self.ldr.new(path)
            except KustomizeError as e:
                raise KustomizeError(f'loader.New "{e}"') from None
            try:
                ra = self._accumulate_directory(ra, sub, True, path)
            except KustomizeError as e:
                raise KustomizeError(f'accumulateDirectory: "{e}"') from None
        return ra

    def _accumulate_directory(
        self, ra: Accumulator, ldr: Loader, is_component: bool, path: str,
        keys: set[Any] | None = None,
    ) -> Accumulator:
        try:
            sub = Target(ldr, self.opts, self.warnings)
        except KustomizeError as e:
            raise KustomizeError(f"couldn't make target for path '{ldr.root}': {e}") from None
        sub.build_metadata = self.build_metadata
        if self.origin is not None:
            sub.origin = [*self.origin, path]
        _set_openapi(sub.k, ldr, reset=False)
        if is_component and not sub.is_component:
            raise KustomizeError(
                f"expected kind 'Component' for path '{ldr.root}' but got "
                f"'{sub.k.get('kind')}'"
            )
        if not is_component and sub.is_component:
            raise KustomizeError(f"expected kind != 'Component' for path '{ldr.root}'")
        try:
            if is_component:
                sub_ra = sub.accumulate(ra)
                ra = Accumulator()
            else:
                sub_ra = sub.accumulate()
        except KustomizeError as e:
            raise KustomizeError(f"recursed accumulation of path '{ldr.root}': {e}") from None
        try:
            ra.merge(sub_ra, keys)
        except KustomizeError as e:
            raise KustomizeError(f"recursed merging from path '{ldr.root}': {e}") from None
        return ra

    # ------------------------------------------------------------ generators
    def _run_generators(self, ra: Accumulator) -> None:
        glob = self.k.get("generatorOptions")
        made: list[list[Resource]] = []
        for args in self.k.get("configMapGenerator") or []:
            opts = gen.merge_options(args.get("options"), glob)
            made.append([gen.make_configmap(self.ldr, args, opts)])
        for args in self.k.get("secretGenerator") or []:
            opts = gen.merge_options(args.get("options"), glob)
            made.append([gen.make_secret(self.ldr, args, opts)])
        if self.k.get("helmCharts") or self.k.get("helmChartInflationGenerator"):
            from kelm.kustomize.helm import inflate_charts

            made.append(inflate_charts(self, self.opts))
        for res in made:
            for r in res:
                kind_name = {"ConfigMap": "ConfigMapGenerator", "Secret": "SecretGenerator"}.get(
                    r.kind, "HelmChartInflationGenerator"
                )
                self._set_origin(r, self.builtin_origin(kind_name))
                self._absorb(ra, r)
        for cfg, res in self._external("generators"):
            for r in res:
                self._set_origin(r, plugin_origin(cfg))
                self._absorb(ra, r)

    @staticmethod
    def _set_origin(r: Resource, origin: dict[str, Any] | None) -> None:
        if origin is not None and r.origin is None:
            r.origin = origin
            r.touched = True

    def builtin_origin(self, kind: str) -> dict[str, Any] | None:
        if self.origin is None:
            return None
        return {
            "configuredIn": join(*self.origin, self.file_name),
            "configuredBy": {"apiVersion": "builtin", "kind": kind},
        }

    def annotate(self, m: ResMap, origin: dict[str, Any] | None) -> None:
        """Record a transformer run (buildMetadata: transformerAnnotations)."""
        m.items = [r for r in m.items if r.obj]
        if origin is None:
            return
        for r in m.items:
            if r.origin is None:
                r.origin = origin
            else:
                r.transformations.append(origin)
            r.touched = True

    def _absorb(self, ra: Accumulator, r: Resource) -> None:
        rid = r.cur_id()
        hits = ra.resmap.by_any_id(rid)
        if not hits:
            if r.behavior in ("merge", "replace"):
                raise KustomizeError(
                    f"merging from generator {_gen_str(r)}: id {_go_id(rid)} does not exist; "
                    "cannot merge or replace"
                )
            ra.resmap.append(r)
            return
        if len(hits) > 1:
            raise KustomizeError(f"found multiple objects that could accept merge of {rid}")
        old = hits[0]
        if r.behavior == "replace":
            _copy_merge_meta(r, old)
        elif r.behavior == "merge":
            _copy_merge_meta(r, old)
            for fieldname in ("data", "binaryData"):
                merged = dict(old.obj.get(fieldname) or {})
                merged.update(r.obj.get(fieldname) or {})
                if merged:
                    r.obj[fieldname] = merged
            if old.origin is not None:
                r.origin = old.origin
        else:
            raise KustomizeError(
                f"merging from generator {_gen_str(r)}: id {_go_id(rid)} exists; "
                "behavior must be merge or replace"
            )
        idx = ra.resmap.items.index(old)
        ra.resmap.items[idx] = r

    # ------------------------------------------------------------ transformers
    def _run_transformers(self, ra: Accumulator) -> None:
        k, tc, m = self.k, ra.config, ra.resmap
        steps: list[tuple[str, Any]] = []
        psm = k.get("patchesStrategicMerge") or []
        if psm:
            steps.append(("PatchStrategicMergeTransformer",
                          lambda: patches.patches_strategic_merge(self, m, psm)))
        for p in k.get("patches") or []:
            steps.append(("PatchTransformer", lambda p=p: patches.patch(self, m, p or {})))
        if k.get("namespace"):
            steps.append(("NamespaceTransformer",
                          lambda: tr.namespace(m, k["namespace"], tc.get("namespace"))))
        if k.get("namePrefix"):
            steps.append(("PrefixTransformer", lambda: tr.prefix_suffix(
                m, k["namePrefix"], None, tc.get("namePrefix"), [])))
        if k.get("nameSuffix"):
            steps.append(("SuffixTransformer", lambda: tr.prefix_suffix(
                m, None, k["nameSuffix"], [], tc.get("nameSuffix"))))
        if k.get("labels") or k.get("commonLabels"):
            for lab in k.get("labels") or []:
                steps.append(("LabelTransformer", lambda lab=lab: self._label(m, tc, lab or {})))
            steps.append(("LabelTransformer", lambda: tr.set_map_entries(
                m, tr.string_map(k.get("commonLabels") or {}), tc.get("commonLabels"))))
        if k.get("commonAnnotations"):
            steps.append(("AnnotationsTransformer", lambda: tr.set_map_entries(
                m, tr.string_map(k["commonAnnotations"]), tc.get("commonAnnotations"))))
        for p in k.get("patchesJson6902") or []:
            steps.append(("PatchJson6902Transformer", lambda p=p: patches.json6902(self, m, p or {})))
        for rep in k.get("replicas") or []:
            steps.append(("ReplicaCountTransformer", lambda rep=rep: tr.replicas(
                m, str(rep.get("name")), int(rep.get("count") or 0), tc.get("replicas"))))
        for img in k.get("images") or []:
            steps.append(("ImageTagTransformer",
                          lambda img=img: tr.images(m, img, tc.get("images"))))
        reps = k.get("replacements") or []
        if reps:
            steps.append(("ReplacementTransformer",
                          lambda: apply_replacements(m, self.load_replacements(reps))))
        for kind, run in steps:
            run()
            self.annotate(m, self.builtin_origin(kind))
        for cfg, _ in self._external("transformers"):
            self._run_plugin(ra, cfg)
            self.annotate(ra.resmap, plugin_origin(cfg))
        for cfg, _ in self._external("validators"):
            self._check_builtin(cfg)

    def _label(self, m: ResMap, tc: TransformerConfig, lab: dict[str, Any]) -> None:
        specs = [FieldSpec.from_dict(x) for x in lab.get("fields") or []]
        specs = fsl.merge_specs(specs, tc.get("labels"))
        if lab.get("includeSelectors"):
            specs = fsl.merge_specs(specs, tc.get("commonLabels"))
        else:
            if lab.get("includeTemplates"):
                specs = fsl.merge_specs(specs, tc.get("templateLabels"))
            specs = fsl.merge_specs(specs, [FieldSpec("metadata/labels", create=True)])
        tr.set_map_entries(m, tr.string_map(lab.get("pairs") or {}), specs)

    def load_replacements(self, reps: list[Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for r in reps:
            if isinstance(r, dict) and r.get("path"):
                docs = load_documents(self.ldr.load_text(r["path"]), r["path"])
                for d in docs:
                    if isinstance(d, list):
                        out.extend(d)
                    elif isinstance(d, dict):
                        out.append(d)
            else:
                out.append(r)
        return out

    def _external(self, field_name: str) -> list[tuple[Resource, list[Resource]]]:
        """Plugin configs of ``generators:``/``transformers:`` (inline YAML or paths)."""
        entries = self.k.get(field_name) or []
        configs: list[Resource] = []
        paths = []
        for e in entries:
            try:
                res = resources_from_bytes(e) if "\n" in e or ":" in e else None
            except KustomizeError:
                res = None
            if res:
                for r in res:
                    if self.origin is not None:
                        r.origin = {"path": join(*self.origin, self.file_name)}
                configs.extend(res)
            else:
                paths.append(e)
        if paths:
            ra = Accumulator()
            self._accumulate_resources(ra, paths)
            configs.extend(ra.resmap.items)
        if field_name == "generators":
            return [(cfg, self._run_generator_plugin(cfg)) for cfg in configs]
        return [(cfg, []) for cfg in configs]

    def _check_builtin(self, cfg: Resource) -> bool:
        """True for a builtin plugin config; False for a no-op exec function (kubectl
        kustomize has no --enable-exec); an error for everything else."""
        g = cfg.gvk
        if g.group == "" and g.version == "builtin":
            return True
        if not self.opts.enable_alpha_plugins:
            raise KustomizeError(
                f"external plugins disabled; unable to load external plugin '{cfg.kind}'"
            )
        ann = cfg.annotations()
        spec = ann.get("config.kubernetes.io/function") or ann.get("config.k8s.io/function")
        if isinstance(spec, str) and spec.strip():
            from kelm.kustomize.yamlread import load_documents

            try:
                docs = load_documents(spec)
            except KustomizeError:
                docs = []
            fn = docs[0] if docs and isinstance(docs[0], dict) else {}
            if "container" in fn:
                raise KustomizeError(
                    "couldn't execute function: container functions need a container runtime, "
                    "which kelm does not use"
                )
            if "exec" in fn or "starlark" in fn:
                return False
        raise KustomizeError(
            f"unable to load external plugin '{cfg.kind}': exec plugins are not found in the "
            "kustomize plugin home"
        )

    def _run_generator_plugin(self, cfg: Resource) -> list[Resource]:
        try:
            if not self._check_builtin(cfg):
                return []
        except KustomizeError as e:
            raise KustomizeError(
                f"loading generator plugins: failed to load generator: {e}"
            ) from None
        c = cfg.obj
        args = dict(c)
        meta = c.get("metadata") or {}
        args["name"] = c.get("name") or meta.get("name")
        args["namespace"] = c.get("namespace") or meta.get("namespace")
        opts = gen.merge_options(c.get("options"), None)
        if cfg.kind == "ConfigMapGenerator":
            return [gen.make_configmap(self.ldr, args, opts)]
        if cfg.kind == "SecretGenerator":
            return [gen.make_secret(self.ldr, args, opts)]
        if cfg.kind == "IAMPolicyGenerator":
            return [gen.make_iam_policy(cfg)]
        raise KustomizeError(f"unable to load builtin {cfg.gvk}")

    def _run_plugin(self, ra: Accumulator, cfg: Resource) -> None:
        if not self._check_builtin(cfg):
            return
        from kelm.kustomize.plugins import run_builtin_transformer

        run_builtin_transformer(self, ra, cfg)



def _norm(p: str) -> str:
    return os.path.normpath(p) if p else p


def _gen_str(r: Resource) -> str:
    return f"&{{{r.name}}}"


def _go_id(rid: Any) -> str:
    return str(rid)


def _copy_merge_meta(r: Resource, old: Resource) -> None:
    """kustomize's CopyMergeMetaDataFieldsFrom (maps pass through map[string]string)."""
    from kelm.kustomize.smp import text

    for key, getter in (("labels", Resource.labels), ("annotations", Resource.annotations)):
        merged = {k: str(text(v)) for k, v in getter(old).items()}
        merged.update({k: str(text(v)) for k, v in getter(r).items()})
        if merged:
            r.meta[key] = merged
        else:
            r.meta.pop(key, None)
    r.name = old.name
    r.namespace = old.namespace
    r.needs_hash = r.needs_hash and old.needs_hash
    r.prev = list(old.prev)
    r.prefixes = list(old.prefixes)
    r.suffixes = list(old.suffixes)
    r.refby = list(old.refby)
    r.refvars = list(old.refvars)


_SCHEMA_IS_SET = [False]


def _set_openapi(k: dict[str, Any], ldr: Loader, reset: bool) -> None:
    """kyaml's SetSchema: the first kustomization that sets a schema wins (top level resets)."""
    if _SCHEMA_IS_SET[0] and not reset:
        return
    api = k.get("openapi") or {}
    version = api.get("version") or ""
    if api.get("path"):
        import json

        raw = ldr.load(api["path"]).decode("utf-8", errors="replace")
        if api.get("version") is not None:
            raise KustomizeError("builtin version and custom schema provided, cannot use both")
        try:
            doc = json.loads(raw)
        except json.JSONDecodeError:
            docs = load_documents(raw, api["path"])
            doc = docs[0] if docs else {}
        set_schema(schema_from_document(doc if isinstance(doc, dict) else {}))
        _SCHEMA_IS_SET[0] = True
        return
    if not version:
        _SCHEMA_IS_SET[0] = False
        if reset:
            set_schema(None)
        return
    if version != "v1.21.2":
        raise KustomizeError("the specified OpenAPI version is not built in")
    set_schema(builtin_schema())
    _SCHEMA_IS_SET[0] = True


# ---------------------------------------------------------------- top level


def _stringify_final_annotations(r: Resource) -> None:
    """kustomize rewrites every non-empty annotation map through map[string]string when it
    strips its build annotations, so values end up as strings."""
    from kelm.kustomize.smp import text

    meta = r.obj.get("metadata")
    ann = meta.get("annotations") if isinstance(meta, dict) else None
    if isinstance(ann, dict) and ann:
        for k, v in ann.items():
            if type(v) is not str:
                ann[k] = str(text(v)) if v is not None else ""



def build(path: str, opts: Options | None = None, warnings: list[str] | None = None
          ) -> list[dict[str, Any]]:
    """Build the kustomization at ``path``; the resulting objects in output order."""
    opts = opts or Options()
    warnings = warnings if warnings is not None else []
    set_schema(None)
    _SCHEMA_IS_SET[0] = False
    try:
        ldr = root_loader(path, opts.load_restrictor)
        kt = Target(ldr, opts, warnings)
        _set_openapi(kt.k, ldr, reset=True)
        meta = list(kt.k.get("buildMetadata") or [])
        kt.build_metadata = meta
        if meta:
            kt.origin = []
        ra = kt.accumulate()
        m = ra.resmap
        gen.hash_names(m)
        fix_references(m, ra.config.name_reference)
        resolve(m, ra.variables, ra.config.get("varReference"))
        m.items = [
            r for r in m.items
            if str(r.annotations().get("config.kubernetes.io/local-config", "false")) == "false"
            or "config.kubernetes.io/local-config" not in r.annotations()
        ]
        sort_resources(m, kt.k.get("sortOptions"))
        if "managedByLabel" in meta:
            tr.set_map_entries(
                m,
                {"app.kubernetes.io/managed-by": "kustomize-v5.7.1"},
                [FieldSpec("metadata/labels", create=True)],
            )
        from kelm.kustomize.replacements import check_typed

        out = []
        for r in m.items:
            _stringify_final_annotations(r)
            check_typed(r.obj)
            if r.origin is not None and "originAnnotations" in meta:
                r.meta.setdefault("annotations", {})["config.kubernetes.io/origin"] = (
                    format_origin(r.origin)
                )
            if r.transformations and "transformerAnnotations" in meta:
                r.meta.setdefault("annotations", {})[
                    "alpha.config.kubernetes.io/transformations"
                ] = format_transformations(r.transformations)
            ann = r.meta.get("annotations") if isinstance(r.obj.get("metadata"), dict) else None
            if isinstance(ann, dict) and not ann and r.touched:
                r.meta.pop("annotations", None)
            out.append(r.obj)
        return out
    finally:
        set_schema(None)

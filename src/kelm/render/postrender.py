"""Post-rendering: all manifests as one stream through an external program, and back.

As Helm does, every document is tagged with a ``postrenderer.helm.sh/postrender-filename``
annotation naming its template so the program's output can be split back into files; the
annotation is removed afterwards.  Documents are re-serialised (go-yaml v3 style), as Helm's
kyaml round trip also re-serialises them.
"""

from __future__ import annotations

from kelm.render.manifests import go_trim, split_manifests

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

FILENAME_ANNOTATION = "postrenderer.helm.sh/postrender-filename"


class PostRenderError(Exception):
    pass


def _fix_doc_separators(content: str) -> str:
    out = []
    for line in content.split("\n"):
        if line.startswith("---") and len(line) > 3 and line[3] not in " \t\r":
            out.append("---")
            out.append(line[3:])
        else:
            out.append(line)
    return "\n".join(out)


def _load(doc: str) -> Any:
    from kelm.values.yamlload import load_yaml

    return load_yaml(doc)


def _dump(obj: Any) -> str:
    from kelm.yaml import dump_v3

    return dump_v3(obj)


def annotate_and_merge(files: dict[str, str]) -> str:
    docs = []
    for fname in sorted(files):
        content = files[fname]
        if fname.rsplit("/", 1)[-1].startswith("_") or not go_trim(content):
            continue
        for d in split_manifests(_fix_doc_separators(content)):
            obj = _load(d)
            if not isinstance(obj, dict):
                continue
            md = obj.setdefault("metadata", {})
            if not isinstance(md, dict):
                raise PostRenderError(f"annotating {fname}: metadata is not a mapping")
            ann = md.setdefault("annotations", {})
            ann[FILENAME_ANNOTATION] = fname
            docs.append(_dump(obj))
    return "---\n".join(docs)


def split_and_deannotate(text: str) -> dict[str, str]:
    by_file: dict[str, list[str]] = {}
    for i, d in enumerate(split_manifests(text)):
        obj = _load(d)
        if not isinstance(obj, dict):
            continue
        md = obj.get("metadata")
        if not isinstance(md, dict):
            md = {}
        ann = md.get("annotations")
        if not isinstance(ann, dict):
            ann = {}
        fname = ann.pop(FILENAME_ANNOTATION, "") or f"generated-by-postrender-{i}.yaml"
        if isinstance(md.get("annotations"), dict) and not md["annotations"]:
            del md["annotations"]
        by_file.setdefault(fname, []).append(_dump(obj))
    return {k: "---\n".join(v) for k, v in by_file.items()}

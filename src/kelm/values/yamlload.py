"""Values-file loading on top of :mod:`kelm.yaml.loader` (Helm's sigs.k8s.io/yaml reading).

:func:`load_yaml` keeps integers as ints (callers decide whether numbers become float64);
:func:`load_values` is ``loader.LoadValues``: documents merged, numbers float64.
"""

from __future__ import annotations

from kelm.yaml.jsondec import go_json_kind
from kelm.yaml.loader import JSON_PREFIX, YAMLError, go_error, go_loader, load_helm

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["YAMLError", "check_syntax", "load_values", "load_yaml", "merge_maps", "to_float64"]

def load_yaml(text: str) -> Any:
    """One YAML document as Helm's YAML->JSON step sees it (ints kept as ints: the loader's
    ``k8s`` flavour)."""
    return load_helm(text, loader_cls=go_loader("k8s"))


def check_syntax(text: str) -> None:
    """Validate YAML syntax only (libyaml's C parser, no Python objects built)."""
    import yaml

    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover
        load_yaml(text)
        return
    try:
        CParser(text).raw_parse()
    except yaml.YAMLError as e:
        g = go_error(e, text)
        raise YAMLError(JSON_PREFIX + g.message, g.line) from None


def to_float64(v: Any) -> Any:
    """JSON decoding into interface{}: every number becomes float64."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, dict):
        return {k: to_float64(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_float64(x) for x in v]
    return v


def split_documents(text: str) -> list[str]:
    """Split like k8s' YAMLReader: a line that is ``---`` (plus spaces) ends a document."""
    if "---" not in text:  # the usual values file: one document, no need to walk its lines
        return [text] if text else []
    docs: list[str] = []
    buf: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("---") and not line[3:].strip():
            if buf:
                docs.append("".join(buf))
                buf = []
            continue
        buf.append(line)
    if buf:
        docs.append("".join(buf))
    return docs


def load_values_doc(text: str) -> dict[str, Any]:
    """One document of a values file: a mapping (or nothing) with float64 numbers."""
    data = load_helm(text)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise YAMLError(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            f"{go_json_kind(data)} into Go value of type map[string]interface {{}}"
        )
    return data


def merge_maps(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Helm's loader.MergeMaps: b wins, nested maps merge, a is not modified."""
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict):
            cur = out.get(k)
            if isinstance(cur, dict):
                out[k] = merge_maps(cur, v)
                continue
        out[k] = v
    return out


def load_values(text: str) -> dict[str, Any]:
    """A whole values file (several documents are merged), as ``loader.LoadValues``.

    Raises :class:`YAMLError` with Helm's ``cannot unmarshal yaml document: ...`` text.
    """
    values: dict[str, Any] = {}
    for doc in split_documents(text):
        try:
            current = load_values_doc(doc)
        except YAMLError as e:
            raise YAMLError(f"cannot unmarshal yaml document: {e}", e.line) from None
        values = merge_maps(values, current)
    return values

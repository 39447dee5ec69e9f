"""Go-compatible YAML / JSON / TOML reading and writing.

Writers
  ``dump_v2(obj, json_roundtrip=True)``  sigs.k8s.io/yaml.Marshal: Go value -> JSON data
        (encoding/json rules) -> go-yaml v2 emitter.  Helm ``toYaml`` and kustomize output
        (pass ``json_roundtrip=False`` for data that is already plain).  Ends with ``\n``.
  ``dump_v3(obj)``    go-yaml v3 Encoder, indent 2 (Helm ``toYamlPretty``).  Ends with ``\n``.
  ``dump_json(obj, escape_html=True, indent=None)``  encoding/json Marshal / MarshalIndent.
  ``dump_toml(obj)``  BurntSushi/toml encoder (Helm ``toToml``).
Readers
  ``load_helm(text)`` / ``load_all_helm(text)``  sigs.k8s.io/yaml.Unmarshal into interface{}:
        go-yaml v2 (YAML 1.1) typing, then JSON (numbers float64, keys strings, NaN/Inf error).
  ``loader.make_loader(v3=, json_numbers=, json_keys=)`` + ``loader.load_go(text, cls)``:
        the same PyYAML C loader with other choices (kustomize-style readers).
  ``load_toml(text)`` BurntSushi/toml decoding (ints int64, floats float64, datetimes GoTime;
        tomllib for strict TOML, ``tomlgo`` for BurntSushi's leniency and error texts).
  ``jsondec.parse(text)``  encoding/json decoding with Go's error texts.
Go value model extras (``kelm.yaml.jsonenc``)
  ``NilMap`` / ``NilList``: empty but marshal as ``null``; ``StructObject``: a struct's fields in
  declaration order.  Structs are read from ``_go_fields`` (JSON names from an optional
  ``_go_json_names`` dict) or from a ``__go_json__()`` method returning raw JSON text.
Errors
  ``YAMLError`` (``.line`` 1-based or 0, ``str()`` Go's full text), ``JSONError``,
  ``TOMLError``.  All subclass ``ValueError``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

    from .jsonenc import JSONError, dump_json, to_plain

__all__ = [
    "JSONError", "TOMLError", "YAMLError", "dump_json", "dump_toml", "dump_v2", "dump_v3",
    "load_all_helm", "load_helm", "load_toml", "to_plain",
]


def dump_v2(obj: Any, *, json_roundtrip: bool = True) -> str:
    """sigs.k8s.io/yaml.Marshal text of ``obj`` (raises JSONError like Go's json.Marshal).

    ``json_roundtrip=False`` skips the Go-value normalisation for data that is already plain
    (dict with str keys, list, str, int, float, bool, None) - kustomize's resources.
    """
    from .emitter import emit
    from .jsonenc import to_plain

    return emit(to_plain(obj, utf8=True) if json_roundtrip else obj, v3=False)


def dump_v3(obj: Any) -> str:
    """go-yaml v3 Encoder (indent 2) text of a Go value, no JSON round trip."""
    from .emitter import emit
    from .v3model import to_v3

    return emit(to_v3(obj), v3=True)


def __getattr__(name: str) -> Any:
    # Submodules load on first use (reading values or Chart.yaml needs neither json nor toml).
    if name in ("JSONError", "dump_json", "to_plain"):
        from . import jsonenc

        return getattr(jsonenc, name)
    if name in ("load_helm", "load_all_helm", "YAMLError"):
        from . import loader

        return getattr(loader, name)
    if name in ("dump_toml", "load_toml", "TOMLError"):
        from . import toml

        return getattr(toml, name)
    raise AttributeError(name)

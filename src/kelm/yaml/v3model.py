"""Go values as go-yaml v3 encodes them directly (no JSON step): floats keep ``%g`` form."""

from __future__ import annotations

import base64

from .jsonenc import JSONError, StructObject, _go_type_name

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


class Binary(str):
    """A string that is not valid UTF-8: go-yaml v3 writes ``!!binary BASE64``."""

    yaml_tag = "!!binary"


def to_v3(v: Any) -> Any:
    if v is None or v is True or v is False:
        return v
    if type(v) is str:
        if not v.isascii():
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                raw = v.encode("utf-8", "surrogateescape")
                return Binary(base64.b64encode(raw).decode("ascii"))
        return v
    if isinstance(v, dict):
        return {k if isinstance(k, str) else _v3_key(k): to_v3(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_v3(x) for x in v]
    if isinstance(v, float):
        return v  # go-yaml prints NaN/Inf as .nan/.inf, no error
    if isinstance(v, int):
        return int(v)
    if isinstance(v, str):
        return str(v)
    if isinstance(v, (bytes, bytearray)):
        return [int(b) for b in v]
    hook = getattr(v, "__go_json__", None)
    if hook is not None:
        return to_v3(hook())
    fields = getattr(v, "_go_fields", None)
    if fields is not None:
        return StructObject((f.lower(), to_v3(getattr(v, f, None))) for f in fields)
    raise JSONError(f"cannot marshal type: {_go_type_name(v)}")


def _v3_key(k: Any) -> str:
    if k is True:
        return "true"
    if k is False:
        return "false"
    return str(k)

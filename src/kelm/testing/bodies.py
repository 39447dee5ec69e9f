"""Request bodies as data: JSON, YAML and protobuf, with decode errors worded (and the body
quoted) as the real API server words them."""

from __future__ import annotations

import json
from typing import Any

import yaml

from kelm.testing import errors, protobuf
from kelm.testing.errors import ApiError
from kelm.testing.registry import ResourceType

PROTOBUF = "application/vnd.kubernetes.protobuf"
PATCH_TYPES = {
    "application/json-patch+json": "json",
    "application/merge-patch+json": "merge",
    "application/strategic-merge-patch+json": "strategic",
    "application/apply-patch+yaml": "apply",
}

_GO_JSON_CONTEXT = {
    "Expecting property name enclosed in double quotes": "looking for beginning of object key string",
    "Expecting ':' delimiter": "after object key",
    "Expecting ',' delimiter": "after object key:value pair",
    "Extra data": "after top-level value",
}


def _json_or_none(text: str) -> Any:
    if not text.lstrip().startswith("{"):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def go_json_error(text: str, e: json.JSONDecodeError) -> str:
    """Go's encoding/json wording for a syntax error (what the real server reports)."""
    if e.pos >= len(text.rstrip()) or e.msg.startswith("Unterminated"):
        return "unexpected end of JSON input"
    ch = text[e.pos]
    context = _GO_JSON_CONTEXT.get(e.msg, "looking for beginning of value")
    if e.msg == "Expecting ',' delimiter" and _innermost(text[:e.pos]) == "[":
        context = "after array element"
    return f"invalid character '{ch}' {context}"


def _innermost(prefix: str) -> str:
    """The innermost open bracket of a JSON prefix (strings skipped)."""
    stack: list[str] = []
    in_str = esc = False
    for ch in prefix:
        if in_str:
            esc = not esc and ch == "\\"
            if ch == '"' and not esc:
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch in "[{":
            stack.append(ch)
        elif ch in "]}" and stack:
            stack.pop()
    return stack[-1] if stack else ""


def summary(data: bytes, limit: int = 30) -> str:
    """How the real server quotes a body it could not decode: text if it looks like an
    object, hex otherwise, cut at ``limit`` bytes."""
    if not data:
        return "<empty>"
    if data[:1] == b"{":
        text = data[:limit].decode("utf-8", errors="replace")
        return text + " ..." if len(data) > limit else text
    return data[:limit].hex() + (" ..." if len(data) > limit else "")


def decode(raw: bytes, ctype: str, kind: str = "object", t: ResourceType | None = None) -> Any:
    """The request body as data. ``kind`` "object" (create/update) words errors as the
    server's object decoder does, naming ``t``; "patch" as its patch decoder."""
    if ctype == PROTOBUF and kind == "object":
        return protobuf.decode(raw)
    if ctype not in ("application/json", "application/yaml", "*/*", "") and \
            ctype not in PATCH_TYPES:
        raise errors.unsupported_media(ctype)
    text = raw.decode("utf-8", errors="replace")

    def unrecognized(why: str) -> ApiError:
        if t is None:
            return errors.bad_request(f"couldn't get version/kind; json parse error: {why}")
        return errors.bad_request(f"the object provided is unrecognized (must be of type "
                                  f"{t.kind}): couldn't get version/kind; json parse error: "
                                  f"{why} ({summary(raw)})")
    if not text.strip():
        if kind == "object":
            raise unrecognized("unexpected end of JSON input")
        raise errors.bad_request("the body of the request was empty")
    if ctype in ("application/yaml", "application/apply-patch+yaml"):
        try:
            # apply bodies are usually JSON (helm, kubectl, kelm send JSON): parse it as such
            # first, 200x faster than the YAML reader; anything else is YAML
            data = _json_or_none(text)
            if data is None:
                data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise errors.bad_request(f"error converting YAML to JSON: {str(e).splitlines()[0]}") from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            msg = go_json_error(text, e)
            if kind == "object":
                raise unrecognized(msg) from None
            raise errors.bad_request(msg) from None
    if kind == "object" and not isinstance(data, dict):
        go = {list: "array", str: "string", bool: "bool", int: "number", float: "number"}
        raise unrecognized(
            f"json: cannot unmarshal {go.get(type(data), 'value')} into Go value of type "
            'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; '
            'Kind string "json:\\"kind,omitempty\\"" }')
    return data


"""Build ``k8s_proto.json``, the protobuf field table the emulator decodes request bodies with
(kubectl's and Helm's typed clients send ``application/vnd.kubernetes.protobuf``).

Source: the ``generated.proto`` files of kubernetes/api and kubernetes/apimachinery (GA
versions only) for message layouts, and their ``types.go`` for which fields are Go pointers
(a zero value that was set must survive; other zero values are left out as JSON would).

    python -m kelm.testing.gen_proto K8S_IO_API_DIR K8S_IO_APIMACHINERY_DIR > src/kelm/testing/k8s_proto.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

_FIELD = re.compile(r"^\s*(optional|repeated)\s+([.\w]+)\s+(\w+)\s*=\s*(\d+)")
_MAP = re.compile(r"^\s*map<\s*(\w+)\s*,\s*([.\w]+)\s*>\s+(\w+)\s*=\s*(\d+)")
_SCALARS = {"string", "int32", "int64", "bool", "bytes", "double", "float", "uint32", "uint64"}
_STRUCT = re.compile(r"^type (\w+) struct \{")
_PTR_ONLY = re.compile(r'^\s+\w+\s+\*[\w.]+\s+`json:"(\w+)')


def _qualify(t: str, package: str) -> str:
    if t in _SCALARS:
        return t
    return t[1:] if t.startswith(".") else f"{package}.{t}"


def parse_proto(text: str) -> dict[str, dict[str, list[Any]]]:
    package = re.search(r"^package ([\w.]+);", text, re.M)
    assert package is not None
    pkg = package[1]
    out: dict[str, dict[str, list[Any]]] = {}
    cur: dict[str, list[Any]] | None = None
    for line in text.splitlines():
        line = line.split("//")[0]
        m = re.match(r"^message (\w+) \{", line)
        if m:
            cur = out.setdefault(f"{pkg}.{m[1]}", {})
            continue
        if cur is None:
            continue
        if line.startswith("}"):
            cur = None
        elif fm := _FIELD.match(line):
            cur[fm[4]] = [fm[3], _qualify(fm[2], pkg), "r" if fm[1] == "repeated" else "o"]
        elif mm := _MAP.match(line):
            cur[mm[4]] = [mm[3], _qualify(mm[2], pkg), "m:" + mm[1]]
    return out


def parse_pointers(text: str, package: str) -> dict[str, list[str]]:
    """struct -> json names of its pointer fields."""
    out: dict[str, list[str]] = {}
    cur = ""
    for line in text.splitlines():
        if m := _STRUCT.match(line):
            cur = f"{package}.{m[1]}"
            continue
        if line.startswith("}"):
            cur = ""
        elif cur and (m := _PTR_ONLY.match(line)):
            out.setdefault(cur, []).append(m[1])
    return out


def _ga(path: Path) -> bool:
    return not re.search(r"(alpha|beta)\d*$", path.parent.name)


def build(api_dir: Path, machinery_dir: Path) -> dict[str, Any]:
    messages: dict[str, Any] = {}
    pointers: dict[str, Any] = {}
    protos = [p for p in sorted(api_dir.glob("*/*/generated.proto")) if _ga(p)]
    protos += [machinery_dir / p for p in (
        "pkg/apis/meta/v1/generated.proto", "pkg/runtime/generated.proto",
        "pkg/util/intstr/generated.proto", "pkg/api/resource/generated.proto")]
    for proto in protos:
        text = proto.read_text(encoding="utf-8")
        msgs = parse_proto(text)
        messages.update(msgs)
        pkg = re.search(r"^package ([\w.]+);", text, re.M)
        types_go = proto.with_name("types.go")
        if pkg and types_go.exists():
            pointers.update(parse_pointers(types_go.read_text(encoding="utf-8"), pkg[1]))
    return {"source": "kubernetes/api and kubernetes/apimachinery generated.proto + types.go "
                      "(master, July 2026)",
            "messages": messages, "pointers": pointers}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m kelm.testing.gen_proto K8S_IO_API_DIR K8S_IO_APIMACHINERY_DIR",
              file=sys.stderr)
        return 2
    json.dump(build(Path(argv[0]), Path(argv[1])), sys.stdout, separators=(",", ":"),
              sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

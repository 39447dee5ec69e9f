"""Presets over rendered manifest text (``kelm template --preset``).

Documents that no preset changes are returned byte for byte; a changed document is
re-emitted in kubectl's style (``kelm.yaml.dump_v2``: keys sorted) after its leading
comment lines (Helm's ``# Source:`` header), since the template's own layout cannot be
kept once fields are inserted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from kelm.presets.apply import DEFAULT_NAMESPACE, ApplyResult, apply_presets
from kelm.presets.model import PodPreset
from kelm.presets.yamlio import dump_document

_SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)
_UNPARSED = object()


def _parse(text: str) -> Any:
    from kelm.yaml.loader import YAMLError, go_loader, load_go

    try:
        return load_go(text, go_loader("k8s"))
    except YAMLError:
        return _UNPARSED


def _header(text: str) -> str:
    """The leading comment/blank lines of a document (kept when it is re-emitted)."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


def apply_to_documents(
    presets: Iterable[PodPreset | dict[str, Any]],
    texts: Sequence[str],
    *,
    namespace: str = DEFAULT_NAMESPACE,
) -> tuple[list[str], ApplyResult]:
    """Apply presets to single-document YAML texts; unchanged texts come back identical.

    A text that does not parse is passed through untouched (and reported ``not-a-pod``).
    """
    parsed = [_parse(t) for t in texts]
    objects = [None if p is _UNPARSED else p for p in parsed]
    result = apply_presets(presets, objects, namespace=namespace)
    out: list[str] = []
    for text, before, after in zip(texts, objects, result.objects, strict=True):
        if after is before:
            out.append(text)
        else:
            header = _header(text)
            if header and not header.endswith("\n"):
                header += "\n"
            out.append(header + dump_document(after))
    return out, result


def apply_to_stream(
    presets: Iterable[PodPreset | dict[str, Any]],
    text: str,
    *,
    namespace: str = DEFAULT_NAMESPACE,
) -> tuple[str, ApplyResult]:
    """Apply presets to a ``---``-separated multi-document stream (separators kept)."""
    parts = _SEPARATOR.split(text)
    seps = _SEPARATOR.findall(text)
    bodies = [p.lstrip("\n") if i else p for i, p in enumerate(parts)]
    lead = [p[: len(p) - len(b)] for p, b in zip(parts, bodies, strict=True)]
    candidates = [i for i, b in enumerate(bodies) if b.strip()]
    new_texts, result = apply_to_documents(
        presets, [bodies[i] for i in candidates], namespace=namespace
    )
    for i, new in zip(candidates, new_texts, strict=True):
        bodies[i] = new
    pieces = [lead[0] + bodies[0]]
    for sep, pre, body in zip(seps, lead[1:], bodies[1:], strict=True):
        pieces.append(sep + pre + body)
    return "".join(pieces), result

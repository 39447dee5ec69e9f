"""kyaml-style field paths (``a.b[name=x].c``, ``a.0.b``) used by replacements and vars."""

from __future__ import annotations

from typing import Any

from kelm.kustomize.smp import text


def split_dotted(path: str) -> list[str]:
    """Split on ``.`` except inside ``[...]``; ``a[0]`` becomes ``a``, ``0``."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for c in path:
        if c == "[":
            if depth == 0 and cur:
                parts.append("".join(cur))
                cur = []
            depth += 1
            cur.append(c)
            continue
        if c == "]":
            depth -= 1
            cur.append(c)
            if depth == 0:
                parts.append("".join(cur))
                cur = []
            continue
        if c == "." and depth == 0:
            if cur:
                parts.append("".join(cur))
            cur = []
            continue
        cur.append(c)
    if cur:
        parts.append("".join(cur))
    out = []
    for p in parts:
        if p.startswith("[") and p.endswith("]") and "=" not in p:
            out.append(p[1:-1])
        else:
            out.append(p)
    return out


def lookup(node: Any, parts: list[str]) -> Any:
    """Return the value at ``parts`` or None."""
    cur = node
    for p in parts:
        if isinstance(cur, dict):
            if p not in cur:
                return None
            cur = cur[p]
        elif isinstance(cur, list):
            if p.startswith("[") and p.endswith("]"):
                k, _, v = p[1:-1].partition("=")
                hit = None
                for e in cur:
                    if k == "" and text(e) == v or (
                        isinstance(e, dict) and k in e and text(e[k]) == v
                    ):
                        hit = e
                        break
                if hit is None:
                    return None
                cur = hit
            else:
                try:
                    i = int(p)
                except ValueError:
                    return None
                if i < 0 or i >= len(cur):
                    return None
                cur = cur[i]
        else:
            return None
    return cur


def match_targets(node: Any, parts: list[str], create: Any) -> list[tuple[Any, Any, bool]]:
    """All (container, key, created) the path selects; ``create`` builds missing leaves."""
    out: list[tuple[Any, Any, bool]] = []
    made: set[tuple[int, Any]] = set()  # (id(container), key) of the leaves created

    def rec(container: Any, key: Any, i: int) -> None:
        cur = container[key]
        if i == len(parts):
            out.append((container, key, (id(container), key) in made))
            return
        p = parts[i]
        last = i + 1 == len(parts)
        if isinstance(cur, dict):
            if p == "*":
                for k in list(cur):
                    rec(cur, k, i + 1)
                return
            if p.startswith("[") and p.endswith("]"):
                return
            if p in cur and cur[p] is None and last:
                rec(cur, p, i + 1)  # an existing null leaf is found (and keeps its tag)
                return
            if p not in cur or cur[p] is None:
                if create is None:
                    return
                nxt = parts[i + 1] if not last else ""
                if last:
                    cur[p] = create()
                    made.add((id(cur), p))
                elif nxt.startswith("[") or nxt.isdigit() or nxt in ("*", "-"):
                    cur[p] = []
                else:
                    cur[p] = {}
            rec(cur, p, i + 1)
        elif isinstance(cur, list):
            if p == "*" or p == "-" and False:
                for j in range(len(cur)):
                    rec(cur, j, i + 1)
                return
            if p.startswith("[") and p.endswith("]"):
                k, _, v = p[1:-1].partition("=")
                hits = [
                    j for j, e in enumerate(cur)
                    if (k == "" and text(e) == v)
                    or (isinstance(e, dict) and k in e and text(e[k]) == v)
                ]
                if not hits and create is not None:
                    cur.append({k: v} if k else v)
                    hits = [len(cur) - 1]
                for j in hits:
                    rec(cur, j, i + 1)
                return
            try:
                j = int(p)
            except ValueError:
                return
            if 0 <= j < len(cur):
                rec(cur, j, i + 1)

    holder = [node]
    rec(holder, 0, 0)
    return out

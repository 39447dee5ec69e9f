"""Record how Helm v4.1.4 matches chart paths: ``.Files.Glob`` (gobwas/glob) and
``.helmignore`` rules (filepath.Match), the two dialects of :mod:`kelm.chart.globs`.

One chart lists ``.Files.Glob`` for many patterns; one chart per ``.helmignore`` rule lists
the files left.  Writes tests/golden/charts/globs.json, replayed by tests/render/test_golden.py.
Re-record: python -m tests.chart.record_globs
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.render.record import GOLDEN, record_case

CHART = "apiVersion: v2\nname: {name}\nversion: 0.1.0\n"
FILE_NAMES = [
    "a.txt", "b.TXT", "c.txt", "ab.txt", "x/y.txt", "x/z/w.txt", "a,b.txt", "c{d}.txt",
    "e]f", "g^h", "i!j.txt", "k-l.txt", "[x].txt", "x/.hidden", "-.txt",
]
GLOBS = [
    "*", "**", "*.txt", "**.txt", "x/*", "x/**", "x/**/w.txt", "***", "?.txt", "x/?/*",
    "{a,b}.*", "{a,x/*}.txt", "{a,b", "{a,{b,c}}.txt", "{a,}*", "a,b.txt", "{a\\,b,zz}.txt",
    "c\\{d\\}.txt", "*{d}*", "c{d}.txt", "[ab].*", "[!a].txt", "[a-c].*", "[!a-b].*", "[c-a].*",
    "[a-c0-9].*", "[^a].txt", "[]", "[!]", "[\\]]*", "e]f", "e[]]f", "a.txt\\", "[a-]*", "[-]*",
    "[,]*", "[", "[a", "[!!]*", "[\\[]x].txt", "\\*", "x/", "i!j.txt", "[?*]", "{}", "}a.txt",
]
IGNORE_RULES = [
    "*.txt", "x/", "x", "/a.txt", "!*.txt", "[ab].txt", "[^a].txt", "[a-c].txt", "[z-a].txt",
    "[]a].txt", "[a-].txt", "[-a].txt", "a\\", "[\\]]*", "e]f", "x/*.txt", "*/w.txt", "?.txt",
    "{a,b}.txt", "**", "[!a].txt", "x/z", "[a-c0-9]*", "[", "\\*", "*.TXT", "z/", "!x/",
    "[^-a].txt", "[a\\-c].txt",
]
LIST_FILES = "{{ range $k, $_ := .Files }}{{ $k }}\n{{ end }}"
LIST_GLOBS = (
    "{{ range .Values.globs }}{{ . }} =>{{ range $k, $_ := $.Files.Glob . }} {{ $k }}{{ end }}\n"
    "{{ end }}"
)


def _chart(name: str, template: str, extra: dict[str, str]) -> dict[str, str]:
    files = {f"{name}/{f}": f"{f}\n" for f in FILE_NAMES}
    files[f"{name}/Chart.yaml"] = CHART.format(name=name)
    files[f"{name}/templates/list.yaml"] = "# " + template.replace("\n", "\n# ")
    files.update({f"{name}/{k}": v for k, v in extra.items()})
    return files


def cases() -> list[dict[str, Any]]:
    out = [{
        "name": "files-glob",
        "files": _chart("g", LIST_GLOBS, {"values.yaml": json.dumps({"globs": GLOBS}) + "\n"}),
        "args": ["template", "r", "g"],
    }]
    for i, rule in enumerate(IGNORE_RULES):
        out.append({
            "name": f"helmignore-{i}",
            "files": _chart("h", LIST_FILES, {".helmignore": rule + "\n"}),
            "args": ["template", "r", "h"],
        })
    return out


def main() -> None:
    path = Path(GOLDEN) / "globs.json"
    recorded = [record_case(c) for c in cases()]
    path.write_text(json.dumps({"helm": "v4.1.4", "cases": recorded}, indent=1) + "\n")
    print(f"globs: {len(recorded)} cases -> {path}")


if __name__ == "__main__":
    main()

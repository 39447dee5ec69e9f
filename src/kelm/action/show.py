"""`kelm show chart|values|readme|crds|all`: a chart's parts, printed as Helm prints them."""

from __future__ import annotations

from kelm.chart import Chart

FORMATS = ("all", "chart", "values", "readme", "crds")
_README_NAMES = ("readme.md", "readme.txt", "readme")


def _readme(chart: Chart) -> bytes | None:
    for f in chart.files:
        if f.name.lower() in _README_NAMES:
            return f.data
    return None


def show(chart: Chart, what: str) -> str:
    """The text ``helm show WHAT`` prints for ``chart`` (sections joined by ``---``)."""
    from kelm.chart.jsonform import metadata_json
    from kelm.yaml import dump_v2

    parts: list[str] = []
    everything = what == "all"
    if what in ("chart", "all"):
        parts.append(dump_v2(metadata_json(chart.metadata)) + "\n")
    if what in ("values", "all") and chart.values is not None:
        if everything:
            parts.append("---\n")
        for f in chart.raw:
            if f.name == "values.yaml":
                parts.append(f.data.decode("utf-8", "replace") + "\n")
    if what in ("readme", "all"):
        readme = _readme(chart)
        if readme is not None:
            if everything:
                parts.append("---\n")
            parts.append(readme.decode("utf-8", "replace") + "\n")
    if what in ("crds", "all"):
        for _path, f in chart.crd_objects():
            if not f.data.startswith(b"---"):
                parts.append("---\n")
            parts.append(f.data.decode("utf-8", "replace") + "\n")
    return "".join(parts)

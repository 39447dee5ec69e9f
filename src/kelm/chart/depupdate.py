"""``--dependency-update`` offline: vendor ``file://`` dependencies into ``charts/``.

Like Helm's downloader for local repositories: each dependency whose ``repository`` is a
``file://`` path is packaged as ``charts/NAME-VERSION.tgz``, ``Chart.lock`` is written with
Helm's digest, and Helm's progress lines are returned for stdout.  Remote repositories need
the network, which kelm does not use: they are reported as an error.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time

from kelm.chart.model import Chart, ChartError, Dependency

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


def _dep_json(d: Dependency) -> dict[str, Any]:
    out: dict[str, Any] = {"name": d.name}
    if d.version:
        out["version"] = d.version
    out["repository"] = d.repository
    if d.condition:
        out["condition"] = d.condition
    if d.tags:
        out["tags"] = d.tags
    if d.enabled:
        out["enabled"] = d.enabled
    if d.import_values:
        out["import-values"] = d.import_values
    if d.alias:
        out["alias"] = d.alias
    return out


def hash_req(req: list[Dependency], lock: list[Dependency]) -> str:
    """Helm's ``resolver.HashReq``: sha256 of the JSON of [requested, locked]."""
    data = json.dumps(
        [[_dep_json(d) for d in req], [_dep_json(d) for d in lock]],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return "sha256:" + hashlib.sha256(data.encode()).hexdigest()


def package_dir(src: str, name: str) -> bytes:
    """A chart directory as a .tgz with the ``name/`` prefix Helm's loader expects."""
    from kelm.chart.ignore import Rules

    rules = Rules()
    ign = os.path.join(src, ".helmignore")
    if os.path.exists(ign):
        with open(ign, encoding="utf-8", errors="replace") as fh:
            rules = Rules.parse(fh.read())
    rules.add_defaults()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for dirpath, dirnames, filenames in os.walk(src):
            rel_dir = os.path.relpath(dirpath, src)
            rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/")
            dirnames[:] = sorted(
                d for d in dirnames if not rules.ignore(f"{rel_dir}/{d}".lstrip("/"), True)
            )
            for fn in sorted(filenames):
                rel = f"{rel_dir}/{fn}".lstrip("/")
                if rules.ignore(rel, False):
                    continue
                tf.add(os.path.join(dirpath, fn), arcname=f"{name}/{rel}")
    return buf.getvalue()


def update_dependencies(chart_path: str, chart: Chart) -> list[str]:
    """Vendor the chart's file:// dependencies; returns the lines Helm prints."""
    from kelm.chart.loader import load_dir

    reqs = [d for d in chart.metadata.dependencies if d is not None]
    charts_dir = os.path.join(chart_path, "charts")
    locked: list[Dependency] = []
    packages: list[tuple[str, bytes]] = []
    for d in reqs:
        if not d.repository.startswith("file://"):
            raise ChartError(
                f"no cached repository for {d.repository or d.name} found; kelm works offline "
                "and can only update file:// dependencies"
            )
        src = os.path.normpath(os.path.join(chart_path, d.repository[len("file://") :]))
        try:
            dep_chart = load_dir(src)
        except ChartError as e:
            raise ChartError(f"directory {src} not found: {e}") from None
        version = dep_chart.metadata.version
        locked.append(Dependency(name=d.name, version=version, repository=d.repository))
        packages.append((f"{dep_chart.name}-{version}.tgz", package_dir(src, dep_chart.name)))
    os.makedirs(charts_dir, exist_ok=True)
    lines = [f"Saving {len(packages)} charts"]
    for fname, data in packages:
        with open(os.path.join(charts_dir, fname), "wb") as fh:
            fh.write(data)
    lines.append("Deleting outdated charts")
    digest = hash_req(reqs, locked)
    lock_name = "requirements.lock" if chart.metadata.api_version == "v1" else "Chart.lock"
    from kelm.yaml import dump_v2

    lock = {
        "dependencies": [
            {"name": d.name, "repository": d.repository, "version": d.version} for d in locked
        ],
        "digest": digest,
        "generated": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
        + f".{int(time.time() * 1e9) % 1_000_000_000:09d}Z",
    }
    with open(os.path.join(chart_path, lock_name), "w", encoding="utf-8") as fh:
        fh.write(dump_v2(lock))
    return lines

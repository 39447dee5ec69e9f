"""Release records for the storage tests."""

from __future__ import annotations

import json
from pathlib import Path

from kelm.golang.time import parse_time
from kelm.release import Info, Release
from kelm.release.model import RFC3339

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "release"


def golden_release(case: str = "rich") -> Release:
    """A release exactly as Helm printed it (chart, hooks, values and all)."""
    return Release.from_json(json.loads((GOLDEN / f"{case}.json").read_text())["stdout"])


def make_release(name: str = "web", version: int = 1, status: str = "deployed",
                 namespace: str = "default", labels: dict[str, str] | None = None) -> Release:
    rel = golden_release("empty")
    t = parse_time(RFC3339, f"2026-01-0{min(version, 9)}T10:00:00.5Z")
    rel.name, rel.version, rel.namespace = name, version, namespace
    rel.info = Info(first_deployed=t, last_deployed=t, description=f"rev {version}", status=status)
    rel.labels = dict(labels or {})
    return rel

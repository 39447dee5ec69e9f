"""Human-readable reports: which preset changed which container, and why one was skipped."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from kelm.presets.apply import APPLIED, CONFLICT, NOT_A_POD, ObjectReport

_FIELD_LABEL = {"env": "env", "envFrom": "envFrom", "volumeMounts": "mount", "volumes": "volume"}


def explain(reports: Sequence[ObjectReport], *, verbose: bool = False) -> str:
    """One block per pod or pod template; kinds without pods are listed only when verbose."""
    blocks = [_block(r, verbose) for r in reports if verbose or r.status != NOT_A_POD]
    return "\n".join(blocks) if blocks else "no pods or pod templates found\n"


def _block(report: ObjectReport, verbose: bool) -> str:
    where = f" ({report.template})" if report.template else ""
    lines = [f"{report.kind} {report.namespace}/{report.name}{where}: {report.status}"]
    if report.message:
        lines.append(f"  {report.message}")
    if report.status == APPLIED:
        per_preset: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for change in report.changes:
            mark = "+" if change.added else "="
            label = _FIELD_LABEL.get(change.field, change.field)
            per_preset[change.preset][change.target].append(f"{mark}{label} {change.item}")
        for name in report.applied:
            lines.append(f"  applied {name}")
            targets = per_preset.get(name, {})
            if not targets:
                lines.append("    (nothing new: every item was already present)")
            for target, items in targets.items():
                lines.append(f"    {target}: {', '.join(items)}")
    if report.status == CONFLICT:
        lines += [f"  conflict: {c}" for c in report.conflicts]
    hidden = 0
    for skip in report.skipped:
        if verbose or skip.cause != "namespace":
            lines.append(f"  skipped {skip.preset}: {skip.reason}")
        else:
            hidden += 1
    if hidden:
        lines.append(f"  ({hidden} preset(s) in other namespaces; -v lists them, -n sets the default)")
    return "\n".join(lines) + "\n"


def summary(reports: Sequence[ObjectReport]) -> str:
    """One line: counts per status, e.g. ``3 pod(s): 2 applied, 1 conflict``."""
    pods = [r for r in reports if r.status != NOT_A_POD]
    counts: dict[str, int] = defaultdict(int)
    for r in pods:
        counts[r.status] += 1
    parts = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return f"{len(pods)} pod(s)/template(s): {parts or 'none'}"

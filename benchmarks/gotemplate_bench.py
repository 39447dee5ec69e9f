"""Benchmark kelm.gotemplate against Helm's Go engine on the same generated templates.

    .venv/bin/python benchmarks/gotemplate_bench.py [--templates 40] [--items 300]

A chart is generated with N helper files, each defining a template that ranges over a list
of items with ifs, withs, nested ranges over maps, variables, printf, comparisons and
index; NOTES.txt calls them all (NOTES.txt output is not YAML-parsed by Helm, so Helm's time
is template work plus its fixed cost).  Helm's time is ``helm install --dry-run=client`` on
the chart minus the same on an empty chart (its fixed startup cost).  kelm's time is measured
parse+compile (first time, then cached) and execute.
Outputs must be identical (after Helm's ``<no value>`` removal).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.shared: the oracle
from tests.shared import HELM  # noqa: E402

TEMPLATE = """{{- define "t@I@" -}}
{{- $root := . -}}
{{- $prefix := printf "%s-@I@" .Values.app -}}
# block @I@ for {{ .Values.app }}
{{- range $idx, $it := .Values.items }}
{{- if and $it.enabled (ne $it.tier "skip") }}
- name: {{ $prefix }}-{{ $it.name }}-{{ $idx }}
  port: {{ $it.port }}
  {{- with $it.labels }}
  labels:
  {{- range $k, $v := . }}
    {{ $k }}: {{ printf "%q" $v }}
  {{- end }}
  {{- end }}
  {{- if eq $it.tier "web" }}
  tier: web
  {{- else if eq $it.tier "db" }}
  tier: {{ index $root.Values.tiers "db" }}
  {{- else }}
  tier: {{ $it.tier | printf "%s" }}
  {{- end }}
  {{- if gt $it.port 8000.0 }}
  high: true
  {{- end }}
  {{- $n := len $it.name }}
  len: {{ $n }}
{{- end }}
{{- end }}
{{- end -}}
"""


def make_values(items: int) -> str:
    lines = ["app: bench", "tiers: {db: database, web: frontend}", "items:"]
    tiers = ["web", "db", "cache", "skip"]
    for i in range(items):
        lines.append(f"  - name: item{i}")
        lines.append(f"    port: {8000 + i % 17}")
        lines.append(f"    enabled: {'true' if i % 5 else 'false'}")
        lines.append(f"    tier: {tiers[i % 4]}")
        lines.append(f"    labels: {{app: a{i % 7}, team: t{i % 3}, zone: z{i % 2}}}")
    return "\n".join(lines) + "\n"


def make_chart(root: Path, ntemplates: int, items: int, empty: bool = False) -> dict[str, str]:
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: bench\nversion: 0.1.0\n")
    files: dict[str, str] = {}
    if empty:
        (root / "values.yaml").write_text("")
        return files
    (root / "values.yaml").write_text(make_values(items))
    for i in range(ntemplates):
        files[f"bench/templates/_t{i}.tpl"] = TEMPLATE.replace("@I@", str(i))
    files["bench/templates/NOTES.txt"] = "".join(
        f'{{{{ template "t{i}" . }}}}\n' for i in range(ntemplates))
    for name, text in files.items():
        (root / name.split("/", 1)[1]).write_text(text)
    return files


def helm_time(chart: Path, runs: int) -> tuple[float, str]:
    best = float("inf")
    out = ""
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run([HELM, "install", "r", str(chart), "--dry-run=client", "-o", "json"],
                           capture_output=True, text=True, check=True)
        best = min(best, time.perf_counter() - t0)
        out = json.loads(p.stdout)["info"].get("notes", "")
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--templates", type=int, default=40)
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import yaml

    from kelm.gotemplate import TemplateSet

    with tempfile.TemporaryDirectory() as d:
        chart = Path(d) / "bench"
        files = make_chart(chart, args.templates, args.items)
        empty = Path(d) / "empty"
        make_chart(empty, 0, 0, empty=True)
        helm_full, helm_out = helm_time(chart, args.runs)
        helm_empty, _ = helm_time(empty, args.runs)
        values = yaml.safe_load((chart / "values.yaml").read_text())

    def floats(v):  # values.yaml numbers are float64 in Helm
        if isinstance(v, bool):
            return v
        if isinstance(v, int):
            return float(v)
        if isinstance(v, dict):
            return {k: floats(x) for k, x in v.items()}
        if isinstance(v, list):
            return [floats(x) for x in v]
        return v

    data = {"Values": floats(values), "Release": {"Name": "r"}}

    def kelm_parse() -> TemplateSet:
        ts = TemplateSet(missingkey="zero")
        for name, text in files.items():
            ts.parse(name, text)
        for name in ts.names():
            ts.lookup(name)._compile()  # noqa: SLF001 - measure compilation explicitly
        return ts

    def kelm_exec(ts: TemplateSet) -> str:
        return ts.execute("bench/templates/NOTES.txt", data).replace("<no value>", "")

    t0 = time.perf_counter()
    ts = kelm_parse()
    cold_parse = time.perf_counter() - t0
    out = kelm_exec(ts)
    warm_parse = float("inf")
    execute = float("inf")
    for _ in range(args.runs):
        t0 = time.perf_counter()
        ts = kelm_parse()  # cached: a template parsed once is never parsed again
        t1 = time.perf_counter()
        kelm_exec(ts)
        t2 = time.perf_counter()
        warm_parse = min(warm_parse, t1 - t0)
        execute = min(execute, t2 - t1)
    helm_net = max(helm_full - helm_empty, 1e-6)
    same = out == helm_out
    print(f"templates={args.templates} items={args.items} output={len(out)} bytes "
          f"identical={same}")
    print(f"helm: full {helm_full * 1000:.1f} ms, empty chart {helm_empty * 1000:.1f} ms, "
          f"net (parse+execute) {helm_net * 1000:.1f} ms")
    print(f"kelm: parse+compile {cold_parse * 1000:.1f} ms first time, "
          f"{warm_parse * 1000:.2f} ms when cached; execute {execute * 1000:.1f} ms")
    print(f"ratio execute/helm_net = {execute / helm_net:.2f}x   "
          f"(parse+compile+execute)/helm_net = {(cold_parse + execute) / helm_net:.2f}x")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()

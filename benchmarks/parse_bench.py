"""Micro-benchmark of the Go template lexer+parser alone (no compile, no execution).

    .venv/bin/python benchmarks/parse_bench.py [--reps 5] [--quick] [--ref] [--profile]

Parses every template text of (a) prometheus-operator from the shared chart corpus (the
largest chart: parsing was ~43% of ``kelm template`` on it), (b) the whole corpus, and
(c) a ``gen_umbrella OUT 50 20`` chart, with Helm's function map, as the engine does.  Prints
the best of ``--reps`` runs per set (CPU time; the GC is paused while parsing, as in the
engine).  ``--ref`` also times the parser as it was before the speed-up (from git history);
``--quick`` (as ``make bench`` may pass) skips the whole corpus.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))  # tests.shared: ../shared
from tests.shared import SHARED  # noqa: E402


def chart_texts(path: Path) -> list[tuple[str, str]]:
    """(name, text) of every template of a chart and its subcharts."""
    from kelm.chart import load_chart

    out: list[tuple[str, str]] = []
    stack = [load_chart(str(path))]
    while stack:
        c = stack.pop()
        stack.extend(c.dependencies)
        for t in c.templates:
            out.append((c.full_path() + "/" + t.name, t.data.decode("utf-8", "replace")))
    return out


def helm_parse_funcs() -> object:
    from kelm.funcs import lazy_funcs
    from kelm.gotemplate.template import merged_funcs

    return merged_funcs(lazy_funcs())  # Helm's function map (kelm.render.helmfuncs)


def time_parse(texts: list[tuple[str, str]], funcs: object, reps: int,
               parse: Callable[..., object] | None = None) -> float:
    from kelm.gotemplate.errors import ParseError

    if parse is None:
        from kelm.gotemplate.parser import parse

    best = float("inf")
    for _ in range(reps):
        gc.collect()
        gc.disable()
        t0 = time.process_time()
        for name, text in texts:
            try:
                parse(name, text, funcs)  # type: ignore[arg-type]
            except ParseError:
                pass
        best = min(best, time.process_time() - t0)
        gc.enable()
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="skip the whole-corpus set")
    ap.add_argument("--profile", action="store_true", help="cProfile the prometheus set")
    ap.add_argument("--ref", action="store_true",
                    help="also time the pre-optimisation parser (from git history)")
    args = ap.parse_known_args()[0]  # make bench passes every benchmark the same options
    funcs = helm_parse_funcs()
    corpus = SHARED / "charts" / "charts"
    sets: dict[str, list[tuple[str, str]]] = {}
    prom = corpus / "prometheus-operator"
    if prom.is_dir():
        sets["prometheus-operator"] = chart_texts(prom)
    if corpus.is_dir() and not args.quick:
        sets["corpus"] = [t for d in sorted(corpus.iterdir()) if (d / "Chart.yaml").is_file()
                          for t in chart_texts(d)]
    gen = SHARED / "tools" / "gen_umbrella"
    with tempfile.TemporaryDirectory() as tmp:
        if gen.is_file():
            subprocess.run([sys.executable, str(gen), tmp + "/u", "50", "20"], check=True)
            sets["umbrella-50x20"] = chart_texts(Path(tmp) / "u")
    if args.profile:
        import cProfile
        import pstats

        cProfile.runctx("time_parse(texts, funcs, 1)", globals(),
                        {"texts": sets["prometheus-operator"], "funcs": funcs,
                         "time_parse": time_parse}, "/tmp/parse_bench.prof")
        pstats.Stats("/tmp/parse_bench.prof").sort_stats("tottime").print_stats(25)
        return
    ref = None
    if args.ref:
        sys.path.insert(0, str(REPO))
        from tests.parsediff import reference

        ref = reference.load(one_token_actions=True)
    for label, texts in sets.items():
        size = sum(len(t) for _, t in texts)
        secs = time_parse(texts, funcs, args.reps)
        line = (f"{label:22s} {len(texts):5d} templates {size / 1e6:6.2f} MB  "
                f"{secs * 1000:8.1f} ms  {size / secs / 1e6:5.1f} MB/s")
        if ref is not None:
            old = time_parse(texts, funcs, args.reps, ref)
            line += f"   reference {old * 1000:8.1f} ms  speed-up {old / secs:4.2f}x"
        print(line, flush=True)


if __name__ == "__main__":
    main()

"""`make bench`: run every benchmarks/*_bench.py (kelm vs the oracle, ratios in one run)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

here = pathlib.Path(__file__).resolve().parent
failed = 0
for script in sorted(here.glob("*_bench.py")):
    print(f"===== {script.stem} =====", flush=True)
    rc = subprocess.call([sys.executable, str(script), *sys.argv[1:]])
    failed += rc != 0
sys.exit(1 if failed else 0)

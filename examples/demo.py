"""`make demo`: show kelm's main jobs on bundled examples, no cluster needed.

Each area adds its own ``examples/demo_<area>.py`` (a script printing its part); this
runs them in name order.
"""

import pathlib
import runpy

from kelm import HELM_VERSION, __version__

print(f"kelm {__version__} (Helm {HELM_VERSION} compatible)")
here = pathlib.Path(__file__).parent
for script in sorted(here.glob("demo_*.py")):
    print(f"\n===== {script.stem.removeprefix('demo_')} =====")
    runpy.run_path(str(script), run_name="__main__")

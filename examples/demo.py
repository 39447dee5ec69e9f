"""`make demo`: show kelm's main job on bundled examples, no cluster needed."""

from kelm import HELM_VERSION, __version__

print(f"kelm {__version__} (Helm {HELM_VERSION} compatible)")

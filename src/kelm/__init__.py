"""kelm: Kubernetes application packaging in pure Python.

Helm charts (Go templates + Sprig), Kustomize overlays and PodPresets, with output
byte-identical to Helm v4 and kubectl kustomize.  Sub-packages are imported lazily so
that ``import kelm`` and ``kelm --version`` stay cheap.
"""

import sys

# The commands import a lot of Python: keep its bytecode cached even when the environment says
# PYTHONDONTWRITEBYTECODE.  Set here, in the first module imported, so that kelm.cli and
# kelm.__main__ are cached too (compiling them costs every run a few milliseconds); an
# installed kelm has its .pyc written by the installer anyway.
sys.dont_write_bytecode = False

__version__ = "0.1.0"
HELM_VERSION = "v4.1.4"
KUSTOMIZE_VERSION = "v5.7.1"

__all__ = ["__version__", "HELM_VERSION", "KUSTOMIZE_VERSION"]

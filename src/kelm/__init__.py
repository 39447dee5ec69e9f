"""kelm: Kubernetes application packaging in pure Python.

Helm charts (Go templates + Sprig), Kustomize overlays and PodPresets, with output
byte-identical to Helm v4 and kubectl kustomize.  Sub-packages are imported lazily so
that ``import kelm`` and ``kelm --version`` stay cheap.
"""

import sys

# The commands import a lot of Python: keep its bytecode cached even when the environment says
# PYTHONDONTWRITEBYTECODE.  Set here, in the first module imported, so that kelm.cli and
# kelm.__main__ are cached too (compiling even a small module costs a run ~3 ms); an
# installed kelm has its .pyc written by the installer anyway.
sys.dont_write_bytecode = False


def _cache_own_bytecode() -> None:
    """This module was compiled before the switch above: if its .pyc is missing or older than
    the source, have the import system's loader compile and write it now (once)."""
    import os

    spec = globals().get("__spec__")
    if spec is None or not spec.has_location or not spec.cached:
        return
    try:
        if os.stat(spec.cached).st_mtime >= os.stat(spec.origin).st_mtime:
            return
    except OSError:
        pass
    try:
        spec.loader.get_code(spec.name)
    except Exception:  # noqa: BLE001 - a read-only tree only costs speed
        pass


_cache_own_bytecode()

__version__ = "0.1.0"
HELM_VERSION = "v4.1.4"
KUSTOMIZE_VERSION = "v5.7.1"

__all__ = ["__version__", "HELM_VERSION", "KUSTOMIZE_VERSION"]

"""kelm: Kubernetes application packaging in pure Python.

Helm charts (Go templates + Sprig), Kustomize overlays and PodPresets, with output
byte-identical to Helm v4 and kubectl kustomize.  Sub-packages are imported lazily so
that ``import kelm`` and ``kelm --version`` stay cheap.  Importing kelm changes nothing
process-wide; the ``kelm`` command's start-up tricks live in :mod:`kelm.cli.process`.
"""

__version__ = "0.1.0"
HELM_VERSION = "v4.1.4"
KUSTOMIZE_VERSION = "v5.7.1"

__all__ = ["__version__", "HELM_VERSION", "KUSTOMIZE_VERSION"]

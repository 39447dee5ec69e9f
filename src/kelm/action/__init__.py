"""Chart lifecycle actions (create now; install/upgrade/rollback with the cluster layer).

Actions sit between the CLI and the packages: they take plain arguments, call chart/values/
render (and later kube/release), and return plain results the CLI prints.
"""

from kelm.action.create import create_chart

__all__ = ["create_chart"]

"""What kelm's commands do, one module per command (as Helm's pkg/action): create, show,
package, lint, dependency, template, install; chartref (where a chart comes from and what
the release is called) and postrender.

Actions sit between the CLI and the packages: they take plain options, call chart/values/
render (and later kube/release), and return plain results the CLI prints.  Nothing is
imported here: ``kelm template`` loads only the actions it runs.
"""

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


def __getattr__(name: str) -> "Any":
    if name == "create_chart":
        from kelm.action.create import create_chart

        return create_chart
    raise AttributeError(name)


__all__ = ["create_chart"]

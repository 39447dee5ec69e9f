"""The markers around a ``required``/``fail`` message inside Go's error chain.

The functions (:mod:`kelm.funcs.helm`) wrap their message in them and the renderer
(:mod:`kelm.render.errors`) finds it there to print ``execution error at (...): MSG``, as
Helm does; both sides share this module so neither imports the other.
"""

from __future__ import annotations

WARN_START = "HELM_ERR_START"
WARN_END = "HELM_ERR_END"


def warn_wrap(msg: str) -> str:
    """The message as it travels in the error text."""
    return WARN_START + msg + WARN_END
